// Tick to order on Binance USD-M, in one thread with no I/O: a recorded depth frame (the shared fixture
// ws_futures_depth_update.json, its update ids chained) in memory → the feed decoder (parse + book sync +
// OrderBook) → a trivial strategy (join the best bid) → signal → RiskGuard::check_order → OrderRequest →
// the signed HTTP request bytes ready to write (RequestBuilder::new_order: percent-encoded query, HMAC,
// headers). p50/p99 over 200k single passes timed with steady_clock (the "timer" baseline is the cost of
// timing itself). Signing alone (BinanceSigner: a keyed EVP_MAC context duplicated per message) is shown
// next to OpenSSL's one-shot HMAC() over the same payload, the in-run baseline. Targets: tick-to-bytes
// p99 ≤ 10 µs, signing ≤ 1 µs. Needs the shared fixtures (TRADINGD_FIXTURES_DIR).
#include <benchmark/benchmark.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "percentiles.h"
#include "exchange/binance/trading_requests.h"
#include "exchange/decoder.h"
#include "exchange/live/server_time.h"
#include "portfolio/portfolio.h"
#include "portfolio/position_tracker.h"
#include "risk/risk_guard.h"

namespace {

using namespace tradingd;
using tradingd::bench::percentiles;

constexpr const char* kSecret = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";
constexpr const char* kApiKey = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A";
constexpr int kSamples = bench::kPercentileSamples;  // each latency bench times this many calls

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

// Replaces the integer after `"key":` in a JSON text.
void set_int(std::string& s, std::string_view key, std::uint64_t v) {
  const std::string pat = "\"" + std::string(key) + "\":";
  const auto at = s.find(pat);
  if (at == std::string::npos) std::abort();
  const auto start = at + pat.size();
  auto end = start;
  while (end < s.size() && s[end] >= '0' && s[end] <= '9') ++end;
  s.replace(start, end - start, std::to_string(v));
}

struct Listener final : DecoderListener {
  std::uint64_t books = 0;
  void on_book(const BookUpdate&) override { ++books; }
};

// The whole path's state: decoder with a synced book, risk guard, signer and builder, output buffer.
struct Pipeline {
  Instrument inst;
  InstrumentLookup lookup{Venue::Binance};
  Listener listener;
  std::unique_ptr<FeedDecoder> decoder;
  std::vector<std::string> frames;  // chained update ids, each with simdjson padding to spare
  std::size_t next = 0;
  PositionTracker tracker;
  Portfolio portfolio{tracker};
  RealClock clock;
  std::unique_ptr<RiskGuard> guard;
  binance::BinanceSigner signer = binance::BinanceSigner::make(kApiKey, kSecret).value();
  binance::RequestBuilder builder{signer, 5000};
  live::ServerTime server_time;
  std::string wire;  // the request bytes as they would be written to the TLS stream
  std::uint64_t order_no = 0;
  std::uint64_t orders = 0;

  Pipeline() {
    inst.id = {Venue::Binance, MarketKind::LinearPerp, Symbol::from("BTCUSDT")};
    inst.base = Asset::from("BTC");
    inst.quote = inst.settle = Asset::from("USDT");
    inst.tick_size = Price::from_string("0.01");
    inst.step_size = Quantity::from_string("0.001");
    inst.min_quantity = Quantity::from_string("0.001");
    inst.max_quantity = Quantity::from_units(1000);
    inst.min_notional = Money::from_units(5);
    inst.max_leverage = 20;
    lookup.add(inst);
    decoder = make_feed_decoder(Venue::Binance, MarketKind::LinearPerp, lookup, listener);
    const std::string frame = read_file(fixtures() / "binance/ws_public/ws_futures_depth_update.json");
    if (frame.find("depthUpdate") == std::string::npos) {
      std::fprintf(stderr, "fixture binance/ws_public/ws_futures_depth_update.json not found (TRADINGD_FIXTURES_DIR)\n");
      std::abort();
    }
    // Snapshot at L; the first event straddles it, each later one follows the previous (pu == previous u).
    const std::uint64_t L = 1'000'000;
    decoder->on_book_snapshot(
        R"({"lastUpdateId":1000000,"E":1571889248277,"T":1571889248276,"bids":[["7403.00","1.000"],["7402.00","2.000"],["7401.00","3.000"]],"asks":[["7408.00","1.000"],["7409.00","2.000"],["7410.00","3.000"]]})",
        inst.id, clock.now_ns());
    const std::size_t n = kSamples + 50'000;
    frames.reserve(n);
    std::uint64_t prev_u = L - 1;
    for (std::size_t i = 0; i < n; ++i) {
      std::string f = frame;
      const std::uint64_t U = i == 0 ? L : prev_u + 1;
      const std::uint64_t u = i == 0 ? L + 1 : U + 1;
      set_int(f, "U", U);
      set_int(f, "u", u);
      set_int(f, "pu", prev_u);
      prev_u = u;
      f.reserve(f.size() + 64);
      frames.push_back(std::move(f));
    }
    config::RiskConfig cfg;
    cfg.max_orders_per_second = 1'000'000;
    cfg.max_orders_per_day = 1'000'000'000;
    tracker.add_instrument(inst);
    tracker.on_mark_price({inst.id, Price::from_units(7405), Price::from_units(7405), clock.now_ns(), clock.now_ns()});
    tracker.set_balance(Venue::Binance, Asset::from("USDT"), Money::from_units(1'000'000));
    portfolio.update(clock.now_ns());
    guard = std::make_unique<RiskGuard>(cfg, clock, tracker, portfolio);
    server_time.on_sample(clock.now_ns() / kNanosPerMilli, clock.now_ns(), clock.now_ns());
    wire.reserve(1024);
  }

