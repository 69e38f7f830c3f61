// The emulator's Binance trading side, pure (no sockets): requests signed by the adapter's own builder
// (exchange/binance/trading_requests.h) against BinanceService — authentication and its error codes,
// spot and USD-M order flow, account/positions, listen keys, the dead-man switch, private-stream frames
// (parsed back with the adapter's parser) and the trading faults.
#include <gtest/gtest.h>

#include "exchange/binance/trading_parse.h"
#include "exchange/binance/trading_requests.h"
#include "exchange/emulator/binance/private.h"
#include "exchange/emulator/binance/service.h"

namespace tradingd::emulator::binance {
namespace {

namespace tb = tradingd::binance;
constexpr std::int64_t kStart = 1'700'000'000'000;

struct Fixture : ::testing::Test {
  ServiceOptions opts = [] {
    ServiceOptions o;
    o.market.start_ms = kStart;
    o.market.warmup_minutes = 1;
    return o;
  }();
  BinanceService svc{opts};
  tb::BinanceSigner signer = tb::BinanceSigner::make(opts.account.api_key, opts.account.api_secret).value();
  tb::RequestBuilder builder{signer, 5000};
  std::int64_t now = kStart;
  InstrumentId spot{Venue::Binance, MarketKind::Spot, Symbol::from("BTCUSDT")};
  InstrumentId perp{Venue::Binance, MarketKind::LinearPerp, Symbol::from("BTCUSDT")};

