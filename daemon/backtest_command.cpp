// `tradingd backtest --config FILE --data PATH... [--from T] [--to T] --out DIR [--sweep SPEC] [--seed N]
// [--rank METRIC] [--threads N]`: historical data through the same TradingNode, simulated venues, RiskGuard,
// portfolio and strategies as paper mode, on a simulated clock; results (summary.json, trades.csv,
// orders.csv, fills.csv, equity.csv, report.html) in DIR, or with --sweep one run per grid point in
// parallel and a ranked table (sweep.csv, sweep.txt, and stdout).
#include <spdlog/spdlog.h>

#include <array>
#include <charconv>
#include <iostream>
#include <thread>

#include "backtest/backtest_run.h"
#include "backtest/data_set.h"
#include "backtest/progress.h"
#include "backtest/results.h"
#include "backtest/sweep.h"
#include "config/load.h"
#include "daemon/backtest_strategies.h"
#include "daemon/commands.h"
#include "daemon/exit_codes.h"
#include "daemon/logging.h"
#include "daemon/paper_node.h"

namespace tradingd::daemon {
namespace {

namespace bt = tradingd::backtest;

struct Failure {
  int code = kExitUsage;
  std::string message;
};

int fail(const Failure& f) {
  std::cerr << "tradingd backtest: " << f.message << '\n';
  return f.code;
}

std::optional<std::uint64_t> parse_u64(std::string_view s) {
  std::uint64_t v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || end != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

std::string fmt_pct(double v) {
  if (v != v) return "n/a";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f%%", v * 100.0);
  return buf;
}
std::string fmt_num(double v) {
  if (v != v) return "n/a";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", v);
  return buf;
}

struct Invocation {
  config::Config config;
  std::vector<bt::DataFilePlan> plans;
  bt::BacktestSpec spec;
  std::filesystem::path out;
  std::optional<std::string> sweep;
  std::string rank = "sharpe";
  unsigned threads = 0;
};

Result<Invocation, Failure> parse_invocation(Args args) {
  constexpr std::array<std::string_view, 9> kValued{"config", "data", "from", "to", "out", "sweep", "seed", "rank",
                                                    "threads"};
  auto parsed = parse_args(args, kValued, "backtest");
  if (!parsed) return Err(Failure{kExitUsage, parsed.error()});
  Invocation inv;
  std::vector<std::string> data;
  for (const auto& [k, v] : parsed->options)
    if (k == "data") data.push_back(v);
  // `--data a.csv b.csv`: the paths after the first --data are positionals.
  for (const auto& p : parsed->positionals) {
    if (data.empty()) return Err(Failure{kExitUsage, "unexpected argument " + p + " (see tradingd backtest --help)"});
    data.push_back(p);
  }
  if (data.empty()) return Err(Failure{kExitUsage, "--data is required: one or more data files or directories"});
  const auto out = parsed->get("out");
  if (!out || out->empty()) return Err(Failure{kExitUsage, "--out DIR is required (where the results are written)"});
  inv.out = *out;

  auto cfg = config::load_effective_config(parsed->get("config"), config::process_env());
  if (!cfg) {
    std::string msg = "invalid configuration:";
    for (const auto& e : cfg.error()) msg += "\n  " + e.to_string();
    return Err(Failure{kExitUsage, msg});
  }
  inv.config = std::move(*cfg);
  bool any_strategy = false;
  for (const auto& s : inv.config.strategies) any_strategy = any_strategy || s.enabled;
  if (!any_strategy)
    return Err(Failure{kExitUsage, "the configuration has no enabled strategy (add one under strategies:, see "
                                   "config/backtest.example.yaml)"});

  auto& spec = inv.spec;
  spec.config = inv.config;
  for (const char* name : {"from", "to"}) {
    if (const auto t = parsed->get(name)) {
      const auto ns = bt::parse_time_arg(*t);
      if (!ns)
        return Err(Failure{kExitUsage, "--" + std::string(name) + " " + *t +
                                           ": expected a UTC date (2024-01-31), date-time (2024-01-31T12:00:00Z) or "
                                           "epoch milliseconds"});
      (std::string_view(name) == "from" ? spec.from_ns : spec.to_ns) = *ns;
    }
  }
  if (spec.from_ns && spec.to_ns && *spec.from_ns >= *spec.to_ns)
    return Err(Failure{kExitUsage, "--from must be before --to"});
  spec.seed = inv.config.backtest.seed;
  if (const auto s = parsed->get("seed")) {
    const auto v = parse_u64(*s);
    if (!v) return Err(Failure{kExitUsage, "--seed " + *s + ": expected a whole number (0..18446744073709551615)"});
    spec.seed = *v;
  }
  if (const auto r = parsed->get("rank")) {
    if (!bt::is_metric_name(*r))
      return Err(Failure{kExitUsage, "--rank " + *r + ": not a summary metric (sharpe, sortino, total_return, cagr, "
                                                      "max_drawdown, profit_factor, win_rate, ...)"});
    inv.rank = *r;
  }
  if (const auto t = parsed->get("threads")) {
    const auto v = parse_u64(*t);
    if (!v || *v > 1024) return Err(Failure{kExitUsage, "--threads " + *t + ": expected 0 (all cores) to 1024"});
    inv.threads = static_cast<unsigned>(*v);
  }
  inv.sweep = parsed->get("sweep");

  // Data files and their instruments. A file that is missing or unreadable is a runtime failure (1); one
  // the configuration cannot name an instrument for is a configuration error (2).
  auto files = bt::expand_data_paths(data);
  if (!files) return Err(Failure{kExitRuntimeFailure, files.error()});
  for (const auto& f : *files) {
    auto plan = bt::plan_data_file(f, inv.config);
    if (!plan) {
      const bool naming = plan.error().find("no instrument") != std::string::npos;
      return Err(Failure{naming ? kExitUsage : kExitRuntimeFailure, plan.error()});
    }
    inv.plans.push_back(std::move(*plan));
  }
  const auto add_instrument = [&](const InstrumentId& id) {
    for (const auto& i : spec.instruments)
      if (i.id == id) return;
    config::InstrumentConfig ic;
    ic.id = id;
    for (const auto& c : inv.config.instruments)
      if (c.id == id) ic = c;
    spec.instruments.push_back(paper_instrument_rules(ic));
  };
  for (const auto& plan : inv.plans) {
    spec.source_kinds.push_back(plan.instrument.kind);
    if (plan.format != bt::DataFormat::Frames) {
      add_instrument(plan.instrument);
      continue;
    }
    // A recording carries whatever its connection subscribed: the venue's configured instruments.
    for (const auto& c : inv.config.instruments)
      if (c.id.venue == plan.instrument.venue) add_instrument(c.id);
  }
  for (const auto& s : inv.config.strategies) {
    if (!s.enabled) continue;
    for (const auto& id : s.instruments) {
      bool has = false;
      for (const auto& i : spec.instruments) has = has || i.id == id;
      if (!has)
        std::cerr << "tradingd backtest: warning: strategy " << s.name << " trades " << id.to_string()
                  << " but no data file is for it (it will see no bars)\n";
    }
  }
  for (const auto& plan : inv.plans) spec.bar_interval_s = std::max(spec.bar_interval_s, plan.interval_s);
  spec.title.clear();
  for (const auto& s : inv.config.strategies) {
    if (!s.enabled) continue;
    if (!spec.title.empty()) spec.title += " + ";
    spec.title += s.name + (s.type.empty() ? "" : " (" + s.type + ")");
  }
  spec.parameters["seed"] = std::to_string(spec.seed);
  std::string files_list;
  for (const auto& plan : inv.plans) files_list += (files_list.empty() ? "" : ";") + plan.path.filename().string();
  spec.parameters["data"] = files_list;
  if (!inv.config.source_path.empty())
    spec.parameters["config"] = std::filesystem::path(inv.config.source_path).filename().string();
  for (const auto& s : inv.config.strategies) {
    if (!s.enabled) continue;
    for (const auto& [k, v] : s.params) spec.parameters[s.name + "." + k] = v;
  }
  return inv;
}

void print_summary(const bt::BacktestResults& r, std::uint64_t events, const std::filesystem::path& out) {
  const auto& s = r.summary;
  std::cout << "Backtest done events=" << events << " trades=" << s.trades << " net_pnl=" << s.net_pnl.to_string()
            << ' ' << r.currency << " total_return=" << fmt_pct(s.total_return) << " max_drawdown="
            << fmt_pct(s.max_drawdown) << " sharpe=" << fmt_num(s.sharpe) << " fees=" << s.fees_paid.to_string()
            << " out=" << out.string() << '\n';
}

int run_single(Invocation& inv) {
  bt::EventMerger merger;
  if (auto opened = bt::open_data_set(inv.plans, merger); !opened)
    return fail({kExitRuntimeFailure, opened.error()});
  const std::uint64_t total = bt::count_lines(inv.plans);
  inv.spec.expected_events = total;
  RealClock clock;
  auto progress = bt::ProgressReporter::to_stderr(total, "backtest", "events", clock);
  bt::MergerCursor cursor(merger);
  bt::RunProgress rp;
  std::uint64_t events = 0;
  rp.report = [&](std::uint64_t n) { progress.set(n); };
  rp.delivered = &events;
  auto result = bt::run_backtest(inv.spec, cursor, backtest_strategy_attacher(), rp);
  progress.finish();
  if (!result) return fail({kExitRuntimeFailure, result.error()});
  auto written = bt::write_results(inv.out, *result);
  if (!written) return fail({kExitRuntimeFailure, "cannot write the results: " + written.error().to_string()});
  print_summary(*result, events, inv.out);
  return kExitOk;
}

int run_sweep_command(Invocation& inv) {
  auto grid = bt::parse_sweep(*inv.sweep, static_cast<std::size_t>(inv.config.backtest.max_sweep_points));
  if (!grid) return fail({kExitUsage, "--sweep: " + grid.error()});
  // Check the grid against the configuration before loading anything.
  if (auto probe = bt::apply_sweep_point(inv.config, bt::grid_point(*grid, 0)); !probe)
    return fail({kExitUsage, "--sweep: " + probe.error()});
  // Loaded once; every run reads the same events (read-only) from its own thread.
  auto events = bt::load_data_set(inv.plans);
  if (!events) return fail({kExitRuntimeFailure, events.error()});
  const std::vector<bt::HistoricalEvent>& shared = *events;
  const unsigned workers = inv.threads != 0 ? inv.threads : std::max(1u, std::thread::hardware_concurrency());
  RealClock clock;
  auto progress = bt::ProgressReporter::to_stderr(grid->size(), "sweep", "runs", clock);
  const auto attacher = backtest_strategy_attacher();
  const bt::BacktestSpec& base = inv.spec;
  auto runs = bt::run_sweep(
      *grid, workers,
      [&](const bt::SweepPoint& point) -> Result<bt::PerformanceSummary, std::string> {
        auto cfg = bt::apply_sweep_point(base.config, point);
        if (!cfg) return Err(cfg.error());
        bt::BacktestSpec spec = base;
        spec.config = std::move(*cfg);
        bt::SpanCursor cursor(shared);
        auto r = bt::run_backtest(spec, cursor, attacher);
        if (!r) return Err(r.error());
        return r->summary;
      },
      [&](std::size_t, std::size_t) { progress.advance(); });
  progress.finish();
  auto written = bt::write_sweep_results(inv.out, *grid, runs, inv.rank);
  if (!written) return fail({kExitRuntimeFailure, "cannot write the sweep table: " + written.error().to_string()});
  std::cout << bt::ranked_text(*grid, runs, inv.rank);
  std::size_t failed = 0;
  for (const auto& r : runs) failed += r.summary ? 0 : 1;
  std::cout << "Sweep done runs=" << runs.size() << " failed=" << failed << " workers=" << workers
            << " rank=" << inv.rank << " out=" << inv.out.string() << '\n';
  return failed == runs.size() ? kExitRuntimeFailure : kExitOk;
}

}  // namespace

int backtest_command(Args args) {
  auto inv = parse_invocation(args);
  if (!inv) return fail(inv.error());
  // The node logs its start-up and every breaker trip; a run (and certainly a sweep) wants only the latter.
  const auto level = parse_log_level(inv->config.log.level).value_or(spdlog::level::info);
  init_logging(inv->config.log.format, level <= spdlog::level::debug ? level : std::max(level, spdlog::level::warn));
  return inv->sweep ? run_sweep_command(*inv) : run_single(*inv);
}

}  // namespace tradingd::daemon
