// The TradingNode's metrics, declared in one place: counters mirror the node's own cumulative counters
// (refresh() adds the difference since the last call), gauges are set from its state, and the latency and
// slippage histograms are fed live as an ExecutionObserver. Labels come from bounded sets only: venue,
// risk deny reason, venue error reason, liquidity side, and the configured instruments.
#pragma once

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <array>
#include <cstdint>
#include <map>
#include <string>

#include "daemon/portfolio_stats.h"
#include "execution/node/trading_node.h"

namespace tradingd::daemon {

class NodeStats final : public ExecutionObserver {
 public:
  NodeStats(prometheus::Registry& registry, const std::vector<Venue>& venues,
            const std::vector<InstrumentId>& instruments);

  // Reads the node's counters and state (on the event loop, e.g. every second and before shutdown).
  void refresh(const TradingNode& node);
  void on_emergency_stop(const EmergencyStopReport& report);

  // ExecutionObserver
  void on_ack_latency(Venue venue, std::int64_t ns) override;
  void on_first_fill_latency(Venue venue, std::int64_t ns) override;
  void on_slippage_bps(Venue venue, Rate bps) override;

 private:
  struct PerVenue {
    prometheus::Counter* submitted = nullptr;
    prometheus::Gauge* open_orders = nullptr;
    prometheus::Histogram* ack_latency = nullptr;
    prometheus::Histogram* fill_latency = nullptr;
    prometheus::Histogram* slippage = nullptr;
    std::array<prometheus::Counter*, 2> fills{};  // maker, taker
    std::array<prometheus::Counter*, kVenueErrorReasonCount> rejects{};
  };
  static void add_delta(prometheus::Counter& c, std::uint64_t now, std::uint64_t& seen);

  prometheus::Family<prometheus::Counter>& orders_submitted_;
  prometheus::Family<prometheus::Counter>& order_rejects_;
  prometheus::Family<prometheus::Counter>& risk_rejections_;
  prometheus::Gauge& breaker_tripped_;
  prometheus::Family<prometheus::Gauge>& open_orders_;
  prometheus::Family<prometheus::Gauge>& position_quantity_;
  prometheus::Gauge& equity_;
  prometheus::Gauge& drawdown_ratio_;
  prometheus::Gauge& realized_pnl_;
  prometheus::Family<prometheus::Counter>& fills_;
  prometheus::Family<prometheus::Histogram>& ack_latency_;
  prometheus::Family<prometheus::Histogram>& fill_latency_;
  prometheus::Family<prometheus::Histogram>& slippage_;
  prometheus::Histogram& emergency_stop_duration_;
  prometheus::Counter& illegal_events_;
  prometheus::Family<prometheus::Counter>& emergency_stops_;
  prometheus::Counter& emergency_stops_ok_;
  prometheus::Counter& emergency_stops_failed_;

  std::array<PerVenue, 4> venues_{};
  std::array<prometheus::Counter*, kRiskDenyReasonCount> risk_by_reason_{};
  std::map<InstrumentId, prometheus::Gauge*> positions_;
  // What refresh() already added to the counters.
  std::array<std::uint64_t, 4> seen_sent_{};
  std::array<std::uint64_t, kRiskDenyReasonCount> seen_risk_{};
  std::array<std::array<std::uint64_t, kVenueErrorReasonCount>, 4> seen_rejects_{};
  std::array<std::array<std::uint64_t, 2>, 4> seen_fills_{};
  std::uint64_t seen_illegal_ = 0;
  PortfolioStats portfolio_;  // positions, account figures, breaker reason, blocks, venue links
};

}  // namespace tradingd::daemon
