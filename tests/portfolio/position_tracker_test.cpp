// PositionTracker: idempotent fills and funding, cash balances for spot and perpetuals, fee assets,
// marking from the configured price source, overflow handling and journal replay.
#include "portfolio/position_tracker.h"

#include <gtest/gtest.h>

#include <vector>

#include "tests/portfolio/test_instruments.h"

namespace tradingd {
namespace {

using test::fill;
using test::M;
using test::P;
using test::Q;
using test::R;

const Asset kUsdt = Asset::from("USDT");
const Asset kBtc = Asset::from("BTC");

TEST(PositionTracker, SameFillTwiceCountsOnce) {
  PositionTracker t;
  const auto spot = test::spot_btcusdt();
  t.add_instrument(spot);
  const auto f = fill(spot, "T1", Side::Buy, "0.5", "100", "0.05");
  EXPECT_EQ(t.apply_fill(f), FillResult::Applied);
  EXPECT_EQ(t.apply_fill(f), FillResult::Duplicate);  // e.g. the private stream, then a REST query
  EXPECT_EQ(t.find(spot.id)->quantity(), Q("0.5"));
  EXPECT_EQ(t.find(spot.id)->fill_count(), 1u);
  // quote: −50 − 0.05; base: +0.5.
  EXPECT_EQ(t.balance(Venue::Binance, kUsdt), M("-50.05"));
  EXPECT_EQ(t.balance(Venue::Binance, kBtc), M("0.5"));
  EXPECT_EQ(t.stats().fills_applied, 1u);
  EXPECT_EQ(t.stats().duplicate_fills, 1u);
}

TEST(PositionTracker, TradeIdsAreScopedByInstrument) {
  PositionTracker t;
  const auto a = test::perp_btcusdt();
  const auto b = test::perp_named("ETHUSDT");
  t.add_instrument(a);
  t.add_instrument(b);
  EXPECT_EQ(t.apply_fill(fill(a, "42", Side::Buy, "1", "100")), FillResult::Applied);
  EXPECT_EQ(t.apply_fill(fill(b, "42", Side::Buy, "1", "10")), FillResult::Applied);
  EXPECT_EQ(t.open_position_count(), 2u);
}

TEST(PositionTracker, RejectsUnknownAndInvalidFills) {
  PositionTracker t;
  const auto spot = test::spot_btcusdt();
  EXPECT_EQ(t.apply_fill(fill(spot, "T1", Side::Buy, "1", "100")), FillResult::UnknownInstrument);
  t.add_instrument(spot);
  auto zero_qty = fill(spot, "T2", Side::Buy, "1", "100");
  zero_qty.last_quantity = Quantity::zero();
  EXPECT_EQ(t.apply_fill(zero_qty), FillResult::Invalid);
  auto no_id = fill(spot, "T3", Side::Buy, "1", "100");
  no_id.trade_id = TradeId{};
  EXPECT_EQ(t.apply_fill(no_id), FillResult::Invalid);
  EXPECT_EQ(t.stats().invalid_fills, 2u);
  EXPECT_EQ(t.stats().unknown_instrument_fills, 1u);
  EXPECT_TRUE(t.find(spot.id)->is_flat());
}

TEST(PositionTracker, PerpetualSettlesRealizedFeesAndFundingToTheWallet) {
  PositionTracker t;
  const auto perp = test::perp_btcusdt();
  t.add_instrument(perp);
  t.set_balance(Venue::Bybit, kUsdt, M("1000"));
  // buy 2 @ 100 fee 0.11; sell 1 @ 120 fee 0.066: realized 20. Wallet 1000 − 0.11 + 20 − 0.066.
  t.apply_fill(fill(perp, "a", Side::Buy, "2", "100", "0.11"));
  t.apply_fill(fill(perp, "b", Side::Sell, "1", "120", "0.066"));
  EXPECT_EQ(t.balance(Venue::Bybit, kUsdt), M("1019.824"));
  // Funding at 0.0001 on 1 BTC at 120: 0.012 paid. The same settlement time again is ignored.
  FundingEvent fe{perp.id, 8 * 3600 * kNanosPerSecond, std::nullopt, R("0.0001"), P("120")};
  EXPECT_EQ(t.apply_funding(fe), FillResult::Applied);
  EXPECT_EQ(t.apply_funding(fe), FillResult::Duplicate);
  EXPECT_EQ(t.balance(Venue::Bybit, kUsdt), M("1019.812"));
  // A venue-reported payment (a received 0.5) at the next settlement.
  FundingEvent paid{perp.id, 16 * 3600 * kNanosPerSecond, M("-0.5"), Rate::zero(), Price::zero()};
  EXPECT_EQ(t.apply_funding(paid), FillResult::Applied);
  EXPECT_EQ(t.balance(Venue::Bybit, kUsdt), M("1020.312"));
  EXPECT_EQ(t.find(perp.id)->funding(), M("-0.488"));
  // Spot has no funding.
  t.add_instrument(test::spot_btcusdt());
  EXPECT_EQ(t.apply_funding({test::spot_btcusdt().id, 1, M("1"), {}, {}}), FillResult::Invalid);
}

TEST(PositionTracker, BaseAndThirdAssetFees) {
  PositionTracker t;
  const auto spot = test::spot_btcusdt();
  t.add_instrument(spot);
  t.set_balance(Venue::Binance, Asset::from("BNB"), M("1"));
  // Buy 1 @ 100 paying 0.001 BTC: base +0.999, quote −100.
  t.apply_fill(fill(spot, "1", Side::Buy, "1", "100", "0.001", "BTC"));
  EXPECT_EQ(t.balance(Venue::Binance, kBtc), M("0.999"));
  EXPECT_EQ(t.balance(Venue::Binance, kUsdt), M("-100"));
  EXPECT_EQ(t.find(spot.id)->fees(), M("0.1"));
  // Sell 0.5 @ 100 paying 0.0002 BNB: the BNB balance pays it, the position's fees do not change.
  t.apply_fill(fill(spot, "2", Side::Sell, "0.5", "100", "0.0002", "BNB"));
  EXPECT_EQ(t.balance(Venue::Binance, Asset::from("BNB")), M("0.9998"));
  EXPECT_EQ(t.find(spot.id)->fees(), M("0.1"));
  EXPECT_EQ((t.other_asset_fees().at({Venue::Binance, Asset::from("BNB")})), M("0.0002"));
  EXPECT_EQ(t.balance(Venue::Binance, kUsdt), M("-50"));
}

// The node applies an Order's Fill through a FillRef; journal replay and tests through an OrderFilled. Both
// forms of the same fills leave the same state, and a trade id seen in one form is a duplicate in the other.
TEST(PositionTracker, FillRefAppliesAsTheOrderFilled) {
  const auto spot = test::spot_btcusdt();
  const auto perp = test::perp_btcusdt();
  PositionTracker by_event, by_ref;
  for (PositionTracker* t : {&by_event, &by_ref}) {
    t->add_instrument(spot);
    t->add_instrument(perp);
    t->set_balance(Venue::Binance, Asset::from("BNB"), M("1"));
  }
  const std::vector<OrderFilled> fills = {
      fill(spot, "1", Side::Buy, "1", "100", "0.001", "BTC", 1),   // fee in base
      fill(spot, "2", Side::Sell, "0.4", "110", "0.0002", "BNB", 2),  // fee in a third asset
      fill(spot, "3", Side::Sell, "0.2", "90", "0.018", "", 3),      // fee in quote
      fill(perp, "1", Side::Sell, "2", "100", "0.11", "", 4),
      fill(perp, "2", Side::Buy, "3", "95", "0.15", "", 5),          // flips the position
  };
  const auto ref = [](const OrderFilled& f) {
    return FillRef{f.instrument, f.trade_id, f.side, f.last_quantity, f.last_price, f.fee, f.fee_asset, f.ts_event_ns};
  };
  for (const OrderFilled& f : fills) {
    EXPECT_EQ(by_event.apply_fill(f), FillResult::Applied);
    EXPECT_EQ(by_ref.apply_fill(ref(f)), FillResult::Applied);
  }
  EXPECT_EQ(by_ref.apply_fill(ref(fills[1])), FillResult::Duplicate);
  EXPECT_EQ(by_ref.apply_fill(fills[3]), FillResult::Duplicate);
  auto invalid = fills[0];
  invalid.trade_id = TradeId{};
  EXPECT_EQ(by_ref.apply_fill(ref(invalid)), FillResult::Invalid);
  EXPECT_EQ(by_event.balances(), by_ref.balances());
  EXPECT_EQ(by_event.other_asset_fees(), by_ref.other_asset_fees());
  for (const auto& inst : {spot, perp}) {
    const Position& a = *by_event.find(inst.id);
    const Position& b = *by_ref.find(inst.id);
    EXPECT_EQ(a.quantity(), b.quantity());
    EXPECT_EQ(a.cost_basis(), b.cost_basis());
    EXPECT_EQ(a.realized_pnl(), b.realized_pnl());
    EXPECT_EQ(a.fees(), b.fees());
    EXPECT_EQ(a.fill_count(), b.fill_count());
    EXPECT_EQ(a.last_fill_ns(), b.last_fill_ns());
  }
  EXPECT_EQ(by_ref.stats().fills_applied, fills.size());
  EXPECT_EQ(by_ref.stats().duplicate_fills, 2u);
  EXPECT_EQ(by_ref.stats().invalid_fills, 1u);
}

TEST(PositionTracker, MarksFromTheConfiguredSourceWithFallback) {
  PositionTracker by_mid(PriceSource::Mid);
  PositionTracker by_mark(PriceSource::Mark);
  const auto perp = test::perp_btcusdt();
  const auto spot = test::spot_btcusdt();
  for (auto* t : {&by_mid, &by_mark}) {
    t->add_instrument(perp);
    t->add_instrument(spot);
    t->apply_fill(fill(perp, "p", Side::Buy, "1", "100"));
    t->apply_fill(fill(spot, "s", Side::Buy, "1", "100"));
    t->on_quote({perp.id, P("101"), Q("1"), P("102"), Q("1"), 1, 1});
    t->on_mark_price({perp.id, P("105"), P("104"), 2, 2});
    t->on_trade({spot.id, P("110"), Q("1"), Side::Buy, TradeId::from("x"), 3, 3});
  }
  EXPECT_EQ(by_mid.find(perp.id)->unrealized_pnl(), M("1.5"));  // mid 101.5
  EXPECT_EQ(by_mark.find(perp.id)->unrealized_pnl(), M("5"));   // mark 105
  // Spot has no mark price: Mark falls back to the last trade; Mid has no quote for spot, so last too.
  EXPECT_EQ(by_mark.find(spot.id)->unrealized_pnl(), M("10"));
  EXPECT_EQ(by_mid.find(spot.id)->unrealized_pnl(), M("10"));
  EXPECT_EQ(by_mark.prices().last_update_ns(perp.id), 2);
  // A later fill keeps the market mark rather than the fill price.
  by_mark.apply_fill(fill(perp, "p2", Side::Buy, "1", "100"));
  EXPECT_EQ(by_mark.find(perp.id)->unrealized_pnl(), M("10"));
}

TEST(PositionTracker, OverflowIsReportedAndChangesNothing) {
  PositionTracker t;
  const auto perp = test::perp_btcusdt();
  t.add_instrument(perp);
  t.set_balance(Venue::Bybit, kUsdt, M("1000"));
  t.apply_fill(fill(perp, "ok", Side::Buy, "1", "100"));
  EXPECT_EQ(t.apply_fill(fill(perp, "huge", Side::Buy, "9000000000", "9000000000")), FillResult::Overflow);
  EXPECT_TRUE(t.invariant_broken());
  EXPECT_EQ(t.find(perp.id)->quantity(), Q("1"));
  EXPECT_EQ(t.balance(Venue::Bybit, kUsdt), M("1000"));
  // Not remembered as seen: a replay reports the overflow again instead of silently skipping it.
  EXPECT_EQ(t.apply_fill(fill(perp, "huge", Side::Buy, "9000000000", "9000000000")), FillResult::Overflow);
  EXPECT_EQ(t.stats().overflows, 2u);
}

// The duplicate check runs after the fill is computed: a repeated trade id is still a duplicate, not an
// overflow, whatever its figures would have done.
TEST(PositionTracker, ADuplicateIsADuplicateEvenIfItWouldOverflow) {
  PositionTracker t;
  const auto perp = test::perp_btcusdt();
  t.add_instrument(perp);
  EXPECT_EQ(t.apply_fill(fill(perp, "T1", Side::Buy, "1", "100")), FillResult::Applied);
  EXPECT_EQ(t.apply_fill(fill(perp, "T1", Side::Buy, "9000000000", "9000000000")), FillResult::Duplicate);
  EXPECT_FALSE(t.invariant_broken());
  EXPECT_EQ(t.stats().overflows, 0u);
  EXPECT_EQ(t.stats().duplicate_fills, 1u);
}

// Fills update their balance rows in place: a copy of the tracker has rows of its own.
TEST(PositionTracker, ACopyKeepsItsOwnBalances) {
  PositionTracker a;
  const auto spot = test::spot_btcusdt();
  a.add_instrument(spot);
  a.apply_fill(fill(spot, "1", Side::Buy, "1", "100"));
  PositionTracker b = a;
  b.apply_fill(fill(spot, "2", Side::Buy, "1", "100"));
  a.apply_fill(fill(spot, "3", Side::Sell, "1", "110"));
  EXPECT_EQ(a.balance(Venue::Binance, kUsdt), M("10"));
  EXPECT_EQ(a.balance(Venue::Binance, kBtc), M("0"));
  EXPECT_EQ(b.balance(Venue::Binance, kUsdt), M("-200"));
  EXPECT_EQ(b.balance(Venue::Binance, kBtc), M("2"));
  b = a;
  b.apply_fill(fill(spot, "4", Side::Buy, "1", "100"));
  EXPECT_EQ(a.balance(Venue::Binance, kUsdt), M("10"));
  EXPECT_EQ(b.balance(Venue::Binance, kUsdt), M("-90"));
}

// structure_version() moves with registrations and new balance rows only; ledger_version() with every
// ledger change; price_version() with stored prices that changed.
TEST(PositionTracker, VersionsMoveWithWhatTheyName) {
  PositionTracker t;
  const auto spot = test::spot_btcusdt();
  t.add_instrument(spot);
  auto structure = t.structure_version();
  auto ledger = t.ledger_version();
  t.set_balance(Venue::Binance, kUsdt, M("100"));  // a new row
  EXPECT_NE(t.structure_version(), structure);
  EXPECT_NE(t.ledger_version(), ledger);
  structure = t.structure_version();
  t.set_balance(Venue::Binance, kUsdt, M("200"));  // the same row
  EXPECT_EQ(t.structure_version(), structure);
  t.apply_fill(fill(spot, "1", Side::Buy, "1", "100"));  // creates the BTC row
  EXPECT_NE(t.structure_version(), structure);
  structure = t.structure_version();
  ledger = t.ledger_version();
  t.apply_fill(fill(spot, "2", Side::Buy, "1", "100"));
  EXPECT_EQ(t.structure_version(), structure);
  EXPECT_NE(t.ledger_version(), ledger);
  const auto prices = t.price_version();
  t.on_trade_price(spot.id, P("101"), 5);
  EXPECT_NE(t.price_version(), prices);
  EXPECT_EQ(t.structure_version(), structure);
  EXPECT_EQ(t.find(spot.id)->mark_price(), P("101"));
  EXPECT_EQ(t.prices().last_update_ns(spot.id), 5);
  const auto same = t.price_version();
  t.on_trade_price(spot.id, P("101"), 6);  // the same price: nothing to re-mark
  EXPECT_EQ(t.price_version(), same);
  EXPECT_EQ(t.prices().last_update_ns(spot.id), 6);
  t.on_trade_price(test::perp_btcusdt().id, P("99"), 7);  // not registered: stored all the same
  EXPECT_EQ(t.prices().price(test::perp_btcusdt().id, PriceSource::Last), P("99"));
}

TEST(PositionTracker, ReplayRebuildsTheSameState) {
  const auto perp = test::perp_btcusdt();
  const auto spot = test::spot_btcusdt();
  std::vector<LedgerEvent> journal = {
      BalanceSet{Venue::Binance, kUsdt, M("1000")},
      BalanceSet{Venue::Bybit, kUsdt, M("1000")},
      fill(spot, "1", Side::Buy, "1", "100", "0.001", "BTC"),
      fill(perp, "2", Side::Sell, "2", "50", "0.02"),
      FundingEvent{perp.id, 100, std::nullopt, R("0.0001"), P("50")},
      fill(perp, "3", Side::Buy, "1", "40", "0.01"),
      fill(perp, "3", Side::Buy, "1", "40", "0.01"),  // journaled twice (stream + REST): once
  };
  PositionTracker live, rebuilt;
  for (auto* t : {&live, &rebuilt}) {
    t->add_instrument(perp);
    t->add_instrument(spot);
  }
  for (const auto& e : journal) live.apply(e);
  EXPECT_EQ(replay(rebuilt, journal), journal.size() - 1);
  EXPECT_EQ(rebuilt.balances(), live.balances());
  EXPECT_EQ(rebuilt.find(perp.id)->quantity(), Q("-1"));
  EXPECT_EQ(rebuilt.find(perp.id)->realized_pnl(), M("10"));
  EXPECT_EQ(rebuilt.find(perp.id)->cost_basis(), live.find(perp.id)->cost_basis());
  EXPECT_EQ(rebuilt.find(spot.id)->quantity(), Q("0.999"));
}

TEST(PositionTracker, DeduplicationMemoryIsBounded) {
  PositionTracker t(PriceSource::Mark, 2);
  const auto perp = test::perp_btcusdt();
  t.add_instrument(perp);
  t.apply_fill(fill(perp, "1", Side::Buy, "1", "100"));
  t.apply_fill(fill(perp, "2", Side::Buy, "1", "100"));
  EXPECT_EQ(t.apply_fill(fill(perp, "2", Side::Buy, "1", "100")), FillResult::Duplicate);
  t.apply_fill(fill(perp, "3", Side::Buy, "1", "100"));
  // "1" is the oldest and was forgotten; "2" and "3" are still known.
  EXPECT_EQ(t.apply_fill(fill(perp, "3", Side::Buy, "1", "100")), FillResult::Duplicate);
  EXPECT_EQ(t.apply_fill(fill(perp, "1", Side::Buy, "1", "100")), FillResult::Applied);
}

TEST(PositionTracker, ReRegisteringKeepsTheOpenPosition) {
  PositionTracker t;
  auto perp = test::perp_btcusdt();
  t.add_instrument(perp, {5, R("0.005")});
  t.apply_fill(fill(perp, "1", Side::Buy, "1", "100"));
  t.add_instrument(perp, {10, R("0.004")});
  EXPECT_EQ(t.find(perp.id)->quantity(), Q("1"));
  EXPECT_EQ(t.find(perp.id)->params().leverage, 10);
}

}  // namespace
}  // namespace tradingd
