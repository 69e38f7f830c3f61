// Simulated-venue throughput: market events (one-level book deltas and trades) per second with 100 resting
// orders (50 bids, 50 asks inside the visible depth, so book changes and prints hit their queues), next to
// the in-run baselines: the same events applied to a bare OrderBook, and the venue with no orders. Candle
// mode, as the backtester drives it (next_event_ns, advance_to, on_bar per bar): bars with resting orders,
// bars alone (the fixed cost per bar), and a market order's whole life (submit, arrival after the latency,
// fill at the next open, acknowledgement and fill delivered) for the cost per order.
#include <benchmark/benchmark.h>

#include <charconv>
#include <string_view>
#include <vector>

#include "execution/sim/latency_model.h"
#include "execution/sim/simulated_venue.h"

namespace {
using namespace tradingd;
using namespace tradingd::sim;

constexpr std::int64_t kTick = 10'000'000;  // 0.01
constexpr std::int64_t kMid = 100 * fixed::kScale;
constexpr std::size_t kEvents = 1 << 20;

Instrument instrument() {
  Instrument i;
  i.id = InstrumentId{Venue::Binance, MarketKind::Spot, Symbol::from("BTCUSDT")};
  i.base = Asset::from("BTC");
  i.quote = Asset::from("USDT");
  i.settle = i.quote;
  i.tick_size = Price::from_raw(kTick);
  i.step_size = Quantity::from_string("0.001");
  i.min_quantity = Quantity::from_string("0.001");
  return i;
}

struct Event {
  bool is_trade = false;
  Side side = Side::Buy;  // book: the side set; trade: the aggressor
  BookLevel level;
};

// A stable two-sided book (bids 99.99.., asks 100.01..) whose sizes churn near the top; prints mostly at
// the touch, some a few ticks deep (into our resting orders' levels).
const std::vector<Event>& events() {
  static const std::vector<Event> ev = [] {
    std::vector<Event> v;
    v.reserve(kEvents);
    SimRng r(2024);
    for (std::size_t i = 0; i < kEvents; ++i) {
      Event e;
      e.side = r.uniform_inclusive(1) ? Side::Buy : Side::Sell;
      const auto depth = static_cast<std::int64_t>(r.uniform_inclusive(r.uniform_inclusive(9) == 0 ? 59 : 9));
      const std::int64_t price = e.side == Side::Buy ? kMid - (1 + depth) * kTick : kMid + (1 + depth) * kTick;
      if (r.uniform_inclusive(4) == 0) {
        e.is_trade = true;
        // The aggressor hits the other side: a buy aggressor lifts asks.
        const std::int64_t d = r.uniform_inclusive(19) == 0 ? static_cast<std::int64_t>(r.uniform_inclusive(4)) : 0;
        e.level.price = Price::from_raw(e.side == Side::Buy ? kMid + (1 + d) * kTick : kMid - (1 + d) * kTick);
        e.level.size = Quantity::from_raw(static_cast<std::int64_t>(1 + r.uniform_inclusive(499)) * 1'000'000);
      } else {
        e.level.price = Price::from_raw(price);
        e.level.size = Quantity::from_raw(static_cast<std::int64_t>(1 + r.uniform_inclusive(49'999)) * 1'000'000);
      }
      v.push_back(e);
    }
    return v;
  }();
  return ev;
}

std::vector<BookLevel> initial_side(Side side) {
  std::vector<BookLevel> v;
  for (int i = 0; i < 60; ++i)
    v.push_back({Price::from_raw(side == Side::Buy ? kMid - (1 + i) * kTick : kMid + (1 + i) * kTick),
                 Quantity::from_units(25)});
  return v;
}

class NullSink final : public VenueEventSink {
 public:
  void on_venue_event(const VenueEvent& e) override { benchmark::DoNotOptimize(&e); }
};

struct Harness {
  SimulatedClock clock{0};
  SimulatedVenue venue;
  NullSink sink;
  TradeTick trade;
  UnixNanos t = 0;

  explicit Harness(int resting_orders) : venue(config(), clock) {
    venue.set_event_sink(&sink);
    const auto bids = initial_side(Side::Buy);
    const auto asks = initial_side(Side::Sell);
    BookUpdate u;
    u.instrument = instrument().id;
    u.is_snapshot = true;
    u.bids = bids;
    u.asks = asks;
    venue.on_book(u);
    for (int i = 0; i < resting_orders; ++i) {
      OrderRequest r;
      r.client_order_id = ClientOrderId::from("r" + std::to_string(i));
      r.instrument = instrument().id;
      r.side = i % 2 == 0 ? Side::Buy : Side::Sell;
      r.type = OrderType::Limit;
      r.quantity = Quantity::from_units(1000);  // large: they stay resting for the whole run
      const std::int64_t k = 2 + i / 2;         // 0.02 .. 0.51 away from the mid, inside the 60 levels
      r.price = Price::from_raw(r.side == Side::Buy ? kMid - k * kTick : kMid + k * kTick);
      venue.submit(r);
    }
    venue.advance_to(0);
    trade.instrument = instrument().id;
  }

  static SimVenueConfig config() {
    SimVenueConfig c;
    c.starting_balances = {{Asset::from("USDT"), Money::from_units(1'000'000'000)},
                           {Asset::from("BTC"), Money::from_units(1'000'000)}};
    SimInstrumentConfig ic;
    ic.instrument = instrument();
    c.instruments.push_back(ic);
    return c;
  }

  void feed(const Event& e) {
    clock.set_ns(++t);
    if (e.is_trade) {
      trade.price = e.level.price;
      trade.size = e.level.size;
      trade.aggressor = e.side;
      trade.ts_event_ns = t;
      venue.on_trade(trade);
    } else {
      BookUpdate u;
      u.instrument = trade.instrument;
      (e.side == Side::Buy ? u.bids : u.asks) = std::span<const BookLevel>(&e.level, 1);
      u.ts_event_ns = t;
      venue.on_book(u);
    }
  }
};

// Baseline: the same events applied to a bare OrderBook (trades only read the touch).
void BM_BaselineBareOrderBook(benchmark::State& state) {
  const auto& ev = events();
  OrderBook book(instrument().id);
  const auto bids = initial_side(Side::Buy);
  const auto asks = initial_side(Side::Sell);
  book.apply_snapshot(bids, asks);
  SimulatedClock clock(0);
  std::size_t i = 0;
  UnixNanos t = 0;
  for (auto _ : state) {
    const Event& e = ev[i++ & (kEvents - 1)];
    clock.set_ns(++t);
    if (e.is_trade) {
      benchmark::DoNotOptimize(e.side == Side::Buy ? book.best_ask() : book.best_bid());
    } else {
      book.set_level(e.side, e.level.price, e.level.size);
    }
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_BaselineBareOrderBook);

void BM_SimVenueNoOrders(benchmark::State& state) {
  const auto& ev = events();
  Harness h(0);
  std::size_t i = 0;
  for (auto _ : state) h.feed(ev[i++ & (kEvents - 1)]);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SimVenueNoOrders);

void BM_SimVenue100Resting(benchmark::State& state) {
  const auto& ev = events();
  Harness h(100);
  std::size_t i = 0;
  for (auto _ : state) h.feed(ev[i++ & (kEvents - 1)]);
  state.SetItemsProcessed(state.iterations());
  state.counters["fills"] = static_cast<double>(h.venue.stats().fills);
  state.counters["errors"] = static_cast<double>(h.venue.stats().internal_errors);
}
BENCHMARK(BM_SimVenue100Resting);

// Candle mode: closed 1-minute bars with 20 resting limit orders and their participation caps. Arg 0:
// the orders sit inside the bars' range (a capped fill on almost every bar); arg 1: outside it (no fills,
// the bar loop itself).
void BM_SimVenueBarsWithRestingOrders(benchmark::State& state) {
  const std::int64_t away = state.range(0) == 0 ? 5 : 100;
  SimulatedClock clock(0);
  SimVenueConfig cfg = Harness::config();
  SimulatedVenue venue(cfg, clock);
  NullSink sink;
  venue.set_event_sink(&sink);
  Bar bar;
  bar.instrument = instrument().id;
  bar.open = bar.high = bar.low = bar.close = Price::from_raw(kMid);
  bar.volume = Quantity::from_units(10);
  bar.ts_open_ns = 0;
  clock.set_ns(bar.ts_close_ns());
  venue.on_bar(bar);
  for (int i = 0; i < 20; ++i) {
    OrderRequest r;
    r.client_order_id = ClientOrderId::from("b" + std::to_string(i));
    r.instrument = bar.instrument;
    r.side = i % 2 == 0 ? Side::Buy : Side::Sell;
    r.type = OrderType::Limit;
    r.quantity = Quantity::from_units(1'000'000);
    r.price = Price::from_raw(r.side == Side::Buy ? kMid - (away + i) * kTick : kMid + (away + i) * kTick);
    venue.submit(r);
  }
  venue.advance_to(clock.now_ns());
  SimRng rng(7);
  std::int64_t n = 1;
  for (auto _ : state) {
    bar.ts_open_ns = n++ * 60 * kNanosPerSecond;
    const auto w = static_cast<std::int64_t>(rng.uniform_inclusive(30));
    bar.high = Price::from_raw(kMid + w * kTick);
    bar.low = Price::from_raw(kMid - w * kTick);
    clock.set_ns(bar.ts_close_ns());
    venue.on_bar(bar);
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["fills"] = static_cast<double>(venue.stats().fills);
}
BENCHMARK(BM_SimVenueBarsWithRestingOrders)->Arg(0)->Arg(1);

// The backtest driver's step between two bars (backtest/node_driver.cpp): drain what is due, then the bar.
struct CandleHarness {
  SimulatedClock clock{0};
  SimulatedVenue venue;
  NullSink sink;
  Bar bar;
  std::int64_t n = 0;

  explicit CandleHarness(std::int64_t latency_ns, std::size_t terminal_kept = SimVenueConfig{}.max_terminal_orders_kept)
      : venue(config(latency_ns, terminal_kept), clock) {
    venue.set_event_sink(&sink);
    bar.instrument = instrument().id;
    bar.open = bar.high = bar.low = bar.close = Price::from_raw(kMid);
    bar.volume = Quantity::from_units(10);
  }
  static SimVenueConfig config(std::int64_t latency_ns, std::size_t terminal_kept) {
    SimVenueConfig c = Harness::config();
    c.max_terminal_orders_kept = terminal_kept;
    c.latency.order_entry_ns = latency_ns;
    c.latency.response_ns = latency_ns;
    c.fill_history_kept = 1'024;  // as a backtest: a recent window (the results keep fills themselves)
    return c;
  }
  void step_to(UnixNanos t) {
    for (auto next = venue.next_event_ns(); next && *next <= t; next = venue.next_event_ns()) {
      clock.set_ns(*next);
      venue.advance_to(*next);
    }
    clock.set_ns(t);
  }
  void next_bar() {
    bar.ts_open_ns = n++ * 60 * kNanosPerSecond;
    step_to(bar.ts_close_ns());
    venue.on_bar(bar);
  }
};

// The fixed cost per bar with nothing of ours at the venue.
void BM_SimVenueBarsNoOrders(benchmark::State& state) {
  CandleHarness h(50 * kNanosPerMilli);
  for (auto _ : state) h.next_bar();
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SimVenueBarsNoOrders);

// One market order per bar, alternating sides (a backtest's entries and exits): the venue's cost per order,
// bar included (subtract BM_SimVenueBarsNoOrders).
void candle_market_orders(benchmark::State& state, std::size_t terminal_kept) {
  CandleHarness h(50 * kNanosPerMilli, terminal_kept);
  h.next_bar();
  OrderRequest r;
  r.instrument = instrument().id;
  r.type = OrderType::Market;
  r.quantity = Quantity::from_units(1);
  std::uint64_t k = 0;
  for (auto _ : state) {
    r.side = k % 2 == 0 ? Side::Buy : Side::Sell;
    char id[24] = "bt-";
    const auto end = std::to_chars(id + 3, id + sizeof id, ++k).ptr;
    r.client_order_id = ClientOrderId::from(std::string_view(id, static_cast<std::size_t>(end - id)));
    h.venue.submit(r);
    h.next_bar();
  }
  h.step_to(h.clock.now_ns() + kNanosPerSecond);
  state.SetItemsProcessed(state.iterations());
  state.counters["fills"] = static_cast<double>(h.venue.stats().fills);
  state.counters["rejected"] = static_cast<double>(h.venue.stats().orders_rejected);
}
void BM_SimVenueCandleMarketOrders(benchmark::State& state) {
  candle_market_orders(state, SimVenueConfig{}.max_terminal_orders_kept);
}
BENCHMARK(BM_SimVenueCandleMarketOrders);
// A backtest's order count: storage grows from empty and nothing is forgotten yet (the steady state above
// keeps max_terminal_orders_kept finished orders and forgets one per order).
BENCHMARK(BM_SimVenueCandleMarketOrders)->Iterations(20'000);
// The same with a short memory of finished orders (Arg: how many are kept): the storage stops growing and
// stays in cache, each order forgets an old one.
void BM_SimVenueCandleMarketOrdersShortMemory(benchmark::State& state) {
  candle_market_orders(state, static_cast<std::size_t>(state.range(0)));
}
BENCHMARK(BM_SimVenueCandleMarketOrdersShortMemory)->Arg(1'024)->Iterations(20'000);

}  // namespace

BENCHMARK_MAIN();
