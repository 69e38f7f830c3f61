// MemoryJournal: an OrderJournal in memory, for tests, backtests and the benchmark. Durable at once by
// default; with manual durability it models a group commit (nothing is durable until make_durable()),
// and fail_appends() models a failed disk.
#pragma once

#include <deque>
#include <optional>
#include <utility>

#include "execution/order_journal.h"

namespace tradingd {

class MemoryJournal final : public OrderJournal {
 public:
  explicit MemoryJournal(bool manual_durability = false) : manual_(manual_durability) {}

  Result<JournalSeq, JournalError> append_intent(const OrderIntentRecord& record) override;
  Result<JournalSeq, JournalError> append_event(const OrderEventRecord& record) override;
  JournalSeq durable_seq() const override { return manual_ ? durable_ : last_; }
  std::optional<JournalError> failure() const override { return commit_failure_; }

  void make_durable() { durable_ = last_; }
  void make_durable_up_to(JournalSeq seq) { durable_ = seq < last_ ? seq : last_; }
  // Every later append fails with this error (nullopt: appends work again).
  void fail_appends(std::optional<JournalError> error) { failure_ = std::move(error); }
  // Models a failed group commit: queued records never become durable.
  void fail_commits(std::optional<JournalError> error) { commit_failure_ = std::move(error); }
  // What a restart would read: only durable records (a crash loses the rest).
  JournalSnapshot durable_snapshot() const;
  void clear() { intents_.clear(); events_.clear(); }
  std::size_t intent_count() const { return intents_.size(); }
  std::size_t event_count() const { return events_.size(); }

 private:
  bool manual_;
  JournalSeq last_ = 0;
  JournalSeq durable_ = 0;
  std::optional<JournalError> failure_;
  std::optional<JournalError> commit_failure_;
  // Deques: a backtest appends every record of the run, and a growing vector would copy all the records
  // (strings inside) again on each doubling.
  std::deque<std::pair<JournalSeq, OrderIntentRecord>> intents_;
  std::deque<std::pair<JournalSeq, OrderEventRecord>> events_;
};

}  // namespace tradingd
