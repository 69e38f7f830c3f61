// Shutdown sequence: reverse order, one at a time, synchronous and deferred done(), repeated done(),
// throwing stoppers, and pending() for the timeout message.
#include "daemon/shutdown_sequence.h"

#include <stdexcept>

#include <gtest/gtest.h>

namespace tradingd::daemon {
namespace {

TEST(ShutdownSequence, EmptyFinishesAtOnce) {
  ShutdownSequence s;
  bool finished = false;
  EXPECT_TRUE(s.start([&] { finished = true; }));
  EXPECT_TRUE(finished);
  EXPECT_TRUE(s.finished());
  EXPECT_FALSE(s.start([] {}));  // only once
}

TEST(ShutdownSequence, StopsInReverseOrderWithSynchronousDone) {
  ShutdownSequence s;
  std::vector<std::string> order;
  for (auto name : {"market_data", "engine", "api"})
    s.add(name, [&order, name](ShutdownSequence::Done done) {
      order.emplace_back(name);
      done();
    });
  bool finished = false;
  s.start([&] { finished = true; });
  EXPECT_EQ(order, (std::vector<std::string>{"api", "engine", "market_data"}));
  EXPECT_TRUE(finished);
}

TEST(ShutdownSequence, WaitsForDeferredDoneAndIgnoresRepeats) {
  ShutdownSequence s;
  std::vector<std::string> order;
  ShutdownSequence::Done engine_done;
  s.add("market_data", [&](ShutdownSequence::Done done) {
    order.emplace_back("market_data");
    done();
  });
  s.add("engine", [&](ShutdownSequence::Done done) {
    order.emplace_back("engine");
    engine_done = done;  // in-flight orders still settling
  });
  bool finished = false;
  s.start([&] { finished = true; });
  EXPECT_EQ(order, (std::vector<std::string>{"engine"}));
  EXPECT_FALSE(finished);
  EXPECT_EQ(s.pending(), (std::vector<std::string>{"engine", "market_data"}));
  engine_done();
  EXPECT_TRUE(finished);
  EXPECT_EQ(order, (std::vector<std::string>{"engine", "market_data"}));
  engine_done();  // a repeat changes nothing
  EXPECT_EQ(order.size(), 2u);
  EXPECT_TRUE(s.pending().empty());
}

TEST(ShutdownSequence, ThrowingStopperCountsAsDoneAndIsReported) {
  ShutdownSequence s;
  bool first_stopped = false;
  s.add("journal", [&](ShutdownSequence::Done done) {
    first_stopped = true;
    done();
  });
  s.add("broken", [](ShutdownSequence::Done) { throw std::runtime_error("boom"); });
  bool finished = false;
  s.start([&] { finished = true; });
  EXPECT_TRUE(finished);
  EXPECT_TRUE(first_stopped);
  EXPECT_EQ(s.failures(), (std::vector<std::string>{"broken: boom"}));
}

}  // namespace
}  // namespace tradingd::daemon
