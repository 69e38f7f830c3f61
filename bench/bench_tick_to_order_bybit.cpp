// Tick to order bytes on Bybit: a recorded orderbook frame (the shared fixture's orderbook delta, its `u`
// advanced per frame so the book stays in sequence) in memory → BybitDecoder (parse + sync + book) → a
// trivial strategy (join the best bid) → its signal → RiskGuard::check_order → an OrderRequest → the
// v5 create-order body → the signed HTTP/1.1 request bytes ready to write. p50/p99 over 200k frames
// (target p99 ≤ 10 µs). Then signing alone (BybitSigner: keyed HMAC-SHA256 context, hex) next to
// OpenSSL's one-shot HMAC() over the same string-to-sign, the in-run baseline (target ≤ 1 µs).
// Frames sit in buffers with simdjson's padding to spare, as a network read buffer would.
#include <benchmark/benchmark.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "percentiles.h"
#include "exchange/bybit/decoder.h"
#include "exchange/bybit/trading_protocol.h"
#include "exchange/live/signing.h"
#include "portfolio/portfolio.h"
#include "portfolio/position_tracker.h"
#include "risk/risk_guard.h"

namespace {

using namespace tradingd;
using tradingd::bench::percentiles;

constexpr UnixNanos kNoon = 19792 * kNanosPerDay + 12 * 3600 * kNanosPerSecond;

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::filesystem::path fixtures() {
  const char* env = std::getenv("TRADINGD_FIXTURES_DIR");
  return env && *env ? env : TRADINGD_DEFAULT_FIXTURES_DIR;
}

// The recorded frames, on the 50-level topic (depth 1 is snapshot-only on Bybit), with `u`/`seq` as
// placeholders the loop fills in.
struct Frames {
  std::string snapshot;
  std::string delta_head, delta_mid, delta_tail;  // delta = head + u + mid + seq + tail
  std::string error;
};

const Frames& frames() {
  static const Frames f = [] {
    Frames f;
    const auto dir = fixtures() / "bybit/ws_public";
    auto snap = read_file(dir / "ws_orderbook_snapshot.json");
    auto delta = read_file(dir / "ws_orderbook_delta.json");
    if (snap.empty() || delta.empty()) {
      f.error = "shared fixtures not found: set TRADINGD_FIXTURES_DIR";
      return f;
    }
    auto retopic = [](std::string s) {
      const auto p = s.find("orderbook.1.");
      if (p != std::string::npos) s.replace(p, 12, "orderbook.50.");
      return s;
    };
    f.snapshot = retopic(snap);
    delta = retopic(delta);
    const auto u = delta.find("123456790"), seq = delta.find("987654322");
    if (u == std::string::npos || seq == std::string::npos) {
      f.error = "unexpected delta fixture";
      return f;
    }
    f.delta_head = delta.substr(0, u);
    f.delta_mid = delta.substr(u + 9, seq - u - 9);
    f.delta_tail = delta.substr(seq + 9);
    return f;
  }();
  return f;
}

struct Listener final : DecoderListener {
  std::uint64_t books = 0;
  void on_book(const BookUpdate&) override { ++books; }
};

Instrument btc() {
  Instrument i;
  i.id = {Venue::Bybit, MarketKind::LinearPerp, Symbol::from("BTCUSDT")};
  i.base = Asset::from("BTC");
  i.quote = i.settle = Asset::from("USDT");
  i.tick_size = Price::from_string("0.5");
  i.step_size = Quantity::from_string("0.001");
  i.min_quantity = Quantity::from_string("0.001");
  i.max_quantity = Quantity::from_units(100);
  i.min_notional = Money::from_units(5);
  i.max_leverage = 100;
  return i;
}

// Everything on the path, set up once.
struct Path {
  Instrument inst = btc();
  InstrumentLookup lookup{Venue::Bybit};
  Listener listener;
  BybitDecoder decoder{MarketKind::LinearPerp, lookup, listener};
  SimulatedClock clock{kNoon};
  PositionTracker tracker;
  Portfolio portfolio{tracker};
  std::unique_ptr<RiskGuard> guard;
  bybit::BybitSigner signer = bybit::BybitSigner::make("XXXXXXXXXXXXXXXXXX", "YYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYY", 5000).value();
  std::string frame;   // reserved with padding: decoded in place
  std::string wire;    // the request bytes
  std::int64_t u = 123456790, seq = 987654322;
  std::uint64_t orders = 0, denied = 0, order_seq = 0;

