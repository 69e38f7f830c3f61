// Sweep grid parsing, the thread-pool runner and the ranked tables. Values are generated with exact
// fixed-point steps (0.1:0.3:0.1 gives 0.1, 0.2, 0.3 — never 0.30000000000000004).
#include "backtest/sweep.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <cctype>
#include <charconv>
#include <cmath>
#include <exception>
#include <thread>

#include "backtest/atomic_file.h"

namespace tradingd::backtest {
namespace {

using Decimal = Rate;  // a dimensionless exact decimal

bool name_ok(std::string_view n) {
  if (n.empty() || !(std::isalpha(static_cast<unsigned char>(n[0])) || n[0] == '_')) return false;
  return std::all_of(n.begin(), n.end(),
                     [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.'; });
}

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  for (std::size_t start = 0;;) {
    const auto p = s.find(sep, start);
    out.push_back(s.substr(start, p == std::string_view::npos ? std::string_view::npos : p - start));
    if (p == std::string_view::npos) return out;
    start = p + 1;
  }
}

std::string_view strip(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

std::string number(double v) {
  if (!std::isfinite(v)) return "";
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

constexpr std::array<std::string_view, 10> kColumns{"total_return", "cagr",       "sharpe",   "sortino",
                                                    "max_drawdown", "volatility", "win_rate", "profit_factor",
                                                    "trades",       "net_pnl"};

}  // namespace

std::size_t SweepGrid::size() const {
  std::size_t n = 1;
  for (const auto& p : params) n *= p.values.size();
  return n;
}

Result<SweepGrid, std::string> parse_sweep(std::string_view spec, std::size_t max_points) {
  SweepGrid grid;
  if (strip(spec).empty()) return Err{std::string("sweep: empty (expected e.g. fast=5:50:5,slow=20:200:10)")};
  std::size_t total = 1;
  for (std::string_view raw : split(spec, ',')) {
    const std::string_view item = strip(raw);
    const std::string quoted = "\"" + std::string(item) + "\"";
    const auto eq = item.find('=');
    if (eq == std::string_view::npos)
      return Err{"sweep: " + quoted + ": expected name=start:stop:step, name=a|b|c or name=value"};
    const std::string_view name = strip(item.substr(0, eq));
    const std::string_view rhs = strip(item.substr(eq + 1));
    if (!name_ok(name)) return Err{"sweep: " + quoted + ": bad parameter name (letters, digits, _ and .)"};
    for (const auto& p : grid.params)
      if (p.name == name) return Err{"sweep: " + std::string(name) + " is given twice"};
    auto parse = [&](std::string_view text, std::string_view what) -> Result<Decimal, std::string> {
      auto d = Decimal::parse(strip(text));
      if (!d)
        return Err{"sweep " + std::string(name) + ": " + std::string(what) + " \"" + std::string(strip(text)) +
                   "\" is " + std::string(tradingd::to_string(d.error()))};
      return *d;
    };
    SweepParam param{std::string(name), {}};
    if (rhs.find(':') != std::string_view::npos) {
      const auto parts = split(rhs, ':');
      if (parts.size() != 3)
        return Err{"sweep " + std::string(name) + ": expected start:stop:step, got \"" + std::string(rhs) + "\""};
      auto start = parse(parts[0], "start");
      if (!start) return Err{start.error()};
      auto stop = parse(parts[1], "stop");
      if (!stop) return Err{stop.error()};
      auto step = parse(parts[2], "step");
      if (!step) return Err{step.error()};
      if (!step->is_positive())
        return Err{"sweep " + std::string(name) + ": step must be positive, got " + step->to_string()};
      if (*start > *stop)
        return Err{"sweep " + std::string(name) + ": empty range (start " + start->to_string() + " > stop " +
                   stop->to_string() + ")"};
      // Count before generating: a huge range must fail fast, not allocate. stop - start fits in 64 unsigned bits.
      const std::uint64_t span = static_cast<std::uint64_t>(stop->raw()) - static_cast<std::uint64_t>(start->raw());
      const std::uint64_t steps = span / static_cast<std::uint64_t>(step->raw());
      if (steps >= max_points)
        return Err{"sweep " + std::string(name) + ": " +
                   (steps == UINT64_MAX ? std::string("too many") : std::to_string(steps + 1)) +
                   " values, more than the limit of " + std::to_string(max_points) + " points"};
      for (std::uint64_t k = 0; k <= steps; ++k)
        param.values.push_back(Decimal::from_raw(static_cast<std::int64_t>(static_cast<std::uint64_t>(start->raw()) +
                                                                           k * static_cast<std::uint64_t>(step->raw())))
                                   .to_string());
    } else {
      for (std::string_view v : split(rhs, '|')) {
        auto d = parse(v, "value");
        if (!d) return Err{d.error()};
        param.values.push_back(d->to_string());
      }
    }
    if (param.values.size() > max_points / total)  // total * count would exceed the limit (and cannot overflow here)
      return Err{"sweep: more than the limit of " + std::to_string(max_points) + " points (" + std::to_string(total) +
                 " x " + std::to_string(param.values.size()) + " so far)"};
    total *= param.values.size();
    grid.params.push_back(std::move(param));
  }
  return grid;
}

SweepPoint grid_point(const SweepGrid& grid, std::size_t index) {
  SweepPoint point(grid.params.size());
  for (std::size_t k = grid.params.size(); k-- > 0;) {
    const auto& values = grid.params[k].values;
    point[k] = {grid.params[k].name, values[index % values.size()]};
    index /= values.size();
  }
  return point;
}

std::string to_string(const SweepPoint& point) {
  std::string s;
  for (const auto& [k, v] : point) s += (s.empty() ? "" : ",") + k + "=" + v;
  return s;
}

std::vector<SweepRun> run_sweep(const SweepGrid& grid, unsigned workers, const SweepFunction& fn,
                                const SweepProgress& progress) {
  const std::size_t n = grid.size();
  std::vector<SweepRun> runs(n);
  for (std::size_t i = 0; i < n; ++i) runs[i] = SweepRun{i, grid_point(grid, i), std::nullopt, {}};
  if (workers == 0) workers = std::max(1u, std::thread::hardware_concurrency());
  workers = static_cast<unsigned>(std::min<std::size_t>(workers, std::max<std::size_t>(n, 1)));
  std::atomic<std::size_t> next{0}, done{0};
  // Each worker writes only the slots of the indices it claimed: no two threads touch one SweepRun.
  auto work = [&] {
    for (std::size_t i = next++; i < n; i = next++) {
      SweepRun& run = runs[i];
      try {
        auto r = fn(run.params);
        if (r)
          run.summary = *r;
        else
          run.error = r.error();
      } catch (const std::exception& e) {
        run.error = std::string("run threw: ") + e.what();
      } catch (...) {
        run.error = "run threw an unknown exception";
      }
      const std::size_t d = ++done;
      if (progress) progress(d, n);
    }
  };
  std::vector<std::jthread> pool;
  for (unsigned w = 1; w < workers; ++w) pool.emplace_back(work);
  work();        // the calling thread is a worker too
  pool.clear();  // joins
  return runs;
}

std::vector<std::size_t> rank_runs(std::span<const SweepRun> runs, std::string_view metric) {
  const bool higher = metric_higher_is_better(metric);
  auto group = [&](const SweepRun& r) {
    return !r.summary ? 2 : std::isfinite(metric_value(*r.summary, metric)) ? 0 : 1;
  };
  std::vector<std::size_t> order(runs.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const int ga = group(runs[a]), gb = group(runs[b]);
    if (ga != gb) return ga < gb;
    if (ga == 0) {
      const double va = metric_value(*runs[a].summary, metric), vb = metric_value(*runs[b].summary, metric);
      if (va != vb) return higher ? va > vb : va < vb;
    }
    return runs[a].index < runs[b].index;
  });
  return order;
}

std::string ranked_csv(const SweepGrid& grid, std::span<const SweepRun> runs, std::string_view metric) {
  std::string s = "rank,grid_index";
  for (const auto& p : grid.params) s += "," + p.name;
  s += "," + std::string(metric);
  for (std::string_view c : kColumns)
    if (c != metric) s += "," + std::string(c);
  s += ",error\n";
  std::size_t rank = 0;
  for (std::size_t i : rank_runs(runs, metric)) {
    const SweepRun& r = runs[i];
    s += std::to_string(++rank) + "," + std::to_string(r.index);
    for (const auto& [k, v] : r.params) s += "," + v;
    s += "," + (r.summary ? number(metric_value(*r.summary, metric)) : "");
    for (std::string_view c : kColumns) {
      if (c == metric) continue;
      s += ",";
      if (!r.summary) continue;
      s += c == "net_pnl" ? r.summary->net_pnl.to_string() : number(metric_value(*r.summary, c));
    }
    std::string err = r.error;
    std::replace(err.begin(), err.end(), ',', ';');
    std::replace(err.begin(), err.end(), '\n', ' ');
    s += "," + err + "\n";
  }
  return s;
}

std::string ranked_text(const SweepGrid& grid, std::span<const SweepRun> runs, std::string_view metric,
                        std::size_t max_rows) {
  const auto order = rank_runs(runs, metric);
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> header{"rank"};
  for (const auto& p : grid.params) header.push_back(p.name);
  header.push_back(std::string(metric));
  for (std::string_view c : {"total_return", "sharpe", "max_drawdown", "trades"})
    if (c != metric) header.emplace_back(c);
  rows.push_back(header);
  std::vector<std::string> notes{""};
  auto fmt = [](double v, std::string_view name) {
    if (!std::isfinite(v)) return std::string("-");
    char buf[64];
    if (name == "trades" || name == "max_drawdown_duration_s")
      std::snprintf(buf, sizeof buf, "%.0f", v);
    else if (name == "total_return" || name == "cagr" || name == "max_drawdown" || name == "volatility" ||
             name == "win_rate")
      std::snprintf(buf, sizeof buf, "%.2f%%", v * 100);
    else
      std::snprintf(buf, sizeof buf, "%.3f", v);
    return std::string(buf);
  };
  for (std::size_t k = 0; k < order.size() && k < max_rows; ++k) {
    const SweepRun& r = runs[order[k]];
    std::vector<std::string> row{std::to_string(k + 1)};
    for (const auto& [n, v] : r.params) row.push_back(v);
    for (std::size_t c = grid.params.size() + 1; c < header.size(); ++c)
      row.push_back(r.summary ? fmt(metric_value(*r.summary, header[c]), header[c]) : "-");
    rows.push_back(std::move(row));
    notes.push_back(r.summary ? std::string() : "error: " + r.error);  // after the aligned columns
  }
  std::vector<std::size_t> width(header.size(), 0);
  for (const auto& row : rows)
    for (std::size_t c = 0; c < row.size(); ++c) width[c] = std::max(width[c], row[c].size());
  std::string s = "Sweep of " + std::to_string(runs.size()) + " runs ranked by " + std::string(metric) + " (" +
                  (metric_higher_is_better(metric) ? "higher" : "lower") + " is better; ties in grid order)\n";
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto& row = rows[i];
    std::string line;
    for (std::size_t c = 0; c < row.size(); ++c) {
      const std::string cell = row[c];
      if (c) line += "  ";
      line += c == 0 || c > grid.params.size() ? std::string(width[c] - std::min(width[c], cell.size()), ' ') + cell
                                               : cell + std::string(width[c] - std::min(width[c], cell.size()), ' ');
    }
    if (!notes[i].empty()) line += "  " + notes[i];
    while (!line.empty() && line.back() == ' ') line.pop_back();
    s += line + "\n";
  }
  if (order.size() > max_rows) s += "(" + std::to_string(order.size() - max_rows) + " more in sweep.csv)\n";
  return s;
}

Result<std::vector<std::filesystem::path>, LoadError> write_sweep_results(const std::filesystem::path& dir,
                                                                          const SweepGrid& grid,
                                                                          std::span<const SweepRun> runs,
                                                                          std::string_view metric) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Err{LoadError{dir.string(), 0, "cannot create the output directory: " + ec.message()}};
  std::vector<std::filesystem::path> out;
  for (const auto& [name, content] :
       {std::pair<const char*, std::string>{"sweep.csv", ranked_csv(grid, runs, metric)},
        std::pair<const char*, std::string>{"sweep.txt", ranked_text(grid, runs, metric)}}) {
    auto w = write_file_atomically(dir / name, content);
    if (!w) return Err{w.error()};
    out.push_back(*w);
  }
  return out;
}

}  // namespace tradingd::backtest
