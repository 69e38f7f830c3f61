// Parameter sweeps: `--sweep 'fast=5:50:5,slow=20:200:10'` parsed into a grid, a deterministic parallel
// runner (N worker threads pull grid indices; results land in grid order whatever order runs finish in),
// and the ranked table (CSV and aligned text) ordered by a chosen metric with ties broken by grid order.
// Grid order is row-major: the first parameter varies slowest, the last fastest.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "backtest/load_error.h"
#include "backtest/metrics.h"
#include "core/result.h"

namespace tradingd::backtest {

struct SweepParam {
  std::string name;
  std::vector<std::string> values;  // canonical decimals ("5", "0.25"), in order
};

struct SweepGrid {
  std::vector<SweepParam> params;
  std::size_t size() const;  // the product of the value counts (1 for an empty grid)
};

// name -> value, in the grid's parameter order; values are exact decimal text for the strategy's config.
using SweepPoint = std::vector<std::pair<std::string, std::string>>;

// Each item is name=start:stop:step (stop included when the steps land on it), name=v1|v2|..., or name=v.
// Names are [A-Za-z_][A-Za-z0-9_.]*; values exact decimals. Errors name the item and what is wrong: bad
// syntax, a bad number, a non-positive step, an empty range (start > stop), a name given twice, or more
// than max_points points in all.
Result<SweepGrid, std::string> parse_sweep(std::string_view spec, std::size_t max_points = 10'000);

SweepPoint grid_point(const SweepGrid& grid, std::size_t index);
std::string to_string(const SweepPoint& point);  // "fast=5,slow=20"

struct SweepRun {
  std::size_t index = 0;  // in grid order
  SweepPoint params;
  std::optional<PerformanceSummary> summary;  // empty when the run failed
  std::string error;                          // why it failed
};

using SweepFunction = std::function<Result<PerformanceSummary, std::string>(const SweepPoint&)>;
using SweepProgress = std::function<void(std::size_t done, std::size_t total)>;  // called from worker threads

// Runs fn on every grid point over `workers` threads (0: one per hardware thread). fn must be thread-safe
// (each run its own engine); an exception it throws becomes that run's error, never escapes.
std::vector<SweepRun> run_sweep(const SweepGrid& grid, unsigned workers, const SweepFunction& fn,
                                const SweepProgress& progress = {});

// Run order for the table: successful runs by the metric (best first; higher is better except for
// drawdown, volatility and costs), ties by grid index; then runs whose metric is undefined; then failures.
std::vector<std::size_t> rank_runs(std::span<const SweepRun> runs, std::string_view metric);

std::string ranked_csv(const SweepGrid& grid, std::span<const SweepRun> runs, std::string_view metric);
std::string ranked_text(const SweepGrid& grid, std::span<const SweepRun> runs, std::string_view metric,
                        std::size_t max_rows = 50);

// sweep.csv and sweep.txt in dir.
Result<std::vector<std::filesystem::path>, LoadError> write_sweep_results(const std::filesystem::path& dir,
                                                                          const SweepGrid& grid,
                                                                          std::span<const SweepRun> runs,
                                                                          std::string_view metric);

}  // namespace tradingd::backtest
