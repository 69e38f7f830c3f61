// End to end: the real `tradingd run` in paper mode against the real venue-emulator over TLS (its own CA
// through TRADINGD_CA_FILE, loopback only, never a real host), all three venues, spot and perpetual:
// instruments load before the node, books become valid, /metrics and /readyz show it; injected faults
// (disconnect, sequence gap, bad OKX checksum, stall, malformed frames) are recovered from and counted.
// Also: TLS verification fails without the CA file (and the log says why), a configured instrument the
// venue does not list stops the daemon with exit 2, the instrument cache serves an unreachable venue, and
// market_data.record_dir gets raw frames that `tradingd replay` reads.
#include <gmock/gmock.h>
#include <boost/json.hpp>
#include <gtest/gtest.h>
#include <signal.h>

#include <filesystem>
#include <fstream>

#include "tests/daemon/daemon_process.h"
#include "tests/daemon/market_data_emulator.h"
#include "tests/support/fixtures.h"

namespace tradingd::test {
namespace {

using ::testing::HasSubstr;

constexpr const char* kInstruments =
    "instruments:\n"
    "  - {venue: binance, market: spot, symbol: BTCUSDT}\n"
    "  - {venue: binance, market: linear_perp, symbol: ETHUSDT, leverage: 2}\n"
    "  - {venue: bybit, market: spot, symbol: BTCUSDT}\n"
    "  - {venue: bybit, market: linear_perp, symbol: ETHUSDT}\n"
    "  - {venue: okx, market: spot, symbol: BTC-USDT}\n"
    "  - {venue: okx, market: linear_perp, symbol: BTC-USDT-SWAP}\n";

const std::vector<std::pair<std::string, std::string>> kSeries = {
    {"binance", "spot:BTCUSDT"}, {"binance", "linear_perp:ETHUSDT"}, {"bybit", "spot:BTCUSDT"},
    {"bybit", "linear_perp:ETHUSDT"}, {"okx", "spot:BTC-USDT"}, {"okx", "linear_perp:BTC-USDT-SWAP"}};

std::string config_text(const std::string& market_data) { return std::string(kInstruments) + "market_data:\n" + market_data; }

std::string scrape(int port) { return http_get(port, "/metrics").body; }

double value_or(const std::string& body, const std::string& series, double fallback = -1) {
  return sample_value(body, series).value_or(fallback);
}

std::string venue_series(const std::string& name, const std::string& venue) {
  return name + "{venue=\"" + venue + "\"}";
}

std::string instrument_series(const std::string& name, const std::string& venue, const std::string& instrument) {
  return name + "{instrument=\"" + instrument + "\",venue=\"" + venue + "\"}";
}

// Polls /metrics until the series reaches at least min (or, with at_most, at most max).
bool metric_reaches(int port, const std::string& series, double min, std::chrono::milliseconds timeout = 20s) {
  return eventually([&] { return value_or(scrape(port), series) >= min; }, timeout);
}
bool metric_at_most(int port, const std::string& series, double max, std::chrono::milliseconds timeout = 20s) {
  return eventually([&] {
    const auto v = sample_value(scrape(port), series);
    return v && *v <= max;
  }, timeout);
}

bool ready(int port) {
  const auto r = http_get(port, "/readyz");
  return r.status == 200;
}

class MarketDataE2E : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!find_program("curl")) GTEST_SKIP() << "curl is not installed (deploy/install-deps.sh installs it)";
    emulator_ = std::make_unique<EmulatorProcess>(dir_, std::vector<std::string>{"--tick-ms", "50"});
    ASSERT_TRUE(emulator_->wait_ready()) << emulator_->stderr_text();
  }

  std::map<std::string, std::string> env(bool with_ca = true) {
    auto e = daemon_env(dir_);
    emulator_->wire(e, with_ca);
    return e;
  }

  TempDir dir_;
  std::unique_ptr<EmulatorProcess> emulator_;
};

