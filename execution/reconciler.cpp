// The reconciliation phases. Each phase issues its venue calls with pending_ = calls + 1 and then
// arrives once itself, so synchronous answers (simulated venue, tests) cannot start the next phase early.
#include "execution/reconciler.h"

#include <algorithm>
#include <set>

#include <spdlog/spdlog.h>

namespace tradingd {

Reconciler::Reconciler(OrderManager& manager, OrderResolver& resolver, ReconcileOptions options)
    : manager_(manager), resolver_(resolver), options_(options) {}

void Reconciler::run(std::function<void(const ReconcileReport&)> done) {
  report_ = ReconcileReport{};
  done_ = std::move(done);
  phase_open_orders();
}

void Reconciler::arrive(void (Reconciler::*next)()) {
  if (--pending_ == 0) (this->*next)();
}

void Reconciler::phase_open_orders() {
  auto venues = manager_.venues();
  std::erase_if(venues, [this](ExecutionVenue* v) { return !in_scope(v->venue()); });
  pending_ = venues.size() + 1;
  std::weak_ptr<bool> alive = alive_;
  for (ExecutionVenue* venue : venues) {
    venue->open_orders(std::nullopt, [this, alive, venue](Result<std::vector<OrderStatusReport>, VenueError> r) {
      if (alive.expired()) return;
      if (!r) {
        report_.errors.push_back(std::string(to_string(venue->venue())) + " open orders: " + r.error().message);
      } else {
        for (const auto& rep : *r) {
          const Order* o = manager_.find_by_client_id(rep.client_order_id);
          if (!o && !rep.venue_order_id.empty()) o = manager_.find_by_venue_order_id(rep.instrument, rep.venue_order_id);
          if (!o) {
            const bool ours = manager_.codec().decode(rep.client_order_id.view()).has_value();
            spdlog::warn("Venue order not in the journal venue={} client_order_id={} venue_order_id={} ours_by_prefix={}",
                         to_string(venue->venue()), rep.client_order_id.view(), rep.venue_order_id.view(), ours);
            report_.unknown_venue_orders.push_back(rep);
            if (options_.cancel_unknown_venue_orders) {
              venue->cancel(CancelRequest{rep.instrument, rep.client_order_id, rep.venue_order_id});
              ++report_.unknown_orders_canceled;
            }
          } else if (o->is_terminal()) {
            spdlog::warn("Order terminal in the journal but open at the venue order_id={} status={}", o->id(), to_string(o->status()));
            report_.terminal_but_open_at_venue.push_back(o->id());
          }
        }
      }
      arrive(&Reconciler::phase_fills);
    });
  }
  arrive(&Reconciler::phase_fills);
}

void Reconciler::phase_fills() {
  UnixNanos last_activity = 0;
  for (const Order* o : manager_.all_orders())
    if (in_scope(o->instrument().venue)) last_activity = std::max(last_activity, o->ts_last_ns());
  const UnixNanos since = last_activity - options_.fills_lookback_ns;
  std::set<InstrumentId> instruments;
  for (const Order* o : manager_.all_orders())
    if (in_scope(o->instrument().venue) && (o->is_open() || o->ts_last_ns() >= since)) instruments.insert(o->instrument());
  std::vector<std::pair<ExecutionVenue*, InstrumentId>> calls;
  for (const auto& i : instruments)
    if (ExecutionVenue* v = manager_.venue(i.venue)) calls.emplace_back(v, i);
  pending_ = calls.size() + 1;
  std::weak_ptr<bool> alive = alive_;
  for (const auto& [venue, instrument] : calls) {
    venue->fills_since(instrument, since, [this, alive, instrument = instrument](Result<std::vector<OrderFilled>, VenueError> r) {
      if (alive.expired()) return;
      if (!r) {
        report_.errors.push_back(instrument.to_string() + " fills: " + r.error().message);
      } else {
        std::vector<OrderFilled> known;
        for (const auto& f : *r) {
          const bool have = (!f.client_order_id.empty() && manager_.find_by_client_id(f.client_order_id)) ||
                            (!f.venue_order_id.empty() && manager_.find_by_venue_order_id(f.instrument, f.venue_order_id));
          (have ? known : report_.unknown_fills).push_back(f);
        }
        report_.missed_fills_applied += manager_.apply_fill_history(known);
      }
      arrive(&Reconciler::phase_resolve);
    });
  }
  arrive(&Reconciler::phase_resolve);
}

void Reconciler::phase_resolve() {
  std::vector<OrderId> ids;
  for (const Order* o : manager_.open_orders())
    if (o->status() != OrderStatus::Initialized && in_scope(o->instrument().venue)) ids.push_back(o->id());
  report_.orders_checked = ids.size();
  pending_ = ids.size() + 1;
  std::weak_ptr<bool> alive = alive_;
  for (OrderId id : ids) {
    resolver_.resolve(id, [this, alive, id](ResolveOutcome outcome) {
      if (alive.expired()) return;
      switch (outcome) {
        case ResolveOutcome::Updated: report_.resolved.push_back(id); break;
        case ResolveOutcome::NotFound: report_.not_found.push_back(id); break;
        case ResolveOutcome::FillsMissing: report_.fills_missing.push_back(id); break;
        case ResolveOutcome::QueryFailed:
        case ResolveOutcome::NoVenue: report_.query_failed.push_back(id); break;
        case ResolveOutcome::UnknownOrder: break;
      }
      arrive(&Reconciler::finish);
    });
  }
  arrive(&Reconciler::finish);
}

void Reconciler::finish() {
  spdlog::info("Reconciliation done checked={} not_found={} fills_missing={} query_failed={} unknown_venue_orders={} "
               "missed_fills_applied={} errors={}",
               report_.orders_checked, report_.not_found.size(), report_.fills_missing.size(), report_.query_failed.size(),
               report_.unknown_venue_orders.size(), report_.missed_fills_applied, report_.errors.size());
  if (done_) done_(report_);
}

}  // namespace tradingd
