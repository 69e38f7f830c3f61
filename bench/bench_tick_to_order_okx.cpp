// Tick to order on OKX: a recorded books5 frame in memory → the OKX feed decoder (parse + book) → a
// trivial strategy (join the best bid with one contract) → RiskGuard::check_order → an OrderRequest → the
// OKX request builder → signed headers (OK-ACCESS-*) → the HTTP/1.1 request bytes ready to write. Target
// p99 ≤ 10 µs. Signing alone (keyed HMAC context reused + base64, target ≤ 1 µs) is measured next to
// OpenSSL's one-shot HMAC() + base64 as the in-run baseline. Each benchmark also times 200k single runs
// with steady_clock and reports p50/p99 counters; BM_TimerOnly is the cost of that timing itself.
#include <benchmark/benchmark.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "percentiles.h"
#include "core/clock.h"
#include "exchange/decoder.h"
#include "exchange/instrument_lookup.h"
#include "exchange/live/signing.h"
#include "exchange/okx/trading_requests.h"
#include "exchange/okx/trading_sign.h"
#include "portfolio/portfolio.h"
#include "portfolio/position_tracker.h"
#include "risk/risk_guard.h"

namespace {

using namespace tradingd;
using tradingd::bench::percentiles;

constexpr UnixNanos kNoon = 19792 * kNanosPerDay + 12 * 3600 * kNanosPerSecond;
constexpr const char* kSecret = "22582BD0CFF14C41EDBF1AB98506286D";

// A books5 push as OKX sends it (five levels a side, full book each time).
std::string books5_frame() {
  std::string asks, bids;
  for (int i = 0; i < 5; ++i) {
    if (i) asks += ',', bids += ',';
    asks += "[\"6000" + std::to_string(i) + ".1\",\"" + std::to_string(10 + i) + "\",\"0\",\"" + std::to_string(1 + i) + "\"]";
    bids += "[\"5999" + std::to_string(9 - i) + ".9\",\"" + std::to_string(11 + i) + "\",\"0\",\"" + std::to_string(2 + i) + "\"]";
  }
  return R"({"arg":{"channel":"books5","instId":"BTC-USDT-SWAP"},"data":[{"asks":[)" + asks + R"(],"bids":[)" + bids +
         R"(],"instId":"BTC-USDT-SWAP","ts":"1700000000000","seqId":3366}]})";
}

struct NullListener final : DecoderListener {};

struct Pipeline {
  Instrument inst;
  InstrumentLookup lookup{Venue::Okx};
  NullListener listener;
  std::unique_ptr<FeedDecoder> decoder;
  SimulatedClock clock{kNoon};
  PositionTracker tracker;
  Portfolio portfolio{tracker};
  std::unique_ptr<RiskGuard> guard;
  okx::OkxSigner signer = okx::OkxSigner::make("bench-key", kSecret, "bench-pass", false).value();
  std::string frame = books5_frame();
  std::string wire;
  std::uint64_t n = 0;

