// LiveVenueMetrics: each adapter's LiveVenueStats exported per venue (counters by difference, gauges as
// set), including the ban gauge the TradingdVenueBanned alert reads.
#include <gtest/gtest.h>

#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include "daemon/live_venues.h"

namespace tradingd::test {
namespace {

class StatsOnlyVenue final : public live::LiveVenue {
 public:
  explicit StatsOnlyVenue(Venue v) : venue_(v) {}
  Venue venue() const override { return venue_; }
  VenueCapabilities capabilities() const override { return {}; }
  void set_event_sink(VenueEventSink*) override {}
  void submit(const OrderRequest&) override {}
  void cancel(const CancelRequest&) override {}
  void cancel_all(const std::optional<InstrumentId>&) override {}
  void query_order(const InstrumentId&, const ClientOrderId&, VenueCallback<OrderStatusReport>) override {}
  void open_orders(const std::optional<InstrumentId>&, VenueCallback<std::vector<OrderStatusReport>>) override {}
  void fills_since(const InstrumentId&, UnixNanos, VenueCallback<std::vector<OrderFilled>>) override {}
  void account(VenueCallback<AccountReport>) override {}
  void set_leverage(const InstrumentId&, int, VenueCallback<int>) override {}
  const live::LiveVenueStats& stats() const override { return stats_; }
  live::LiveVenueStats stats_;

 private:
  Venue venue_;
};

double value(const std::string& text, const std::string& series) {
  const auto at = text.find("\n" + series + " ");
  if (at == std::string::npos) return -1e300;
  return std::stod(text.substr(at + series.size() + 2));
}

TEST(LiveVenueMetrics, ExportsEachAdaptersStatsPerVenue) {
  daemon::LiveVenues venues;
  venues.adapters.push_back(std::make_unique<StatsOnlyVenue>(Venue::Binance));
  venues.adapters.push_back(std::make_unique<StatsOnlyVenue>(Venue::Okx));
  auto& binance = static_cast<StatsOnlyVenue&>(*venues.adapters[0]);
  ASSERT_EQ(venues.pointers().size(), 2u);
  prometheus::Registry registry;
  daemon::LiveVenueMetrics metrics(registry, venues);
  binance.stats_.requests = 7;
  binance.stats_.unknown_outcomes = 2;
  binance.stats_.rate_limited = 3;
  binance.stats_.banned = true;
  binance.stats_.private_stream_connected = true;
  binance.stats_.server_time_offset_ms = -42;
  binance.stats_.duplicate_fills_dropped = 5;
  binance.stats_.dead_man_refreshes = 4;
  binance.stats_.dead_man_failures = 1;
  metrics.refresh();
  binance.stats_.requests = 9;
  metrics.refresh();  // counters add the difference, not the total again
  const auto text = prometheus::TextSerializer().Serialize(registry.Collect());
  EXPECT_EQ(value(text, "tradingd_venue_requests_total{venue=\"binance\"}"), 9.0);
  EXPECT_EQ(value(text, "tradingd_venue_unknown_outcomes_total{venue=\"binance\"}"), 2.0);
  EXPECT_EQ(value(text, "tradingd_venue_rate_limited_total{venue=\"binance\"}"), 3.0);
  EXPECT_EQ(value(text, "tradingd_venue_banned{venue=\"binance\"}"), 1.0);
  EXPECT_EQ(value(text, "tradingd_venue_banned{venue=\"okx\"}"), 0.0);
  EXPECT_EQ(value(text, "tradingd_venue_private_stream_connected{venue=\"binance\"}"), 1.0);
  EXPECT_EQ(value(text, "tradingd_venue_server_time_offset_ms{venue=\"binance\"}"), -42.0);
  EXPECT_EQ(value(text, "tradingd_venue_duplicate_fills_dropped_total{venue=\"binance\"}"), 5.0);
  EXPECT_EQ(value(text, "tradingd_venue_dead_man_refreshes_total{venue=\"binance\"}"), 4.0);
  EXPECT_EQ(value(text, "tradingd_venue_dead_man_failures_total{venue=\"binance\"}"), 1.0);
  EXPECT_EQ(value(text, "tradingd_venue_requests_total{venue=\"okx\"}"), 0.0);
}

}  // namespace
}  // namespace tradingd::test
