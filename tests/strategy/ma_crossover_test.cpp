// ma_crossover on a hand-built bar series whose crosses are worked out below (fast = 2, slow = 3).
//   bar  close  fast   slow    sign
//    0    10     -      -       -
//    1     9     -      -       -
//    2     8    8.5    9.0     −   first sign after warm-up: not a cross
//    3    12   10.0    9.67    +   cross up
//    4    13   12.5   11.0     +
//    5     7   10.0   10.67    −   cross down
//    6     6    6.5    8.67    −
//    7    10    8.0    7.67    +   cross up
#include <gtest/gtest.h>

#include "strategy/ma_crossover.h"
#include "tests/strategy/fake_context.h"

namespace tradingd {
namespace {

using test::FakeContext;
using test::make_bar;

const char* const kCloses[] = {"10", "9", "8", "12", "13", "7", "6", "10"};

// Feeds the series; returns the bar index of each signal.
std::vector<int> run(MaCrossover& s, FakeContext& ctx) {
  std::vector<int> at;
  for (int i = 0; i < 8; ++i) {
    const auto before = ctx.signals.size();
    s.on_bar(ctx, make_bar(ctx.id(), i, kCloses[i]));
    for (auto k = before; k < ctx.signals.size(); ++k) at.push_back(i);
  }
  return at;
}

MaCrossoverParams params(bool long_short, std::optional<std::string_view> qty) {
  MaCrossoverParams p;
  p.fast = 2;
  p.slow = 3;
  p.long_short = long_short;
  if (qty) p.quantity = Quantity::from_string(*qty);
  return p;
}

void expect_signal(const Signal& s, Side side, std::optional<std::string_view> qty, bool reduce_only, std::string_view ref) {
  EXPECT_EQ(s.side, side);
  EXPECT_EQ(s.type, OrderType::Market);
  if (qty) EXPECT_EQ(s.quantity, Quantity::from_string(*qty));
  else EXPECT_FALSE(s.quantity);
  EXPECT_FALSE(s.notional);
  EXPECT_EQ(s.reduce_only, reduce_only);
  EXPECT_EQ(s.reference_price, Price::from_string(ref));
  EXPECT_EQ(s.strategy_id.view(), "test");
  EXPECT_EQ(s.tag.view(), "ma_cross");
}

TEST(MaCrossover, LongOnlyBuysOnCrossUpAndGoesFlatOnCrossDown) {
  FakeContext ctx;
  ctx.fill_market_signals = true;
  MaCrossover s(params(false, "1.5"));
  EXPECT_EQ(run(s, ctx), (std::vector<int>{3, 5, 7}));
  expect_signal(ctx.signals[0], Side::Buy, "1.5", false, "12");
  expect_signal(ctx.signals[1], Side::Sell, "1.5", true, "7");
  expect_signal(ctx.signals[2], Side::Buy, "1.5", false, "10");
  EXPECT_EQ(ctx.position(ctx.id()), Quantity::from_string("1.5"));
}

TEST(MaCrossover, LongShortReversesWithOneOrder) {
  FakeContext ctx;
  ctx.fill_market_signals = true;
  MaCrossover s(params(true, "1"));
  EXPECT_EQ(run(s, ctx), (std::vector<int>{3, 5, 7}));
  expect_signal(ctx.signals[0], Side::Buy, "1", false, "12");
  expect_signal(ctx.signals[1], Side::Sell, "2", false, "7");
  expect_signal(ctx.signals[2], Side::Buy, "2", false, "10");
  EXPECT_EQ(ctx.position(ctx.id()), Quantity::from_string("1"));
}

TEST(MaCrossover, TargetAlreadyHeldSendsNothing) {
  FakeContext ctx;  // no fills: the position stays at the target the test set
  ctx.set_position(ctx.id(), Quantity::from_string("1"));
  MaCrossover s(params(false, "1"));
  for (int i = 0; i < 5; ++i) s.on_bar(ctx, make_bar(ctx.id(), i, kCloses[i]));
  EXPECT_TRUE(ctx.signals.empty());  // the cross up at bar 3 finds the long already there
}

TEST(MaCrossover, SizerModeClosesExactlyThenEntersUnsized) {
  FakeContext ctx;
  ctx.fill_market_signals = true;  // unsized entries fill at sizer_quantity (0.5)
  MaCrossover s(params(true, std::nullopt));
  EXPECT_EQ(run(s, ctx), (std::vector<int>{3, 5, 5, 7, 7}));
  expect_signal(ctx.signals[0], Side::Buy, std::nullopt, false, "12");
  expect_signal(ctx.signals[1], Side::Sell, "0.5", true, "7");
  expect_signal(ctx.signals[2], Side::Sell, std::nullopt, false, "7");
  expect_signal(ctx.signals[3], Side::Buy, "0.5", true, "10");
  expect_signal(ctx.signals[4], Side::Buy, std::nullopt, false, "10");
}

TEST(MaCrossover, SizerModeLongOnlyOnlyClosesOnCrossDown) {
  FakeContext ctx;
  ctx.fill_market_signals = true;
  MaCrossover s(params(false, std::nullopt));
  EXPECT_EQ(run(s, ctx), (std::vector<int>{3, 5, 7}));
  expect_signal(ctx.signals[1], Side::Sell, "0.5", true, "7");
}

TEST(MaCrossover, EqualAveragesNeitherMakeNorBreakACross) {
  // fast = 1, slow = 2: sign of (close − previous close). Flat closes give sign 0 and are skipped, so the
  // up move after a down move and a flat bar is still a cross.
  FakeContext ctx;
  ctx.fill_market_signals = true;
  MaCrossoverParams p;
  p.fast = 1;
  p.slow = 2;
  p.quantity = Quantity::from_string("1");
  MaCrossover s(p);
  const char* closes[] = {"10", "9", "9", "9", "10"};
  for (int i = 0; i < 5; ++i) s.on_bar(ctx, make_bar(ctx.id(), i, closes[i]));
  ASSERT_EQ(ctx.signals.size(), 1u);
  EXPECT_EQ(ctx.signals[0].side, Side::Buy);
  EXPECT_EQ(ctx.signals[0].reference_price, Price::from_string("10"));
}

TEST(MaCrossover, IgnoresOpenBarsAndOtherInstruments) {
  FakeContext ctx;
  MaCrossover s(params(false, "1"));
  const auto other = test::make_instrument("ETHUSDT").id;
  for (int i = 0; i < 8; ++i) {
    Bar open_bar = make_bar(ctx.id(), i, kCloses[i]);
    open_bar.closed = false;
    s.on_bar(ctx, open_bar);
    s.on_bar(ctx, make_bar(other, i, kCloses[i]));
  }
  EXPECT_TRUE(ctx.signals.empty());
}

TEST(MaCrossover, RejectionIsLogged) {
  FakeContext ctx;
  ctx.reject_all = true;
  MaCrossover s(params(false, "1"));
  run(s, ctx);
  ASSERT_FALSE(ctx.logs.empty());
  EXPECT_EQ(ctx.logs[0].first, StrategyLogLevel::Warn);
  EXPECT_EQ(ctx.logs[0].second, "Signal rejected side=buy kind=risk_denied detail=max_position");
}

}  // namespace
}  // namespace tradingd
