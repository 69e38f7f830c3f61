// The HTML report. Charts are drawn here as SVG (not by a script library) so the page needs nothing at view
// time and renders identically without JavaScript; the inline script only adds a hover read-out.
#include "backtest/report_html.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "backtest/svg_chart.h"

namespace tradingd::backtest {
namespace {

using svg::XY;

constexpr int kChartWidth = 1160;
constexpr int kColumns = 1100;  // downsampling target: about one bucket per horizontal pixel

constexpr std::string_view kStyle = R"CSS(
*{box-sizing:border-box}
body{margin:0;background:#f3f5f8;color:#1f2933;font:14px/1.45 -apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
header{background:#0f172a;color:#e2e8f0;padding:22px 32px 20px}
header h1{margin:0;font-size:22px;font-weight:600;color:#fff;letter-spacing:.2px}
header .sub{margin-top:4px;color:#94a3b8;font-size:13px}
main{max-width:1240px;margin:0 auto;padding:20px 24px 40px}
.kpis{display:grid;grid-template-columns:repeat(5,1fr);gap:12px;margin-bottom:16px}
.kpi{background:#fff;border-radius:10px;padding:12px 16px;box-shadow:0 1px 2px rgba(15,23,42,.08),0 0 0 1px rgba(15,23,42,.04)}
.kpi .label{font-size:11px;text-transform:uppercase;letter-spacing:.06em;color:#64748b}
.kpi .value{font-size:22px;font-weight:600;margin-top:2px;font-variant-numeric:tabular-nums}
.card{background:#fff;border-radius:10px;padding:14px 18px 10px;margin-bottom:16px;box-shadow:0 1px 2px rgba(15,23,42,.08),0 0 0 1px rgba(15,23,42,.04)}
.card h2{font-size:14px;font-weight:600;margin:0 0 6px;color:#0f172a}
.card h2 .note{font-weight:400;color:#64748b;font-size:12px;margin-left:8px}
.pos{color:#15803d}.neg{color:#b91c1c}
svg.chart{width:100%;height:auto;display:block}
.grid line{stroke:#e5e9f0;stroke-width:1}.grid line.v{stroke:#f0f2f6}.grid line.axis{stroke:#94a3b8}
.ylab{font-size:11px;fill:#64748b;text-anchor:end;font-variant-numeric:tabular-nums}
.xlab{font-size:11px;fill:#64748b;text-anchor:middle}
.eq-line{fill:none;stroke:#2563eb;stroke-width:1.6}.eq-area{fill:url(#eqfill)}
.dd-line{fill:none;stroke:#dc2626;stroke-width:1.2}.dd-area{fill:#fee2e2}
.px-line{fill:none;stroke:#475569;stroke-width:1.2}
.ddband{fill:#fef2f2}
.m-long{fill:#16a34a}.m-short{fill:#dc2626}
.m-exit{stroke-width:1.6;fill:#fff}.m-exit.win{stroke:#16a34a}.m-exit.loss{stroke:#dc2626}
.link{stroke-width:1;stroke-dasharray:3 3;fill:none}.link.win{stroke:#86efac}.link.loss{stroke:#fca5a5}
.legend{font-size:12px;color:#475569;margin:0 0 4px}.legend span{margin-right:16px;white-space:nowrap}
.legend i{display:inline-block;width:10px;height:10px;margin-right:5px;vertical-align:-1px}
.cols{display:grid;grid-template-columns:1fr 1fr;gap:16px}.cols .card{margin-bottom:0}
table{border-collapse:collapse;width:100%;font-variant-numeric:tabular-nums}
th,td{padding:5px 8px;border-bottom:1px solid #eef1f5;text-align:right;white-space:nowrap}
th{font-size:11px;text-transform:uppercase;letter-spacing:.05em;color:#64748b;font-weight:600;background:#f8fafc}
td:first-child,th:first-child,th.l,td.l{text-align:left}
table.kv td:first-child{color:#475569}
.scroll{max-height:520px;overflow:auto}
footer{max-width:1240px;margin:0 auto;padding:0 24px 32px;color:#64748b;font-size:12px}
footer h3{font-size:12px;text-transform:uppercase;letter-spacing:.06em;margin:0 0 6px}
footer li{margin:2px 0}
.guide{stroke:#94a3b8;stroke-width:1;stroke-dasharray:2 2;pointer-events:none}
.dot{fill:#0f172a;pointer-events:none}
#tip{position:fixed;pointer-events:none;background:#0f172a;color:#fff;font-size:12px;padding:5px 8px;border-radius:6px;display:none;white-space:nowrap;font-variant-numeric:tabular-nums}
)CSS";

// A hover read-out: each chart carries its frame (data-*) and a JSON series [[t_ms, value], ...].
constexpr std::string_view kScript = R"JS(
(function(){var tip=document.getElementById('tip');
function fmt(t){return new Date(t).toISOString().replace('T',' ').slice(0,16)+' UTC';}
document.querySelectorAll('svg.chart[data-series]').forEach(function(s){
var d=JSON.parse(document.getElementById(s.dataset.series).textContent);if(!d.length)return;
var a=s.dataset,x0=+a.x0,x1=+a.x1,t0=+a.t0,t1=+a.t1,y0=+a.y0,y1=+a.y1,v0=+a.v0,v1=+a.v1,unit=a.unit||'',dec=+(a.dec||2);
var ns='http://www.w3.org/2000/svg',g=document.createElementNS(ns,'line'),c=document.createElementNS(ns,'circle');
g.setAttribute('class','guide');g.setAttribute('y1',y1);g.setAttribute('y2',y0);c.setAttribute('class','dot');c.setAttribute('r',3);
g.style.display=c.style.display='none';s.appendChild(g);s.appendChild(c);
s.addEventListener('mousemove',function(e){var r=s.getBoundingClientRect(),k=s.viewBox.baseVal.width/r.width,x=(e.clientX-r.left)*k;
var t=t0+(x-x0)/(x1-x0)*(t1-t0),lo=0,hi=d.length-1;while(lo<hi){var m=(lo+hi)>>1;if(d[m][0]<t)lo=m+1;else hi=m;}
if(lo>0&&t-d[lo-1][0]<d[lo][0]-t)lo--;var p=d[lo],px=x0+(p[0]-t0)/(t1-t0)*(x1-x0),py=y0-(p[1]-v0)/(v1-v0)*(y0-y1);
g.setAttribute('x1',px);g.setAttribute('x2',px);c.setAttribute('cx',px);c.setAttribute('cy',py);g.style.display=c.style.display='';
tip.textContent=fmt(p[0])+'  '+p[1].toLocaleString('en-US',{minimumFractionDigits:dec,maximumFractionDigits:dec})+unit;
tip.style.display='block';tip.style.left=(e.clientX+14)+'px';tip.style.top=(e.clientY-34)+'px';});
s.addEventListener('mouseleave',function(){tip.style.display='none';g.style.display=c.style.display='none';});});})();
)JS";

std::string when(UnixNanos t) {
  std::string s = format_iso8601(t);  // 2024-01-02T03:04:05[.fff]Z
  return s.substr(0, 10) + " " + s.substr(11, 8);
}

std::string pct(double v, int decimals = 2) {
  return std::isfinite(v) ? svg::format_number(v * 100, decimals) + "%" : "-";
}
std::string ratio(double v) { return svg::format_number(v, 2); }
std::string signed_class(double v) { return v > 0 ? "pos" : v < 0 ? "neg" : ""; }

// Decimals that make ticks `step` apart distinct.
int decimals_for(double step) {
  if (!(step > 0)) return 2;
  return std::clamp(static_cast<int>(std::ceil(-std::log10(step))), 0, 8);
}

// Series data for the hover script: [[t_ms, value], ...] at the downsampled points.
std::string series_json(std::span<const XY> pts) {
  std::string s = "[";
  char buf[64];
  for (std::size_t i = 0; i < pts.size(); ++i) {
    std::snprintf(buf, sizeof buf, "%s[%.0f,%.10g]", i ? "," : "", pts[i].x / 1e6, pts[i].y);
    s += buf;
  }
  return s + "]";
}

struct Chart {
  svg::Frame frame;
  std::vector<double> y_ticks;
  int y_decimals;
};

// A frame with a padded y range and nice ticks; x from lo to hi.
Chart make_chart(int height, double x_lo, double x_hi, double y_lo, double y_hi, double pad_share) {
  Chart c{svg::Frame(kChartWidth, height, 76, 20, 12, 30), {}, 2};
  const double pad = (y_hi - y_lo) * pad_share;
  double lo = y_lo - pad, hi = y_hi + pad;
  if (!(hi > lo)) {
    lo = y_lo - std::max(1.0, std::abs(y_lo) * 0.01);
    hi = y_hi + std::max(1.0, std::abs(y_hi) * 0.01);
  }
  c.y_ticks = svg::nice_ticks(lo, hi, 5);
  if (c.y_ticks.size() >= 2) {
    lo = std::min(lo, c.y_ticks.front());
    hi = std::max(hi, c.y_ticks.back());
    c.y_decimals = decimals_for(c.y_ticks[1] - c.y_ticks[0]);
  }
  c.frame.set_x(x_lo, x_hi);
  c.frame.set_y(lo, hi);
  return c;
}

std::string open_svg(const Chart& c, const std::string& series_id, std::string_view unit, int dec) {
  return "<svg class=\"chart\" viewBox=\"0 0 " + std::to_string(c.frame.width()) + " " +
         std::to_string(c.frame.height()) + "\" preserveAspectRatio=\"xMidYMid meet\" data-series=\"" + series_id +
         "\" data-unit=\"" + svg::escape(unit) + "\" data-dec=\"" + std::to_string(dec) + "\"" +
         c.frame.data_attributes() + ">";
}

std::string kpi(std::string_view label, const std::string& value, const std::string& cls = "") {
  return "<div class=\"kpi\"><div class=\"label\">" + std::string(label) + "</div><div class=\"value " + cls + "\">" +
         value + "</div></div>";
}

std::string equity_section(const BacktestResults& r, std::vector<XY>& eq, std::vector<XY>& dd) {
  const auto& s = r.summary;
  const auto t_lo = static_cast<double>(r.equity.front().ts_ns), t_hi = static_cast<double>(r.equity.back().ts_ns);
  const auto ticks = svg::time_ticks(r.equity.front().ts_ns, r.equity.back().ts_ns, 8);
  double lo = eq.front().y, hi = eq.front().y;
  for (const XY& p : eq) lo = std::min(lo, p.y), hi = std::max(hi, p.y);
  Chart c = make_chart(320, t_lo, t_hi, lo, hi, 0.06);
  std::string h = "<section class=\"card\"><h2>Equity <span class=\"note\">" + svg::escape(r.currency) +
                  ", shaded: the maximum drawdown from peak to trough</span></h2>";
  h += open_svg(c, "d-equity", " " + r.currency, 2);
  h += "<defs><linearGradient id=\"eqfill\" x1=\"0\" x2=\"0\" y1=\"0\" y2=\"1\"><stop offset=\"0\" "
       "stop-color=\"#2563eb\" "
       "stop-opacity=\".18\"/><stop offset=\"1\" stop-color=\"#2563eb\" stop-opacity=\"0\"/></linearGradient></defs>";
  if (s.max_drawdown > 0) {
    const double x0 = c.frame.px(static_cast<double>(s.max_drawdown_peak_ns));
    const double x1 = c.frame.px(static_cast<double>(s.max_drawdown_trough_ns));
    h += "<rect class=\"ddband\" x=\"" + svg::coord(x0) + "\" y=\"" + svg::coord(c.frame.plot_top()) + "\" width=\"" +
         svg::coord(std::max(1.0, x1 - x0)) + "\" height=\"" + svg::coord(c.frame.plot_bottom() - c.frame.plot_top()) +
         "\"/>";
  }
  h += c.frame.grid(c.y_ticks, c.y_decimals, "", ticks);
  h += "<path class=\"eq-area\" d=\"" + c.frame.area_path(eq, c.frame.y_lo()) + "\"/>";
  h += "<path class=\"eq-line\" d=\"" + c.frame.line_path(eq) + "\"/></svg>";
  h += "<script type=\"application/json\" id=\"d-equity\">" + series_json(eq) + "</script></section>";

  double dd_lo = 0;
  for (const XY& p : dd) dd_lo = std::min(dd_lo, p.y);
  // At least 0.1 % deep so a run that never lost still gets an axis.
  Chart d = make_chart(170, t_lo, t_hi, std::min(dd_lo * 1.1, -0.1), 0, 0);
  h += "<section class=\"card\"><h2>Drawdown <span class=\"note\">% below the running peak; max " +
       pct(s.max_drawdown) + "</span></h2>";
  h += open_svg(d, "d-drawdown", "%", 2);
  h += d.frame.grid(d.y_ticks, d.y_decimals, "%", ticks);
  h += "<path class=\"dd-area\" d=\"" + d.frame.area_path(dd, 0) + "\"/>";
  h += "<path class=\"dd-line\" d=\"" + d.frame.line_path(dd) + "\"/></svg>";
  h += "<script type=\"application/json\" id=\"d-drawdown\">" + series_json(dd) + "</script></section>";
  return h;
}

std::string price_section(const PriceSeries& ps, std::size_t index, std::span<const RoundTripTrade> trades) {
  if (ps.points.empty()) return {};
  std::vector<XY> raw;
  raw.reserve(ps.points.size());
  for (const PricePoint& p : ps.points) raw.push_back({static_cast<double>(p.ts_ns), p.price.to_double()});
  auto pts = svg::downsample(raw, kColumns);
  double lo = raw.front().y, hi = raw.front().y;
  for (const XY& p : raw) lo = std::min(lo, p.y), hi = std::max(hi, p.y);
  int n_trades = 0;
  for (const RoundTripTrade& t : trades) {
    if (t.instrument != ps.instrument) continue;
    ++n_trades;
    lo = std::min(lo, t.entry_price.to_double());
    hi = std::max(hi, t.entry_price.to_double());
    if (t.closed) lo = std::min(lo, t.exit_price.to_double()), hi = std::max(hi, t.exit_price.to_double());
  }
  const UnixNanos t0 = ps.points.front().ts_ns, t1 = ps.points.back().ts_ns;
  Chart c = make_chart(340, static_cast<double>(t0), static_cast<double>(t1), lo, hi, 0.05);
  const std::string id = "d-price-" + std::to_string(index);
  std::string note = std::to_string(n_trades) + " trade" + (n_trades == 1 ? "" : "s");
  if (n_trades > static_cast<int>(kReportMaxMarkedTrades))
    note += ", the first " + std::to_string(kReportMaxMarkedTrades) + " marked";
  std::string h = "<section class=\"card\"><h2>Price: " + svg::escape(ps.instrument.to_string()) +
                  " <span class=\"note\">" + note + "</span></h2>";
  h += "<div class=\"legend\"><span><i style=\"background:#475569;height:2px;vertical-align:3px\"></i>close</span>"
       "<span><svg width=\"10\" height=\"10\"><path class=\"m-long\" d=\"M5 1L9.5 9H0.5Z\"/></svg> long entry</span>"
       "<span><svg width=\"10\" height=\"10\"><path class=\"m-short\" d=\"M5 9L9.5 1H0.5Z\"/></svg> short entry</span>"
       "<span><svg width=\"10\" height=\"10\"><circle class=\"m-exit win\" cx=\"5\" cy=\"5\" r=\"3.5\"/></svg> exit, "
       "win</span>"
       "<span><svg width=\"10\" height=\"10\"><circle class=\"m-exit loss\" cx=\"5\" cy=\"5\" r=\"3.5\"/></svg> exit, "
       "loss</span></div>";
  h += open_svg(c, id, "", c.y_decimals);
  h += c.frame.grid(c.y_ticks, c.y_decimals, "", svg::time_ticks(t0, t1, 8));
  h += "<path class=\"px-line\" d=\"" + c.frame.line_path(pts) + "\"/>";
  std::string links, markers;
  std::size_t marked = 0;
  for (const RoundTripTrade& t : trades) {
    if (t.instrument != ps.instrument) continue;
    if (marked++ == kReportMaxMarkedTrades) break;
    const bool is_long = t.side == PositionSide::Long;
    const double ex = c.frame.px(static_cast<double>(t.entry_ts_ns)), ey = c.frame.py(t.entry_price.to_double());
    const std::string title = std::string(is_long ? "Long" : "Short") + " entry " + when(t.entry_ts_ns) + " @ " +
                              t.entry_price.to_string() + ", qty " + t.quantity.to_string();
    // Triangles point the way of the position: up for long, down for short.
    const std::string tri = is_long ? "M" + svg::coord(ex) + " " + svg::coord(ey - 1) + "l5 8h-10Z"
                                    : "M" + svg::coord(ex) + " " + svg::coord(ey + 1) + "l5 -8h-10Z";
    markers += "<path class=\"" + std::string(is_long ? "m-long" : "m-short") + "\" d=\"" + tri + "\"><title>" +
               svg::escape(title) + "</title></path>";
    if (!t.closed) continue;
    const double xx = c.frame.px(static_cast<double>(t.exit_ts_ns)), xy = c.frame.py(t.exit_price.to_double());
    const std::string cls = t.net_pnl().is_positive() ? "win" : "loss";
    links += "<path class=\"link " + cls + "\" d=\"M" + svg::coord(ex) + " " + svg::coord(ey) + "L" + svg::coord(xx) +
             " " + svg::coord(xy) + "\"/>";
    markers += "<circle class=\"m-exit " + cls + "\" cx=\"" + svg::coord(xx) + "\" cy=\"" + svg::coord(xy) +
               "\" r=\"3.5\"><title>" +
               svg::escape("Exit " + when(t.exit_ts_ns) + " @ " + t.exit_price.to_string() + ", net PnL " +
                           t.net_pnl().to_string()) +
               "</title></circle>";
  }
  h += links + markers + "</svg>";
  h += "<script type=\"application/json\" id=\"" + id + "\">" + series_json(pts) + "</script></section>";
  return h;
}

std::string row(std::string_view label, const std::string& value, const std::string& cls = "") {
  return "<tr><td>" + std::string(label) + "</td><td class=\"" + cls + "\">" + value + "</td></tr>";
}

std::string money(Money m, std::string_view currency) {
  return svg::format_number(m.to_double(), 2) + " " + std::string(currency);
}

std::string duration(std::int64_t s) {
  const std::int64_t d = s / 86400, h = s % 86400 / 3600, m = s % 3600 / 60;
  char buf[64];
  if (d > 0)
    std::snprintf(buf, sizeof buf, "%lldd %lldh", static_cast<long long>(d), static_cast<long long>(h));
  else
    std::snprintf(buf, sizeof buf, "%lldh %lldm", static_cast<long long>(h), static_cast<long long>(m));
  return buf;
}

std::string tables_section(const BacktestResults& r) {
  const auto& s = r.summary;
  const std::string& cur = r.currency;
  std::string perf = "<div class=\"card\"><h2>Performance</h2><table class=\"kv\">";
  perf += row("Start equity", money(s.start_equity, cur)) + row("End equity", money(s.end_equity, cur));
  perf += row("Net PnL", money(s.net_pnl, cur), signed_class(s.net_pnl.to_double()));
  perf += row("Total return", pct(s.total_return), signed_class(s.total_return)) + row("CAGR", pct(s.cagr));
  perf += row("Volatility (annualised)", pct(s.volatility)) + row("Sharpe", ratio(s.sharpe)) +
          row("Sortino", ratio(s.sortino));
  perf += row("Max drawdown", pct(s.max_drawdown) + " (" + money(s.max_drawdown_amount, cur) + ")");
  perf += row("Longest drawdown", duration(s.max_drawdown_duration_s));
  perf += row("Exposure", svg::format_number(s.exposure_pct, 1) + "%");
  perf += row("Fees paid", money(s.fees_paid, cur)) + row("Funding paid", money(s.funding_paid, cur));
  perf += row("Daily return periods", std::to_string(s.return_periods)) + "</table></div>";

  std::string tr = "<div class=\"card\"><h2>Trades</h2><table class=\"kv\">";
  tr += row("Closed trades", std::to_string(s.trades)) +
        row("Wins / losses", std::to_string(s.wins) + " / " + std::to_string(s.losses));
  tr += row("Win rate", pct(s.win_rate, 1)) + row("Profit factor", ratio(s.profit_factor));
  tr += row("Gross profit", money(s.gross_profit, cur), "pos") + row("Gross loss", money(s.gross_loss, cur), "neg");
  tr += row("Average win", money(s.avg_win, cur)) + row("Average loss", money(s.avg_loss, cur));
  tr += row("Largest win", money(s.largest_win, cur)) + row("Largest loss", money(s.largest_loss, cur));
  for (const auto& [k, v] : r.parameters) tr += row("Parameter " + svg::escape(k), svg::escape(v));
  tr += "</table></div>";
  return "<div class=\"cols\">" + perf + tr + "</div>";
}

std::string trades_table(const BacktestResults& r) {
  const std::size_t n = std::min(r.trades.size(), kReportMaxTradeRows);
  std::string h = "<section class=\"card\" style=\"margin-top:16px\"><h2>Trade list <span class=\"note\">";
  h += r.trades.size() > n
           ? "first " + std::to_string(n) + " of " + std::to_string(r.trades.size()) + "; trades.csv has all"
           : std::to_string(r.trades.size()) + " trades";
  h += "</span></h2><div class=\"scroll\"><table><tr><th>#</th><th class=\"l\">Instrument</th><th "
       "class=\"l\">Side</th><th>Entry (UTC)</th><th>Exit (UTC)</th>"
       "<th>Quantity</th><th>Entry price</th><th>Exit price</th><th>Fees</th><th>Net PnL</th></tr>";
  for (std::size_t i = 0; i < n; ++i) {
    const RoundTripTrade& t = r.trades[i];
    h += "<tr><td>" + std::to_string(i + 1) + "</td><td class=\"l\">" + svg::escape(t.instrument.symbol.view()) +
         "</td><td class=\"l\">" + std::string(to_string(t.side)) + "</td><td>" + when(t.entry_ts_ns) + "</td><td>" +
         (t.closed ? when(t.exit_ts_ns) : std::string("open")) + "</td><td>" + t.quantity.to_string() + "</td><td>" +
         t.entry_price.to_string() + "</td><td>" +
         (t.exited_quantity.is_zero() ? std::string("-") : t.exit_price.to_string()) + "</td><td>" +
         t.fees.to_string() + "</td><td class=\"" + signed_class(t.net_pnl().to_double()) + "\">" +
         t.net_pnl().to_string() + "</td></tr>";
  }
  return h + "</table></div></section>";
}

}  // namespace

std::string report_html(const BacktestResults& r) {
  const auto& s = r.summary;
  std::string instruments;
  for (const InstrumentId& id : result_instruments(r))
    instruments += (instruments.empty() ? "" : ", ") + id.to_string();
  std::string h =
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>" +
      svg::escape(r.title) + " - tradingd backtest</title><style>" + std::string(kStyle) + "</style></head><body>";
  h += "<header><h1>" + svg::escape(r.title) + "</h1><div class=\"sub\">" +
       svg::escape(instruments.empty() ? "no instruments" : instruments);
  if (!r.equity.empty()) h += " &middot; " + when(s.start_ns) + " to " + when(s.end_ns) + " UTC";
  h += " &middot; tradingd backtest</div></header><main>";
  h += "<section class=\"kpis\">";
  h += kpi("Net PnL", money(s.net_pnl, r.currency), signed_class(s.net_pnl.to_double()));
  h += kpi("Total return", pct(s.total_return), signed_class(s.total_return));
  h += kpi("CAGR", pct(s.cagr));
  h += kpi("Sharpe", ratio(s.sharpe));
  h += kpi("Sortino", ratio(s.sortino));
  h += kpi("Max drawdown", pct(s.max_drawdown), s.max_drawdown > 0 ? "neg" : "");
  h += kpi("Win rate", pct(s.win_rate, 1));
  h += kpi("Profit factor", ratio(s.profit_factor));
  h += kpi("Trades", std::to_string(s.trades));
  h += kpi("Exposure", svg::format_number(s.exposure_pct, 1) + "%");
  h += "</section>";

  if (r.equity.size() >= 2) {
    std::vector<XY> eq_raw, dd_raw;
    eq_raw.reserve(r.equity.size());
    dd_raw.reserve(r.equity.size());
    double peak = r.equity.front().equity.to_double();
    for (const EquityPoint& p : r.equity) {
      const double e = p.equity.to_double();
      peak = std::max(peak, e);
      eq_raw.push_back({static_cast<double>(p.ts_ns), e});
      dd_raw.push_back({static_cast<double>(p.ts_ns), peak > 0 ? -(peak - e) / peak * 100 : 0});
    }
    auto eq = svg::downsample(eq_raw, kColumns);
    auto dd = svg::downsample(dd_raw, kColumns);
    h += equity_section(r, eq, dd);
  } else {
    h += "<section class=\"card\"><h2>Equity</h2><p>Not enough equity samples to draw a curve.</p></section>";
  }
  for (std::size_t i = 0; i < r.prices.size(); ++i) h += price_section(r.prices[i], i, r.trades);
  h += tables_section(r);
  h += trades_table(r);
  h += "</main><footer><h3>Conventions</h3><ul>"
       "<li>Returns are sampled at UTC midnights (daily closes; a partial first or last day is one period) and "
       "annualised with 365 periods a year: volatility = sample stdev &times; &radic;365, Sharpe = mean / stdev "
       "&times; &radic;365 "
       "with a risk-free rate of 0, Sortino = mean / downside deviation (target 0, over all periods) &times; "
       "&radic;365.</li>"
       "<li>CAGR = (end / start)<sup>365 days / elapsed</sup> &minus; 1. Max drawdown is measured on every equity "
       "sample; its "
       "duration is the longest time below a previous peak.</li>"
       "<li>Trades run flat to flat; a win has a positive net PnL after fees. Money is exact decimal; the charts plot "
       "rounded values.</li></ul></footer><div id=\"tip\"></div><script>" +
       std::string(kScript) + "</script></body></html>\n";
  return h;
}

}  // namespace tradingd::backtest