TEST_F(MarketDataE2E, AllVenuesLiveThenEveryInjectedFaultIsRecoveredAndCounted) {
  const auto record_dir = dir_.path() / "frames";
  const auto cfg = dir_.write("c.yaml", config_text("  stale_after_ms: 1500\n  reconnect_initial_ms: 50\n"
                                                    "  reconnect_max_ms: 500\n  record_dir: " +
                                                    record_dir.string() + "\n"));
  const auto started = std::chrono::steady_clock::now();
  DaemonProcess d(dir_, {"run", "--config", cfg.string()}, env());
  const int port = d.metrics_port();
  ASSERT_NE(port, 0) << d.stderr_text();

  // Live: every book valid, every venue connected, messages flowing, nothing stale, the node built on the
  // venues' own rules (the emulator's BTCUSDT spot tick on Binance is 0.01).
  ASSERT_TRUE(eventually([&] { return ready(port); }, 30s)) << http_get(port, "/readyz").body << d.stderr_text();
  EXPECT_THAT(d.stderr_text(), HasSubstr("Instrument rules instrument=binance:spot:BTCUSDT tick=0.01"));
  EXPECT_THAT(d.stderr_text(), HasSubstr("Book valid instrument=okx:linear_perp:BTC-USDT-SWAP"));
  EXPECT_TRUE(d.wait_for_log("First trade instrument=bybit:", 10s)) << d.stderr_text();
  ASSERT_TRUE(metric_reaches(port, venue_series("tradingd_market_data_messages_total", "okx"), 20));
  {
    const auto body = scrape(port);
    for (const std::string venue : {"binance", "bybit", "okx"}) {
      EXPECT_EQ(value_or(body, venue_series("tradingd_market_data_connected", venue)), 1) << venue << body;
      EXPECT_GT(value_or(body, venue_series("tradingd_market_data_messages_total", venue)), 0) << venue;
      EXPECT_GT(value_or(body, venue_series("tradingd_market_data_received_bytes_total", venue)), 0) << venue;
      EXPECT_GT(value_or(body, venue_series("tradingd_market_data_latency_seconds_count", venue)), 0) << venue;
      EXPECT_EQ(value_or(body, venue_series("tradingd_market_data_parse_errors_total", venue)), 0) << venue;
    }
    for (const auto& [venue, inst] : kSeries) {
      EXPECT_EQ(value_or(body, instrument_series("tradingd_market_data_stale", venue, inst)), 0) << venue << inst;
      EXPECT_EQ(value_or(body, instrument_series("tradingd_market_data_book_valid", venue, inst)), 1) << venue << inst;
    }
    EXPECT_EQ(value_or(body, "tradingd_component_ready{component=\"instruments\"}"), 1);
    if (const auto promtool = find_program("promtool")) {  // the new families must lint like the rest
      TempDir tmp;
      auto r = run_program({promtool->string(), "check", "metrics"}, {{"PATH", "/usr/bin:/bin"}}, 30s,
                           tmp.write("scrape.txt", body));
      EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    }
  }

  // Disconnect: every Binance connection cut; the feed reconnects, resubscribes, resyncs and is ready again.
  ASSERT_EQ(emulator_->fault("binance", R"({"fault":"drop"})").exit_code, 0);
  EXPECT_TRUE(metric_reaches(port, venue_series("tradingd_market_data_reconnects_total", "binance"), 1))
      << scrape(port);
  EXPECT_TRUE(metric_reaches(port, venue_series("tradingd_market_data_disconnects_total", "binance"), 1));
  EXPECT_TRUE(eventually([&] { return ready(port); }, 20s)) << http_get(port, "/readyz").body;

  // Sequence gap: detected, counted, resynced (Binance: REST snapshot; OKX: resubscribe). Bybit documents
  // `u` only as "in sequence", not +1 per delta, so a skipped delta is not detectable there: its feed must
  // simply survive it (exchange/book/bybit_book_sync.cpp; /work/shared/venues/bybit.md "Could not confirm").
  ASSERT_EQ(emulator_->fault("bybit", R"({"fault":"skip_seq","count":1})").exit_code, 0);
  for (const std::string venue : {"binance", "okx"}) {
    ASSERT_EQ(emulator_->fault(venue, R"({"fault":"skip_seq","count":1})").exit_code, 0) << venue;
    EXPECT_TRUE(metric_reaches(port, venue_series("tradingd_market_data_book_gaps_total", venue), 1))
        << venue << "\n" << scrape(port);
    EXPECT_TRUE(metric_reaches(port, venue_series("tradingd_market_data_book_resyncs_total", venue), 1)) << venue;
  }
  EXPECT_TRUE(eventually([&] { return ready(port); }, 20s)) << http_get(port, "/readyz").body;

  // A wrong OKX checksum: the book is dropped and rebuilt.
  ASSERT_EQ(emulator_->fault("okx", R"({"fault":"corrupt_checksum"})").exit_code, 0);
  EXPECT_TRUE(metric_reaches(port, venue_series("tradingd_market_data_book_checksum_failures_total", "okx"), 1))
      << d.stderr_text();
  EXPECT_TRUE(eventually([&] { return ready(port); }, 20s)) << http_get(port, "/readyz").body;

  // Malformed frames are counted and survived.
  ASSERT_EQ(emulator_->fault("bybit", R"({"fault":"malformed","count":2})").exit_code, 0);
  EXPECT_TRUE(metric_reaches(port, venue_series("tradingd_market_data_parse_errors_total", "bybit"), 1))
      << scrape(port);

  // Stall (connections open, nothing sent): stale, not ready; then fresh data: not stale, ready.
  ASSERT_EQ(emulator_->fault("bybit", R"({"fault":"stall","duration_ms":3000})").exit_code, 0);
  EXPECT_TRUE(metric_reaches(port, instrument_series("tradingd_market_data_stale", "bybit", "spot:BTCUSDT"), 1, 10s))
      << scrape(port);
  EXPECT_FALSE(ready(port));
  EXPECT_TRUE(metric_at_most(port, instrument_series("tradingd_market_data_stale", "bybit", "spot:BTCUSDT"), 0))
      << scrape(port);
  EXPECT_TRUE(eventually([&] { return ready(port); }, 20s)) << http_get(port, "/readyz").body;
  EXPECT_TRUE(d.running());

  // Recording: raw frames per venue connection per UTC day, in the replay format.
  d.signal(SIGTERM);
  EXPECT_EQ(d.wait_exit(15s), 0) << d.stderr_text();
  std::vector<std::filesystem::path> files;
  if (std::filesystem::exists(record_dir))
    for (const auto& e : std::filesystem::directory_iterator(record_dir)) files.push_back(e.path());
  std::filesystem::path okx_public;
  for (const auto& f : files)
    if (f.filename().string().starts_with("okx-public-") && !f.filename().string().ends_with(".snapshots.jsonl"))
      okx_public = f;
  ASSERT_FALSE(okx_public.empty()) << "no okx public recording in " << record_dir;
  EXPECT_GT(std::filesystem::file_size(okx_public), 1000u);
  const auto replayed = run_program({(bin_dir() / "tradingd").string(), "replay", "--venue", "okx", "--input",
                                     okx_public.string(), "--depth", "1"},
                                    {{"PATH", "/usr/bin:/bin"}}, 60s);
  EXPECT_EQ(replayed.exit_code, 0) << replayed.err;
  EXPECT_NE(replayed.out.find("\"type\":\"book\",\"line\""), std::string::npos) << replayed.out.substr(0, 2000);
  EXPECT_NE(replayed.out.find("\"instrument\":\"okx:linear_perp:BTC-USDT-SWAP\""), std::string::npos);
  std::cout << "[ e2e ] live + faults + shutdown took "
            << std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count()
            << " ms\n";
}

