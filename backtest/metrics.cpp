// Metric computations; see metrics.h for every convention.
#include "backtest/metrics.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

namespace tradingd::backtest {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kYearNs = 365.0 * 86400.0 * 1e9;

double mean(std::span<const double> r) {
  double s = 0;
  for (double x : r) s += x;
  return s / static_cast<double>(r.size());
}

double sample_stdev(std::span<const double> r) {
  if (r.size() < 2) return kNaN;
  const double m = mean(r);
  double ss = 0;
  for (double x : r) ss += (x - m) * (x - m);
  return std::sqrt(ss / static_cast<double>(r.size() - 1));
}

}  // namespace

std::vector<double> daily_returns(std::span<const EquityPoint> equity) {
  std::vector<double> out;
  if (equity.size() < 2) return out;
  std::vector<double> closes{equity.front().equity.to_double()};
  std::size_t i = 0;  // the last sample at or before the boundary
  const UnixNanos last_ts = equity.back().ts_ns;
  // Samples are in time order: each day's close is found by bisection (a year of 1-minute samples has
  // half a million points and a few hundred days).
  const auto later = [](UnixNanos boundary, const EquityPoint& p) { return boundary < p.ts_ns; };
  for (UnixNanos boundary = utc_day_start(equity.front().ts_ns) + kNanosPerDay; boundary < last_ts;
       boundary += kNanosPerDay) {
    const auto from = equity.begin() + static_cast<std::ptrdiff_t>(i) + 1;
    const auto after = std::upper_bound(from, equity.end(), boundary, later);
    i = static_cast<std::size_t>(after - equity.begin()) - 1;
    closes.push_back(equity[i].equity.to_double());
  }
  closes.push_back(equity.back().equity.to_double());
  out.reserve(closes.size() - 1);
  for (std::size_t k = 1; k < closes.size(); ++k)
    out.push_back(closes[k - 1] != 0 ? closes[k] / closes[k - 1] - 1.0 : kNaN);
  return out;
}

double sharpe_ratio(std::span<const double> r) {
  const double sd = sample_stdev(r);
  if (!(sd > 0)) return kNaN;
  return mean(r) / sd * std::sqrt(kPeriodsPerYear);
}

double sortino_ratio(std::span<const double> r) {
  if (r.size() < 2) return kNaN;
  double down = 0;
  for (double x : r) down += x < 0 ? x * x : 0;
  const double dd = std::sqrt(down / static_cast<double>(r.size()));
  if (!(dd > 0)) return kNaN;
  return mean(r) / dd * std::sqrt(kPeriodsPerYear);
}

double annualised_volatility(std::span<const double> r) { return sample_stdev(r) * std::sqrt(kPeriodsPerYear); }

double cagr(double start_equity, double end_equity, std::int64_t elapsed_ns) {
  if (elapsed_ns <= 0 || !(start_equity > 0)) return kNaN;
  if (end_equity <= 0) return -1.0;
  return std::pow(end_equity / start_equity, kYearNs / static_cast<double>(elapsed_ns)) - 1.0;
}

