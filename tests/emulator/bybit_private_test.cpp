// The Bybit emulator's trading side, without sockets: signed REST checked as the venue checks it (key,
// timestamp window, signature over the received bytes), the order/account endpoints backed by the
// EmulatedAccount, per-endpoint limits, the /v5/private stream (auth, subscribe, pushes, pong), DCP, and
// the trading faults. Requests are signed with the adapter's own BybitSigner.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <map>
#include <set>

#include "exchange/bybit/trading_protocol.h"
#include "exchange/emulator/bybit/service.h"
#include "tests/emulator/shape.h"
#include "tests/support/fixtures.h"

namespace tradingd::emulator {
namespace {
namespace json = boost::json;

constexpr std::int64_t kNow = 1'700'000'000'000;

ServiceOptions options() {
  ServiceOptions o;
  o.market = {31, kNow, 2};
  o.account.api_key = "k1";
  o.account.api_secret = "s1";
  return o;
}

struct Emu {
  bybit::BybitService svc{options()};
  tradingd::bybit::BybitSigner signer = tradingd::bybit::BybitSigner::make("k1", "s1", 5000).value();
  std::int64_t now = kNow;

  Emu() {
    for (int i = 0; i < 5; ++i) tick();
  }
  VenueTick tick(std::int64_t step = 100) { return svc.tick(now += step); }