// The emulator's books fill paper orders: market signals only (the TEST ONLY hook in "signals" mode, no
// synthetic quotes), so every fill price comes from the emulator's market (ETH near 3000, not the hook's
// synthetic 50000) and respects the venue's own rules.
TEST_F(MarketDataE2E, PaperOrdersFillAgainstTheEmulatorsBooks) {
  const auto cfg = dir_.write("c.yaml", "instruments:\n  - {venue: binance, market: linear_perp, symbol: ETHUSDT, "
                                        "leverage: 2}\n");
  auto e = env();
  e["TRADINGD_TEST_SYNTHETIC_TRADING"] = "signals";
  DaemonProcess d(dir_, {"run", "--config", cfg.string()}, e);
  const int port = d.metrics_port();
  ASSERT_NE(port, 0) << d.stderr_text();
  const std::string fills = "tradingd_fills_total{liquidity=\"taker\",venue=\"binance\"}";
  ASSERT_TRUE(metric_reaches(port, fills, 2, 30s)) << d.stderr_text() << scrape(port);
  const auto r = run_program({(bin_dir() / "tradingd").string(), "export", "--state-dir",
                              (dir_.path() / "state").string(), "--format", "json"},
                             {{"PATH", "/usr/bin:/bin"}});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto doc = boost::json::parse(r.out).as_object();
  ASSERT_GE(doc.at("fills").as_array().size(), 2u) << r.out;
  for (const auto& f : doc.at("fills").as_array()) {
    const double price = std::stod(std::string(f.as_object().at("price").as_string()));
    EXPECT_GT(price, 2000.0) << f;
    EXPECT_LT(price, 4000.0) << f;
  }
  d.signal(SIGTERM);
  EXPECT_EQ(d.wait_exit(15s), 0) << d.stderr_text();
}

