// SQLite wrappers. Statements are finalized and connections closed in destructors; closing a WAL
// connection checkpoints the log into the database.
#include "execution/sqlite_db.h"

#include <sqlite3.h>

namespace tradingd {

SqliteStatement& SqliteStatement::operator=(SqliteStatement&& o) noexcept {
  if (this != &o) {
    if (stmt_) sqlite3_finalize(stmt_);
    db_ = o.db_;
    stmt_ = o.stmt_;
    o.stmt_ = nullptr;
  }
  return *this;
}

SqliteStatement::~SqliteStatement() {
  if (stmt_) sqlite3_finalize(stmt_);
}

void SqliteStatement::bind(int index, std::int64_t v) { sqlite3_bind_int64(stmt_, index, v); }
void SqliteStatement::bind(int index, std::string_view v) {
  sqlite3_bind_text(stmt_, index, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
}
void SqliteStatement::bind_blob(int index, std::string_view v) {
  sqlite3_bind_blob(stmt_, index, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
}
void SqliteStatement::bind_null(int index) { sqlite3_bind_null(stmt_, index); }
int SqliteStatement::step() { return sqlite3_step(stmt_); }
void SqliteStatement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}
bool SqliteStatement::is_null(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }
std::int64_t SqliteStatement::int64(int column) const { return sqlite3_column_int64(stmt_, column); }
std::string_view SqliteStatement::text(int column) const {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
  if (!p) return std::string_view("");  // never a null data pointer: callers memcpy from it
  return std::string_view(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)));
}

SqliteDb& SqliteDb::operator=(SqliteDb&& o) noexcept {
  if (this != &o) {
    if (db_) sqlite3_close_v2(db_);
    db_ = o.db_;
    o.db_ = nullptr;
  }
  return *this;
}

SqliteDb::~SqliteDb() {
  if (db_) sqlite3_close_v2(db_);
}

Result<SqliteDb, std::string> SqliteDb::open(const std::string& path, bool read_only, bool create) {
  int flags = SQLITE_OPEN_NOMUTEX;
  flags |= read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
  if (create && !read_only) flags |= SQLITE_OPEN_CREATE;
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    if (db) sqlite3_close_v2(db);
    return Err{path + ": " + msg};
  }
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, 5000);
  return SqliteDb(db);
}

std::optional<std::string> SqliteDb::exec(std::string_view sql) {
  char* err = nullptr;
  const std::string s(sql);
  if (sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err) == SQLITE_OK) return std::nullopt;
  std::string msg = err ? err : sqlite3_errmsg(db_);
  sqlite3_free(err);
  return msg;
}

Result<SqliteStatement, std::string> SqliteDb::prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr) != SQLITE_OK)
    return Err{std::string(sqlite3_errmsg(db_))};
  return SqliteStatement(db_, stmt);
}

std::optional<std::string> SqliteDb::query_text(std::string_view sql) {
  auto st = prepare(sql);
  if (!st) return std::nullopt;
  const int rc = st->step();
  if (rc == SQLITE_DONE) return std::string();
  if (rc != SQLITE_ROW) return std::nullopt;
  return std::string(st->text(0));
}

std::string SqliteDb::errmsg() const { return db_ ? sqlite3_errmsg(db_) : "no connection"; }
int SqliteDb::extended_errcode() const { return db_ ? sqlite3_extended_errcode(db_) : 0; }

}  // namespace tradingd
