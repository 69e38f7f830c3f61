// Schema creation/checks and row encoding for the journal. Reading validates every field, because a
// journal that parses into nonsense must stop trading as surely as one SQLite cannot open.
#include "execution/journal_codec.h"

#include <algorithm>
#include <random>

#include <sqlite3.h>

#include "execution/client_order_id.h"

namespace tradingd {
namespace {

constexpr std::string_view kSchema = R"sql(
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS orders(
  order_id INTEGER PRIMARY KEY,
  seq INTEGER NOT NULL,
  client_order_id TEXT NOT NULL UNIQUE,
  instrument TEXT NOT NULL,
  side TEXT NOT NULL,
  type TEXT NOT NULL,
  time_in_force TEXT NOT NULL,
  quantity INTEGER NOT NULL,
  price INTEGER,
  trigger_price INTEGER,
  reduce_only INTEGER NOT NULL,
  stop_loss INTEGER,
  take_profit INTEGER,
  reference_price INTEGER,
  strategy_id TEXT NOT NULL,
  tag TEXT NOT NULL,
  role TEXT NOT NULL,
  parent_id INTEGER NOT NULL,
  expire_at_ns INTEGER NOT NULL,
  ts_ns INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS order_events(
  seq INTEGER PRIMARY KEY,
  order_id INTEGER NOT NULL,
  kind TEXT NOT NULL,
  ts_event_ns INTEGER NOT NULL,
  ts_ns INTEGER NOT NULL,
  venue_order_id TEXT,
  trade_id TEXT,
  last_quantity INTEGER,
  last_price INTEGER,
  fee INTEGER,
  fee_asset TEXT,
  liquidity TEXT,
  reason TEXT,
  code TEXT,
  message TEXT);
CREATE INDEX IF NOT EXISTS order_events_by_order ON order_events(order_id);
CREATE TABLE IF NOT EXISTS kv(
  namespace TEXT NOT NULL, key TEXT NOT NULL, value BLOB NOT NULL, updated_ns INTEGER NOT NULL,
  PRIMARY KEY(namespace, key)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS records(
  seq INTEGER PRIMARY KEY AUTOINCREMENT, stream TEXT NOT NULL, ts_ns INTEGER NOT NULL, payload BLOB NOT NULL);
CREATE INDEX IF NOT EXISTS records_by_stream ON records(stream, seq);
)sql";

Err<JournalError> corrupt(std::string msg) { return Err{JournalError{JournalErrorKind::Corrupt, std::move(msg)}}; }

std::optional<std::int64_t> pragma_int(SqliteDb& db, std::string_view sql) {
  auto s = db.query_text(sql);
  if (!s || s->empty()) return std::nullopt;
  try {
    return std::stoll(*s);
  } catch (...) {
    return std::nullopt;
  }
}

template <class T>
std::optional<T> opt_fixed(const SqliteStatement& st, int col) {
  if (st.is_null(col)) return std::nullopt;
  return T::from_raw(st.int64(col));
}

template <std::size_t N>
bool read_inline(const SqliteStatement& st, int col, InlineString<N>& out) {
  auto v = InlineString<N>::make(st.text(col));
  if (!v) return false;
  out = *v;
  return true;
}

}  // namespace

std::optional<JournalError> prepare_journal_schema(SqliteDb& db, bool writable, bool integrity_check) {
  // The first read of the file: a non-database fails here ("file is not a database").
  auto tables = db.query_text("SELECT count(*) FROM sqlite_master");
  if (!tables) return JournalError{JournalErrorKind::Corrupt, "cannot read the database: " + db.errmsg()};
  const auto app_id = pragma_int(db, "PRAGMA application_id");
  const auto version = pragma_int(db, "PRAGMA user_version");
  if (!app_id || !version) return JournalError{JournalErrorKind::Corrupt, "cannot read the header: " + db.errmsg()};

  if (*tables == "0" && *app_id == 0) {
    if (!writable) return JournalError{JournalErrorKind::SchemaMismatch, "the database is empty: no journal yet"};
    std::random_device rd;
    const std::uint64_t r = (static_cast<std::uint64_t>(rd()) << 32) ^ rd();
    std::string sql = "BEGIN;";
    sql += kSchema;
    sql += "PRAGMA application_id=" + std::to_string(kJournalApplicationId) + ";";
    sql += "PRAGMA user_version=" + std::to_string(kJournalSchemaVersion) + ";";
    sql += "INSERT INTO meta(key, value) VALUES('epoch', '" + make_journal_epoch(r) + "');";
    sql += "COMMIT;";
    if (auto err = db.exec(sql)) return JournalError{JournalErrorKind::Io, "cannot create the journal: " + *err};
    return std::nullopt;
  }
  if (*app_id != kJournalApplicationId)
    return JournalError{JournalErrorKind::SchemaMismatch, "not a tradingd journal (application_id " + std::to_string(*app_id) + ")"};
  if (*version != kJournalSchemaVersion)
    return JournalError{JournalErrorKind::SchemaMismatch, "journal schema version " + std::to_string(*version) +
                                                              ", this build reads version " + std::to_string(kJournalSchemaVersion)};
  if (!integrity_check) return std::nullopt;
  auto st = db.prepare("PRAGMA quick_check");
  if (!st) return JournalError{JournalErrorKind::Corrupt, "integrity check failed to run: " + st.error()};
  std::string problems;
  int rc;
  while ((rc = st->step()) == SQLITE_ROW) {
    const auto line = st->text(0);
    if (line != "ok" && problems.size() < 400) problems.append(line).append("; ");
  }
  if (rc != SQLITE_DONE) return JournalError{JournalErrorKind::Corrupt, "integrity check failed: " + db.errmsg()};
  if (!problems.empty()) return JournalError{JournalErrorKind::Corrupt, "integrity check: " + problems};
  return std::nullopt;
}

Result<JournalSnapshot, JournalError> read_journal_snapshot(SqliteDb& db) {
  JournalSnapshot snap;
  if (auto epoch = db.query_text("SELECT value FROM meta WHERE key='epoch'"); epoch && !epoch->empty()) snap.epoch = *epoch;
  else return corrupt("meta has no epoch");

  auto os = db.prepare(
      "SELECT order_id, client_order_id, instrument, side, type, time_in_force, quantity, price, trigger_price, "
      "reduce_only, stop_loss, take_profit, reference_price, strategy_id, tag, role, parent_id, expire_at_ns, ts_ns, seq "
      "FROM orders ORDER BY order_id");
  if (!os) return corrupt("cannot read orders: " + os.error());
  int rc;
  while ((rc = os->step()) == SQLITE_ROW) {
    const auto& st = *os;
    OrderIntentRecord r;
    r.order_id = static_cast<OrderId>(st.int64(0));
    const std::string where = "orders row order_id=" + std::to_string(r.order_id) + ": ";
    auto instrument = InstrumentId::parse(st.text(2));
    auto side = parse_side(st.text(3));
    auto type = parse_order_type(st.text(4));
    auto tif = parse_time_in_force(st.text(5));
    auto role = parse_order_role(st.text(15));
    if (!read_inline(st, 1, r.client_order_id) || r.client_order_id.empty()) return corrupt(where + "bad client_order_id");
    if (!instrument) return corrupt(where + "bad instrument '" + std::string(st.text(2)) + "'");
    if (!side || !type || !tif || !role) return corrupt(where + "bad side/type/time_in_force/role");
    if (!read_inline(st, 13, r.spec.strategy_id) || !read_inline(st, 14, r.spec.tag)) return corrupt(where + "bad strategy_id/tag");
    r.spec.instrument = *instrument;
    r.spec.side = *side;
    r.spec.type = *type;
    r.spec.time_in_force = *tif;
    r.spec.quantity = Quantity::from_raw(st.int64(6));
    if (!r.spec.quantity.is_positive()) return corrupt(where + "non-positive quantity");
    r.spec.price = opt_fixed<Price>(st, 7);
    r.spec.trigger_price = opt_fixed<Price>(st, 8);
    r.spec.reduce_only = st.int64(9) != 0;
    r.spec.stop_loss = opt_fixed<Price>(st, 10);
    r.spec.take_profit = opt_fixed<Price>(st, 11);
    r.spec.reference_price = opt_fixed<Price>(st, 12);
    r.spec.role = *role;
    r.spec.parent_id = static_cast<OrderId>(st.int64(16));
    r.spec.expire_at_ns = st.int64(17);
    r.ts_ns = st.int64(18);
    snap.last_seq = std::max(snap.last_seq, static_cast<JournalSeq>(st.int64(19)));
    snap.intents.push_back(r);
  }
  if (rc != SQLITE_DONE) return corrupt("cannot read orders: " + db.errmsg());

  auto es = db.prepare(
      "SELECT seq, order_id, kind, ts_event_ns, ts_ns, venue_order_id, trade_id, last_quantity, last_price, fee, "
      "fee_asset, liquidity, reason, code, message FROM order_events ORDER BY seq");
  if (!es) return corrupt("cannot read order_events: " + es.error());
  while ((rc = es->step()) == SQLITE_ROW) {
    const auto& st = *es;
    OrderEventRecord r;
    const auto seq = static_cast<JournalSeq>(st.int64(0));
    const std::string where = "order_events row seq=" + std::to_string(seq) + ": ";
    r.order_id = static_cast<OrderId>(st.int64(1));
    // Intents are sorted by id: every event must belong to one of them.
    const auto it = std::lower_bound(snap.intents.begin(), snap.intents.end(), r.order_id,
                                     [](const OrderIntentRecord& a, OrderId id) { return a.order_id < id; });
    if (it == snap.intents.end() || it->order_id != r.order_id)
      return corrupt(where + "event of unknown order " + std::to_string(r.order_id));
    auto kind = parse_order_event(st.text(2));
    if (!kind || *kind == OrderEvent::Submit) return corrupt(where + "bad kind '" + std::string(st.text(2)) + "'");
    r.event = *kind;
    r.ts_event_ns = st.int64(3);
    r.ts_ns = st.int64(4);
    if (!read_inline(st, 5, r.venue_order_id)) return corrupt(where + "bad venue_order_id");
    if (r.event == OrderEvent::Fill || r.event == OrderEvent::PartialFill) {
      auto liq = parse_liquidity_side(st.text(11));
      if (!read_inline(st, 6, r.trade_id) || r.trade_id.empty() || st.is_null(7) || st.is_null(8) || !liq ||
          !read_inline(st, 10, r.fee_asset))
        return corrupt(where + "incomplete fill");
      r.last_quantity = Quantity::from_raw(st.int64(7));
      r.last_price = Price::from_raw(st.int64(8));
      r.fee = Money::from_raw(st.is_null(9) ? 0 : st.int64(9));
      r.liquidity = *liq;
    }
    if (!st.is_null(12)) {
      auto reason = parse_venue_error_reason(st.text(12));
      if (!reason) return corrupt(where + "bad reason '" + std::string(st.text(12)) + "'");
      r.reason = *reason;
      r.code = truncated<15>(st.text(13));
      r.message = truncated<95>(st.text(14));
    }
    snap.last_seq = std::max(snap.last_seq, seq);
    snap.events.push_back(r);
  }
  if (rc != SQLITE_DONE) return corrupt("cannot read order_events: " + db.errmsg());
  return snap;
}

Result<JournalInserts, std::string> JournalInserts::prepare(SqliteDb& db) {
  auto i = db.prepare(
      "INSERT INTO orders(order_id, seq, client_order_id, instrument, side, type, time_in_force, quantity, price, "
      "trigger_price, reduce_only, stop_loss, take_profit, reference_price, strategy_id, tag, role, parent_id, "
      "expire_at_ns, ts_ns) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19,?20)");
  if (!i) return Err{i.error()};
  auto e = db.prepare(
      "INSERT INTO order_events(seq, order_id, kind, ts_event_ns, ts_ns, venue_order_id, trade_id, last_quantity, "
      "last_price, fee, fee_asset, liquidity, reason, code, message) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15)");
  if (!e) return Err{e.error()};
  JournalInserts r;
  r.intent_ = std::move(*i);
  r.event_ = std::move(*e);
  return r;
}

std::optional<std::string> JournalInserts::insert(JournalSeq seq, const OrderIntentRecord& r) {
  auto& st = intent_;
  const auto& s = r.spec;
  st.bind(1, static_cast<std::int64_t>(r.order_id));
  st.bind(2, static_cast<std::int64_t>(seq));
  st.bind(3, r.client_order_id.view());
  st.bind(4, s.instrument.to_string());
  st.bind(5, to_string(s.side));
  st.bind(6, to_string(s.type));
  st.bind(7, to_string(s.time_in_force));
  st.bind(8, s.quantity.raw());
  st.bind_opt(9, s.price);
  st.bind_opt(10, s.trigger_price);
  st.bind(11, std::int64_t{s.reduce_only ? 1 : 0});
  st.bind_opt(12, s.stop_loss);
  st.bind_opt(13, s.take_profit);
  st.bind_opt(14, s.reference_price);
  st.bind(15, s.strategy_id.view());
  st.bind(16, s.tag.view());
  st.bind(17, to_string(s.role));
  st.bind(18, static_cast<std::int64_t>(s.parent_id));
  st.bind(19, s.expire_at_ns);
  st.bind(20, r.ts_ns);
  const int rc = st.step();
  st.reset();
  if (rc != SQLITE_DONE) return std::string("insert order ") + std::to_string(r.order_id) + ": " + sqlite3_errstr(rc);
  return std::nullopt;
}

std::optional<std::string> JournalInserts::insert(JournalSeq seq, const OrderEventRecord& r) {
  auto& st = event_;
  st.bind(1, static_cast<std::int64_t>(seq));
  st.bind(2, static_cast<std::int64_t>(r.order_id));
  st.bind(3, to_string(r.event));
  st.bind(4, r.ts_event_ns);
  st.bind(5, r.ts_ns);
  if (r.venue_order_id.empty()) st.bind_null(6);
  else st.bind(6, r.venue_order_id.view());
  if (r.event == OrderEvent::Fill || r.event == OrderEvent::PartialFill) {
    st.bind(7, r.trade_id.view());
    st.bind(8, r.last_quantity.raw());
    st.bind(9, r.last_price.raw());
    st.bind(10, r.fee.raw());
    st.bind(11, r.fee_asset.view());
    st.bind(12, to_string(r.liquidity));
  }
  if (r.event == OrderEvent::Reject || r.event == OrderEvent::CancelReject) {
    st.bind(13, to_string(r.reason));
    st.bind(14, r.code.view());
    st.bind(15, r.message.view());
  }
  const int rc = st.step();
  st.reset();
  if (rc != SQLITE_DONE) return std::string("insert event of order ") + std::to_string(r.order_id) + ": " + sqlite3_errstr(rc);
  return std::nullopt;
}

}  // namespace tradingd
