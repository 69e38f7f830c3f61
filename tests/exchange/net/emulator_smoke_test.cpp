// The three venues' market-data clients against the real venue emulator (build/bin/venue-emulator, from
// the emulator branch) over TLS with the CA it generates: instruments, subscriptions, every book Live and
// uncrossed, no rejected frame; then the emulator drops every connection and skips a sequence number, and
// every feed recovers (reconnect + resubscribe, gap → resync). Skips when the emulator binary is absent.
#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>

#include <csignal>
#include <map>
#include <thread>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/clock.h"
#include "exchange/binance/market_data_client.h"
#include "exchange/bybit/market_data_client.h"
#include "exchange/okx/market_data_client.h"
#include "tests/exchange/net/net_test_util.h"
#include "tests/support/fixtures.h"

extern char** environ;

namespace tradingd::test {
namespace {

using namespace std::chrono_literals;

std::filesystem::path emulator_binary() {
  if (const char* e = std::getenv("TRADINGD_EMULATOR_BIN")) return e;
  return bin_dir() / "venue-emulator";
}

// The emulator process: started with its own cert dir and URL file, stopped (SIGTERM) at the end.
class Emulator {
 public:
  explicit Emulator(const std::filesystem::path& dir) : dir_(dir) {
    std::filesystem::create_directories(dir);
    const std::string bin = emulator_binary().string();
    const std::string certs = (dir / "certs").string();
    const std::string urls = (dir / "urls.json").string();
    const std::string log = (dir / "emulator.log").string();
    std::vector<std::string> args{bin, "--cert-dir", certs, "--urls-file", urls, "--seed", "7"};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&fa, STDOUT_FILENO, STDERR_FILENO);
    if (posix_spawn(&pid_, bin.c_str(), &fa, nullptr, argv.data(), environ) != 0) pid_ = -1;
    posix_spawn_file_actions_destroy(&fa);
  }
  ~Emulator() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      int status = 0;
      ::waitpid(pid_, &status, 0);
    }
  }
  bool running() const { return pid_ > 0; }
  // The URL line, once the emulator wrote it (nullopt if it exited or took too long).
  std::optional<boost::json::object> urls() {
    const auto file = dir_ / "urls.json";
    for (int i = 0; i < 400; ++i) {
      int status = 0;
      if (pid_ <= 0 || ::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return std::nullopt;
      }
      std::ifstream in(file);
      std::stringstream ss;
      ss << in.rdbuf();
      boost::system::error_code ec;
      auto v = boost::json::parse(ss.str(), ec);
      if (!ec && v.is_object()) return v.as_object();
      std::this_thread::sleep_for(50ms);
    }
    return std::nullopt;
  }

 private:
  std::filesystem::path dir_;
  pid_t pid_ = -1;
};

struct CountingSink final : MarketDataSink {
  std::map<std::string, FeedStatus> status;
  void on_feed_status(const InstrumentId& id, FeedStatus s, UnixNanos) override { status[id.to_string()] = s; }
};

config::VenueConfig venue_config(const boost::json::object& urls, const char* venue) {
  config::VenueConfig v;
  v.enabled = true;
  v.rest_url = std::string(urls.at(venue).at("rest").as_string());
  v.ws_url = std::string(urls.at(venue).at("ws").as_string());
  return v;
}

