// Determinism and state snapshots: the same market data, orders and seed give a byte-identical fill log;
// a snapshot survives its JSON text byte for byte; and a venue restored from a snapshot mid-run (with a
// request still in flight) continues with exactly the fills of the uninterrupted run.
#include <gtest/gtest.h>

#include "execution/sim/sim_snapshot.h"
#include "tests/execution/sim/scenario.h"

namespace tradingd::sim::test {
namespace {

// A random but reproducible session: book changes, trades and orders of every type under jittered latency.
std::string random_session(std::uint64_t data_seed, std::uint64_t venue_seed, SimulatedVenue** out = nullptr) {
  SimVenueConfig cfg = default_config();
  cfg.seed = venue_seed;
  cfg.latency = {5 * kNanosPerMilli, 5 * kNanosPerMilli, 2 * kNanosPerMilli, 3 * kNanosPerMilli};
  cfg.slippage.kind = SlippageKind::Volatility;
  static thread_local std::unique_ptr<Scenario> keep;
  keep = std::make_unique<Scenario>(cfg);
  Scenario& s = *keep;
  SimRng r(data_seed);
  auto rnd = [&](std::int64_t lo, std::int64_t hi) {
    return lo + static_cast<std::int64_t>(r.uniform_inclusive(static_cast<std::uint64_t>(hi - lo)));
  };
  auto px = [](std::int64_t ticks) { return Price::from_raw(100 * fixed::kScale + ticks * 10'000'000); };
  std::vector<BookLevel> bids, asks;
  for (int i = 1; i <= 8; ++i) {
    bids.push_back({px(-i), Quantity::from_raw(rnd(1, 3000) * 1'000'000)});
    asks.push_back({px(i), Quantity::from_raw(rnd(1, 3000) * 1'000'000)});
  }
  BookUpdate snap;
  snap.instrument = s.id;
  snap.is_snapshot = true;
  snap.bids = bids;
  snap.asks = asks;
  s.venue().on_book(snap);
  int n = 0;
  for (int step = 0; step < 3000; ++step) {
    s.at_ns(s.clock.now_ns() + rnd(1, 4) * kNanosPerMilli);
    const auto a = rnd(0, 9);
    if (a < 4) {
      const BookLevel l{px(rnd(-8, 8)), Quantity::from_raw(rnd(0, 3000) * 1'000'000)};
      const auto* book = s.venue().book(s.id);
      const Side side = l.price.raw() < (book->mid() ? book->mid()->raw() : px(0).raw()) ? Side::Buy : Side::Sell;
      BookUpdate u;
      u.instrument = s.id;
      (side == Side::Buy ? u.bids : u.asks) = std::span<const BookLevel>(&l, 1);
      s.venue().on_book(u);
    } else if (a < 7) {
      s.trade(px(rnd(-3, 3)).to_string().c_str(), Quantity::from_raw(rnd(1, 2000) * 1'000'000).to_string().c_str(),
              rnd(0, 1) ? Side::Buy : Side::Sell);
    } else {
      const std::string id = "d" + std::to_string(++n);
      const Side side = rnd(0, 1) ? Side::Buy : Side::Sell;
      const std::string qty = Quantity::from_raw(rnd(50, 1000) * 1'000'000).to_string();
      const std::string price = px(rnd(-6, 6)).to_string();
      switch (rnd(0, 4)) {
        case 0: s.market(id.c_str(), side, qty.c_str(), TimeInForce::Ioc); break;
        case 1: s.limit(id.c_str(), side, qty.c_str(), price.c_str(), TimeInForce::PostOnly); break;
        case 2: s.stop_market(id.c_str(), side, qty.c_str(), px(side == Side::Buy ? 4 : -4).to_string().c_str()); break;
        case 3: s.cancel(("d" + std::to_string(rnd(1, n))).c_str()); break;
        default: s.limit(id.c_str(), side, qty.c_str(), price.c_str()); break;
      }
    }
  }
  s.at_ns(s.clock.now_ns() + kNanosPerSecond);
  if (out) *out = &s.venue();
  return s.venue().render_fill_log();
}

TEST(Determinism, SameInputsAndSeedGiveAByteIdenticalFillLog) {
  const std::string a = random_session(99, 5);
  const std::string b = random_session(99, 5);
  ASSERT_GT(std::count(a.begin(), a.end(), '\n'), 100);
  EXPECT_EQ(a, b);
  // A different seed moves the jittered latencies, hence the fills.
  EXPECT_NE(a, random_session(99, 6));
}

// The scripted session of the restore test, as phases so the run can be cut at T.
SimVenueConfig continuation_config() {
  SimVenueConfig cfg = default_config();
  cfg.seed = 11;
  cfg.latency = {10 * kNanosPerMilli, 10 * kNanosPerMilli, 0, 3 * kNanosPerMilli};
  cfg.slippage.kind = SlippageKind::Volatility;
  return cfg;
}
constexpr std::int64_t kCutMs = 485;

void phase_one(Scenario& s) {
  s.at(0).book({{"99.9", "2"}, {"99.8", "3"}, {"99.7", "5"}}, {{"100.1", "1"}, {"100.2", "2"}, {"100.3", "4"}});
  s.limit("a", Side::Buy, "1", "99.8").limit("b", Side::Sell, "2", "100.3");
  s.stop_market("c", Side::Buy, "0.5", "100.25").limit("d", Side::Buy, "0.5", "99.7");
  s.at(50).trade("99.8", "1", Side::Sell);
  s.at(60).bid("99.8", "1");
  s.at(100).market("e", Side::Buy, "0.3");
  s.at(200).trade("100.1", "0.5", Side::Buy);
  s.at(300).limit("f", Side::Buy, "0.2", "99.9");
  s.at(480).limit("g", Side::Sell, "1", "100.2");  // still travelling at the cut
  s.at(kCutMs);
}

void phase_two(Scenario& s) {
  s.at(486).book({{"99.9", "2"}, {"99.8", "1"}, {"99.7", "5"}}, {{"100.1", "0.5"}, {"100.2", "2"}, {"100.3", "4"}});
  s.at(500).trade("100.25", "0.2", Side::Buy);  // fires the stop
  s.at(510).trade("99.8", "2", Side::Sell);
  s.at(520).trade("100.3", "5", Side::Buy);
  s.at(600).ask("99.75", "1");                  // crosses the resting buy at 99.8
  s.at(700).trade("99.6", "3", Side::Sell);
  s.at(1000);
}

TEST(Snapshot, JsonRoundTripIsByteIdentical) {
  Scenario s(continuation_config());
  phase_one(s);
  const SimVenueSnapshot snap = s.venue().snapshot();
  EXPECT_FALSE(snap.orders.empty());
  EXPECT_EQ(snap.pending.size(), 1u);  // "g" is still on its way
  const std::string text = to_json(snap);
  auto back = snapshot_from_json(text);
  ASSERT_TRUE(back.ok()) << back.error();
  EXPECT_EQ(to_json(*back), text);
  // A restored venue reports the same state again.
  SimulatedClock clock2(kCutMs * kNanosPerMilli);
  SimulatedVenue v2(continuation_config(), clock2);
  auto restored = v2.restore(*back);
  ASSERT_TRUE(restored.ok()) << restored.error();
  EXPECT_EQ(to_json(v2.snapshot()), text);
}

TEST(Snapshot, RestoredVenueContinuesExactlyLikeTheUninterruptedOne) {
  Scenario full(continuation_config());
  phase_one(full);
  phase_two(full);

  Scenario first(continuation_config());
  phase_one(first);
  const std::string journal = to_json(first.venue().snapshot());  // what the paper daemon would journal

  Scenario second(continuation_config());  // the restarted process
  second.clock.set_ns(kCutMs * kNanosPerMilli);
  auto snap = snapshot_from_json(journal);
  ASSERT_TRUE(snap.ok()) << snap.error();
  ASSERT_TRUE(second.venue().restore(*snap).ok());
  phase_two(second);

  const std::string expected = full.venue().render_fill_log();
  ASSERT_GT(std::count(expected.begin(), expected.end(), '\n'), 5);
  EXPECT_EQ(second.venue().render_fill_log(), expected);
  EXPECT_EQ(second.free("USDT"), full.free("USDT"));
  EXPECT_EQ(second.free("BTC"), full.free("BTC"));
  EXPECT_EQ(second.locked("USDT"), full.locked("USDT"));
}

TEST(Snapshot, RestoreRefusesForeignOrCorruptState) {
  EXPECT_FALSE(snapshot_from_json("{not json").ok());
  EXPECT_FALSE(snapshot_from_json("{\"version\":2}").ok());
  Scenario s(continuation_config());
  phase_one(s);
  std::string text = to_json(s.venue().snapshot());
  // A missing field is named in the error.
  const auto pos = text.find("\"next_trade_number\"");
  ASSERT_NE(pos, std::string::npos);
  auto broken = snapshot_from_json(std::string(text).replace(pos, 19, "\"next_trade_numbex\""));
  ASSERT_FALSE(broken.ok());
  EXPECT_NE(broken.error().find("next_trade_number"), std::string::npos);
  // A snapshot of another instrument set does not restore.
  SimulatedClock clock;
  SimulatedVenue other(default_config(perp_instrument()), clock);
  EXPECT_FALSE(other.restore(*snapshot_from_json(text)).ok());
}

}  // namespace
}  // namespace tradingd::sim::test
