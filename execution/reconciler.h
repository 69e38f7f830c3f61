// Reconciler: at start-up (after OrderManager::restore, before any signal is accepted) compares the
// journal with each venue, in three phases:
//  A. the venue's open orders: those the journal lacks are reported (and canceled if configured); those
//     the journal holds as terminal are reported;
//  B. fills since shortly before the journal's last activity, per instrument involved: missed fills are
//     applied (de-duplicated by trade id); fills of orders the journal lacks are reported;
//  C. every order still open in the journal is resolved by client order id (OrderResolver): submits
//     whose fate is unknown become accepted/filled/canceled, or rejected as "not found".
// Trading may start when report.ok_to_trade(). Pure logic over ExecutionVenue queries. The same phases,
// limited to one venue, run again after that venue's private stream reconnects.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "execution/order_resolver.h"

namespace tradingd {

struct ReconcileOptions {
  bool cancel_unknown_venue_orders = false;          // ExecutionConfig::cancel_unknown_venue_orders
  std::int64_t fills_lookback_ns = 10 * 60 * kNanosPerSecond;  // before the journal's last activity
  // Only this venue (after a reconnect); every registered venue when empty (start-up).
  std::optional<Venue> venue;
};

struct ReconcileReport {
  std::size_t orders_checked = 0;
  std::vector<OrderId> resolved;
  std::vector<OrderId> not_found;        // never reached the venue: rejected
  std::vector<OrderId> fills_missing;    // the venue counts fills we could not fetch
  std::vector<OrderId> query_failed;
  std::vector<OrderStatusReport> unknown_venue_orders;  // open at the venue, absent from the journal
  std::size_t unknown_orders_canceled = 0;
  std::vector<OrderId> terminal_but_open_at_venue;
  std::vector<OrderFilled> unknown_fills;  // fills of orders the journal lacks
  std::size_t missed_fills_applied = 0;
  std::vector<std::string> errors;         // listings the venue did not answer

  bool ok_to_trade() const { return fills_missing.empty() && query_failed.empty() && errors.empty(); }
};

class Reconciler {
 public:
  Reconciler(OrderManager& manager, OrderResolver& resolver, ReconcileOptions options = {});
  Reconciler(const Reconciler&) = delete;
  Reconciler& operator=(const Reconciler&) = delete;

  // Runs the three phases over every registered venue; done gets the report (maybe synchronously).
  void run(std::function<void(const ReconcileReport&)> done);

 private:
  void phase_open_orders();
  void phase_fills();
  void phase_resolve();
  void finish();
  bool in_scope(Venue v) const { return !options_.venue || *options_.venue == v; }
  // Counts one outstanding venue call down; runs next when the phase's last answer arrived.
  void arrive(void (Reconciler::*next)());

  OrderManager& manager_;
  OrderResolver& resolver_;
  ReconcileOptions options_;
  ReconcileReport report_;
  std::function<void(const ReconcileReport&)> done_;
  std::size_t pending_ = 0;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace tradingd
