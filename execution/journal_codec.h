// The journal's SQLite schema and its row codec, shared by the writer (SqliteJournal), the reader used at
// start-up, and the exporter. Fixed-point values are stored as their raw int64 (exact; 1e-9 units),
// enums as their canonical names, so the file is readable with the sqlite3 shell.
// Tables: meta (schema facts, epoch), orders (one intent per order), order_events (applied events),
// kv and records (the generic state store, see state_store.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/result.h"
#include "execution/order_journal.h"
#include "execution/sqlite_db.h"

namespace tradingd {

inline constexpr std::int64_t kJournalApplicationId = 0x74726431;  // "trd1"
inline constexpr std::int64_t kJournalSchemaVersion = 1;

// New empty database (writable): creates the schema and draws the epoch. Existing one: checks it is a
// tradingd journal of this schema version and passes PRAGMA quick_check; the error says what is wrong.
std::optional<JournalError> prepare_journal_schema(SqliteDb& db, bool writable, bool integrity_check = true);

// Reads every intent and event, validating each row (a row that does not parse is Corrupt).
Result<JournalSnapshot, JournalError> read_journal_snapshot(SqliteDb& db);

// Prepared inserts for the writer thread (or the event loop in synchronous mode).
class JournalInserts {
 public:
  static Result<JournalInserts, std::string> prepare(SqliteDb& db);
  std::optional<std::string> insert(JournalSeq seq, const OrderIntentRecord& r);
  std::optional<std::string> insert(JournalSeq seq, const OrderEventRecord& r);

 private:
  SqliteStatement intent_;
  SqliteStatement event_;
};

}  // namespace tradingd
