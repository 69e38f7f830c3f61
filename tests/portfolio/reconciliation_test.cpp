// Reconciliation with a venue AccountReport and the blocked-instrument set it drives.
#include "portfolio/reconciliation.h"

#include <gtest/gtest.h>

#include "portfolio/instrument_blocks.h"
#include "tests/portfolio/test_instruments.h"

namespace tradingd {
namespace {

using test::fill;
using test::M;
using test::Q;

const Asset kUsdt = Asset::from("USDT");
const Asset kBtc = Asset::from("BTC");

AccountReport report(Venue venue, std::vector<Balance> balances, std::vector<PositionReport> positions) {
  AccountReport r;
  r.venue = venue;
  r.balances = std::move(balances);
  r.positions = std::move(positions);
  r.ts_event_ns = 1000;
  return r;
}

struct Fixture {
  PositionTracker tracker;
  Instrument spot = test::spot_btcusdt();
  Instrument perp = test::perp_btcusdt();
  Fixture() {
    tracker.add_instrument(spot);
    tracker.add_instrument(perp);
    tracker.set_balance(Venue::Binance, kUsdt, M("1000"));
    tracker.set_balance(Venue::Bybit, kUsdt, M("1000"));
    tracker.apply_fill(fill(spot, "s", Side::Buy, "0.01", "50000"));  // USDT 500, BTC 0.01
    tracker.apply_fill(fill(perp, "p", Side::Sell, "0.5", "50000"));
  }
};

TEST(Reconciliation, AgreementIsOk) {
  Fixture fx;
  auto bybit = reconcile(fx.tracker, report(Venue::Bybit, {{kUsdt, M("900"), M("100")}},
                                            {{fx.perp.id, Q("-0.5"), test::P("50000"), 5}}));
  EXPECT_TRUE(bybit.ok());
  EXPECT_EQ(bybit.checked, std::vector<InstrumentId>{fx.perp.id});
  auto binance = reconcile(fx.tracker, report(Venue::Binance, {{kUsdt, M("500"), {}}, {kBtc, M("0.01"), {}},
                                                               {Asset::from("DOGE"), M("3"), {}}}, {}));
  EXPECT_TRUE(binance.ok()) << "unrelated assets (DOGE dust) are ignored";
}

TEST(Reconciliation, PositionMismatchBlocksThatInstrument) {
  Fixture fx;
  auto r = reconcile(fx.tracker, report(Venue::Bybit, {{kUsdt, M("1000"), {}}}, {{fx.perp.id, Q("-0.4"), {}, 5}}));
  ASSERT_EQ(r.positions.size(), 1u);
  EXPECT_EQ(r.positions[0].ours, Q("-0.5"));
  EXPECT_EQ(r.positions[0].venue, Q("-0.4"));
  EXPECT_EQ(r.blocked_instruments(), std::vector<InstrumentId>{fx.perp.id});
  // A position the venue has and we do not track at all.
  const auto eth = test::perp_named("ETHUSDT");
  r = reconcile(fx.tracker, report(Venue::Bybit, {{kUsdt, M("1000"), {}}},
                                   {{fx.perp.id, Q("-0.5"), {}, 5}, {eth.id, Q("2"), {}, 5}}));
  ASSERT_EQ(r.positions.size(), 1u);
  EXPECT_FALSE(r.positions[0].tracked);
  // A position missing on the venue (liquidated while we were down) is a mismatch too.
  r = reconcile(fx.tracker, report(Venue::Bybit, {{kUsdt, M("1000"), {}}}, {}));
  ASSERT_EQ(r.positions.size(), 1u);
  EXPECT_EQ(r.positions[0].venue, Q("0"));
}

TEST(Reconciliation, BaseBalanceBlocksSpotCashOnlyReports) {
  Fixture fx;
  auto r = reconcile(fx.tracker, report(Venue::Binance, {{kUsdt, M("700"), {}}, {kBtc, M("0.02"), {}}}, {}));
  ASSERT_EQ(r.balances.size(), 2u);
  // BTC (the base of BTCUSDT) differs: BTCUSDT is blocked. USDT differs (a deposit?): reported only.
  EXPECT_EQ(r.blocked_instruments(), std::vector<InstrumentId>{fx.spot.id});
  for (const auto& b : r.balances)
    if (b.asset == kUsdt) {
      EXPECT_TRUE(b.blocks.empty());
    }
  // Within the tolerance: agreement.
  r = reconcile(fx.tracker, report(Venue::Binance, {{kUsdt, M("500.004"), {}}, {kBtc, M("0.01"), {}}}, {}),
                {Quantity::zero(), M("0.01")});
  EXPECT_TRUE(r.ok());
}

TEST(InstrumentBlocks, BlockResolveAcknowledge) {
  Fixture fx;
  InstrumentBlocks blocks;
  const auto bad = reconcile(fx.tracker, report(Venue::Bybit, {{kUsdt, M("1000"), {}}}, {{fx.perp.id, Q("-0.4"), {}, 5}}));
  EXPECT_EQ(blocks.apply(bad), std::vector<InstrumentId>{fx.perp.id});
  EXPECT_TRUE(blocks.is_blocked(fx.perp.id));
  EXPECT_FALSE(blocks.is_blocked(fx.spot.id));
  EXPECT_NE(blocks.entries().at(fx.perp.id).reason.find("-0.5"), std::string::npos);
  // The same mismatch again: still blocked, not "newly".
  EXPECT_TRUE(blocks.apply(bad).empty());
  // Resolved: a later reconciliation agrees.
  const auto good = reconcile(fx.tracker, report(Venue::Bybit, {{kUsdt, M("1000"), {}}}, {{fx.perp.id, Q("-0.5"), {}, 5}}));
  blocks.apply(good);
  EXPECT_FALSE(blocks.is_blocked(fx.perp.id));
  EXPECT_TRUE(blocks.entries().empty());
  // Acknowledged: trades despite the mismatch; the same mismatch does not block again, a new one does.
  blocks.apply(bad);
  EXPECT_TRUE(blocks.acknowledge(fx.perp.id, 5));
  EXPECT_FALSE(blocks.is_blocked(fx.perp.id));
  EXPECT_TRUE(blocks.apply(bad).empty());
  EXPECT_FALSE(blocks.is_blocked(fx.perp.id));
  const auto worse = reconcile(fx.tracker, report(Venue::Bybit, {{kUsdt, M("1000"), {}}}, {{fx.perp.id, Q("-0.3"), {}, 5}}));
  EXPECT_EQ(blocks.apply(worse), std::vector<InstrumentId>{fx.perp.id});
  EXPECT_TRUE(blocks.is_blocked(fx.perp.id));
  EXPECT_FALSE(blocks.acknowledge(fx.spot.id, 6));
}

TEST(InstrumentBlocks, ManualBlocksOutliveReconciliation) {
  Fixture fx;
  InstrumentBlocks blocks;
  blocks.block(fx.perp.id, "order journaled as submitting, unknown to the venue", 1);
  const auto good = reconcile(fx.tracker, report(Venue::Bybit, {{kUsdt, M("1000"), {}}}, {{fx.perp.id, Q("-0.5"), {}, 5}}));
  blocks.apply(good);
  EXPECT_TRUE(blocks.is_blocked(fx.perp.id));
  EXPECT_TRUE(blocks.any_blocked());
  blocks.unblock(fx.perp.id);
  EXPECT_FALSE(blocks.any_blocked());
}

}  // namespace
}  // namespace tradingd
