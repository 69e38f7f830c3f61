// PortfolioStats: the portfolio's figures as Prometheus gauges (issue 5): per venue and instrument
// (position, average entry, notional, unrealized/realized PnL, fees, funding, leverage, estimated
// liquidation price) and for the account (equity components, exposure, leverage, peak, drawdown, daily
// PnL, trade counts), plus the circuit breaker's reason, reconciliation blocks and the venue links.
// Labels come from bounded sets only: the configured instruments, the venues, the breaker's reasons.
// Values are exported as doubles for display only; every figure is computed in fixed point.
#pragma once

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include <array>
#include <map>
#include <vector>

#include "execution/node/trading_node.h"

namespace tradingd::daemon {

class PortfolioStats {
 public:
  PortfolioStats(prometheus::Registry& registry, const std::vector<Venue>& venues,
                 const std::vector<InstrumentId>& instruments);
  void refresh(const TradingNode& node);

 private:
  struct PerInstrument {
    prometheus::Gauge* avg_entry = nullptr;
    prometheus::Gauge* notional = nullptr;
    prometheus::Gauge* unrealized = nullptr;
    prometheus::Gauge* realized = nullptr;
    prometheus::Gauge* fees = nullptr;
    prometheus::Gauge* funding = nullptr;
    prometheus::Gauge* leverage = nullptr;
    prometheus::Gauge* liquidation = nullptr;
    prometheus::Gauge* blocked = nullptr;
  };
  struct PerVenue {
    prometheus::Gauge* ready = nullptr;
    prometheus::Counter* disconnects = nullptr;
    prometheus::Counter* reconciliations = nullptr;
    prometheus::Counter* reconcile_failures = nullptr;
    prometheus::Counter* refused = nullptr;
    std::uint64_t seen_disconnects = 0, seen_reconciliations = 0, seen_failures = 0, seen_refused = 0;
  };

  std::map<InstrumentId, PerInstrument> instruments_;
  std::array<PerVenue, 4> venues_{};
  prometheus::Gauge& cash_;
  prometheus::Gauge& unrealized_;
  prometheus::Gauge& fees_;
  prometheus::Gauge& funding_;
  prometheus::Gauge& gross_;
  prometheus::Gauge& net_;
  prometheus::Gauge& leverage_;
  prometheus::Gauge& peak_;
  prometheus::Gauge& daily_pnl_;
  prometheus::Gauge& trades_;
  prometheus::Gauge& wins_;
  prometheus::Gauge& losses_;
  prometheus::Gauge& open_positions_;
  prometheus::Gauge& figures_valid_;
  std::array<prometheus::Gauge*, kTripReasonCount> breaker_reason_{};
  prometheus::Gauge& stops_armed_;
  prometheus::Family<prometheus::Counter>& exits_;
  prometheus::Counter& exits_sent_;
  prometheus::Counter& exits_failed_;
  std::uint64_t seen_exits_sent_ = 0;
  std::uint64_t seen_exits_failed_ = 0;
  prometheus::Counter& mismatches_;
  prometheus::Counter& acknowledged_;
  std::uint64_t seen_mismatches_ = 0;
  std::uint64_t seen_acknowledged_ = 0;
};

}  // namespace tradingd::daemon
