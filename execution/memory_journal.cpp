// In-memory journal and the enum names the journals share.
#include "execution/memory_journal.h"

#include <algorithm>

namespace tradingd {

std::string_view to_string(JournalErrorKind k) {
  switch (k) {
    case JournalErrorKind::Unreadable: return "unreadable";
    case JournalErrorKind::Corrupt: return "corrupt";
    case JournalErrorKind::SchemaMismatch: return "schema_mismatch";
    case JournalErrorKind::Locked: return "locked";
    case JournalErrorKind::Io: return "io";
    case JournalErrorKind::Backpressure: return "backpressure";
    case JournalErrorKind::Closed: return "closed";
  }
  return "unknown";
}

std::optional<VenueErrorReason> parse_venue_error_reason(std::string_view s) {
  for (int i = 0; i <= static_cast<int>(VenueErrorReason::Other); ++i) {
    const auto r = static_cast<VenueErrorReason>(i);
    if (to_string(r) == s) return r;
  }
  return std::nullopt;
}

std::optional<LiquiditySide> parse_liquidity_side(std::string_view s) {
  if (s == to_string(LiquiditySide::Maker)) return LiquiditySide::Maker;
  if (s == to_string(LiquiditySide::Taker)) return LiquiditySide::Taker;
  return std::nullopt;
}

Result<JournalSeq, JournalError> MemoryJournal::append_intent(const OrderIntentRecord& record) {
  if (failure_) return Err{*failure_};
  ++intent_count_;
  if (keep_) intents_.emplace_back(last_ + 1, record);
  return ++last_;
}

Result<JournalSeq, JournalError> MemoryJournal::append_event(const OrderEventRecord& record) {
  if (failure_) return Err{*failure_};
  ++event_count_;
  if (keep_) events_.emplace_back(last_ + 1, record);
  return ++last_;
}

JournalSnapshot MemoryJournal::durable_snapshot() const {
  JournalSnapshot s;
  const JournalSeq durable = durable_seq();
  intents_.for_each([&](const auto& e) {
    if (e.first <= durable) s.intents.push_back(e.second);
  });
  events_.for_each([&](const auto& e) {
    if (e.first <= durable) s.events.push_back(e.second);
  });
  std::sort(s.intents.begin(), s.intents.end(), [](const auto& a, const auto& b) { return a.order_id < b.order_id; });
  s.last_seq = durable;
  return s;
}

}  // namespace tradingd
