// Property tests: thousands of seeded runs of random books, trades and order flows against the simulated
// venue, checked by an independent oracle that replays the same feed:
//  - a taker never buys above (sells below) the book: each slice is at a level the feed offered, within
//    the order's limit, and our takers never take more from a level than the feed put there;
//  - a maker fill is at the order's own limit and only when the market printed or offered at or through
//    it; our makers never get more than the print's size or the size the feed added;
//  - every fill is within its order's limit and no order fills beyond its quantity;
//  - cash + position value is conserved up to fees, exactly: spot quote/base totals move by exactly the
//    fills' notionals and quantities; perp wallet minus cost basis moves by exactly −Σ signed notional;
//  - locks never go negative and are all released once every order is final;
//  - candle mode: fills inside the bar's range, makers at their limit, under the participation cap.
#include <gtest/gtest.h>

#include <cstdio>
#include <map>

#include "execution/sim/latency_model.h"
#include "tests/execution/sim/scenario.h"

namespace tradingd::sim::test {
namespace {

constexpr std::int64_t kTick = 10'000'000;  // 0.01
constexpr std::int64_t kStep = 1'000'000;   // 0.001

// How often each path fired across all runs: a property test that exercises nothing proves nothing.
struct Coverage {
  std::uint64_t takers = 0, trade_makers = 0, crossing_makers = 0, rejects = 0, expiries = 0, cancels = 0;
};
Coverage g_cov;

struct OrderInfo {
  Side side = Side::Buy;
  std::optional<Price> limit;
  Quantity qty;
};

class Oracle {
 public:
  explicit Oracle(bool perp) : perp_(perp) {}

  // The feed as the market published it (no consumption), and what our takers may still take per level.
  OrderBook feed;
  std::map<std::pair<int, std::int64_t>, Quantity> avail;  // (side, price raw)
  void set_level(Side side, Price p, Quantity q) {
    feed.set_level(side, p, q);
    avail[{static_cast<int>(side), p.raw()}] = q;
  }
  void snapshot(std::span<const BookLevel> bids, std::span<const BookLevel> asks) {
    feed.apply_snapshot(bids, asks);
    avail.clear();
    for (const auto& l : bids) avail[{0, l.price.raw()}] = l.size;
    for (const auto& l : asks) avail[{1, l.price.raw()}] = l.size;
  }
  void check_taker(const OrderFilled& f, const char* ctx) {
    const Side far = opposite(f.side);
    auto it = avail.find({static_cast<int>(far), f.last_price.raw()});
    ASSERT_TRUE(it != avail.end() && it->second.is_positive())
        << ctx << ": taker " << to_string(f.side) << " at " << f.last_price << " which the feed never offered";
    it->second -= f.last_quantity;
    ASSERT_FALSE(it->second.is_negative()) << ctx << ": takers took more than the level held at " << f.last_price;
  }
  void check_limits(const OrderFilled& f, const std::map<std::string, OrderInfo>& orders) {
    const auto& o = orders.at(f.client_order_id.str());
    if (o.limit && f.side == Side::Buy) {
      ASSERT_LE(f.last_price, *o.limit) << "buy above its limit";
    }
    if (o.limit && f.side == Side::Sell) {
      ASSERT_GE(f.last_price, *o.limit) << "sell below its limit";
    }
    if (f.liquidity == LiquiditySide::Maker) {
      ASSERT_TRUE(o.limit && f.last_price == *o.limit) << "maker fill not at its limit";
    }
  }
  void account_fill(const OrderFilled& f) {
    const Money n = notional(f.last_price, f.last_quantity, Rounding::Nearest);
    signed_notional += f.side == Side::Buy ? n : -n;
    if (f.fee_asset.view() == "BTC") fees_base += f.fee;
    else fees_quote += f.fee;
    base_delta += f.side == Side::Buy ? fixed_cast<Money>(f.last_quantity) : -fixed_cast<Money>(f.last_quantity);
  }
  Money signed_notional, fees_quote, fees_base, base_delta;

 private:
  bool perp_;
};

struct Driver {
  explicit Driver(std::uint64_t seed, bool perp)
      : rng(seed), oracle(perp), perp(perp), s(make_config(seed, perp)) {}

