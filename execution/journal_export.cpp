// Export: read the snapshot in one read transaction, replay it through OrderManager::restore (the same
// code the daemon uses, so exported states are the daemon's states), then write rows. Every row kind is
// a list of named fields, written either as JSON objects or CSV lines; decimals stay exact strings.
#include "execution/journal_export.h"

#include <fstream>
#include <map>
#include <vector>

#include "execution/journal_codec.h"
#include "execution/memory_journal.h"
#include "execution/order_manager.h"

namespace tradingd {
namespace {

struct Field {
  std::string_view key;
  std::optional<std::string> value;  // nullopt: JSON null, CSV empty
  bool number = false;               // JSON: bare (integers, booleans)
};
using Row = std::vector<Field>;

std::optional<std::string> opt(const std::optional<Price>& p) {
  if (!p) return std::nullopt;
  return p->to_string();
}

void json_string(std::ostream& os, std::string_view s) {
  os << '"';
  for (char c : s) {
    switch (c) {
      case '"': os << "\\\""; break;
      case '\\': os << "\\\\"; break;
      case '\n': os << "\\n"; break;
      case '\r': os << "\\r"; break;
      case '\t': os << "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(static_cast<unsigned char>(c)));
          os << buf;
        } else {
          os << c;
        }
    }
  }
  os << '"';
}

void json_array(std::ostream& os, std::string_view name, const std::vector<Row>& rows) {
  json_string(os, name);
  os << ":[";
  for (std::size_t i = 0; i < rows.size(); ++i) {
    os << (i ? ",\n" : "\n") << '{';
    for (std::size_t k = 0; k < rows[i].size(); ++k) {
      const Field& f = rows[i][k];
      if (k) os << ',';
      json_string(os, f.key);
      os << ':';
      if (!f.value) os << "null";
      else if (f.number) os << *f.value;
      else json_string(os, *f.value);
    }
    os << '}';
  }
  os << ']';
}

void csv_field(std::ostream& os, std::string_view s) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos) {
    os << s;
    return;
  }
  os << '"';
  for (char c : s) {
    if (c == '"') os << '"';
    os << c;
  }
  os << '"';
}

std::optional<std::string> csv_file(const std::filesystem::path& path, const std::vector<std::string_view>& header,
                                    const std::vector<Row>& rows) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return "cannot write " + path.string();
  for (std::size_t k = 0; k < header.size(); ++k) {
    if (k) out << ',';
    out << header[k];
  }
  out << '\n';
  for (const auto& row : rows) {
    for (std::size_t k = 0; k < row.size(); ++k) {
      if (k) out << ',';
      if (row[k].value) csv_field(out, *row[k].value);
    }
    out << '\n';
  }
  out.flush();
  if (!out) return "cannot write " + path.string();
  return std::nullopt;
}

std::string ts(UnixNanos t) { return format_iso8601(t); }

Row order_row(const Order& o) {
  const auto& s = o.spec();
  std::string fees;
  for (const auto& f : o.fees()) fees.append(fees.empty() ? "" : ";").append(f.asset.view()).append(":").append(f.amount.to_string());
  return {
      {"order_id", std::to_string(o.id()), true},
      {"client_order_id", o.client_order_id().str()},
      {"venue_order_id", o.venue_order_id().empty() ? std::nullopt : std::optional<std::string>(o.venue_order_id().str())},
      {"instrument", s.instrument.to_string()},
      {"venue", std::string(to_string(s.instrument.venue))},
      {"symbol", s.instrument.symbol.str()},
      {"side", std::string(to_string(s.side))},
      {"type", std::string(to_string(s.type))},
      {"time_in_force", std::string(to_string(s.time_in_force))},
      {"quantity", s.quantity.to_string()},
      {"price", opt(s.price)},
      {"trigger_price", opt(s.trigger_price)},
      {"reduce_only", s.reduce_only ? "true" : "false", true},
      {"status", std::string(to_string(o.status()))},
      {"filled_quantity", o.filled_quantity().to_string()},
      {"avg_price", opt(o.avg_price(Rounding::Nearest))},
      {"fees", fees},
      {"strategy_id", s.strategy_id.str()},
      {"tag", s.tag.str()},
      {"role", std::string(to_string(s.role))},
      {"parent_id", s.parent_id ? std::optional<std::string>(std::to_string(s.parent_id)) : std::nullopt, true},
      {"created", ts(o.ts_init_ns())},
      {"updated", ts(o.ts_last_ns())},
  };
}

}  // namespace

std::optional<ExportFormat> parse_export_format(std::string_view s) {
  if (s == "json") return ExportFormat::Json;
  if (s == "csv") return ExportFormat::Csv;
  return std::nullopt;
}

std::filesystem::path journal_path_in(const std::filesystem::path& state_dir) { return state_dir / "journal.sqlite3"; }

