// The results files. summary.json is built as a Boost.JSON document (insertion-ordered keys) and printed by
// a small pretty-printer of ours: doubles in their shortest round-trip form (std::to_chars), NaN and
// infinities as null, exact decimals as strings — stable bytes that people can read.
#include <algorithm>
#include <boost/json.hpp>
#include <charconv>
#include <cmath>

#include "backtest/atomic_file.h"
#include "backtest/report_html.h"
#include "backtest/results.h"

namespace tradingd::backtest {
namespace json = boost::json;

namespace {

json::value num(double v) {
  if (!std::isfinite(v)) return nullptr;
  return v;
}
json::value dec(Money m) { return json::string(m.to_string()); }
json::value iso(UnixNanos t) { return json::string(format_iso8601(t)); }

void pretty(const json::value& v, std::string& out, int indent) {
  const std::string pad(static_cast<std::size_t>(indent) * 2, ' ');
  switch (v.kind()) {
    case json::kind::object: {
      const auto& o = v.get_object();
      if (o.empty()) {
        out += "{}";
        return;
      }
      out += "{\n";
      bool first = true;
      for (const auto& kv : o) {
        if (!first) out += ",\n";
        first = false;
        out += pad + "  " + json::serialize(json::string(kv.key())) + ": ";
        pretty(kv.value(), out, indent + 1);
      }
      out += "\n" + pad + "}";
      return;
    }
    case json::kind::array: {
      const auto& a = v.get_array();
      out += "[";
      for (std::size_t i = 0; i < a.size(); ++i) {
        if (i) out += ", ";
        pretty(a[i], out, indent + 1);
      }
      out += "]";
      return;
    }
    case json::kind::double_: {
      char buf[64];
      const auto r = std::to_chars(buf, buf + sizeof buf, v.get_double());
      out.append(buf, r.ptr);
      return;
    }
    default:
      out += json::serialize(v);
      return;
  }
}

std::string opt_price(const std::optional<Price>& p) { return p ? p->to_string() : std::string(); }

}  // namespace

std::string csv_escape(std::string_view s) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(s);
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

std::vector<InstrumentId> result_instruments(const BacktestResults& r) {
  std::vector<InstrumentId> out;
  auto add = [&](const InstrumentId& id) {
    if (std::find(out.begin(), out.end(), id) == out.end()) out.push_back(id);
  };
  for (const auto& p : r.prices) add(p.instrument);
  for (const auto& f : r.fills) add(f.instrument);
  return out;
}

void finalize_results(BacktestResults& r, Money funding_paid, const std::map<InstrumentId, Quantity>& multipliers) {
  r.trades = reconstruct_trades(r.fills, multipliers, /*include_open=*/true);
  Money fees;
  for (const FillRecord& f : r.fills) fees += f.fee;
  r.summary = compute_metrics({r.equity, r.trades, fees, funding_paid});
}

std::string summary_json(const BacktestResults& r) {
  const PerformanceSummary& s = r.summary;
  json::object root;
  root["title"] = r.title;
  root["start"] = iso(s.start_ns);
  root["end"] = iso(s.end_ns);
  json::array instruments;
  for (const InstrumentId& id : result_instruments(r)) instruments.emplace_back(id.to_string());
  root["instruments"] = std::move(instruments);
  json::object params;
  for (const auto& [k, v] : r.parameters) params[k] = v;
  root["parameters"] = std::move(params);

  json::object m;
  m["start_equity"] = dec(s.start_equity);
  m["end_equity"] = dec(s.end_equity);
  m["net_pnl"] = dec(s.net_pnl);
  m["total_return"] = num(s.total_return);
  m["cagr"] = num(s.cagr);
  m["volatility"] = num(s.volatility);
  m["sharpe"] = num(s.sharpe);
  m["sortino"] = num(s.sortino);
  m["return_periods"] = s.return_periods;
  m["max_drawdown"] = num(s.max_drawdown);
  m["max_drawdown_amount"] = dec(s.max_drawdown_amount);
  m["max_drawdown_peak"] = s.max_drawdown > 0 ? iso(s.max_drawdown_peak_ns) : json::value(nullptr);
  m["max_drawdown_trough"] = s.max_drawdown > 0 ? iso(s.max_drawdown_trough_ns) : json::value(nullptr);
  m["max_drawdown_duration_s"] = s.max_drawdown_duration_s;
  m["trades"] = s.trades;
  m["wins"] = s.wins;
  m["losses"] = s.losses;
  m["win_rate"] = num(s.win_rate);
  m["profit_factor"] = num(s.profit_factor);
  m["gross_profit"] = dec(s.gross_profit);
  m["gross_loss"] = dec(s.gross_loss);
  m["avg_win"] = dec(s.avg_win);
  m["avg_loss"] = dec(s.avg_loss);
  m["largest_win"] = dec(s.largest_win);
  m["largest_loss"] = dec(s.largest_loss);
  m["exposure_pct"] = num(s.exposure_pct);
  m["fees_paid"] = dec(s.fees_paid);
  m["funding_paid"] = dec(s.funding_paid);
  root["metrics"] = std::move(m);

  json::object c;
  c["return_sampling"] = kReturnSampling;
  c["periods_per_year"] = kPeriodsPerYear;
  c["annualisation"] = "sqrt(365): crypto trades every day";
  c["risk_free_rate"] = 0.0;
  c["returns"] = "simple, r = E_i / E_(i-1) - 1; a partial first or last day is one period";
  c["volatility"] = "sample standard deviation (n - 1) of daily returns x sqrt(365)";
  c["sharpe"] = "mean(r) / stdev(r) x sqrt(365)";
  c["sortino"] = "mean(r) / sqrt(sum(min(r, 0)^2) / n) x sqrt(365), target 0";
  c["cagr"] = "(end / start)^(365 days / elapsed) - 1";
  c["max_drawdown"] =
      "largest (peak - equity) / peak over every equity sample; duration = longest time below a previous peak";
  c["trades"] = "closed round trips (flat to flat); a win has net PnL after fees > 0";
  c["exposure_pct"] = "share of time with a non-zero position";
  c["fractions"] = "total_return, cagr, volatility, max_drawdown and win_rate are fractions (0.05 = 5 %)";
  c["money"] = "exact decimal strings in the account currency";
  root["conventions"] = std::move(c);

  std::string out;
  pretty(root, out, 0);
  out += '\n';
  return out;
}

std::string trades_csv(std::span<const RoundTripTrade> trades) {
  std::string s =
      "instrument,side,status,entry_time,exit_time,quantity,entry_price,exit_price,exited_quantity,gross_pnl,fees,"
      "net_pnl,entry_order_type,exit_order_type,fills\n";
  for (const RoundTripTrade& t : trades) {
    s += csv_escape(t.instrument.to_string()) + ',' + std::string(to_string(t.side)) + ',' +
         (t.closed ? "closed" : "open") + ',' + format_iso8601(t.entry_ts_ns) + ',' +
         (t.closed ? format_iso8601(t.exit_ts_ns) : std::string()) + ',' + t.quantity.to_string() + ',' +
         t.entry_price.to_string() + ',' + (t.exited_quantity.is_zero() ? std::string() : t.exit_price.to_string()) +
         ',' + t.exited_quantity.to_string() + ',' + t.gross_pnl.to_string() + ',' + t.fees.to_string() + ',' +
         t.net_pnl().to_string() + ',' + std::string(to_string(t.entry_order_type)) + ',' +
         (t.exited_quantity.is_zero() ? std::string() : std::string(to_string(t.exit_order_type))) + ',' +
         std::to_string(t.fill_count) + '\n';
  }
  return s;
}

std::string orders_csv(std::span<const OrderRecord> orders) {
  std::string s =
      "order_id,client_order_id,instrument,side,type,time_in_force,quantity,price,trigger_price,reduce_only,status,"
      "filled_quantity,avg_fill_price,fees,created,updated,reason\n";
  for (const OrderRecord& o : orders) {
    s += std::to_string(o.order_id) + ',' + csv_escape(o.client_order_id.view()) + ',' +
         csv_escape(o.instrument.to_string()) + ',' + std::string(to_string(o.side)) + ',' +
         std::string(to_string(o.type)) + ',' + std::string(to_string(o.time_in_force)) + ',' + o.quantity.to_string() +
         ',' + opt_price(o.price) + ',' + opt_price(o.trigger_price) + ',' + (o.reduce_only ? "true" : "false") + ',' +
         std::string(to_string(o.status)) + ',' + o.filled_quantity.to_string() + ',' + opt_price(o.avg_fill_price) +
         ',' + o.fees.to_string() + ',' + format_iso8601(o.ts_created_ns) + ',' + format_iso8601(o.ts_last_ns) + ',' +
         csv_escape(o.reason) + '\n';
  }
  return s;
}

std::string fills_csv(std::span<const FillRecord> fills) {
  std::string s = "time,instrument,order_id,client_order_id,trade_id,side,quantity,price,fee,liquidity,order_type\n";
  for (const FillRecord& f : fills) {
    s += format_iso8601(f.ts_ns) + ',' + csv_escape(f.instrument.to_string()) + ',' + std::to_string(f.order_id) + ',' +
         csv_escape(f.client_order_id.view()) + ',' + csv_escape(f.trade_id.view()) + ',' +
         std::string(to_string(f.side)) + ',' + f.quantity.to_string() + ',' + f.price.to_string() + ',' +
         f.fee.to_string() + ',' + std::string(to_string(f.liquidity)) + ',' + std::string(to_string(f.order_type)) +
         '\n';
  }
  return s;
}

std::string equity_csv(std::span<const EquityPoint> equity) {
  std::string s = "time,equity,cash,exposure,drawdown\n";
  Money peak;
  bool first = true;
  for (const EquityPoint& p : equity) {
    if (first || p.equity > peak) peak = p.equity;
    first = false;
    // Drawdown as a fraction of the running peak, exact to 1e-9 (rounded to nearest).
    const Rate dd = peak.is_positive() ? fixed_div<Rate>(peak - p.equity, peak, Rounding::Nearest) : Rate::zero();
    s += format_iso8601(p.ts_ns) + ',' + p.equity.to_string() + ',' + p.cash.to_string() + ',' +
         p.exposure.to_string() + ',' + dd.to_string() + '\n';
  }
  return s;
}

Result<std::vector<std::filesystem::path>, LoadError> write_results(const std::filesystem::path& dir,
                                                                    const BacktestResults& r) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Err{LoadError{dir.string(), 0, "cannot create the output directory: " + ec.message()}};
  const std::pair<const char*, std::string> files[] = {
      {"summary.json", summary_json(r)}, {"trades.csv", trades_csv(r.trades)}, {"orders.csv", orders_csv(r.orders)},
      {"fills.csv", fills_csv(r.fills)}, {"equity.csv", equity_csv(r.equity)}, {"report.html", report_html(r)},
  };
  std::vector<std::filesystem::path> out;
  for (const auto& [name, content] : files) {
    auto w = write_file_atomically(dir / name, content);
    if (!w) return Err{w.error()};
    out.push_back(*w);
  }
  return out;
}

}  // namespace tradingd::backtest
