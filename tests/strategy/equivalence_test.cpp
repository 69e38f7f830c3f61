// examples/ma_crossover.py (through examples/tradingd_strategy.py, as a real subprocess, synchronously)
// gives exactly the same signal sequence as the C++ ma_crossover on the same generated bars. Skipped
// when python3 is not installed.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <sstream>

#include "strategy/external_strategy.h"
#include "strategy/ma_crossover.h"
#include "strategy/subprocess_transport.h"
#include "tests/strategy/fake_context.h"
#include "tests/support/fixtures.h"

namespace tradingd {
namespace {

std::optional<std::string> find_python() {
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path != nullptr ? path : "/usr/bin:/bin");
  for (std::string dir; std::getline(dirs, dir, ':');) {
    const auto candidate = std::filesystem::path(dir) / "python3";
    if (::access(candidate.c_str(), X_OK) == 0) return candidate.string();
  }
  return std::nullopt;
}

// A deterministic random walk with prices on a 0.01 tick (a fixed LCG: identical on every platform).
std::vector<Bar> generate_bars(const InstrumentId& id, int n) {
  std::vector<Bar> bars;
  std::uint64_t state = 42;
  std::int64_t cents = 3'000'000;  // 30000.00
  for (int i = 0; i < n; ++i) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    cents += static_cast<std::int64_t>((state >> 33) % 2001) - 1000;  // ±10.00
    Bar b = test::make_bar(id, i, "1");
    b.close = Price::from_raw(cents * 10'000'000);
    b.open = b.high = b.low = b.close;
    bars.push_back(b);
  }
  return bars;
}

void expect_same(const std::vector<Signal>& cpp, const std::vector<Signal>& py) {
  ASSERT_EQ(cpp.size(), py.size());
  for (std::size_t i = 0; i < cpp.size(); ++i) {
    SCOPED_TRACE("signal " + std::to_string(i));
    EXPECT_EQ(cpp[i].instrument, py[i].instrument);
    EXPECT_EQ(cpp[i].side, py[i].side);
    EXPECT_EQ(cpp[i].type, py[i].type);
    EXPECT_EQ(cpp[i].quantity, py[i].quantity);
    EXPECT_EQ(cpp[i].notional, py[i].notional);
    EXPECT_EQ(cpp[i].reduce_only, py[i].reduce_only);
    EXPECT_EQ(cpp[i].reference_price, py[i].reference_price);
    EXPECT_EQ(cpp[i].strategy_id, py[i].strategy_id);
    EXPECT_EQ(cpp[i].tag, py[i].tag);
  }
}

class Equivalence : public ::testing::TestWithParam<std::map<std::string, std::string>> {};

TEST_P(Equivalence, PythonExampleMatchesCpp) {
  const auto python = find_python();
  if (!python) GTEST_SKIP() << "python3 not found in PATH: the Python/C++ equivalence test needs it";
  const auto script = test::source_dir() / "examples" / "ma_crossover.py";
  ASSERT_TRUE(std::filesystem::exists(script)) << script;

  test::FakeContext cpp_ctx;
  cpp_ctx.fill_market_signals = true;
  const auto bars = generate_bars(cpp_ctx.id(), 1500);
  auto made = MaCrossover::create(test::make_config("ma", "ma_crossover", GetParam(), cpp_ctx.instruments()));
  ASSERT_TRUE(made) << made.error();
  auto& cpp = **made;
  cpp.on_start(cpp_ctx);
  for (const auto& b : bars) cpp.on_bar(cpp_ctx, b);
  cpp.on_stop(cpp_ctx);

  test::FakeContext py_ctx;
  py_ctx.fill_market_signals = true;
  auto transport = SubprocessTransport::spawn({*python, script.string()});
  ASSERT_TRUE(transport) << transport.error();
  ExternalStrategy py(std::move(*transport), ExternalMode::Synchronous, GetParam());
  py.on_start(py_ctx);
  for (const auto& b : bars) py.on_bar(py_ctx, b);
  py.on_stop(py_ctx);
  ASSERT_FALSE(py.failed()) << py.failure();
  EXPECT_EQ(py.stats().protocol_errors, 0u);
  for (const auto& [level, msg] : py_ctx.logs) ADD_FAILURE() << "python logged: " << msg;

  EXPECT_GE(cpp_ctx.signals.size(), 10u) << "the series should cross often enough to mean something";
  expect_same(cpp_ctx.signals, py_ctx.signals);
  EXPECT_EQ(cpp_ctx.position(cpp_ctx.id()), py_ctx.position(py_ctx.id()));
}

INSTANTIATE_TEST_SUITE_P(
    MaCrossover, Equivalence,
    ::testing::Values(std::map<std::string, std::string>{{"fast", "5"}, {"slow", "20"}, {"quantity", "0.01"}},
                      std::map<std::string, std::string>{{"fast", "3"}, {"slow", "8"}, {"quantity", "0.25"}, {"mode", "long_short"}},
                      std::map<std::string, std::string>{{"fast", "10"}, {"slow", "30"}, {"mode", "long_short"}}));

}  // namespace
}  // namespace tradingd
