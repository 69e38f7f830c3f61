// The emulator's OKX trading side without sockets: authentication exactly as OKX checks it, the trade and
// account endpoints over the EmulatedAccount (answers read back with the adapter's own parsers), the
// private WebSocket (login, subscribe, pushes from the event log), cancel-all-after, and the trading faults.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "exchange/emulator/okx/service.h"
#include "exchange/okx/trading_parse.h"
#include "exchange/okx/trading_requests.h"
#include "exchange/okx/trading_sign.h"
#include "exchange/okx/trading_stream.h"

namespace tradingd::emulator {
namespace {

namespace tok = tradingd::okx;
constexpr std::int64_t kStart = 1'700'000'000'000;

struct Fixture {
  ServiceOptions opts = [] {
    ServiceOptions o;
    o.market = {5, kStart, 10};
    return o;
  }();
  okx::OkxService svc{opts};
  tok::OkxSigner signer = tok::OkxSigner::make(opts.account.api_key, opts.account.api_secret, opts.account.passphrase, false).value();
  std::int64_t now = kStart;
  InstrumentId spot{Venue::Okx, MarketKind::Spot, Symbol::from("BTC-USDT")};
  InstrumentId swap{Venue::Okx, MarketKind::LinearPerp, Symbol::from("BTC-USDT-SWAP")};