  HttpResponse send(const tradingd::bybit::BybitRequest& r, std::optional<std::int64_t> ts = {},
                    const tradingd::bybit::BybitSigner* with = nullptr) {
    HttpRequest req;
    req.method = r.post ? "POST" : "GET";
    req.target = r.target();
    if (r.post) req.body = r.payload;
    for (auto& h : (with ? *with : signer).headers(ts.value_or(now), r.payload)) req.headers.emplace_back(h.name, h.value);
    return svc.handle_rest(req, now);
  }
  static json::object body(const HttpResponse& r) { return json::parse(r.body).as_object(); }
  static std::int64_t code(const HttpResponse& r) { return body(r).at("retCode").as_int64(); }
  Price best(MarketKind kind, bool bid) {
    const auto* m = svc.markets().find(kind, "BTCUSDT");
    return bid ? m->best_bid()->price : m->best_ask()->price;
  }
};

InstrumentId id(MarketKind k) { return {tradingd::Venue::Bybit, k, Symbol::from("BTCUSDT")}; }

OrderRequest order(const char* cid, MarketKind k, Side side, OrderType type, const char* qty, std::optional<Price> px = {}) {
  OrderRequest o;
  o.client_order_id = ClientOrderId::from(cid);
  o.instrument = id(k);
  o.side = side;
  o.type = type;
  o.quantity = Quantity::from_string(qty);
  o.price = px;
  return o;
}

std::optional<std::string> header(const HttpResponse& r, std::string_view name) {
  for (const auto& [k, v] : r.headers)
    if (k == name) return v;
  return std::nullopt;
}

TEST(TradingFaults, ParseAndApply) {
  auto f = parse_fault_flag("clock_skew:-2500");
  ASSERT_TRUE(f);
  FaultState s;
  apply_fault(*f, kNow, s);
  EXPECT_EQ(s.clock_skew_ms, -2500);
  f = parse_fault_request(R"({"fault":"rate_limit","duration_ms":1500})");
  ASSERT_TRUE(f);
  apply_fault(*f, kNow, s);
  EXPECT_TRUE(s.rate_limited(kNow + 1499));
  EXPECT_FALSE(s.rate_limited(kNow + 1500));
  for (const char* k : {"accept_no_reply:2", "http_5xx:3", "duplicate_fills:4"}) {
    f = parse_fault_flag(k);
    ASSERT_TRUE(f) << k;
    apply_fault(*f, kNow, s);
  }
  EXPECT_EQ(s.accept_no_reply_pending, 2);
  EXPECT_EQ(s.http_5xx_pending, 3);
  EXPECT_EQ(s.duplicate_fills_pending, 4);
  EXPECT_NE(describe_faults(s, kNow).find("\"clock_skew_ms\":-2500"), std::string::npos);
  apply_fault({FaultKind::Clear, 0, 1}, kNow, s);
  EXPECT_EQ(s.clock_skew_ms, 0);
  EXPECT_EQ(s.accept_no_reply_pending, 0);
}

TEST(BybitPrivateRest, SignedWalletBalanceWithLimitHeaders) {
  Emu v;
  const auto r = v.send(tradingd::bybit::wallet_balance());
  ASSERT_EQ(r.status, 200);
  const auto b = Emu::body(r);
  EXPECT_EQ(b.at("retCode").as_int64(), 0) << r.body;
  const auto& coins = b.at("result").at("list").at(0).at("coin").as_array();
  bool usdt = false;
  for (const auto& c : coins)
    if (c.at("coin").as_string() == "USDT") usdt = c.at("walletBalance").as_string() == "100000";
  EXPECT_TRUE(usdt) << r.body;
  EXPECT_EQ(header(r, "X-Bapi-Limit"), "50");
  EXPECT_EQ(header(r, "X-Bapi-Limit-Status"), "49");
  EXPECT_TRUE(header(r, "X-Bapi-Limit-Reset-Timestamp"));
}

TEST(BybitPrivateRest, AuthenticationFailures) {
  Emu v;
  auto other_key = tradingd::bybit::BybitSigner::make("nope", "s1", 5000).value();
  EXPECT_EQ(Emu::code(v.send(tradingd::bybit::wallet_balance(), {}, &other_key)), 10003);
  auto other_secret = tradingd::bybit::BybitSigner::make("k1", "wrong", 5000).value();
  EXPECT_EQ(Emu::code(v.send(tradingd::bybit::wallet_balance(), {}, &other_secret)), 10004);
  // The window: server - recv_window <= ts < server + 1000.
  EXPECT_EQ(Emu::code(v.send(tradingd::bybit::wallet_balance(), v.now - 5001)), 10002);
  EXPECT_EQ(Emu::code(v.send(tradingd::bybit::wallet_balance(), v.now - 5000)), 0);
  EXPECT_EQ(Emu::code(v.send(tradingd::bybit::wallet_balance(), v.now + 999)), 0);
  EXPECT_EQ(Emu::code(v.send(tradingd::bybit::wallet_balance(), v.now + 1000)), 10002);
  // A body changed after signing fails the signature.
  auto r = tradingd::bybit::create_order(order("c1", MarketKind::LinearPerp, Side::Buy, OrderType::Market, "0.001"));
  HttpRequest req{"POST", r.path, r.payload, {}};
  for (auto& h : v.signer.headers(v.now, r.payload)) req.headers.emplace_back(h.name, h.value);
  req.body += " ";
  EXPECT_EQ(Emu::code(v.svc.handle_rest(req, v.now)), 10004);
  EXPECT_FALSE(v.svc.account().order(ClientOrderId::from("c1")));
}

TEST(BybitPrivateRest, ClockSkewFaultMovesTheVenueClock) {
  Emu v;
  apply_fault({FaultKind::ClockSkew, 30'000, 1}, v.now, v.svc.faults());
  EXPECT_EQ(Emu::code(v.send(tradingd::bybit::wallet_balance())), 10002);
  HttpRequest t{"GET", "/v5/market/time", "", {}};
  const auto tb = Emu::body(v.svc.handle_rest(t, v.now));
  EXPECT_EQ(tb.at("time").as_int64(), v.now + 30'000);
  EXPECT_EQ(Emu::code(v.send(tradingd::bybit::wallet_balance(), v.now + 30'000)), 0);
}

TEST(BybitPrivateRest, LinearMarketOrderFillsAndShowsEverywhere) {
  Emu v;
  const auto r = v.send(tradingd::bybit::create_order(order("m1", MarketKind::LinearPerp, Side::Buy, OrderType::Market, "0.010")));
  const auto b = Emu::body(r);
  ASSERT_EQ(b.at("retCode").as_int64(), 0) << r.body;
  const auto venue_id = b.at("result").at("orderId").as_string();
  EXPECT_FALSE(venue_id.empty());
  EXPECT_EQ(b.at("result").at("orderLinkId").as_string(), "m1");

  const auto q = Emu::body(v.send(tradingd::bybit::query_order(MarketKind::LinearPerp, "BTCUSDT", "m1")));
  const auto& o = q.at("result").at("list").at(0);
  EXPECT_EQ(o.at("orderStatus").as_string(), "Filled");
  EXPECT_EQ(o.at("cumExecQty").as_string(), "0.010");
  EXPECT_EQ(o.at("orderId").as_string(), venue_id);

  const auto ex = Emu::body(v.send(tradingd::bybit::executions(MarketKind::LinearPerp, "BTCUSDT", kNow)));
  const auto& list = ex.at("result").at("list").as_array();
  ASSERT_GE(list.size(), 1u);
  EXPECT_EQ(list[0].at("orderLinkId").as_string(), "m1");
  EXPECT_FALSE(list[0].at("execId").as_string().empty());

  const auto pos = Emu::body(v.send(tradingd::bybit::positions()));
  bool found = false;
  for (const auto& p : pos.at("result").at("list").as_array())
    if (p.at("symbol").as_string() == "BTCUSDT") {
      found = true;
      EXPECT_EQ(p.at("side").as_string(), "Buy");
      EXPECT_EQ(p.at("size").as_string(), "0.010");
    }
  EXPECT_TRUE(found);
}

TEST(BybitPrivateRest, SpotRestingOrderQueryCancelAndErrors) {
  Emu v;
  const Price low = v.best(MarketKind::Spot, true) - Price::from_string("1000");
  auto r = v.send(tradingd::bybit::create_order(order("s1", MarketKind::Spot, Side::Buy, OrderType::Limit, "0.001", low)));
  ASSERT_EQ(Emu::code(r), 0) << r.body;
  // Duplicate orderLinkId: spot's own code.
  r = v.send(tradingd::bybit::create_order(order("s1", MarketKind::Spot, Side::Buy, OrderType::Limit, "0.001", low)));
  EXPECT_EQ(Emu::code(r), 170141);
  auto open = Emu::body(v.send(tradingd::bybit::open_orders(MarketKind::Spot, std::nullopt)));
  ASSERT_EQ(open.at("result").at("list").as_array().size(), 1u);
  EXPECT_EQ(open.at("result").at("list").at(0).at("orderStatus").as_string(), "New");
  r = v.send(tradingd::bybit::cancel_order({id(MarketKind::Spot), ClientOrderId::from("s1"), VenueOrderId{}}));
  EXPECT_EQ(Emu::code(r), 0) << r.body;
  r = v.send(tradingd::bybit::cancel_order({id(MarketKind::Spot), ClientOrderId::from("s1"), VenueOrderId{}}));
  EXPECT_EQ(Emu::code(r), 170213);
  open = Emu::body(v.send(tradingd::bybit::open_orders(MarketKind::Spot, std::nullopt)));
  EXPECT_TRUE(open.at("result").at("list").as_array().empty());
  // Too much BTC to buy with 100k USDT.
  r = v.send(tradingd::bybit::create_order(order("s2", MarketKind::Spot, Side::Buy, OrderType::Limit, "50", low)));
  EXPECT_EQ(Emu::code(r), 170131) << r.body;
  // Unknown order on linear.
  r = v.send(tradingd::bybit::cancel_order({id(MarketKind::LinearPerp), ClientOrderId::from("zz"), VenueOrderId{}}));
  EXPECT_EQ(Emu::code(r), 110001);
}

TEST(BybitPrivateRest, CancelAllAndLeverage) {
  Emu v;
  const Price low = v.best(MarketKind::LinearPerp, true) - Price::from_string("1000");
  for (const char* c : {"a1", "a2"})
    ASSERT_EQ(Emu::code(v.send(tradingd::bybit::create_order(order(c, MarketKind::LinearPerp, Side::Buy, OrderType::Limit, "0.001", low)))), 0);
  const auto r = Emu::body(v.send(tradingd::bybit::cancel_all(MarketKind::LinearPerp, std::nullopt)));
  EXPECT_EQ(r.at("result").at("list").as_array().size(), 2u);
  EXPECT_TRUE(v.svc.account().open_orders(std::nullopt).empty());
  EXPECT_EQ(Emu::code(v.send(tradingd::bybit::set_leverage("BTCUSDT", 5))), 0);
  EXPECT_EQ(v.svc.account().leverage(id(MarketKind::LinearPerp)), 5);
  EXPECT_EQ(Emu::code(v.send(tradingd::bybit::set_leverage("BTCUSDT", 5))), 110043);
}

TEST(BybitPrivateRest, PerEndpointLimitAnswers10006) {
  Emu v;
  int refused = 0;
  for (int i = 0; i < 51; ++i)
    if (Emu::code(v.send(tradingd::bybit::open_orders(MarketKind::Spot, std::nullopt))) == 10006) ++refused;
  EXPECT_EQ(refused, 1);
  v.now += 1000;  // next second: a fresh window
  EXPECT_EQ(Emu::code(v.send(tradingd::bybit::open_orders(MarketKind::Spot, std::nullopt))), 0);
}

TEST(BybitPrivateFaults, Http5xxRateLimitAndAcceptNoReply) {
  Emu v;
  apply_fault({FaultKind::Http5xx, 0, 1}, v.now, v.svc.faults());
  auto r = v.send(tradingd::bybit::create_order(order("f1", MarketKind::LinearPerp, Side::Buy, OrderType::Market, "0.001")));
  EXPECT_EQ(r.status, 502);
  EXPECT_FALSE(v.svc.account().order(ClientOrderId::from("f1")));  // not executed

  apply_fault({FaultKind::RateLimit, 2000, 1}, v.now, v.svc.faults());
  r = v.send(tradingd::bybit::wallet_balance());
  EXPECT_EQ(Emu::code(r), 10006);
  EXPECT_EQ(header(r, "X-Bapi-Limit-Status"), "0");
  EXPECT_EQ(header(r, "X-Bapi-Limit-Reset-Timestamp"), std::to_string(v.now + 2000));
  v.now += 2000;
  EXPECT_EQ(Emu::code(v.send(tradingd::bybit::wallet_balance())), 0);

  apply_fault({FaultKind::AcceptNoReply, 0, 1}, v.now, v.svc.faults());
  r = v.send(tradingd::bybit::create_order(order("f2", MarketKind::LinearPerp, Side::Buy, OrderType::Market, "0.001")));
  EXPECT_TRUE(r.no_reply);
  const auto rep = v.svc.account().order(ClientOrderId::from("f2"));
  ASSERT_TRUE(rep);  // executed although never answered
  EXPECT_EQ(rep->status, OrderStatus::Filled);
  r = v.send(tradingd::bybit::create_order(order("f3", MarketKind::LinearPerp, Side::Buy, OrderType::Market, "0.001")));
  EXPECT_FALSE(r.no_reply);
}

struct PrivateWs {
  Emu& v;
  std::unique_ptr<WsProtocol> ws;
  std::vector<std::string> out;
  explicit PrivateWs(Emu& venue) : v(venue), ws(venue.svc.open_ws("/v5/private")) {}
  json::object send(std::string_view text) {
    out.clear();
    ws->on_text(text, v.now, out);
    EXPECT_EQ(out.size(), 1u) << text;
    return out.empty() ? json::object{} : json::parse(out.back()).as_object();
  }
  std::vector<json::object> tick() {
    out.clear();
    ws->on_tick(v.tick(), out);
    std::vector<json::object> r;
    for (const auto& f : out) r.push_back(json::parse(f).as_object());
    return r;
  }
};

TEST(BybitPrivateWs, AuthSubscribePushesAndPong) {
  Emu v;
  PrivateWs p(v);
  ASSERT_NE(p.ws, nullptr);
  EXPECT_TRUE(p.ws->is_private());
  EXPECT_FALSE(p.send(R"({"op":"subscribe","args":["order"]})").at("success").as_bool());  // not authorised yet
  auto bad = tradingd::bybit::BybitSigner::make("k1", "wrong", 5000).value();
  EXPECT_FALSE(p.send(bad.ws_auth_frame(v.now + 1000)).at("success").as_bool());
  EXPECT_FALSE(p.send(v.signer.ws_auth_frame(v.now - 1)).at("success").as_bool());  // expired
  EXPECT_TRUE(p.send(v.signer.ws_auth_frame(v.now + 1000)).at("success").as_bool());
  EXPECT_TRUE(p.send(tradingd::bybit::ws_subscribe_frame(false)).at("success").as_bool());
  EXPECT_FALSE(p.send(R"({"op":"subscribe","args":["orderbook.1.BTCUSDT"]})").at("success").as_bool());
  const auto pong = p.send(R"({"op":"ping","req_id":"7"})");
  EXPECT_EQ(pong.at("op").as_string(), "pong");
  EXPECT_EQ(pong.at("req_id").as_string(), "7");

  ASSERT_EQ(Emu::code(v.send(tradingd::bybit::create_order(order("w1", MarketKind::LinearPerp, Side::Buy, OrderType::Market, "0.002")))), 0);
  const auto frames = p.tick();
  std::vector<std::string> seen;
  for (const auto& f : frames) {
    const std::string topic(f.at("topic").as_string());
    const auto& d = f.at("data").at(0).as_object();
    if (topic == "order") seen.push_back("order:" + std::string(d.at("orderStatus").as_string()));
    else seen.push_back(topic);
    if (topic == "execution") {
      EXPECT_EQ(d.at("orderLinkId").as_string(), "w1");
      EXPECT_EQ(d.at("execQty").as_string(), "0.002");
    }
    if (topic == "position") {
      EXPECT_EQ(d.at("size").as_string(), "0.002");
    }
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"order:New", "execution", "order:Filled", "position", "wallet"}));
  EXPECT_TRUE(p.tick().empty());  // each event once
}

TEST(BybitPrivateWs, DuplicateFillsFaultRepeatsAndReorders) {
  Emu v;
  PrivateWs p(v);
  p.send(v.signer.ws_auth_frame(v.now + 1000));
  p.send(R"({"op":"subscribe","args":["execution"]})");
  ASSERT_EQ(Emu::code(v.send(tradingd::bybit::create_order(order("d1", MarketKind::LinearPerp, Side::Buy, OrderType::Market, "0.001")))), 0);
  ASSERT_EQ(p.tick().size(), 1u);
  apply_fault({FaultKind::DuplicateFills, 0, 1}, v.now, v.svc.faults());
  ASSERT_EQ(Emu::code(v.send(tradingd::bybit::create_order(order("d2", MarketKind::LinearPerp, Side::Buy, OrderType::Market, "0.001")))), 0);
  const auto frames = p.tick();
  ASSERT_EQ(frames.size(), 3u);
  auto link = [&](std::size_t i) { return std::string(frames[i].at("data").at(0).at("orderLinkId").as_string()); };
  EXPECT_EQ(link(0), "d2");
  EXPECT_EQ(link(1), "d2");  // duplicate
  EXPECT_EQ(link(2), "d1");  // older fill after a newer one
}

TEST(BybitPrivateWs, DisconnectCancelAllAfterTheWindow) {
  Emu v;
  ASSERT_EQ(Emu::code(v.send(tradingd::bybit::disconnect_cancel_all("DERIVATIVES", 3))), 0);
  auto p = std::make_unique<PrivateWs>(v);
  p->send(v.signer.ws_auth_frame(v.now + 1000));
  p->send(tradingd::bybit::ws_subscribe_frame(true));
  const Price low = v.best(MarketKind::LinearPerp, true) - Price::from_string("1000");
  ASSERT_EQ(Emu::code(v.send(tradingd::bybit::create_order(order("k1", MarketKind::LinearPerp, Side::Buy, OrderType::Limit, "0.001", low)))), 0);
  const Price spot_low = v.best(MarketKind::Spot, true) - Price::from_string("1000");
  ASSERT_EQ(Emu::code(v.send(tradingd::bybit::create_order(order("k2", MarketKind::Spot, Side::Buy, OrderType::Limit, "0.001", spot_low)))), 0);
  v.tick(5000);
  EXPECT_EQ(v.svc.account().open_orders(std::nullopt).size(), 2u);  // connected: nothing happens
  p.reset();                                                         // the connection is gone
  v.tick(100);
  v.tick(2000);
  EXPECT_EQ(v.svc.account().open_orders(std::nullopt).size(), 2u);  // inside the window
  v.tick(1500);
  const auto open = v.svc.account().open_orders(std::nullopt);
  ASSERT_EQ(open.size(), 1u);  // derivatives cancelled, spot (no DCP window) kept
  EXPECT_EQ(open[0].client_order_id.view(), "k2");
}

// Every key the emulator sends is one the venue sends, with the same kind of value (keys the venue sends
// and the emulator leaves out are not checked here: the adapter's parsers are tested on the real payloads).
std::vector<std::string> wrong_fields(const json::value& ours, const std::string& fixture, const std::set<std::string>& allowed = {}) {
  // The fixture's first item: result.list[0] (REST) or data[0] (stream).
  const json::value doc = test::fixture_json(fixture);
  const json::value& venue = doc.as_object().contains("result") ? doc.at("result").at("list").at(0) : doc.at("data").at(0);
  std::vector<std::string> out;
  for (auto& line : test::shape_diff(ours, venue, allowed))
    if (line.find(": missing") == std::string::npos) out.push_back(line);
  return out;
}

TEST(BybitPrivateShapes, RestAndStreamPayloadsUseTheVenuesFields) {
  TRADINGD_REQUIRE_FIXTURES();
  Emu v;
  PrivateWs p(v);
  p.send(v.signer.ws_auth_frame(v.now + 1000));
  p.send(tradingd::bybit::ws_subscribe_frame(false));
  const Price low = v.best(MarketKind::LinearPerp, true) - Price::from_string("1000");
  ASSERT_EQ(Emu::code(v.send(tradingd::bybit::create_order(order("sh1", MarketKind::LinearPerp, Side::Buy, OrderType::Limit, "0.001", low)))), 0);
  ASSERT_EQ(Emu::code(v.send(tradingd::bybit::create_order(order("sh2", MarketKind::LinearPerp, Side::Buy, OrderType::Market, "0.001")))), 0);
  auto item = [](const HttpResponse& r) { return json::parse(r.body).at("result").at("list").at(0); };
  EXPECT_EQ(test::join(wrong_fields(item(v.send(tradingd::bybit::open_orders(MarketKind::LinearPerp, std::nullopt))),
                                    "bybit/rest_response/http_get_orders_realtime.json")), "");
  EXPECT_EQ(test::join(wrong_fields(item(v.send(tradingd::bybit::executions(MarketKind::LinearPerp, "BTCUSDT", kNow))),
                                    "bybit/rest_response/http_get_executions.json")), "");
  EXPECT_EQ(test::join(wrong_fields(item(v.send(tradingd::bybit::positions())), "bybit/rest_response/http_get_positions.json")), "");
  EXPECT_EQ(test::join(wrong_fields(item(v.send(tradingd::bybit::wallet_balance())), "bybit/rest_response/http_get_wallet_balance.json")), "");
  std::map<std::string, json::value> first;
  p.out.clear();
  p.ws->on_tick(v.tick(), p.out);
  for (const auto& f : p.out) {
    auto j = json::parse(f);
    first.emplace(std::string(j.at("topic").as_string()), j.at("data").at(0));
  }
  ASSERT_EQ(first.size(), 4u);
  EXPECT_EQ(test::join(wrong_fields(first["order"], "bybit/ws_private/ws_account_order.json")), "");
  EXPECT_EQ(test::join(wrong_fields(first["execution"], "bybit/ws_private/ws_account_execution.json")), "");
  EXPECT_EQ(test::join(wrong_fields(first["position"], "bybit/ws_private/ws_account_position.json")), "");
  EXPECT_EQ(test::join(wrong_fields(first["wallet"], "bybit/ws_private/ws_account_wallet.json")), "");
}

}  // namespace
}  // namespace tradingd::emulator
