// FakeVenue: an ExecutionVenue for tests that records every request and answers queries from state the
// test sets (orders by client id, a fill history). Callbacks run at once, or are held until
// run_pending() when defer_callbacks is set (to test late answers). emit() plays venue events.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <vector>

#include "exchange/execution_venue.h"

namespace tradingd::test {

class FakeVenue final : public ExecutionVenue {
 public:
  explicit FakeVenue(Venue venue = Venue::Binance, VenueCapabilities caps = {}) : venue_(venue), caps_(caps) {}

  Venue venue() const override { return venue_; }
  VenueCapabilities capabilities() const override { return caps_; }
  void set_event_sink(VenueEventSink* sink) override { sink_ = sink; }
  // Like the live adapters, the private stream reports itself up once it is (here: at once, unless told not to).
  void start() override {
    ++starts;
    if (connect_on_start && sink_) sink_->on_venue_event(VenueConnectionChanged{venue_, true, 0});
  }
  bool connect_on_start = true;
  void stop() override { ++stops; }

  void submit(const OrderRequest& request) override;
  void cancel(const CancelRequest& request) override;
  void cancel_all(const std::optional<InstrumentId>& instrument) override;
  void query_order(const InstrumentId& instrument, const ClientOrderId& id, VenueCallback<OrderStatusReport> done) override;
  void open_orders(const std::optional<InstrumentId>& instrument, VenueCallback<std::vector<OrderStatusReport>> done) override;
  void fills_since(const InstrumentId& instrument, UnixNanos since_ns, VenueCallback<std::vector<OrderFilled>> done) override;
  void account(VenueCallback<AccountReport> done) override;
  void set_leverage(const InstrumentId& instrument, int leverage, VenueCallback<int> done) override;

  void emit(const VenueEvent& event) {
    if (sink_) sink_->on_venue_event(event);
  }
  void run_pending();

  // Recorded requests.
  std::vector<OrderRequest> submits;
  std::vector<CancelRequest> cancels;
  std::vector<std::optional<InstrumentId>> cancel_alls;
  std::vector<ClientOrderId> queries;
  std::vector<InstrumentId> fill_queries;
  int open_order_queries = 0;
  int account_queries = 0;
  int starts = 0;
  int stops = 0;

  // What queries answer.
  std::map<ClientOrderId, OrderStatusReport> orders;  // query_order, and open_orders (non-terminal ones)
  std::vector<OrderFilled> fills;                      // fills_since (filtered by instrument and time)
  std::optional<VenueError> query_error;               // every query fails with this
  AccountReport account_report;                        // account() (venue set to this venue's)
  std::optional<VenueError> account_error;
  bool defer_callbacks = false;
  // Emitted synchronously from inside submit() (a venue answering at once).
  std::function<void(const OrderRequest&)> on_submit;

 private:
  void answer(std::function<void()> f);
  Venue venue_;
  VenueCapabilities caps_;
  VenueEventSink* sink_ = nullptr;
  std::vector<std::function<void()>> pending_;
};

}  // namespace tradingd::test
