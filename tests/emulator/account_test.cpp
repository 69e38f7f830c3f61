// The emulator's trading account: orders against the emulated market's book, balances, queries, and the
// event log private streams read. The matching itself is the SimulatedVenue's (tested in tests/execution);
// here: the wiring — the account sees the market, answers synchronously, and logs every event once.
#include "exchange/emulator/account.h"

#include <gtest/gtest.h>

#include "exchange/emulator/instruments.h"
#include "exchange/emulator/market.h"

namespace tradingd::emulator {
namespace {

constexpr std::int64_t kStart = 1'700'000'000'000;

struct Fixture {
  std::vector<InstrumentSpec> specs = default_instruments(Venue::Binance);
  AccountOptions opts;
  MarketSim market{specs.front(), 7, kStart};  // Binance spot BTCUSDT
  EmulatedAccount account{Venue::Binance, specs, opts};
  InstrumentId id{Venue::Binance, MarketKind::Spot, Symbol::from("BTCUSDT")};
  std::int64_t now = kStart;

  Fixture() { step(); }
  void step() {
    now += 100;
    account.on_market(market, market.tick(now));
  }
  OrderRequest order(const char* cid, Side side, OrderType type, const char* qty, std::optional<Price> price = {}) {
    OrderRequest r;
    r.client_order_id = ClientOrderId::from(cid);
    r.instrument = id;
    r.side = side;
    r.type = type;
    r.quantity = Quantity::from_string(qty);
    r.price = price;
    return r;
  }
};

Money balance(const AccountReport& a, const char* asset) {
  for (const auto& b : a.balances)
    if (b.asset.view() == asset) return b.total();
  return Money::zero();
}

TEST(EmulatedAccount, MarketBuyFillsAtTheAskAndMovesBalances) {
  Fixture f;
  const Price ask = f.market.best_ask()->price;
  const auto events = f.account.submit(f.order("c1", Side::Buy, OrderType::Market, "0.01"), f.now);
  ASSERT_GE(events.size(), 2u);
  ASSERT_TRUE(std::holds_alternative<OrderAccepted>(events[0]));
  const auto* fill = std::get_if<OrderFilled>(&events[1]);
  ASSERT_NE(fill, nullptr);
  EXPECT_EQ(fill->last_price, ask);
  EXPECT_EQ(fill->client_order_id.view(), "c1");
  const auto acct = f.account.account();
  EXPECT_EQ(balance(acct, "BTC"), Money::from_string("1.01"));
  EXPECT_LT(balance(acct, "USDT"), Money::from_units(100'000));
  const auto rep = f.account.order(ClientOrderId::from("c1"));
  ASSERT_TRUE(rep);
  EXPECT_EQ(rep->status, OrderStatus::Filled);
  EXPECT_EQ(f.account.order_by_venue_id(rep->venue_order_id)->client_order_id.view(), "c1");
  EXPECT_EQ(f.account.fills(f.id, 0).size(), 1u);
}

TEST(EmulatedAccount, RestingLimitIsOpenThenCanceledAndTheLogHasEachEventOnce) {
  Fixture f;
  const Price far = f.market.best_bid()->price - Price::from_units(1000);
  auto ev = f.account.submit(f.order("rest", Side::Buy, OrderType::Limit, "0.01", far), f.now);
  ASSERT_EQ(ev.size(), 1u);
  ASSERT_TRUE(std::holds_alternative<OrderAccepted>(ev[0]));
  ASSERT_EQ(f.account.open_orders(std::nullopt).size(), 1u);
  ev = f.account.cancel(f.id, ClientOrderId::from("rest"), f.now);
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_TRUE(std::holds_alternative<OrderCanceled>(ev[0]));
  EXPECT_TRUE(f.account.open_orders(std::nullopt).empty());
  const auto log = f.account.events_since(0);
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[0].seq, 1u);
  EXPECT_EQ(log[1].seq, 2u);
  EXPECT_TRUE(f.account.events_since(2).empty());
  // Canceling again: the venue no longer knows it as open.
  ev = f.account.cancel(f.id, ClientOrderId::from("rest"), f.now);
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_TRUE(std::holds_alternative<OrderCancelRejected>(ev[0]));
}

TEST(EmulatedAccount, RuleViolationsAndInsufficientBalanceAreRejected) {
  Fixture f;
  const Price bid = f.market.best_bid()->price;
  auto ev = f.account.submit(f.order("step", Side::Buy, OrderType::Limit, "0.000001", bid), f.now);  // < step
  ASSERT_EQ(ev.size(), 1u);
  ASSERT_TRUE(std::holds_alternative<OrderRejected>(ev[0]));
  ev = f.account.submit(f.order("poor", Side::Buy, OrderType::Limit, "100", bid), f.now);  // ~6 M USDT
  ASSERT_EQ(ev.size(), 1u);
  const auto* rej = std::get_if<OrderRejected>(&ev[0]);
  ASSERT_NE(rej, nullptr);
  EXPECT_EQ(rej->error.reason, VenueErrorReason::InsufficientBalance);
  EXPECT_FALSE(f.account.order(ClientOrderId::from("nope")));
}

TEST(EmulatedAccount, ARestingOrderFillsWhenTheMarketTradesThroughIt) {
  Fixture f;
  // A sell just above the bid: resting at first (the ask is higher), filled once trades print at or
  // through it as the walk moves. Give the market a few minutes.
  const Price px = f.market.best_bid()->price + f.specs.front().tick_size;
  auto ev = f.account.submit(f.order("maker", Side::Sell, OrderType::Limit, "0.001", px), f.now);
  ASSERT_TRUE(std::holds_alternative<OrderAccepted>(ev[0]));
  const auto before = f.account.last_seq();
  for (int i = 0; i < 3000 && f.account.order(ClientOrderId::from("maker"))->status != OrderStatus::Filled; ++i) f.step();
  EXPECT_EQ(f.account.order(ClientOrderId::from("maker"))->status, OrderStatus::Filled);
  bool maker_fill = false;
  for (const auto& e : f.account.events_since(before)) {
    if (const auto* fill = std::get_if<OrderFilled>(&e.event)) maker_fill = fill->liquidity == LiquiditySide::Maker;
  }
  EXPECT_TRUE(maker_fill);
}

TEST(EmulatedAccount, LeverageIsBoundedByTheInstrument) {
  Fixture f;
  const InstrumentId perp{Venue::Binance, MarketKind::LinearPerp, Symbol::from("BTCUSDT")};
  EXPECT_EQ(f.account.leverage(perp), 1);
  EXPECT_TRUE(f.account.set_leverage(perp, 5, f.now));
  EXPECT_EQ(f.account.leverage(perp), 5);
  EXPECT_FALSE(f.account.set_leverage(perp, 100'000, f.now));
  EXPECT_FALSE(f.account.set_leverage(f.id, 2, f.now));  // spot has no leverage
  EXPECT_EQ(f.account.instrument(MarketKind::LinearPerp, "BTCUSDT"), perp);
  EXPECT_FALSE(f.account.instrument(MarketKind::Spot, "DOGEUSDT"));
}

}  // namespace
}  // namespace tradingd::emulator
