// The backtest engine end to end without a strategy framework: scripted signals on a small bar series
// where every fill, fee and PnL is computed by hand; determinism; --from/--to; multi-venue runs.
#include <gtest/gtest.h>

#include <map>

#include "backtest/backtest_run.h"
#include "backtest/data_set.h"
#include "tests/backtest/test_util.h"
#include "backtest/node_driver.h"

namespace tradingd::backtest {
namespace {

constexpr UnixNanos kT0 = 1'704'067'200LL * kNanosPerSecond;  // 2024-01-01T00:00:00Z

Instrument spot(Venue v, const char* symbol) {
  Instrument i;
  i.id = InstrumentId{v, MarketKind::Spot, Symbol::from(symbol)};
  i.base = Asset::from("BTC");
  i.quote = Asset::from("USDT");
  i.settle = Asset::from("USDT");
  i.tick_size = Price::from_string("0.01");
  i.step_size = Quantity::from_string("0.00001");
  i.min_quantity = Quantity::from_string("0.00001");
  return i;
}

Bar bar(const InstrumentId& id, int minute, const char* o, const char* h, const char* l, const char* c) {
  Bar b;
  b.instrument = id;
  b.interval_s = 60;
  b.ts_open_ns = kT0 + minute * 60 * kNanosPerSecond;
  b.open = Price::from_string(o);
  b.high = Price::from_string(h);
  b.low = Price::from_string(l);
  b.close = Price::from_string(c);
  b.volume = Quantity::from_units(100);
  return b;
}

HistoricalEvent event(const Bar& b, std::uint32_t source = 0) { return HistoricalEvent{b.ts_close_ns(), source, b}; }

// Submits market orders when given bars close: {bar index -> (side, quantity)}.
class Script final : public MarketDataSink, public AttachedStrategies {
 public:
  // refusals: where the node's refusals go (it outlives the run, unlike the strategy).
  Script(TradingNode& node, std::map<int, std::pair<Side, const char*>> plan, std::vector<std::string>* refusals = nullptr)
      : node_(node), plan_(std::move(plan)), refusals_(refusals) {
    node_.add_market_listener(*this);
  }
  void on_bar(const Bar& b) override {
    const auto it = plan_.find(seen_++);
    if (it == plan_.end()) return;
    Signal s;
    s.instrument = b.instrument;
    s.side = it->second.first;
    s.type = OrderType::Market;
    s.quantity = Quantity::from_string(it->second.second);
    s.reference_price = b.close;
    s.strategy_id = StrategyId::from("script");
    auto r = node_.submit_signal(s);
    if (!r && refusals_ != nullptr) refusals_->push_back(std::string(r.error().reason()));
  }
  void start() override {}
  void stop() override {}

