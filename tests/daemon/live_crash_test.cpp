// The SIGKILL crash test in live mode: the real tradingd with TRADINGD_MODE=live against one venue-emulator
// (OKX spot) that outlives every daemon. The TEST ONLY hook TRADINGD_TEST_SYNTHETIC_TRADING=signals sends
// alternating 50 USDT market signals priced from the live book, so orders are in flight when the process
// is killed at random moments; every restart reconciles against the same emulator. Afterwards: no
// duplicate order (each client order id maps to one venue order, each journaled order appears once) and
// no lost fill (every emulator fill is in the journal exactly once, and nothing else is).
// TRADINGD_LIVE_CRASH_ITERATIONS sets the number of kill points (default 10).
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <cstdlib>
#include <iostream>
#include <map>
#include <random>
#include <set>
#include <thread>

#include "core/fixed_point.h"
#include "tests/daemon/daemon_process.h"
#include "tests/daemon/live_emulator.h"
#include "tests/daemon/market_data_emulator.h"

namespace tradingd::test {
namespace {

constexpr const char* kConfig =
    "venues:\n  okx:\n    enabled: true\n"
    "instruments:\n  - {venue: okx, market: spot, symbol: BTC-USDT}\n";

std::string str(const boost::json::object& o, const char* key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

TEST(DaemonLiveCrash, SigkillWithOrdersInFlightNeverDuplicatesAnOrderOrLosesAFill) {
  if (!find_program("curl")) GTEST_SKIP() << "curl is not installed (deploy/install-deps.sh installs it)";
  int iterations = 10;
  if (const char* n = std::getenv("TRADINGD_LIVE_CRASH_ITERATIONS")) iterations = std::max(1, std::atoi(n));
  TempDir dir;
  auto args = emulator_credential_args();
  args.insert(args.end(), {"--tick-ms", "50"});
  EmulatorProcess emulator(dir, args);
  ASSERT_TRUE(emulator.wait_ready()) << emulator.stderr_text();
  const auto cfg = dir.write("c.yaml", kConfig);
  std::mt19937 rng(20261123);
  // The kill point: after the node is ready, while the hook's signals (every 150 ms) are in flight.
  std::uniform_int_distribution<int> delay_ms(100, 900);
  for (int i = 0; i < iterations; ++i) {
    auto env = live_env(dir, emulator);
    env["TRADINGD_TEST_SYNTHETIC_TRADING"] = "signals";
    DaemonProcess d(dir, {"run", "--config", cfg.string()}, env);
    ASSERT_TRUE(d.wait_for_log("Trading node ready", 30s)) << "iteration " << i << "\n" << d.stderr_text();
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms(rng)));  // a random kill point, by design
    d.signal(SIGKILL);
    (void)d.wait_exit();  // nullopt: killed by the signal, as intended
    ASSERT_FALSE(d.running());
    // A start whose reconciliation could not finish would make every later check meaningless.
    EXPECT_THAT(d.stderr_text(), ::testing::Not(::testing::HasSubstr("Reconciliation incomplete"))) << "iteration " << i;
  }
  // The last start: no hook; it reconciles what the last kill left in flight, then we compare.
  DaemonProcess d(dir, {"run", "--config", cfg.string()}, live_env(dir, emulator));
  ASSERT_TRUE(d.wait_for_log("Venue link venue=okx state=ready", 30s)) << d.stderr_text();
  EXPECT_THAT(d.stderr_text(), ::testing::Not(::testing::HasSubstr("Account mismatch")));
  const int port = control_api_port(d);
  ASSERT_GT(port, 0);

  const auto rec = venue_records(emulator, "okx", "BTC-USDT");
  ASSERT_TRUE(rec.ok) << rec.error;
  ASSERT_LT(rec.fills.size(), 100u) << "the emulator's fill list is capped at 100: fewer kill points";
  EXPECT_EQ(rec.open_orders, 0u);  // market orders only
  const auto doc = export_journal(dir);
  ASSERT_TRUE(doc.contains("fills") && doc.contains("orders"));

  // No duplicate order: one venue order per client order id on the venue, one journal order per id.
  std::map<std::string, std::set<std::string>> venue_orders_by_client;
  std::multiset<std::string> venue_trades;
  for (const auto& f : rec.fills) {
    venue_orders_by_client[f.client_order_id].insert(f.venue_order_id);
    venue_trades.insert(f.trade_id);
  }
  for (const auto& [cid, orders] : venue_orders_by_client) EXPECT_EQ(orders.size(), 1u) << "client id " << cid;
  std::set<std::string> journal_clients;
  for (const auto& v : doc.at("orders").as_array())
    EXPECT_TRUE(journal_clients.insert(str(v.as_object(), "client_order_id")).second) << "order twice " << v;
  for (const auto& [cid, orders] : venue_orders_by_client)
    EXPECT_TRUE(journal_clients.contains(cid)) << "a venue order the journal never intended: " << cid;

  // No lost fill, none counted twice: the journal's trade ids are exactly the venue's.
  std::multiset<std::string> journal_trades;
  std::map<std::string, Quantity> filled_by_order;
  for (const auto& f : doc.at("fills").as_array()) {
    const auto& o = f.as_object();
    journal_trades.insert(str(o, "trade_id"));
    filled_by_order[str(o, "client_order_id")] += Quantity::from_string(str(o, "quantity"));
  }
  EXPECT_EQ(journal_trades, venue_trades);
  for (const auto& v : doc.at("orders").as_array()) {
    const auto& o = v.as_object();
    EXPECT_EQ(Quantity::from_string(str(o, "filled_quantity")), filled_by_order[str(o, "client_order_id")])
        << boost::json::serialize(o);
  }
  std::cout << "[ live crash ] kill_points=" << iterations << " venue_fills=" << venue_trades.size()
            << " journal_orders=" << journal_clients.size() << " venue_orders=" << venue_orders_by_client.size() << "\n";
  EXPECT_GE(venue_trades.size(), static_cast<std::size_t>(iterations) / 2)
      << "few fills: the kill points caught too little trading to check anything";
  d.signal(SIGTERM);
  EXPECT_EQ(d.wait_exit(15s), 0) << d.stderr_text();
}

}  // namespace
}  // namespace tradingd::test
