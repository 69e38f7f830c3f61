// What the node pays per market event and per fill in portfolio/ and risk/: PositionTracker::on_trade
// (store the price, re-mark the position), Portfolio::update, RiskGuard::evaluate. Two shapes: the
// backtest's (one Binance spot instrument, a USDT and a BTC balance, a position open) and a live daemon's
// (five instruments on two venues). Each runs next to its in-run baseline: the same steps with the figures
// computed from scratch the plain way (tests/portfolio/portfolio_reference.h).
#include <benchmark/benchmark.h>

#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "portfolio/portfolio.h"
#include "portfolio/position_tracker.h"
#include "risk/risk_guard.h"
#include "tests/portfolio/portfolio_reference.h"

namespace {

using namespace tradingd;

constexpr UnixNanos kStart = 19792 * kNanosPerDay;
constexpr UnixNanos kMinute = 60 * kNanosPerSecond;
const Quantity kFillQty = Quantity::from_string("0.001");

Instrument spot(std::string_view base, Venue venue = Venue::Binance) {
  Instrument i;
  i.id = {venue, MarketKind::Spot, Symbol::from(std::string(base) + "USDT")};
  i.base = Asset::from(base);
  i.quote = i.settle = Asset::from("USDT");
  i.tick_size = Price::from_string("0.01");
  i.step_size = Quantity::from_string("0.00001");
  i.min_quantity = Quantity::from_string("0.00001");
  return i;
}

Instrument perp(std::string_view base, Venue venue) {
  Instrument i = spot(base, venue);
  i.id.kind = MarketKind::LinearPerp;
  i.tick_size = Price::from_string("0.1");
  i.step_size = i.min_quantity = Quantity::from_string("0.001");
  return i;
}

// A random walk of closes around 30,000 on the 0.01 tick, repeated.
std::vector<Price> walk(std::size_t n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<Price> out;
  std::int64_t cents = 3'000'000;
  for (std::size_t i = 0; i < n; ++i) {
    cents += static_cast<std::int64_t>(rng() % 2001) - 1000;
    out.push_back(Price::from_raw(cents * 10'000'000));
  }
  return out;
}

// Trade ids as a venue numbers them, formatted without allocating (the benchmark measures the tracker).
TradeId trade_id(std::uint64_t n) {
  char buf[24];
  char* p = buf + sizeof buf;
  do {
    *--p = static_cast<char>('0' + n % 10);
    n /= 10;
  } while (n != 0);
  return *TradeId::make(std::string_view(p, static_cast<std::size_t>(buf + sizeof buf - p)));
}

OrderFilled fill_of(const Instrument& inst, Side side, Quantity qty, Price price, std::uint64_t n) {
  OrderFilled f;
  f.instrument = inst.id;
  f.trade_id = trade_id(4'000'000'000ULL + n);
  f.side = side;
  f.last_quantity = qty;
  f.last_price = price;
  f.fee = Money::from_string("0.03");
  f.fee_asset = inst.quote;
  return f;
}

struct World {
  std::vector<Instrument> instruments;
  SimulatedClock clock{kStart};
  PositionTracker tracker;
  Portfolio portfolio{tracker};
  test::ReferencePortfolio reference{tracker};
  std::unique_ptr<RiskGuard> guard;
  std::vector<Price> prices = walk(4096, 7);
  std::uint64_t fills = 0;
  UnixNanos now = kStart;

  explicit World(std::vector<Instrument> insts) : instruments(std::move(insts)) {
    config::RiskConfig cfg;  // the default limits, as the benchmark backtest runs them
    cfg.max_orders_per_day = 100'000;
    cfg.stale_market_data_s = 120;  // a backtest raises it to two bar intervals (backtest_run.cpp)
    for (const auto& inst : instruments) tracker.add_instrument(inst);
    tracker.set_balance(Venue::Binance, Asset::from("USDT"), Money::from_units(1'000'000));
    tracker.set_balance(Venue::Bybit, Asset::from("USDT"), Money::from_units(1'000'000));
    for (const auto& inst : instruments) {
      tracker.on_trade({inst.id, prices[0], Quantity::from_units(1), Side::Buy, TradeId{}, now, now});
      tracker.apply_fill(fill_of(inst, Side::Buy, Quantity::from_string("0.01"), prices[0], ++fills));
    }
    guard = std::make_unique<RiskGuard>(cfg, clock, tracker, portfolio);
    portfolio.update(now);
    reference.update(now);
    guard->evaluate(now);
  }

  // One closed bar: the close marks the instrument, then the figures and the breaker follow.
  template <class Update>
  void bar(std::size_t i, Update&& update) {
    now += kMinute;
    const Instrument& inst = instruments[i % instruments.size()];
    tracker.on_trade_price(inst.id, prices[i & 4095], now);  // what the node calls for a bar's close
    update(now);
    guard->evaluate(now);
  }
  // One fill (alternately adding to and reducing the position), then the figures and the breaker.
  template <class Update>
  void fill(std::size_t i, Update&& update) {
    const Instrument& inst = instruments[i % instruments.size()];
    tracker.apply_fill(fill_of(inst, (i / instruments.size()) % 2 ? Side::Sell : Side::Buy, kFillQty, prices[i & 4095], ++fills));
    update(now);
    guard->evaluate(now);
  }
};

std::vector<Instrument> backtest_shape() { return {spot("BTC")}; }
std::vector<Instrument> live_shape() {
  return {spot("BTC"), spot("ETH"), perp("BTC", Venue::Bybit), perp("ETH", Venue::Bybit), perp("SOL", Venue::Binance)};
}

// How the figures follow each step: Portfolio::update (every figure), Portfolio::revalue (the ratios
// left to their first reader, as the node runs it), or the from-scratch reference.
enum class Mode { Update, Revalue, Reference };

template <Mode kMode>
void follow(World& w, UnixNanos now) {
  if constexpr (kMode == Mode::Reference) benchmark::DoNotOptimize(w.reference.update(now));
  else if constexpr (kMode == Mode::Update) benchmark::DoNotOptimize(w.portfolio.update(now));
  else {
    w.portfolio.revalue(now);
    benchmark::DoNotOptimize(w.portfolio.values());
  }
}

enum class Event { Bar, Fill };

// kEvent applied once per iteration, then what kMode follows it with.
template <Event kEvent, Mode kMode>
void run(benchmark::State& state, std::vector<Instrument> shape) {
  World w(std::move(shape));
  std::size_t i = 0;
  const auto after = [&](UnixNanos now) { follow<kMode>(w, now); };
  for (auto _ : state) {
    if constexpr (kEvent == Event::Bar) w.bar(++i, after);
    else w.fill(++i, after);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

void BM_Bar_Backtest(benchmark::State& s) { run<Event::Bar, Mode::Update>(s, backtest_shape()); }
void BM_Bar_Backtest_Revalue(benchmark::State& s) { run<Event::Bar, Mode::Revalue>(s, backtest_shape()); }
void BM_Bar_Backtest_Reference(benchmark::State& s) { run<Event::Bar, Mode::Reference>(s, backtest_shape()); }
void BM_Bar_Live5(benchmark::State& s) { run<Event::Bar, Mode::Update>(s, live_shape()); }
void BM_Bar_Live5_Revalue(benchmark::State& s) { run<Event::Bar, Mode::Revalue>(s, live_shape()); }
void BM_Bar_Live5_Reference(benchmark::State& s) { run<Event::Bar, Mode::Reference>(s, live_shape()); }
void BM_Fill_Backtest(benchmark::State& s) { run<Event::Fill, Mode::Update>(s, backtest_shape()); }
void BM_Fill_Backtest_Revalue(benchmark::State& s) { run<Event::Fill, Mode::Revalue>(s, backtest_shape()); }
void BM_Fill_Backtest_Reference(benchmark::State& s) { run<Event::Fill, Mode::Reference>(s, backtest_shape()); }
BENCHMARK(BM_Bar_Backtest);
BENCHMARK(BM_Bar_Backtest_Revalue);
BENCHMARK(BM_Bar_Backtest_Reference);
BENCHMARK(BM_Bar_Live5);
BENCHMARK(BM_Bar_Live5_Revalue);
BENCHMARK(BM_Bar_Live5_Reference);
BENCHMARK(BM_Fill_Backtest);
BENCHMARK(BM_Fill_Backtest_Revalue);
BENCHMARK(BM_Fill_Backtest_Reference);

// The three parts of a bar on their own (backtest shape).
void BM_Part_TrackerOnTrade(benchmark::State& state) {
  World w(backtest_shape());
  std::size_t i = 0;
  for (auto _ : state) {
    w.now += kMinute;
    w.tracker.on_trade_price(w.instruments[0].id, w.prices[++i & 4095], w.now);
  }
}
// The tracker plus Portfolio::update (subtract the one above for the update alone).
void BM_Part_TrackerAndPortfolio(benchmark::State& state) {
  World w(backtest_shape());
  std::size_t i = 0;
  for (auto _ : state) {
    w.now += kMinute;
    w.tracker.on_trade_price(w.instruments[0].id, w.prices[++i & 4095], w.now);
    benchmark::DoNotOptimize(w.portfolio.update(w.now));
  }
}
void BM_Part_RiskEvaluate(benchmark::State& state) {
  World w(backtest_shape());
  for (auto _ : state) {
    w.now += kMinute;
    w.guard->evaluate(w.now);
  }
}
BENCHMARK(BM_Part_TrackerOnTrade);
BENCHMARK(BM_Part_TrackerAndPortfolio);
BENCHMARK(BM_Part_RiskEvaluate);

}  // namespace

BENCHMARK_MAIN();
