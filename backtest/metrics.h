// Performance metrics of a backtest from its equity curve and round-trip trades. Money stays exact; ratios
// are doubles (statistics). Undefined ratios are NaN (written as null): Sharpe/Sortino/volatility with
// fewer than two periods, a profit factor without losing trades, CAGR over zero time.
//
// Conventions (24/7 markets; also written into summary.json under "conventions"):
//  - Returns are sampled per UTC day: the equity at each UTC midnight inside the run (the last sample at
//    or before it), plus the first and the last sample. A partial first or last day is one period.
//    r_i = E_i / E_{i-1} - 1 (simple returns).
//  - Annualisation: 365 periods per year (crypto trades every day); volatility = stdev(r) * sqrt(365) with
//    the sample standard deviation (n - 1).
//  - Sharpe = mean(r) / stdev(r) * sqrt(365), risk-free rate 0.
//  - Sortino = mean(r) / downside deviation * sqrt(365), downside deviation = sqrt(sum(min(r, 0)^2) / n)
//    (target 0, all n periods in the denominator).
//  - CAGR = (E_end / E_start)^(365 days / elapsed) - 1, elapsed from the first to the last sample.
//  - Max drawdown = max over samples of (running peak - E) / running peak, on every sample (not daily).
//    Its duration is the longest time below a previous peak: from the peak to the first sample back at or
//    above it, or to the last sample if it never recovered.
//  - Trades: closed round trips only; a win has net PnL (after fees) > 0, a loss < 0, zero is neither.
//    Win rate = wins / trades; profit factor = sum of wins / |sum of losses|; averages are per win/loss.
//  - Exposure % = share of the run's time with non-zero exposure (each sample's exposure holds until the
//    next sample).
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "backtest/records.h"
#include "backtest/trades.h"

namespace tradingd::backtest {

inline constexpr double kPeriodsPerYear = 365.0;
inline constexpr std::string_view kReturnSampling = "daily (UTC midnight closes)";

struct PerformanceSummary {
  UnixNanos start_ns = 0;
  UnixNanos end_ns = 0;
  Money start_equity;
  Money end_equity;
  Money net_pnl;  // end - start
  Money fees_paid;
  Money funding_paid;  // positive: paid; negative: received

  double total_return = 0;  // fractions: 0.05 = +5 %
  double cagr = 0;
  double max_drawdown = 0;  // 0.25 = 25 % below the peak
  Money max_drawdown_amount;
  UnixNanos max_drawdown_peak_ns = 0;
  UnixNanos max_drawdown_trough_ns = 0;
  std::int64_t max_drawdown_duration_s = 0;
  double volatility = 0;  // annualised
  double sharpe = 0;
  double sortino = 0;
  int return_periods = 0;

  int trades = 0;
  int wins = 0;
  int losses = 0;
  double win_rate = 0;
  double profit_factor = 0;
  Money gross_profit;  // sum of winning trades' net PnL
  Money gross_loss;    // sum of losing trades' net PnL (negative)
  Money avg_win;
  Money avg_loss;  // negative
  Money largest_win;
  Money largest_loss;       // negative
  double exposure_pct = 0;  // 0..100
};

struct MetricsInput {
  std::span<const EquityPoint> equity;     // time order
  std::span<const RoundTripTrade> trades;  // open ones are skipped
  Money fees_paid;
  Money funding_paid;
};

PerformanceSummary compute_metrics(const MetricsInput& in);

// The per-period returns the ratios use (exposed for tests and the report).
std::vector<double> daily_returns(std::span<const EquityPoint> equity);

// Building blocks, each with the convention above.
double sharpe_ratio(std::span<const double> returns);
double sortino_ratio(std::span<const double> returns);
double annualised_volatility(std::span<const double> returns);
double cagr(double start_equity, double end_equity, std::int64_t elapsed_ns);

// The value of a summary field by its summary.json name ("sharpe", "total_return", "max_drawdown", ...) for
// ranking sweeps; NaN for an unknown name (check with is_metric_name).
double metric_value(const PerformanceSummary& s, std::string_view name);
bool is_metric_name(std::string_view name);
// Whether a larger value is better (false for max_drawdown, volatility, fees...).
bool metric_higher_is_better(std::string_view name);

}  // namespace tradingd::backtest
