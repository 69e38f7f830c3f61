// Order: one order's state. Every change goes through apply()/accept()/apply_fill(), which ask the
// transition table first; an illegal event changes nothing. Invariants: filled <= quantity (an over-fill
// is refused, not applied); each venue trade id counts once; the average price is exact (the sum of
// price x quantity is kept in 128 bits and divided once, with the caller's rounding); fees are kept per asset.
#pragma once

#include <cstdint>
#include <optional>
#include <span>

#include "core/clock.h"
#include "core/fixed_point.h"
#include "core/ids.h"
#include "core/instrument.h"
#include "execution/inline_vector.h"
#include "execution/order_spec.h"
#include "execution/order_state.h"

namespace tradingd {

struct Fill {
  TradeId trade_id;
  VenueOrderId venue_order_id;
  Quantity quantity;
  Price price;
  Money fee;  // positive = paid, negative = rebate
  Asset fee_asset;
  LiquiditySide liquidity = LiquiditySide::Taker;
  UnixNanos ts_event_ns = 0;
};

struct AssetAmount {
  Asset asset;
  Money amount;
};

enum class ApplyOutcome : std::uint8_t {
  Applied,
  Illegal,        // the table has no edge for (status, event): ignored
  DuplicateFill,  // this trade id was applied already: ignored
  Overfill,       // would take filled above quantity: an invariant break, not applied
  InvalidFill,    // non-positive quantity/price or no trade id: cannot be counted safely, not applied
};
std::string_view to_string(ApplyOutcome o);

struct ApplyResult {
  ApplyOutcome outcome = ApplyOutcome::Applied;
  OrderEvent event = OrderEvent::Submit;
  OrderStatus previous = OrderStatus::Initialized;
  bool first_ack = false;        // the venue holds the order (ack, trigger or fill) for the first time
  bool first_fill = false;
  bool became_terminal = false;  // the order left the open statuses with this event
  bool applied() const { return outcome == ApplyOutcome::Applied; }
};

// Local time of an event: wall for reports and timeouts, monotonic for latency (0 when unknown: replay).
struct LocalStamp {
  UnixNanos wall_ns = 0;
  std::int64_t mono_ns = 0;
};

class Order {
 public:
  Order(OrderId id, ClientOrderId client_order_id, const OrderSpec& spec, UnixNanos ts_init_ns);

  // Any event but a fill (use apply_fill) or an ack that carries the venue's order id (use accept).
  ApplyResult apply(OrderEvent event, LocalStamp now);
  ApplyResult accept(const VenueOrderId& venue_order_id, LocalStamp now);
  // Classified as PartialFill or Fill by the resulting filled quantity.
  ApplyResult apply_fill(const Fill& fill, LocalStamp now);
  // The venue's id, learned from any event that carries it (the first one wins).
  void learn_venue_order_id(const VenueOrderId& id) {
    if (venue_order_id_.empty()) venue_order_id_ = id;
  }

  OrderId id() const { return id_; }
  const ClientOrderId& client_order_id() const { return client_order_id_; }
  const VenueOrderId& venue_order_id() const { return venue_order_id_; }
  const OrderSpec& spec() const { return spec_; }
  const InstrumentId& instrument() const { return spec_.instrument; }
  Side side() const { return spec_.side; }
  OrderStatus status() const { return status_; }
  bool is_open() const { return tradingd::is_open(status_); }
  bool is_terminal() const { return tradingd::is_terminal(status_); }
  // The venue holds (or held) the order: acked, triggered or filled.
  bool acked() const { return acked_; }

  Quantity quantity() const { return spec_.quantity; }
  Quantity filled_quantity() const { return filled_; }
  Quantity leaves_quantity() const { return spec_.quantity - filled_; }
  // The exact volume-weighted average fill price, rounded once; nullopt before any fill.
  std::optional<Price> avg_price(Rounding mode = Rounding::Nearest) const;
  // Sum of price x quantity over the fills, rounded once (throws FixedPointOverflow beyond Money's range).
  Money fill_notional(Rounding mode = Rounding::Nearest) const;
  std::span<const AssetAmount> fees() const { return {fees_.data(), fees_.size()}; }
  Money fee_in(const Asset& asset) const;
  std::span<const Fill> fills() const { return {fills_.data(), fills_.size()}; }
  bool has_trade(const TradeId& trade_id) const;

  UnixNanos ts_init_ns() const { return ts_init_ns_; }
  UnixNanos ts_last_ns() const { return ts_last_ns_; }
  LocalStamp submitted_at() const { return submitted_at_; }
  LocalStamp acked_at() const { return acked_at_; }
  LocalStamp first_fill_at() const { return first_fill_at_; }
  LocalStamp cancel_requested_at() const { return cancel_requested_at_; }

  // Set when the venue said the submit's outcome is unknown; cleared once the venue answered about it.
  bool outcome_unknown() const { return outcome_unknown_; }
  void set_outcome_unknown(bool v) { outcome_unknown_ = v; }

 private:
  __extension__ using Int128 = __int128;

  ApplyResult transition(OrderEvent event, LocalStamp now, bool acks);

  OrderId id_;
  ClientOrderId client_order_id_;
  VenueOrderId venue_order_id_;
  OrderSpec spec_;
  OrderStatus status_ = OrderStatus::Initialized;
  bool acked_ = false;
  bool outcome_unknown_ = false;
  Quantity filled_;
  Int128 fill_value_ = 0;  // sum of price.raw() * quantity.raw(): exact, scale 1e-18
  // One inline: most orders fill once, in one fee asset.
  InlineVector<AssetAmount, 1> fees_;
  InlineVector<Fill, 1> fills_;
  UnixNanos ts_init_ns_ = 0;
  UnixNanos ts_last_ns_ = 0;
  LocalStamp submitted_at_;
  LocalStamp acked_at_;
  LocalStamp first_fill_at_;
  LocalStamp cancel_requested_at_;
};

}  // namespace tradingd
