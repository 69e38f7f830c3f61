// `tradingd backtest` and `tradingd fetch-history` as a user runs them: help, bad arguments and exit codes,
// the shipped example config on a generated BTCUSDT-1m-2024-01.csv, byte-identical reruns, sweeps with
// any thread count, the report in headless Chromium, and fetch-history against the venue emulator (a
// repeated run with the emulator stopped is served from the cache alone).
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <boost/json.hpp>
#include <fcntl.h>

#include <ctime>
#include <fstream>
#include <regex>

#include "tests/backtest/kline_gen.h"
#include "tests/daemon/daemon_process.h"
#include "tests/support/fixtures.h"

extern char** environ;

namespace tradingd::backtest {
namespace {

namespace fs = std::filesystem;
using tradingd::test::ProcessResult;
using tradingd::test::TempDir;

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::map<std::string, std::string> base_env() { return {{"PATH", "/usr/local/bin:/usr/bin:/bin"}}; }

ProcessResult tradingd(std::vector<std::string> args, std::map<std::string, std::string> env = base_env(),
                       std::chrono::milliseconds timeout = std::chrono::seconds(120)) {
  args.insert(args.begin(), (tradingd::test::bin_dir() / "tradingd").string());
  return tradingd::test::run_program(args, env, timeout);
}

fs::path example_config() { return tradingd::test::source_dir() / "config" / "backtest.example.yaml"; }

// A month's archive file name with a few days of generated minutes (the example's instrument).
fs::path write_klines(const TempDir& dir, int minutes = 3 * 1440, const std::string& name = "BTCUSDT-1m-2024-01.csv") {
  return dir.write(name, test::kline_csv(test::gen_bars(minutes)));
}

const std::vector<std::string> kResultFiles{"summary.json", "trades.csv", "orders.csv",
                                            "fills.csv",    "equity.csv", "report.html"};

// ---- help and the command table ----

TEST(BacktestCli, HelpDescribesBothCommands) {
  const auto top = tradingd({"--help"});
  EXPECT_EQ(top.exit_code, 0);
  EXPECT_NE(top.out.find("backtest"), std::string::npos);
  EXPECT_NE(top.out.find("fetch-history"), std::string::npos);
  const auto bt = tradingd({"backtest", "--help"});
  EXPECT_EQ(bt.exit_code, 0);
  for (const char* needle : {"--config", "--data", "--from", "--out", "--sweep", "--seed", "sqrt(365)", "Exit codes"})
    EXPECT_NE(bt.out.find(needle), std::string::npos) << needle;
  const auto fh = tradingd({"fetch-history", "--help"});
  EXPECT_EQ(fh.exit_code, 0);
  for (const char* needle : {"/api/v3/klines", "/v5/market/kline", "/api/v5/market/history-candles", "--cache",
                             "TRADINGD_CA_FILE"})
    EXPECT_NE(fh.out.find(needle), std::string::npos) << needle;
}

// ---- bad arguments: a clear message and the documented exit code ----

struct BadCase {
  std::vector<std::string> args;
  int exit_code;
  std::string message;
};

TEST(BacktestCli, BadArgumentsExitWithAClearMessage) {
  TempDir dir;
  const auto data = write_klines(dir, 60);
  const auto cfg = example_config().string();
  const auto no_strategy = dir.write("nostrat.yaml", "instruments:\n  - {venue: binance, market: spot, symbol: BTCUSDT}\n");
  const auto two = dir.write("two.yaml",
                             "instruments:\n  - {venue: binance, market: spot, symbol: BTCUSDT}\n"
                             "  - {venue: bybit, market: spot, symbol: ETHUSDT}\n"
                             "strategies:\n  - {name: ma, type: ma_crossover, instruments: [binance:spot:BTCUSDT], "
                             "params: {fast: 2, slow: 3, quantity: 0.01}}\n");
  const auto ohlcv = dir.write("prices.csv", "timestamp,open,high,low,close,volume\n1704067200000,1,1,1,1,1\n");
  const auto out = (dir.path() / "out").string();
  const std::vector<BadCase> cases{
      {{"backtest"}, 2, "--data is required"},
      {{"backtest", "--config", cfg, "--data", data.string()}, 2, "--out DIR is required"},
      {{"backtest", "--config", cfg, "--data", data.string(), "--out", out, "--bogus", "1"}, 2, "unknown option --bogus"},
      {{"backtest", "--config", cfg, "--data", (dir.path() / "missing.csv").string(), "--out", out}, 1,
       "missing.csv: no such file or directory"},
      {{"backtest", "--config", cfg, "--data", data.string(), "--out", out, "--from", "yesterday"}, 2,
       "--from yesterday: expected a UTC date"},
      {{"backtest", "--config", cfg, "--data", data.string(), "--out", out, "--from", "2024-02-01", "--to",
        "2024-01-01"},
       2, "--from must be before --to"},
      {{"backtest", "--config", cfg, "--data", data.string(), "--out", out, "--seed", "-1"}, 2, "--seed -1"},
      {{"backtest", "--config", no_strategy.string(), "--data", data.string(), "--out", out}, 2, "no enabled strategy"},
      {{"backtest", "--config", two.string(), "--data", ohlcv.string(), "--out", out}, 2, "no instrument for this file"},
      {{"backtest", "--config", cfg, "--data", data.string(), "--out", out, "--sweep", "fast=5:1:1"}, 2, "--sweep"},
      {{"backtest", "--config", cfg, "--data", data.string(), "--out", out, "--rank", "luck"}, 2, "--rank luck"},
      {{"backtest", "--config", (dir.path() / "nope.yaml").string(), "--data", data.string(), "--out", out}, 2,
       "invalid configuration"},
      {{"fetch-history", "--symbol", "BTCUSDT", "--interval", "1m", "--from", "2024-01-01"}, 2, "--venue"},
      {{"fetch-history", "--venue", "kraken", "--symbol", "BTCUSDT", "--interval", "1m", "--from", "2024-01-01"}, 2,
       "--venue must be binance, bybit or okx"},
      {{"fetch-history", "--venue", "binance", "--symbol", "BTCUSDT", "--interval", "7m", "--from", "2024-01-01"}, 2,
       "--interval 7m"},
      {{"fetch-history", "--venue", "binance", "--symbol", "BTCUSDT", "--interval", "1m", "--from", "2024-01-02",
        "--to", "2024-01-01"},
       2, "--from must be before --to"},
  };
  for (const auto& c : cases) {
    const auto r = tradingd(c.args);
    std::string joined;
    for (const auto& a : c.args) joined += a + ' ';
    EXPECT_EQ(r.exit_code, c.exit_code) << joined << "\n" << r.err;
    EXPECT_NE(r.err.find(c.message), std::string::npos) << joined << "\nstderr: " << r.err;
    EXPECT_FALSE(fs::exists(out)) << joined << ": nothing is written on a refused invocation";
  }
}

// ---- end to end with the shipped example ----

TEST(BacktestCli, ExampleConfigRunsAsShippedAndRerunsByteIdentical) {
  TempDir dir;
  const auto data = write_klines(dir);
  const auto a = dir.path() / "results_a", b = dir.path() / "results_b";
  const auto ra = tradingd({"backtest", "--config", example_config().string(), "--data", data.string(), "--out", a.string()});
  ASSERT_EQ(ra.exit_code, 0) << ra.err;
  EXPECT_NE(ra.out.find("Backtest done"), std::string::npos) << ra.out;
  const auto rb = tradingd({"backtest", "--config", example_config().string(), "--data", data.string(), "--out", b.string()});
  ASSERT_EQ(rb.exit_code, 0) << rb.err;
  for (const auto& f : kResultFiles) {
    ASSERT_TRUE(fs::exists(a / f)) << f;
    EXPECT_GT(fs::file_size(a / f), 0u) << f;
    EXPECT_EQ(slurp(a / f), slurp(b / f)) << f << " differs between two identical runs";
  }
  const auto summary = boost::json::parse(slurp(a / "summary.json")).as_object();
  EXPECT_TRUE(summary.contains("conventions"));
  const auto trades = slurp(a / "trades.csv");
  EXPECT_GT(std::count(trades.begin(), trades.end(), '\n'), 3) << "the crossover trades on the generated waves";
  const auto equity = slurp(a / "equity.csv");
  EXPECT_EQ(equity.substr(0, equity.find('\n')), "time,equity,cash,exposure,drawdown");
  EXPECT_GE(std::count(equity.begin(), equity.end(), '\n'), 3 * 1440) << "at least one sample per bar";

  // Another seed changes only what the seed drives; the same seed again is identical (checked above).
  const auto c = dir.path() / "results_c";
  const auto rc = tradingd({"backtest", "--config", example_config().string(), "--data", data.string(), "--out",
                            c.string(), "--seed", "99", "--from", "2024-01-02", "--to", "2024-01-03"});
  ASSERT_EQ(rc.exit_code, 0) << rc.err;
  const auto sc = boost::json::parse(slurp(c / "summary.json")).as_object();
  EXPECT_EQ(sc.at("parameters").at("seed").as_string(), "99");
  EXPECT_EQ(std::string(sc.at("start").as_string()).substr(0, 10), "2024-01-02");
}

TEST(BacktestCli, DailyArchiveFilesGiveTheSameRunAsTheMonthlyFile) {
  TempDir dir;
  const auto bars = test::gen_bars(3 * 1440);
  const auto month = dir.write("month/BTCUSDT-1m-2024-01.csv", test::kline_csv(bars));
  // The same minutes as three daily files, given as several paths after one --data (a directory works too).
  std::vector<fs::path> days;
  for (int d = 0; d < 3; ++d) {
    const std::vector<test::GenBar> day(bars.begin() + d * 1440, bars.begin() + (d + 1) * 1440);
    days.push_back(dir.write("days/BTCUSDT-1m-2024-01-0" + std::to_string(d + 1) + ".csv", test::kline_csv(day)));
  }
  const auto a = dir.path() / "a", b = dir.path() / "b", c = dir.path() / "c";
  const auto ra = tradingd({"backtest", "--config", example_config().string(), "--data", month.string(), "--out", a.string()});
  ASSERT_EQ(ra.exit_code, 0) << ra.err;
  const auto rb = tradingd({"backtest", "--config", example_config().string(), "--data", days[2].string(),
                            days[0].string(), days[1].string(), "--out", b.string()});
  ASSERT_EQ(rb.exit_code, 0) << rb.err;
  const auto rc = tradingd({"backtest", "--config", example_config().string(), "--data", (dir.path() / "days").string(),
                            "--out", c.string()});
  ASSERT_EQ(rc.exit_code, 0) << rc.err;
  for (const char* f : {"trades.csv", "orders.csv", "fills.csv", "equity.csv"}) {
    EXPECT_EQ(slurp(a / f), slurp(b / f)) << f;
    EXPECT_EQ(slurp(a / f), slurp(c / f)) << f;
  }
}

TEST(BacktestCli, AnExternalProgramStrategyTradesLikeTheCppOne) {
  const auto python = tradingd::test::find_program("python3");
  if (!python) GTEST_SKIP() << "python3 is not installed: the external strategy is not run here";
  TempDir dir;
  const auto data = write_klines(dir, 2000);
  const std::string common =
      "instruments:\n  - {venue: binance, market: spot, symbol: BTCUSDT}\n"
      "strategies:\n  - name: ma\n    instruments: [binance:spot:BTCUSDT]\n"
      "    params: {fast: 10, slow: 30, quantity: \"0.01\"}\n";
  const auto cpp = dir.write("cpp.yaml", common + "    type: ma_crossover\n");
  const auto ext = dir.write("ext.yaml", common + "    command: [" + python->string() + ", " +
                                             (tradingd::test::source_dir() / "examples" / "ma_crossover.py").string() +
                                             "]\n");
  const auto a = dir.path() / "cpp", b = dir.path() / "ext";
  const auto ra = tradingd({"backtest", "--config", cpp.string(), "--data", data.string(), "--out", a.string()});
  ASSERT_EQ(ra.exit_code, 0) << ra.err;
  const auto rb = tradingd({"backtest", "--config", ext.string(), "--data", data.string(), "--out", b.string()});
  ASSERT_EQ(rb.exit_code, 0) << rb.err;
  const auto fills = slurp(a / "fills.csv");
  EXPECT_GT(std::count(fills.begin(), fills.end(), '\n'), 10);
  for (const char* f : {"fills.csv", "trades.csv", "equity.csv"}) EXPECT_EQ(slurp(a / f), slurp(b / f)) << f;
}

TEST(BacktestCli, SweepIsDeterministicWhateverTheThreadCount) {
  TempDir dir;
  const auto data = write_klines(dir, 1440);
  const auto a = dir.path() / "sweep_a", b = dir.path() / "sweep_b";
  const std::string spec = "fast=5:10:5,slow=20:30:10";
  const auto ra = tradingd({"backtest", "--config", example_config().string(), "--data", data.string(), "--out",
                            a.string(), "--sweep", spec, "--threads", "1"});
  ASSERT_EQ(ra.exit_code, 0) << ra.err;
  const auto rb = tradingd({"backtest", "--config", example_config().string(), "--data", data.string(), "--out",
                            b.string(), "--sweep", spec, "--threads", "4", "--rank", "sharpe"});
  ASSERT_EQ(rb.exit_code, 0) << rb.err;
  const auto csv = slurp(a / "sweep.csv");
  EXPECT_EQ(csv, slurp(b / "sweep.csv"));
  EXPECT_EQ(slurp(a / "sweep.txt"), slurp(b / "sweep.txt"));
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 5) << csv;  // header + 2 x 2 grid points
  EXPECT_NE(rb.out.find("fast"), std::string::npos) << "the ranked table goes to stdout too";
  EXPECT_NE(rb.out.find("Sweep done runs=4 failed=0"), std::string::npos) << rb.out;
}

// ---- the report of a real run in headless Chromium ----

std::optional<fs::path> chromium() {
  for (const char* name : {"chromium", "chromium-browser", "google-chrome"})
    if (auto p = tradingd::test::find_program(name)) return p;
  return std::nullopt;
}

TEST(BacktestCli, ReportOfARunRendersInHeadlessChromium) {
  const auto browser = chromium();
  if (!browser) GTEST_SKIP() << "chromium is not installed: the report of a run is not rendered here";
  TempDir dir;
  const auto data = write_klines(dir, 1440);
  const auto out = dir.path() / "results";
  const auto r = tradingd({"backtest", "--config", example_config().string(), "--data", data.string(), "--out", out.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::vector<std::string> flags{"--headless",  "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                                       "--user-data-dir=" + (dir.path() / "profile").string(),
                                       "--window-size=1280,1800", "--enable-logging=stderr", "--v=0"};
  auto args = std::vector<std::string>{browser->string()};
  args.insert(args.end(), flags.begin(), flags.end());
  auto dom_args = args;
  dom_args.push_back("--dump-dom");
  dom_args.push_back("file://" + (out / "report.html").string());
  const auto dom = tradingd::test::run_program(dom_args, {{"PATH", "/usr/bin:/bin"}, {"HOME", dir.path().string()}},
                                               std::chrono::seconds(90));
  ASSERT_FALSE(dom.out.empty()) << "chromium printed no DOM: " << dom.err;
  // Script errors are logged to stderr as console messages ("Uncaught ...").
  EXPECT_EQ(dom.err.find("Uncaught"), std::string::npos) << dom.err;
  auto count = [&](const std::string& needle) {
    std::size_t n = 0;
    for (auto p = dom.out.find(needle); p != std::string::npos; p = dom.out.find(needle, p + 1)) ++n;
    return n;
  };
  EXPECT_EQ(count("<svg class=\"chart\""), 3u);  // equity, drawdown, the BTCUSDT price chart
  EXPECT_EQ(count("class=\"px-line\""), 1u);
  EXPECT_GT(count("class=\"m-long\""), 0u) << "entries marked on the price chart";
  EXPECT_GT(count("class=\"m-exit"), 0u) << "exits marked on the price chart";
  EXPECT_EQ(count("class=\"guide\""), 3u) << "added by the page's script: it ran";
  EXPECT_NE(dom.out.find("binance:spot:BTCUSDT"), std::string::npos);
  const auto png = dir.path() / "report.png";
  auto shot_args = args;
  shot_args.push_back("--screenshot=" + png.string());
  shot_args.push_back("file://" + (out / "report.html").string());
  tradingd::test::run_program(shot_args, {{"PATH", "/usr/bin:/bin"}, {"HOME", dir.path().string()}},
                              std::chrono::seconds(90));
  ASSERT_TRUE(fs::exists(png));
  EXPECT_GT(fs::file_size(png), 50'000u) << "a rendered page, not a blank one";
  if (const char* keep = std::getenv("TRADINGD_REPORT_SCREENSHOT"))
    fs::copy_file(png, keep, fs::copy_options::overwrite_existing);
}

// ---- fetch-history against the emulator ----

class Emulator {
 public:
  explicit Emulator(const fs::path& dir) : dir_(dir) {
    const auto bin = (tradingd::test::bin_dir() / "venue-emulator").string();
    // A day of history: yesterday (UTC) is partly covered whatever the time of day.
    std::vector<std::string> args{bin, "--cert-dir", (dir / "certs").string(), "--urls-file",
                                  (dir / "urls.json").string(), "--seed", "7", "--warmup-minutes", "1440"};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, (dir / "emu.out").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&fa, 2, (dir / "emu.err").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    char* envp[] = {nullptr};
    if (posix_spawn(&pid_, bin.c_str(), &fa, nullptr, argv.data(), envp) != 0) pid_ = -1;
    posix_spawn_file_actions_destroy(&fa);
  }
  ~Emulator() { stop(); }
  bool wait_ready() {
    return tradingd::test::eventually([&] { return fs::exists(dir_ / "urls.json") && fs::file_size(dir_ / "urls.json") > 0; },
                                      std::chrono::seconds(90));
  }
  std::map<std::string, std::string> env() const {
    const auto v = boost::json::parse(slurp(dir_ / "urls.json")).as_object();
    auto e = base_env();
    e["TRADINGD_CA_FILE"] = std::string(v.at("ca_file").as_string());
    e["TRADINGD_BINANCE_REST_URL"] = std::string(v.at("binance").at("rest").as_string());
    e["TRADINGD_BYBIT_REST_URL"] = std::string(v.at("bybit").at("rest").as_string());
    e["TRADINGD_OKX_REST_URL"] = std::string(v.at("okx").at("rest").as_string());
    return e;
  }
  void stop() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    int status = 0;
    if (!tradingd::test::eventually([&] { return ::waitpid(pid_, &status, WNOHANG) == pid_; }, std::chrono::seconds(10))) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, &status, 0);
    }
    pid_ = -1;
  }

 private:
  fs::path dir_;
  pid_t pid_ = -1;
};

std::string utc_day(int days_ago) {
  const auto now = std::chrono::system_clock::now() - std::chrono::hours(24 * days_ago);
  const std::time_t t = std::chrono::system_clock::to_time_t(now);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

TEST(FetchHistoryCli, DownloadsFromTheEmulatorThenServesRepeatsFromTheCacheAlone) {
  TempDir dir;
  Emulator emu(dir.path());
  ASSERT_TRUE(emu.wait_ready()) << "the emulator did not start: " << slurp(dir.path() / "emu.err");
  const auto env = emu.env();
  const auto cache = (dir.path() / "cache").string();
  // Yesterday, a whole ended UTC day: cached. (If the clock passes midnight during the test, "yesterday"
  // is still ended.)
  const std::string from = utc_day(1), to = utc_day(0);
  auto fetch = [&](const std::string& venue, const std::string& market, const std::string& symbol) {
    return tradingd({"fetch-history", "--venue", venue, "--market", market, "--symbol", symbol, "--interval", "1m",
                     "--from", from, "--to", to, "--cache", cache},
                    env);
  };
  const auto binance = fetch("binance", "spot", "BTCUSDT");
  ASSERT_EQ(binance.exit_code, 0) << binance.err;
  EXPECT_NE(binance.out.find("fetched_days=1"), std::string::npos) << binance.out;
  EXPECT_EQ(binance.out.find("requests=0"), std::string::npos) << binance.out;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(binance.out, m, std::regex("bars_written=(\\d+)"))) << binance.out;
  EXPECT_GT(std::stoi(m[1]), 0) << "the emulator's day of history reaches into yesterday";
  // The emulator has no history before its warm-up: that hole is reported as a gap, not hidden.
  if (std::stoi(m[1]) < 1440) {
    EXPECT_NE(binance.err.find("Gap "), std::string::npos) << binance.err;
  }
  const auto bybit = fetch("bybit", "linear_perp", "BTCUSDT");
  ASSERT_EQ(bybit.exit_code, 0) << bybit.err;
  EXPECT_NE(bybit.out.find("fetched_days=1"), std::string::npos) << bybit.out;
  const fs::path day_file = fs::path(cache) / "binance" / "spot" / "BTCUSDT" / "1m" / (from + ".csv");
  ASSERT_TRUE(fs::exists(day_file));
  const std::string first = slurp(day_file);
  EXPECT_EQ(first.substr(0, first.find('\n')), "timestamp,open,high,low,close,volume");

  // The emulator is gone: a repeated run makes no request at all and still succeeds.
  emu.stop();
  const auto again = fetch("binance", "spot", "BTCUSDT");
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find("cached_days=1 fetched_days=0 requests=0"), std::string::npos) << again.out;
  EXPECT_EQ(slurp(day_file), first);
  // A day not cached needs the network, which is gone: a clear failure, exit 1.
  const auto older = tradingd({"fetch-history", "--venue", "binance", "--symbol", "BTCUSDT", "--interval", "1m",
                               "--from", utc_day(3), "--to", utc_day(2), "--cache", cache},
                              env);
  EXPECT_EQ(older.exit_code, 1) << older.out;
  EXPECT_FALSE(older.err.empty());

  // What was fetched is what `tradingd backtest --data` reads: the cache's series directory.
  const auto cfg = dir.write("bt.yaml",
                             "instruments:\n  - {venue: binance, market: spot, symbol: BTCUSDT}\n"
                             "strategies:\n  - {name: ma, type: ma_crossover, instruments: [binance:spot:BTCUSDT], "
                             "params: {fast: 5, slow: 20, quantity: 0.01}}\n");
  const auto out = dir.path() / "results";
  const auto bt = tradingd({"backtest", "--config", cfg.string(), "--data",
                            (fs::path(cache) / "binance" / "spot" / "BTCUSDT" / "1m").string(), "--out", out.string()});
  ASSERT_EQ(bt.exit_code, 0) << bt.err;
  const auto summary = boost::json::parse(slurp(out / "summary.json")).as_object();
  EXPECT_EQ(summary.at("instruments").as_array().at(0).as_string(), "binance:spot:BTCUSDT");
}

}  // namespace
}  // namespace tradingd::backtest
