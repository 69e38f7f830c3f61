// MemoryJournal: an OrderJournal in memory, for tests, backtests and the benchmark. Durable at once by
// default; with manual durability it models a group commit (nothing is durable until make_durable()),
// and fail_appends() models a failed disk.
#pragma once

#include <optional>
#include <utility>

#include "execution/chunked_log.h"
#include "execution/order_journal.h"

namespace tradingd {

struct MemoryJournalOptions {
  bool manual_durability = false;
  // false: appends are counted and sequenced but the records are not kept (durable_snapshot() holds none).
  // For runs nothing ever restores from, such as a backtest: its memory then stays flat however long it runs.
  bool keep_records = true;
};

class MemoryJournal final : public OrderJournal {
 public:
  explicit MemoryJournal(bool manual_durability = false) : MemoryJournal(MemoryJournalOptions{manual_durability, true}) {}
  explicit MemoryJournal(MemoryJournalOptions options) : manual_(options.manual_durability), keep_(options.keep_records) {}

  Result<JournalSeq, JournalError> append_intent(const OrderIntentRecord& record) override;
  Result<JournalSeq, JournalError> append_event(const OrderEventRecord& record) override;
  JournalSeq durable_seq() const override { return manual_ ? durable_ : last_; }
  std::optional<JournalError> failure() const override { return commit_failure_; }
  bool keeps_contents() const override { return keep_; }

  void make_durable() { durable_ = last_; }
  void make_durable_up_to(JournalSeq seq) { durable_ = seq < last_ ? seq : last_; }
  // Every later append fails with this error (nullopt: appends work again).
  void fail_appends(std::optional<JournalError> error) { failure_ = std::move(error); }
  // Models a failed group commit: queued records never become durable.
  void fail_commits(std::optional<JournalError> error) { commit_failure_ = std::move(error); }
  // What a restart would read: only durable records (a crash loses the rest).
  JournalSnapshot durable_snapshot() const;
  void clear() {
    intents_.clear();
    events_.clear();
    intent_count_ = event_count_ = 0;
  }
  std::size_t intent_count() const { return intent_count_; }
  std::size_t event_count() const { return event_count_; }

 private:
  bool manual_;
  bool keep_;
  std::size_t intent_count_ = 0;
  std::size_t event_count_ = 0;
  JournalSeq last_ = 0;
  JournalSeq durable_ = 0;
  std::optional<JournalError> failure_;
  std::optional<JournalError> commit_failure_;
  // Chunked: a backtest appends every record of the run; a vector would copy them all on each doubling,
  // and a deque allocates per record at this record size.
  ChunkedLog<std::pair<JournalSeq, OrderIntentRecord>, 64> intents_;
  ChunkedLog<std::pair<JournalSeq, OrderEventRecord>, 64> events_;
};

}  // namespace tradingd