  Fixture() { step(); }
  VenueTick step(int n = 1) {
    VenueTick t;
    for (int i = 0; i < n; ++i) {
      now += 100;
      t = svc.tick(now);
    }
    return t;
  }
  HttpResponse send(const tb::RestRequest& r, std::string api_key = "") {
    HttpRequest req;
    req.method = std::string(r.method);
    req.target = r.target;
    req.headers.emplace_back("X-MBX-APIKEY", api_key.empty() ? r.api_key : api_key);
    return svc.handle_rest(req, now);
  }
  OrderRequest order(const InstrumentId& i, const char* cid, Side side, OrderType type, const char* qty,
                     std::optional<Price> price = {}) {
    OrderRequest o;
    o.client_order_id = ClientOrderId::from(cid);
    o.instrument = i;
    o.side = side;
    o.type = type;
    o.quantity = Quantity::from_string(qty);
    o.price = price;
    return o;
  }
  Price far_below(MarketKind k) {
    const auto* m = svc.markets().find(k, "BTCUSDT");
    return Price::from_raw(m->best_bid()->price.raw() / 2 / m->spec().tick_size.raw() * m->spec().tick_size.raw());
  }
};

std::string header(const HttpResponse& r, std::string_view name) {
  for (const auto& [k, v] : r.headers)
    if (k == name) return v;
  return {};
}

TEST_F(Fixture, AuthenticationAsBinanceChecksIt) {
  auto r = builder.account(tb::Host::Spot, now);
  auto resp = send(r, "wrong-key");
  EXPECT_EQ(resp.status, 401);
  EXPECT_NE(resp.body.find("-2015"), std::string::npos);
  HttpRequest no_key{"GET", r.target, "", {}};
  EXPECT_NE(svc.handle_rest(no_key, now).body.find("-2014"), std::string::npos);
  // A tampered byte after signing: -1022.
  auto tampered = r;
  tampered.target.replace(tampered.target.find("recvWindow=5000"), 15, "recvWindow=4999");
  resp = send(tampered);
  EXPECT_EQ(resp.status, 400);
  EXPECT_NE(resp.body.find("-1022"), std::string::npos) << resp.body;
  // Outside the receive window, or 1 s ahead: -1021.
  EXPECT_NE(send(builder.account(tb::Host::Spot, now - 6000)).body.find("-1021"), std::string::npos);
  EXPECT_NE(send(builder.account(tb::Host::Spot, now + 1500)).body.find("-1021"), std::string::npos);
  resp = send(builder.account(tb::Host::Spot, now));
  EXPECT_EQ(resp.status, 200) << resp.body;
  auto acct = tb::parse_spot_account(resp.body);
  ASSERT_TRUE(acct) << acct.error();
  EXPECT_FALSE(acct->balances.empty());
}

TEST_F(Fixture, ClockSkewGivesOneTimestampErrorThenServerTimeResyncs) {
  apply_fault({FaultKind::ClockSkew, 30'000, 1}, now, svc.faults());
  auto resp = send(builder.account(tb::Host::Futures, now));
  EXPECT_NE(resp.body.find("-1021"), std::string::npos);
  HttpRequest t{"GET", "/fapi/v1/time", "", {}};
  auto server = tb::parse_server_time(svc.handle_rest(t, now).body);
  ASSERT_TRUE(server);
  EXPECT_EQ(*server, now + 30'000);
  EXPECT_EQ(send(builder.account(tb::Host::Futures, *server)).status, 200);
}

TEST_F(Fixture, SpotOrderFlow) {
  // A market buy fills at once: the FULL answer carries the fills with trade ids.
  auto resp = send(builder.new_order(order(spot, "m1", Side::Buy, OrderType::Market, "0.01"), now));
  ASSERT_EQ(resp.status, 200) << resp.body;
  auto parsed = tb::parse_order(resp.body, MarketKind::Spot);
  ASSERT_TRUE(parsed) << parsed.error();
  EXPECT_EQ(parsed->report.status, OrderStatus::Filled);
  ASSERT_FALSE(parsed->fills.empty());
  EXPECT_FALSE(parsed->fills[0].trade_id.empty());
  // The same client id again: duplicate.
  resp = send(builder.new_order(order(spot, "m1", Side::Buy, OrderType::Market, "0.01"), now));
  EXPECT_EQ(tb::parse_error(resp.status, resp.body).reason, VenueErrorReason::DuplicateClientOrderId);

  // A resting limit order: NEW, queryable, listed, canceled once.
  resp = send(builder.new_order(order(spot, "l1", Side::Buy, OrderType::Limit, "0.01", far_below(MarketKind::Spot)), now));
  ASSERT_EQ(resp.status, 200) << resp.body;
  EXPECT_EQ(tb::parse_order(resp.body, MarketKind::Spot)->report.status, OrderStatus::Accepted);
  resp = send(builder.query_order(spot, ClientOrderId::from("l1"), now));
  ASSERT_EQ(resp.status, 200) << resp.body;
  EXPECT_EQ(tb::parse_order(resp.body, MarketKind::Spot)->report.client_order_id.view(), "l1");
  resp = send(builder.open_orders(tb::Host::Spot, Symbol::from("BTCUSDT"), now));
  EXPECT_EQ(tb::parse_orders(resp.body, MarketKind::Spot)->size(), 1u);
  resp = send(builder.cancel_order({spot, ClientOrderId::from("l1"), {}}, now));
  ASSERT_EQ(resp.status, 200) << resp.body;
  auto canceled = tb::parse_order(resp.body, MarketKind::Spot);
  EXPECT_EQ(canceled->report.status, OrderStatus::Canceled);
  EXPECT_EQ(canceled->report.client_order_id.view(), "l1");
  resp = send(builder.cancel_order({spot, ClientOrderId::from("l1"), {}}, now));
  EXPECT_EQ(tb::parse_error(resp.status, resp.body).reason, VenueErrorReason::UnknownOrder);
  resp = send(builder.query_order(spot, ClientOrderId::from("nope"), now));
  EXPECT_EQ(tb::parse_error(resp.status, resp.body).code, "-2013");

  // Cancel-all: every open order of the symbol.
  send(builder.new_order(order(spot, "l2", Side::Buy, OrderType::Limit, "0.01", far_below(MarketKind::Spot)), now));
  send(builder.new_order(order(spot, "l3", Side::Buy, OrderType::Limit, "0.01", far_below(MarketKind::Spot)), now));
  resp = send(builder.cancel_all(spot, now));
  ASSERT_EQ(resp.status, 200) << resp.body;
  EXPECT_EQ(tb::parse_orders(resp.body, MarketKind::Spot)->size(), 2u);

  // Trades since the start: the market buy's fills.
  resp = send(builder.trades(spot, kStart, now));
  auto trades = tb::parse_trades(resp.body, MarketKind::Spot);
  ASSERT_TRUE(trades) << trades.error();
  EXPECT_EQ(trades->size(), parsed->fills.size());

  // Insufficient balance: -2010.
  resp = send(builder.new_order(order(spot, "big", Side::Buy, OrderType::Market, "100"), now));
  EXPECT_EQ(tb::parse_error(resp.status, resp.body).reason, VenueErrorReason::InsufficientBalance) << resp.body;
}

TEST_F(Fixture, FuturesOrdersPositionsLeverageAndDeadMan) {
  auto resp = send(builder.set_leverage(Symbol::from("BTCUSDT"), 5, now));
  ASSERT_EQ(resp.status, 200) << resp.body;
  EXPECT_EQ(*tb::parse_leverage(resp.body), 5);
  resp = send(builder.new_order(order(perp, "f1", Side::Buy, OrderType::Market, "0.01"), now));
  ASSERT_EQ(resp.status, 200) << resp.body;
  EXPECT_EQ(tb::parse_order(resp.body, MarketKind::LinearPerp)->report.status, OrderStatus::Filled);
  resp = send(builder.position_risk(now));
  auto pos = tb::parse_position_risk(resp.body);
  ASSERT_TRUE(pos) << pos.error();
  ASSERT_EQ(pos->size(), 1u);
  EXPECT_EQ((*pos)[0].quantity, Quantity::from_string("0.01"));
  EXPECT_EQ((*pos)[0].leverage, 5);
  auto acct = tb::parse_futures_account(send(builder.account(tb::Host::Futures, now)).body);
  ASSERT_TRUE(acct) << acct.error();
  EXPECT_EQ(acct->positions.size(), 1u);
  // A resting bid far below the market.
  resp = send(builder.new_order(order(perp, "r1", Side::Buy, OrderType::Limit, "0.01", far_below(MarketKind::LinearPerp)), now));
  ASSERT_EQ(resp.status, 200) << resp.body;
  // The dead-man switch: armed, then not refreshed → the symbol's orders are canceled.
  resp = send(builder.countdown_cancel_all(Symbol::from("BTCUSDT"), 1000, now));
  ASSERT_EQ(resp.status, 200) << resp.body;
  step(5);
  EXPECT_EQ(svc.trading().account().open_orders(perp).size(), 1u);
  step(6);
  EXPECT_TRUE(svc.trading().account().open_orders(perp).empty());
  resp = send(builder.cancel_all(perp, now));
  EXPECT_EQ(resp.status, 200);
  EXPECT_FALSE(tb::is_error_body(resp.body));
}

TEST_F(Fixture, FuturesConditionalOrdersLiveInTheAlgoBook) {
  auto ws = svc.open_ws("/private/ws?listenKey=" + *tb::parse_listen_key(send(builder.listen_key("POST")).body));
  ASSERT_NE(ws, nullptr);
  // The builder sends stops to the algo endpoint (the plain one refuses them since 2025-12-09).
  auto stop = order(perp, "st1", Side::Buy, OrderType::StopMarket, "0.01");
  stop.trigger_price = Price::from_raw(svc.markets().find(MarketKind::LinearPerp, "BTCUSDT")->best_ask()->price.raw() * 2);
  auto r = builder.new_order(stop, now);
  ASSERT_NE(r.target.find("/fapi/v1/algoOrder"), std::string::npos);
  auto resp = send(r);
  ASSERT_EQ(resp.status, 200) << resp.body;
  auto parsed = tb::parse_order(resp.body, MarketKind::LinearPerp);
  ASSERT_TRUE(parsed) << parsed.error();
  EXPECT_EQ(parsed->report.client_order_id.view(), "st1");
  EXPECT_EQ(parsed->report.type, OrderType::StopMarket);
  EXPECT_EQ(parsed->report.status, OrderStatus::Accepted);
  // Not in the regular book: /fapi/v1/order says unknown, the algo query finds it.
  resp = send(builder.query_order(perp, ClientOrderId::from("st1"), now));
  EXPECT_EQ(tb::parse_error(resp.status, resp.body).reason, VenueErrorReason::UnknownOrder);
  resp = send(builder.query_algo_order(ClientOrderId::from("st1"), now));
  ASSERT_EQ(resp.status, 200) << resp.body;
  EXPECT_EQ(tb::parse_order(resp.body, MarketKind::LinearPerp)->report.client_order_id.view(), "st1");
  // allOpenOrders leaves it; algoOpenOrders cancels it; the stream says so on ALGO_UPDATE.
  send(builder.cancel_all(perp, now));
  EXPECT_EQ(svc.trading().account().open_orders(perp).size(), 1u);
  resp = send(builder.cancel_algo_order(ClientOrderId::from("st1"), now));
  ASSERT_EQ(resp.status, 200) << resp.body;
  EXPECT_FALSE(tb::is_error_body(resp.body));
  EXPECT_TRUE(svc.trading().account().open_orders(perp).empty());
  std::vector<std::string> out;
  ws->on_tick(step(), out);
  int accepted = 0, canceled = 0;
  for (const auto& f : out) {
    EXPECT_NE(f.find("ALGO_UPDATE"), std::string::npos) << f;
    auto m = tb::parse_user_stream(f, MarketKind::LinearPerp);
    ASSERT_TRUE(m) << f;
    for (const auto& e : m->events) {
      accepted += std::holds_alternative<OrderAccepted>(e);
      canceled += std::holds_alternative<OrderCanceled>(e);
    }
  }
  EXPECT_EQ(accepted, 1);
  EXPECT_EQ(canceled, 1);
}

TEST_F(Fixture, FuturesListenKeyStreamAndExpiry) {
  auto resp = send(builder.listen_key("POST"));
  auto key = tb::parse_listen_key(resp.body);
  ASSERT_TRUE(key) << resp.body;
  EXPECT_EQ(*tb::parse_listen_key(send(builder.listen_key("POST")).body), *key);  // the active one
  EXPECT_EQ(svc.open_ws("/private/ws?listenKey=wrong"), nullptr);
  auto ws = svc.open_ws("/private/ws?listenKey=" + *key + "&events=ORDER_TRADE_UPDATE/ACCOUNT_UPDATE");
  ASSERT_NE(ws, nullptr);
  EXPECT_TRUE(ws->is_private());
  send(builder.new_order(order(perp, "f2", Side::Buy, OrderType::Market, "0.01"), now));
  std::vector<std::string> out;
  ws->on_tick(step(), out);
  int accepted = 0, fills = 0, accounts = 0;
  for (const auto& f : out) {
    auto m = tb::parse_user_stream(f, MarketKind::LinearPerp);
    ASSERT_TRUE(m) << f;
    for (const auto& e : m->events) {
      accepted += std::holds_alternative<OrderAccepted>(e);
      fills += std::holds_alternative<OrderFilled>(e);
      accounts += std::holds_alternative<AccountReport>(e);
    }
  }
  EXPECT_EQ(accepted, 1);
  EXPECT_GE(fills, 1);
  // Spot events do not go to the USD-M stream.
  send(builder.new_order(order(spot, "sp", Side::Buy, OrderType::Limit, "0.01", far_below(MarketKind::Spot)), now));
  out.clear();
  ws->on_tick(step(), out);
  for (const auto& f : out) EXPECT_EQ(f.find("executionReport"), std::string::npos);
  EXPECT_EQ(send(builder.listen_key("PUT")).status, 200);

  // Expiry: the stream says listenKeyExpired once; PUT fails with -1125; POST makes a new key.
  apply_fault({FaultKind::ListenKeyExpire, 0, 1}, now, svc.faults());
  out.clear();
  ws->on_tick(step(), out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(tb::parse_user_stream(out[0], MarketKind::LinearPerp)->kind, tb::StreamMessageKind::ListenKeyExpired);
  out.clear();
  ws->on_tick(step(), out);
  EXPECT_TRUE(out.empty());
  EXPECT_NE(send(builder.listen_key("PUT")).body.find("-1125"), std::string::npos);
  EXPECT_EQ(svc.open_ws("/private/ws?listenKey=" + *key), nullptr);  // an expired key is refused
  auto fresh = tb::parse_listen_key(send(builder.listen_key("POST")).body);
  ASSERT_TRUE(fresh);
  EXPECT_NE(*fresh, *key);
  auto renewed = svc.open_ws("/private/ws?listenKey=" + *fresh);
  ASSERT_NE(renewed, nullptr);
  // Events flow on the new key.
  send(builder.new_order(order(perp, "f3", Side::Buy, OrderType::Limit, "0.01", far_below(MarketKind::LinearPerp)), now));
  out.clear();
  renewed->on_tick(step(), out);
  ASSERT_FALSE(out.empty());
  EXPECT_NE(out[0].find("ORDER_TRADE_UPDATE"), std::string::npos) << out[0];
}

TEST_F(Fixture, SpotWsApiSubscriptionPushesExecutionReports) {
  auto ws = svc.open_ws("/ws-api/v3");
  ASSERT_NE(ws, nullptr);
  std::vector<std::string> out;
  // A wrong signature is refused.
  std::string bad = builder.ws_subscribe_signature("1", now);
  bad.replace(bad.find("\"signature\":\"") + 13, 4, "0000");
  ws->on_text(bad, now, out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(tb::parse_user_stream(out[0], MarketKind::Spot)->response.error_code, -1022);
  out.clear();
  ws->on_text(builder.ws_subscribe_signature("2", now), now, out);
  ASSERT_EQ(out.size(), 1u);
  auto sub = tb::parse_user_stream(out[0], MarketKind::Spot);
  ASSERT_TRUE(sub);
  EXPECT_EQ(sub->response.status, 200) << out[0];
  EXPECT_GE(sub->response.subscription_id, 0);
  out.clear();
  send(builder.new_order(order(spot, "w1", Side::Buy, OrderType::Market, "0.01"), now));
  ws->on_tick(step(), out);
  int fills = 0;
  for (const auto& f : out) {
    auto m = tb::parse_user_stream(f, MarketKind::Spot);
    ASSERT_TRUE(m) << f;
    for (const auto& e : m->events) fills += std::holds_alternative<OrderFilled>(e);
  }
  EXPECT_GE(fills, 1);
}

TEST_F(Fixture, TradingFaults) {
  apply_fault({FaultKind::Rest429, 2000, 1}, now, svc.faults());
  auto resp = send(builder.account(tb::Host::Spot, now));
  EXPECT_EQ(resp.status, 429);
  EXPECT_EQ(header(resp, "Retry-After"), "2");
  EXPECT_EQ(send(builder.account(tb::Host::Spot, now)).status, 200);
  apply_fault({FaultKind::Rest418, 1000, 1}, now, svc.faults());
  resp = send(builder.account(tb::Host::Spot, now));
  EXPECT_EQ(resp.status, 418);
  EXPECT_EQ(tb::parse_error(resp.status, resp.body).reason, VenueErrorReason::IpBanned);
  apply_fault({FaultKind::Http5xx, 0, 1}, now, svc.faults());
  resp = send(builder.account(tb::Host::Spot, now));
  EXPECT_EQ(tb::parse_error(resp.status, resp.body).reason, VenueErrorReason::UnknownOutcome);

  // Accepted, then silence: the order exists though no answer goes out.
  apply_fault({FaultKind::AcceptNoReply, 0, 1}, now, svc.faults());
  resp = send(builder.new_order(order(spot, "q1", Side::Buy, OrderType::Market, "0.01"), now));
  EXPECT_TRUE(resp.no_reply);
  resp = send(builder.query_order(spot, ClientOrderId::from("q1"), now));
  ASSERT_EQ(resp.status, 200);
  EXPECT_EQ(tb::parse_order(resp.body, MarketKind::Spot)->report.status, OrderStatus::Filled);

  // A replayed fill: the same trade id twice on the stream.
  auto ws = svc.open_ws("/ws-api/v3");
  std::vector<std::string> out;
  ws->on_text(builder.ws_subscribe_signature("1", now), now, out);
  out.clear();
  send(builder.new_order(order(spot, "d1", Side::Buy, OrderType::Market, "0.01"), now));
  apply_fault({FaultKind::DuplicateFill, 0, 1}, now, svc.faults());
  ws->on_tick(step(), out);
  std::map<std::string, int> by_trade;
  for (const auto& f : out) {
    auto m = tb::parse_user_stream(f, MarketKind::Spot);
    ASSERT_TRUE(m);
    for (const auto& e : m->events)
      if (const auto* fill = std::get_if<OrderFilled>(&e)) ++by_trade[std::string(fill->trade_id.view())];
  }
  int dup = 0;
  for (const auto& [id, n] : by_trade) dup += n > 1;
  EXPECT_EQ(dup, 1);

  // Out of order: a NEW and its CANCELED arrive swapped.
  out.clear();
  apply_fault({FaultKind::Reorder, 0, 1}, now, svc.faults());
  send(builder.new_order(order(spot, "oo1", Side::Buy, OrderType::Limit, "0.01", far_below(MarketKind::Spot)), now));
  send(builder.cancel_order({spot, ClientOrderId::from("oo1"), {}}, now));
  ws->on_tick(step(), out);
  std::vector<std::string> kinds;
  for (const auto& f : out) {
    auto m = tb::parse_user_stream(f, MarketKind::Spot);
    ASSERT_TRUE(m);
    for (const auto& e : m->events) {
      if (std::holds_alternative<OrderAccepted>(e)) kinds.push_back("new");
      if (std::holds_alternative<OrderCanceled>(e)) kinds.push_back("canceled");
    }
  }
  EXPECT_EQ(kinds, (std::vector<std::string>{"canceled", "new"}));
}

}  // namespace
}  // namespace tradingd::emulator::binance