  static SimVenueConfig make_config(std::uint64_t seed, bool perp) {
    SimRng r(seed ^ 0x5eedULL);
    SimVenueConfig c = default_config(perp ? perp_instrument() : spot_instrument());
    c.instruments.front().instrument.tick_size = Price::from_raw(kTick);
    c.fill_on_touch = r.uniform_inclusive(3) == 0;
    c.queue_cancel_share = Rate::from_raw(static_cast<std::int64_t>(r.uniform_inclusive(2)) * 500'000'000);
    c.binance_fee_in_received_asset = !perp && r.uniform_inclusive(1) == 0;
    if (r.uniform_inclusive(1) == 0) {
      c.latency.order_entry_ns = static_cast<std::int64_t>(r.uniform_inclusive(20)) * kNanosPerMilli;
      c.latency.response_ns = static_cast<std::int64_t>(r.uniform_inclusive(20)) * kNanosPerMilli;
      c.latency.jitter_ns = static_cast<std::int64_t>(r.uniform_inclusive(5)) * kNanosPerMilli;
    }
    c.seed = seed;
    c.starting_balances = {{Asset::from("USDT"), Money::from_units(20'000)}, {Asset::from("BTC"), Money::from_units(50)}};
    return c;
  }

  std::int64_t rand(std::int64_t lo, std::int64_t hi) {
    return lo + static_cast<std::int64_t>(rng.uniform_inclusive(static_cast<std::uint64_t>(hi - lo)));
  }
  Price best(Side side) {
    auto l = side == Side::Buy ? oracle.feed.best_bid() : oracle.feed.best_ask();
    if (l) return l->price;
    return Price::from_raw(side == Side::Buy ? 100 * fixed::kScale - kTick : 100 * fixed::kScale + kTick);
  }

  // New fills since the last look, classified against the event that produced them.
  void check_new_fills(UnixNanos now, int event, const std::vector<BookLevel>& event_levels, Side event_side,
                       const TradeTick* trade) {
    const auto& log = s.venue().fill_log();
    Quantity maker_buy, maker_sell;
    for (; seen < log.size(); ++seen) {
      const OrderFilled& f = log[seen];
      oracle.check_limits(f, orders);
      oracle.account_fill(f);
      if (f.liquidity == LiquiditySide::Taker) {
        ++g_cov.takers;
        oracle.check_taker(f, "taker");
        continue;
      }
      ASSERT_EQ(f.ts_event_ns, now) << "a maker fill needs a market event";
      ++(event == 1 ? g_cov.trade_makers : g_cov.crossing_makers);
      if (event == 1) {  // trade
        ASSERT_NE(trade, nullptr);
        if (f.side == Side::Buy) {
          ASSERT_LE(trade->price, f.last_price) << "maker buy without a print at or below it";
          maker_buy += f.last_quantity;
        } else {
          ASSERT_GE(trade->price, f.last_price) << "maker sell without a print at or above it";
          maker_sell += f.last_quantity;
        }
      } else if (event == 2) {  // book update on event_side
        ASSERT_EQ(f.side, opposite(event_side)) << "crossing fill from the wrong side";
        bool offered = false;
        for (const auto& l : event_levels)
          offered |= f.side == Side::Buy ? l.price <= f.last_price : l.price >= f.last_price;
        ASSERT_TRUE(offered) << "maker fill without the far side reaching its price";
        (f.side == Side::Buy ? maker_buy : maker_sell) += f.last_quantity;
      } else {
        FAIL() << "maker fill outside a trade or book event";
      }
    }
    if (trade) {
      ASSERT_LE(maker_buy, trade->size) << "makers got more than the print";
      ASSERT_LE(maker_sell, trade->size) << "makers got more than the print";
    }
    if (event == 2) {
      ASSERT_LE(maker_buy + maker_sell, added) << "makers got more than the feed added";
    }
  }

  void check_account() {
    const Money quote = s.free("USDT") + s.locked("USDT");
    ASSERT_FALSE(s.locked("USDT").is_negative());
    ASSERT_FALSE(s.locked("BTC").is_negative());
    if (!perp) {
      ASSERT_FALSE(s.free("USDT").is_negative());
      ASSERT_FALSE(s.free("BTC").is_negative());
      ASSERT_EQ(quote, Money::from_units(20'000) - oracle.signed_notional - oracle.fees_quote) << "quote not conserved";
      ASSERT_EQ(s.free("BTC") + s.locked("BTC"), Money::from_units(50) + oracle.base_delta - oracle.fees_base)
          << "base not conserved";
    } else {
      const auto pos = *s.venue().position(s.id);
      ASSERT_EQ(quote - pos.cost, Money::from_units(20'000) - oracle.signed_notional - oracle.fees_quote)
          << "wallet + position value not conserved";
      ASSERT_EQ(fixed_cast<Money>(pos.quantity), oracle.base_delta) << "position is not the sum of fills";
    }
  }

  void step() {
    t += rand(1, 10) * kNanosPerMilli;
    run_until(s.clock, s.venue(), t);
    check_new_fills(t, 0, {}, Side::Buy, nullptr);
    const auto action = rand(0, 99);
    if (action < 35) {  // book delta near the top, never crossing the feed
      const Side side = rand(0, 1) ? Side::Buy : Side::Sell;
      // A third of the time the touch is pulled (spreads widen, so orders rest inside them and later get
      // crossed); otherwise a level within 15 ticks of the far touch is set or removed.
      const bool pull_top = rand(0, 2) == 0 && oracle.feed.depth(side) > 3;
      const Price p = pull_top ? best(side)
                      : side == Side::Buy ? Price::from_raw(best(Side::Sell).raw() - rand(1, 15) * kTick)
                                          : Price::from_raw(best(Side::Buy).raw() + rand(1, 15) * kTick);
      const Quantity q =
          pull_top || rand(0, 4) == 0 ? Quantity::zero() : Quantity::from_raw(rand(1, 5000) * kStep);
      const Quantity old = oracle.feed.size_at(side, p);
      added = q > old ? q - old : Quantity::zero();
      std::vector<BookLevel> lv{{p, q}};
      oracle.set_level(side, p, q);
      BookUpdate u;
      u.instrument = s.id;
      (side == Side::Buy ? u.bids : u.asks) = lv;
      s.venue().on_book(u);
      check_new_fills(t, 2, lv, side, nullptr);
    } else if (action < 60) {  // a trade at the touch, or through it
      TradeTick tr;
      tr.instrument = s.id;
      tr.aggressor = rand(0, 1) ? Side::Buy : Side::Sell;
      const std::int64_t through = rand(0, 5) == 0 ? rand(1, 3) * kTick : 0;
      tr.price = tr.aggressor == Side::Buy ? Price::from_raw(best(Side::Sell).raw() + through)
                                           : Price::from_raw(best(Side::Buy).raw() - through);
      tr.size = Quantity::from_raw(rand(1, 3000) * kStep);
      s.venue().on_trade(tr);
      check_new_fills(t, 1, {}, Side::Buy, &tr);
    } else if (action < 92) {  // an order
      OrderRequest r;
      const std::string id = "o" + std::to_string(next_id++);
      r.client_order_id = ClientOrderId::from(id);
      r.instrument = s.id;
      r.side = rand(0, 1) ? Side::Buy : Side::Sell;
      r.quantity = Quantity::from_raw(rand(1, 2000) * kStep);
      r.reduce_only = perp && rand(0, 5) == 0;
      const auto kind = rand(0, 99);
      const Price mid = Price::from_raw((best(Side::Buy).raw() + best(Side::Sell).raw()) / 2 / kTick * kTick);
      const Price px = Price::from_raw(mid.raw() + rand(-20, 20) * kTick);
      if (kind < 20) {
        r.type = OrderType::Market;
        r.time_in_force = rand(0, 2) == 0 ? TimeInForce::Fok : TimeInForce::Ioc;
      } else if (kind < 75) {
        r.type = OrderType::Limit;
        r.price = px;
        const auto tif = rand(0, 9);
        r.time_in_force = tif < 5 ? TimeInForce::Gtc : tif < 7 ? TimeInForce::PostOnly : tif < 8 ? TimeInForce::Ioc
                                                                                                  : TimeInForce::Fok;
      } else {
        r.type = rand(0, 1) ? OrderType::StopMarket : OrderType::StopLimit;
        r.trigger_price = Price::from_raw(mid.raw() + (r.side == Side::Buy ? 1 : -1) * rand(1, 10) * kTick);
        if (r.type == OrderType::StopLimit) r.price = Price::from_raw(r.trigger_price->raw() + rand(-5, 5) * kTick);
      }
      orders[id] = OrderInfo{r.side, r.price, r.quantity};
      s.venue().submit(r);
      s.venue().advance_to(t);
      check_new_fills(t, 0, {}, Side::Buy, nullptr);
    } else if (next_id > 1) {  // cancel something
      CancelRequest c;
      c.instrument = s.id;
      c.client_order_id = ClientOrderId::from("o" + std::to_string(rand(1, next_id - 1)));
      s.venue().cancel(c);
      s.venue().advance_to(t);
      check_new_fills(t, 0, {}, Side::Buy, nullptr);
    }
    check_account();
  }

  void finish() {
    s.venue().cancel_all(std::nullopt);
    t += 1000 * kNanosPerMilli;
    run_until(s.clock, s.venue(), t);
    check_new_fills(t, 0, {}, Side::Buy, nullptr);
    check_account();
    if (!perp) {
      ASSERT_EQ(s.locked("USDT"), Money::zero()) << "quote still locked after every order ended";
    }
    ASSERT_EQ(s.locked("BTC"), Money::zero());
    for (const auto& [id, info] : orders) {
      auto r = s.order(id.c_str());
      if (!r) continue;  // rejected
      ASSERT_LE(r->filled_quantity, info.qty) << id;
      ASSERT_TRUE(is_terminal(r->status)) << id;
    }
    ASSERT_EQ(s.venue().stats().internal_errors, 0u) << s.venue().stats().last_error;
    g_cov.rejects += s.venue().stats().orders_rejected;
    g_cov.expiries += s.venue().stats().expiries;
    g_cov.cancels += s.venue().stats().cancels;
  }

  void start() {
    std::vector<BookLevel> bids, asks;
    for (int i = 1; i <= 10; ++i) {
      bids.push_back({Price::from_raw(100 * fixed::kScale - i * kTick), Quantity::from_raw(rand(1, 5000) * kStep)});
      asks.push_back({Price::from_raw(100 * fixed::kScale + i * kTick), Quantity::from_raw(rand(1, 5000) * kStep)});
    }
    oracle.snapshot(bids, asks);
    BookUpdate u;
    u.instrument = s.id;
    u.is_snapshot = true;
    u.bids = bids;
    u.asks = asks;
    s.venue().on_book(u);
  }

  SimRng rng;
  Oracle oracle;
  bool perp;
  Scenario s;
  std::map<std::string, OrderInfo> orders;
  std::size_t seen = 0;
  int next_id = 1;
  UnixNanos t = 0;
  Quantity added;
};

void run_property(std::uint64_t seed, bool perp, int steps) {
  Driver d(seed, perp);
  d.start();
  for (int i = 0; i < steps && !::testing::Test::HasFatalFailure(); ++i) d.step();
  if (!::testing::Test::HasFatalFailure()) d.finish();
}

void expect_coverage(const Coverage& c) {
  EXPECT_GT(c.takers, 10'000u);
  EXPECT_GT(c.trade_makers, 2'000u);
  EXPECT_GT(c.crossing_makers, 300u);
  EXPECT_GT(c.rejects, 1'000u);
  EXPECT_GT(c.expiries, 1'000u);
  EXPECT_GT(c.cancels, 1'000u);
  std::printf("coverage: takers=%lu trade_makers=%lu crossing_makers=%lu rejects=%lu expiries=%lu cancels=%lu\n",
              static_cast<unsigned long>(c.takers), static_cast<unsigned long>(c.trade_makers),
              static_cast<unsigned long>(c.crossing_makers), static_cast<unsigned long>(c.rejects),
              static_cast<unsigned long>(c.expiries), static_cast<unsigned long>(c.cancels));
}

TEST(SimProperty, SpotRandomBooksAndOrderFlows) {
  g_cov = {};
  for (std::uint64_t seed = 1; seed <= 2000; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    run_property(seed, false, 150);
    if (HasFatalFailure()) return;
  }
  expect_coverage(g_cov);
}

TEST(SimProperty, PerpRandomBooksAndOrderFlows) {
  g_cov = {};
  for (std::uint64_t seed = 1; seed <= 1000; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    run_property(seed, true, 150);
    if (HasFatalFailure()) return;
  }
  expect_coverage(g_cov);
}

TEST(SimProperty, CandleFillsStayInsideTheBarAndUnderTheCap) {
  for (std::uint64_t seed = 1; seed <= 1000; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    SimRng r(seed);
    auto rnd = [&](std::int64_t lo, std::int64_t hi) {
      return lo + static_cast<std::int64_t>(r.uniform_inclusive(static_cast<std::uint64_t>(hi - lo)));
    };
    SimVenueConfig cfg = default_config();
    cfg.fill_on_touch = rnd(0, 1) == 1;
    cfg.candle_participation_pct = Rate::from_units(rnd(1, 50));
    cfg.starting_balances = {{Asset::from("USDT"), Money::from_units(50'000)}, {Asset::from("BTC"), Money::from_units(50)}};
    Scenario s(cfg);
    std::map<std::string, OrderInfo> orders;
    std::int64_t close = 100 * fixed::kScale;
    std::size_t seen = 0;
    Money signed_notional, fees;
    int next_id = 1;
    for (int b = 0; b < 60; ++b) {
      // Orders decided on the last closed bar.
      for (int k = rnd(0, 3); k > 0; --k) {
        OrderRequest o;
        const std::string id = "c" + std::to_string(next_id++);
        o.client_order_id = ClientOrderId::from(id);
        o.instrument = s.id;
        o.side = rnd(0, 1) ? Side::Buy : Side::Sell;
        o.quantity = Quantity::from_raw(rnd(50, 3000) * kStep);
        const auto kind = rnd(0, 9);
        o.type = kind < 3 ? OrderType::Market : kind < 8 ? OrderType::Limit : OrderType::StopMarket;
        if (o.type == OrderType::Limit) o.price = Price::from_raw(close + rnd(-100, 100) * kTick);
        if (o.type == OrderType::StopMarket)
          o.trigger_price = Price::from_raw(close + (o.side == Side::Buy ? 1 : -1) * rnd(1, 100) * kTick);
        orders[id] = OrderInfo{o.side, o.price, o.quantity};
        s.submit(o);
      }
      const std::int64_t open = close + rnd(-20, 20) * kTick;
      const std::int64_t c = open + rnd(-80, 80) * kTick;
      const std::int64_t hi = std::max(open, c) + rnd(0, 60) * kTick;
      const std::int64_t lo = std::min(open, c) - rnd(0, 60) * kTick;
      const Quantity vol = Quantity::from_raw(rnd(0, 40000) * kStep);
      Bar bar;
      bar.instrument = s.id;
      bar.ts_open_ns = b * 60 * kNanosPerSecond;
      bar.open = Price::from_raw(open);
      bar.high = Price::from_raw(hi);
      bar.low = Price::from_raw(lo);
      bar.close = Price::from_raw(c);
      bar.volume = vol;
      s.at_ns(bar.ts_close_ns());
      s.venue().on_bar(bar);
      close = c;
      const Quantity cap = Quantity::from_raw(fixed::mul_raw(vol.raw(), cfg.candle_participation_pct.raw(), Rounding::Down) / 100);
      Quantity maker_total;
      for (const auto& log = s.venue().fill_log(); seen < log.size(); ++seen) {
        const auto& f = log[seen];
        const auto& info = orders.at(f.client_order_id.str());
        if (b > 0) {
          // Takers pay at least the bar's best price (open or trigger moved by slippage).
          if (f.liquidity == LiquiditySide::Maker) {
            // At its own limit, and only when the bar traded at or through it (a gap through a resting
            // bid fills it at the bid, which may lie above the bar: the conservative side for us).
            ASSERT_EQ(f.last_price, *info.limit);
            ASSERT_TRUE(f.side == Side::Buy ? bar.low <= f.last_price : bar.high >= f.last_price) << f.last_price;
            maker_total += f.last_quantity;
          } else {
            ASSERT_TRUE(f.side == Side::Buy ? f.last_price >= bar.low : f.last_price <= bar.high) << f.last_price;
          }
        }
        if (info.limit) {
          ASSERT_TRUE(f.side == Side::Buy ? f.last_price <= *info.limit : f.last_price >= *info.limit);
        }
        const Money n = notional(f.last_price, f.last_quantity, Rounding::Nearest);
        signed_notional += f.side == Side::Buy ? n : -n;
        fees += f.fee;
      }
      ASSERT_LE(maker_total, cap) << "participation cap exceeded in bar " << b;
      ASSERT_EQ(s.free("USDT") + s.locked("USDT"), Money::from_units(50'000) - signed_notional - fees);
      ASSERT_FALSE(s.free("USDT").is_negative());
      ASSERT_FALSE(s.free("BTC").is_negative());
    }
    ASSERT_EQ(s.venue().stats().internal_errors, 0u) << s.venue().stats().last_error;
  }
}

}  // namespace
}  // namespace tradingd::sim::test