  Pipeline() {
    inst.id = {Venue::Okx, MarketKind::LinearPerp, Symbol::from("BTC-USDT-SWAP")};
    inst.base = Asset::from("BTC");
    inst.quote = inst.settle = Asset::from("USDT");
    inst.tick_size = Price::from_string("0.1");
    inst.step_size = Quantity::from_string("0.01");
    inst.min_quantity = Quantity::from_string("0.01");
    inst.max_quantity = Quantity::from_units(10'000);
    inst.contract_multiplier = Quantity::from_string("0.01");
    inst.max_leverage = 100;
    lookup.add(inst.id);
    decoder = make_feed_decoder(Venue::Okx, MarketKind::LinearPerp, lookup, listener);
    config::RiskConfig cfg;
    cfg.max_orders_per_second = 1'000'000;
    cfg.max_orders_per_day = 1'000'000'000;
    tracker.add_instrument(inst);
    tracker.on_mark_price({inst.id, Price::from_units(60'000), Price::from_units(60'000), kNoon, kNoon});
    tracker.set_balance(Venue::Okx, Asset::from("USDT"), Money::from_units(1'000'000));
    portfolio.update(kNoon);
    guard = std::make_unique<RiskGuard>(cfg, clock, tracker, portfolio);
    wire.reserve(1024);
    if (!run()) std::abort();  // the whole path must go through: a denial would measure less
  }

  // One tick to one order's bytes. False when any stage declined.
  bool run() {
    decoder->on_frame(frame, kNoon);
    const OrderBook* book = decoder->book(inst.id);
    if (!book) return false;
    const auto bid = book->best_bid();
    if (!bid) return false;
    // Strategy: join the best bid with one contract.
    OrderIntentView intent;
    intent.instrument = &inst;
    intent.side = Side::Buy;
    intent.type = OrderType::Limit;
    intent.quantity = Quantity::from_units(1);
    intent.price = bid->price;
    intent.ts_ns = kNoon;
    if (guard->check_order(intent)) return false;
    OrderRequest o;
    char id[24] = {'b', 'n'};
    std::uint64_t v = ++n;
    std::size_t len = 2;
    do id[len++] = static_cast<char>('0' + v % 10); while ((v /= 10) && len < 22);
    o.client_order_id = ClientOrderId::make(std::string_view(id, len)).value_or(ClientOrderId{});
    o.instrument = inst.id;
    o.side = Side::Buy;
    o.type = OrderType::Limit;
    o.quantity = intent.quantity;
    o.price = intent.price;
    auto req = okx::place_order(o);
    if (!req) return false;
    const auto headers = signer.headers(kNoon / kNanosPerMilli, "POST", req->path, req->body);
    wire.clear();
    wire += "POST ";
    wire += req->path;
    wire += " HTTP/1.1\r\nHost: openapi.okx.com\r\nContent-Type: application/json\r\nContent-Length: ";
    wire += std::to_string(req->body.size());
    wire += "\r\n";
    for (const auto& [k, val] : headers) {
      wire += k;
      wire += ": ";
      wire += val;
      wire += "\r\n";
    }
    wire += "\r\n";
    wire += req->body;
    return true;
  }
};

void BM_TimerOnly(benchmark::State& state) {
  for (auto _ : state) benchmark::ClobberMemory();
  percentiles(state, [] { benchmark::ClobberMemory(); });
}
BENCHMARK(BM_TimerOnly);

void BM_TickToOrderOkx(benchmark::State& state) {
  Pipeline p;
  for (auto _ : state) benchmark::DoNotOptimize(p.run());
  percentiles(state, [&] { benchmark::DoNotOptimize(p.run()); });
  state.counters["wire_bytes"] = static_cast<double>(p.wire.size());
}
BENCHMARK(BM_TickToOrderOkx);

// The stages alone, to see where the time goes.
void BM_DecodeBooks5(benchmark::State& state) {
  Pipeline p;
  for (auto _ : state) p.decoder->on_frame(p.frame, kNoon);
  percentiles(state, [&] { p.decoder->on_frame(p.frame, kNoon); });
}
BENCHMARK(BM_DecodeBooks5);

const std::string kTs = "2023-11-14T22:13:20.000Z";
const std::string kPath = "/api/v5/trade/order";
const std::string kBody =
    R"({"instId":"BTC-USDT-SWAP","tdMode":"cross","side":"buy","ordType":"limit","sz":"1","px":"59999.9","clOrdId":"bn123456"})";

void BM_SignKeyedContext(benchmark::State& state) {
  auto signer = okx::OkxSigner::make("k", kSecret, "p", false).value();
  for (auto _ : state) benchmark::DoNotOptimize(signer.sign(kTs, "POST", kPath, kBody));
  percentiles(state, [&] { benchmark::DoNotOptimize(signer.sign(kTs, "POST", kPath, kBody)); });
}
BENCHMARK(BM_SignKeyedContext);

// The baseline: OpenSSL's one-shot HMAC() over the concatenated prehash, then the same base64.
std::string sign_one_shot(const std::string& prehash) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), kSecret, 32, reinterpret_cast<const unsigned char*>(prehash.data()), prehash.size(), md, &len);
  return live::to_base64(md, len);
}

void BM_SignOneShotHmacBaseline(benchmark::State& state) {
  const std::string prehash = kTs + "POST" + kPath + kBody;
  auto signer = okx::OkxSigner::make("k", kSecret, "p", false).value();
  if (sign_one_shot(prehash) != signer.sign(kTs, "POST", kPath, kBody)) return state.SkipWithError("signatures differ");
  for (auto _ : state) benchmark::DoNotOptimize(sign_one_shot(prehash));
  percentiles(state, [&] { benchmark::DoNotOptimize(sign_one_shot(prehash)); });
}
BENCHMARK(BM_SignOneShotHmacBaseline);

}  // namespace

BENCHMARK_MAIN();
