// StateStore: durable state for other components, in the journal's SQLite file (its own connection):
//  - kv: (namespace, key) -> value, last write wins. For state replaced as a whole: the circuit breaker
//    ("circuit_breaker", "state"), a paper venue's snapshot ("paper.binance", "book"), ...
//  - records: an append-only log per stream, for state built from events; read back in order after a
//    restart, and trimmed with truncate() once a kv snapshot covers them.
// Writes are synchronous and durable when they return (fsync): meant for rare state changes, not the order
// hot path. Namespaces/streams: the owning component's name, so components never collide.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "execution/order_journal.h"
#include "execution/sqlite_db.h"

namespace tradingd {

struct KeyValue {
  std::string key;
  std::string value;
  UnixNanos updated_ns = 0;
};

struct StoredRecord {
  std::uint64_t seq = 0;  // increasing within the file
  std::string stream;
  UnixNanos ts_ns = 0;
  std::string payload;
};

class StateStore {
 public:
  // The journal's path (journal_path_in(state_dir)); creates the tables if the file is new.
  static Result<std::unique_ptr<StateStore>, JournalError> open(const std::filesystem::path& journal_path, bool fsync = true);

  Result<bool, JournalError> put(std::string_view ns, std::string_view key, std::string_view value, UnixNanos ts_ns);
  Result<std::optional<std::string>, JournalError> get(std::string_view ns, std::string_view key);
  // True when the key existed.
  Result<bool, JournalError> erase(std::string_view ns, std::string_view key);
  Result<std::vector<KeyValue>, JournalError> list(std::string_view ns);

  // The new record's sequence.
  Result<std::uint64_t, JournalError> append(std::string_view stream, std::string_view payload, UnixNanos ts_ns);
  Result<std::vector<StoredRecord>, JournalError> read(std::string_view stream, std::uint64_t after_seq = 0);
  // Deletes the stream's records with seq <= up_to_seq; returns how many.
  Result<std::size_t, JournalError> truncate(std::string_view stream, std::uint64_t up_to_seq);

 private:
  explicit StateStore(SqliteDb db) : db_(std::move(db)) {}
  SqliteDb db_;
};

}  // namespace tradingd
