// quoter on scripted books (tick 0.1): prices from the mid and the touch, the position limit, requotes only
// after the old quote is gone, stale quotes, and bad books.
#include <gtest/gtest.h>

#include "exchange/book/order_book.h"
#include "strategy/quoter.h"
#include "tests/strategy/fake_context.h"

namespace tradingd {
namespace {

using test::FakeContext;

class QuoterTest : public ::testing::Test {
 protected:
  QuoterParams params() {
    QuoterParams p;
    p.quantity = Quantity::from_string("0.01");
    p.max_position = Quantity::from_string("0.02");
    p.offset_ticks = 1;
    p.requote_ticks = 1;
    return p;
  }
  void book(Quoter& q, std::string_view bid, std::string_view ask) {
    book_ = OrderBook(ctx_.id());
    book_.set_level(Side::Buy, Price::from_string(bid), Quantity::from_string("1"));
    book_.set_level(Side::Sell, Price::from_string(ask), Quantity::from_string("1"));
    book_.set_valid(true);
    BookUpdate u;
    u.instrument = ctx_.id();
    u.book = &book_;
    q.on_book(ctx_, u);
  }
  // The venue confirms the cancel of order `id` (1-based, in submit order).
  void canceled(Quoter& q, OrderId id) {
    const Signal& s = ctx_.signals.at(id - 1);
    OrderSpec spec;
    spec.instrument = s.instrument;
    spec.side = s.side;
    spec.type = s.type;
    spec.quantity = *s.quantity;
    spec.price = s.limit_price;
    Order order(id, ClientOrderId::from("c" + std::to_string(id)), spec, 0);
    order.apply(OrderEvent::Submit, {});
    order.apply(OrderEvent::Cancel, {});
    ASSERT_TRUE(order.is_terminal());
    q.on_order_update(ctx_, order);
  }
  void expect_quote(std::size_t i, Side side, std::string_view price) {
    ASSERT_LT(i, ctx_.signals.size());
    const Signal& s = ctx_.signals[i];
    EXPECT_EQ(s.side, side);
    EXPECT_EQ(s.type, OrderType::Limit);
    EXPECT_EQ(s.time_in_force, TimeInForce::PostOnly);
    EXPECT_EQ(s.quantity, Quantity::from_string("0.01"));
    EXPECT_EQ(s.limit_price, Price::from_string(price));
    EXPECT_EQ(s.tag.view(), side == Side::Buy ? "quoter_bid" : "quoter_ask");
  }

