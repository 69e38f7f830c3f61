// Strategies in the backtest through the StrategyHost, as `tradingd backtest` attaches them: the moving-
// average crossover on bars where every cross, fill, fee and PnL is computed by hand; and the same strategy
// fed the same bars through a TradingNode in PAPER configuration (the daemon's instrument rules and
// simulated venues, a wall-like clock stepping in 10 ms ticks with the node's timer running between bars)
// gives the same orders.
#include <gtest/gtest.h>

#include "backtest/backtest_run.h"
#include "daemon/backtest_strategies.h"
#include "daemon/paper_node.h"
#include "execution/memory_journal.h"
#include "execution/sim/sim_config.h"
#include "strategy/registry.h"
#include "strategy/strategy_host.h"
#include "tests/backtest/kline_gen.h"

namespace tradingd::backtest {
namespace {

constexpr UnixNanos kT0 = 1'704'067'200LL * kNanosPerSecond;  // 2024-01-01T00:00:00Z
const InstrumentId kBtc{Venue::Binance, MarketKind::Spot, Symbol::from("BTCUSDT")};

config::Config ma_config(const char* fast, const char* slow, const char* quantity) {
  config::Config cfg;
  config::InstrumentConfig ic;
  ic.id = kBtc;
  ic.maker_fee = Rate::from_string("0.001");
  ic.taker_fee = Rate::from_string("0.001");
  cfg.instruments = {ic};
  cfg.paper.order_latency_ms = 50;
  cfg.paper.slippage_bps = Rate{};
  cfg.backtest.starting_balances = {{"USDT", Money::from_units(10'000)}};
  config::StrategyConfig s;
  s.name = "ma";
  s.type = "ma_crossover";
  s.instruments = {kBtc};
  s.params = {{"fast", fast}, {"slow", slow}, {"quantity", quantity}};
  cfg.strategies = {s};
  return cfg;
}

BacktestSpec spec_of(const config::Config& cfg) {
  BacktestSpec spec;
  spec.config = cfg;
  spec.instruments = {daemon::paper_instrument_rules(cfg.instruments.front())};
  spec.bar_interval_s = 60;
  return spec;
}

// Bar i opens at the previous close (the first at its own close).
std::vector<HistoricalEvent> bars_with_closes(const std::vector<const char*>& closes) {
  std::vector<HistoricalEvent> ev;
  Price prev = Price::from_string(closes.front());
  for (std::size_t i = 0; i < closes.size(); ++i) {
    Bar b;
    b.instrument = kBtc;
    b.interval_s = 60;
    b.ts_open_ns = kT0 + static_cast<std::int64_t>(i) * 60 * kNanosPerSecond;
    b.open = prev;
    b.close = Price::from_string(closes[i]);
    b.high = std::max(b.open, b.close);
    b.low = std::min(b.open, b.close);
    b.volume = Quantity::from_units(1000);
    prev = b.close;
    ev.push_back(HistoricalEvent{b.ts_close_ns(), 0, b});
  }
  return ev;
}

TEST(StrategyRun, MaCrossoverTradesExactlyAsComputedByHand) {
  // fast = 2, slow = 3 (simple averages of closes):
  //   bar 2  closes 10 10 9   fast 9.5  < slow 9.67  first sign (-): no cross
  //   bar 3  ... 10 9 12      fast 10.5 > slow 10.33 cross up   -> buy 1, fills at bar 4's open 12
  //   bar 4  ... 9 12 13      fast 12.5 > slow 11.33
  //   bar 5  ... 12 13 11     fast 12   = slow 12    equal: neither makes nor breaks a cross
  //   bar 6  ... 13 11 9      fast 10   < slow 11    cross down -> sell 1, fills at bar 7's open 9
  //   bar 7  ... 11 9 9.5     fast 9.25 < slow 9.83
  //   bar 8  ... 9 9.5 12     fast 10.75 > slow 10.17 cross up  -> buy 1, fills at bar 9's open 12
  //   bar 9  ... 9.5 12 12.5  (the position stays open, marked at 12.5)
  auto events = bars_with_closes({"10", "10", "9", "12", "13", "11", "9", "9.5", "12", "12.5"});
  const auto spec = spec_of(ma_config("2", "3", "1"));
  SpanCursor cursor(events);
  auto r = run_backtest(spec, cursor, daemon::backtest_strategy_attacher());
  ASSERT_TRUE(r) << r.error();
  ASSERT_EQ(r->fills.size(), 3u);
  const auto minute = [](int i) { return kT0 + i * 60 * kNanosPerSecond + 50 * kNanosPerMilli; };
  EXPECT_EQ(r->fills[0].side, Side::Buy);
  EXPECT_EQ(r->fills[0].price, Price::from_string("12"));
  EXPECT_EQ(r->fills[0].ts_ns, minute(4));  // sent at bar 3's close (= bar 4's open), at the venue 50 ms later
  EXPECT_EQ(r->fills[0].fee, Money::from_string("0.012"));
  EXPECT_EQ(r->fills[1].side, Side::Sell);
  EXPECT_EQ(r->fills[1].price, Price::from_string("9"));
  EXPECT_EQ(r->fills[1].ts_ns, minute(7));
  EXPECT_EQ(r->fills[1].fee, Money::from_string("0.009"));
  EXPECT_EQ(r->fills[2].side, Side::Buy);
  EXPECT_EQ(r->fills[2].price, Price::from_string("12"));
  EXPECT_EQ(r->fills[2].ts_ns, minute(9));
  for (const auto& f : r->fills) {
    EXPECT_EQ(f.quantity, Quantity::from_units(1));
    EXPECT_EQ(f.order_type, OrderType::Market);
    EXPECT_EQ(f.liquidity, LiquiditySide::Taker);
  }
  ASSERT_EQ(r->orders.size(), 3u);
  EXPECT_FALSE(r->orders[0].reduce_only);
  EXPECT_TRUE(r->orders[1].reduce_only);  // the exit goes to flat
  ASSERT_EQ(r->trades.size(), 2u);        // one round trip, one still open
  EXPECT_TRUE(r->trades[0].closed);
  EXPECT_EQ(r->trades[0].gross_pnl, Money::from_string("-3"));
  EXPECT_EQ(r->trades[0].net_pnl(), Money::from_string("-3.021"));
  EXPECT_FALSE(r->trades[1].closed);
  EXPECT_EQ(r->summary.trades, 1);
  EXPECT_EQ(r->summary.losses, 1);
  EXPECT_EQ(r->summary.fees_paid, Money::from_string("0.033"));
  // 10000 - 3.021 (round trip) - 0.012 (entry fee) + 0.5 (open position marked at 12.5).
  EXPECT_EQ(r->equity.back().equity, Money::from_string("9997.467"));
  EXPECT_EQ(r->summary.end_equity, Money::from_string("9997.467"));
}

// ---- paper mode, driven like the daemon would be ----

struct OrderView {
  InstrumentId instrument;
  Side side;
  OrderType type;
  Quantity quantity;
  bool reduce_only;
  OrderStatus status;
  Quantity filled;
  std::optional<Price> avg_price;
  Money fees;
  friend bool operator==(const OrderView&, const OrderView&) = default;
};

std::vector<OrderView> views(const std::vector<OrderRecord>& orders) {
  std::vector<OrderView> out;
  for (const auto& o : orders)
    out.push_back({o.instrument, o.side, o.type, o.quantity, o.reduce_only, o.status, o.filled_quantity,
                   o.avg_fill_price, o.fees});
  return out;
}

// A paper-configured node: one SimulatedVenue per venue from the paper section (as daemon/paper_node.cpp
// builds it), the daemon's instrument rules, the StrategyHost in paper mode. Time moves like a wall clock
// in 10 ms steps with the node's timer running at each; a closed bar arrives when its minute ends.
std::vector<OrderView> run_paper(const config::Config& cfg, const std::vector<HistoricalEvent>& events) {
  TradingNodeConfig nc;
  nc.risk = cfg.risk;
  nc.execution = cfg.execution;
  std::vector<Instrument> instruments;
  for (Venue v : {Venue::Binance, Venue::Bybit, Venue::Okx}) {
    auto vc = sim::sim_config_from_paper(cfg.paper, v);
    for (const auto& ic : cfg.instruments) {
      if (ic.id.venue != v) continue;
      const Instrument inst = daemon::paper_instrument_rules(ic);
      vc.instruments.push_back(sim::sim_instrument_from_config(inst, ic));
      instruments.push_back(inst);
    }
    if (!vc.instruments.empty()) nc.sim_venues.push_back(std::move(vc));
  }
  SimulatedClock clock(std::get<Bar>(events.front().payload).ts_open_ns);
  ManualScheduler scheduler(clock);
  MemoryJournal journal;
  TradingNode node(nc, clock, scheduler, journal, nullptr, *ClientOrderIdCodec::make("td"), instruments);
  StrategyHostOptions options;
  options.mode = TradingMode::Paper;
  options.risk = cfg.risk;
  StrategyHost host(node, clock, scheduler, options);
  const auto registry = StrategyRegistry::with_builtins();
  for (const auto& s : cfg.strategies) EXPECT_TRUE(host.add_from_config(s, registry));
  EXPECT_TRUE(node.start(JournalSnapshot{}));
  auto step_until = [&](UnixNanos t) {
    while (clock.now_ns() + 10 * kNanosPerMilli <= t) {
      clock.advance_ns(10 * kNanosPerMilli);
      scheduler.run_due();
    }
    clock.set_ns(t);
    scheduler.run_due();
  };
  step_until(clock.now_ns() + kNanosPerSecond);
  EXPECT_EQ(node.state(), NodeState::Ready);
  host.start();
  for (const auto& ev : events) {
    step_until(ev.ts_ns);
    node.on_bar(std::get<Bar>(ev.payload));
  }
  step_until(clock.now_ns() + kNanosPerSecond);
  host.stop();
  std::vector<OrderView> out;
  for (const Order* o : node.manager().all_orders()) {
    Money fees;
    for (const auto& f : o->fills()) fees += f.fee;
    out.push_back({o->instrument(), o->side(), o->spec().type, o->quantity(), o->spec().reduce_only, o->status(),
                   o->filled_quantity(), o->avg_price(), fees});
  }
  return out;
}

TEST(StrategyRun, PaperNodeFedTheSameBarsPlacesTheSameOrders) {
  auto cfg = ma_config("5", "20", "0.05");
  // Paper and backtest take balances and seed from their own sections: make them the same, and let the
  // staleness limit cover a bar feed's silence in both (paper would trip at 30 s between 1-minute bars).
  cfg.paper.starting_balances = cfg.backtest.starting_balances;
  cfg.paper.latency_jitter_ms = 7;  // seeded: both sides draw the same jitter
  cfg.paper.slippage_bps = Rate::from_units(2);
  cfg.risk.stale_market_data_s = 600;
  const auto gen = test::gen_bars(600, kT0 / kNanosPerMilli);
  std::vector<HistoricalEvent> events;
  for (const auto& g : gen) {
    const Bar b = test::to_bar(g, kBtc);
    events.push_back(HistoricalEvent{b.ts_close_ns(), 0, b});
  }
  auto spec = spec_of(cfg);
  spec.seed = cfg.paper.seed;
  SpanCursor cursor(events);
  auto backtest = run_backtest(spec, cursor, daemon::backtest_strategy_attacher());
  ASSERT_TRUE(backtest) << backtest.error();
  const auto paper = run_paper(cfg, events);
  ASSERT_GT(paper.size(), 10u) << "the generated waves make the crossover trade";
  EXPECT_EQ(views(backtest->orders), paper);
}

}  // namespace
}  // namespace tradingd::backtest
