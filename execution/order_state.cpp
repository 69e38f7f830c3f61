// The transition table. Read it top to bottom: one legal edge per line, grouped by the status it leaves.
// Fills are facts about money: once an order reached the venue, a fill that fits its quantity is never
// dropped, even after a terminal report (the venue matched before it canceled/expired, and said so late).
#include "execution/order_state.h"

#include <array>

namespace tradingd {
namespace {

using S = OrderStatus;
using E = OrderEvent;

constexpr TransitionTarget to(OrderStatus s) { return TransitionTarget{false, s}; }
constexpr TransitionTarget kResume{true, OrderStatus::Initialized};

constexpr TransitionEdge kTable[] = {
    // Initialized: created, intent not yet durable (group commit) or not yet sent.
    {S::Initialized, E::Submit, to(S::Submitted)},
    {S::Initialized, E::Reject, to(S::Rejected)},  // refused locally before sending (journal failure)
    {S::Initialized, E::Cancel, to(S::Canceled)},  // canceled while awaiting its journal commit: never sent

    // Submitted: sent; until the venue answers its fate is unknown.
    {S::Submitted, E::Accept, to(S::Accepted)},
    {S::Submitted, E::Reject, to(S::Rejected)},
    {S::Submitted, E::Trigger, to(S::Accepted)},              // a trigger proves the venue holds the order
    {S::Submitted, E::PartialFill, to(S::PartiallyFilled)},   // fill before ack: the stream beat the REST answer
    {S::Submitted, E::Fill, to(S::Filled)},                   // fill before ack
    {S::Submitted, E::CancelRequest, to(S::PendingCancel)},   // cancel by client id before the ack
    {S::Submitted, E::CancelReject, to(S::Submitted)},        // late reply to a repeated cancel request
    {S::Submitted, E::Cancel, to(S::Canceled)},               // IOC/FOK canceled before the ack arrived
    {S::Submitted, E::Expire, to(S::Expired)},                // IOC/FOK expired before the ack arrived

    // Accepted: live at the venue, nothing filled.
    {S::Accepted, E::Accept, to(S::Accepted)},                // duplicate ack (stream and REST answer)
    {S::Accepted, E::Reject, to(S::Rejected)},                // a stop order refused when it triggers
    {S::Accepted, E::Trigger, to(S::Accepted)},
    {S::Accepted, E::PartialFill, to(S::PartiallyFilled)},
    {S::Accepted, E::Fill, to(S::Filled)},
    {S::Accepted, E::CancelRequest, to(S::PendingCancel)},
    {S::Accepted, E::CancelReject, to(S::Accepted)},          // late reply to a repeated cancel request
    {S::Accepted, E::Cancel, to(S::Canceled)},                // unsolicited: venue cancel, cancel-all, self-trade
    {S::Accepted, E::Expire, to(S::Expired)},

    // PartiallyFilled
    {S::PartiallyFilled, E::Accept, to(S::PartiallyFilled)},  // late ack after a fill before ack
    {S::PartiallyFilled, E::Trigger, to(S::PartiallyFilled)}, // late trigger report
    {S::PartiallyFilled, E::PartialFill, to(S::PartiallyFilled)},
    {S::PartiallyFilled, E::Fill, to(S::Filled)},
    {S::PartiallyFilled, E::CancelRequest, to(S::PendingCancel)},
    {S::PartiallyFilled, E::CancelReject, to(S::PartiallyFilled)},  // late reply to a repeated cancel request
    {S::PartiallyFilled, E::Cancel, to(S::Canceled)},
    {S::PartiallyFilled, E::Expire, to(S::Expired)},          // IOC remainder

    // PendingCancel: a cancel is in flight and the order may still fill.
    {S::PendingCancel, E::Accept, to(S::PendingCancel)},      // ack of an order canceled before its ack
    {S::PendingCancel, E::Reject, to(S::Rejected)},           // the order itself was refused (cancel sent before its ack)
    {S::PendingCancel, E::Trigger, to(S::PendingCancel)},
    {S::PendingCancel, E::PartialFill, to(S::PendingCancel)}, // fill after the cancel request: the cancel is still in flight
    {S::PendingCancel, E::Fill, to(S::Filled)},               // the cancel lost the race to the last fill
    {S::PendingCancel, E::CancelRequest, to(S::PendingCancel)},  // repeated request (cancel-all after cancel)
    {S::PendingCancel, E::CancelReject, kResume},             // the cancel failed: back to the live status
    {S::PendingCancel, E::Cancel, to(S::Canceled)},
    {S::PendingCancel, E::Expire, to(S::Expired)},

    // Filled: terminal. Late reports about it change nothing.
    {S::Filled, E::Accept, to(S::Filled)},                    // late ack after a fill before ack
    {S::Filled, E::Trigger, to(S::Filled)},                   // late trigger report
    {S::Filled, E::CancelReject, to(S::Filled)},              // the cancel lost the race to the last fill
    {S::Filled, E::Cancel, to(S::Filled)},                    // cancel-ack after the full fill: the fill stands
    {S::Filled, E::Expire, to(S::Filled)},                    // expiry report racing the final fill

    // Canceled: terminal, but fills matched before the cancel may still be reported.
    {S::Canceled, E::Accept, to(S::Canceled)},                // late ack of an IOC canceled before its ack
    {S::Canceled, E::PartialFill, to(S::Canceled)},           // fill after cancel: matched before it, reported after
    {S::Canceled, E::Fill, to(S::Filled)},                    // the whole rest matched before the cancel took effect
    {S::Canceled, E::CancelReject, to(S::Canceled)},          // reply to a repeated cancel request
    {S::Canceled, E::Cancel, to(S::Canceled)},                // duplicate cancel report

    // Expired: as Canceled (an IOC's fills often arrive after its expiry report).
    {S::Expired, E::Accept, to(S::Expired)},
    {S::Expired, E::PartialFill, to(S::Expired)},             // IOC fills reported after its expiry
    {S::Expired, E::Fill, to(S::Filled)},
    {S::Expired, E::CancelReject, to(S::Expired)},
    {S::Expired, E::Expire, to(S::Expired)},                  // duplicate expiry report

    // Rejected: terminal. A reject we inferred from a "not found" query can be wrong (the request reached
    // the venue late): money that moved still counts.
    {S::Rejected, E::Reject, to(S::Rejected)},                // duplicate reject (stream and REST answer)
    {S::Rejected, E::PartialFill, to(S::Rejected)},
    {S::Rejected, E::Fill, to(S::Filled)},
};

constexpr detail::TransitionMatrix build_matrix() {
  detail::TransitionMatrix m{};
  for (const auto& e : kTable) {
    auto& cell = m[static_cast<std::size_t>(e.from)][static_cast<std::size_t>(e.event)];
    if (cell.legal) throw "duplicate edge in the order transition table";  // fails the constant evaluation
    cell = detail::TransitionCell{true, e.to};
  }
  return m;
}

constexpr std::array<std::string_view, kOrderEventCount> kEventNames{
    "submit", "accept", "reject", "trigger", "partial_fill", "fill", "cancel_request", "cancel_reject", "cancel",
    "expire"};

}  // namespace

constexpr detail::TransitionMatrix detail::kTransitionMatrix = build_matrix();

std::string_view to_string(OrderEvent e) {
  const auto i = static_cast<std::size_t>(e);
  return i < kEventNames.size() ? kEventNames[i] : "unknown";
}

std::optional<OrderEvent> parse_order_event(std::string_view s) {
  for (std::size_t i = 0; i < kEventNames.size(); ++i)
    if (kEventNames[i] == s) return static_cast<OrderEvent>(i);
  return std::nullopt;
}

std::span<const TransitionEdge> transition_table() { return kTable; }

}  // namespace tradingd
