// Emergency stop dispatch: counting, every handler runs, failures are reported and never propagate.
#include "daemon/emergency_stop.h"

#include <stdexcept>

#include <gtest/gtest.h>

namespace tradingd::daemon {
namespace {

TEST(EmergencyStop, CountsRequestsWithoutHandlers) {
  EmergencyStop stop;
  EXPECT_EQ(stop.request({"signal", 1}).request_number, 1u);
  EXPECT_EQ(stop.request({"api", 2}).request_number, 2u);
  EXPECT_EQ(stop.requests(), 2u);
}

TEST(EmergencyStop, RunsEveryHandlerInOrderEvenAfterAFailure) {
  EmergencyStop stop;
  std::vector<std::string> calls;
  stop.add_handler("breaker", [&](const EmergencyStopRequest& r) { calls.push_back("breaker:" + r.source); });
  stop.add_handler("binance", [&](const EmergencyStopRequest&) { throw std::runtime_error("disconnected"); });
  stop.add_handler("flatten", [&](const EmergencyStopRequest& r) { calls.push_back("flatten:" + std::to_string(r.requested_at_ns)); });
  const auto outcome = stop.request({"signal", 42});
  EXPECT_EQ(calls, (std::vector<std::string>{"breaker:signal", "flatten:42"}));
  EXPECT_EQ(outcome.started, (std::vector<std::string>{"breaker", "flatten"}));
  EXPECT_EQ(outcome.failed, (std::vector<std::string>{"binance: disconnected"}));
}

}  // namespace
}  // namespace tradingd::daemon
