// What the OrderManager tells other components (engine, monitor, portfolio, control API, metrics), and the
// counters it keeps for the metrics layer. Callbacks run synchronously on the event loop, after the
// manager's own bookkeeping is complete, so a listener may call back into the manager (cancel, submit).
#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "exchange/execution_venue.h"
#include "execution/order.h"

namespace tradingd {

struct OrderUpdate {
  const Order& order;
  OrderEvent event;
  OrderStatus previous;
  bool first_ack = false;
  bool first_fill = false;
  bool became_terminal = false;
};

enum class InvariantKind : std::uint8_t {
  Overfill,           // a fill would take filled above quantity
  InvalidFill,        // a fill that cannot be counted safely (no trade id, wrong side, non-positive)
  FixedPointOverflow, // arithmetic outside the fixed-point range
  JournalFailed,      // an intent or event could not be journaled
  ReplayMismatch,     // the journal does not replay cleanly
};
std::string_view to_string(InvariantKind k);

struct InvariantBreak {
  InvariantKind kind = InvariantKind::JournalFailed;
  OrderId order_id = 0;  // 0 when no order is involved
  std::string detail;
};

class OrderListener {
 public:
  virtual ~OrderListener() = default;
  virtual void on_order_updated(const OrderUpdate& /*update*/) {}
  // After on_order_updated for the same event.
  virtual void on_order_filled(const Order& /*order*/, const Fill& /*fill*/) {}
  // The venue could not say whether a submit arrived: the monitor queries it.
  virtual void on_submit_unknown(const Order& /*order*/) {}
  // A venue event about an order we do not hold (a manual order, or a journal that lost it).
  virtual void on_unknown_order_event(const VenueEvent& /*event*/) {}
  virtual void on_account_report(const AccountReport& /*report*/) {}
  virtual void on_venue_connection(const VenueConnectionChanged& /*change*/) {}
  // Trading is halted when this is called: new orders are refused until the daemon restarts.
  virtual void on_invariant_broken(const InvariantBreak& /*what*/) {}
};

// Plain counters: written and read on the event loop only (the metrics scrape runs there too).
struct OrderManagerStats {
  std::array<std::array<std::uint64_t, kOrderEventCount>, kOrderStatusCount> illegal{};  // [status][event]
  std::uint64_t illegal_total = 0;
  std::uint64_t events_applied = 0;
  std::uint64_t fills_applied = 0;
  std::uint64_t duplicate_fills = 0;
  std::uint64_t overfills = 0;
  std::uint64_t invalid_fills = 0;
  std::uint64_t unknown_order_events = 0;
  std::uint64_t instrument_mismatches = 0;
  std::uint64_t submit_unknown = 0;
  std::uint64_t orders_created = 0;
  std::uint64_t orders_sent = 0;
  std::uint64_t local_rejects = 0;
  std::uint64_t journal_failures = 0;
  std::uint64_t invariant_breaks = 0;
};

}  // namespace tradingd
