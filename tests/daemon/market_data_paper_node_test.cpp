// PaperNode's start-up order, in-process: without market data (the TEST ONLY hook) the node is built at
// once on placeholder rules and on_node_ready runs immediately; with market data whose venue cannot be
// reached (a closed loopback port) there is no node and on_node_ready waits, and readiness says why.
#include "daemon/paper_node.h"

#include <gtest/gtest.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <future>

#include "daemon/market_data_feeds.h"
#include "tests/daemon/daemon_process.h"

namespace tradingd::daemon {
namespace {

using namespace std::chrono_literals;

config::Config paper_config(const test::TempDir& dir) {
  config::Config c;
  c.state_dir = (dir.path() / "state").string();
  c.metrics.listen = "127.0.0.1:0";
  config::InstrumentConfig ic;
  ic.id = InstrumentId{Venue::Okx, MarketKind::Spot, Symbol::from("BTC-USDT")};
  c.instruments.push_back(ic);
  c.venues.okx.enabled = true;
  return c;
}

TEST(PaperNodeStartup, WithoutMarketDataTheNodeIsBuiltAtOnce) {
  test::TempDir dir;
  auto lock = StateDirLock::acquire((dir.path() / "state").string());
  ASSERT_TRUE(lock);
  Daemon daemon(paper_config(dir), config::Credentials{}, std::move(*lock), DaemonOptions{std::nullopt, test::env_lookup({}), 10s});
  ASSERT_EQ(daemon.market_data(), nullptr);  // not wired: PaperNode falls back to placeholder rules
  PaperNode node(daemon);
  EXPECT_TRUE(node.has_node());
  int calls = 0;
  node.on_node_ready([&](TradingNode& n) {
    ++calls;
    EXPECT_EQ(&n, &node.node());
  });
  EXPECT_EQ(calls, 1);
}

TEST(PaperNodeStartup, NoNodeBeforeTheVenuesRulesAndReadinessSaysWhy) {
  test::TempDir dir;
  // A loopback port nothing listens on: the venue is unreachable, and there is no cache.
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor probe(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
  const auto port = probe.local_endpoint().port();
  probe.close();
  auto c = paper_config(dir);
  c.venues.okx.rest_url = "https://127.0.0.1:" + std::to_string(port);
  c.venues.okx.ws_url = "wss://127.0.0.1:" + std::to_string(port);
  c.market_data.reconnect_initial_ms = 50;
  c.market_data.reconnect_max_ms = 100;
  auto lock = StateDirLock::acquire(c.state_dir);
  ASSERT_TRUE(lock);
  Daemon daemon(c, config::Credentials{}, std::move(*lock), DaemonOptions{std::nullopt, test::env_lookup({}), 10s});
  auto run = std::async(std::launch::async, [&] { return daemon.run(); });
  ASSERT_TRUE(test::eventually([&] {
    for (const auto& cond : daemon.readiness().snapshot().conditions)
      if (cond.name == "instruments" && cond.detail.find("okx:spot failed") != std::string::npos) return true;
    return false;
  })) << format_readiness(daemon.readiness().snapshot());
  // The paper node is waiting: no TradingNode on placeholder rules while the venue is unreachable.
  bool waiting = false;
  for (const auto& cond : daemon.readiness().snapshot().conditions)
    if (cond.name == "state") waiting = !cond.ready && cond.detail == "waiting for the venues' instrument rules";
  EXPECT_TRUE(waiting) << format_readiness(daemon.readiness().snapshot());
  EXPECT_FALSE(daemon.readiness().snapshot().ready);
  boost::asio::post(daemon.io(), [&] { daemon.request_shutdown("test"); });
  ASSERT_EQ(run.wait_for(10s), std::future_status::ready);
  EXPECT_EQ(run.get(), 0);
}

}  // namespace
}  // namespace tradingd::daemon
