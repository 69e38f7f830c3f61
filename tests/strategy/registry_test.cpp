// Registry and parameter errors: unknown types, missing instruments, and every bad parameter named the
// way the config names it.
#include <gtest/gtest.h>

#include "strategy/ma_crossover.h"
#include "strategy/quoter.h"
#include "strategy/params.h"
#include "strategy/registry.h"
#include "tests/strategy/fake_context.h"

namespace tradingd {
namespace {

using test::make_config;
using test::make_instrument;

std::string error_of(const config::StrategyConfig& c) {
  auto r = StrategyRegistry::with_builtins().create(c);
  return r ? std::string("<ok>") : r.error();
}

TEST(StrategyRegistry, BuiltinsAreRegistered) {
  const auto reg = StrategyRegistry::with_builtins();
  EXPECT_EQ(reg.types(), (std::vector<std::string>{"ma_crossover", "quoter"}));
}

TEST(StrategyRegistry, AddRefusesATakenName) {
  auto reg = StrategyRegistry::with_builtins();
  EXPECT_FALSE(reg.add("quoter", &MaCrossover::create));
  EXPECT_TRUE(reg.add("other", &MaCrossover::create));
  EXPECT_TRUE(reg.contains("other"));
}

TEST(StrategyRegistry, UnknownTypeListsKnownOnes) {
  EXPECT_EQ(error_of(make_config("x", "grid", {}, {make_instrument().id})),
            "strategies[x].type: unknown strategy type \"grid\" (known: ma_crossover, quoter)");
}

TEST(StrategyRegistry, NeedsAnInstrument) {
  EXPECT_EQ(error_of(make_config("ma", "ma_crossover", {}, {})),
            "strategies[ma].instruments: at least one instrument is required");
}

TEST(StrategyRegistry, CreatesMaCrossoverWithParams) {
  auto r = StrategyRegistry::with_builtins().create(make_config(
      "ma", "ma_crossover", {{"fast", "5"}, {"slow", "20"}, {"mode", "long_short"}, {"quantity", "0.01"}},
      {make_instrument().id}));
  ASSERT_TRUE(r) << r.error();
  const auto* ma = dynamic_cast<const MaCrossover*>(r->get());
  ASSERT_NE(ma, nullptr);
  EXPECT_EQ(ma->params().fast, 5);
  EXPECT_EQ(ma->params().slow, 20);
  EXPECT_TRUE(ma->params().long_short);
  EXPECT_EQ(ma->params().quantity, Quantity::from_string("0.01"));
}

TEST(StrategyRegistry, MaCrossoverDefaultsLeaveSizeToTheSizer) {
  auto r = StrategyRegistry::with_builtins().create(make_config("ma", "ma_crossover", {}, {make_instrument().id}));
  ASSERT_TRUE(r);
  const auto* ma = dynamic_cast<const MaCrossover*>(r->get());
  EXPECT_EQ(ma->params().fast, 10);
  EXPECT_EQ(ma->params().slow, 30);
  EXPECT_FALSE(ma->params().long_short);
  EXPECT_FALSE(ma->params().quantity);
}

TEST(StrategyParams, MaCrossoverErrorsNameTheParam) {
  const auto id = make_instrument().id;
  EXPECT_EQ(error_of(make_config("ma", "ma_crossover", {{"fast", "x"}}, {id})),
            "strategies[ma].params.fast: expected an integer >= 1, got \"x\"");
  EXPECT_EQ(error_of(make_config("ma", "ma_crossover", {{"fast", "0"}}, {id})),
            "strategies[ma].params.fast: expected an integer >= 1, got \"0\"");
  EXPECT_EQ(error_of(make_config("ma", "ma_crossover", {{"fast", "3 "}}, {id})),
            "strategies[ma].params.fast: expected an integer >= 1, got \"3 \"");
  EXPECT_EQ(error_of(make_config("ma", "ma_crossover", {{"fast", "20"}, {"slow", "10"}}, {id})),
            "strategies[ma].params.fast: must be less than slow (10)");
  EXPECT_EQ(error_of(make_config("ma", "ma_crossover", {{"mode", "short"}}, {id})),
            "strategies[ma].params.mode: expected one of long_only, long_short, got \"short\"");
  EXPECT_EQ(error_of(make_config("ma", "ma_crossover", {{"quantity", "-1"}}, {id})),
            "strategies[ma].params.quantity: expected a positive decimal, got \"-1\"");
  EXPECT_EQ(error_of(make_config("ma", "ma_crossover", {{"fats", "3"}}, {id})),
            "strategies[ma].params.fats: unknown parameter");
}

TEST(StrategyParams, AllErrorsAreReportedTogether) {
  EXPECT_EQ(error_of(make_config("ma", "ma_crossover", {{"fast", "x"}, {"slow", "1"}, {"zzz", "1"}}, {make_instrument().id})),
            "strategies[ma].params.fast: expected an integer >= 1, got \"x\"; "
            "strategies[ma].params.slow: expected an integer >= 2, got \"1\"; "
            "strategies[ma].params.zzz: unknown parameter");
}

TEST(StrategyParams, QuoterErrorsNameTheParam) {
  const auto id = make_instrument().id;
  EXPECT_EQ(error_of(make_config("q", "quoter", {}, {id})), "strategies[q].params.quantity: required (a positive decimal)");
  EXPECT_EQ(error_of(make_config("q", "quoter", {{"quantity", "1"}, {"max_position", "0.5"}}, {id})),
            "strategies[q].params.max_position: must be at least quantity");
  EXPECT_EQ(error_of(make_config("q", "quoter", {{"quantity", "1"}, {"reference", "last"}}, {id})),
            "strategies[q].params.reference: expected one of mid, touch, got \"last\"");
  EXPECT_EQ(error_of(make_config("q", "quoter", {{"quantity", "1"}, {"offset_ticks", "-1"}}, {id})),
            "strategies[q].params.offset_ticks: expected an integer >= 0 and <= 1000000, got \"-1\"");
  EXPECT_EQ(error_of(make_config("q", "quoter", {{"quantity", "1"}, {"stale_ms", "1.5"}}, {id})),
            "strategies[q].params.stale_ms: expected an integer >= 0 and <= 86400000, got \"1.5\"");
}

TEST(StrategyParams, QuoterDefaults) {
  auto r = StrategyRegistry::with_builtins().create(make_config("q", "quoter", {{"quantity", "0.01"}}, {make_instrument().id}));
  ASSERT_TRUE(r) << r.error();
  const auto* q = dynamic_cast<const Quoter*>(r->get());
  ASSERT_NE(q, nullptr);
  EXPECT_EQ(q->params().max_position, Quantity::from_string("0.01"));
  EXPECT_EQ(q->params().offset_ticks, 1);
  EXPECT_TRUE(q->params().from_mid);
  EXPECT_EQ(q->params().requote_ticks, 0);
  EXPECT_EQ(q->params().stale_ms, 0);
}

TEST(StrategyParams, BooleanParam) {
  const std::map<std::string, std::string> params{{"a", "true"}, {"b", "yes"}};
  ParamReader r("s", params);
  EXPECT_TRUE(r.boolean("a", false));
  EXPECT_FALSE(r.boolean("b", false));
  EXPECT_EQ(r.finish(), "strategies[s].params.b: expected true or false, got \"yes\"");
}

}  // namespace
}  // namespace tradingd

