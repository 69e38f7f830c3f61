// Unit tests of the simulated venue's pure models: queue position, book walk, fee table and fee asset,
// RNG and latency, slippage rounding, venue error table, perp account arithmetic, fill-log rendering.
#include <gtest/gtest.h>

#include <set>
#include <span>
#include <string>
#include <vector>

#include "execution/sim/book_fill.h"
#include "execution/sim/fee_model.h"
#include "execution/sim/fill_log.h"
#include "execution/sim/latency_model.h"
#include "execution/sim/queue_model.h"
#include "execution/sim/ring_queue.h"
#include "execution/sim/sim_account.h"
#include "execution/sim/slippage_model.h"
#include "execution/sim/venue_errors.h"
#include "tests/execution/sim/scenario.h"

namespace tradingd::sim::test {
namespace {

Price P(const char* s) { return Price::from_string(s); }
Quantity Q(const char* s) { return Quantity::from_string(s); }
Money M(const char* s) { return Money::from_string(s); }
Rate R(const char* s) { return Rate::from_string(s); }

TEST(QueueModel, TradesConsumeTheQueueThenReachUs) {
  QueueState q = queue_join(Q("3"), true);
  EXPECT_EQ(queue_on_trade(q, Q("1"), false), Quantity::zero());
  EXPECT_EQ(q.ahead, Q("2"));
  EXPECT_EQ(queue_on_trade(q, Q("2.5"), false), Q("0.5"));
  EXPECT_EQ(q.ahead, Quantity::zero());
  EXPECT_EQ(queue_on_trade(q, Q("1"), false), Q("1"));
}

TEST(QueueModel, TouchIgnoresTheQueue) {
  QueueState q = queue_join(Q("3"), true);
  EXPECT_EQ(queue_on_trade(q, Q("1"), true), Q("1"));
}

TEST(QueueModel, CancelsAdvanceProRataRoundedDownToTheStep) {
  QueueState q = queue_join(Q("3"), true);
  queue_on_level_update(q, Q("9"), Rate::from_units(1), Q("0.001"));  // 6 join behind
  EXPECT_EQ(q.ahead, Q("3"));
  queue_on_level_update(q, Q("8"), Rate::from_units(1), Q("0.001"));  // 1 canceled, 1 × 3/9 = 0.333…
  EXPECT_EQ(q.ahead, Q("2.667"));                                      // advance rounded down to 0.333
  queue_on_level_update(q, Q("1"), Rate::from_units(1), Q("0.001"));  // 7 × 2.667/8 = 2.333625 → 2.333
  EXPECT_EQ(q.ahead, Q("0.334"));
  queue_on_level_update(q, Q("0.2"), Rate::zero(), Q("0.001"));  // never more ahead than displayed
  EXPECT_EQ(q.ahead, Q("0.2"));
  queue_on_level_update(q, Q("0"), Rate::zero(), Q("0.001"));
  EXPECT_EQ(q.ahead, Quantity::zero());
}

TEST(QueueModel, TradeThenMatchingBookDropIsNotACancel) {
  QueueState q = queue_join(Q("4"), true);
  queue_on_trade(q, Q("1"), false);  // ahead 3, level expected 3
  queue_on_level_update(q, Q("3"), Rate::from_units(1), Q("0.001"));
  EXPECT_EQ(q.ahead, Q("3"));
}

TEST(QueueModel, UnknownLevelCountsEntirelyAheadOnFirstSight) {
  QueueState q = queue_join(Quantity::zero(), false);
  queue_on_level_update(q, Q("5"), Rate::from_units(1), Q("0.001"));
  EXPECT_EQ(q.ahead, Q("5"));
  EXPECT_TRUE(q.level_known);
}

TEST(BookWalk, WalksBestFirstUpToQuantityAndLimit) {
  OrderBook b;
  const BookLevel bids[] = {{P("99"), Q("1")}};
  const BookLevel asks[] = {{P("101"), Q("1")}, {P("100"), Q("0.5")}, {P("102"), Q("3")}};
  b.apply_snapshot(bids, asks);
  std::vector<FillSlice> out;
  EXPECT_EQ(walk_book(b, Side::Buy, Q("2"), std::nullopt, out), Q("2"));
  EXPECT_EQ(out, (std::vector<FillSlice>{{P("100"), Q("0.5")}, {P("101"), Q("1")}, {P("102"), Q("0.5")}}));
  out.clear();
  EXPECT_EQ(walk_book(b, Side::Buy, Q("2"), P("101"), out), Q("1.5"));
  EXPECT_EQ(fillable_quantity(b, Side::Buy, Q("10"), P("101.5")), Q("1.5"));
  EXPECT_EQ(fillable_quantity(b, Side::Sell, Q("10"), std::nullopt), Q("1"));
  EXPECT_EQ(slices_notional({{P("100"), Q("0.5")}, {P("101"), Q("1")}}, Quantity::from_units(1)), M("151"));
}

TEST(Fees, BaseTiersPerVenue) {
  EXPECT_EQ(default_fee_rates(Venue::Binance, MarketKind::Spot), (FeeRates{R("0.001"), R("0.001")}));
  EXPECT_EQ(default_fee_rates(Venue::Binance, MarketKind::LinearPerp), (FeeRates{R("0.0002"), R("0.0005")}));
  EXPECT_EQ(default_fee_rates(Venue::Bybit, MarketKind::Spot), (FeeRates{R("0.001"), R("0.001")}));
  EXPECT_EQ(default_fee_rates(Venue::Bybit, MarketKind::LinearPerp), (FeeRates{R("0.0002"), R("0.00055")}));
  EXPECT_EQ(default_fee_rates(Venue::Okx, MarketKind::Spot), (FeeRates{R("0.0008"), R("0.001")}));
  EXPECT_EQ(default_fee_rates(Venue::Okx, MarketKind::LinearPerp), (FeeRates{R("0.0002"), R("0.0005")}));
}

TEST(Fees, QuoteByDefaultReceivedAssetForBinanceSpotBuys) {
  const Instrument spot = spot_instrument();
  auto f = compute_fee(spot, Side::Buy, P("100"), Q("2"), R("0.001"), false);
  EXPECT_EQ(f.amount, M("0.2"));
  EXPECT_EQ(f.asset.view(), "USDT");
  f = compute_fee(spot, Side::Buy, P("100"), Q("2"), R("0.001"), true);
  EXPECT_EQ(f.amount, M("0.002"));
  EXPECT_EQ(f.asset.view(), "BTC");
  f = compute_fee(spot, Side::Sell, P("100"), Q("2"), R("0.001"), true);
  EXPECT_EQ(f.asset.view(), "USDT");
  Instrument swap = perp_instrument(Venue::Okx);
  swap.contract_multiplier = Q("0.01");  // BTC-USDT-SWAP: 0.01 BTC per contract
  f = compute_fee(swap, Side::Buy, P("60000"), Q("3"), R("0.0005"), true);
  EXPECT_EQ(f.amount, M("0.9"));  // 3 × 0.01 × 60 000 = 1 800 × 0.05%
  EXPECT_EQ(f.asset.view(), "USDT");
}

TEST(Rng, SeededReproducibleAndBounded) {
  SimRng a(123), b(123), c(124);
  std::vector<std::uint64_t> va, vb, vc;
  for (int i = 0; i < 100; ++i) {
    va.push_back(a.next());
    vb.push_back(b.next());
    vc.push_back(c.next());
  }
  EXPECT_EQ(va, vb);
  EXPECT_NE(va, vc);
  std::set<std::uint64_t> seen;
  for (int i = 0; i < 10'000; ++i) {
    const auto v = a.uniform_inclusive(6);
    ASSERT_LE(v, 6u);
    seen.insert(v);
  }
  EXPECT_EQ(seen.size(), 7u);
  SimRng d(1);
  d.set_state(a.state());
  EXPECT_EQ(d.next(), a.next());
}

TEST(Latency, LegsAddUpAndJitterOnlyDrawsWhenConfigured) {
  LatencyConfig cfg;
  cfg.order_entry_ns = 30;
  cfg.market_data_ns = 20;
  cfg.response_ns = 40;
  LatencyModel m(cfg);
  SimRng rng(5);
  const auto before = rng.state();
  EXPECT_EQ(m.request_ns(rng), 50);
  EXPECT_EQ(m.response_ns(rng), 40);
  EXPECT_EQ(rng.state(), before);
}

TEST(Slippage, OffsetsRoundUpToTheTickAndNeverGoBelowOneTick) {
  SlippageConfig bps;
  bps.bps = R("2.5");
  // 100 × 2.5 bp = 0.025 → 0.03 on a 0.01 tick.
  EXPECT_EQ(slippage_offset(bps, P("100"), std::nullopt, 0.0, P("0.01")), P("0.03"));
  SlippageConfig vol;
  vol.kind = SlippageKind::Volatility;
  vol.bps = Rate::zero();
  vol.volatility_multiplier = 2.0;
  // σ = 0.001 → 100 × 0.001 × 2 = 0.2.
  EXPECT_EQ(slippage_offset(vol, P("100"), std::nullopt, 0.001, P("0.01")), P("0.2"));
  EXPECT_EQ(slipped_price(Side::Sell, P("0.02"), P("0.05"), P("0.01")), P("0.01"));
  VolatilityEstimator est;
  est.observe(P("100"), 0.5);
  est.observe(P("101"), 0.5);
  EXPECT_GT(est.sigma(), 0.0);
}

TEST(VenueErrors, EveryRejectKindHasACodeForEveryVenue) {
  for (Venue v : {Venue::Binance, Venue::Bybit, Venue::Okx, Venue::Simulated}) {
    for (MarketKind k : {MarketKind::Spot, MarketKind::LinearPerp}) {
      for (int i = 0; i <= static_cast<int>(RejectKind::UnsupportedOrder); ++i) {
        const auto e = venue_error(v, k, static_cast<RejectKind>(i));
        EXPECT_FALSE(e.code.empty()) << to_string(v) << " " << to_string(k) << " " << i;
        EXPECT_FALSE(e.message.empty());
      }
    }
  }
  EXPECT_EQ(venue_error(Venue::Okx, MarketKind::Spot, RejectKind::InsufficientBalance).code, "51008");
  EXPECT_EQ(venue_error(Venue::Bybit, MarketKind::LinearPerp, RejectKind::InsufficientBalance).code, "110007");
  EXPECT_TRUE(fok_failure_is_reject(Venue::Binance, MarketKind::LinearPerp));
  EXPECT_FALSE(fok_failure_is_reject(Venue::Okx, MarketKind::LinearPerp));
}

TEST(Account, PerpCostBasisKeepsRealizedPnlExact) {
  SimAccount acct;
  const Asset usdt = Asset::from("USDT");
  acct.credit(usdt, M("1000"));
  const Instrument inst = perp_instrument();
  SimPosition pos;
  const FeeCharge no_fee{Money::zero(), usdt};
  acct.apply_perp_fill(pos, inst, Side::Buy, P("100"), Q("1"), no_fee);
  acct.apply_perp_fill(pos, inst, Side::Buy, P("101"), Q("2"), no_fee);  // cost 302 for 3
  EXPECT_EQ(pos.cost, M("302"));
  // Sell 1 at 110: cost part 302/3 = 100.666666667 → realized 9.333333333.
  EXPECT_EQ(acct.apply_perp_fill(pos, inst, Side::Sell, P("110"), Q("1"), no_fee), M("9.333333333"));
  EXPECT_EQ(pos.cost, M("201.333333333"));
  // Closing the rest realizes exactly what is left: 220 − 201.333333333.
  EXPECT_EQ(acct.apply_perp_fill(pos, inst, Side::Sell, P("110"), Q("2"), no_fee), M("18.666666667"));
  EXPECT_EQ(acct.total(usdt), M("1028"));  // 1 000 + (330 − 302): nothing lost to rounding
  EXPECT_EQ(acct.locked(usdt), Money::zero());
}

Instrument spot_pair(const char* base, const char* quote) {
  Instrument i;
  i.id = InstrumentId{Venue::Binance, MarketKind::Spot, Symbol::from(std::string(base) + quote)};
  i.base = Asset::from(base);
  i.quote = Asset::from(quote);
  return i;
}

TEST(Account, SpotFillsMoveBaseQuoteAndFeeBalancesAmongSeveralAssets) {
  SimAccount acct;
  const Asset bnb = Asset::from("BNB"), btc = Asset::from("BTC"), eth = Asset::from("ETH"), usdt = Asset::from("USDT");
  acct.credit(usdt, M("1000"));
  acct.credit(eth, M("10"));
  acct.credit(bnb, M("5"));
  acct.credit(btc, M("2"));
  ASSERT_TRUE(acct.lock(btc, M("0.5")));
  const Instrument ethbtc = spot_pair("ETH", "BTC");
  // Buy 3 ETH for 0.15 BTC, the fee in a third asset.
  acct.apply_spot_fill(ethbtc, Side::Buy, Q("3"), M("0.15"), FeeCharge{M("0.01"), bnb});
  EXPECT_EQ(acct.free(eth), M("13"));
  EXPECT_EQ(acct.free(btc), M("1.35"));
  EXPECT_EQ(acct.locked(btc), M("0.5"));  // fills move free amounts only
  EXPECT_EQ(acct.free(bnb), M("4.99"));
  EXPECT_EQ(acct.free(usdt), M("1000"));
  // Sell 1 ETH for 0.05 BTC, the fee in the quote; then buy 1 with the fee in the base received.
  acct.apply_spot_fill(ethbtc, Side::Sell, Q("1"), M("0.05"), FeeCharge{M("0.00005"), btc});
  EXPECT_EQ(acct.free(eth), M("12"));
  EXPECT_EQ(acct.free(btc), M("1.39995"));
  acct.apply_spot_fill(ethbtc, Side::Buy, Q("1"), M("0.05"), FeeCharge{M("0.001"), eth});
  EXPECT_EQ(acct.free(eth), M("12.999"));
  EXPECT_EQ(acct.free(btc), M("1.34995"));
  // A rebate in an asset the account has not seen adds it, in asset order; a zero fee adds nothing.
  acct.apply_spot_fill(ethbtc, Side::Sell, Q("1"), M("0.05"), FeeCharge{M("-0.2"), Asset::from("CAKE")});
  acct.apply_spot_fill(ethbtc, Side::Sell, Q("1"), M("0.05"), FeeCharge{Money::zero(), Asset::from("XRP")});
  std::vector<std::string> assets;
  for (const auto& [asset, b] : acct.raw()) assets.push_back(asset.str());
  EXPECT_EQ(assets, (std::vector<std::string>{"BNB", "BTC", "CAKE", "ETH", "USDT"}));
  EXPECT_EQ(acct.free(Asset::from("CAKE")), M("0.2"));
  EXPECT_EQ(acct.free(eth), M("10.999"));
  EXPECT_EQ(acct.free(btc), M("1.44995"));
  // A pair whose assets are both new: the quote goes negative (the venue checked funds before), both added.
  acct.apply_spot_fill(spot_pair("SOL", "USDC"), Side::Buy, Q("2"), M("300"), FeeCharge{M("0.3"), Asset::from("USDC")});
  EXPECT_EQ(acct.free(Asset::from("SOL")), M("2"));
  EXPECT_EQ(acct.free(Asset::from("USDC")), M("-300.3"));
  EXPECT_EQ(acct.raw().size(), 7u);
}

// The one-scan fill against the same moves made by credit(), over random fills, pairs and fee assets.
TEST(Account, SpotFillsEqualTheirCreditsUnderRandomFills) {
  const char* names[] = {"BNB", "BTC", "ETH", "USDT", "DOGE"};
  SimAccount acct, reference;
  for (SimAccount* a : {&acct, &reference}) {
    a->credit(Asset::from("USDT"), M("100000"));
    a->credit(Asset::from("BTC"), M("3"));
  }
  SimRng rng(11);
  for (int i = 0; i < 2'000; ++i) {
    const auto pick = [&] { return names[rng.uniform_inclusive(4)]; };
    const char* base = pick();
    const char* quote = pick();
    if (std::string(base) == quote) continue;
    const Instrument inst = spot_pair(base, quote);
    const Side side = rng.uniform_inclusive(1) == 0 ? Side::Buy : Side::Sell;
    const Quantity qty = Quantity::from_raw(static_cast<std::int64_t>(rng.uniform_inclusive(2'000'000'000)));
    const Money n = Money::from_raw(static_cast<std::int64_t>(rng.uniform_inclusive(5'000'000'000)));
    const std::int64_t fee_raw = static_cast<std::int64_t>(rng.uniform_inclusive(2'000'000)) - 500'000;
    const FeeCharge fee{Money::from_raw(rng.uniform_inclusive(3) == 0 ? 0 : fee_raw), Asset::from(pick())};
    acct.apply_spot_fill(inst, side, qty, n, fee);
    const Money base_amount = fixed_cast<Money>(qty);
    if (side == Side::Buy) {
      reference.credit(inst.quote, -n);
      reference.credit(inst.base, base_amount);
    } else {
      reference.credit(inst.base, -base_amount);
      reference.credit(inst.quote, n);
    }
    reference.credit(fee.asset, -fee.amount);
    ASSERT_EQ(acct.raw(), reference.raw()) << "fill " << i;
  }
}

TEST(FillLog, RendersOneExactLinePerFill) {
  OrderFilled f;
  f.instrument = spot_instrument().id;
  f.client_order_id = ClientOrderId::from("c1");
  f.venue_order_id = VenueOrderId::from("7");
  f.trade_id = TradeId::from("9");
  f.side = Side::Sell;
  f.last_quantity = Q("0.25");
  f.last_price = P("100.10");
  f.fee = M("0.025025");
  f.fee_asset = Asset::from("USDT");
  f.liquidity = LiquiditySide::Maker;
  f.ts_event_ns = 1'500'000;
  EXPECT_EQ(render_fill_log(std::vector<OrderFilled>{f}),
            "1500000 binance:spot:BTCUSDT c1 order=7 trade=9 sell 0.25@100.1 fee=0.025025 USDT maker\n");
}

TEST(FillLog, RendersTheVenuesRingOldestFirstAsASpanWould) {
  RingQueue<OrderFilled> ring;
  std::vector<OrderFilled> kept;
  for (int i = 0; i < 20; ++i) {
    OrderFilled f;
    f.instrument = spot_instrument().id;
    f.client_order_id = ClientOrderId::from("c" + std::to_string(i));
    f.trade_id = TradeId::from(std::to_string(i));
    f.last_quantity = Q("0.1");
    f.last_price = P("100");
    f.fee_asset = Asset::from("USDT");
    f.ts_event_ns = i;
    ring.push_back(f);
    if (i >= 8) kept.push_back(f);
    if (ring.size() == 16) ring.drop_front(8);  // wraps: the front is no longer slot 0
  }
  EXPECT_EQ(ring.size(), kept.size());
  EXPECT_EQ(render_fill_log(ring), render_fill_log(std::span<const OrderFilled>(kept)));
}

}  // namespace
}  // namespace tradingd::sim::test
