// The order lifecycle as ONE transition table: (status, event) -> next status. Every edge the engine
// accepts is one line in order_state.cpp; any other pair is illegal, and the caller counts it and changes
// nothing. Surprising edges (venues report out of order) carry a one-line comment there.
// PendingUpdate has no edge in or out: ExecutionVenue has no amend yet.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "core/enums.h"

namespace tradingd {

// What happened to an order. Fills are split by their effect: PartialFill leaves quantity open, Fill
// completes it (Order::apply_fill decides which from the quantities).
enum class OrderEvent : std::uint8_t {
  Submit,         // intent durable in the journal, request handed to the venue
  Accept,         // the venue acknowledged the order
  Reject,         // the venue (or we, before sending) refused the order
  Trigger,        // a stop order's trigger fired
  PartialFill,
  Fill,
  CancelRequest,  // we asked the venue to cancel
  CancelReject,   // the venue refused the cancel: the order lives on
  Cancel,         // the venue canceled the order (or we did, before it was ever sent)
  Expire,         // time in force ran out (IOC/FOK remainder, good-till-date)
};
inline constexpr std::size_t kOrderEventCount = 10;
inline constexpr std::size_t kOrderStatusCount = 10;

std::string_view to_string(OrderEvent e);
std::optional<OrderEvent> parse_order_event(std::string_view s);

// Where an edge leads: a fixed status, or Resume: back to the live status the order would have without
// the pending request (PartiallyFilled if anything filled, else Accepted if acked, else Submitted).
struct TransitionTarget {
  bool resume = false;
  OrderStatus status = OrderStatus::Initialized;
};

struct TransitionEdge {
  OrderStatus from;
  OrderEvent event;
  TransitionTarget to;
};

// The facts Resume needs; everything else is decided by (status, event) alone.
struct TransitionFacts {
  bool acked = false;
  bool has_fills = false;
};

// The table itself, one entry per legal edge (for tests and documentation).
std::span<const TransitionEdge> transition_table();

namespace detail {
// The table as a [status][event] matrix, built from it at compile time (order_state.cpp). Declared here so
// the lookups below inline into Order's mutators: every order event goes through one.
struct TransitionCell {
  bool legal = false;
  TransitionTarget to;
};
using TransitionMatrix = std::array<std::array<TransitionCell, kOrderEventCount>, kOrderStatusCount>;
extern const TransitionMatrix kTransitionMatrix;
}  // namespace detail

// The raw target of an edge, or nullopt when the event is illegal in this status.
inline std::optional<TransitionTarget> find_transition(OrderStatus from, OrderEvent event) {
  const auto s = static_cast<std::size_t>(from);
  const auto e = static_cast<std::size_t>(event);
  if (s >= kOrderStatusCount || e >= kOrderEventCount) return std::nullopt;
  const detail::TransitionCell& c = detail::kTransitionMatrix[s][e];
  if (!c.legal) return std::nullopt;
  return c.to;
}
// The concrete next status (Resume resolved with facts), or nullopt when illegal.
inline std::optional<OrderStatus> next_status(OrderStatus from, OrderEvent event, TransitionFacts facts) {
  const auto t = find_transition(from, event);
  if (!t) return std::nullopt;
  if (!t->resume) return t->status;
  if (facts.has_fills) return OrderStatus::PartiallyFilled;
  return facts.acked ? OrderStatus::Accepted : OrderStatus::Submitted;
}

}  // namespace tradingd
