// The metrics listener in-process: /metrics serializes every collectable, /readyz answers 503 with the
// conditions it waits for, /healthz answers 503 once the event loop stops beating, and a busy address is
// an error that says what to do.
#include "daemon/http_endpoint.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <prometheus/counter.h>
#include <prometheus/registry.h>

#include "tests/daemon/daemon_process.h"

namespace tradingd::daemon {
namespace {

using ::testing::HasSubstr;
using test::http_get;

struct Fixture {
  std::shared_ptr<prometheus::Registry> registry = std::make_shared<prometheus::Registry>();
  ReadinessRegistry readiness;
  SimulatedClock clock{1'000 * kNanosPerSecond};
  Liveness liveness{10 * kNanosPerSecond, clock.monotonic_ns()};
  HttpEndpoint endpoint{"127.0.0.1:0", {registry}, readiness, liveness, clock};
};

TEST(HttpEndpoint, ServesTheRegistry) {
  Fixture f;
  prometheus::BuildCounter().Name("tradingd_test_events_total").Help("Test.").Register(*f.registry).Add({}).Increment(3);
  ASSERT_GT(f.endpoint.port(), 0);
  const auto r = http_get(f.endpoint.port(), "/metrics");
  EXPECT_EQ(r.status, 200);
  EXPECT_THAT(r.body, HasSubstr("tradingd_test_events_total 3"));
}

TEST(HttpEndpoint, ReadyzIs503UntilEveryConditionHolds) {
  Fixture f;
  f.readiness.declare("market_data.binance", "connecting");
  auto r = http_get(f.endpoint.port(), "/readyz");
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(r.body, "not ready\nwaiting market_data.binance connecting\n");
  f.readiness.report("market_data.binance", true, "connected");
  r = http_get(f.endpoint.port(), "/readyz");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "ready\nok market_data.binance connected\n");
}

TEST(HttpEndpoint, HealthzFailsWhenTheLoopStopsBeating) {
  Fixture f;
  EXPECT_EQ(http_get(f.endpoint.port(), "/healthz").status, 200);
  f.clock.advance_ns(11 * kNanosPerSecond);
  const auto r = http_get(f.endpoint.port(), "/healthz");
  EXPECT_EQ(r.status, 503);
  EXPECT_THAT(r.body, HasSubstr("event loop stuck"));
  f.liveness.beat(f.clock.monotonic_ns());
  EXPECT_EQ(http_get(f.endpoint.port(), "/healthz").status, 200);
}

TEST(HttpEndpoint, BusyOrMalformedAddressIsAnActionableError) {
  Fixture f;
  ReadinessRegistry readiness;
  const auto busy = "127.0.0.1:" + std::to_string(f.endpoint.port());
  try {
    HttpEndpoint second(busy, {}, readiness, f.liveness, f.clock);
    FAIL() << "bound a busy port";
  } catch (const std::runtime_error& e) {
    EXPECT_THAT(e.what(), HasSubstr("cannot listen on metrics.listen=" + busy));
    EXPECT_THAT(e.what(), HasSubstr("TRADINGD_METRICS_LISTEN"));
  }
  EXPECT_THROW(HttpEndpoint("no-port", {}, readiness, f.liveness, f.clock), std::runtime_error);
}

TEST(HttpEndpoint, SplitsHostAndPort) {
  EXPECT_EQ(split_host_port("127.0.0.1:9464"), (std::pair<std::string, std::string>{"127.0.0.1", "9464"}));
  EXPECT_EQ(split_host_port("[::1]:9464"), (std::pair<std::string, std::string>{"[::1]", "9464"}));
  EXPECT_FALSE(split_host_port("localhost").has_value());
  EXPECT_FALSE(split_host_port("localhost:").has_value());
}

}  // namespace
}  // namespace tradingd::daemon
