// Order: each out-of-order case venues produce, duplicate fills, over-fills, exact average price and
// fees per asset.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>

#include "execution/order.h"
#include "tests/execution/test_helpers.h"

namespace tradingd {
namespace {

using test::px;
using test::qty;

constexpr LocalStamp kT{10, 10};

Order make(const char* q = "1") {
  Order o(7, ClientOrderId::from("cid7"), test::limit_spec(Side::Buy, q, "100"), 5);
  o.apply(OrderEvent::Submit, kT);
  return o;
}

Fill fill(const char* trade, const char* q, const char* p, const char* fee = "0", const char* asset = "USDT") {
  return Fill{TradeId::from(trade), VenueOrderId::from("V7"), qty(q), px(p), test::money(fee), Asset::from(asset),
              LiquiditySide::Maker, 1};
}

TEST(Order, FillBeforeAckThenLateAck) {
  Order o = make();
  auto r = o.apply_fill(fill("t1", "0.4", "100"), kT);
  EXPECT_TRUE(r.applied());
  EXPECT_TRUE(r.first_ack);
  EXPECT_TRUE(r.first_fill);
  EXPECT_EQ(o.status(), OrderStatus::PartiallyFilled);
  EXPECT_TRUE(o.acked());
  EXPECT_TRUE(o.accept(VenueOrderId::from("V7"), kT).applied());  // late ack changes nothing
  EXPECT_EQ(o.status(), OrderStatus::PartiallyFilled);
  EXPECT_TRUE(o.apply_fill(fill("t2", "0.6", "100"), kT).applied());
  EXPECT_EQ(o.status(), OrderStatus::Filled);
  auto late = o.accept(VenueOrderId::from("V7"), kT);  // ack after the full fill
  EXPECT_TRUE(late.applied());
  EXPECT_EQ(o.status(), OrderStatus::Filled);
}

TEST(Order, FullFillBeforeAck) {
  Order o = make();
  auto r = o.apply_fill(fill("t1", "1", "100"), kT);
  EXPECT_TRUE(r.became_terminal);
  EXPECT_EQ(o.status(), OrderStatus::Filled);
  EXPECT_EQ(o.venue_order_id().view(), "V7");
}

TEST(Order, FillAfterCancelRequestKeepsThePendingCancel) {
  Order o = make();
  o.accept(VenueOrderId::from("V7"), kT);
  o.apply(OrderEvent::CancelRequest, kT);
  EXPECT_TRUE(o.apply_fill(fill("t1", "0.3", "100"), kT).applied());
  EXPECT_EQ(o.status(), OrderStatus::PendingCancel);
  EXPECT_EQ(o.filled_quantity(), qty("0.3"));
  EXPECT_TRUE(o.apply(OrderEvent::Cancel, kT).applied());
  EXPECT_EQ(o.status(), OrderStatus::Canceled);
}

TEST(Order, CancelLosesTheRaceToTheLastFill) {
  Order o = make();
  o.accept(VenueOrderId::from("V7"), kT);
  o.apply(OrderEvent::CancelRequest, kT);
  EXPECT_TRUE(o.apply_fill(fill("t1", "1", "100"), kT).applied());
  EXPECT_EQ(o.status(), OrderStatus::Filled);
  // Then the venue's answers to the cancel: either a reject or, from some venues, a cancel ack.
  EXPECT_TRUE(o.apply(OrderEvent::CancelReject, kT).applied());
  EXPECT_TRUE(o.apply(OrderEvent::Cancel, kT).applied());
  EXPECT_EQ(o.status(), OrderStatus::Filled);
  EXPECT_EQ(o.filled_quantity(), qty("1"));
}

TEST(Order, FillsReportedAfterTheCancelStillCount) {
  Order o = make();
  o.accept(VenueOrderId::from("V7"), kT);
  o.apply(OrderEvent::Cancel, kT);
  EXPECT_TRUE(o.apply_fill(fill("t1", "0.5", "100"), kT).applied());
  EXPECT_EQ(o.status(), OrderStatus::Canceled);
  EXPECT_EQ(o.filled_quantity(), qty("0.5"));
  EXPECT_TRUE(o.apply_fill(fill("t2", "0.5", "100"), kT).applied());  // the rest too: the cancel was wrong
  EXPECT_EQ(o.status(), OrderStatus::Filled);
}

TEST(Order, IocExpiryBeforeItsFills) {
  Order o = make();
  EXPECT_TRUE(o.apply(OrderEvent::Expire, kT).applied());  // expiry report first, before any ack
  EXPECT_TRUE(o.apply_fill(fill("t1", "0.2", "100"), kT).applied());
  EXPECT_EQ(o.status(), OrderStatus::Expired);
  EXPECT_EQ(o.filled_quantity(), qty("0.2"));
}

TEST(Order, CancelRejectResumesTheLiveStatus) {
  Order o = make();
  o.apply(OrderEvent::CancelRequest, kT);  // before the ack
  o.apply(OrderEvent::CancelReject, kT);
  EXPECT_EQ(o.status(), OrderStatus::Submitted);
  o.accept(VenueOrderId::from("V7"), kT);
  o.apply(OrderEvent::CancelRequest, kT);
  o.apply_fill(fill("t1", "0.1", "100"), kT);
  o.apply(OrderEvent::CancelReject, kT);
  EXPECT_EQ(o.status(), OrderStatus::PartiallyFilled);
}

TEST(Order, LateAckOfAnOrderCanceledBeforeItsAck) {
  Order o = make();
  o.apply(OrderEvent::Cancel, kT);
  EXPECT_TRUE(o.accept(VenueOrderId::from("V7"), kT).applied());
  EXPECT_EQ(o.status(), OrderStatus::Canceled);
}

TEST(Order, IllegalEventsChangeNothing) {
  Order o = make();
  o.apply(OrderEvent::Reject, kT);
  const auto r = o.accept(VenueOrderId::from("V7"), kT);
  EXPECT_EQ(r.outcome, ApplyOutcome::Illegal);
  EXPECT_EQ(o.status(), OrderStatus::Rejected);
  EXPECT_TRUE(o.venue_order_id().empty());
  EXPECT_EQ(o.apply(OrderEvent::Submit, kT).outcome, ApplyOutcome::Illegal);
}

TEST(Order, NeverSentOrderCannotFill) {
  Order o(1, ClientOrderId::from("c"), test::limit_spec(Side::Buy, "1", "100"), 0);
  EXPECT_EQ(o.apply_fill(fill("t1", "0.5", "100"), kT).outcome, ApplyOutcome::Illegal);
  EXPECT_TRUE(o.filled_quantity().is_zero());
  EXPECT_TRUE(o.fills().empty());
}

TEST(Order, DuplicateFillCountsOnce) {
  Order o = make();
  EXPECT_TRUE(o.apply_fill(fill("t1", "0.4", "100", "0.04"), kT).applied());
  EXPECT_EQ(o.apply_fill(fill("t1", "0.4", "100", "0.04"), kT).outcome, ApplyOutcome::DuplicateFill);
  EXPECT_EQ(o.filled_quantity(), qty("0.4"));
  EXPECT_EQ(o.fee_in(Asset::from("USDT")), test::money("0.04"));
  EXPECT_EQ(o.fills().size(), 1u);
  // The duplicate of the completing fill is a duplicate, not an over-fill.
  EXPECT_TRUE(o.apply_fill(fill("t2", "0.6", "100"), kT).applied());
  EXPECT_EQ(o.apply_fill(fill("t2", "0.6", "100"), kT).outcome, ApplyOutcome::DuplicateFill);
}

TEST(Order, OverfillIsRefusedAndChangesNothing) {
  Order o = make();
  o.apply_fill(fill("t1", "0.7", "100"), kT);
  const auto r = o.apply_fill(fill("t2", "0.4", "100"), kT);
  EXPECT_EQ(r.outcome, ApplyOutcome::Overfill);
  EXPECT_EQ(o.filled_quantity(), qty("0.7"));
  EXPECT_EQ(o.status(), OrderStatus::PartiallyFilled);
  EXPECT_EQ(o.fills().size(), 1u);
}

TEST(Order, UncountableFillsAreRefused) {
  Order o = make();
  EXPECT_EQ(o.apply_fill(fill("", "0.1", "100"), kT).outcome, ApplyOutcome::InvalidFill);
  EXPECT_EQ(o.apply_fill(fill("t", "0", "100"), kT).outcome, ApplyOutcome::InvalidFill);
  EXPECT_EQ(o.apply_fill(fill("t", "0.1", "0"), kT).outcome, ApplyOutcome::InvalidFill);
  EXPECT_EQ(o.apply(OrderEvent::Fill, kT).outcome, ApplyOutcome::InvalidFill);
  EXPECT_TRUE(o.filled_quantity().is_zero());
}

TEST(Order, AveragePriceIsExactAndRoundedOnce) {
  Order o = make("3");
  o.apply_fill(fill("t1", "1", "100.01"), kT);
  o.apply_fill(fill("t2", "1", "100.02"), kT);
  o.apply_fill(fill("t3", "1", "100.02"), kT);
  // (100.01 + 100.02 + 100.02) / 3 = 100.0166666666...: one rounding at the end.
  EXPECT_EQ(o.avg_price(Rounding::Nearest), px("100.016666667"));
  EXPECT_EQ(o.avg_price(Rounding::Down), px("100.016666666"));
  EXPECT_EQ(o.fill_notional(), test::money("300.05"));
}

TEST(Order, AveragePriceOfTinyFillsKeepsEveryDigit) {
  Order o = make("0.000000003");
  o.apply_fill(fill("a", "0.000000001", "65000.123456789"), kT);
  o.apply_fill(fill("b", "0.000000002", "65000.123456790"), kT);
  // Exact: (65000.123456789 + 2 * 65000.12345679) / 3 = 65000.1234567896666...
  EXPECT_EQ(o.avg_price(Rounding::Nearest), px("65000.12345679"));
  EXPECT_EQ(o.avg_price(Rounding::Down), px("65000.123456789"));
}

TEST(Order, FeesArePerAsset) {
  Order o = make();
  o.apply_fill(fill("t1", "0.5", "100", "0.0005", "BTC"), kT);
  o.apply_fill(fill("t2", "0.25", "100", "0.01", "BNB"), kT);
  o.apply_fill(fill("t3", "0.25", "100", "-0.02", "BNB"), kT);  // rebate
  EXPECT_EQ(o.fee_in(Asset::from("BTC")), test::money("0.0005"));
  EXPECT_EQ(o.fee_in(Asset::from("BNB")), test::money("-0.01"));
  EXPECT_EQ(o.fee_in(Asset::from("USDT")), Money::zero());
  EXPECT_EQ(o.fees().size(), 2u);
}

TEST(Order, OverflowLeavesTheOrderUntouched) {
  Order o = make("2");
  o.apply_fill(fill("t1", "1", "100", "9223372036"), kT);
  EXPECT_THROW(o.apply_fill(fill("t2", "1", "100", "9223372036"), kT), FixedPointOverflow);
  EXPECT_EQ(o.filled_quantity(), qty("1"));
  EXPECT_EQ(o.fills().size(), 1u);
}


TEST(Order, EveryTransitionAgreesWithTheTable) {
  // Order::transition reads the matrix directly; every status it reaches must be the one next_status()
  // gives for the same facts, legal or not, over event sequences that reach every status (fills included).
  std::mt19937_64 rng(42);
  for (int run = 0; run < 2000; ++run) {
    Order o(1, ClientOrderId::from("c1"), test::limit_spec(Side::Buy, "1", "100"), 0);
    int trade = 0;
    for (int step = 0; step < 8; ++step) {
      const auto event = static_cast<OrderEvent>(std::uniform_int_distribution<int>(0, kOrderEventCount - 1)(rng));
      const OrderStatus before = o.status();
      const bool acks = event == OrderEvent::Accept || event == OrderEvent::Trigger;
      if (event == OrderEvent::PartialFill || event == OrderEvent::Fill) {
        if (o.leaves_quantity().is_zero()) continue;
        const Quantity q = event == OrderEvent::Fill ? o.leaves_quantity() : std::min(o.leaves_quantity(), qty("0.25"));
        const auto want = next_status(before, q == o.leaves_quantity() ? OrderEvent::Fill : OrderEvent::PartialFill,
                                      TransitionFacts{true, o.filled_quantity().is_positive()});
        const auto r = o.apply_fill(Fill{TradeId::from("t" + std::to_string(trade++)), VenueOrderId{}, q, px("100"),
                                         Money::zero(), Asset{}, LiquiditySide::Taker, 1},
                                    kT);
        ASSERT_EQ(r.applied(), want.has_value());
        EXPECT_EQ(o.status(), want.value_or(before));
        continue;
      }
      const auto want = next_status(before, event, TransitionFacts{o.acked() || acks, o.filled_quantity().is_positive()});
      const auto r = o.apply(event, kT);
      ASSERT_EQ(r.applied(), want.has_value()) << to_string(before) << " " << to_string(event);
      EXPECT_EQ(o.status(), want.value_or(before)) << to_string(before) << " " << to_string(event);
      EXPECT_EQ(r.previous, before);
    }
  }
}

}  // namespace
}  // namespace tradingd