  Path() {
    lookup.add(inst);
    config::RiskConfig cfg;
    cfg.max_orders_per_second = 1'000'000;
    cfg.max_orders_per_day = 1'000'000'000;
    tracker.add_instrument(inst);
    tracker.on_mark_price({inst.id, Price::from_units(27450), Price::from_units(27450), kNoon, kNoon});
    tracker.set_balance(Venue::Bybit, Asset::from("USDT"), Money::from_units(500'000));
    portfolio.update(kNoon);
    guard = std::make_unique<RiskGuard>(cfg, clock, tracker, portfolio);
    frame.reserve(4096);
    wire.reserve(2048);
    decoder.on_frame(frames().snapshot, kNoon);
  }

  // The next recorded delta with its sequence advanced (not timed: the bytes a socket read delivers).
  void next_frame() {
    const auto& f = frames();
    frame.clear();
    frame += f.delta_head;
    frame += std::to_string(++u);
    frame += f.delta_mid;
    frame += std::to_string(++seq);
    frame += f.delta_tail;
  }

  // Timed: decode → book → strategy → signal → risk → order → signed bytes.
  void tick() {
    decoder.on_frame(frame, kNoon, frame.capacity());
    const OrderBook* book = decoder.book(inst.id);
    const auto bid = book ? book->best_bid() : std::nullopt;
    if (!bid) return;
    // The strategy: join the best bid with the minimum size.
    OrderIntentView intent;
    intent.instrument = &inst;
    intent.side = Side::Buy;
    intent.type = OrderType::Limit;
    intent.quantity = inst.min_quantity;
    intent.price = bid->price;
    intent.ts_ns = kNoon;
    if (guard->check_order(intent)) {
      ++denied;
      return;
    }
    OrderRequest req;
    char id[24];
    const auto n = std::snprintf(id, sizeof id, "b%llu", static_cast<unsigned long long>(++order_seq));
    req.client_order_id = ClientOrderId::from(std::string_view(id, static_cast<std::size_t>(n)));
    req.instrument = inst.id;
    req.side = intent.side;
    req.type = OrderType::Limit;
    req.time_in_force = TimeInForce::PostOnly;
    req.quantity = intent.quantity;
    req.price = intent.price;
    const auto body = bybit::create_order(req);
    wire.clear();
    signer.write_http(body, "api.bybit.com", 1709891679500 + static_cast<std::int64_t>(order_seq), wire);
    benchmark::DoNotOptimize(wire.data());
    ++orders;
  }
};

void BM_TimerOnly(benchmark::State& state) {
  for (auto _ : state) benchmark::ClobberMemory();
  percentiles(state, [] {}, [] { benchmark::ClobberMemory(); });
}
BENCHMARK(BM_TimerOnly);

void BM_TickToSignedOrderBytes(benchmark::State& state) {
  if (!frames().error.empty()) return state.SkipWithError(frames().error.c_str());
  Path p;
  for (auto _ : state) {
    state.PauseTiming();
    p.next_frame();
    state.ResumeTiming();
    p.tick();
  }
  percentiles(state, [&] { p.next_frame(); }, [&] { p.tick(); });
  if (p.denied > 0 || p.orders == 0 || p.listener.books == 0) state.SkipWithError("the path did not produce orders");
  state.counters["orders"] = static_cast<double>(p.orders);
  state.counters["request_bytes"] = static_cast<double>(p.wire.size());
}
BENCHMARK(BM_TickToSignedOrderBytes);

// The string Bybit signs for a typical create-order body.
std::string payload() {
  OrderRequest req;
  req.client_order_id = ClientOrderId::from("b123456");
  req.instrument = btc().id;
  req.type = OrderType::Limit;
  req.time_in_force = TimeInForce::PostOnly;
  req.quantity = Quantity::from_string("0.001");
  req.price = Price::from_string("27450");
  return bybit::create_order(req).payload;
}

void BM_SignBybitSigner(benchmark::State& state) {
  auto signer = bybit::BybitSigner::make("XXXXXXXXXXXXXXXXXX", "YYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYY", 5000).value();
  const std::string body = payload();
  std::int64_t ts = 1709891679500;
  for (auto _ : state) benchmark::DoNotOptimize(signer.sign(++ts, body));
  percentiles(state, [] {}, [&] { benchmark::DoNotOptimize(signer.sign(++ts, body)); });
}
BENCHMARK(BM_SignBybitSigner);

// Baseline: OpenSSL one-shot HMAC() (key set up on every call) over the same string, hex-encoded.
void BM_SignOneShotHmac(benchmark::State& state) {
  const std::string key = "YYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYY";
  const std::string body = payload();
  std::int64_t ts = 1709891679500;
  auto one = [&] {
    const std::string msg = std::to_string(++ts) + "XXXXXXXXXXXXXXXXXX" + "5000" + body;
    unsigned char out[32];
    unsigned int len = 0;
    HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(msg.data()),
         msg.size(), out, &len);
    return live::to_hex(out, len);
  };
  for (auto _ : state) benchmark::DoNotOptimize(one());
  percentiles(state, [] {}, [&] { benchmark::DoNotOptimize(one()); });
}
BENCHMARK(BM_SignOneShotHmac);

}  // namespace
BENCHMARK_MAIN();
