// StrategyHost on a real TradingNode over a SimulatedVenue (simulated clock, ManualScheduler, MemoryJournal):
// ma_crossover orders/fills/position on scripted bars, quoter quotes and requotes on books, routing
// isolation, the sizer path, typed rejections, timers in event time, a throwing strategy halted alone,
// positions resumed after a restart, a synchronous external program (examples/ma_crossover.py) giving the
// same orders as the C++ strategy, dead programs (synchronous: halted; supervised on a real io_context:
// counted, orders canceled, restarted).
#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <chrono>

#include <cstdlib>
#include <filesystem>
#include <functional>
#include <sstream>
#include <stdexcept>

#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include "exchange/book/order_book.h"
#include "strategy/strategy_host.h"
#include "tests/execution/node/node_harness.h"
#include "tests/support/fixtures.h"

namespace tradingd {
namespace {

using test::NodeHarness;

Quantity q(const char* s) { return Quantity::from_string(s); }
Price px(const char* s) { return Price::from_string(s); }

config::StrategyConfig test_config(std::string name, std::string type, std::map<std::string, std::string> params,
                                   std::vector<InstrumentId> instruments) {
  config::StrategyConfig c;
  c.name = std::move(name);
  c.type = std::move(type);
  c.params = std::move(params);
  c.instruments = std::move(instruments);
  return c;
}

// A strategy whose callbacks are lambdas; it records what it was told.
struct Scripted final : Strategy {
  std::function<void(StrategyContext&)> start;
  std::function<void(StrategyContext&, const Bar&)> bar;
  std::function<void(StrategyContext&, const TimerEvent&)> timer;
  std::function<void(StrategyContext&, const TradeTick&)> trade;
  std::vector<std::string> events;
  std::vector<UnixNanos> timer_times;
  std::vector<Fill> fills;
  StrategyContext* ctx = nullptr;

  void on_start(StrategyContext& c) override {
    ctx = &c;
    events.push_back("start");
    if (start) start(c);
  }
  void on_bar(StrategyContext& c, const Bar& b) override {
    events.push_back("bar:" + b.instrument.to_string());
    if (bar) bar(c, b);
  }
  void on_trade(StrategyContext& c, const TradeTick& t) override {
    events.push_back("trade:" + t.instrument.to_string());
    if (trade) trade(c, t);
  }
  void on_order_update(StrategyContext&, const Order& o) override { events.push_back("order:" + std::to_string(o.id())); }
  void on_fill(StrategyContext&, const Order&, const Fill& f) override {
    events.push_back("fill");
    fills.push_back(f);
  }
  void on_timer(StrategyContext& c, const TimerEvent& t) override {
    events.push_back("timer:" + t.name);
    timer_times.push_back(c.now_ns());
    if (timer) timer(c, t);
  }
  void on_stop(StrategyContext&) override { events.push_back("stop"); }
  bool wants_order_updates() const override { return order_updates; }
  bool wants_fills() const override { return want_fills; }
  bool order_updates = true;
  bool want_fills = true;
  std::size_t count(const std::string& prefix) const {
    std::size_t n = 0;
    for (const auto& e : events) n += e.rfind(prefix, 0) == 0 ? 1 : 0;
    return n;
  }
};

Bar bar(const InstrumentId& id, UnixNanos now, const char* close) {
  Bar b;
  b.instrument = id;
  b.interval_s = 60;
  b.ts_open_ns = now - 60 * kNanosPerSecond;
  b.open = b.high = b.low = b.close = px(close);
  b.volume = q("1");
  return b;
}

Signal market(const InstrumentId& id, Side side, std::optional<Quantity> quantity) {
  Signal s;
  s.instrument = id;
  s.side = side;
  s.type = OrderType::Market;
  s.quantity = quantity;
  s.reference_price = px("50000");
  return s;
}

// A started node and a host on it (the harness's ManualScheduler is private, so the host gets its own,
// driven by the same simulated clock).
struct HostFixture {
  explicit HostFixture(std::size_t instruments = 2, StrategyHostOptions options = {}) : h(instruments) {
    options.mode = TradingMode::Backtest;
    options.synchronous_external = true;
    opts = options;
    opts.risk = h.config().risk;
  }
  config::RiskConfig& config() { return opts.risk; }
  StrategyHost& host() {
    if (!host_) host_ = std::make_unique<StrategyHost>(h.node(), h.clock(), scheduler, opts);
    return *host_;
  }
  bool start_node() {
    auto r = h.start();
    return r.ok() && h.node().state() == NodeState::Ready;
  }
  void step_ms(std::int64_t ms) {
    for (std::int64_t i = 0; i < ms; ++i) {
      h.step_ms(1);
      scheduler.run_due();
    }
  }
  const InstrumentId& id(std::size_t i) const { return h.instruments().at(i).id; }
  void send_bar(std::size_t i, const char* close) {
    h.node().on_bar(bar(id(i), h.clock().now_ns(), close));
    step_ms(20);
  }