  FakeContext ctx_;
  OrderBook book_;
};

TEST_F(QuoterTest, QuotesAroundTheMid) {
  Quoter q(ctx_.id(), params());
  book(q, "100.0", "100.4");  // mid 100.2
  ASSERT_EQ(ctx_.signals.size(), 2u);
  expect_quote(0, Side::Buy, "100.1");
  expect_quote(1, Side::Sell, "100.3");
}

TEST_F(QuoterTest, MidOffTickRoundsAwayFromTheMid) {
  Quoter q(ctx_.id(), params());
  book(q, "100.0", "100.3");  // mid 100.15
  expect_quote(0, Side::Buy, "100.0");
  expect_quote(1, Side::Sell, "100.3");
}

TEST_F(QuoterTest, QuotesFromTheTouch) {
  auto p = params();
  p.from_mid = false;
  p.offset_ticks = 2;
  Quoter q(ctx_.id(), p);
  book(q, "100.0", "100.4");
  expect_quote(0, Side::Buy, "99.8");
  expect_quote(1, Side::Sell, "100.6");
}

TEST_F(QuoterTest, StaysPassiveOnAOneTickSpread) {
  auto p = params();
  p.offset_ticks = 0;
  Quoter q(ctx_.id(), p);
  book(q, "100.0", "100.1");  // mid 100.05: bid rounds to 100.0, ask to 100.1 — both on the touch
  expect_quote(0, Side::Buy, "100.0");
  expect_quote(1, Side::Sell, "100.1");
}

TEST_F(QuoterTest, SmallMovesDoNotRequote) {
  Quoter q(ctx_.id(), params());
  book(q, "100.0", "100.4");
  book(q, "100.1", "100.5");  // wanted 100.2 / 100.4: one tick away, requote_ticks = 1
  EXPECT_EQ(ctx_.signals.size(), 2u);
  EXPECT_TRUE(ctx_.cancels.empty());
}

TEST_F(QuoterTest, RequotesAfterTheOldQuoteIsGone) {
  Quoter q(ctx_.id(), params());
  book(q, "100.0", "100.4");
  book(q, "100.2", "100.6");  // wanted 100.3 / 100.5: two ticks away
  EXPECT_EQ(ctx_.cancels, (std::vector<OrderId>{1, 2}));
  EXPECT_EQ(ctx_.signals.size(), 2u);  // nothing new while the cancels are out
  book(q, "100.2", "100.6");
  EXPECT_EQ(ctx_.cancels.size(), 2u);  // no duplicate cancel
  canceled(q, 1);
  book(q, "100.2", "100.6");
  ASSERT_EQ(ctx_.signals.size(), 3u);
  expect_quote(2, Side::Buy, "100.3");
  canceled(q, 2);
  book(q, "100.2", "100.6");
  ASSERT_EQ(ctx_.signals.size(), 4u);
  expect_quote(3, Side::Sell, "100.5");
}

TEST_F(QuoterTest, PositionLimitDropsTheSideThatWouldExceedIt) {
  Quoter q(ctx_.id(), params());
  ctx_.set_position(ctx_.id(), Quantity::from_string("0.02"));
  book(q, "100.0", "100.4");
  ASSERT_EQ(ctx_.signals.size(), 1u);
  expect_quote(0, Side::Sell, "100.3");
  ctx_.set_position(ctx_.id(), Quantity::from_string("-0.02"));
  book(q, "100.0", "100.4");
  EXPECT_EQ(ctx_.cancels, (std::vector<OrderId>{1}));  // the ask may no longer rest
  canceled(q, 1);
  book(q, "100.0", "100.4");
  ASSERT_EQ(ctx_.signals.size(), 2u);
  expect_quote(1, Side::Buy, "100.1");
}

TEST_F(QuoterTest, CancelsStaleQuotesOnTheTimer) {
  auto p = params();
  p.stale_ms = 1000;
  Quoter q(ctx_.id(), p);
  ctx_.now_ns_ = 5 * kNanosPerSecond;
  book(q, "100.0", "100.4");
  EXPECT_EQ(ctx_.timers.at("quoter_stale_bid"), 6 * kNanosPerSecond);
  EXPECT_EQ(ctx_.timers.at("quoter_stale_ask"), 6 * kNanosPerSecond);
  ctx_.now_ns_ = 5'500 * kNanosPerMilli;
  q.on_timer(ctx_, TimerEvent{"quoter_stale_bid", ctx_.now_ns_});
  EXPECT_TRUE(ctx_.cancels.empty());  // not stale yet
  ctx_.now_ns_ = 6 * kNanosPerSecond;
  q.on_timer(ctx_, TimerEvent{"quoter_stale_bid", ctx_.now_ns_});
  EXPECT_EQ(ctx_.cancels, (std::vector<OrderId>{1}));
  book(q, "100.0", "100.4");  // the ask is stale too by now: canceled on the book update
  EXPECT_EQ(ctx_.cancels, (std::vector<OrderId>{1, 2}));
}

TEST_F(QuoterTest, CrossedOrInvalidBookCancelsEverything) {
  Quoter q(ctx_.id(), params());
  book(q, "100.0", "100.4");
  book(q, "100.4", "100.0");
  EXPECT_EQ(ctx_.cancels, (std::vector<OrderId>{1, 2}));
  EXPECT_EQ(ctx_.signals.size(), 2u);

  Quoter q2(ctx_.id(), params());
  BookUpdate u;
  u.instrument = ctx_.id();
  q2.on_book(ctx_, u);  // no book at all
  EXPECT_EQ(ctx_.signals.size(), 2u);
}

TEST_F(QuoterTest, UnknownOrderFreesTheSlot) {
  Quoter q(ctx_.id(), params());
  book(q, "100.0", "100.4");
  ctx_.cancel_outcome = CancelOutcome::UnknownOrder;
  book(q, "100.2", "100.6");
  book(q, "100.2", "100.6");  // slots were freed: quotes again at once
  ASSERT_EQ(ctx_.signals.size(), 4u);
  expect_quote(2, Side::Buy, "100.3");
}

TEST_F(QuoterTest, RejectedQuoteIsLoggedAndRetriedOnTheNextBook) {
  Quoter q(ctx_.id(), params());
  ctx_.reject_all = true;
  book(q, "100.0", "100.4");
  EXPECT_EQ(ctx_.logs.size(), 2u);
  ctx_.reject_all = false;
  book(q, "100.0", "100.4");
  EXPECT_EQ(ctx_.signals.size(), 4u);
}

TEST_F(QuoterTest, StopCancelsWorkingQuotes) {
  Quoter q(ctx_.id(), params());
  book(q, "100.0", "100.4");
  q.on_stop(ctx_);
  EXPECT_EQ(ctx_.cancels, (std::vector<OrderId>{1, 2}));
}

}  // namespace
}  // namespace tradingd
