// A finished backtest's results and the writers of its output directory: summary.json, trades.csv,
// orders.csv, fills.csv, equity.csv and report.html. Every file is a pure function of the results (no
// clock, no locale, no host name), so the same run gives byte-identical files; write_results() is the only
// I/O and writes each file atomically (atomic_file.h).
#pragma once

#include <filesystem>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "backtest/load_error.h"
#include "backtest/metrics.h"
#include "backtest/records.h"
#include "backtest/trades.h"
#include "core/result.h"

namespace tradingd::backtest {

// One instrument's prices for the report's chart (bar closes are enough).
struct PricePoint {
  UnixNanos ts_ns = 0;
  Price price;
};
struct PriceSeries {
  InstrumentId instrument;
  std::vector<PricePoint> points;  // time order
};

struct BacktestResults {
  std::string title = "Backtest";                 // e.g. the strategy's name
  std::string currency = "USDT";                  // the account currency equity and PnL are in
  std::map<std::string, std::string> parameters;  // strategy parameters, seed, data files: echoed in the summary
  std::vector<EquityPoint> equity;
  std::vector<FillRecord> fills;
  std::vector<OrderRecord> orders;
  std::vector<RoundTripTrade> trades;  // closed ones, then any still open
  std::vector<PriceSeries> prices;
  PerformanceSummary summary;
};

// Fills `trades` (with the open ones) and `summary` from equity, fills and funding: what the loop calls at
// the end of a run before writing.
void finalize_results(BacktestResults& results, Money funding_paid,
                      const std::map<InstrumentId, Quantity>& contract_multipliers = {});

// The instruments of a run: those with prices, then any others that traded, in first-seen order.
std::vector<InstrumentId> result_instruments(const BacktestResults& r);

// The files' contents.
std::string summary_json(const BacktestResults& r);
std::string trades_csv(std::span<const RoundTripTrade> trades);
std::string orders_csv(std::span<const OrderRecord> orders);
std::string fills_csv(std::span<const FillRecord> fills);
std::string equity_csv(std::span<const EquityPoint> equity);  // time,equity,cash,exposure,drawdown

// Writes all six files into dir (created if needed); returns their paths in the order above.
Result<std::vector<std::filesystem::path>, LoadError> write_results(const std::filesystem::path& dir,
                                                                    const BacktestResults& r);

// A CSV field, quoted (RFC 4180) when it holds a comma, a quote or a line break.
std::string csv_escape(std::string_view s);

}  // namespace tradingd::backtest