  NodeHarness h;
  ManualScheduler scheduler{h.clock()};
  StrategyHostOptions opts;
  std::unique_ptr<StrategyHost> host_;
};

std::vector<const Order*> orders_of(HostFixture& f, const char* strategy) {
  return f.h.node().manager().orders_for_strategy(StrategyId::from(strategy));
}

TEST(StrategyHost, MaCrossoverOnScriptedBarsTradesTheCrossesAndTracksItsPosition) {
  HostFixture f;
  ASSERT_TRUE(f.start_node());
  auto cfg = test_config("ma", "ma_crossover", {{"fast", "2"}, {"slow", "3"}, {"quantity", "0.01"}}, {f.id(0)});
  auto added = f.host().add_from_config(cfg, StrategyRegistry::with_builtins());
  ASSERT_TRUE(added) << added.error();
  f.host().start();
  const StrategyId ma = StrategyId::from("ma");
  // Falling (first sign after warm-up: no cross), then a cross up, then a cross down.
  for (const char* c : {"50000", "49990", "49980", "49970"}) f.send_bar(0, c);
  EXPECT_TRUE(orders_of(f, "ma").empty());
  f.send_bar(0, "50100");
  ASSERT_EQ(orders_of(f, "ma").size(), 1u);
  EXPECT_EQ(f.host().position(ma, f.id(0)), q("0.01"));
  f.send_bar(0, "50200");
  f.send_bar(0, "49800");
  f.send_bar(0, "49700");
  const auto orders = orders_of(f, "ma");
  ASSERT_EQ(orders.size(), 2u);
  EXPECT_EQ(orders[0]->side(), Side::Buy);
  EXPECT_EQ(orders[0]->quantity(), q("0.01"));
  EXPECT_FALSE(orders[0]->spec().reduce_only);
  EXPECT_EQ(orders[1]->side(), Side::Sell);
  EXPECT_EQ(orders[1]->quantity(), q("0.01"));
  EXPECT_TRUE(orders[1]->spec().reduce_only);
  for (const Order* o : orders) {
    EXPECT_EQ(o->status(), OrderStatus::Filled);
    EXPECT_EQ(o->spec().tag, OrderTag::from("ma_cross"));
  }
  EXPECT_EQ(f.host().position(ma, f.id(0)), Quantity::zero());
  EXPECT_EQ(f.h.position(0), Quantity::zero());
  const auto* st = f.host().stats(ma);
  ASSERT_NE(st, nullptr);
  EXPECT_EQ(st->signals, 2u);
  EXPECT_EQ(st->submitted, 2u);
  EXPECT_EQ(st->errors, 0u);
  f.host().stop();
  EXPECT_EQ(f.host().state(ma), StrategyRunState::Stopped);
}

struct Books {
  explicit Books(const InstrumentId& id) : book(id) {}
  BookUpdate update(const char* bid, const char* ask, UnixNanos now) {
    book = OrderBook(book.instrument());
    book.set_level(Side::Buy, px(bid), q("5"));
    book.set_level(Side::Sell, px(ask), q("5"));
    book.set_valid(true);
    BookUpdate u;
    u.instrument = book.instrument();
    u.is_snapshot = true;
    u.book = &book;
    u.ts_event_ns = u.ts_recv_ns = now;
    return u;
  }
  OrderBook book;
};

TEST(StrategyHost, QuoterPlacesTwoSidedQuotesAndReplacesThemWhenTheBookMoves) {
  HostFixture f;
  ASSERT_TRUE(f.start_node());
  auto cfg = test_config("mm", "quoter", {{"quantity", "0.01"}, {"offset_ticks", "1"}}, {f.id(0)});
  ASSERT_TRUE(f.host().add_from_config(cfg, StrategyRegistry::with_builtins()));
  f.host().start();
  Books books(f.id(0));
  auto open = [&] { return f.h.node().manager().orders_for_strategy(StrategyId::from("mm"), true); };

  f.h.node().on_book(books.update("49999.5", "50000.5", f.h.clock().now_ns()));
  f.step_ms(20);
  auto quotes = open();
  ASSERT_EQ(quotes.size(), 2u);
  EXPECT_EQ(quotes[0]->side(), Side::Buy);
  EXPECT_EQ(quotes[0]->spec().price, px("49999.99"));
  EXPECT_EQ(quotes[1]->side(), Side::Sell);
  EXPECT_EQ(quotes[1]->spec().price, px("50000.01"));
  EXPECT_EQ(quotes[0]->spec().time_in_force, TimeInForce::PostOnly);
  const OrderId old_bid = quotes[0]->id();
  const OrderId old_ask = quotes[1]->id();

  // The mid moves two ticks: both quotes are canceled, and replaced on the next update once gone.
  f.h.node().on_book(books.update("49999.52", "50000.52", f.h.clock().now_ns()));
  f.step_ms(20);
  EXPECT_EQ(f.h.node().manager().find(old_bid)->status(), OrderStatus::Canceled);
  EXPECT_EQ(f.h.node().manager().find(old_ask)->status(), OrderStatus::Canceled);
  f.h.node().on_book(books.update("49999.52", "50000.52", f.h.clock().now_ns()));
  f.step_ms(20);
  quotes = open();
  ASSERT_EQ(quotes.size(), 2u);
  EXPECT_EQ(quotes[0]->spec().price, px("50000.01"));
  EXPECT_EQ(quotes[1]->spec().price, px("50000.03"));
  EXPECT_EQ(f.h.node().manager().orders_for_strategy(StrategyId::from("mm")).size(), 4u);

  f.host().stop();  // the quoter cancels its quotes on stop
  f.step_ms(20);
  EXPECT_TRUE(open().empty());
}

// The trade log: one "Strategy order" and one "Strategy fill" line per order and fill (info in paper), at
// most trade_log_burst of each per window of event time; the next line after a gap counts the left-out ones.
TEST(StrategyHost, OrdersAndFillsAreLoggedRateLimitedAndCounted) {
  std::ostringstream out;
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(out);
  auto logger = std::make_shared<spdlog::logger>("capture", sink);
  logger->set_level(spdlog::level::debug);
  logger->set_pattern("%l %v");
  const auto previous = spdlog::default_logger();
  spdlog::set_default_logger(logger);
  struct Restore {
    std::shared_ptr<spdlog::logger> p;
    ~Restore() { spdlog::set_default_logger(p); }
  } restore{previous};

  HostFixture f;
  f.opts.mode = TradingMode::Paper;
  f.opts.trade_log_burst = 2;
  f.opts.trade_log_window_ms = 1000;
  ASSERT_TRUE(f.start_node());
  auto s = std::make_unique<Scripted>();
  s->bar = [&](StrategyContext& c, const Bar& b) { ASSERT_TRUE(c.submit(market(b.instrument, Side::Buy, q("0.01")))); };
  f.host().add("logged", std::move(s), {f.id(0)});
  f.host().start();
  const StrategyId id = StrategyId::from("logged");
  for (const char* c : {"50000", "50010", "50020", "50030"}) f.send_bar(0, c);  // 4 orders within 1 s
  const auto count = [&](const std::string& needle) {
    const std::string text = out.str();
    std::size_t n = 0;
    for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
    return n;
  };
  ASSERT_EQ(f.host().stats(id)->fills, 4u);
  EXPECT_EQ(count("info Strategy order strategy=logged "), 2u) << out.str();
  EXPECT_EQ(count("info Strategy fill strategy=logged "), 2u) << out.str();
  EXPECT_NE(out.str().find("side=buy type=market tif=gtc qty=0.01 price=market"), std::string::npos) << out.str();
  EXPECT_NE(out.str().find("qty=0.01 price="), std::string::npos);
  EXPECT_NE(out.str().find("position=0.01 realized_pnl=0 net_pnl="), std::string::npos) << out.str();
  EXPECT_NE(out.str().find("position=0.02 realized_pnl=0 net_pnl="), std::string::npos) << out.str();
  EXPECT_EQ(count("suppressed="), 0u);

  f.step_ms(1000);  // a new window: the next lines say what was left out
  f.send_bar(0, "50040");
  EXPECT_EQ(f.host().stats(id)->fills, 5u);
  EXPECT_EQ(count("Strategy order strategy=logged "), 3u) << out.str();
  EXPECT_EQ(count("Strategy fill strategy=logged "), 3u) << out.str();
  EXPECT_EQ(count(" suppressed=2"), 2u) << out.str();
  EXPECT_NE(out.str().find("position=0.05 realized_pnl=0 net_pnl="), std::string::npos) << out.str();
  f.host().stop();
  EXPECT_NE(out.str().find("Strategy stopped strategy=logged signals=5 submitted=5 fills=5 errors=0"), std::string::npos)
      << out.str();
}

// In a backtest the same lines are debug: a backtest of thousands of trades does not flood the log.
TEST(StrategyHost, InABacktestTheTradeLogIsDebug) {
  std::ostringstream out;
  auto logger = std::make_shared<spdlog::logger>("capture", std::make_shared<spdlog::sinks::ostream_sink_mt>(out));
  logger->set_level(spdlog::level::debug);
  logger->set_pattern("%l %v");
  const auto previous = spdlog::default_logger();
  spdlog::set_default_logger(logger);
  struct Restore {
    std::shared_ptr<spdlog::logger> p;
    ~Restore() { spdlog::set_default_logger(p); }
  } restore{previous};
  HostFixture f;  // Backtest
  ASSERT_TRUE(f.start_node());
  auto s = std::make_unique<Scripted>();
  s->bar = [&](StrategyContext& c, const Bar& b) { ASSERT_TRUE(c.submit(market(b.instrument, Side::Buy, q("0.01")))); };
  f.host().add("bt", std::move(s), {f.id(0)});
  f.host().start();
  f.send_bar(0, "50000");
  EXPECT_NE(out.str().find("debug Strategy order strategy=bt "), std::string::npos) << out.str();
  EXPECT_NE(out.str().find("debug Strategy fill strategy=bt "), std::string::npos) << out.str();
  EXPECT_EQ(out.str().find("info Strategy fill"), std::string::npos) << out.str();
  f.host().stop();
}

TEST(StrategyHost, RoutesMarketDataByInstrumentAndOrderEventsByStrategy) {
  HostFixture f;
  ASSERT_TRUE(f.start_node());
  auto a = std::make_unique<Scripted>();
  auto b = std::make_unique<Scripted>();
  Scripted& sa = *a;
  Scripted& sb = *b;
  SubmitResult second = Err{SubmitRejection{}};
  sa.bar = [&](StrategyContext& c, const Bar& bb) {
    EXPECT_TRUE(c.submit(market(bb.instrument, Side::Buy, q("0.01"))));
    EXPECT_EQ(sa.count("order:"), 0u);  // the order's updates wait until this callback returned
    second = c.submit(market(f.id(1), Side::Buy, q("0.01")));  // not its instrument
  };
  f.host().add("a", std::move(a), {f.id(0)});
  f.host().add("b", std::move(b), {f.id(1)});
  f.host().start();

  Bar forming = bar(f.id(0), f.h.clock().now_ns(), "50000");
  forming.closed = false;
  f.h.node().on_bar(forming);
  EXPECT_EQ(sa.count("bar"), 0u);  // closed bars only
  f.send_bar(0, "50000");
  EXPECT_EQ(sa.count("bar:"), 1u);
  EXPECT_EQ(sb.count("bar:"), 0u);
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().kind, SubmitRejectKind::InvalidSignal);
  EXPECT_EQ(second.error().signal_reason, SignalRejectReason::UnknownInstrument);
  EXPECT_GE(sa.count("order:"), 2u);
  EXPECT_EQ(sa.count("fill"), 1u);
  EXPECT_EQ(sb.count("order:"), 0u);
  EXPECT_EQ(sb.count("fill"), 0u);
  EXPECT_EQ(sa.events[1], "bar:" + f.id(0).to_string());
  EXPECT_EQ(sa.events[2], "order:1");
  ASSERT_EQ(sa.fills.size(), 1u);  // a fill deferred or not carries the venue's figures
  EXPECT_EQ(sa.fills[0].quantity, q("0.01"));
  EXPECT_TRUE(sa.fills[0].price.is_positive());
  EXPECT_FALSE(sa.fills[0].trade_id.empty());
  EXPECT_EQ(sa.events.back(), "fill");  // after the order's updates
  EXPECT_EQ(sa.ctx->position(f.id(0)), q("0.01"));
  EXPECT_EQ(sb.ctx->position(f.id(0)), Quantity::zero());
  const auto orders = orders_of(f, "a");
  ASSERT_EQ(orders.size(), 1u);
  EXPECT_EQ(orders[0]->spec().strategy_id, StrategyId::from("a"));  // stamped by the host