TEST(EmulatorSmoke, EveryVenueSyncsBooksAndSurvivesDropsAndGaps) {
  if (!std::filesystem::exists(emulator_binary()))
    GTEST_SKIP() << "venue-emulator not built (" << emulator_binary() << "); set TRADINGD_EMULATOR_BIN to run";
  const auto dir = std::filesystem::temp_directory_path() / ("tradingd-emu-smoke-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  Emulator emu(dir);
  ASSERT_TRUE(emu.running());
  auto urls = emu.urls();
  ASSERT_TRUE(urls.has_value()) << "the emulator wrote no URL file; see " << (dir / "emulator.log");
  const std::filesystem::path ca = std::string(urls->at("ca_file").as_string());

  boost::asio::io_context io;
  auto tls = tls_trusting(ca, /*system_cas=*/true);
  RealClock clock;
  CountingSink sink;
  net::FeedClientOptions o;
  o.stale_after_ms = 10'000;
  o.instrument_cache_dir = (dir / "instruments").string();
  o.reconnect.initial_ms = 50;
  o.reconnect.max_ms = 500;
  o.ws = fast_ws_options();

  const std::uint32_t spot = kTrades | kQuotes | kBook | kBars1m;
  const std::uint32_t perp = spot | kMarkPrice | kFunding;
  auto binance = binance::make_market_data_client(io, tls, binance::market_data_endpoints(venue_config(*urls, "binance")), o,
                                                  sink, clock);
  auto bybit = bybit::make_market_data_client(io, tls, bybit::market_data_endpoints(venue_config(*urls, "bybit")), o, sink,
                                              clock);
  auto okx = okx::make_market_data_client(io, tls, okx::market_data_endpoints(venue_config(*urls, "okx")), o, sink, clock);
  ASSERT_TRUE(binance.ok() && bybit.ok() && okx.ok());
  const std::vector<std::pair<net::FeedClient*, InstrumentId>> feeds{
      {binance->get(), {Venue::Binance, MarketKind::Spot, Symbol::from("BTCUSDT")}},
      {binance->get(), {Venue::Binance, MarketKind::LinearPerp, Symbol::from("BTCUSDT")}},
      {bybit->get(), {Venue::Bybit, MarketKind::Spot, Symbol::from("BTCUSDT")}},
      {bybit->get(), {Venue::Bybit, MarketKind::LinearPerp, Symbol::from("BTCUSDT")}},
      {okx->get(), {Venue::Okx, MarketKind::Spot, Symbol::from("BTC-USDT")}},
      {okx->get(), {Venue::Okx, MarketKind::LinearPerp, Symbol::from("BTC-USDT-SWAP")}},
  };
  for (auto& [client, id] : feeds) client->subscribe(id, id.kind == MarketKind::Spot ? spot : perp);
  for (auto* c : {binance->get(), bybit->get(), okx->get()}) c->start();

  auto all_live = [&] {
    for (auto& [client, id] : feeds) {
      const OrderBook* b = client->book(id);
      if (client->status(id) != FeedStatus::Live || b == nullptr || !b->valid()) return false;
    }
    return true;
  };
  ASSERT_TRUE(run_until(io, all_live, 30'000ms));
  for (auto& [client, id] : feeds) {
    EXPECT_FALSE(client->book(id)->is_crossed()) << id;
    EXPECT_NE(client->instrument(id), nullptr) << id;
  }
  for (auto* c : {binance->get(), bybit->get(), okx->get()}) {
    EXPECT_EQ(c->stats().rejected.value(), 0u) << to_string(c->venue());
    EXPECT_EQ(c->stats().subscribe_errors.value(), 0u) << to_string(c->venue());
    EXPECT_GT(c->stats().events.value(), 0u);
  }

  // Faults through the emulator's admin API: every connection dropped, then a sequence number skipped.
  std::vector<std::unique_ptr<net::HttpsClient>> admins;
  int answered = 0;
  auto fault = [&](const char* body) {
    for (const char* v : {"binance", "bybit", "okx"}) {
      auto& a = admins.emplace_back(std::make_unique<net::HttpsClient>(io, tls, url_of(std::string(urls->at(v).at("rest").as_string()))));
      net::HttpRequest r;
      r.method = net::HttpMethod::Post;
      r.target = "/_emulator/fault";
      r.body = body;
      r.content_type = "application/json";
      a->request(r, [&](net::HttpResult res) { answered += res.ok() && res->status == 200 ? 1 : 0; });
    }
  };
  const auto reconnects_before = [&] {
    std::uint64_t n = 0;
    for (auto* c : {binance->get(), bybit->get(), okx->get()})
      for (auto& [name, s] : c->stats().connections) n += s->reconnects.value();
    return n;
  }();
  fault(R"({"fault":"drop"})");
  ASSERT_TRUE(run_until(io, [&] { return answered == 3; }));
  ASSERT_TRUE(run_until(io, [&] {
    std::uint64_t n = 0;
    for (auto* c : {binance->get(), bybit->get(), okx->get()})
      for (auto& [name, s] : c->stats().connections) n += s->reconnects.value();
    return n > reconnects_before && all_live();
  }, 30'000ms));
  fault(R"({"fault":"skip_seq","count":1})");
  ASSERT_TRUE(run_until(io, [&] { return answered == 6; }));
  // Binance (U/u/pu) and OKX (prevSeqId) detect the skipped update and resync; Bybit's synchroniser only
  // requires u to advance, so its books simply carry on.
  ASSERT_TRUE(run_until(io, [&] {
    for (auto* c : {binance->get(), okx->get()})
      if (c->stats().gaps.value() == 0) return false;
    return all_live();
  }, 30'000ms));
  for (auto* c : {binance->get(), okx->get()}) EXPECT_GE(c->stats().book_resyncs.value(), 1u);
  for (auto& [client, id] : feeds) EXPECT_FALSE(client->book(id)->is_crossed()) << id;

  // TRADINGD_EMULATOR_SOAK_S=N: stay connected N seconds more; heartbeats must keep every connection up
  // (the emulator closes OKX connections that send nothing for 30 s, and pings Binance every 20 s).
  if (const char* soak = std::getenv("TRADINGD_EMULATOR_SOAK_S")) {
    auto disconnects = [&] {
      std::uint64_t n = 0;
      for (auto* c : {binance->get(), bybit->get(), okx->get()})
        for (auto& [name, s] : c->stats().connections) n += s->disconnects.value();
      return n;
    };
    const auto before = disconnects();
    run_for(io, std::chrono::seconds(std::atoi(soak)));
    EXPECT_EQ(disconnects(), before);
    EXPECT_TRUE(all_live());
  }
  for (auto* c : {binance->get(), bybit->get(), okx->get()}) c->stop();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace tradingd::test
