// EventHub on a real TradingNode: a fill caused by a signal arrives as order, fill and position events
// (position already updated), breaker changes as risk events, in sequence; EventQueue drops when full.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "daemon/api/event_hub.h"
#include "tests/execution/node/node_harness.h"

namespace tradingd::daemon::api {
namespace {

using test::NodeHarness;

class EventsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    h.config().risk.breaker_cooldown_s = 0;
    ASSERT_TRUE(h.restart());
    hub = std::make_unique<EventHub>(h.node(), [this](EventText t) { texts.push_back(std::move(t)); });
  }
  std::vector<boost::json::object> events() const {
    std::vector<boost::json::object> out;
    for (const auto& t : texts) out.push_back(boost::json::parse(*t).as_object());
    return out;
  }
  std::vector<std::string> types() const {
    std::vector<std::string> out;
    for (const auto& e : events()) out.emplace_back(e.at("type").as_string());
    return out;
  }

  NodeHarness h;
  std::vector<EventText> texts;
  std::unique_ptr<EventHub> hub;
};

TEST_F(EventsTest, AFilledMarketSignalGivesOrderFillAndPositionEventsInSequence) {
  ASSERT_TRUE(h.node().submit_signal(h.market(0, Side::Buy, "0.1")));
  h.step_ms(50);
  const auto ev = events();
  ASSERT_FALSE(ev.empty());
  for (std::size_t i = 0; i < ev.size(); ++i) EXPECT_EQ(ev[i].at("seq").as_int64(), static_cast<std::int64_t>(i + 1));
  const auto t = types();
  const auto fill = std::find(t.begin(), t.end(), "fill");
  ASSERT_NE(fill, t.end());
  const auto pos = std::find(fill, t.end(), "position");
  ASSERT_NE(pos, t.end());
  const auto& f = ev[static_cast<std::size_t>(fill - t.begin())].at("fill").as_object();
  EXPECT_EQ(f.at("quantity").as_string(), "0.1");
  EXPECT_EQ(f.at("side").as_string(), "buy");
  const auto& p = ev[static_cast<std::size_t>(pos - t.begin())].at("position").as_object();
  EXPECT_EQ(p.at("quantity").as_string(), "0.1");  // the node applied the fill before the hub saw it
  bool filled = false;
  for (const auto& e : ev)
    if (e.at("type") == "order" && e.at("order").at("status") == "filled") filled = true;
  EXPECT_TRUE(filled);
}

TEST_F(EventsTest, BreakerTripAndResetAreRiskEvents) {
  h.node().trip_breaker("test", "test");
  hub->poll();
  hub->poll();  // no change: nothing new
  ASSERT_EQ(types(), std::vector<std::string>{"risk"});
  EXPECT_TRUE(events()[0].at("breaker").at("tripped").as_bool());
  EXPECT_EQ(events()[0].at("trading_state").as_string(), "reducing");
  ASSERT_TRUE(h.node().reset_breaker("test"));  // cooldown 0 (SetUp)
  hub->poll();
  ASSERT_EQ(types().size(), 2u);
  EXPECT_FALSE(events()[1].at("breaker").at("tripped").as_bool());
}

TEST_F(EventsTest, HelloCarriesTheRiskStateAndTheCurrentSequence) {
  auto hello = boost::json::parse(hub->hello()).as_object();
  EXPECT_EQ(hello.at("type").as_string(), "subscribed");
  EXPECT_EQ(hello.at("seq").as_int64(), 0);
  EXPECT_TRUE(hello.contains("risk"));
}

TEST(EventQueue, ABoundedQueueRefusesWhenFull) {
  EventQueue q(2);
  auto t = std::make_shared<const std::string>("x");
  EXPECT_TRUE(q.push(t));
  EXPECT_TRUE(q.push(t));
  EXPECT_FALSE(q.push(t));
  EXPECT_EQ(q.size(), 2u);
  q.pop();
  EXPECT_TRUE(q.push(t));
}

}  // namespace
}  // namespace tradingd::daemon::api