  // A trade on instrument 1 reaches b only; b's cancel of a's order is refused.
  f.h.node().on_trade(TradeTick{f.id(1), px("50000"), q("1"), Side::Buy, TradeId::from("t1"), f.h.clock().now_ns(),
                                f.h.clock().now_ns()});
  EXPECT_EQ(sb.count("trade:"), 1u);
  EXPECT_EQ(sa.count("trade:"), 0u);
  EXPECT_EQ(sb.ctx->cancel(orders[0]->id()), CancelOutcome::UnknownOrder);
  EXPECT_EQ(sa.ctx->cancel(orders[0]->id()), CancelOutcome::NotOpen);  // filled
  const auto* st = f.host().stats(StrategyId::from("a"));
  EXPECT_EQ(st->submitted, 1u);
  EXPECT_EQ(st->rejected_for(SubmitRejectKind::InvalidSignal), 1u);
}

// Strategy::wants_order_updates / wants_fills: an opt-out skips only those callbacks; the position, the
// fill count and the other strategies' events are as before.
TEST(StrategyHost, AStrategyThatOptsOutOfOrderEventsStillTracksItsFills) {
  HostFixture f;
  ASSERT_TRUE(f.start_node());
  auto quiet = std::make_unique<Scripted>();
  auto fills_only = std::make_unique<Scripted>();
  auto loud = std::make_unique<Scripted>();
  Scripted& sq = *quiet;
  Scripted& sf = *fills_only;
  Scripted& sl = *loud;
  sq.order_updates = sq.want_fills = false;
  sf.order_updates = false;
  for (Scripted* s : {&sq, &sf, &sl})
    s->bar = [](StrategyContext& c, const Bar& b) { EXPECT_TRUE(c.submit(market(b.instrument, Side::Buy, q("0.01")))); };
  f.host().add("quiet", std::move(quiet), {f.id(0)});
  f.host().add("fills_only", std::move(fills_only), {f.id(0)});
  f.host().add("loud", std::move(loud), {f.id(0)});
  f.host().start();
  f.send_bar(0, "50000");

  EXPECT_EQ(sq.count("order:"), 0u);
  EXPECT_EQ(sq.count("fill"), 0u);
  EXPECT_EQ(sf.count("order:"), 0u);
  EXPECT_EQ(sf.count("fill"), 1u);
  EXPECT_GE(sl.count("order:"), 2u);
  EXPECT_EQ(sl.count("fill"), 1u);
  for (const char* name : {"quiet", "fills_only", "loud"}) {
    EXPECT_EQ(f.host().position(StrategyId::from(name), f.id(0)), q("0.01")) << name;
    EXPECT_EQ(f.host().stats(StrategyId::from(name))->fills, 1u) << name;
  }
  EXPECT_EQ(sq.ctx->position(f.id(0)), q("0.01"));
}

// With no strategy wanting order updates, updates reach none (fills still move the position).
TEST(StrategyHost, NoStrategyWantingUpdatesSkipsThemAll) {
  HostFixture f;
  ASSERT_TRUE(f.start_node());
  auto quiet = std::make_unique<Scripted>();
  Scripted& sq = *quiet;
  sq.order_updates = false;
  sq.bar = [](StrategyContext& c, const Bar& b) { EXPECT_TRUE(c.submit(market(b.instrument, Side::Buy, q("0.01")))); };
  f.host().add("quiet", std::move(quiet), {f.id(0)});
  f.host().start();
  f.send_bar(0, "50000");
  EXPECT_EQ(sq.count("order:"), 0u);
  EXPECT_EQ(sq.count("fill"), 1u);
  EXPECT_EQ(sq.ctx->position(f.id(0)), q("0.01"));
}

// The solo fast path (one strategy, one instrument no other strategy trades) routes bars as the general
// path does: closed bars of that instrument only, order events deferred while the callback runs.
TEST(StrategyHost, ASoloStrategyGetsTheClosedBarsOfItsInstrumentOnly) {
  HostFixture f;
  ASSERT_TRUE(f.start_node());
  auto a = std::make_unique<Scripted>();
  Scripted& sa = *a;
  sa.bar = [&](StrategyContext& c, const Bar& bb) {
    EXPECT_TRUE(c.submit(market(bb.instrument, Side::Buy, q("0.01"))));
    EXPECT_EQ(sa.count("order:"), 0u);  // deferred until the callback returned
  };
  f.host().add("a", std::move(a), {f.id(0), f.id(0)});  // a repeated instrument is still one route
  f.host().add("idle", std::make_unique<Scripted>(), {});  // no instruments: takes no bars from it
  f.host().start();

  Bar forming = bar(f.id(0), f.h.clock().now_ns(), "50000");
  forming.closed = false;
  f.h.node().on_bar(forming);
  f.send_bar(1, "50000");
  EXPECT_EQ(sa.count("bar"), 0u);
  f.send_bar(0, "50000");
  EXPECT_EQ(sa.count("bar:"), 1u);
  ASSERT_GE(sa.events.size(), 3u);
  EXPECT_EQ(sa.events[2], "order:1");
  EXPECT_EQ(sa.events.back(), "fill");
  EXPECT_EQ(sa.ctx->position(f.id(0)), q("0.01"));
}

// Where the fast path must not be taken, every interested strategy still gets the bar, in the order added.
TEST(StrategyHost, BarsReachEveryStrategyOfTheirInstrumentWhenNoneIsSolo) {
  {  // two strategies on one instrument
    HostFixture f;
    ASSERT_TRUE(f.start_node());
    std::vector<std::string> seen;
    auto a = std::make_unique<Scripted>();
    auto b = std::make_unique<Scripted>();
    a->bar = [&](StrategyContext&, const Bar&) { seen.push_back("a"); };
    b->bar = [&](StrategyContext&, const Bar&) { seen.push_back("b"); };
    f.host().add("a", std::move(a), {f.id(0)});
    f.host().add("b", std::move(b), {f.id(0)});
    f.host().start();
    f.send_bar(1, "50000");
    f.send_bar(0, "50000");
    EXPECT_EQ(seen, (std::vector<std::string>{"a", "b"}));
  }
  {  // one strategy on two instruments
    HostFixture f;
    ASSERT_TRUE(f.start_node());
    auto a = std::make_unique<Scripted>();
    Scripted& sa = *a;
    f.host().add("a", std::move(a), {f.id(0), f.id(1)});
    f.host().start();
    f.send_bar(1, "50000");
    f.send_bar(0, "50000");
    EXPECT_EQ(sa.count("bar:" + f.id(1).to_string()), 1u);
    EXPECT_EQ(sa.count("bar:" + f.id(0).to_string()), 1u);
  }
  {  // a second strategy on another instrument, added after the first
    HostFixture f;
    ASSERT_TRUE(f.start_node());
    auto a = std::make_unique<Scripted>();
    auto b = std::make_unique<Scripted>();
    Scripted& sa = *a;
    Scripted& sb = *b;
    f.host().add("a", std::move(a), {f.id(0)});
    f.host().add("b", std::move(b), {f.id(1)});
    f.host().start();
    f.send_bar(1, "50000");
    f.send_bar(0, "50000");
    f.send_bar(0, "50000");
    EXPECT_EQ(sa.count("bar:" + f.id(0).to_string()), 2u);
    EXPECT_EQ(sa.count("bar:" + f.id(1).to_string()), 0u);
    EXPECT_EQ(sb.count("bar:" + f.id(1).to_string()), 1u);
    EXPECT_EQ(sb.count("bar:" + f.id(0).to_string()), 0u);
  }
}

// Positions are kept per instrument (the last one filled is looked at first): fills alternating between
// instruments each move their own.
TEST(StrategyHost, PositionsOfSeveralInstrumentsAreKeptApart) {
  HostFixture f;
  ASSERT_TRUE(f.start_node());
  auto a = std::make_unique<Scripted>();
  Scripted& sa = *a;
  sa.bar = [&](StrategyContext& c, const Bar& bb) {
    const bool first = bb.instrument == f.id(0);
    EXPECT_TRUE(c.submit(market(bb.instrument, Side::Buy, q(first ? "0.01" : "0.02"))));
  };
  f.host().add("a", std::move(a), {f.id(0), f.id(1)});
  f.host().start();
  EXPECT_EQ(sa.ctx->position(f.id(0)), Quantity::zero());
  f.send_bar(0, "50000");
  f.send_bar(1, "50000");
  f.send_bar(0, "50000");
  EXPECT_EQ(sa.ctx->position(f.id(0)), q("0.02"));
  EXPECT_EQ(sa.ctx->position(f.id(1)), q("0.02"));
  EXPECT_EQ(f.host().position(StrategyId::from("a"), f.id(1)), q("0.02"));
  EXPECT_EQ(sa.fills.size(), 3u);
}

TEST(StrategyHost, UnsizedSignalsAreSizedAndRoundedAndAZeroSizeIsATypedRejection) {
  HostFixture f;
  f.config().sizing.method = config::SizingMethod::FixedNotional;
  f.config().sizing.notional = Money::from_string("123");  // 0.00246 at 50000: 0.002 on the 0.001 step
  ASSERT_TRUE(f.start_node());
  auto s = std::make_unique<Scripted>();
  Scripted& sc = *s;
  f.host().add("sz", std::move(s), {f.id(0)});
  f.host().start();
  auto r = sc.ctx->submit(market(f.id(0), Side::Buy, std::nullopt));
  ASSERT_TRUE(r) << r.error().detail;
  f.step_ms(20);
  const Order* o = f.h.node().manager().find(*r);
  ASSERT_NE(o, nullptr);
  EXPECT_EQ(o->quantity(), q("0.002"));
  EXPECT_EQ(o->status(), OrderStatus::Filled);
  EXPECT_EQ(sc.ctx->position(f.id(0)), q("0.002"));

  f.host_.reset();  // a new host with a sizer that rounds to zero
  f.config().sizing.notional = Money::from_string("20");  // 0.0004: below the step
  auto s2 = std::make_unique<Scripted>();
  Scripted& sc2 = *s2;
  f.host().add("sz2", std::move(s2), {f.id(0)});
  f.host().start();
  auto zero = sc2.ctx->submit(market(f.id(0), Side::Buy, std::nullopt));
  ASSERT_FALSE(zero);
  EXPECT_EQ(zero.error().kind, SubmitRejectKind::InvalidSignal);
  EXPECT_EQ(zero.error().signal_reason, SignalRejectReason::SizeRoundsToZero);
  EXPECT_NE(zero.error().detail.find("size_rounds_to_zero"), std::string::npos) << zero.error().detail;
  const auto* st = f.host().stats(StrategyId::from("sz2"));
  EXPECT_EQ(st->rejected_for(SubmitRejectKind::InvalidSignal), 1u);
  EXPECT_EQ(st->submitted, 0u);
  EXPECT_TRUE(orders_of(f, "sz2").empty());
}

TEST(StrategyHost, RiskDenialsAndHaltsMapToTypedRejections) {
  HostFixture f;
  f.h.config().risk.max_order_notional = Money::from_units(1'000);
  ASSERT_TRUE(f.h.restart());
  auto s = std::make_unique<Scripted>();
  Scripted& sc = *s;
  f.host().add("r", std::move(s), {f.id(0)});
  f.host().start();
  auto big = sc.ctx->submit(market(f.id(0), Side::Buy, q("0.1")));  // ~5000 USDT
  ASSERT_FALSE(big);
  EXPECT_EQ(big.error().kind, SubmitRejectKind::RiskDenied);
  EXPECT_NE(big.error().detail.find("max_order_notional"), std::string::npos);
  f.h.node().risk().trip_breaker(TripReason::Manual, "test", f.h.clock().now_ns());
  auto halted = sc.ctx->submit(market(f.id(0), Side::Buy, q("0.001")));
  ASSERT_FALSE(halted);
  EXPECT_EQ(halted.error().kind, SubmitRejectKind::TradingHalted);
  auto invalid = sc.ctx->submit(market(f.id(0), Side::Buy, q("-1")));
  ASSERT_FALSE(invalid);
  EXPECT_EQ(invalid.error().kind, SubmitRejectKind::InvalidSignal);
  EXPECT_EQ(invalid.error().signal_reason, SignalRejectReason::QuantityNotPositive);
}

TEST(StrategyHost, TimersFireInEventTimeAndASecondSetReplacesThePendingOne) {
  HostFixture f;
  ASSERT_TRUE(f.start_node());
  auto s = std::make_unique<Scripted>();
  Scripted& sc = *s;
  UnixNanos t0 = 0;
  sc.start = [&](StrategyContext& c) {
    t0 = c.now_ns();
    c.set_timer("a", t0 + 100 * kNanosPerMilli);
    c.set_timer("b", t0 + 50 * kNanosPerMilli);
    c.set_timer("a", t0 + 300 * kNanosPerMilli);  // replaces the first "a"
  };
  f.host().add("t", std::move(s), {f.id(0)});
  f.host().start();
  f.step_ms(99);
  EXPECT_EQ(sc.count("timer:"), 1u);
  f.step_ms(150);
  EXPECT_EQ(sc.count("timer:"), 1u);  // the replaced "a" at +100 ms did not fire
  f.step_ms(100);
  ASSERT_EQ(sc.count("timer:"), 2u);
  EXPECT_EQ(sc.events[1], "timer:b");
  EXPECT_EQ(sc.events[2], "timer:a");
  EXPECT_EQ(sc.timer_times[0], t0 + 50 * kNanosPerMilli);
  EXPECT_EQ(sc.timer_times[1], t0 + 300 * kNanosPerMilli);
  EXPECT_EQ(f.host().stats(StrategyId::from("t"))->timers, 2u);
}

TEST(StrategyHost, AThrowingStrategyIsHaltedAloneAndItsOrdersCanceled) {
  HostFixture f;
  ASSERT_TRUE(f.start_node());
  auto bad = std::make_unique<Scripted>();
  auto good = std::make_unique<Scripted>();
  Scripted& sb = *bad;
  Scripted& sg = *good;
  OrderId resting = 0;
  sb.start = [&](StrategyContext& c) {
    Signal s = market(f.id(0), Side::Buy, q("0.01"));
    s.type = OrderType::Limit;
    s.limit_price = px("49000");
    auto r = c.submit(s);
    ASSERT_TRUE(r) << r.error().detail;
    resting = *r;
  };
  sb.bar = [](StrategyContext&, const Bar&) { throw std::runtime_error("indicator blew up"); };
  sg.bar = [&](StrategyContext& c, const Bar& b) { EXPECT_TRUE(c.submit(market(b.instrument, Side::Buy, q("0.01")))); };
  f.host().add("bad", std::move(bad), {f.id(0)});
  f.host().add("good", std::move(good), {f.id(0)});
  f.host().start();
  f.step_ms(20);
  ASSERT_EQ(f.h.node().manager().find(resting)->status(), OrderStatus::Accepted);

  f.send_bar(0, "50000");
  EXPECT_EQ(f.host().state(StrategyId::from("bad")), StrategyRunState::Halted);
  EXPECT_EQ(f.host().stats(StrategyId::from("bad"))->errors, 1u);
  EXPECT_EQ(f.h.node().manager().find(resting)->status(), OrderStatus::Canceled);
  EXPECT_EQ(f.host().state(StrategyId::from("good")), StrategyRunState::Running);
  f.send_bar(0, "50001");
  EXPECT_EQ(sb.count("bar:"), 1u);  // nothing more for the halted one
  EXPECT_EQ(sg.count("bar:"), 2u);
  EXPECT_EQ(orders_of(f, "good").size(), 2u);
  EXPECT_EQ(f.h.node().state(), NodeState::Ready);
  f.host().stop();
  EXPECT_EQ(sb.count("stop"), 0u);  // a halted strategy is not called again
  EXPECT_EQ(sg.count("stop"), 1u);
}

std::optional<std::string> find_python() {
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path != nullptr ? path : "/usr/bin:/bin");
  for (std::string dir; std::getline(dirs, dir, ':');) {
    const auto candidate = std::filesystem::path(dir) / "python3";
    if (::access(candidate.c_str(), X_OK) == 0) return candidate.string();
  }
  return std::nullopt;
}

TEST(StrategyHost, SynchronousExternalProgramGivesTheSameOrdersAsTheCppStrategy) {
  const auto python = find_python();
  if (!python) GTEST_SKIP() << "python3 not found in PATH";
  const auto script = test::source_dir() / "examples" / "ma_crossover.py";
  HostFixture f;
  ASSERT_TRUE(f.start_node());
  const std::map<std::string, std::string> params{{"fast", "3"}, {"slow", "8"}, {"quantity", "0.01"}, {"mode", "long_short"}};
  auto cpp = test_config("cpp", "ma_crossover", params, {f.id(0)});
  auto py = test_config("py", "", params, {f.id(0)});
  py.command = {*python, script.string()};
  const auto registry = StrategyRegistry::with_builtins();
  ASSERT_TRUE(f.host().add_from_config(cpp, registry));
  auto added = f.host().add_from_config(py, registry);
  ASSERT_TRUE(added) << added.error();
  EXPECT_TRUE(f.host().is_external(StrategyId::from("py")));
  f.host().start();
  // A deterministic walk on the 0.01 tick around 50000.
  std::uint64_t state = 7;
  std::int64_t cents = 5'000'000;
  for (int i = 0; i < 300; ++i) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    cents += static_cast<std::int64_t>((state >> 33) % 2001) - 1000;
    const std::string close = Price::from_raw(cents * 10'000'000).to_string();
    f.send_bar(0, close.c_str());
  }
  f.host().stop();
  const auto a = orders_of(f, "cpp");
  const auto b = orders_of(f, "py");
  EXPECT_GE(a.size(), 10u);
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    SCOPED_TRACE("order " + std::to_string(i));
    EXPECT_EQ(a[i]->side(), b[i]->side());
    EXPECT_EQ(a[i]->quantity(), b[i]->quantity());
    EXPECT_EQ(a[i]->spec().reduce_only, b[i]->spec().reduce_only);
    EXPECT_EQ(a[i]->spec().tag, b[i]->spec().tag);
    EXPECT_EQ(a[i]->status(), b[i]->status());
  }
  EXPECT_EQ(f.host().position(StrategyId::from("cpp"), f.id(0)), f.host().position(StrategyId::from("py"), f.id(0)));
  EXPECT_EQ(f.host().stats(StrategyId::from("py"))->errors, 0u);
}

