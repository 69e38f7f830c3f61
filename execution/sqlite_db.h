// Thin RAII wrappers over the SQLite C API for the journal, the state store and the exporter: one
// connection (SqliteDb) and prepared statements (SqliteStatement). No exceptions: errors are strings.
// A connection is used by one thread at a time (opened NOMUTEX); handing it to another thread must
// happen-before its use there (thread start, a mutex).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"

struct sqlite3;
struct sqlite3_stmt;

namespace tradingd {

class SqliteStatement {
 public:
  SqliteStatement() = default;
  SqliteStatement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  SqliteStatement(SqliteStatement&& o) noexcept : db_(o.db_), stmt_(o.stmt_) { o.stmt_ = nullptr; }
  SqliteStatement& operator=(SqliteStatement&& o) noexcept;
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;
  ~SqliteStatement();

  // Parameters are 1-based, as in SQLite. Text is copied (SQLITE_TRANSIENT).
  void bind(int index, std::int64_t v);
  void bind(int index, std::string_view v);
  void bind_blob(int index, std::string_view v);
  void bind_null(int index);
  template <class T>
  void bind_opt(int index, const std::optional<T>& v) {
    if (v) bind(index, v->raw());
    else bind_null(index);
  }
  // SQLITE_ROW, SQLITE_DONE or an error code.
  int step();
  void reset();

  bool is_null(int column) const;
  std::int64_t int64(int column) const;
  std::string_view text(int column) const;  // valid until the next step/reset
  bool valid() const { return stmt_ != nullptr; }

 private:
  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
};

class SqliteDb {
 public:
  SqliteDb() = default;
  SqliteDb(SqliteDb&& o) noexcept : db_(o.db_) { o.db_ = nullptr; }
  SqliteDb& operator=(SqliteDb&& o) noexcept;
  SqliteDb(const SqliteDb&) = delete;
  SqliteDb& operator=(const SqliteDb&) = delete;
  ~SqliteDb();

  // read_only: SQLITE_OPEN_READONLY (reads a WAL database another process writes); create: may create.
  static Result<SqliteDb, std::string> open(const std::string& path, bool read_only, bool create);

  // Runs statements with no result rows; the error text on failure.
  std::optional<std::string> exec(std::string_view sql);
  Result<SqliteStatement, std::string> prepare(std::string_view sql);
  // The first column of the first row of a query as text ("" when no row); nullopt on error.
  std::optional<std::string> query_text(std::string_view sql);
  std::string errmsg() const;
  int extended_errcode() const;
  sqlite3* handle() const { return db_; }

 private:
  explicit SqliteDb(sqlite3* db) : db_(db) {}
  sqlite3* db_ = nullptr;
};

}  // namespace tradingd
