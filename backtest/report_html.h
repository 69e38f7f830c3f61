// report.html: ONE self-contained page (inline CSS, SVG and a few lines of script; no network at view time)
// with KPI cards, the equity curve, the drawdown, a price chart per instrument with entries and exits
// marked, the performance table and the trades. Pure: the same results give the same bytes.
#pragma once

#include <string>

#include "backtest/results.h"

namespace tradingd::backtest {

std::string report_html(const BacktestResults& r);

// The report's trades table stops here (the CSV has them all); the charts show every trade.
inline constexpr std::size_t kReportMaxTradeRows = 500;
// Markers per price chart: beyond this a chart is a blur and the page grows by megabytes.
inline constexpr std::size_t kReportMaxMarkedTrades = 5000;

}  // namespace tradingd::backtest
