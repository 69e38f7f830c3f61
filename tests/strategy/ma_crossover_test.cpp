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

// A tripped breaker refuses every cross until it is reset: one warning for the run, then its count.
TEST(MaCrossover, RepeatedRejectionsAreLoggedOnceThenCounted) {
  FakeContext ctx;
  ctx.reject_all = true;
  MaCrossoverParams p = params(true, "1");  // long/short: every cross submits
  MaCrossover s(p);
  const char* const closes[] = {"10", "9", "8", "12", "13", "7", "6", "10", "12", "5", "4", "11"};
  int bar = 0;
  auto feed = [&](int n) {
    for (int k = 0; k < n; ++k, ++bar) s.on_bar(ctx, make_bar(ctx.id(), bar, closes[bar]));
  };
  feed(8);  // crosses at bars 3, 5 and 7: three rejections of one kind
  ASSERT_EQ(ctx.logs.size(), 1u);
  EXPECT_EQ(ctx.logs[0].first, StrategyLogLevel::Warn);
  ctx.reject_all = false;
  ctx.fill_market_signals = true;
  feed(2);  // the cross at bar 9 is accepted: the run ends with its count
  ASSERT_EQ(ctx.logs.size(), 2u);
  EXPECT_EQ(ctx.logs[1].first, StrategyLogLevel::Info);
  EXPECT_NE(ctx.logs[1].second.find("Signal rejections not logged kind=risk_denied count="), std::string::npos)
      << ctx.logs[1].second;
  ctx.reject_all = true;
  feed(2);  // a new run after an accepted signal is logged again
  ASSERT_EQ(ctx.logs.size(), 3u);
  EXPECT_EQ(ctx.logs[2].first, StrategyLogLevel::Warn);
}

// The crosses of a close series worked out by brute force: each bar's sign from its windows summed in 128
// bits, a cross wherever a non-zero sign differs from the previous non-zero one.
std::vector<int> brute_force_crosses(const std::vector<std::int64_t>& closes, int fast, int slow) {
  __extension__ using Int128 = __int128;
  std::vector<int> at;
  int last = 0;
  for (int i = slow - 1; i < static_cast<int>(closes.size()); ++i) {
    Int128 sf = 0, ss = 0;
    for (int k = 0; k < slow; ++k) ss += closes[static_cast<std::size_t>(i - k)];
    for (int k = 0; k < fast; ++k) sf += closes[static_cast<std::size_t>(i - k)];
    const Int128 lhs = sf * slow, rhs = ss * fast;
    const int sign = (lhs > rhs) - (lhs < rhs);
    if (sign == 0) continue;
    if (last != 0 && last != sign) at.push_back(i);
    last = sign;
  }
  return at;
}

// Feeds raw closes (long_short with a quantity: every cross is one order); returns the bar of each signal.
std::vector<int> crosses(MaCrossover& s, FakeContext& ctx, const InstrumentId& id, const std::vector<std::int64_t>& closes) {
  std::vector<int> at;
  for (std::size_t i = 0; i < closes.size(); ++i) {
    Bar b = make_bar(id, static_cast<int>(i), "1");
    b.close = Price::from_raw(closes[i]);
    const auto before = ctx.signals.size();
    s.on_bar(ctx, b);
    for (auto k = before; k < ctx.signals.size(); ++k) at.push_back(static_cast<int>(i));
  }
  return at;
}

// A pseudo-random walk from `base` (raw) with steps up to `step`, turned back before it leaves int64.
std::vector<std::int64_t> walk(std::size_t n, std::int64_t base, std::int64_t step, std::uint64_t seed) {
  std::vector<std::int64_t> out;
  std::int64_t v = base;
  for (std::size_t i = 0; i < n; ++i) {
    seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    const std::int64_t d = static_cast<std::int64_t>((seed >> 11) % static_cast<std::uint64_t>(2 * step + 1)) - step;
    v = (v > INT64_MAX - 2 * step && d > 0) || (v < -INT64_MAX + 2 * step && d < 0) ? v - d : v + d;
    out.push_back(v);
  }
  return out;
}

