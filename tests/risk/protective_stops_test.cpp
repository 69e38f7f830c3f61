// Stop-loss / take-profit bookkeeping: validation against the position's side, following the position
// (resize, drop on close or flip), moving and canceling legs, and local triggers.
#include "risk/protective_stops.h"

#include <gtest/gtest.h>

#include "tests/portfolio/test_instruments.h"

namespace tradingd {
namespace {

using test::P;
using test::Q;

const InstrumentId kBtc{Venue::Bybit, MarketKind::LinearPerp, Symbol::from("BTCUSDT")};

TEST(ProtectiveStops, RestoreSetsPersistedLevelsWithoutTheSideCheckAndEmptyRemoves) {
  ProtectiveStops s;
  // A trailed long stop above the entry: valid when it was moved, restored as it was.
  s.restore(kBtc, ProtectiveStop{Side::Buy, Q("0.5"), P("51000"), std::nullopt});
  ASSERT_NE(s.find(kBtc), nullptr);
  EXPECT_EQ(s.find(kBtc)->stop_loss, P("51000"));
  EXPECT_TRUE(s.on_price(kBtc, P("50900")).has_value());
  s.restore(kBtc, ProtectiveStop{Side::Buy, Q("0.5"), P("51000"), std::nullopt});
  s.restore(kBtc, ProtectiveStop{Side::Buy, Q("0.5"), std::nullopt, std::nullopt});
  EXPECT_EQ(s.find(kBtc), nullptr);
}

TEST(ProtectiveStops, SetFromASignalForALong) {
  ProtectiveStops s;
  auto r = s.set(kBtc, Q("0.5"), P("50000"), P("48000"), P("55000"));
  ASSERT_TRUE(r);
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[0].kind, StopAction::Kind::Place);
  EXPECT_EQ((*r)[0].stop, StopKind::StopLoss);
  EXPECT_EQ((*r)[0].exit_side, Side::Sell);
  EXPECT_EQ((*r)[0].quantity, Q("0.5"));
  EXPECT_EQ((*r)[1].trigger_price, P("55000"));
  // Wrong side, flat, non-positive: refused, and nothing changes.
  EXPECT_EQ(s.set(kBtc, Q("0.5"), P("50000"), P("51000"), std::nullopt).error(), StopError::WrongSide);
  EXPECT_EQ(s.set(kBtc, Q("0.5"), P("50000"), std::nullopt, P("49000")).error(), StopError::WrongSide);
  EXPECT_EQ(s.set(kBtc, Q("0"), P("50000"), P("48000"), std::nullopt).error(), StopError::FlatPosition);
  EXPECT_EQ(s.set(kBtc, Q("0.5"), P("50000"), P("0"), std::nullopt).error(), StopError::NonPositivePrice);
  EXPECT_EQ(s.find(kBtc)->stop_loss, P("48000"));
}

TEST(ProtectiveStops, ShortSidesAreMirrored) {
  ProtectiveStops s;
  EXPECT_TRUE(s.set(kBtc, Q("-1"), P("50000"), P("52000"), P("45000")));
  EXPECT_EQ(s.find(kBtc)->position_side, Side::Sell);
  EXPECT_EQ(s.set(kBtc, Q("-1"), P("50000"), P("48000"), std::nullopt).error(), StopError::WrongSide);
  // Triggers: a short's stop-loss fires at or above it, its take-profit at or below.
  EXPECT_FALSE(s.on_price(kBtc, P("51999.9")));
  auto t = s.on_price(kBtc, P("52000"));
  ASSERT_TRUE(t);
  EXPECT_EQ(t->stop, StopKind::StopLoss);
  EXPECT_EQ(t->exit_side, Side::Buy);
  EXPECT_EQ(t->quantity, Q("1"));
  EXPECT_EQ(s.find(kBtc), nullptr);  // both legs are gone (OCO): the exit order follows
}

TEST(ProtectiveStops, FollowThePosition) {
  ProtectiveStops s;
  ASSERT_TRUE(s.set(kBtc, Q("1"), P("50000"), P("48000"), P("55000")));
  // Grows to 1.5: both native orders are resized.
  auto a = s.on_position(kBtc, Q("1.5"));
  ASSERT_EQ(a.size(), 2u);
  EXPECT_EQ(a[0].kind, StopAction::Kind::Replace);
  EXPECT_EQ(a[0].quantity, Q("1.5"));
  EXPECT_TRUE(s.on_position(kBtc, Q("1.5")).empty());  // no change, no action
  // Flips short: the stops protected a long that no longer exists.
  a = s.on_position(kBtc, Q("-0.2"));
  ASSERT_EQ(a.size(), 2u);
  EXPECT_EQ(a[0].kind, StopAction::Kind::Cancel);
  EXPECT_EQ(s.find(kBtc), nullptr);
  // Closed: dropped as well.
  ASSERT_TRUE(s.set(kBtc, Q("1"), P("50000"), P("48000"), std::nullopt));
  a = s.on_position(kBtc, Q("0"));
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(s.find(kBtc), nullptr);
}

TEST(ProtectiveStops, MoveAndCancelLegs) {
  ProtectiveStops s;
  ASSERT_TRUE(s.set(kBtc, Q("1"), P("50000"), P("48000"), std::nullopt));
  // Trail the stop up to 49500 with the price at 51000.
  auto m = s.move(kBtc, StopKind::StopLoss, P("49500"), P("51000"));
  ASSERT_TRUE(m);
  EXPECT_EQ((*m)[0].kind, StopAction::Kind::Replace);
  EXPECT_EQ(s.find(kBtc)->stop_loss, P("49500"));
  // Adding a take-profit leg later is a Place.
  m = s.move(kBtc, StopKind::TakeProfit, P("56000"), P("51000"));
  ASSERT_TRUE(m);
  EXPECT_EQ((*m)[0].kind, StopAction::Kind::Place);
  EXPECT_EQ(s.move(kBtc, StopKind::StopLoss, P("52000"), P("51000")).error(), StopError::WrongSide);
  const InstrumentId other{Venue::Okx, MarketKind::LinearPerp, Symbol::from("BTC-USDT-SWAP")};
  EXPECT_EQ(s.move(other, StopKind::StopLoss, P("1"), P("2")).error(), StopError::NotFound);
  // Take-profit fires first when the price runs up.
  auto t = s.on_price(kBtc, P("56000"));
  ASSERT_TRUE(t);
  EXPECT_EQ(t->stop, StopKind::TakeProfit);
  // Cancel one leg, then the other.
  ASSERT_TRUE(s.set(kBtc, Q("1"), P("50000"), P("48000"), P("55000")));
  EXPECT_EQ(s.cancel(kBtc, StopKind::TakeProfit).size(), 1u);
  EXPECT_FALSE(s.find(kBtc)->take_profit);
  EXPECT_EQ(s.cancel(kBtc).size(), 1u);
  EXPECT_TRUE(s.all().empty());
}

}  // namespace
}  // namespace tradingd
