// Order state changes. Each mutator computes everything it will change first and assigns last, so an
// overflow (thrown by checked arithmetic) leaves the order exactly as it was.
#include "execution/order.h"

#include <algorithm>

namespace tradingd {
namespace {

__extension__ using Int128 = __int128;

// n / d rounded as asked (d > 0).
Int128 div_round(Int128 n, Int128 d, Rounding mode) {
  Int128 q = n / d;
  const Int128 r = n % d;
  if (r == 0) return q;
  const bool negative = n < 0;
  switch (mode) {
    case Rounding::TowardZero: return q;
    case Rounding::Down: return negative ? q - 1 : q;
    case Rounding::Up: return negative ? q : q + 1;
    case Rounding::Nearest: {
      const Int128 ar = r < 0 ? -r : r;
      if (2 * ar >= d) return negative ? q - 1 : q + 1;
      return q;
    }
  }
  return q;
}

std::int64_t to_int64(Int128 v) {
  if (v > INT64_MAX || v < -INT64_MAX) throw FixedPointOverflow("fixed-point overflow in order fill value");
  return static_cast<std::int64_t>(v);
}

}  // namespace

std::string_view to_string(ApplyOutcome o) {
  switch (o) {
    case ApplyOutcome::Applied: return "applied";
    case ApplyOutcome::Illegal: return "illegal";
    case ApplyOutcome::DuplicateFill: return "duplicate_fill";
    case ApplyOutcome::Overfill: return "overfill";
    case ApplyOutcome::InvalidFill: return "invalid_fill";
  }
  return "unknown";
}

Order::Order(OrderId id, ClientOrderId client_order_id, const OrderSpec& spec, UnixNanos ts_init_ns)
    : id_(id), client_order_id_(client_order_id), spec_(spec), ts_init_ns_(ts_init_ns), ts_last_ns_(ts_init_ns) {}

ApplyResult Order::transition(OrderEvent event, LocalStamp now, bool acks) {
  ApplyResult r;
  r.event = event;
  r.previous = status_;
  // next_status() spelled out on the matrix cell: the same answer, without the two optionals it builds.
  const auto from = static_cast<std::size_t>(status_);
  const auto ev = static_cast<std::size_t>(event);
  if (from >= kOrderStatusCount || ev >= kOrderEventCount || !detail::kTransitionMatrix[from][ev].legal) {
    r.outcome = ApplyOutcome::Illegal;
    return r;
  }
  const TransitionTarget to = detail::kTransitionMatrix[from][ev].to;
  const OrderStatus next = !to.resume            ? to.status
                           : filled_.is_positive() ? OrderStatus::PartiallyFilled
                           : (acked_ || acks)      ? OrderStatus::Accepted
                                                   : OrderStatus::Submitted;
  r.first_ack = acks && !acked_;
  r.became_terminal = !tradingd::is_terminal(status_) && tradingd::is_terminal(next);
  status_ = next;
  if (acks) {
    if (!acked_) acked_at_ = now;
    acked_ = true;
    outcome_unknown_ = false;
  }
  if (event == OrderEvent::Submit) submitted_at_ = now;
  if (event == OrderEvent::CancelRequest) cancel_requested_at_ = now;
  // Any venue answer about the order settles an unknown submit outcome.
  if (event != OrderEvent::Submit && event != OrderEvent::CancelRequest) outcome_unknown_ = false;
  ts_last_ns_ = std::max(ts_last_ns_, now.wall_ns);
  return r;
}

ApplyResult Order::apply(OrderEvent event, LocalStamp now) {
  if (event == OrderEvent::PartialFill || event == OrderEvent::Fill) {
    ApplyResult r;  // fills need their data: apply_fill
    r.event = event;
    r.previous = status_;
    r.outcome = ApplyOutcome::InvalidFill;
    return r;
  }
  return transition(event, now, event == OrderEvent::Accept || event == OrderEvent::Trigger);
}

ApplyResult Order::accept(const VenueOrderId& venue_order_id, LocalStamp now) {
  ApplyResult r = transition(OrderEvent::Accept, now, true);
  if (r.applied() && !venue_order_id.empty()) learn_venue_order_id(venue_order_id);
  return r;
}

bool Order::has_trade(const TradeId& trade_id) const {
  return std::any_of(fills_.begin(), fills_.end(), [&](const Fill& f) { return f.trade_id == trade_id; });
}

ApplyResult Order::apply_fill(const Fill& fill, LocalStamp now) {
  ApplyResult r;
  r.previous = status_;
  r.event = OrderEvent::PartialFill;
  if (fill.trade_id.empty() || !fill.quantity.is_positive() || !fill.price.is_positive()) {
    r.outcome = ApplyOutcome::InvalidFill;
    return r;
  }
  // Duplicates first: the second copy of the final fill is a duplicate, not an over-fill.
  if (!fills_.empty() && has_trade(fill.trade_id)) {  // the first fill (most orders' only one) skips the call
    r.outcome = ApplyOutcome::DuplicateFill;
    return r;
  }
  const auto new_filled = filled_.checked_plus(fill.quantity);
  if (!new_filled || *new_filled > spec_.quantity) {
    r.outcome = ApplyOutcome::Overfill;
    return r;
  }
  const OrderEvent event = *new_filled == spec_.quantity ? OrderEvent::Fill : OrderEvent::PartialFill;
  if (!find_transition(status_, event)) {
    r.event = event;
    r.outcome = ApplyOutcome::Illegal;
    return r;
  }
  // Compute every new value before changing anything (checked arithmetic may throw).
  const Int128 new_value = fill_value_ + static_cast<Int128>(fill.price.raw()) * fill.quantity.raw();
  const bool charges_fee = !fill.fee.is_zero() || !fill.fee_asset.empty();
  AssetAmount* fee_slot = nullptr;
  Money new_fee = fill.fee;
  if (charges_fee) {
    fee_slot = std::find_if(fees_.begin(), fees_.end(), [&](const AssetAmount& a) { return a.asset == fill.fee_asset; });
    if (fee_slot == fees_.end()) {
      fee_slot = nullptr;
      if (!fees_.empty()) fees_.reserve(fees_.size() + 1);  // the first fee asset has its inline slot
    } else {
      new_fee = fee_slot->amount + fill.fee;
    }
  }
  if (!fills_.empty()) fills_.reserve(fills_.size() + 1);  // the first fill has its inline slot

  const bool first_fill = filled_.is_zero();
  r = transition(event, now, true);
  r.first_fill = first_fill;
  filled_ = *new_filled;
  fill_value_ = new_value;
  if (fee_slot) fee_slot->amount = new_fee;
  else if (charges_fee) fees_.push_back(AssetAmount{fill.fee_asset, fill.fee});
  fills_.push_back(fill);
  if (first_fill) first_fill_at_ = now;
  if (!fill.venue_order_id.empty()) learn_venue_order_id(fill.venue_order_id);
  return r;
}

std::optional<Price> Order::avg_price(Rounding mode) const {
  if (!filled_.is_positive()) return std::nullopt;
  return Price::from_raw(to_int64(div_round(fill_value_, filled_.raw(), mode)));
}

Money Order::fill_notional(Rounding mode) const {
  return Money::from_raw(to_int64(div_round(fill_value_, fixed::kScale, mode)));
}

Money Order::fee_in(const Asset& asset) const {
  for (const auto& f : fees_)
    if (f.asset == asset) return f.amount;
  return Money::zero();
}

}  // namespace tradingd
