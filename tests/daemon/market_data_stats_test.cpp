// MarketDataMetrics: counters follow the client's cumulative stats by difference (never double-counted),
// connected ignores connections nothing is subscribed on, stale/book_valid follow FeedStatus, the latency
// histogram gets the client's buckets in seconds.
#include "daemon/market_data_stats.h"

#include <gtest/gtest.h>
#include <prometheus/text_serializer.h>

#include <memory>
#include <sstream>

#include "tests/daemon/daemon_process.h"

namespace tradingd::daemon {
namespace {

const InstrumentId kBtc{Venue::Okx, MarketKind::Spot, Symbol::from("BTC-USDT")};

std::string scrape(prometheus::Registry& r) {
  std::ostringstream out;
  prometheus::TextSerializer{}.Serialize(out, r.Collect());
  return out.str();
}

double value(prometheus::Registry& r, const std::string& series) {
  return test::sample_value(scrape(r), series).value_or(-1);
}

TEST(MarketDataMetrics, MirrorsTheClientsCountersByDifference) {
  prometheus::Registry registry;
  MarketDataMetrics m(registry, {Venue::Okx}, {kBtc});
  net::MarketDataStats s;
  auto pub = std::make_shared<net::WsStats>();
  auto business = std::make_shared<net::WsStats>();  // nothing subscribed there: stays idle
  s.connections = {{"public", pub}, {"business", business}};

  const std::string connected = "tradingd_market_data_connected{venue=\"okx\"}";
  const std::string messages = "tradingd_market_data_messages_total{venue=\"okx\"}";
  pub->state.set(static_cast<std::int64_t>(net::ConnectionState::Connecting));
  m.refresh(Venue::Okx, s);
  EXPECT_EQ(value(registry, connected), 0);

  pub->state.set(static_cast<std::int64_t>(net::ConnectionState::Open));
  pub->messages_in.add(10);
  pub->bytes_in.add(1000);
  s.gaps.add(1);
  s.checksum_failures.add(2);
  s.book_resyncs.add(3);
  s.rejected.add(4);
  s.latency.observe_ns(300'000);  // 300 µs: the 500 µs bucket
  m.refresh(Venue::Okx, s);
  m.refresh(Venue::Okx, s);  // nothing new: nothing added
  EXPECT_EQ(value(registry, connected), 1);
  EXPECT_EQ(value(registry, messages), 10);
  EXPECT_EQ(value(registry, "tradingd_market_data_received_bytes_total{venue=\"okx\"}"), 1000);
  EXPECT_EQ(value(registry, "tradingd_market_data_book_gaps_total{venue=\"okx\"}"), 1);
  EXPECT_EQ(value(registry, "tradingd_market_data_book_checksum_failures_total{venue=\"okx\"}"), 2);
  EXPECT_EQ(value(registry, "tradingd_market_data_book_resyncs_total{venue=\"okx\"}"), 3);
  EXPECT_EQ(value(registry, "tradingd_market_data_parse_errors_total{venue=\"okx\"}"), 4);
  EXPECT_EQ(value(registry, "tradingd_market_data_latency_seconds_count{venue=\"okx\"}"), 1);
  EXPECT_EQ(value(registry, "tradingd_market_data_latency_seconds_bucket{venue=\"okx\",le=\"0.00025\"}"), 0);
  EXPECT_EQ(value(registry, "tradingd_market_data_latency_seconds_bucket{venue=\"okx\",le=\"0.0005\"}"), 1);

  pub->state.set(static_cast<std::int64_t>(net::ConnectionState::Backoff));
  pub->reconnects.add(1);
  m.refresh(Venue::Okx, s);
  EXPECT_EQ(value(registry, connected), 0);
  EXPECT_EQ(value(registry, "tradingd_market_data_reconnects_total{venue=\"okx\"}"), 1);
}

TEST(MarketDataMetrics, StaleAndBookValidFollowTheFeedStatus) {
  prometheus::Registry registry;
  MarketDataMetrics m(registry, {Venue::Okx}, {kBtc});
  const std::string stale = "tradingd_market_data_stale{instrument=\"spot:BTC-USDT\",venue=\"okx\"}";
  const std::string valid = "tradingd_market_data_book_valid{instrument=\"spot:BTC-USDT\",venue=\"okx\"}";
  EXPECT_EQ(value(registry, stale), 0);
  EXPECT_EQ(value(registry, valid), 0);
  m.on_status(kBtc, FeedStatus::Live);
  EXPECT_EQ(value(registry, valid), 1);
  m.on_status(kBtc, FeedStatus::Stale);
  EXPECT_EQ(value(registry, stale), 1);
  EXPECT_EQ(value(registry, valid), 0);
  m.on_status(kBtc, FeedStatus::Resyncing);
  EXPECT_EQ(value(registry, stale), 0);
  EXPECT_EQ(value(registry, valid), 0);
}

}  // namespace
}  // namespace tradingd::daemon