Result<ExportCounts, std::string> export_journal(const ExportOptions& options, std::ostream& json_out) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(options.journal_path, ec)) return Err{"no journal at " + options.journal_path.string()};
  auto db = SqliteDb::open(options.journal_path.string(), true, false);
  if (!db) return Err{"cannot open the journal: " + db.error()};
  if (auto err = prepare_journal_schema(*db, false, false)) return Err{"journal " + options.journal_path.string() + ": " + err->message};
  // One read transaction: a consistent snapshot while the daemon keeps writing.
  if (auto err = db->exec("BEGIN")) return Err{"cannot start a read transaction: " + *err};
  auto snap = read_journal_snapshot(*db);
  (void)db->exec("COMMIT");
  if (!snap) return Err{"journal " + options.journal_path.string() + ": " + snap.error().message};

  SimulatedClock clock;
  MemoryJournal scratch;
  OrderManager replay(clock, scratch, *ClientOrderIdCodec::make("x"));
  if (auto r = replay.restore(*snap); !r) return Err{"journal does not replay: " + r.error()};

  const UnixNanos since = options.since_ns.value_or(INT64_MIN);
  std::vector<Row> orders, fills, cancels, rejects;
  for (const Order* o : replay.all_orders())
    if (o->ts_init_ns() >= since || o->ts_last_ns() >= since) orders.push_back(order_row(*o));
  for (const auto& e : snap->events) {
    const UnixNanos t = e.ts_event_ns != 0 ? e.ts_event_ns : e.ts_ns;
    if (t < since) continue;
    const Order* o = replay.find(e.order_id);
    const std::string cid = o->client_order_id().str();
    const std::string instrument = o->instrument().to_string();
    const std::optional<std::string> vid =
        e.venue_order_id.empty() ? std::nullopt : std::optional<std::string>(e.venue_order_id.str());
    switch (e.event) {
      case OrderEvent::PartialFill:
      case OrderEvent::Fill:
        fills.push_back({{"order_id", std::to_string(e.order_id), true}, {"client_order_id", cid}, {"venue_order_id", vid},
                         {"trade_id", e.trade_id.str()}, {"instrument", instrument},
                         {"side", std::string(to_string(o->side()))}, {"quantity", e.last_quantity.to_string()},
                         {"price", e.last_price.to_string()}, {"fee", e.fee.to_string()}, {"fee_asset", e.fee_asset.str()},
                         {"liquidity", std::string(to_string(e.liquidity))}, {"ts", ts(t)}});
        break;
      case OrderEvent::Cancel:
      case OrderEvent::Expire:
        cancels.push_back({{"order_id", std::to_string(e.order_id), true}, {"client_order_id", cid}, {"venue_order_id", vid},
                           {"instrument", instrument}, {"kind", e.event == OrderEvent::Cancel ? "canceled" : "expired"},
                           {"ts", ts(t)}});
        break;
      case OrderEvent::Reject:
      case OrderEvent::CancelReject:
        rejects.push_back({{"order_id", std::to_string(e.order_id), true}, {"client_order_id", cid}, {"instrument", instrument},
                           {"kind", e.event == OrderEvent::Reject ? "rejected" : "cancel_rejected"},
                           {"reason", std::string(to_string(e.reason))}, {"code", e.code.str()},
                           {"message", e.message.str()}, {"ts", ts(t)}});
        break;
      default: break;
    }
  }
  const ExportCounts counts{orders.size(), fills.size(), cancels.size(), rejects.size()};

  if (options.format == ExportFormat::Json) {
    json_out << '{';
    json_array(json_out, "orders", orders);
    json_out << ",\n";
    json_array(json_out, "fills", fills);
    json_out << ",\n";
    json_array(json_out, "cancels", cancels);
    json_out << ",\n";
    json_array(json_out, "rejects", rejects);
    json_out << "}\n";
    json_out.flush();
    if (!json_out) return Err{std::string("cannot write the JSON output")};
    return counts;
  }
  std::filesystem::create_directories(options.out_dir, ec);
  if (ec) return Err{"cannot create " + options.out_dir.string() + ": " + ec.message()};
  auto header = [](const std::vector<Row>& rows, const Row& sample) {
    std::vector<std::string_view> h;
    for (const auto& f : rows.empty() ? sample : rows.front()) h.push_back(f.key);
    return h;
  };
  // Headers come from the row layouts; a sample row gives them when a kind has no rows.
  static const Row kFillSample{{"order_id", {}}, {"client_order_id", {}}, {"venue_order_id", {}}, {"trade_id", {}},
                               {"instrument", {}}, {"side", {}}, {"quantity", {}}, {"price", {}}, {"fee", {}},
                               {"fee_asset", {}}, {"liquidity", {}}, {"ts", {}}};
  static const Row kCancelSample{{"order_id", {}}, {"client_order_id", {}}, {"venue_order_id", {}}, {"instrument", {}},
                                 {"kind", {}}, {"ts", {}}};
  static const Row kRejectSample{{"order_id", {}}, {"client_order_id", {}}, {"instrument", {}}, {"kind", {}},
                                 {"reason", {}}, {"code", {}}, {"message", {}}, {"ts", {}}};
  const Row order_sample = order_row(Order(0, {}, OrderSpec{}, 0));
  const std::pair<const char*, std::pair<const std::vector<Row>*, const Row*>> files[] = {
      {"orders.csv", {&orders, &order_sample}}, {"fills.csv", {&fills, &kFillSample}},
      {"cancels.csv", {&cancels, &kCancelSample}}, {"rejects.csv", {&rejects, &kRejectSample}}};
  for (const auto& [name, data] : files)
    if (auto err = csv_file(options.out_dir / name, header(*data.first, *data.second), *data.first)) return Err{*err};
  return counts;
}

}  // namespace tradingd
