// The execution-venue interface: implemented by the live adapters (binance/, bybit/, okx/) and by the
// simulated venue (execution/), so the engine has one code path in paper, live and backtest.
// Requests are asynchronous; every outcome comes back as a VenueEvent on the sink, on the event loop.
// A request whose outcome is unknown (timeout, connection lost after sending) is reported as such, never
// retried by the venue: the engine resolves it by querying the client order id.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/clock.h"
#include "core/enums.h"
#include "core/fixed_point.h"
#include "core/ids.h"
#include "core/instrument.h"

namespace tradingd {

struct OrderRequest {
  ClientOrderId client_order_id;
  InstrumentId instrument;
  Side side = Side::Buy;
  OrderType type = OrderType::Market;
  TimeInForce time_in_force = TimeInForce::Gtc;
  Quantity quantity;
  std::optional<Price> price;          // limit price (Limit, StopLimit)
  std::optional<Price> trigger_price;  // stop price (StopMarket, StopLimit)
  bool reduce_only = false;
  // Attached protective prices, sent only to venues with VenueCapabilities::native_sl_tp (the engine
  // emulates the pair locally elsewhere and leaves these empty).
  std::optional<Price> stop_loss;
  std::optional<Price> take_profit;
};

struct CancelRequest {
  InstrumentId instrument;
  ClientOrderId client_order_id;
  VenueOrderId venue_order_id;  // empty when not known yet
};

// Why the venue refused something; adapters map every venue error code onto one of these.
enum class VenueErrorReason : std::uint8_t {
  InsufficientBalance,
  InvalidQuantity,
  InvalidPrice,
  NotionalTooSmall,
  PostOnlyWouldTake,
  FokNotFilled,
  ReduceOnlyRejected,
  UnknownOrder,
  DuplicateClientOrderId,
  UnknownInstrument,
  Timestamp,      // outside the receive window: resync the clock
  RateLimited,    // 429 / venue quota
  IpBanned,       // Binance 418: stop sending to this venue
  Maintenance,
  Authentication,
  Network,        // transport failure before the request was sent
  UnknownOutcome, // sent, no answer: the order may or may not exist
  Other,
};
std::string_view to_string(VenueErrorReason r);

struct VenueError {
  VenueErrorReason reason = VenueErrorReason::Other;
  std::string code;     // the venue's own code ("-2010", "110007", "51008")
  std::string message;  // the venue's text, for logs
};

// --- Events from the venue ------------------------------------------------------------------------------
struct OrderAccepted {
  InstrumentId instrument;
  ClientOrderId client_order_id;
  VenueOrderId venue_order_id;
  UnixNanos ts_event_ns = 0;
};
struct OrderRejected {
  InstrumentId instrument;
  ClientOrderId client_order_id;
  VenueError error;
  UnixNanos ts_event_ns = 0;
};
// The submit was sent but its answer never came (timeout/reset): query before doing anything else.
struct OrderSubmitUnknown {
  InstrumentId instrument;
  ClientOrderId client_order_id;
  UnixNanos ts_event_ns = 0;
};
struct OrderCanceled {
  InstrumentId instrument;
  ClientOrderId client_order_id;
  VenueOrderId venue_order_id;
  UnixNanos ts_event_ns = 0;
};
struct OrderCancelRejected {
  InstrumentId instrument;
  ClientOrderId client_order_id;
  VenueError error;
  UnixNanos ts_event_ns = 0;
};
struct OrderExpired {
  InstrumentId instrument;
  ClientOrderId client_order_id;
  VenueOrderId venue_order_id;
  UnixNanos ts_event_ns = 0;
};
struct OrderTriggered {  // a stop order's trigger fired
  InstrumentId instrument;
  ClientOrderId client_order_id;
  VenueOrderId venue_order_id;
  UnixNanos ts_event_ns = 0;
};
// One execution. trade_id is unique per venue and instrument: the key for idempotent application.
struct OrderFilled {
  InstrumentId instrument;
  ClientOrderId client_order_id;
  VenueOrderId venue_order_id;
  TradeId trade_id;
  Side side = Side::Buy;
  Quantity last_quantity;
  Price last_price;
  Money fee;        // positive = paid; negative = rebate
  Asset fee_asset;  // quote by default; Binance spot buys may charge the received base asset
  LiquiditySide liquidity = LiquiditySide::Taker;
  UnixNanos ts_event_ns = 0;
};

// The venue's view of one order, from a query or a reconciliation listing.
struct OrderStatusReport {
  InstrumentId instrument;
  ClientOrderId client_order_id;
  VenueOrderId venue_order_id;
  Side side = Side::Buy;
  OrderType type = OrderType::Limit;
  TimeInForce time_in_force = TimeInForce::Gtc;
  OrderStatus status = OrderStatus::Accepted;
  Quantity quantity;
  Quantity filled_quantity;
  std::optional<Price> price;
  std::optional<Price> avg_fill_price;
  bool reduce_only = false;
  UnixNanos ts_event_ns = 0;
};

struct Balance {
  Asset asset;
  Money free;
  Money locked;
  Money total() const { return free + locked; }
};
struct PositionReport {
  InstrumentId instrument;
  Quantity quantity;  // signed: long > 0, short < 0
  Price entry_price;
  int leverage = 1;
};
struct AccountReport {
  Venue venue = Venue::Binance;
  std::vector<Balance> balances;
  std::vector<PositionReport> positions;
  UnixNanos ts_event_ns = 0;
};

// The venue's private stream or its connection changed state; trading waits until reconciled again.
struct VenueConnectionChanged {
  Venue venue = Venue::Binance;
  bool connected = false;
  UnixNanos ts_event_ns = 0;
};

using VenueEvent = std::variant<OrderAccepted, OrderRejected, OrderSubmitUnknown, OrderCanceled, OrderCancelRejected,
                                OrderExpired, OrderTriggered, OrderFilled, AccountReport, VenueConnectionChanged>;

class VenueEventSink {
 public:
  virtual ~VenueEventSink() = default;
  virtual void on_venue_event(const VenueEvent& event) = 0;
};

// What a venue can do natively; the engine emulates the rest (e.g. OCO stop-loss/take-profit pairs).
struct VenueCapabilities {
  bool native_stop_orders = true;
  bool native_sl_tp = false;    // attach stop-loss/take-profit to an order
  bool cancel_all = true;       // one call cancels every order of an instrument
  bool dead_man_switch = false; // cancel-all-after / disconnect cancel
  bool amend = false;
};

template <class T>
using VenueCallback = std::function<void(Result<T, VenueError>)>;

class ExecutionVenue {
 public:
  virtual ~ExecutionVenue() = default;
  virtual Venue venue() const = 0;
  virtual VenueCapabilities capabilities() const = 0;
  virtual void set_event_sink(VenueEventSink* sink) = 0;
  // Live adapters open their private stream and keep-alives (dead-man switch, listen key) here and close
  // them in stop(); stop() never cancels the venue's orders. The simulated venue has nothing to do.
  virtual void start() {}
  virtual void stop() {}

  virtual void submit(const OrderRequest& request) = 0;
  virtual void cancel(const CancelRequest& request) = 0;
  // Every open order of one instrument, or of the whole account when instrument is empty.
  virtual void cancel_all(const std::optional<InstrumentId>& instrument) = 0;

  // Queries for reconciliation and unknown outcomes. A missing order is VenueErrorReason::UnknownOrder.
  virtual void query_order(const InstrumentId& instrument, const ClientOrderId& id,
                           VenueCallback<OrderStatusReport> done) = 0;
  virtual void open_orders(const std::optional<InstrumentId>& instrument,
                           VenueCallback<std::vector<OrderStatusReport>> done) = 0;
  // Executions since a time (per instrument where the venue requires one).
  virtual void fills_since(const InstrumentId& instrument, UnixNanos since_ns,
                           VenueCallback<std::vector<OrderFilled>> done) = 0;
  virtual void account(VenueCallback<AccountReport> done) = 0;
  virtual void set_leverage(const InstrumentId& instrument, int leverage, VenueCallback<int> done) = 0;
};

}  // namespace tradingd