PerformanceSummary compute_metrics(const MetricsInput& in) {
  PerformanceSummary s;
  s.fees_paid = in.fees_paid;
  s.funding_paid = in.funding_paid;
  const auto& eq = in.equity;
  if (!eq.empty()) {
    s.start_ns = eq.front().ts_ns;
    s.end_ns = eq.back().ts_ns;
    s.start_equity = eq.front().equity;
    s.end_equity = eq.back().equity;
    s.net_pnl = s.end_equity - s.start_equity;
    const double e0 = s.start_equity.to_double();
    s.total_return = e0 > 0 ? s.end_equity.to_double() / e0 - 1.0 : kNaN;
    s.cagr = cagr(e0, s.end_equity.to_double(), s.end_ns - s.start_ns);

    // Drawdown: depth on every sample, and the longest underwater stretch.
    // Below one peak the depth only grows with a lower trough, so the ratio is computed only then.
    Money peak = eq.front().equity;
    UnixNanos peak_ns = eq.front().ts_ns;
    Money trough = peak;  // the lowest equity since the peak
    bool underwater = false;
    // Exposure in the same pass: a sample's exposure holds until the next sample.
    std::int64_t exposed_ns = 0;
    const EquityPoint* prev = nullptr;
    for (const EquityPoint& p : eq) {
      if (prev != nullptr && !prev->exposure.is_zero()) exposed_ns += p.ts_ns - prev->ts_ns;
      prev = &p;
      if (p.equity >= peak) {
        if (underwater)
          s.max_drawdown_duration_s = std::max(s.max_drawdown_duration_s, (p.ts_ns - peak_ns) / kNanosPerSecond);
        underwater = false;
        peak = trough = p.equity;
        peak_ns = p.ts_ns;
        continue;
      }
      underwater = true;
      if (!(p.equity < trough)) continue;
      trough = p.equity;
      const double dd = peak.is_positive() ? (peak - p.equity).to_double() / peak.to_double() : 0;
      if (dd > s.max_drawdown) {
        s.max_drawdown = dd;
        s.max_drawdown_amount = peak - p.equity;
        s.max_drawdown_peak_ns = peak_ns;
        s.max_drawdown_trough_ns = p.ts_ns;
      }
    }
    if (underwater)
      s.max_drawdown_duration_s = std::max(s.max_drawdown_duration_s, (s.end_ns - peak_ns) / kNanosPerSecond);

    const auto r = daily_returns(eq);
    s.return_periods = static_cast<int>(r.size());
    s.volatility = annualised_volatility(r);
    s.sharpe = sharpe_ratio(r);
    s.sortino = sortino_ratio(r);

    const std::int64_t total_ns = s.end_ns - s.start_ns;
    s.exposure_pct = total_ns > 0 ? 100.0 * static_cast<double>(exposed_ns) / static_cast<double>(total_ns) : 0.0;
  } else {
    s.total_return = s.cagr = s.volatility = s.sharpe = s.sortino = kNaN;
  }

  for (const RoundTripTrade& t : in.trades) {
    if (!t.closed) continue;
    ++s.trades;
    const Money pnl = t.net_pnl();
    if (pnl.is_positive()) {
      ++s.wins;
      s.gross_profit += pnl;
      s.largest_win = std::max(s.largest_win, pnl);
    } else if (pnl.is_negative()) {
      ++s.losses;
      s.gross_loss += pnl;
      s.largest_loss = std::min(s.largest_loss, pnl);
    }
  }
  s.win_rate = s.trades > 0 ? static_cast<double>(s.wins) / s.trades : kNaN;
  s.profit_factor = s.losses > 0 ? s.gross_profit.to_double() / -s.gross_loss.to_double() : kNaN;
  if (s.wins > 0)
    s.avg_win =
        Money::from_raw(fixed::div_raw(s.gross_profit.raw(), Money::from_units(s.wins).raw(), Rounding::Nearest));
  if (s.losses > 0)
    s.avg_loss =
        Money::from_raw(fixed::div_raw(s.gross_loss.raw(), Money::from_units(s.losses).raw(), Rounding::Nearest));
  return s;
}

namespace {
struct MetricField {
  std::string_view name;
  double (*get)(const PerformanceSummary&);
  bool higher_is_better;
};
constexpr std::array<MetricField, 17> kMetricFields{{
    {"total_return", [](const PerformanceSummary& s) { return s.total_return; }, true},
    {"cagr", [](const PerformanceSummary& s) { return s.cagr; }, true},
    {"sharpe", [](const PerformanceSummary& s) { return s.sharpe; }, true},
    {"sortino", [](const PerformanceSummary& s) { return s.sortino; }, true},
    {"max_drawdown", [](const PerformanceSummary& s) { return s.max_drawdown; }, false},
    {"max_drawdown_duration_s",
     [](const PerformanceSummary& s) { return static_cast<double>(s.max_drawdown_duration_s); }, false},
    {"volatility", [](const PerformanceSummary& s) { return s.volatility; }, false},
    {"win_rate", [](const PerformanceSummary& s) { return s.win_rate; }, true},
    {"profit_factor", [](const PerformanceSummary& s) { return s.profit_factor; }, true},
    {"trades", [](const PerformanceSummary& s) { return static_cast<double>(s.trades); }, true},
    {"net_pnl", [](const PerformanceSummary& s) { return s.net_pnl.to_double(); }, true},
    {"end_equity", [](const PerformanceSummary& s) { return s.end_equity.to_double(); }, true},
    {"avg_win", [](const PerformanceSummary& s) { return s.avg_win.to_double(); }, true},
    {"avg_loss", [](const PerformanceSummary& s) { return s.avg_loss.to_double(); }, true},
    {"exposure_pct", [](const PerformanceSummary& s) { return s.exposure_pct; }, true},
    {"fees_paid", [](const PerformanceSummary& s) { return s.fees_paid.to_double(); }, false},
    {"funding_paid", [](const PerformanceSummary& s) { return s.funding_paid.to_double(); }, false},
}};
const MetricField* find_metric(std::string_view name) {
  for (const auto& f : kMetricFields)
    if (f.name == name) return &f;
  return nullptr;
}
}  // namespace

double metric_value(const PerformanceSummary& s, std::string_view name) {
  const auto* f = find_metric(name);
  return f ? f->get(s) : kNaN;
}
bool is_metric_name(std::string_view name) { return find_metric(name) != nullptr; }
bool metric_higher_is_better(std::string_view name) {
  const auto* f = find_metric(name);
  return f ? f->higher_is_better : true;
}

}  // namespace tradingd::backtest
