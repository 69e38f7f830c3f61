// Sweep grids (syntax, exact decimal steps, every error named), the parallel runner's grid-order results,
// ranking with deterministic ties, the ranked table bytes, and the progress bar's formatting and pacing.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <mutex>
#include <thread>

#include "backtest/progress.h"
#include "backtest/sweep.h"
#include "tests/backtest/test_util.h"

namespace tradingd::backtest {
namespace {

TEST(SweepParse, RangesListsAndSingleValuesInGridOrder) {
  auto g = parse_sweep("fast=5:50:5,slow=20:200:10");
  ASSERT_TRUE(g) << g.error();
  ASSERT_EQ(g->params.size(), 2u);
  EXPECT_EQ(g->params[0].values.size(), 10u);  // 5, 10, ..., 50
  EXPECT_EQ(g->params[1].values.size(), 19u);  // 20, 30, ..., 200
  EXPECT_EQ(g->size(), 190u);
  // Row-major: the last parameter varies fastest.
  EXPECT_EQ(to_string(grid_point(*g, 0)), "fast=5,slow=20");
  EXPECT_EQ(to_string(grid_point(*g, 1)), "fast=5,slow=30");
  EXPECT_EQ(to_string(grid_point(*g, 19)), "fast=10,slow=20");
  EXPECT_EQ(to_string(grid_point(*g, 189)), "fast=50,slow=200");

  auto d = parse_sweep(" k = 0.1:0.3:0.1 , x=1:2:0.3, mode=1|2|5, w=7");
  ASSERT_TRUE(d) << d.error();
  EXPECT_EQ(d->params[0].values, (std::vector<std::string>{"0.1", "0.2", "0.3"}));  // exact, no 0.30000000000000004
  EXPECT_EQ(d->params[1].values, (std::vector<std::string>{"1", "1.3", "1.6", "1.9"}));  // stops before passing 2
  EXPECT_EQ(d->params[2].values, (std::vector<std::string>{"1", "2", "5"}));
  EXPECT_EQ(d->params[3].values, (std::vector<std::string>{"7"}));
  EXPECT_EQ(d->size(), 36u);
  EXPECT_EQ(parse_sweep("n=-2:2:2")->params[0].values, (std::vector<std::string>{"-2", "0", "2"}));
}

TEST(SweepParse, ErrorsNameTheProblem) {
  auto err = [](std::string_view spec, std::size_t max = 10'000) {
    auto r = parse_sweep(spec, max);
    return r ? std::string("(parsed)") : r.error();
  };
  EXPECT_EQ(err(""), "sweep: empty (expected e.g. fast=5:50:5,slow=20:200:10)");
  EXPECT_EQ(err("fast"), "sweep: \"fast\": expected name=start:stop:step, name=a|b|c or name=value");
  EXPECT_EQ(err("fast=5:50"), "sweep fast: expected start:stop:step, got \"5:50\"");
  EXPECT_EQ(err("fast=a:50:5"), "sweep fast: start \"a\" is not a decimal number");
  EXPECT_EQ(err("fast=5:50:0"), "sweep fast: step must be positive, got 0");
  EXPECT_EQ(err("fast=5:50:-5"), "sweep fast: step must be positive, got -5");
  EXPECT_EQ(err("fast=50:5:5"), "sweep fast: empty range (start 50 > stop 5)");
  EXPECT_EQ(err("fast=1:2:1,fast=3:4:1"), "sweep: fast is given twice");
  EXPECT_EQ(err("9x=1"), "sweep: \"9x=1\": bad parameter name (letters, digits, _ and .)");
  EXPECT_EQ(err("fast=5:50:5,"), "sweep: \"\": expected name=start:stop:step, name=a|b|c or name=value");
  EXPECT_EQ(err("m=1||2"), "sweep m: value \"\" is empty string");
  EXPECT_EQ(err("fast=0:1000000:1"), "sweep fast: 1000001 values, more than the limit of 10000 points");
  EXPECT_EQ(err("a=1:100:1,b=1:200:1"), "sweep: more than the limit of 10000 points (100 x 200 so far)");
  EXPECT_EQ(err("a=1:10:1,b=1:10:1", 99), "sweep: more than the limit of 99 points (10 x 10 so far)");
  EXPECT_EQ(err("a=-9223372036:9223372036:0.000000001"),
            "sweep a: 18446744072000000001 values, more than the limit of 10000 points");  // counted, never generated
  EXPECT_TRUE(parse_sweep("a=1:10:1,b=1:10:1", 100));
}

PerformanceSummary summary_with(double sharpe, double drawdown) {
  PerformanceSummary s;
  s.sharpe = sharpe;
  s.max_drawdown = drawdown;
  s.total_return = sharpe / 10;
  s.trades = 3;
  if (std::isfinite(sharpe)) s.net_pnl = Money::from_units(static_cast<std::int64_t>(sharpe * 100));
  return s;
}

TEST(SweepRunner, ResultsComeInGridOrderWhateverFinishesFirst) {
  auto g = parse_sweep("a=1:4:1,b=1:3:1");
  ASSERT_TRUE(g);
  std::mutex m;
  std::vector<std::size_t> finish_order;
  std::vector<std::pair<std::size_t, std::size_t>> progress;
  const auto runs = run_sweep(
      *g, 4,
      [&](const SweepPoint& p) -> Result<PerformanceSummary, std::string> {
        const int a = std::stoi(p[0].second), b = std::stoi(p[1].second);
        // Early grid points take longest, so they finish last.
        std::this_thread::sleep_for(std::chrono::milliseconds((13 - a * 3 - b) * 2));
        {
          std::lock_guard lock(m);
          finish_order.push_back(static_cast<std::size_t>((a - 1) * 3 + (b - 1)));
        }
        if (a == 2 && b == 2) return Err{std::string("no data for a=2,b=2")};
        if (a == 3 && b == 3) throw std::runtime_error("boom");
        return summary_with(a * 10 + b, 0.1);
      },
      [&](std::size_t done, std::size_t total) {
        std::lock_guard lock(m);
        progress.emplace_back(done, total);
      });
  ASSERT_EQ(runs.size(), 12u);
  for (std::size_t i = 0; i < runs.size(); ++i) {
    EXPECT_EQ(runs[i].index, i);
    EXPECT_EQ(runs[i].params, grid_point(*g, i));
  }
  EXPECT_EQ(runs[0].summary->sharpe, 11);
  EXPECT_EQ(runs[11].summary->sharpe, 43);
  EXPECT_FALSE(runs[4].summary);
  EXPECT_EQ(runs[4].error, "no data for a=2,b=2");
  EXPECT_FALSE(runs[8].summary);
  EXPECT_EQ(runs[8].error, "run threw: boom");
  EXPECT_EQ(finish_order.size(), 12u);
  EXPECT_NE(finish_order.front(), 0u);  // completion order really differed from grid order
  ASSERT_EQ(progress.size(), 12u);
  EXPECT_EQ(progress.back(), (std::pair<std::size_t, std::size_t>{12, 12}));
}

TEST(SweepRunner, SameResultsOnOneOrManyWorkers) {
  auto g = parse_sweep("a=1:30:1");
  ASSERT_TRUE(g);
  auto fn = [](const SweepPoint& p) -> Result<PerformanceSummary, std::string> {
    return summary_with(std::stod(p[0].second) * 1.5, 0.0);
  };
  const auto one = run_sweep(*g, 1, fn);
  const auto many = run_sweep(*g, 8, fn);
  const auto all = run_sweep(*g, 0, fn);
  ASSERT_EQ(one.size(), many.size());
  for (std::size_t i = 0; i < one.size(); ++i) {
    EXPECT_EQ(one[i].summary->sharpe, many[i].summary->sharpe);
    EXPECT_EQ(one[i].summary->sharpe, all[i].summary->sharpe);
  }
  EXPECT_EQ(ranked_csv(*g, one, "sharpe"), ranked_csv(*g, many, "sharpe"));
}

std::vector<SweepRun> fixed_runs(const SweepGrid& g) {
  // Sharpe by grid index: 1.5, 2, NaN, 2, (failed), 0.5 — a tie at 2 (indices 1 and 3).
  const double sharpe[] = {1.5, 2.0, std::nan(""), 2.0, 0, 0.5};
  const double dd[] = {0.2, 0.1, 0.3, 0.05, 0, 0.1};
  std::vector<SweepRun> runs;
  for (std::size_t i = 0; i < 6; ++i) {
    SweepRun r{i, grid_point(g, i), summary_with(sharpe[i], dd[i]), {}};
    if (i == 4) {
      r.summary.reset();
      r.error = "bad data, line 3";
    }
    runs.push_back(r);
  }
  return runs;
}

TEST(SweepRanking, TiesByGridOrderUndefinedThenFailuresLast) {
  auto g = parse_sweep("fast=1:2:1,slow=10:30:10");
  ASSERT_TRUE(g);
  const auto runs = fixed_runs(*g);
  EXPECT_EQ(rank_runs(runs, "sharpe"), (std::vector<std::size_t>{1, 3, 0, 5, 2, 4}));
  // Lower drawdown is better: 0.05 (3), 0.1 (1, then 5 by grid order), 0.2 (0), 0.3 (2); failure last.
  EXPECT_EQ(rank_runs(runs, "max_drawdown"), (std::vector<std::size_t>{3, 1, 5, 0, 2, 4}));
}

TEST(SweepRanking, CsvAndTextTables) {
  auto g = parse_sweep("fast=1:2:1,slow=10:30:10");
  ASSERT_TRUE(g);
  const auto runs = fixed_runs(*g);
  const std::string csv = ranked_csv(*g, runs, "sharpe");
  EXPECT_EQ(csv.substr(0, csv.find('\n')),
            "rank,grid_index,fast,slow,sharpe,total_return,cagr,sortino,max_drawdown,volatility,win_rate,profit_factor,"
            "trades,"
            "net_pnl,error");
  std::vector<std::string> lines;
  for (std::size_t s = 0, e; (e = csv.find('\n', s)) != std::string::npos; s = e + 1)
    lines.push_back(csv.substr(s, e - s));
  ASSERT_EQ(lines.size(), 7u);
  EXPECT_EQ(lines[1], "1,1,1,20,2,0.2,0,0,0.1,0,0,0,3,200,");
  EXPECT_EQ(lines[2], "2,3,2,10,2,0.2,0,0,0.05,0,0,0,3,200,");
  EXPECT_EQ(lines[5], "5,2,1,30,,,0,0,0.3,0,0,0,3,0,");  // NaN sharpe (and its derived return): empty cells
  EXPECT_EQ(lines[6], "6,4,2,20,,,,,,,,,,,bad data; line 3");
  const std::string text = ranked_text(*g, runs, "sharpe");
  EXPECT_EQ(text.substr(0, text.find('\n')), "Sweep of 6 runs ranked by sharpe (higher is better; ties in grid order)");
  EXPECT_NE(text.find("rank  fast  slow  sharpe  total_return  max_drawdown  trades"), std::string::npos) << text;
  EXPECT_NE(text.find("   1  1     20     2.000        20.00%        10.00%       3"), std::string::npos) << text;
  EXPECT_NE(text.find("error: bad data, line 3"), std::string::npos);
}

TEST(SweepRanking, WritesBothFiles) {
  test::TempDir dir;
  auto g = parse_sweep("fast=1:2:1,slow=10:30:10");
  const auto runs = fixed_runs(*g);
  auto w = write_sweep_results(dir.path(), *g, runs, "sortino");
  ASSERT_TRUE(w);
  ASSERT_EQ(w->size(), 2u);
  EXPECT_EQ(test::slurp((*w)[0]), ranked_csv(*g, runs, "sortino"));
  EXPECT_EQ(test::slurp((*w)[1]), ranked_text(*g, runs, "sortino"));
}

// ---- Progress ----

TEST(Progress, BarAndLineFormats) {
  EXPECT_EQ(format_progress_bar("download", "bars", 500, 1000, 2 * kNanosPerSecond, 20),
            "download [##########----------]  50.0%  500/1,000 bars  250.0 bars/s  ETA 0:00:02");
  EXPECT_EQ(format_progress_bar("backtest", "bars", 525'600, 525'600, kNanosPerSecond / 2, 10),
            "backtest [##########] 100.0%  525,600/525,600 bars  1.1M bars/s");
  EXPECT_EQ(format_progress_bar("fetch", "requests", 12'345, 0, 10 * kNanosPerSecond, 10),
            "fetch  12,345 requests  1.2k requests/s");
  EXPECT_EQ(format_progress_line("download", 500, 1000, 2 * kNanosPerSecond),
            "Progress label=download done=500 total=1000 pct=50.0 rate_per_s=250 eta_s=2");
  EXPECT_EQ(format_progress_line("fetch", 7, 0, 0), "Progress label=fetch done=7 rate_per_s=0");
}

struct Captured {
  std::vector<std::string> writes;
  ProgressReporter::Writer writer() {
    return [this](std::string_view s) { writes.emplace_back(s); };
  }
};

TEST(Progress, TerminalRedrawsAtMostOncePerInterval) {
  SimulatedClock clock(1'000 * kNanosPerSecond);
  Captured out;
  ProgressOptions o;
  o.label = "bt";
  o.unit = "bars";
  o.terminal = true;
  o.bar_width = 4;
  ProgressReporter p(100, o, clock, out.writer());
  for (int i = 0; i < 10; ++i) p.advance();  // no time passed: no redraw
  EXPECT_TRUE(out.writes.empty());
  clock.advance_ns(100 * kNanosPerMilli);
  p.advance(40);
  ASSERT_EQ(out.writes.size(), 1u);
  EXPECT_EQ(out.writes[0], "\rbt [##--]  50.0%  50/100 bars  500.0 bars/s  ETA 0:00:00\x1b[K");
  clock.advance_ns(50 * kNanosPerMilli);
  p.advance(10);  // 50 ms later: too soon
  EXPECT_EQ(out.writes.size(), 1u);
  p.finish();  // the final state is always drawn, then a newline
  ASSERT_EQ(out.writes.size(), 3u);
  EXPECT_EQ(out.writes[1].substr(0, 20), "\rbt [##--]  60.0%  6");  // 60 % of 4 cells: 2 full
  EXPECT_EQ(out.writes[2], "\n");
  p.finish();
  p.advance();
  EXPECT_EQ(out.writes.size(), 3u);
}

TEST(Progress, PlainLogLinesWhenNotATerminal) {
  SimulatedClock clock(0);
  Captured out;
  ProgressOptions o;
  o.label = "fetch";
  ProgressReporter p(1000, o, clock, out.writer());
  for (int s = 1; s <= 25; ++s) {  // one unit per second for 25 s: lines at 10 s and 20 s
    clock.advance_ns(kNanosPerSecond);
    p.advance(10);
  }
  ASSERT_EQ(out.writes.size(), 2u);
  EXPECT_EQ(out.writes[0], "Progress label=fetch done=100 total=1000 pct=10.0 rate_per_s=10 eta_s=90\n");
  EXPECT_EQ(out.writes[1], "Progress label=fetch done=200 total=1000 pct=20.0 rate_per_s=10 eta_s=80\n");
  p.set(1000);
  p.finish();
  ASSERT_EQ(out.writes.size(), 3u);
  EXPECT_EQ(out.writes[2], "Progress label=fetch done=1000 total=1000 pct=100.0 rate_per_s=40\n");
}

TEST(Progress, SharedByThreads) {
  SimulatedClock clock(0);
  Captured out;
  ProgressOptions o;
  ProgressReporter p(4000, o, clock, out.writer());
  {
    std::vector<std::jthread> threads;
    for (int t = 0; t < 4; ++t)
      threads.emplace_back([&] {
        for (int i = 0; i < 1000; ++i) p.advance();
      });
  }
  p.finish();
  ASSERT_EQ(out.writes.size(), 1u);
  EXPECT_EQ(out.writes[0], "Progress label=progress done=4000 total=4000 pct=100.0 rate_per_s=0\n");
}

}  // namespace
}  // namespace tradingd::backtest
