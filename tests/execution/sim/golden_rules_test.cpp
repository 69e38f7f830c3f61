// Golden scenarios, venue rules and accounts: tick/step/minimum rejects with each venue's reason and code,
// insufficient funds, duplicate ids, unknown instruments, reduce-only, fee rules (Binance's received-asset
// rule, maker rebates, overrides), perpetual PnL and margin, cancel-all and the synchronous queries.
#include <gtest/gtest.h>

#include "tests/execution/sim/scenario.h"

namespace tradingd::sim::test {
namespace {

Money M(const char* s) { return Money::from_string(s); }

struct RuleCase {
  Instrument inst;
  const char* off_tick;       // a limit price off the tick grid
  const char* off_tick_code;  // "<reason> <code>"
  const char* off_step_code;
  const char* min_qty_code;
  const char* notional_code;
};

TEST(GoldenRules, RuleViolationsAreRejectedWithTheVenuesReasonAndCode) {
  const RuleCase cases[] = {
      {spot_instrument(Venue::Binance), "100.005", "invalid_price -1013", "invalid_quantity -1013",
       "invalid_quantity -1013", "notional_too_small -1013"},
      {perp_instrument(Venue::Binance), "100.05", "invalid_price -4014", "invalid_quantity -1111",
       "invalid_quantity -4004", "notional_too_small -4164"},
      {spot_instrument(Venue::Bybit), "100.005", "invalid_price 170134", "invalid_quantity 170137",
       "invalid_quantity 170136", "notional_too_small 170140"},
      {perp_instrument(Venue::Bybit), "100.05", "invalid_price 10001", "invalid_quantity 10001",
       "invalid_quantity 10001", "notional_too_small 110094"},
      {spot_instrument(Venue::Okx), "100.005", "invalid_price 51000", "invalid_quantity 51121",
       "invalid_quantity 51020", "invalid_quantity 51020"},
  };
  for (const auto& c : cases) {
    Instrument inst = c.inst;
    inst.min_quantity = Quantity::from_string("0.01");
    Scenario s(default_config(inst));
    s.at(0).book({{"99", "10"}}, {{"101", "10"}});
    s.limit("t", Side::Buy, "1", c.off_tick);      // price off the tick
    s.limit("s", Side::Buy, "0.0115", "100");      // quantity off the 0.001 step
    s.limit("m", Side::Buy, "0.005", "100");       // below the 0.01 minimum quantity
    s.limit("n", Side::Buy, "0.04", "100");        // 4 < 5 minimum notional
    s.market("k", Side::Buy, "0.04");              // market: notional at the far touch, 4.04 < 5
    s.at(1);
    const std::string expected = std::string("0 rejected t ") + c.off_tick_code + "\n0 rejected s " + c.off_step_code +
                                 "\n0 rejected m " + c.min_qty_code + "\n0 rejected n " + c.notional_code +
                                 "\n0 rejected k " + c.notional_code + "\n";
    EXPECT_EQ(s.events(), expected) << inst.id;
  }
}

TEST(GoldenRules, ReduceOnlyPerpOrderIsExemptFromTheMinimumNotional) {
  Scenario s(default_config(perp_instrument()));
  s.at(0).book({{"99.9", "10"}}, {{"100", "10"}}).market("o", Side::Buy, "1").at(1);
  s.market("r", Side::Sell, "0.04", TimeInForce::Gtc, true).at(2);  // 3.996 < 5, but reduce-only
  EXPECT_EQ(s.events_of("rejected"), "");
  // 0.04 × 99.9 = 3.996 → USD-M taker 0.05% = 0.001998.
  EXPECT_EQ(s.fills(), "0 o buy 1@100 fee=0.05 USDT taker\n1 r sell 0.04@99.9 fee=0.001998 USDT taker\n");
}

TEST(GoldenRules, InsufficientFundsAreRejectedWithTheVenuesCode) {
  Scenario s;
  s.at(0).book({{"99", "100"}}, {{"100", "2000"}});
  s.limit("b1", Side::Buy, "1001", "99.9");  // 100 000.9 + fee reserve > 100 000 USDT
  s.limit("s1", Side::Sell, "11", "101");    // 11 > 10 BTC
  s.market("b2", Side::Buy, "1000");         // 100 000 + 100 fee > 100 000
  s.market("b3", Side::Buy, "990");          // 99 000 + 99 fee: fits
  s.at(1);
  EXPECT_EQ(s.events_of("rejected"),
            "0 rejected b1 insufficient_balance -2010\n0 rejected s1 insufficient_balance -2010\n"
            "0 rejected b2 insufficient_balance -2010\n");
  EXPECT_EQ(s.free("USDT"), M("901"));  // 100 000 − 99 000 − 99
  Scenario p(default_config(perp_instrument()));
  // 1 100 × 99 = 108 900 of margin at 1× leverage > 100 000.
  p.at(0).book({{"99", "100"}}, {{"100", "2000"}}).limit("b4", Side::Buy, "1100", "99").at(1);
  EXPECT_EQ(p.events(), "0 rejected b4 insufficient_balance -2019\n");
  Scenario y(default_config(spot_instrument(Venue::Bybit)));
  y.at(0).limit("b5", Side::Sell, "11", "101").at(1);
  EXPECT_EQ(y.events(), "0 rejected b5 insufficient_balance 170131\n");
}

TEST(GoldenRules, DuplicateOpenClientOrderIdIsRejectedAndReusableOnceFinal) {
  Scenario s;
  s.at(0).book({{"99", "1"}}, {{"101", "1"}});
  s.limit("l1", Side::Buy, "1", "98").limit("l1", Side::Buy, "1", "97").cancel("l1").limit("l1", Side::Buy, "1", "96");
  s.at(1);
  EXPECT_EQ(s.events(),
            "0 accepted l1\n0 rejected l1 duplicate_client_order_id -2010\n0 canceled l1\n0 accepted l1\n");
  EXPECT_EQ(*s.order("l1")->price, Price::from_string("96"));
}

TEST(GoldenRules, UnknownInstrumentAndMissingPriceAreRejected) {
  Scenario s;
  OrderRequest r;
  r.client_order_id = ClientOrderId::from("e1");
  r.instrument = InstrumentId{Venue::Binance, MarketKind::Spot, Symbol::from("ETHUSDT")};
  r.type = OrderType::Market;
  r.quantity = Quantity::from_units(1);
  s.at(0).submit(r);
  OrderRequest l;
  l.client_order_id = ClientOrderId::from("e2");
  l.instrument = s.id;
  l.type = OrderType::Limit;
  l.quantity = Quantity::from_units(1);
  s.submit(l).at(1);
  EXPECT_EQ(s.events(), "0 rejected e1 unknown_instrument -1121\n0 rejected e2 invalid_price -1102\n");
}

TEST(GoldenRules, ReduceOnlyWithNothingToReduceIsRejectedPerVenue) {
  const std::pair<Venue, const char*> cases[] = {
      {Venue::Binance, "0 rejected r1 reduce_only_rejected -2022\n"},
      {Venue::Bybit, "0 rejected r1 reduce_only_rejected 110017\n"},
      {Venue::Okx, "0 rejected r1 reduce_only_rejected 51169\n"},
  };
  for (const auto& [venue, expected] : cases) {
    Scenario s(default_config(perp_instrument(venue)));
    s.at(0).book({{"99", "1"}}, {{"101", "1"}}).market("r1", Side::Sell, "1", TimeInForce::Gtc, true).at(1);
    EXPECT_EQ(s.events(), expected);
  }
}

TEST(GoldenFees, BinanceSpotBuyCanPayTheFeeInTheReceivedBaseAsset) {
  SimVenueConfig cfg = default_config();
  cfg.binance_fee_in_received_asset = true;
  Scenario s(cfg);
  s.at(0).book({{"99.9", "1"}}, {{"100", "1"}}).market("f1", Side::Buy, "1").market("f2", Side::Sell, "0.5").at(1);
  // Buy: 0.1% of the 1 BTC received = 0.001 BTC. Sell: 0.1% of the 49.95 USDT received.
  EXPECT_EQ(s.fills(), "0 f1 buy 1@100 fee=0.001 BTC taker\n0 f2 sell 0.5@99.9 fee=0.04995 USDT taker\n");
  EXPECT_EQ(s.free("BTC"), M("10.499"));       // 10 + 1 − 0.001 − 0.5
  EXPECT_EQ(s.free("USDT"), M("99949.90005"));  // 100 000 − 100 + 49.95 − 0.04995
  s.limit("f3", Side::Buy, "1", "99").at(2);
  EXPECT_EQ(s.locked("USDT"), M("99"));  // no quote fee reserve: the fee comes out of the BTC received
}

TEST(GoldenFees, ReceivedAssetRuleIsBinanceSpotOnly) {
  SimVenueConfig cfg = default_config(spot_instrument(Venue::Bybit));
  cfg.binance_fee_in_received_asset = true;
  Scenario s(cfg);
  s.at(0).book({{"99.9", "1"}}, {{"100", "1"}}).market("f4", Side::Buy, "1").at(1);
  EXPECT_EQ(s.fills(), "0 f4 buy 1@100 fee=0.1 USDT taker\n");
}

TEST(GoldenFees, PerInstrumentOverridesIncludingAMakerRebate) {
  SimVenueConfig cfg = default_config();
  cfg.instruments.front().maker_fee = Rate::from_string("-0.0001");
  cfg.instruments.front().taker_fee = Rate::from_string("0.0004");
  Scenario s(cfg);
  s.at(0).book({{"99", "1"}}, {{"100", "1"}}).market("f5", Side::Buy, "0.5").limit("f6", Side::Buy, "1", "99.5");
  s.at(10).trade("99.4", "2", Side::Sell);
  // Taker 0.04% of 50 = 0.02; maker −0.01% of 99.5 = −0.00995 (a rebate).
  EXPECT_EQ(s.fills(), "0 f5 buy 0.5@100 fee=0.02 USDT taker\n10 f6 buy 1@99.5 fee=-0.00995 USDT maker\n");
  EXPECT_EQ(s.free("USDT"), M("99850.48995"));  // 100 000 − 50 − 0.02 − 99.5 + 0.00995
}

TEST(GoldenPerp, RealizedPnlMarginAndLeverage) {
  Scenario s(default_config(perp_instrument()));
  std::optional<int> lev;
  s.venue().set_leverage(s.id, 10, [&](Result<int, VenueError> r) { lev = r ? *r : -1; });
  EXPECT_EQ(lev, 10);
  s.venue().set_leverage(s.id, 50, [&](Result<int, VenueError> r) { lev = r ? *r : -std::stoi(r.error().code.substr(1)); });
  EXPECT_EQ(lev, -4028);
  s.at(0).book({{"99.9", "5"}}, {{"100", "5"}}).market("p1", Side::Buy, "1").at(1);
  // Fee 0.05% of 100 = 0.05; margin 100 / 10 = 10 locked.
  EXPECT_EQ(s.free("USDT"), M("99989.95"));
  EXPECT_EQ(s.locked("USDT"), M("10"));
  s.at(10).book({{"110", "5"}}, {{"110.1", "5"}}).market("p2", Side::Sell, "1").at(11);
  // Realized +10, fee 0.055, margin released.
  EXPECT_EQ(s.fills(), "0 p1 buy 1@100 fee=0.05 USDT taker\n10 p2 sell 1@110 fee=0.055 USDT taker\n");
  EXPECT_EQ(s.free("USDT"), M("100009.895"));
  EXPECT_EQ(s.locked("USDT"), Money::zero());
  EXPECT_TRUE(s.venue().position(s.id)->quantity.is_zero());
}

TEST(GoldenPerp, FlipFromLongToShortKeepsTheRemainderAtTheFillPrice) {
  Scenario s(default_config(perp_instrument()));
  s.at(0).book({{"99.9", "5"}}, {{"100", "5"}}).market("p3", Side::Buy, "1").at(1);
  s.at(10).book({{"105", "5"}}, {{"105.1", "5"}}).market("p4", Side::Sell, "3").at(11);
  const auto pos = *s.venue().position(s.id);
  EXPECT_EQ(pos.quantity, Quantity::from_units(-2));
  EXPECT_EQ(pos.entry_price(), Price::from_units(105));
  EXPECT_EQ(pos.margin, M("210"));
  // 100 000 − 0.05 + 5 (realized) − 0.1575 (0.05% of 315) − 210 margin.
  EXPECT_EQ(s.free("USDT"), M("99794.7925"));
  AccountReport acct;
  s.venue().account([&](Result<AccountReport, VenueError> r) { acct = *r; });
  ASSERT_EQ(acct.positions.size(), 1u);
  EXPECT_EQ(acct.positions[0].quantity, Quantity::from_units(-2));
}

TEST(GoldenPerp, OkxSwapContractsUseTheContractMultiplier) {
  Instrument swap = perp_instrument(Venue::Okx);
  swap.contract_multiplier = Quantity::from_string("0.01");  // BTC-USDT-SWAP: 0.01 BTC per contract
  swap.step_size = Quantity::from_units(1);
  swap.min_quantity = Quantity::from_units(1);
  Scenario s(default_config(swap));
  s.at(0).book({{"59999.9", "100"}}, {{"60000", "100"}}).market("w1", Side::Buy, "3").at(1);
  // 3 contracts × 0.01 × 60 000 = 1 800 USDT notional; OKX SWAP taker 0.05% = 0.9; margin 1 800 at 1×.
  EXPECT_EQ(s.fills(), "0 w1 buy 3@60000 fee=0.9 USDT taker\n");
  EXPECT_EQ(s.locked("USDT"), M("1800"));
  EXPECT_EQ(s.free("USDT"), M("98199.1"));
  AccountReport acct = s.venue().account_now();
  ASSERT_EQ(acct.positions.size(), 1u);
  EXPECT_EQ(acct.positions[0].entry_price, Price::from_units(60000));
  EXPECT_EQ(acct.positions[0].quantity, Quantity::from_units(3));
}

TEST(GoldenConfig, PaperConfigMapsOntoTheVenue) {
  config::PaperConfig paper;
  paper.order_latency_ms = 125;
  paper.latency_jitter_ms = 5;
  paper.seed = 42;
  paper.fill_on_touch = true;
  paper.slippage_model = config::SlippageModel::Absolute;
  paper.slippage_absolute = Price::from_string("0.5");
  paper.starting_balances = {{"USDT", M("2500")}, {"BTC", M("0.1")}};
  const SimVenueConfig c = sim_config_from_paper(paper, Venue::Bybit);
  EXPECT_EQ(c.venue, Venue::Bybit);
  EXPECT_EQ(c.latency.order_entry_ns, 125 * kNanosPerMilli);
  EXPECT_EQ(c.latency.response_ns, 125 * kNanosPerMilli);  // 250 ms round trip
  EXPECT_EQ(c.latency.jitter_ns, 5 * kNanosPerMilli);
  EXPECT_EQ(c.seed, 42u);
  EXPECT_TRUE(c.fill_on_touch);
  EXPECT_EQ(c.slippage.kind, SlippageKind::Absolute);
  EXPECT_EQ(c.slippage.absolute, Price::from_string("0.5"));
  ASSERT_EQ(c.starting_balances.size(), 2u);
  EXPECT_EQ(c.starting_balances[0].first.view(), "BTC");
  config::InstrumentConfig ic;
  ic.taker_fee = Rate::from_string("0.0004");
  ic.slippage_bps = Rate::from_units(3);
  const SimInstrumentConfig si = sim_instrument_from_config(spot_instrument(Venue::Bybit), ic);
  EXPECT_EQ(si.taker_fee, Rate::from_string("0.0004"));
  EXPECT_FALSE(si.maker_fee.has_value());
  EXPECT_EQ(si.slippage->bps, Rate::from_units(3));
}

TEST(GoldenQueries, CancelAllAndSynchronousQueries) {
  Scenario s;
  s.at(0).book({{"99.5", "1"}}, {{"101", "1"}});
  s.limit("l1", Side::Buy, "1", "99").limit("l2", Side::Buy, "1", "98").limit("l3", Side::Sell, "1", "102").at(1);
  std::optional<OrderStatusReport> rep;
  s.venue().query_order(s.id, ClientOrderId::from("l2"), [&](Result<OrderStatusReport, VenueError> r) { rep = *r; });
  ASSERT_TRUE(rep);
  EXPECT_EQ(rep->status, OrderStatus::Accepted);
  EXPECT_EQ(rep->venue_order_id.view(), "2");
  std::vector<std::string> ids;
  s.venue().open_orders(s.id, [&](Result<std::vector<OrderStatusReport>, VenueError> r) {
    for (const auto& o : *r) ids.push_back(o.client_order_id.str());
  });
  EXPECT_EQ(ids, (std::vector<std::string>{"l1", "l2", "l3"}));
  s.cancel_all().at(2);
  EXPECT_EQ(s.events_of("canceled"), "1 canceled l1\n1 canceled l2\n1 canceled l3\n");
  ids.clear();
  s.venue().open_orders(std::nullopt, [&](Result<std::vector<OrderStatusReport>, VenueError> r) {
    for (const auto& o : *r) ids.push_back(o.client_order_id.str());
  });
  EXPECT_TRUE(ids.empty());
  EXPECT_EQ(s.locked("USDT"), Money::zero());
  EXPECT_EQ(s.locked("BTC"), Money::zero());
  std::string err;
  s.venue().query_order(s.id, ClientOrderId::from("nope"), [&](Result<OrderStatusReport, VenueError> r) {
    err = std::string(to_string(r.error().reason)) + " " + r.error().code;
  });
  EXPECT_EQ(err, "unknown_order -2013");
}

TEST(GoldenQueries, FillsSinceReturnsTheVenuesExecutions) {
  Scenario s;
  s.at(0).book({{"99", "1"}}, {{"100", "1"}, {"101", "1"}}).market("a", Side::Buy, "0.5");
  s.at(10).market("b", Side::Buy, "0.5").at(20);
  std::vector<std::string> got;
  s.venue().fills_since(s.id, 5 * kNanosPerMilli, [&](Result<std::vector<OrderFilled>, VenueError> r) {
    for (const auto& f : *r) got.push_back(f.client_order_id.str() + "@" + f.last_price.to_string());
  });
  EXPECT_EQ(got, (std::vector<std::string>{"b@100"}));
}

TEST(GoldenQueries, FillHistoryIsBoundedButKeepsTheNewest) {
  SimVenueConfig cfg = default_config();
  cfg.fill_history_kept = 3;
  Scenario s(cfg);
  s.at(0).book({{"99", "1"}}, {{"100", "100"}});
  for (int i = 0; i < 10; ++i) s.at(i).market(("h" + std::to_string(i)).c_str(), Side::Buy, "0.1");
  s.at(20);
  EXPECT_EQ(s.venue().stats().fills, 10u);
  EXPECT_GE(s.venue().fill_log().size(), 3u);
  EXPECT_LT(s.venue().fill_log().size(), 6u);
  EXPECT_EQ(s.venue().fill_log().back().client_order_id.view(), "h9");
  EXPECT_EQ(s.events_of("filled").size(), 10u * std::string("0 filled h0 buy 0.1@100 taker\n").size());
}

}  // namespace
}  // namespace tradingd::sim::test