  Fixture() { step(); }
  VenueTick step(std::int64_t ms = 100) {
    now += ms;
    return svc.tick(now);
  }
  HttpRequest signed_req(const tok::OkxRequest& r, std::int64_t ts_ms) const {
    HttpRequest h;
    h.method = std::string(tok::to_string(r.method));
    h.target = r.path;
    h.body = r.body;
    for (auto& [k, v] : signer.headers(ts_ms, h.method, r.path, r.body)) h.headers.emplace_back(k, v);
    return h;
  }
  HttpResponse send(const tok::OkxRequest& r) { return svc.handle_rest(signed_req(r, now), now); }
  OrderRequest order(const char* id, InstrumentId inst, Side side, OrderType type, const char* qty,
                     std::optional<Price> px = {}) const {
    OrderRequest o;
    o.client_order_id = ClientOrderId::from(id);
    o.instrument = inst;
    o.side = side;
    o.type = type;
    o.time_in_force = type == OrderType::Market ? TimeInForce::Ioc : TimeInForce::Gtc;
    o.quantity = Quantity::from_string(qty);
    o.price = px;
    return o;
  }
  HttpResponse place(const OrderRequest& o) { return send(*tok::place_order(o)); }
  Price far_bid() const {
    const auto* m = svc.markets().find(MarketKind::Spot, "BTC-USDT");
    return Price::from_units(m->mid_price().raw() / 2 / 1'000'000'000 / 10 * 10);
  }
};

std::string code_of(const HttpResponse& r) { return std::string(boost::json::parse(r.body).at("code").as_string()); }

TEST(OkxPrivate, SignedRequestsPassAndEachAuthFailureHasOkxsCode) {
  Fixture f;
  auto ok = f.send(tok::balance());
  EXPECT_EQ(ok.status, 200) << ok.body;
  auto bal = tok::parse_balance(ok.status, ok.body);
  ASSERT_TRUE(bal);
  EXPECT_FALSE(bal->empty());

  auto req = f.signed_req(tok::balance(), f.now);
  auto bad_sign = req;
  bad_sign.target += "?ccy=BTC";  // the signature covered another target
  EXPECT_EQ(code_of(f.svc.handle_rest(bad_sign, f.now)), "50113");
  auto bad_pass = req;
  for (auto& [k, v] : bad_pass.headers)
    if (k == "OK-ACCESS-PASSPHRASE") v = "wrong";
  EXPECT_EQ(code_of(f.svc.handle_rest(bad_pass, f.now)), "50105");
  auto bad_key = req;
  for (auto& [k, v] : bad_key.headers)
    if (k == "OK-ACCESS-KEY") v = "other";
  EXPECT_EQ(code_of(f.svc.handle_rest(bad_key, f.now)), "50111");
  auto no_key = req;
  std::erase_if(no_key.headers, [](const auto& h) { return h.first == "OK-ACCESS-KEY"; });
  EXPECT_EQ(code_of(f.svc.handle_rest(no_key, f.now)), "50103");
  // 30 s window, both ways.
  EXPECT_EQ(code_of(f.svc.handle_rest(f.signed_req(tok::balance(), f.now - 31'000), f.now)), "50102");
  EXPECT_EQ(code_of(f.svc.handle_rest(f.signed_req(tok::balance(), f.now + 31'000), f.now)), "50102");
  EXPECT_EQ(f.svc.handle_rest(f.signed_req(tok::balance(), f.now - 29'000), f.now).status, 200);
  // A POST signs its exact body.
  auto post = f.signed_req(tok::cancel_all_after(0), f.now);
  post.body = R"({"timeOut": "0"})";
  EXPECT_EQ(code_of(f.svc.handle_rest(post, f.now)), "50113");
}

TEST(OkxPrivate, ClockSkewGivesTimestampExpiredUntilTheClientUsesTheVenuesTime) {
  Fixture f;
  apply_fault({FaultKind::ClockSkew, 45'000, 1}, f.now, f.svc.faults());
  auto r = f.send(tok::balance());
  EXPECT_EQ(code_of(r), "50102");
  auto t = f.svc.handle_rest(HttpRequest{"GET", "/api/v5/public/time", "", {}}, f.now);
  auto venue_ms = tok::parse_server_time(t.status, t.body);
  ASSERT_TRUE(venue_ms);
  EXPECT_EQ(*venue_ms, f.now + 45'000);
  EXPECT_EQ(f.svc.handle_rest(f.signed_req(tok::balance(), *venue_ms), f.now).status, 200);
}

TEST(OkxPrivate, SpotMarketBuyFillsAndEveryQuerySeesIt) {
  Fixture f;
  auto r = f.place(f.order("m1", f.spot, Side::Buy, OrderType::Market, "0.01"));
  auto acks = tok::parse_acks(r.status, r.body);
  ASSERT_TRUE(acks) << r.body;
  ASSERT_TRUE((*acks)[0].ok()) << r.body;
  EXPECT_FALSE((*acks)[0].ord_id.empty());
  EXPECT_EQ((*acks)[0].cl_ord_id, "m1");

  auto q = f.send(tok::query_order(f.spot, ClientOrderId::from("m1")));
  auto rep = tok::parse_orders(q.status, q.body);
  ASSERT_TRUE(rep) << q.body;
  EXPECT_EQ((*rep)[0].status, OrderStatus::Filled);
  EXPECT_EQ((*rep)[0].filled_quantity, Quantity::from_string("0.01"));
  EXPECT_EQ((*rep)[0].venue_order_id.view(), (*acks)[0].ord_id);

  auto fl = f.send(tok::fills(f.spot, 0));
  auto fills = tok::parse_fills(fl.status, fl.body);
  ASSERT_TRUE(fills) << fl.body;
  ASSERT_FALSE(fills->empty());
  Quantity total;
  for (const auto& x : *fills) total += x.last_quantity;
  EXPECT_EQ(total, Quantity::from_string("0.01"));
  EXPECT_TRUE((*fills)[0].fee.is_positive());

  auto b = f.send(tok::balance());
  auto bal = tok::parse_balance(b.status, b.body);
  ASSERT_TRUE(bal);
  bool btc = false;
  for (const auto& x : *bal)
    if (x.asset.view() == "BTC") {
      btc = true;
      EXPECT_GT(x.free, Money::from_string("1"));
    }
  EXPECT_TRUE(btc);
  EXPECT_EQ(code_of(f.send(tok::query_order(f.spot, ClientOrderId::from("nope")))), "51603");
}

TEST(OkxPrivate, RestingLimitListedCanceledAndCancelAgainFails) {
  Fixture f;
  auto r = f.place(f.order("l1", f.spot, Side::Buy, OrderType::Limit, "0.01", f.far_bid()));
  ASSERT_EQ(code_of(r), "0") << r.body;
  auto p = f.send(tok::orders_pending(MarketKind::Spot, std::nullopt));
  auto open = tok::parse_orders(p.status, p.body);
  ASSERT_TRUE(open);
  ASSERT_EQ(open->size(), 1u);
  EXPECT_EQ((*open)[0].status, OrderStatus::Accepted);
  EXPECT_EQ((*open)[0].price, f.far_bid());
  // Same clOrdId while pending: duplicate.
  auto dup = tok::parse_acks(200, f.place(f.order("l1", f.spot, Side::Buy, OrderType::Limit, "0.01", f.far_bid())).body);
  ASSERT_TRUE(dup);
  EXPECT_EQ((*dup)[0].s_code, "51016");

  const CancelRequest c{f.spot, ClientOrderId::from("l1"), {}};
  auto cr = tok::parse_acks(200, f.send(tok::cancel_order(c)).body);
  ASSERT_TRUE(cr);
  EXPECT_TRUE((*cr)[0].ok());
  auto again = tok::parse_acks(200, f.send(tok::cancel_order(c)).body);
  ASSERT_TRUE(again);
  EXPECT_EQ(tok::ack_error((*again)[0]).reason, VenueErrorReason::UnknownOrder);
  auto q = f.send(tok::query_order(f.spot, ClientOrderId::from("l1")));
  EXPECT_EQ((*tok::parse_orders(q.status, q.body))[0].status, OrderStatus::Canceled);
}

TEST(OkxPrivate, BatchCancelPartlySucceedsAndInsufficientBalanceIs51008) {
  Fixture f;
  ASSERT_EQ(code_of(f.place(f.order("a1", f.spot, Side::Buy, OrderType::Limit, "0.01", f.far_bid()))), "0");
  std::vector<CancelRequest> cs{{f.spot, ClientOrderId::from("a1"), {}}, {f.spot, ClientOrderId::from("zz"), {}}};
  auto r = f.send(tok::cancel_batch(cs)[0]);
  EXPECT_EQ(code_of(r), "2");
  auto acks = tok::parse_acks(r.status, r.body);
  ASSERT_TRUE(acks);
  EXPECT_TRUE((*acks)[0].ok());
  EXPECT_EQ((*acks)[1].s_code, "51400");

  auto big = f.place(f.order("big", f.spot, Side::Buy, OrderType::Limit, "100", f.far_bid()));
  EXPECT_EQ(code_of(big), "1");
  auto a = tok::parse_acks(big.status, big.body);
  ASSERT_TRUE(a);
  EXPECT_EQ(tok::ack_error((*a)[0]).reason, VenueErrorReason::InsufficientBalance);
  auto unknown = f.place(f.order("u1", InstrumentId{Venue::Okx, MarketKind::Spot, Symbol::from("NOPE-USDT")}, Side::Buy,
                                 OrderType::Market, "1"));
  EXPECT_EQ(code_of(unknown), "51001");
}

TEST(OkxPrivate, SwapLeverageAndPositionInContracts) {
  Fixture f;
  auto l = f.send(tok::set_leverage(f.swap, 5));
  auto lev = tok::parse_leverage(l.status, l.body);
  ASSERT_TRUE(lev) << l.body;
  EXPECT_EQ(*lev, 5);
  ASSERT_EQ(code_of(f.place(f.order("s1", f.swap, Side::Buy, OrderType::Market, "2"))), "0");
  auto p = f.send(tok::positions());
  auto pos = tok::parse_positions(p.status, p.body);
  ASSERT_TRUE(pos) << p.body;
  ASSERT_EQ(pos->size(), 1u);
  EXPECT_EQ((*pos)[0].quantity, Quantity::from_string("2"));  // contracts
  EXPECT_EQ((*pos)[0].leverage, 5);
  EXPECT_EQ(code_of(f.send(tok::set_leverage(f.swap, 100000))), "51000");
}

TEST(OkxPrivate, CancelAllAfterCancelsEverythingWhenNotRefreshed) {
  Fixture f;
  ASSERT_EQ(code_of(f.place(f.order("d1", f.spot, Side::Buy, OrderType::Limit, "0.01", f.far_bid()))), "0");
  auto r = f.send(tok::cancel_all_after(10));
  auto trig = tok::parse_cancel_all_after(r.status, r.body);
  ASSERT_TRUE(trig) << r.body;
  EXPECT_EQ(*trig, f.now + 10'000);
  f.step(9'000);
  ASSERT_EQ(code_of(f.send(tok::cancel_all_after(10))), "0");  // refreshed: the countdown restarts
  f.step(9'000);
  EXPECT_EQ(f.svc.account().open_orders(std::nullopt).size(), 1u);
  f.step(1'100);
  EXPECT_EQ(f.svc.account().open_orders(std::nullopt).size(), 0u);
  EXPECT_TRUE(f.svc.canceled_by_dead_man("d1"));
  EXPECT_EQ(code_of(f.send(tok::cancel_all_after(5000))), "0");  // clamped by the builder to 120
}

TEST(OkxPrivate, TradingFaults) {
  Fixture f;
  apply_fault({FaultKind::Http5xx, 0, 1}, f.now, f.svc.faults());
  auto r = f.place(f.order("x1", f.spot, Side::Buy, OrderType::Market, "0.01"));
  EXPECT_EQ(r.status, 503);
  EXPECT_FALSE(f.svc.account().order(ClientOrderId::from("x1")));  // not executed
  apply_fault({FaultKind::RateLimit, 0, 1}, f.now, f.svc.faults());
  r = f.send(tok::balance());
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(code_of(r), "50011");
  apply_fault({FaultKind::AcceptNoReply, 0, 1}, f.now, f.svc.faults());
  r = f.place(f.order("x2", f.spot, Side::Buy, OrderType::Market, "0.01"));
  EXPECT_TRUE(r.no_reply);
  auto o = f.svc.account().order(ClientOrderId::from("x2"));
  ASSERT_TRUE(o);  // the order exists and filled
  EXPECT_EQ(o->status, OrderStatus::Filled);
  EXPECT_FALSE(f.send(tok::balance()).no_reply);  // one only
}

struct WsClient {
  std::unique_ptr<WsProtocol> ws;
  std::vector<std::string> out;
  void text(std::string_view t, std::int64_t now) { ws->on_text(t, now, out); }
  std::vector<tok::OkxStreamMessage> drain() {
    std::vector<tok::OkxStreamMessage> msgs;
    for (const auto& s : out) {
      auto m = tok::parse_stream(s);
      EXPECT_TRUE(m) << s;
      if (m) msgs.push_back(*m);
    }
    out.clear();
    return msgs;
  }
};

TEST(OkxPrivate, PrivateStreamLoginSubscribeAndPushes) {
  Fixture f;
  WsClient c{f.svc.open_ws("/ws/v5/private"), {}};
  ASSERT_TRUE(c.ws);
  EXPECT_TRUE(c.ws->is_private());
  c.text(tok::subscribe_private_frame(), f.now);
  auto m = c.drain();
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0].code, "60011");  // not logged in
  auto wrong = tok::OkxSigner::make(f.opts.account.api_key, "other-secret", f.opts.account.passphrase, false);
  c.text(wrong->ws_login(f.now / 1000), f.now);
  m = c.drain();
  EXPECT_EQ(m[0].kind, tok::OkxStreamMessage::Kind::Error);
  EXPECT_EQ(m[0].code, "60007");
  c.text(f.signer.ws_login(f.now / 1000 - 40), f.now);
  EXPECT_EQ(c.drain()[0].code, "60004");
  c.text(f.signer.ws_login(f.now / 1000), f.now);
  m = c.drain();
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0].kind, tok::OkxStreamMessage::Kind::Login);
  c.text(tok::subscribe_private_frame(), f.now);
  m = c.drain();
  ASSERT_EQ(m.size(), 5u);  // three acks, the account and positions snapshots
  EXPECT_EQ(m[0].kind, tok::OkxStreamMessage::Kind::Subscribed);
  c.text("ping", f.now);
  EXPECT_EQ(c.drain()[0].kind, tok::OkxStreamMessage::Kind::Pong);

  ASSERT_EQ(code_of(f.place(f.order("w1", f.spot, Side::Buy, OrderType::Market, "0.02"))), "0");
  c.ws->on_tick(f.step(), c.out);
  m = c.drain();
  std::vector<OrderFilled> fills;
  bool account = false;
  for (const auto& x : m) {
    for (const auto& e : x.events)
      if (auto* fl = std::get_if<OrderFilled>(&e)) fills.push_back(*fl);
    account |= x.kind == tok::OkxStreamMessage::Kind::Account;
  }
  ASSERT_FALSE(fills.empty());
  Quantity total;
  for (const auto& x : fills) total += x.last_quantity;
  EXPECT_EQ(total, Quantity::from_string("0.02"));
  EXPECT_EQ(fills[0].client_order_id.view(), "w1");
  EXPECT_TRUE(account);

  // duplicate_fill: the same tradeId is pushed twice.
  apply_fault({FaultKind::DuplicateFill, 0, 1}, f.now, f.svc.faults());
  ASSERT_EQ(code_of(f.place(f.order("w2", f.spot, Side::Buy, OrderType::Market, "0.01"))), "0");
  c.ws->on_tick(f.step(), c.out);
  std::map<std::string, int> seen;
  for (const auto& x : c.drain())
    for (const auto& e : x.events)
      if (auto* fl = std::get_if<OrderFilled>(&e)) ++seen[fl->trade_id.str()];
  ASSERT_FALSE(seen.empty());
  EXPECT_EQ(std::max_element(seen.begin(), seen.end(), [](auto& a, auto& b) { return a.second < b.second; })->second, 2);

  // A resting order: accepted push, then its cancel.
  ASSERT_EQ(code_of(f.place(f.order("w3", f.spot, Side::Buy, OrderType::Limit, "0.01", f.far_bid()))), "0");
  ASSERT_EQ(code_of(f.send(tok::cancel_order({f.spot, ClientOrderId::from("w3"), {}}))), "0");
  c.ws->on_tick(f.step(), c.out);
  m = c.drain();
  ASSERT_GE(m.size(), 2u);
  EXPECT_TRUE(std::holds_alternative<OrderAccepted>(m[0].events.at(0)));
  EXPECT_TRUE(std::holds_alternative<OrderCanceled>(m[1].events.at(0)));
}

}  // namespace
}  // namespace tradingd::emulator

namespace tradingd::emulator {
namespace {

TEST(OkxPrivate, TradingFaultKindsParseFromFlagsAndAdminBodies) {
  auto skew = parse_fault_flag("clock_skew:45000");
  ASSERT_TRUE(skew);
  EXPECT_EQ(skew->kind, FaultKind::ClockSkew);
  EXPECT_EQ(skew->duration_ms, 45'000);
  auto silent = parse_fault_request(R"({"fault":"accept_no_reply","count":2})");
  ASSERT_TRUE(silent);
  FaultState s;
  apply_fault(*silent, 0, s);
  apply_fault(*skew, 0, s);
  EXPECT_EQ(s.accept_no_reply_pending, 2);
  EXPECT_EQ(s.clock_skew_ms, 45'000);
  for (const char* k : {"http_5xx", "rate_limit", "duplicate_fill", "reorder"}) EXPECT_TRUE(parse_fault_flag(k)) << k;
  apply_fault({FaultKind::Clear, 0, 1}, 0, s);
  EXPECT_EQ(s.clock_skew_ms, 0);
  EXPECT_FALSE(FaultState::take(s.accept_no_reply_pending));
}

}  // namespace
}  // namespace tradingd::emulator

namespace tradingd::emulator {
namespace {

TEST(OkxPrivate, PlaceOrderBudgetIsSixtyPerTwoSecondsPerInstrument) {
  Fixture f;
  f.now = (f.now / 2000 + 1) * 2000;  // the start of a 2 s window
  f.svc.tick(f.now);
  int ok = 0, limited = 0;
  for (int i = 0; i < 61; ++i) {
    auto r = f.place(f.order(("rl" + std::to_string(i)).c_str(), f.spot, Side::Buy, OrderType::Limit, "0.001", f.far_bid()));
    if (r.status == 429 && code_of(r) == "50011") ++limited;
    else if (code_of(r) == "0") ++ok;
  }
  EXPECT_EQ(ok, 60);
  EXPECT_EQ(limited, 1);
  // Another instrument has its own budget; the next window starts afresh.
  EXPECT_EQ(code_of(f.place(f.order("rlswap", f.swap, Side::Buy, OrderType::Limit, "1", Price::from_units(1000)))), "0");
  f.now += 2000;
  EXPECT_EQ(code_of(f.place(f.order("rlnext", f.spot, Side::Buy, OrderType::Limit, "0.001", f.far_bid()))), "0");
}

}  // namespace
}  // namespace tradingd::emulator

namespace tradingd::emulator {
namespace {

TEST(OkxPrivate, ReorderFaultSwapsTwoPushes) {
  Fixture f;
  WsClient c{f.svc.open_ws("/ws/v5/private"), {}};
  c.text(f.signer.ws_login(f.now / 1000), f.now);
  c.text(R"({"op":"subscribe","args":[{"channel":"orders","instType":"ANY"}]})", f.now);
  c.drain();
  apply_fault({FaultKind::Reorder, 0, 1}, f.now, f.svc.faults());
  ASSERT_EQ(code_of(f.place(f.order("ro1", f.spot, Side::Buy, OrderType::Limit, "0.001", f.far_bid()))), "0");
  ASSERT_EQ(code_of(f.send(tradingd::okx::cancel_order({f.spot, ClientOrderId::from("ro1"), {}}))), "0");
  c.ws->on_tick(f.step(), c.out);
  const auto m = c.drain();
  ASSERT_EQ(m.size(), 2u);
  EXPECT_TRUE(std::holds_alternative<OrderCanceled>(m[0].events.at(0)));  // the cancel arrives first
  EXPECT_TRUE(std::holds_alternative<OrderAccepted>(m[1].events.at(0)));
  EXPECT_EQ(f.svc.faults().reorder_pending, 0);
}

}  // namespace
}  // namespace tradingd::emulator
