// The write-ahead journal's contract with the OrderManager. The rule that keeps orders from being lost or
// sent twice: an intent is sent only once durable_seq() >= the sequence append_intent() returned (the
// manager enforces it). Venue events are appended after they are applied; losing the newest of them in a
// crash is safe because the venue still has them (reconciliation re-reads and de-duplicates by trade id).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "exchange/execution_venue.h"
#include "execution/order_spec.h"
#include "execution/order_state.h"

namespace tradingd {

using JournalSeq = std::uint64_t;

enum class JournalErrorKind : std::uint8_t {
  Unreadable,      // cannot open or read the file
  Corrupt,         // not a database, failed integrity check, or rows that do not parse
  SchemaMismatch,  // another application's database, or a schema version this build does not know
  Locked,          // another process holds the journal
  Io,              // a write or commit failed (disk full, I/O error)
  Backpressure,    // the group-commit queue is full: the intent was not taken (not sent either)
  Closed,          // the journal failed earlier or was stopped
};
std::string_view to_string(JournalErrorKind k);

struct JournalError {
  JournalErrorKind kind = JournalErrorKind::Io;
  std::string message;
};

struct OrderIntentRecord {
  OrderId order_id = 0;
  ClientOrderId client_order_id;
  OrderSpec spec;
  UnixNanos ts_ns = 0;  // local time the intent was created
};

// One applied event. Fill fields are set for PartialFill/Fill, error fields for Reject/CancelReject.
struct OrderEventRecord {
  OrderId order_id = 0;
  OrderEvent event = OrderEvent::Accept;
  UnixNanos ts_event_ns = 0;  // venue time (0 for local events)
  UnixNanos ts_ns = 0;        // local time it was applied
  VenueOrderId venue_order_id;
  TradeId trade_id;
  Quantity last_quantity;
  Price last_price;
  Money fee;
  Asset fee_asset;
  LiquiditySide liquidity = LiquiditySide::Taker;
  VenueErrorReason reason = VenueErrorReason::Other;
  InlineString<15> code;
  InlineString<95> message;  // truncated venue text
};

// Everything a journal held when it was opened, in application order.
struct JournalSnapshot {
  std::vector<OrderIntentRecord> intents;  // by order id
  std::vector<OrderEventRecord> events;    // by sequence
  JournalSeq last_seq = 0;
  std::string epoch;  // drawn at creation; part of the client order id prefix
};

class OrderJournal {
 public:
  virtual ~OrderJournal() = default;
  // Queues (group commit) or writes and commits (synchronous) the intent; the sequence to wait for.
  virtual Result<JournalSeq, JournalError> append_intent(const OrderIntentRecord& record) = 0;
  virtual Result<JournalSeq, JournalError> append_event(const OrderEventRecord& record) = 0;
  // Every record with a sequence <= this is on disk (fsynced). Safe to call from the event loop.
  virtual JournalSeq durable_seq() const = 0;
  // Set once the journal can no longer make records durable (e.g. a group commit failed): queued intents
  // will never become durable and must not be sent.
  virtual std::optional<JournalError> failure() const { return std::nullopt; }
  // False when nothing ever reads the records' contents (a MemoryJournal that keeps no records: a
  // backtest). The manager then appends records holding only the order id (and the event's kind) instead
  // of building each one in full; the sequencing, and so "journaled before sent", is the same either way.
  // Fixed for the journal's life.
  virtual bool keeps_contents() const { return true; }
};

// Copies text into an inline string, cutting it at the capacity (venue messages can be long).
template <std::size_t N>
InlineString<N> truncated(std::string_view s) {
  return *InlineString<N>::make(s.substr(0, N));
}

std::optional<VenueErrorReason> parse_venue_error_reason(std::string_view s);
std::optional<LiquiditySide> parse_liquidity_side(std::string_view s);

}  // namespace tradingd