TEST(StrategyHost, ADeadSynchronousProgramIsARiskEventThatHaltsOnlyItsStrategy) {
  HostFixture f;
  ASSERT_TRUE(f.start_node());
  auto dead = test_config("dead", "", {}, {f.id(0)});
  dead.command = {"sh", "-c", "read line; exit 3"};
  ASSERT_TRUE(f.host().add_from_config(dead, StrategyRegistry::with_builtins()));
  f.host().start();  // the start line is read, never answered: EOF
  const StrategyId id = StrategyId::from("dead");
  EXPECT_EQ(f.host().state(id), StrategyRunState::Halted);
  EXPECT_EQ(f.host().stats(id)->deaths, 1u);
  EXPECT_EQ(f.host().stats(id)->errors, 1u);
  EXPECT_EQ(f.host().stats(id)->restarts, 0u);
  f.send_bar(0, "50000");  // nothing reaches it, nothing breaks
  EXPECT_EQ(f.h.node().state(), NodeState::Ready);
}

TEST(StrategyHost, AProgramThatDiesWithAnOpenOrderHasItCanceled) {
  HostFixture f;
  ASSERT_TRUE(f.start_node());
  const std::string symbol(f.id(0).symbol.view());
  const std::string signal = R"({"type":"signal","signal":{"venue":"binance","symbol":")" + symbol +
                             R"(","market":"linear_perp","side":"buy","type":"limit","quantity":"0.01","price":"49000"}})";
  auto cfg = test_config("ext", "", {}, {f.id(0)});
  // Answers the start line with a resting bid, then exits on the next line (a position or a bar).
  cfg.command = {"sh", "-c", "read l; echo '" + signal + "'; echo '{\"type\":\"done\"}'; read l; exit 3"};
  ASSERT_TRUE(f.host().add_from_config(cfg, StrategyRegistry::with_builtins()));
  f.host().start();
  const StrategyId id = StrategyId::from("ext");
  const auto orders = orders_of(f, "ext");
  ASSERT_EQ(orders.size(), 1u);
  f.step_ms(20);
  if (f.host().state(id) == StrategyRunState::Running) f.send_bar(0, "50000");
  EXPECT_EQ(f.host().state(id), StrategyRunState::Halted);
  EXPECT_EQ(f.host().stats(id)->deaths, 1u);
  f.step_ms(20);
  EXPECT_EQ(orders[0]->status(), OrderStatus::Canceled);
  EXPECT_EQ(orders[0]->spec().strategy_id, id);
}

