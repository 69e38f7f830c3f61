// MarketDataRelay: events reach the node only once it is attached (and only for configured instruments and
// the instrument's one deep book); the statuses seen before are replayed on attach; per-venue readiness
// says which instrument is not live and why.
#include "daemon/market_data_relay.h"

#include <gtest/gtest.h>

#include <vector>

#include "exchange/book/order_book.h"

namespace tradingd::daemon {
namespace {

const InstrumentId kBtc{Venue::Binance, MarketKind::Spot, Symbol::from("BTCUSDT")};
const InstrumentId kEth{Venue::Binance, MarketKind::LinearPerp, Symbol::from("ETHUSDT")};
const InstrumentId kOkx{Venue::Okx, MarketKind::Spot, Symbol::from("BTC-USDT")};
const InstrumentId kOther{Venue::Bybit, MarketKind::Spot, Symbol::from("SOLUSDT")};

struct Recorder : MarketDataSink {
  std::vector<std::pair<InstrumentId, FeedStatus>> statuses;
  int trades = 0, books = 0, quotes = 0, bars = 0, marks = 0, funding = 0;
  void on_trade(const TradeTick&) override { ++trades; }
  void on_quote(const QuoteTick&) override { ++quotes; }
  void on_book(const BookUpdate&) override { ++books; }
  void on_bar(const Bar&) override { ++bars; }
  void on_mark_price(const MarkPriceUpdate&) override { ++marks; }
  void on_funding_rate(const FundingRateUpdate&) override { ++funding; }
  void on_feed_status(const InstrumentId& id, FeedStatus s, UnixNanos) override { statuses.emplace_back(id, s); }
};

TradeTick trade(const InstrumentId& id) {
  return TradeTick{id, Price::from_string("100"), Quantity::from_string("1"), Side::Buy, TradeId{}, 1, 2};
}

TEST(MarketDataRelay, DropsEventsUntilAttachedThenReplaysStatusesAndForwards) {
  MarketDataRelay relay({kBtc, kEth});
  std::vector<std::pair<InstrumentId, FeedStatus>> heard;
  relay.set_status_listener([&](const InstrumentId& id, FeedStatus s) { heard.emplace_back(id, s); });
  relay.on_feed_status(kBtc, FeedStatus::Live, 1);
  relay.on_feed_status(kEth, FeedStatus::Resyncing, 1);
  relay.on_trade(trade(kBtc));
  EXPECT_EQ(relay.dropped_unattached(), 1u);
  EXPECT_EQ(heard.size(), 2u);

  Recorder node;
  relay.attach(&node, 5);
  // The node learns that ETH's book is invalid although that happened before it existed.
  ASSERT_EQ(node.statuses.size(), 2u);
  EXPECT_EQ(node.statuses[1], std::make_pair(kEth, FeedStatus::Resyncing));
  relay.on_trade(trade(kBtc));
  relay.on_quote(QuoteTick{kBtc, Price::from_string("99"), Quantity::from_string("1"), Price::from_string("101"),
                           Quantity::from_string("1"), 1, 2});
  Bar bar;
  bar.instrument = kEth;
  relay.on_bar(bar);
  relay.on_mark_price(MarkPriceUpdate{kEth, Price::from_string("100"), Price::from_string("100"), 1, 2});
  relay.on_funding_rate(FundingRateUpdate{kEth, Rate{}, 0, 1, 2});
  EXPECT_EQ(node.trades + node.quotes + node.bars + node.marks + node.funding, 5);
  EXPECT_EQ(relay.trades(kBtc), 2u);

  relay.on_trade(trade(kOther));  // not configured: never reaches the node
  EXPECT_EQ(node.trades, 1);
  EXPECT_EQ(relay.dropped_unknown(), 1u);

  relay.attach(nullptr, 6);
  relay.on_trade(trade(kBtc));
  EXPECT_EQ(node.trades, 1);
}

TEST(MarketDataRelay, OnlyTheInstrumentsDeepBookReachesTheNode) {
  MarketDataRelay relay({kBtc});
  OrderBook deep(kBtc), shallow(kBtc);
  relay.set_book_source([&](const InstrumentId&) -> const OrderBook* { return &deep; });
  Recorder node;
  relay.attach(&node, 0);
  BookUpdate u;
  u.instrument = kBtc;
  u.book = &shallow;
  relay.on_book(u);
  EXPECT_EQ(node.books, 0);
  EXPECT_EQ(relay.secondary_books(), 1u);
  u.book = &deep;
  relay.on_book(u);
  EXPECT_EQ(node.books, 1);
}

TEST(MarketDataRelay, VenueIsLiveOnlyWhenEveryInstrumentIs) {
  MarketDataRelay relay({kBtc, kEth, kOkx});
  std::string detail;
  EXPECT_FALSE(relay.venue_live(Venue::Binance, &detail));
  relay.on_feed_status(kBtc, FeedStatus::Live, 1);
  relay.on_feed_status(kEth, FeedStatus::Stale, 1);
  EXPECT_FALSE(relay.venue_live(Venue::Binance, &detail));
  EXPECT_EQ(detail, "linear_perp:ETHUSDT stale");
  relay.on_feed_status(kEth, FeedStatus::Live, 2);
  EXPECT_TRUE(relay.venue_live(Venue::Binance, &detail));
  EXPECT_FALSE(relay.venue_live(Venue::Okx));
  EXPECT_EQ(relay.status(kOther), FeedStatus::Disconnected);
}

}  // namespace
}  // namespace tradingd::daemon
