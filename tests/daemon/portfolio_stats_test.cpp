// NodeStats/PortfolioStats against a TradingNode on the simulated venue: the per-instrument and account
// gauges follow the portfolio, the breaker's reason is labelled, venue links are exported.
#include <gtest/gtest.h>

#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include "daemon/node_stats.h"
#include "tests/execution/node/node_harness.h"

namespace tradingd::test {
namespace {

std::string scrape(prometheus::Registry& r) { return prometheus::TextSerializer().Serialize(r.Collect()); }

double value(const std::string& text, const std::string& series) {
  const auto at = text.find("\n" + series + " ");
  if (at == std::string::npos) return -1e300;
  return std::stod(text.substr(at + series.size() + 2));
}

TEST(PortfolioStats, GaugesFollowThePortfolioAndTheBreaker) {
  NodeHarness h;
  ASSERT_TRUE(h.start());
  prometheus::Registry registry;
  const InstrumentId id = h.instruments()[0].id;
  daemon::NodeStats stats(registry, {Venue::Binance}, {id});
  Signal entry = h.market(0, Side::Buy, "0.1");
  entry.stop_loss = Price::from_string("40000");
  ASSERT_TRUE(h.node().submit_signal(entry));
  h.step_ms(50);
  ASSERT_EQ(h.position(0), Quantity::from_string("0.1"));
  stats.refresh(h.node());
  const std::string labels = "{instrument=\"linear_perp:C0USDT\",venue=\"binance\"}";
  auto text = scrape(registry);
  EXPECT_EQ(value(text, "tradingd_position_quantity" + labels), 0.1);
  EXPECT_GT(value(text, "tradingd_position_avg_entry_price" + labels), 49000.0);
  EXPECT_GT(value(text, "tradingd_position_notional" + labels), 4000.0);
  // A 1x long has no liquidation price: exported as 0, the series exists.
  EXPECT_EQ(value(text, "tradingd_position_liquidation_price_estimate" + labels), 0.0);
  EXPECT_EQ(value(text, "tradingd_position_leverage" + labels), 1.0);
  EXPECT_GT(value(text, "tradingd_gross_exposure"), 4000.0);
  EXPECT_GT(value(text, "tradingd_peak_equity"), 0.0);
  EXPECT_EQ(value(text, "tradingd_open_positions"), 1.0);
  EXPECT_EQ(value(text, "tradingd_portfolio_figures_valid"), 1.0);
  EXPECT_EQ(value(text, "tradingd_venue_ready{venue=\"binance\"}"), 1.0);
  EXPECT_EQ(value(text, "tradingd_instrument_blocked" + labels), 0.0);
  EXPECT_EQ(value(text, "tradingd_circuit_breaker_reason{reason=\"manual\"}"), 0.0);
  EXPECT_EQ(value(text, "tradingd_protective_stops_armed"), 1.0);
  EXPECT_EQ(value(text, "tradingd_protective_exits_total{outcome=\"sent\"}"), 0.0);

  h.node().risk().trip_breaker(TripReason::Manual, "test", h.clock().now_ns());
  h.node().risk().blocks().block(id, "test", h.clock().now_ns());
  stats.refresh(h.node());
  text = scrape(registry);
  EXPECT_EQ(value(text, "tradingd_circuit_breaker_reason{reason=\"manual\"}"), 1.0);
  EXPECT_EQ(value(text, "tradingd_circuit_breaker_tripped"), 1.0);
  EXPECT_EQ(value(text, "tradingd_instrument_blocked" + labels), 1.0);
}

}  // namespace
}  // namespace tradingd::test