TEST_F(MarketDataE2E, WithoutTheEmulatorsCaTlsVerificationFailsAndTheLogSaysWhy) {
  const auto cfg = dir_.write("c.yaml", config_text("  reconnect_initial_ms: 50\n  reconnect_max_ms: 200\n"));
  DaemonProcess d(dir_, {"run", "--config", cfg.string()}, env(/*with_ca=*/false));
  const int port = d.metrics_port();
  ASSERT_NE(port, 0) << d.stderr_text();
  ASSERT_TRUE(d.wait_for_log("TLS verification failed venue=", 20s)) << d.stderr_text();
  EXPECT_THAT(d.stderr_text(), HasSubstr("set TRADINGD_CA_FILE"));
  EXPECT_FALSE(ready(port));
  EXPECT_THAT(http_get(port, "/readyz").body, HasSubstr("waiting instruments"));
  EXPECT_THAT(d.stderr_text(), ::testing::Not(HasSubstr("Trading node ready")));  // no node without the rules
  d.signal(SIGTERM);
  EXPECT_EQ(d.wait_exit(15s), 0) << d.stderr_text();
}

TEST_F(MarketDataE2E, AnInstrumentTheVenueDoesNotListIsAConfigurationError) {
  const auto cfg = dir_.write("c.yaml", "instruments:\n  - {venue: bybit, market: spot, symbol: BTCUSDT}\n"
                                        "  - {venue: okx, market: linear_perp, symbol: DOGE-USDT-SWAP}\n");
  DaemonProcess d(dir_, {"run", "--config", cfg.string()}, env());
  EXPECT_EQ(d.wait_exit(30s), 2) << d.stderr_text();
  const auto log = d.stderr_text();
  EXPECT_THAT(log, HasSubstr("Instrument not listed venue=okx market=linear_perp symbols=DOGE-USDT-SWAP"));
  EXPECT_THAT(log, HasSubstr("remove it under `instruments:`"));
  EXPECT_THAT(log, ::testing::Not(HasSubstr("Trading node ready")));
}

TEST_F(MarketDataE2E, AnUnreachableVenueIsServedFromTheInstrumentCache) {
  const auto cfg = dir_.write("c.yaml", "instruments:\n  - {venue: okx, market: spot, symbol: ETH-USDT}\n");
  auto e = env();
  {
    DaemonProcess d(dir_, {"run", "--config", cfg.string()}, e);
    ASSERT_TRUE(d.wait_for_log("Trading node ready", 20s)) << d.stderr_text();
    d.signal(SIGTERM);
    ASSERT_EQ(d.wait_exit(15s), 0);
  }
  ASSERT_TRUE(std::filesystem::exists(dir_.path() / "state" / "instruments" / "okx-spot.instruments"));
  emulator_->stop();  // its ports now refuse connections
  DaemonProcess d(dir_, {"run", "--config", cfg.string()}, e);
  const int port = d.metrics_port();
  ASSERT_TRUE(d.wait_for_log("Trading node ready", 20s)) << d.stderr_text();
  EXPECT_THAT(d.stderr_text(), HasSubstr("Instrument list from the cache, the venue is unreachable venue=okx"));
  EXPECT_THAT(http_get(port, "/readyz").body, HasSubstr("from cache: okx:spot"));
  EXPECT_FALSE(ready(port));  // no market data: the feed is not live
  d.signal(SIGTERM);
  EXPECT_EQ(d.wait_exit(15s), 0) << d.stderr_text();

  // A cache older than a week is not trusted: no rules, no node, and /readyz says why.
  TempDir second;
  std::filesystem::create_directories(second.path() / "state");
  std::filesystem::copy(dir_.path() / "state" / "instruments", second.path() / "state" / "instruments",
                        std::filesystem::copy_options::recursive);
  std::filesystem::last_write_time(second.path() / "state" / "instruments" / "okx-spot.instruments",
                                   std::filesystem::file_time_type::clock::now() - std::chrono::hours(24 * 8));
  auto e2 = e;
  e2["TRADINGD_STATE_DIR"] = (second.path() / "state").string();
  DaemonProcess old(second, {"run", "--config", cfg.string()}, e2);
  const int old_port = old.metrics_port();
  ASSERT_NE(old_port, 0) << old.stderr_text();
  EXPECT_TRUE(eventually([&] { return http_get(old_port, "/readyz").body.find("h old (limit 168 h)") != std::string::npos; },
                         10s))
      << http_get(old_port, "/readyz").body;
  EXPECT_THAT(old.stderr_text(), ::testing::Not(HasSubstr("Trading node ready")));
  old.signal(SIGTERM);
  EXPECT_EQ(old.wait_exit(15s), 0) << old.stderr_text();
}

}  // namespace
}  // namespace tradingd::test