namespace tradingd {
namespace {

TEST(StrategyRegistry, ExternalEntriesAreNotBuiltByTheRegistry) {
  auto c = test::make_config("py", "", {}, {test::make_instrument().id});
  c.command = {"python3", "x.py"};
  EXPECT_EQ(error_of(c), "strategies[py]: an external strategy (command) is not built by the registry");
}

TEST(StrategyRegistry, CreateExternalSynchronous) {
  auto c = test::make_config("ext", "", {{"k", "v"}}, {test::make_instrument().id});
  EXPECT_EQ(create_external_synchronous(c).error(), "strategies[ext].command: required for an external strategy");
  c.command = {"/nonexistent/tradingd-no-such-program"};
  EXPECT_EQ(create_external_synchronous(c).error(),
            "strategies[ext].command: spawn /nonexistent/tradingd-no-such-program: No such file or directory");
  // Echoes a done for every line and logs the start line it got.
  c.command = {"sh", "-c",
               R"(read l; echo "{\"type\":\"log\",\"message\":$(printf %s "$l" | sed 's/"/\\"/g; s/^/"/; s/$/"/')}"; echo '{"type":"done"}';)"
               R"( while read l; do echo '{"type":"done"}'; done)"};
  auto s = create_external_synchronous(c);
  ASSERT_TRUE(s) << s.error();
  test::FakeContext ctx;
  (*s)->on_start(ctx);
  EXPECT_FALSE((*s)->failed()) << (*s)->failure();
  ASSERT_EQ(ctx.logs.size(), 1u);
  EXPECT_EQ(ctx.logs[0].second,
            R"({"type":"start","strategy_id":"test","mode":"backtest","instruments":[{"venue":"binance","symbol":"BTCUSDT","market":"spot"}],"params":{"k":"v"}})");
  (*s)->on_stop(ctx);
}

}  // namespace
}  // namespace tradingd