 private:
  TradingNode& node_;
  std::map<int, std::pair<Side, const char*>> plan_;
  std::vector<std::string>* refusals_;
  int seen_ = 0;
};

BacktestSpec spec_for(std::vector<Instrument> instruments) {
  BacktestSpec spec;
  spec.instruments = std::move(instruments);
  spec.bar_interval_s = 60;
  auto& cfg = spec.config;
  cfg.paper.order_latency_ms = 50;
  cfg.paper.slippage_bps = Rate{};  // fills exactly at the open: every number below is by hand
  cfg.backtest.starting_balances = {{"USDT", Money::from_units(10'000)}};
  for (const auto& i : spec.instruments) {
    config::InstrumentConfig ic;
    ic.id = i.id;
    ic.maker_fee = Rate::from_string("0.001");
    ic.taker_fee = Rate::from_string("0.001");
    cfg.instruments.push_back(ic);
  }
  return spec;
}

std::vector<HistoricalEvent> ten_bars(const InstrumentId& id) {
  // Opens: 100, 101, ..., closes = next open.
  std::vector<HistoricalEvent> ev;
  const char* px[] = {"40000", "40100", "40200", "40300", "40400", "40500", "40600", "40700", "40800", "40900", "41000"};
  for (int i = 0; i < 10; ++i) ev.push_back(event(bar(id, i, px[i], px[i + 1], px[i], px[i + 1])));
  return ev;
}

TEST(BacktestEngine, ScriptedRoundTripMatchesHandComputation) {
  const Instrument inst = spot(Venue::Binance, "BTCUSDT");
  BacktestSpec spec = spec_for({inst});
  auto events = ten_bars(inst.id);
  std::vector<std::string> refusals;
  StrategyAttacher attach = [&](NodeDriver& d, const config::Config&) -> Result<std::unique_ptr<AttachedStrategies>, std::string> {
    // Buy 0.1 when bar 2 closes (fills at bar 3's open, 40300); sell when bar 5 closes (bar 6's open, 40600).
    return std::unique_ptr<AttachedStrategies>(std::make_unique<Script>(
        d.node(), std::map<int, std::pair<Side, const char*>>{{2, {Side::Buy, "0.1"}}, {5, {Side::Sell, "0.1"}}},
        &refusals));
  };
  SpanCursor cursor(events);
  auto r = run_backtest(spec, cursor, attach);
  ASSERT_TRUE(r) << r.error();
  EXPECT_TRUE(refusals.empty());
  const BacktestResults& res = *r;
  ASSERT_EQ(res.fills.size(), 2u);
  const auto& buy = res.fills[0];
  EXPECT_EQ(buy.side, Side::Buy);
  EXPECT_EQ(buy.price, Price::from_string("40300"));
  EXPECT_EQ(buy.quantity, Quantity::from_string("0.1"));
  EXPECT_EQ(buy.fee, Money::from_string("4.03"));  // 4030 x 0.001
  // Sent at bar 2's close (= bar 3's open), at the engine 50 ms later: the fill carries the arrival time.
  EXPECT_EQ(buy.ts_ns, kT0 + 3 * 60 * kNanosPerSecond + 50 * kNanosPerMilli);
  const auto& sell = res.fills[1];
  EXPECT_EQ(sell.side, Side::Sell);
  EXPECT_EQ(sell.price, Price::from_string("40600"));
  EXPECT_EQ(sell.fee, Money::from_string("4.06"));
  ASSERT_EQ(res.trades.size(), 1u);
  const auto& t = res.trades[0];
  EXPECT_TRUE(t.closed);
  EXPECT_EQ(t.gross_pnl, Money::from_string("30"));  // 0.1 x (40600 - 40300)
  EXPECT_EQ(t.fees, Money::from_string("8.09"));
  EXPECT_EQ(t.net_pnl(), Money::from_string("21.91"));
  EXPECT_EQ(res.summary.trades, 1);
  EXPECT_EQ(res.summary.wins, 1);
  EXPECT_EQ(res.summary.fees_paid, Money::from_string("8.09"));
  ASSERT_FALSE(res.equity.empty());
  EXPECT_EQ(res.equity.front().equity, Money::from_units(10'000));
  EXPECT_EQ(res.equity.back().equity, Money::from_string("10021.91"));
  EXPECT_EQ(res.summary.end_equity, Money::from_string("10021.91"));
  ASSERT_EQ(res.orders.size(), 2u);
  EXPECT_EQ(res.orders[0].status, OrderStatus::Filled);
  EXPECT_EQ(res.orders[1].status, OrderStatus::Filled);
  ASSERT_EQ(res.prices.size(), 1u);
  EXPECT_EQ(res.prices[0].points.size(), 10u);
}

TEST(BacktestEngine, BarDataRaisesTheStalenessLimitToTwoIntervals) {
  BacktestSpec spec = spec_for({spot(Venue::Binance, "BTCUSDT")});
  spec.config.risk.stale_market_data_s = 30;
  spec.bar_interval_s = 3600;
  EXPECT_EQ(backtest_driver_config(spec, kT0).node.risk.stale_market_data_s, 7200);
  spec.bar_interval_s = 0;  // trades or frames only: as configured
  EXPECT_EQ(backtest_driver_config(spec, kT0).node.risk.stale_market_data_s, 30);
}

TEST(BacktestEngine, FromToSelectsBarsByOpenTime) {
  const Instrument inst = spot(Venue::Binance, "BTCUSDT");
  BacktestSpec spec = spec_for({inst});
  spec.from_ns = kT0 + 2 * 60 * kNanosPerSecond;
  spec.to_ns = kT0 + 5 * 60 * kNanosPerSecond;
  auto events = ten_bars(inst.id);
  SpanCursor cursor(events);
  auto r = run_backtest(spec, cursor, {});
  ASSERT_TRUE(r) << r.error();
  ASSERT_EQ(r->prices.size(), 1u);
  ASSERT_EQ(r->prices[0].points.size(), 3u);
  EXPECT_EQ(r->prices[0].points.front().ts_ns, kT0 + 3 * 60 * kNanosPerSecond);

  spec.from_ns = kT0 + 100 * 60 * kNanosPerSecond;
  spec.to_ns.reset();
  SpanCursor again(events);
  auto none = run_backtest(spec, again, {});
  ASSERT_FALSE(none);
  EXPECT_NE(none.error().find("no data"), std::string::npos);
}

TEST(BacktestEngine, TwoVenuesAtOnceEachWithItsOwnAccount) {
  const Instrument a = spot(Venue::Binance, "BTCUSDT");
  const Instrument b = spot(Venue::Bybit, "BTCUSDT");
  BacktestSpec spec = spec_for({a, b});
  auto ea = ten_bars(a.id);
  auto eb = ten_bars(b.id);
  std::vector<HistoricalEvent> merged;
  for (std::size_t i = 0; i < ea.size(); ++i) {
    merged.push_back(ea[i]);
    eb[i].source = 1;
    merged.push_back(eb[i]);
  }
  std::vector<std::string> refusals;
  StrategyAttacher attach = [&](NodeDriver& d, const config::Config&) -> Result<std::unique_ptr<AttachedStrategies>, std::string> {
    // Bars alternate venues: index 4 is Binance's bar 2, index 11 Bybit's bar 5.
    return std::unique_ptr<AttachedStrategies>(std::make_unique<Script>(
        d.node(), std::map<int, std::pair<Side, const char*>>{{4, {Side::Buy, "0.1"}}, {11, {Side::Buy, "0.2"}}},
        &refusals));
  };
  SpanCursor cursor(merged);
  auto r = run_backtest(spec, cursor, attach);
  ASSERT_TRUE(r) << r.error();
  EXPECT_TRUE(refusals.empty());
  ASSERT_EQ(r->fills.size(), 2u);
  EXPECT_EQ(r->fills[0].instrument, a.id);
  EXPECT_EQ(r->fills[0].price, Price::from_string("40300"));
  EXPECT_EQ(r->fills[1].instrument, b.id);
  EXPECT_EQ(r->fills[1].price, Price::from_string("40600"));
  EXPECT_EQ(r->prices.size(), 2u);
  // Two accounts of 10,000 each; positions marked at the last close (41000).
  // Binance: 0.1 bought at 40300 -> +70 - 4.03; Bybit: 0.2 at 40600 -> +80 - 8.12.
  EXPECT_EQ(r->equity.back().equity, Money::from_string("20137.85"));
}

TEST(BacktestEngine, SameInputsSameResults) {
  const Instrument inst = spot(Venue::Binance, "BTCUSDT");
  BacktestSpec spec = spec_for({inst});
  spec.config.paper.latency_jitter_ms = 20;  // seeded
  spec.config.paper.slippage_bps = Rate::from_units(3);
  auto events = ten_bars(inst.id);
  auto run = [&](std::uint64_t seed) {
    spec.seed = seed;
    StrategyAttacher attach = [&](NodeDriver& d, const config::Config&) -> Result<std::unique_ptr<AttachedStrategies>, std::string> {
      return std::unique_ptr<AttachedStrategies>(std::make_unique<Script>(
          d.node(), std::map<int, std::pair<Side, const char*>>{{1, {Side::Buy, "0.1"}}, {4, {Side::Sell, "0.1"}}}));
    };
    SpanCursor cursor(events);
    auto r = run_backtest(spec, cursor, attach);
    EXPECT_TRUE(r);
    return r ? *r : BacktestResults{};
  };
  const auto a = run(7), b = run(7);
  EXPECT_EQ(a.fills, b.fills);
  EXPECT_EQ(a.orders, b.orders);
  EXPECT_EQ(a.equity, b.equity);
  EXPECT_EQ(summary_json(a), summary_json(b));
  ASSERT_EQ(a.fills.size(), 2u);
}

// The recorder appends into capacity reserved from the event count; without a count it grows as it goes
// (out of line). Both must record the same curve and prices; the in-memory cursor's events are walked as a
// span, the other's one next() at a time, with the same progress reports.
class NoHintCursor final : public EventCursor {
 public:
  explicit NoHintCursor(std::span<const HistoricalEvent> events) : inner_(events) {}
  ReadStatus next(const HistoricalEvent*& out) override { return inner_.next(out); }
  std::string error() const override { return inner_.error(); }

 private:
  SpanCursor inner_;
};

TEST(BacktestEngine, RecordingGrowsBeyondItsReservedCapacityToTheSameResults) {
  const Instrument inst = spot(Venue::Binance, "BTCUSDT");
  BacktestSpec spec = spec_for({inst});
  std::vector<HistoricalEvent> events;
  for (int i = 0; i < 300; ++i) {
    const std::string o = std::to_string(40'000 + (i % 7) * 10), c = std::to_string(40'000 + ((i + 1) % 7) * 10);
    events.push_back(event(bar(inst.id, i, o.c_str(), "40100", "39900", c.c_str())));
  }
  StrategyAttacher attach = [&](NodeDriver& d, const config::Config&) -> Result<std::unique_ptr<AttachedStrategies>, std::string> {
    return std::unique_ptr<AttachedStrategies>(std::make_unique<Script>(
        d.node(), std::map<int, std::pair<Side, const char*>>{{20, {Side::Buy, "0.1"}}, {200, {Side::Sell, "0.1"}}}));
  };
  // The in-memory cursor is walked as a span, the other through next(): the same reads, reports, results.
  std::vector<std::uint64_t> reports_span, reports_next;
  std::uint64_t delivered_span = 0, delivered_next = 0;
  spec.from_ns = kT0 + 10 * 60 * kNanosPerSecond;  // the first ten bars are read but not delivered
  SpanCursor hinted(events);
  NoHintCursor unhinted(events);
  auto reserved = run_backtest(spec, hinted, attach,
                               RunProgress{[&](std::uint64_t n) { reports_span.push_back(n); }, 64, &delivered_span});
  auto grown = run_backtest(spec, unhinted, attach,
                            RunProgress{[&](std::uint64_t n) { reports_next.push_back(n); }, 64, &delivered_next});
  EXPECT_EQ(reports_span, (std::vector<std::uint64_t>{64, 128, 192, 256, 300}));
  EXPECT_EQ(reports_span, reports_next);
  EXPECT_EQ(delivered_span, 290u);
  EXPECT_EQ(delivered_next, 290u);
  SpanCursor drained(events);
  const HistoricalEvent* ev = nullptr;
  ASSERT_EQ(drained.next(ev), ReadStatus::Item);
  ASSERT_TRUE(drained.take_rest());
  EXPECT_EQ(drained.next(ev), ReadStatus::End);  // take_rest() consumed the rest
  ASSERT_TRUE(reserved);
  ASSERT_TRUE(grown);
  EXPECT_EQ(reserved->fills.size(), 2u);
  EXPECT_GE(reserved->equity.size(), 290u);  // a point per bar at least (and per fill)
  EXPECT_EQ(reserved->equity, grown->equity);
  ASSERT_EQ(reserved->prices.size(), 1u);
  ASSERT_EQ(grown->prices.size(), 1u);
  EXPECT_EQ(reserved->prices[0].points.size(), 290u);
  for (std::size_t i = 0; i < reserved->prices[0].points.size(); ++i) {
    EXPECT_EQ(reserved->prices[0].points[i].ts_ns, grown->prices[0].points[i].ts_ns);
    EXPECT_EQ(reserved->prices[0].points[i].price, grown->prices[0].points[i].price);
  }
  EXPECT_EQ(reserved->fills, grown->fills);
}

// Trades from a recorded Bybit connection (the `tradingd replay` format), through the live decoder.
class TradeScript final : public MarketDataSink, public AttachedStrategies {
 public:
  explicit TradeScript(TradingNode& node) : node_(node) { node_.add_market_listener(*this); }
  void on_trade(const TradeTick& t) override {
    const int n = ++seen_;
    if (n != 3 && n != 8) return;
    Signal s;
    s.instrument = t.instrument;
    s.side = n == 3 ? Side::Buy : Side::Sell;
    s.type = OrderType::Market;
    s.quantity = Quantity::from_string("0.01");
    s.reference_price = t.price;
    s.strategy_id = StrategyId::from("script");
    (void)node_.submit_signal(s);
  }
  void start() override {}
  void stop() override {}

 private:
  TradingNode& node_;
  int seen_ = 0;
};

TEST(BacktestEngine, RecordedFramesDriveTheNodeThroughTheLiveDecoder) {
  test::TempDir dir;
  std::string frames = "{\"success\":true,\"op\":\"subscribe\",\"conn_id\":\"x\"}\n";
  const std::int64_t t0_ms = kT0 / kNanosPerMilli;
  for (int i = 0; i < 10; ++i) {
    const std::int64_t ts = t0_ms + i * 1000;
    frames += "{\"topic\":\"publicTrade.BTCUSDT\",\"type\":\"snapshot\",\"ts\":" + std::to_string(ts) +
              ",\"data\":[{\"T\":" + std::to_string(ts) + ",\"s\":\"BTCUSDT\",\"S\":\"Buy\",\"v\":\"0.5\",\"p\":\"" +
              std::to_string(40000 + 10 * i) + ".5\",\"i\":\"t" + std::to_string(i) + "\",\"BT\":false}]}\n";
  }
  const auto path = dir.write("bybit-linear-2024-01-01.jsonl", frames);
  config::Config cfg;
  config::InstrumentConfig ic;
  ic.id = InstrumentId{Venue::Bybit, MarketKind::LinearPerp, Symbol::from("BTCUSDT")};
  ic.taker_fee = Rate::from_string("0.0005");
  ic.leverage = 5;
  cfg.instruments = {ic};
  cfg.paper.slippage_bps = Rate{};
  auto plan = plan_data_file(path, cfg);
  ASSERT_TRUE(plan) << plan.error();
  EXPECT_EQ(plan->format, DataFormat::Frames);
  EXPECT_EQ(plan->instrument.kind, MarketKind::LinearPerp);
  EventMerger merger;
  ASSERT_TRUE(open_data_set({*plan}, merger));
  MergerCursor cursor(merger);
  Instrument inst = spot(Venue::Bybit, "BTCUSDT");
  inst.id = ic.id;
  inst.max_leverage = 10;
  BacktestSpec spec;
  spec.config = cfg;
  spec.instruments = {inst};
  spec.source_kinds = {MarketKind::LinearPerp};
  StrategyAttacher attach = [](NodeDriver& d, const config::Config&) -> Result<std::unique_ptr<AttachedStrategies>, std::string> {
    return std::unique_ptr<AttachedStrategies>(std::make_unique<TradeScript>(d.node()));
  };
  auto r = run_backtest(spec, cursor, attach);
  ASSERT_TRUE(r) << r.error();
  // Market orders fill at the last trade when they reach the venue (50 ms later, before the next print).
  ASSERT_EQ(r->fills.size(), 2u);
  EXPECT_EQ(r->fills[0].price, Price::from_string("40020.5"));
  EXPECT_EQ(r->fills[1].price, Price::from_string("40070.5"));
  ASSERT_EQ(r->trades.size(), 1u);
  EXPECT_EQ(r->trades[0].gross_pnl, Money::from_string("0.5"));  // 0.01 x 50
  ASSERT_EQ(r->prices.size(), 1u);
  EXPECT_EQ(r->prices[0].points.size(), 10u);
  EXPECT_EQ(r->prices[0].points.front().ts_ns, kT0);
}

TEST(BacktestEngine, FrameEventTimesAsEachVenueStampsThem) {
  EXPECT_EQ(frame_event_time(Venue::Binance, R"({"stream":"btcusdt@trade","data":{"e":"trade","E":1704067200123,"s":"BTCUSDT"}})"),
            1'704'067'200'123 * kNanosPerMilli);
  EXPECT_EQ(frame_event_time(Venue::Bybit, R"({"topic":"publicTrade.BTCUSDT","ts":1704067200001,"data":[]})"),
            1'704'067'200'001 * kNanosPerMilli);
  EXPECT_EQ(frame_event_time(Venue::Okx, R"({"arg":{"channel":"trades"},"data":[{"instId":"BTC-USDT","ts":"1704067200002"}]})"),
            1'704'067'200'002 * kNanosPerMilli);
  EXPECT_FALSE(frame_event_time(Venue::Okx, R"({"event":"subscribe","arg":{"channel":"trades"}})"));
  EXPECT_FALSE(frame_event_time(Venue::Bybit, R"({"success":true,"op":"subscribe"})"));
}

}  // namespace
}  // namespace tradingd::backtest
