// SqliteJournal: the write-ahead journal in SQLite (WAL mode, synchronous=FULL: a commit returns after
// fsync). Two modes, from ExecutionConfig::journal_commit_interval_ms:
//  - 0, synchronous: append_*() inserts and commits on the caller's thread; durable on return.
//  - > 0, group commit: append_*() copies the record into a lock-free ring (no I/O, no lock on the event
//    loop); a writer thread commits everything queued once per interval in one transaction (one fsync),
//    then publishes durable_seq() and calls on_durable. The OrderManager sends an intent only once
//    durable_seq() covers it, so nothing the venue sees is missing from disk after a crash; events still
//    in the ring at a crash are re-read from the venue by reconciliation.
// One process at a time: open() takes an exclusive lock on "<path>.lock". A file that is not a journal,
// fails its integrity check or has rows that do not parse is refused with a clear error.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <variant>

#include "execution/journal_codec.h"
#include "execution/order_journal.h"
#include "execution/spsc_ring.h"
#include "execution/sqlite_db.h"

namespace tradingd {

struct SqliteJournalOptions {
  std::int64_t commit_interval_ms = 0;  // 0: synchronous; > 0: group commit every interval
  std::size_t queue_capacity = 16'384;  // group commit: records queued at most (then back-pressure)
  bool fsync = true;                    // false (synchronous=NORMAL) only for tests and benchmarks
  std::function<void()> on_durable;     // group commit: called on the writer thread after each commit
};

// Costs measured by the journal itself (nanoseconds, steady clock).
struct JournalStats {
  std::uint64_t commits = 0;
  std::uint64_t records = 0;
  std::uint64_t intents = 0;
  std::uint64_t write_ns_total = 0;   // inserts + commit
  std::uint64_t commit_ns_total = 0;  // the COMMIT alone: the fsync of the WAL
  std::uint64_t commit_ns_max = 0;
  std::uint64_t max_batch = 0;
};

class SqliteJournal final : public OrderJournal {
 public:
  // Opens (or creates) the journal at path and reads it (snapshot()); the directory must exist.
  static Result<std::unique_ptr<SqliteJournal>, JournalError> open(const std::filesystem::path& path,
                                                                   SqliteJournalOptions options = {});
  // Commits whatever is queued, stops the writer, releases the lock.
  ~SqliteJournal() override;

  Result<JournalSeq, JournalError> append_intent(const OrderIntentRecord& record) override;
  Result<JournalSeq, JournalError> append_event(const OrderEventRecord& record) override;
  JournalSeq durable_seq() const override { return durable_seq_.load(std::memory_order_acquire); }
  std::optional<JournalError> failure() const override;

  // What the file held when opened: feed it to OrderManager::restore().
  const JournalSnapshot& snapshot() const { return snapshot_; }
  const std::string& epoch() const { return snapshot_.epoch; }
  const std::filesystem::path& path() const { return path_; }
  bool group_commit() const { return interval_ms_ > 0; }
  // Blocks until everything appended so far is durable (shutdown, tests); false on failure or timeout.
  bool flush(std::int64_t timeout_ms = 10'000);
  JournalStats stats() const;

  // Tests only: stops the writer WITHOUT committing what is queued, as a crash would.
  void simulate_crash_for_test();

 private:
  struct Queued {
    JournalSeq seq = 0;
    std::variant<OrderIntentRecord, OrderEventRecord> record;
  };

  SqliteJournal(std::filesystem::path path, SqliteJournalOptions options, int lock_fd);
  template <class R>
  Result<JournalSeq, JournalError> append(const R& record);
  void writer_main();
  bool write_batch(const std::vector<Queued>& batch);
  void fail(std::string message);
  void stop_writer(bool commit_pending);

  std::filesystem::path path_;
  std::int64_t interval_ms_;
  std::function<void()> on_durable_;
  int lock_fd_ = -1;
  SqliteDb db_;
  std::optional<JournalInserts> inserts_;
  JournalSnapshot snapshot_;

  // Producer side (event loop).
  JournalSeq next_seq_ = 0;
  JournalSeq last_pushed_ = 0;
  std::unique_ptr<SpscRing<Queued>> ring_;

  std::atomic<JournalSeq> durable_seq_{0};
  std::atomic<bool> failed_{false};
  mutable std::mutex mu_;  // guards the fields below; never taken by append_*()
  std::condition_variable wake_cv_;
  std::condition_variable done_cv_;
  bool stop_ = false;
  bool abandon_ = false;
  bool flush_requested_ = false;
  std::string failure_message_;
  std::thread writer_;

  std::atomic<std::uint64_t> commits_{0}, records_{0}, intents_{0}, write_ns_{0}, commit_ns_{0}, commit_ns_max_{0},
      max_batch_{0};
};

}  // namespace tradingd