TEST(StrategyHost, ARestartResumesEachStrategysPositionFromTheJournal) {
  HostFixture f;
  ASSERT_TRUE(f.start_node());
  auto s = std::make_unique<Scripted>();
  Scripted& sc = *s;
  f.host().add("p", std::move(s), {f.id(0)});
  f.host().start();
  ASSERT_TRUE(sc.ctx->submit(market(f.id(0), Side::Sell, q("0.02"))));
  f.step_ms(20);
  ASSERT_EQ(sc.ctx->position(f.id(0)), q("-0.02"));
  f.host().stop();
  f.host_.reset();  // the host goes before its node

  ASSERT_TRUE(f.h.restart());
  f.host().add("p", std::make_unique<Scripted>(), {f.id(0)});
  f.host().add("other", std::make_unique<Scripted>(), {f.id(0)});
  f.host().start();
  EXPECT_EQ(f.host().position(StrategyId::from("p"), f.id(0)), q("-0.02"));
  EXPECT_EQ(f.host().position(StrategyId::from("other"), f.id(0)), Quantity::zero());
}

TEST(StrategyHost, ASupervisedProgramThatDiesIsCountedItsOrdersCanceledAndRestarted) {
  boost::asio::io_context io;
  StrategyHostOptions o;
  o.io = &io;
  o.restart_initial_ms = 20;
  HostFixture f(2, o);
  f.opts.mode = TradingMode::Paper;
  f.opts.synchronous_external = false;
  ASSERT_TRUE(f.start_node());
  const std::string symbol(f.id(0).symbol.view());
  const std::string signal = R"({"type":"signal","signal":{"venue":"binance","symbol":")" + symbol +
                             R"(","market":"linear_perp","side":"buy","type":"limit","quantity":"0.01","price":"49000"}})";
  auto cfg = test_config("sup", "", {}, {f.id(0)});
  // Each run: a resting bid in answer to the start line, a line on stderr, then death on the next line.
  cfg.command = {"sh", "-c", "read l; echo '" + signal + "'; echo 'giving up' >&2; read l; exit 3"};
  ASSERT_TRUE(f.host().add_from_config(cfg, StrategyRegistry::with_builtins()));
  const StrategyId id = StrategyId::from("sup");
  f.host().start();
  auto run_until = [&](const std::function<bool()>& pred) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!pred() && std::chrono::steady_clock::now() < deadline) {
      io.run_for(std::chrono::milliseconds(5));
      f.step_ms(1);
    }
    return pred();
  };
  ASSERT_TRUE(run_until([&] { return f.host().stats(id)->deaths >= 1; }));
  EXPECT_GE(f.host().stats(id)->restarts, 1u);
  EXPECT_EQ(f.host().state(id), StrategyRunState::Running);  // restarting, not halted
  ASSERT_TRUE(run_until([&] { return orders_of(f, "sup").size() >= 2; }));  // the restarted run trades again
  f.step_ms(20);
  const auto orders = orders_of(f, "sup");
  EXPECT_EQ(orders[0]->status(), OrderStatus::Canceled);  // canceled when its program died
  const auto deaths = f.host().stats(id)->deaths;
  f.host().stop();
  EXPECT_EQ(f.host().state(id), StrategyRunState::Stopped);
  io.run_for(std::chrono::milliseconds(100));  // the supervisor ends and reaps its child
  EXPECT_EQ(f.host().stats(id)->deaths, deaths);  // an exit after stop is not a death
  f.host_.reset();
}

TEST(StrategyHost, ConfigErrorsNameTheEntry) {
  HostFixture f;
  const auto registry = StrategyRegistry::with_builtins();
  auto bad = test_config("ma", "ma_crossover", {{"fast", "x"}}, {f.id(0)});
  auto r = f.host().add_from_config(bad, registry);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().find("strategies[ma].params.fast"), std::string::npos) << r.error();
  auto ok = test_config("ma", "ma_crossover", {}, {f.id(0)});
  ASSERT_TRUE(f.host().add_from_config(ok, registry));
  EXPECT_FALSE(f.host().add_from_config(ok, registry));  // duplicate
  auto off = test_config("off", "ma_crossover", {}, {f.id(0)});
  off.enabled = false;
  EXPECT_FALSE(f.host().add_from_config(off, registry));
  StrategyHostOptions paper;  // supervised programs need the event loop
  StrategyHost host(f.h.node(), f.h.clock(), f.scheduler, paper);
  auto ext = test_config("ext", "", {}, {f.id(0)});
  ext.command = {"true"};
  auto no_io = host.add_from_config(ext, registry);
  ASSERT_FALSE(no_io);
  EXPECT_NE(no_io.error().find("io_context"), std::string::npos);
}

}  // namespace
}  // namespace tradingd
