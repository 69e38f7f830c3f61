// Query -> (fills) -> status. Venue callbacks may arrive after this object is gone (daemon shutdown):
// each captures a weak liveness token and does nothing then.
#include "execution/order_resolver.h"

#include <spdlog/spdlog.h>

namespace tradingd {

std::string_view to_string(ResolveOutcome o) {
  switch (o) {
    case ResolveOutcome::Updated: return "updated";
    case ResolveOutcome::NotFound: return "not_found";
    case ResolveOutcome::FillsMissing: return "fills_missing";
    case ResolveOutcome::QueryFailed: return "query_failed";
    case ResolveOutcome::NoVenue: return "no_venue";
    case ResolveOutcome::UnknownOrder: return "unknown_order";
  }
  return "unknown";
}

OrderResolver::OrderResolver(OrderManager& manager, std::int64_t fills_lookback_ns)
    : manager_(manager), lookback_ns_(fills_lookback_ns) {}

void OrderResolver::resolve(OrderId id, std::function<void(ResolveOutcome)> done) {
  const Order* o = manager_.find(id);
  if (!o) return done(ResolveOutcome::UnknownOrder);
  ExecutionVenue* venue = manager_.venue(o->instrument().venue);
  if (!venue) return done(ResolveOutcome::NoVenue);
  std::weak_ptr<bool> alive = alive_;
  venue->query_order(o->instrument(), o->client_order_id(),
                     [this, alive, id, done = std::move(done)](Result<OrderStatusReport, VenueError> r) mutable {
                       if (alive.expired()) return;
                       if (r) return on_report(id, *r, std::move(done));
                       if (r.error().reason == VenueErrorReason::UnknownOrder) {
                         const bool rejected = manager_.mark_not_found(id);
                         if (!rejected) {
                           // Acked or filled, yet unknown now: venues purge old orders. Keep our state.
                           spdlog::warn("Venue no longer knows an acked order order_id={}", id);
                         }
                         return done(rejected ? ResolveOutcome::NotFound : ResolveOutcome::Updated);
                       }
                       spdlog::warn("Order query failed order_id={} reason={} message=\"{}\"", id, to_string(r.error().reason),
                                    r.error().message);
                       done(ResolveOutcome::QueryFailed);
                     });
}

void OrderResolver::on_report(OrderId id, const OrderStatusReport& report, std::function<void(ResolveOutcome)> done) {
  const Order* o = manager_.find(id);
  if (!o) return done(ResolveOutcome::UnknownOrder);
  if (report.filled_quantity <= o->filled_quantity()) {
    manager_.apply_status_report(id, report);
    return done(ResolveOutcome::Updated);
  }
  ExecutionVenue* venue = manager_.venue(o->instrument().venue);
  std::weak_ptr<bool> alive = alive_;
  venue->fills_since(o->instrument(), o->ts_init_ns() - lookback_ns_,
                     [this, alive, id, report, done = std::move(done)](Result<std::vector<OrderFilled>, VenueError> r) {
                       if (alive.expired()) return;
                       const Order* o = manager_.find(id);
                       if (!o) return done(ResolveOutcome::UnknownOrder);
                       if (!r) {
                         spdlog::warn("Fill history query failed order_id={} message=\"{}\"", id, r.error().message);
                         return done(ResolveOutcome::QueryFailed);
                       }
                       // Only this order's fills: by our client id, or by the venue's order id when the
                       // listing lacks ours.
                       std::vector<OrderFilled> mine;
                       for (const auto& f : *r)
                         if (f.client_order_id == o->client_order_id() ||
                             (f.client_order_id.empty() && !report.venue_order_id.empty() && f.venue_order_id == report.venue_order_id))
                           mine.push_back(f);
                       for (auto& f : mine) f.client_order_id = o->client_order_id();
                       manager_.apply_fill_history(mine);
                       manager_.apply_status_report(id, report);
                       o = manager_.find(id);
                       if (report.filled_quantity > o->filled_quantity()) {
                         spdlog::error("Venue reports fills we cannot count order_id={} venue_filled={} counted={}", id,
                                       report.filled_quantity.to_string(), o->filled_quantity().to_string());
                         return done(ResolveOutcome::FillsMissing);
                       }
                       done(ResolveOutcome::Updated);
                     });
}

}  // namespace tradingd
