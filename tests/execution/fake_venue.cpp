// FakeVenue: recording and canned answers.
#include "tests/execution/fake_venue.h"

namespace tradingd::test {

void FakeVenue::answer(std::function<void()> f) {
  if (defer_callbacks) pending_.push_back(std::move(f));
  else f();
}

void FakeVenue::run_pending() {
  auto p = std::move(pending_);
  pending_.clear();
  for (auto& f : p) f();
}

void FakeVenue::submit(const OrderRequest& request) {
  submits.push_back(request);
  if (on_submit) on_submit(request);
}
void FakeVenue::cancel(const CancelRequest& request) { cancels.push_back(request); }
void FakeVenue::cancel_all(const std::optional<InstrumentId>& instrument) { cancel_alls.push_back(instrument); }

void FakeVenue::query_order(const InstrumentId&, const ClientOrderId& id, VenueCallback<OrderStatusReport> done) {
  queries.push_back(id);
  answer([this, id, done = std::move(done)] {
    if (query_error) return done(Err{*query_error});
    auto it = orders.find(id);
    if (it == orders.end()) return done(Err{VenueError{VenueErrorReason::UnknownOrder, "-2013", "Order does not exist."}});
    done(it->second);
  });
}

void FakeVenue::open_orders(const std::optional<InstrumentId>& instrument, VenueCallback<std::vector<OrderStatusReport>> done) {
  ++open_order_queries;
  answer([this, instrument, done = std::move(done)] {
    if (query_error) return done(Err{*query_error});
    std::vector<OrderStatusReport> r;
    for (const auto& [id, rep] : orders)
      if (is_open(rep.status) && (!instrument || rep.instrument == *instrument)) r.push_back(rep);
    done(r);
  });
}

void FakeVenue::fills_since(const InstrumentId& instrument, UnixNanos since_ns, VenueCallback<std::vector<OrderFilled>> done) {
  fill_queries.push_back(instrument);
  answer([this, instrument, since_ns, done = std::move(done)] {
    if (query_error) return done(Err{*query_error});
    std::vector<OrderFilled> r;
    for (const auto& f : fills)
      if (f.instrument == instrument && f.ts_event_ns >= since_ns) r.push_back(f);
    done(r);
  });
}

void FakeVenue::account(VenueCallback<AccountReport> done) {
  ++account_queries;
  answer([this, done = std::move(done)] {
    if (account_error) return done(Err{*account_error});
    if (query_error) return done(Err{*query_error});
    AccountReport r = account_report;
    r.venue = venue_;
    done(r);
  });
}

void FakeVenue::set_leverage(const InstrumentId&, int leverage, VenueCallback<int> done) {
  answer([leverage, done = std::move(done)] { done(leverage); });
}

}  // namespace tradingd::test