MaCrossoverParams long_short(int fast, int slow) {
  MaCrossoverParams p;
  p.fast = fast;
  p.slow = slow;
  p.long_short = true;
  p.quantity = Quantity::from_string("1");
  return p;
}

TEST(MaCrossover, RunningSumsMatchBruteForce) {
  const auto closes = walk(2000, Price::from_string("50000").raw(), Price::from_string("40").raw(), 7);
  const auto expected = brute_force_crosses(closes, 10, 30);
  ASSERT_GT(expected.size(), 20u);  // the walk crosses often enough to mean something
  FakeContext ctx;
  ctx.fill_market_signals = true;
  MaCrossover s(long_short(10, 30));
  EXPECT_EQ(crosses(s, ctx, ctx.id(), closes), expected);
}

// A run of ordinary closes around `base`, then one of huge closes around `huge_base`: the MA's crosses
// equal the brute-force ones across the switch.
void expect_exact_across(std::int64_t base, std::int64_t huge_base, unsigned seed) {
  auto closes = walk(300, base, Price::from_string("40").raw(), seed);
  const auto huge = walk(300, huge_base, INT64_MAX / 64, seed + 2);
  closes.insert(closes.end(), huge.begin(), huge.end());
  const auto expected = brute_force_crosses(closes, 10, 30);
  ASSERT_GT(expected.size(), 10u);
  FakeContext ctx;
  ctx.fill_market_signals = true;
  MaCrossover s(long_short(10, 30));
  EXPECT_EQ(crosses(s, ctx, ctx.id(), closes), expected);
}

TEST(MaCrossover, HugePricesAreExact) {
  // Near the top of the fixed-point range the 64-bit sums would overflow: the series goes wide (128-bit)
  // from the first such close on, in the middle of a run of ordinary ones.
  expect_exact_across(Price::from_string("50000").raw(), INT64_MAX / 2, 11);
}

// The narrow range is |close| <= limit on both sides: closes far below zero go wide as well, and so do
// closes at the limit's edges when the window product leaves no 64-bit headroom (fast 1, slow 2 vs huge).
TEST(MaCrossover, HugeNegativePricesAreExactToo) {
  expect_exact_across(-Price::from_string("50000").raw(), -(INT64_MAX / 2), 17);

  const auto edges = walk(400, 0, INT64_MAX / 3, 23);  // both signs, around INT64_MAX / 2 = the limit
  FakeContext ctx2;
  ctx2.fill_market_signals = true;
  MaCrossover t(long_short(1, 2));
  EXPECT_EQ(crosses(t, ctx2, ctx2.id(), edges), brute_force_crosses(edges, 1, 2));
}

TEST(MaCrossover, InterleavedInstrumentsKeepTheirOwnSeries) {
  FakeContext ctx({test::make_instrument("BTCUSDT"), test::make_instrument("ETHUSDT")});
  ctx.fill_market_signals = true;
  const auto a = walk(500, Price::from_string("50000").raw(), Price::from_string("40").raw(), 3);
  const auto b = walk(500, Price::from_string("3000").raw(), Price::from_string("5").raw(), 5);
  MaCrossover s(long_short(3, 8));
  std::vector<int> at_a, at_b;
  for (std::size_t i = 0; i < a.size(); ++i) {
    for (int which = 0; which < 2; ++which) {
      Bar bar = make_bar(ctx.id(static_cast<std::size_t>(which)), static_cast<int>(i), "1");
      bar.close = Price::from_raw(which == 0 ? a[i] : b[i]);
      const auto before = ctx.signals.size();
      s.on_bar(ctx, bar);
      if (ctx.signals.size() > before) (which == 0 ? at_a : at_b).push_back(static_cast<int>(i));
    }
  }
  EXPECT_EQ(at_a, brute_force_crosses(a, 3, 8));
  EXPECT_EQ(at_b, brute_force_crosses(b, 3, 8));
}

}  // namespace
}  // namespace tradingd