  // One tick: frame → book → signal → risk → signed request bytes. Returns false if no order came out.
  bool tick() {
    const std::string& f = frames[next++ % frames.size()];
    const UnixNanos now = clock.now_ns();
    decoder->on_frame(f, now, f.capacity());
    const OrderBook* book = decoder->book(inst.id);
    if (book == nullptr) return false;
    const auto bid = book->best_bid();
    if (!bid) return false;
    // The strategy: join the best bid with the minimum size (post-only).
    OrderIntentView intent;
    intent.instrument = &inst;
    intent.side = Side::Buy;
    intent.type = OrderType::Limit;
    intent.quantity = Quantity::from_string("0.001");
    intent.price = bid->price;
    intent.ts_ns = now;
    if (guard->check_order(intent)) return false;
    OrderRequest o;
    char id[24] = "td-";
    auto [end, ec] = std::to_chars(id + 3, id + sizeof id, ++order_no);
    (void)ec;
    o.client_order_id = ClientOrderId::from(std::string_view(id, static_cast<std::size_t>(end - id)));
    o.instrument = inst.id;
    o.side = Side::Buy;
    o.type = OrderType::Limit;
    o.time_in_force = TimeInForce::PostOnly;
    o.quantity = intent.quantity;
    o.price = intent.price;
    const binance::RestRequest r = builder.new_order(o, server_time.server_ms(now));
    wire.clear();
    wire.append(r.method).append(" ").append(r.target).append(" HTTP/1.1\r\nHost: fapi.binance.com\r\nX-MBX-APIKEY: ");
    wire.append(r.api_key).append("\r\nUser-Agent: tradingd\r\nContent-Length: 0\r\n\r\n");
    ++orders;
    return true;
  }
};

Pipeline& pipeline() {
  static Pipeline p;
  return p;
}

void BM_TimerOnly(benchmark::State& state) {
  for (auto _ : state) benchmark::ClobberMemory();
  percentiles(state, [] { benchmark::ClobberMemory(); });
}
BENCHMARK(BM_TimerOnly);

void BM_TickToSignedOrderBytes(benchmark::State& state) {
  Pipeline& p = pipeline();
  for (auto _ : state) benchmark::DoNotOptimize(p.tick());
  const auto before = p.orders;
  percentiles(state, [&] { benchmark::DoNotOptimize(p.tick()); });
  if (p.orders - before != static_cast<std::uint64_t>(kSamples)) state.SkipWithError("not every tick produced an order");
  if (p.decoder->stats().resyncs_requested != 0) state.SkipWithError("the book lost sync");
  state.counters["wire_bytes"] = static_cast<double>(p.wire.size());
}
BENCHMARK(BM_TickToSignedOrderBytes)->Iterations(20'000);

// The signed payload of a typical order (what new_order signs).
const std::string kPayload =
    "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTX&quantity=0.001&price=7403.89&newClientOrderId=td-123456"
    "&newOrderRespType=RESULT&recvWindow=5000&timestamp=1763856000000";

void BM_SignKeyedHmac(benchmark::State& state) {
  const auto signer = binance::BinanceSigner::make(kApiKey, kSecret).value();
  for (auto _ : state) benchmark::DoNotOptimize(signer.sign_rest(kPayload));
  percentiles(state, [&] { benchmark::DoNotOptimize(signer.sign_rest(kPayload)); });
}
BENCHMARK(BM_SignKeyedHmac);

// Baseline: OpenSSL's one-shot HMAC() (algorithm fetch and key pads per call), hex-encoded the same way.
std::string one_shot(const std::string& payload) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), kSecret, static_cast<int>(std::char_traits<char>::length(kSecret)),
       reinterpret_cast<const unsigned char*>(payload.data()), payload.size(), md, &len);
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(len * 2, '0');
  for (unsigned i = 0; i < len; ++i) {
    out[2 * i] = kDigits[md[i] >> 4];
    out[2 * i + 1] = kDigits[md[i] & 15];
  }
  return out;
}

void BM_SignOneShotHmacBaseline(benchmark::State& state) {
  if (one_shot(kPayload) != binance::BinanceSigner::make(kApiKey, kSecret).value().sign_rest(kPayload)) state.SkipWithError("signatures differ");
  for (auto _ : state) benchmark::DoNotOptimize(one_shot(kPayload));
  percentiles(state, [&] { benchmark::DoNotOptimize(one_shot(kPayload)); });
}
BENCHMARK(BM_SignOneShotHmacBaseline);

}  // namespace

BENCHMARK_MAIN();
