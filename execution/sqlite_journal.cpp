// The SQLite journal: open/verify/load, the synchronous path, and the group-commit writer thread.
// The event loop never waits for the writer: it reads durable_seq (an atomic) and is told by on_durable.
#include "execution/sqlite_journal.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

#include <sqlite3.h>

namespace tradingd {
namespace {

std::uint64_t now_ns() {
  return static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch()).count());
}

void atomic_max(std::atomic<std::uint64_t>& a, std::uint64_t v) {
  std::uint64_t cur = a.load(std::memory_order_relaxed);
  while (v > cur && !a.compare_exchange_weak(cur, v, std::memory_order_relaxed)) {
  }
}

Err<JournalError> error(JournalErrorKind k, std::string msg) { return Err{JournalError{k, std::move(msg)}}; }

}  // namespace

SqliteJournal::SqliteJournal(std::filesystem::path path, SqliteJournalOptions options, int lock_fd)
    : path_(std::move(path)), interval_ms_(options.commit_interval_ms), on_durable_(std::move(options.on_durable)), lock_fd_(lock_fd) {
  if (interval_ms_ > 0) ring_ = std::make_unique<SpscRing<Queued>>(options.queue_capacity);
}

Result<std::unique_ptr<SqliteJournal>, JournalError> SqliteJournal::open(const std::filesystem::path& path,
                                                                         SqliteJournalOptions options) {
  const std::string p = path.string();
  std::error_code ec;
  if (!std::filesystem::is_directory(path.parent_path().empty() ? "." : path.parent_path(), ec))
    return error(JournalErrorKind::Unreadable, "journal directory " + path.parent_path().string() + " does not exist");
  if (std::filesystem::exists(path, ec)) {
    if (!std::filesystem::is_regular_file(path, ec)) return error(JournalErrorKind::Unreadable, p + " is not a regular file");
    const int fd = ::open(p.c_str(), O_RDWR | O_CLOEXEC);
    if (fd < 0) return error(JournalErrorKind::Unreadable, p + ": " + std::strerror(errno));
    ::close(fd);
  }
  // One writer: a second daemon on the same state directory would double every order.
  const std::string lock_path = p + ".lock";
  const int lock_fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (lock_fd < 0) return error(JournalErrorKind::Unreadable, lock_path + ": " + std::strerror(errno));
  if (::flock(lock_fd, LOCK_EX | LOCK_NB) != 0) {
    ::close(lock_fd);
    return error(JournalErrorKind::Locked, p + " is in use by another process (lock " + lock_path + ")");
  }
  std::unique_ptr<SqliteJournal> j(new SqliteJournal(path, options, lock_fd));

  auto db = SqliteDb::open(p, false, true);
  if (!db) return error(JournalErrorKind::Unreadable, db.error());
  j->db_ = std::move(*db);
  if (auto err = prepare_journal_schema(j->db_, true)) return Err{*err};
  if (auto mode = j->db_.query_text("PRAGMA journal_mode=WAL"); !mode || *mode != "wal")
    return error(JournalErrorKind::Io, "cannot switch the journal to WAL mode: " + j->db_.errmsg());
  if (auto err = j->db_.exec(options.fsync ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL"))
    return error(JournalErrorKind::Io, *err);
  auto snap = read_journal_snapshot(j->db_);
  if (!snap) return Err{snap.error()};
  j->snapshot_ = std::move(*snap);
  j->next_seq_ = j->snapshot_.last_seq;
  j->last_pushed_ = j->next_seq_;
  j->durable_seq_.store(j->next_seq_);
  auto ins = JournalInserts::prepare(j->db_);
  if (!ins) return error(JournalErrorKind::Corrupt, "cannot prepare inserts: " + ins.error());
  j->inserts_.emplace(std::move(*ins));
  if (j->interval_ms_ > 0) j->writer_ = std::thread([raw = j.get()] { raw->writer_main(); });
  return j;
}

SqliteJournal::~SqliteJournal() {
  stop_writer(true);
  inserts_.reset();
  db_ = SqliteDb();
  if (lock_fd_ >= 0) ::close(lock_fd_);  // releases the flock
}

void SqliteJournal::stop_writer(bool commit_pending) {
  if (!writer_.joinable()) return;
  {
    std::lock_guard lk(mu_);
    stop_ = true;
    abandon_ = !commit_pending;
  }
  wake_cv_.notify_one();
  writer_.join();
}

void SqliteJournal::simulate_crash_for_test() { stop_writer(false); }

std::optional<JournalError> SqliteJournal::failure() const {
  if (!failed_.load(std::memory_order_acquire)) return std::nullopt;
  std::lock_guard lk(mu_);
  return JournalError{JournalErrorKind::Io, failure_message_};
}

void SqliteJournal::fail(std::string message) {
  {
    std::lock_guard lk(mu_);
    if (failure_message_.empty()) failure_message_ = std::move(message);
  }
  failed_.store(true, std::memory_order_release);
}

Result<JournalSeq, JournalError> SqliteJournal::append_intent(const OrderIntentRecord& record) { return append(record); }
Result<JournalSeq, JournalError> SqliteJournal::append_event(const OrderEventRecord& record) { return append(record); }

template <class R>
Result<JournalSeq, JournalError> SqliteJournal::append(const R& record) {
  if (failed_.load(std::memory_order_acquire)) return Err{JournalError{JournalErrorKind::Closed, failure()->message}};
  const JournalSeq seq = next_seq_ + 1;
  if (interval_ms_ > 0) {
    if (!ring_->try_push(Queued{seq, record}))
      return error(JournalErrorKind::Backpressure, "group-commit queue full (" + std::to_string(ring_->capacity()) + " records)");
    next_seq_ = seq;
    last_pushed_ = seq;
    return seq;
  }
  const std::uint64_t t0 = now_ns();
  if (auto err = inserts_->insert(seq, record)) {  // autocommit: one transaction, fsynced on return
    fail(*err);
    return error(JournalErrorKind::Io, *err);
  }
  const std::uint64_t dt = now_ns() - t0;
  next_seq_ = seq;
  durable_seq_.store(seq, std::memory_order_release);
  commits_.fetch_add(1, std::memory_order_relaxed);
  records_.fetch_add(1, std::memory_order_relaxed);
  if constexpr (std::is_same_v<R, OrderIntentRecord>) intents_.fetch_add(1, std::memory_order_relaxed);
  write_ns_.fetch_add(dt, std::memory_order_relaxed);
  commit_ns_.fetch_add(dt, std::memory_order_relaxed);
  atomic_max(commit_ns_max_, dt);
  atomic_max(max_batch_, 1);
  return seq;
}

bool SqliteJournal::flush(std::int64_t timeout_ms) {
  if (interval_ms_ <= 0) return !failed_.load();
  const JournalSeq target = last_pushed_;
  std::unique_lock lk(mu_);
  flush_requested_ = true;
  wake_cv_.notify_one();
  return done_cv_.wait_for(lk, std::chrono::milliseconds(timeout_ms), [&] {
    return durable_seq_.load(std::memory_order_acquire) >= target || failed_.load(std::memory_order_acquire);
  }) && !failed_.load();
}

void SqliteJournal::writer_main() {
  std::vector<Queued> batch;
  batch.reserve(1024);
  for (;;) {
    bool stop;
    {
      std::unique_lock lk(mu_);
      wake_cv_.wait_for(lk, std::chrono::milliseconds(interval_ms_), [&] { return stop_ || flush_requested_; });
      flush_requested_ = false;
      if (abandon_) return;
      stop = stop_;
    }
    batch.clear();
    ring_->drain([&](const Queued& q) { batch.push_back(q); });
    if (!batch.empty() && !failed_.load(std::memory_order_acquire) && write_batch(batch) && on_durable_) on_durable_();
    {
      std::lock_guard lk(mu_);  // pairs with flush()'s predicate check
    }
    done_cv_.notify_all();
    if (stop && ring_->empty()) return;
  }
}

bool SqliteJournal::write_batch(const std::vector<Queued>& batch) {
  const std::uint64_t t0 = now_ns();
  if (auto err = db_.exec("BEGIN IMMEDIATE")) {
    fail("begin: " + *err);
    return false;
  }
  std::uint64_t intents = 0;
  for (const auto& q : batch) {
    std::optional<std::string> err = std::visit([&](const auto& r) { return inserts_->insert(q.seq, r); }, q.record);
    if (err) {
      (void)db_.exec("ROLLBACK");
      fail(*err);
      return false;
    }
    if (std::holds_alternative<OrderIntentRecord>(q.record)) ++intents;
  }
  const std::uint64_t t1 = now_ns();
  if (auto err = db_.exec("COMMIT")) {
    (void)db_.exec("ROLLBACK");
    fail("commit: " + *err);
    return false;
  }
  const std::uint64_t t2 = now_ns();
  durable_seq_.store(batch.back().seq, std::memory_order_release);
  commits_.fetch_add(1, std::memory_order_relaxed);
  records_.fetch_add(batch.size(), std::memory_order_relaxed);
  intents_.fetch_add(intents, std::memory_order_relaxed);
  write_ns_.fetch_add(t2 - t0, std::memory_order_relaxed);
  commit_ns_.fetch_add(t2 - t1, std::memory_order_relaxed);
  atomic_max(commit_ns_max_, t2 - t1);
  atomic_max(max_batch_, batch.size());
  return true;
}

JournalStats SqliteJournal::stats() const {
  JournalStats s;
  s.commits = commits_.load();
  s.records = records_.load();
  s.intents = intents_.load();
  s.write_ns_total = write_ns_.load();
  s.commit_ns_total = commit_ns_.load();
  s.commit_ns_max = commit_ns_max_.load();
  s.max_batch = max_batch_.load();
  return s;
}

}  // namespace tradingd
