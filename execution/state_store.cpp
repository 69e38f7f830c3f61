// The generic state tables. Statements are prepared per call: these writes are rare and each costs an
// fsync, which dwarfs preparing.
#include "execution/state_store.h"

#include <sqlite3.h>

#include "execution/journal_codec.h"

namespace tradingd {
namespace {

Err<JournalError> io(SqliteDb& db, std::string_view what) {
  return Err{JournalError{JournalErrorKind::Io, std::string(what) + ": " + db.errmsg()}};
}

}  // namespace

Result<std::unique_ptr<StateStore>, JournalError> StateStore::open(const std::filesystem::path& journal_path, bool fsync) {
  auto db = SqliteDb::open(journal_path.string(), false, true);
  if (!db) return Err{JournalError{JournalErrorKind::Unreadable, db.error()}};
  // The journal verifies the whole file at its own open; here only the header and schema.
  if (auto err = prepare_journal_schema(*db, true, false)) return Err{*err};
  if (auto mode = db->query_text("PRAGMA journal_mode=WAL"); !mode || *mode != "wal")
    return Err{JournalError{JournalErrorKind::Io, "cannot switch to WAL mode: " + db->errmsg()}};
  if (auto err = db->exec(fsync ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL"))
    return Err{JournalError{JournalErrorKind::Io, *err}};
  return std::unique_ptr<StateStore>(new StateStore(std::move(*db)));
}

Result<bool, JournalError> StateStore::put(std::string_view ns, std::string_view key, std::string_view value, UnixNanos ts_ns) {
  auto st = db_.prepare("INSERT INTO kv(namespace, key, value, updated_ns) VALUES(?1, ?2, ?3, ?4) "
                        "ON CONFLICT(namespace, key) DO UPDATE SET value = excluded.value, updated_ns = excluded.updated_ns");
  if (!st) return io(db_, "kv put");
  st->bind(1, ns);
  st->bind(2, key);
  st->bind_blob(3, value);
  st->bind(4, ts_ns);
  if (st->step() != SQLITE_DONE) return io(db_, "kv put");
  return true;
}

Result<std::optional<std::string>, JournalError> StateStore::get(std::string_view ns, std::string_view key) {
  auto st = db_.prepare("SELECT value FROM kv WHERE namespace = ?1 AND key = ?2");
  if (!st) return io(db_, "kv get");
  st->bind(1, ns);
  st->bind(2, key);
  const int rc = st->step();
  if (rc == SQLITE_DONE) return std::optional<std::string>();
  if (rc != SQLITE_ROW) return io(db_, "kv get");
  return std::optional<std::string>(std::string(st->text(0)));
}

Result<bool, JournalError> StateStore::erase(std::string_view ns, std::string_view key) {
  auto st = db_.prepare("DELETE FROM kv WHERE namespace = ?1 AND key = ?2");
  if (!st) return io(db_, "kv erase");
  st->bind(1, ns);
  st->bind(2, key);
  if (st->step() != SQLITE_DONE) return io(db_, "kv erase");
  return sqlite3_changes(db_.handle()) > 0;
}

Result<std::vector<KeyValue>, JournalError> StateStore::list(std::string_view ns) {
  auto st = db_.prepare("SELECT key, value, updated_ns FROM kv WHERE namespace = ?1 ORDER BY key");
  if (!st) return io(db_, "kv list");
  st->bind(1, ns);
  std::vector<KeyValue> r;
  int rc;
  while ((rc = st->step()) == SQLITE_ROW) r.push_back({std::string(st->text(0)), std::string(st->text(1)), st->int64(2)});
  if (rc != SQLITE_DONE) return io(db_, "kv list");
  return r;
}

Result<std::uint64_t, JournalError> StateStore::append(std::string_view stream, std::string_view payload, UnixNanos ts_ns) {
  auto st = db_.prepare("INSERT INTO records(stream, ts_ns, payload) VALUES(?1, ?2, ?3)");
  if (!st) return io(db_, "record append");
  st->bind(1, stream);
  st->bind(2, ts_ns);
  st->bind_blob(3, payload);
  if (st->step() != SQLITE_DONE) return io(db_, "record append");
  return static_cast<std::uint64_t>(sqlite3_last_insert_rowid(db_.handle()));
}

Result<std::vector<StoredRecord>, JournalError> StateStore::read(std::string_view stream, std::uint64_t after_seq) {
  auto st = db_.prepare("SELECT seq, ts_ns, payload FROM records WHERE stream = ?1 AND seq > ?2 ORDER BY seq");
  if (!st) return io(db_, "record read");
  st->bind(1, stream);
  st->bind(2, static_cast<std::int64_t>(after_seq));
  std::vector<StoredRecord> r;
  int rc;
  while ((rc = st->step()) == SQLITE_ROW)
    r.push_back({static_cast<std::uint64_t>(st->int64(0)), std::string(stream), st->int64(1), std::string(st->text(2))});
  if (rc != SQLITE_DONE) return io(db_, "record read");
  return r;
}

Result<std::size_t, JournalError> StateStore::truncate(std::string_view stream, std::uint64_t up_to_seq) {
  auto st = db_.prepare("DELETE FROM records WHERE stream = ?1 AND seq <= ?2");
  if (!st) return io(db_, "record truncate");
  st->bind(1, stream);
  st->bind(2, static_cast<std::int64_t>(up_to_seq));
  if (st->step() != SQLITE_DONE) return io(db_, "record truncate");
  return static_cast<std::size_t>(sqlite3_changes(db_.handle()));
}

}  // namespace tradingd
