// OrderMonitor: watches open orders, driven by on_timer(now). Pure: no sockets, no timers of its own.
//  - An order not acked within ack_timeout_ms, or whose submit outcome is unknown, is QUERIED by client
//    order id through the OrderResolver, never resent; a query still unanswered is repeated every
//    query_retry_ms. A cancel not confirmed within ack_timeout_ms is queried the same way.
//  - An order past its time-to-live (OrderSpec::expire_at_ns) is canceled, once.
//  - An order open longer than stale_order_s is reported, once.
//  - Latency submit->ack and submit->first fill (monotonic clock) and slippage against the signal's
//    reference price go to an ExecutionObserver (the metrics layer makes per-venue histograms of them).
// Timeouts compare wall-clock stamps: a clock step can only make a query early, and a query is harmless.
#pragma once

#include <cstdint>
#include <memory>
#include <unordered_map>
#include <vector>

#include "config/config.h"
#include "execution/order_resolver.h"

namespace tradingd {

struct OrderMonitorConfig {
  std::int64_t ack_timeout_ms = 5'000;
  std::int64_t query_retry_ms = 5'000;
  std::int64_t stale_order_s = 86'400;
  static OrderMonitorConfig from(const config::ExecutionConfig& c) {
    return OrderMonitorConfig{c.ack_timeout_ms, c.ack_timeout_ms, c.stale_order_s};
  }
};

enum class QueryReason : std::uint8_t { AckTimeout, OutcomeUnknown, CancelTimeout };
std::string_view to_string(QueryReason r);

// Receives measurements; every method has an empty default. Called on the event loop.
class ExecutionObserver {
 public:
  virtual ~ExecutionObserver() = default;
  virtual void on_ack_latency(Venue /*venue*/, std::int64_t /*ns*/) {}
  virtual void on_first_fill_latency(Venue /*venue*/, std::int64_t /*ns*/) {}
  // Positive: worse than the reference (paid more on a buy, got less on a sell). Rate holds the bps value.
  virtual void on_slippage_bps(Venue /*venue*/, Rate /*bps*/) {}
  virtual void on_order_query(const Order& /*order*/, QueryReason /*reason*/) {}
  virtual void on_query_result(const Order& /*order*/, ResolveOutcome /*outcome*/) {}
  virtual void on_stale_order(const Order& /*order*/, std::int64_t /*age_ns*/) {}
  virtual void on_ttl_cancel(const Order& /*order*/) {}
};

struct OrderMonitorStats {
  std::uint64_t queries = 0;
  std::uint64_t not_found = 0;
  std::uint64_t fills_missing = 0;
  std::uint64_t query_failures = 0;
  std::uint64_t ttl_cancels = 0;
  std::uint64_t stale_reports = 0;
};

class OrderMonitor final : private OrderListener {
 public:
  OrderMonitor(OrderManager& manager, OrderResolver& resolver, OrderMonitorConfig config,
               ExecutionObserver* observer = nullptr);
  ~OrderMonitor() override;
  OrderMonitor(const OrderMonitor&) = delete;
  OrderMonitor& operator=(const OrderMonitor&) = delete;

  // Runs on every timer tick (once per bar in a backtest): with no order open it is one load and a branch.
  void on_timer(UnixNanos now_ns) {
    if (manager_.open_order_count() != 0) check_open_orders(now_ns);
  }
  const OrderMonitorStats& stats() const { return stats_; }
  // Orders with a query in flight (for tests and the status endpoint).
  std::size_t queries_in_flight() const;

 private:
  struct Track {
    UnixNanos last_query_ns = 0;
    bool query_in_flight = false;
    bool stale_reported = false;
    bool ttl_cancel_sent = false;
  };

  void check_open_orders(UnixNanos now_ns);
  void on_order_updated(const OrderUpdate& update) override;
  void query(const Order& order, QueryReason reason, UnixNanos now_ns, Track& track);

  OrderManager& manager_;
  OrderResolver& resolver_;
  OrderMonitorConfig config_;
  ExecutionObserver* observer_;
  // Only orders something was recorded for (a query, a TTL cancel, a stale report); dropped when done.
  std::unordered_map<OrderId, Track> tracks_;
  std::vector<OrderId> open_ids_scratch_;  // on_timer's list of open ids, kept for its capacity
  OrderMonitorStats stats_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace tradingd
