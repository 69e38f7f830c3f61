// OKX v5 private REST on the emulator: authentication exactly as OKX checks it (OK-ACCESS-KEY, -PASSPHRASE,
// -TIMESTAMP within 30 s of the venue's clock, -SIGN = Base64(HMAC-SHA256(secret, timestamp + METHOD +
// target-as-received + body))), then the trade/account endpoints over the EmulatedAccount, answered in
// OKX's shapes: {"code","msg","data"} with sCode/sMsg per order (code 1 all failed, 2 partly). Faults:
// http_5xx, rate_limit (429 + 50011), accept_no_reply (executed, no answer), clock_skew (venue_ms).
#include <algorithm>

#include <boost/json.hpp>

#include "exchange/emulator/okx/service.h"
#include "exchange/okx/trading_requests.h"
#include "exchange/okx/trading_sign.h"

namespace tradingd::emulator::okx {
namespace json = boost::json;
namespace {

constexpr std::int64_t kTimestampWindowMs = 30'000;

HttpResponse reply(int status, std::string_view code, std::string_view msg, json::array data = {}) {
  return HttpResponse::json(status, json::serialize(json::object{{"code", code}, {"msg", msg}, {"data", std::move(data)}}));
}
HttpResponse ok(json::array data) { return reply(200, "0", "", std::move(data)); }

std::optional<std::string_view> header(const HttpRequest& req, std::string_view name) {
  for (const auto& [k, v] : req.headers) {
    if (k.size() == name.size() &&
        std::equal(k.begin(), k.end(), name.begin(), [](char a, char b) { return std::tolower(a) == std::tolower(b); }))
      return std::string_view(v);
  }
  return std::nullopt;
}

std::string str_of(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (!v) return {};
  if (v->is_string()) return std::string(v->get_string());
  if (v->is_int64()) return std::to_string(v->get_int64());
  if (v->is_bool()) return v->get_bool() ? "true" : "false";
  return {};
}

MarketKind kind_of(std::string_view inst_id) { return inst_id.ends_with("-SWAP") ? MarketKind::LinearPerp : MarketKind::Spot; }

// The sCode OKX gives for each reason the matching engine can reject with.
std::pair<std::string_view, std::string_view> reject_code(VenueErrorReason r) {
  switch (r) {
    case VenueErrorReason::InsufficientBalance: return {"51008", "Order failed. Insufficient balance."};
    case VenueErrorReason::InvalidQuantity: return {"51121", "Order quantity must be a multiple of the lot size."};
    case VenueErrorReason::InvalidPrice: return {"51006", "Order price is not within the price limit."};
    case VenueErrorReason::NotionalTooSmall: return {"51020", "Your order should meet or exceed the minimum order amount."};
    case VenueErrorReason::PostOnlyWouldTake: return {"51124", "You can only place limit orders after Call Auction has started."};
    case VenueErrorReason::FokNotFilled: return {"51143", "There is no matching quantity for FOK orders."};
    case VenueErrorReason::ReduceOnlyRejected: return {"51169", "Order failed because you don't have any positions to reduce."};
    case VenueErrorReason::DuplicateClientOrderId: return {"51016", "Duplicated clOrdId."};
    case VenueErrorReason::UnknownInstrument: return {"51001", "Instrument ID doesn't exist."};
    default: return {"51000", "Parameter error."};
  }
}

json::object item(std::string_view ord_id, std::string_view cl_ord_id, std::string_view s_code, std::string_view s_msg,
                  std::int64_t ts) {
  return json::object{{"clOrdId", cl_ord_id}, {"ordId", ord_id}, {"sCode", s_code}, {"sMsg", s_msg},
                      {"tag", ""},          {"ts", ms_str(ts)}};
}

// Top-level code for a set of per-order results: 0 all ok, 1 all failed, 2 partly.
HttpResponse items_reply(json::array items) {
  std::size_t failed = 0;
  for (const auto& i : items)
    if (i.as_object().at("sCode") != "0") ++failed;
  if (failed == 0) return ok(std::move(items));
  if (failed == items.size()) return reply(200, "1", "All operations failed", std::move(items));
  return reply(200, "2", "Bulk operation partially succeeded", std::move(items));
}

}  // namespace

std::string OkxService::sign(std::string_view a, std::string_view b, std::string_view c, std::string_view d) const {
  return live::to_base64(mac_.sign(a, b, c, d));
}

Quantity OkxService::acc_fill_at(std::string_view trade_id) const {
  const auto it = acc_by_trade_.find(trade_id);
  return it == acc_by_trade_.end() ? Quantity{} : it->second;
}

void OkxService::index_events() {
  for (const auto& e : account_.events_since(indexed_seq_)) {
    indexed_seq_ = e.seq;
    if (const auto* f = std::get_if<OrderFilled>(&e.event)) {
      auto& acc = acc_by_order_[f->client_order_id.str()];
      if (!acc_by_trade_.contains(f->trade_id.view())) {
        acc += f->last_quantity;
        acc_by_trade_[f->trade_id.str()] = acc;
      }
    }
  }
}

bool OkxService::admit_order_request(std::string_view inst_id, std::int64_t now_ms) {
  auto& [window, count] = order_requests_[std::string(inst_id)];
  if (window != now_ms / 2000) {
    window = now_ms / 2000;
    count = 0;
  }
  return ++count <= kOrderRequestsPer2s;
}

VenueTick OkxService::tick(std::int64_t now_ms) {
  VenueTick t = markets_.tick(now_ms, faults_);
  for (std::size_t i = 0; i < t.events.size() && i < markets_.all().size(); ++i) account_.on_market(markets_.all()[i], t.events[i]);
  // cancel-all-after: the countdown ran out without a refresh; every pending order goes (cancelSource 20).
  if (cancel_all_after_ms_ != 0 && now_ms >= cancel_all_after_ms_) {
    cancel_all_after_ms_ = 0;
    for (const auto& o : account_.open_orders(std::nullopt)) dead_man_canceled_.insert(o.client_order_id.str());
    (void)account_.cancel_all(std::nullopt, now_ms);
  }
  index_events();
  return t;
}

HttpResponse OkxService::handle_private(const HttpRequest& req, const Query& q, std::int64_t now_ms) {
  if (FaultState::take(faults_.http_5xx_pending)) return reply(503, "50001", "Service temporarily unavailable. Please try again later.");
  if (FaultState::take(faults_.rate_limit_pending)) return reply(429, "50011", "Too Many Requests");

  // Authentication, in OKX's order: missing headers, timestamp, key, passphrase, signature.
  const auto key = header(req, "OK-ACCESS-KEY");
  const auto pass = header(req, "OK-ACCESS-PASSPHRASE");
  const auto sig = header(req, "OK-ACCESS-SIGN");
  const auto ts = header(req, "OK-ACCESS-TIMESTAMP");
  if (!key || key->empty()) return reply(401, "50103", "Request header OK-ACCESS-KEY cannot be empty.");
  if (!pass || pass->empty()) return reply(401, "50104", "Request header OK-ACCESS-PASSPHRASE cannot be empty.");
  if (!sig || sig->empty()) return reply(401, "50106", "Request header OK-ACCESS-SIGN cannot be empty.");
  if (!ts || ts->empty()) return reply(401, "50107", "Request header OK-ACCESS-TIMESTAMP cannot be empty.");
  const auto ts_ms = tradingd::okx::parse_iso8601_ms(*ts);
  if (!ts_ms) return reply(401, "50112", "Invalid OK-ACCESS-TIMESTAMP");
  const std::int64_t venue_now = venue_ms(now_ms);
  if (std::abs(venue_now - *ts_ms) > kTimestampWindowMs) return reply(401, "50102", "Timestamp request expired");
  if (*key != account_.options().api_key) return reply(401, "50111", "Invalid OK-ACCESS-KEY");
  if (*pass != account_.options().passphrase) return reply(401, "50105", "Invalid OK-ACCESS-PASSPHRASE");
  if (sign(*ts, req.method, req.target, req.body) != *sig) return reply(401, "50113", "Invalid Sign");

  const std::string& p = q.path;
  const bool post = req.method == "POST";
  json::value body;
  if (post) {
    boost::system::error_code ec;
    body = json::parse(req.body, ec);
    if (ec) return reply(400, "50002", "JSON syntax error");
  }
  auto instrument = [&](std::string_view inst_id) { return account_.instrument(kind_of(inst_id), inst_id); };
  auto find_order = [&](const std::string& ord_id, const std::string& cl) -> std::optional<OrderStatusReport> {
    if (!ord_id.empty()) {
      auto v = VenueOrderId::make(ord_id);
      return v ? account_.order_by_venue_id(*v) : std::nullopt;
    }
    auto c = ClientOrderId::make(cl);
    return c && !cl.empty() ? account_.order(*c) : std::nullopt;
  };
  HttpResponse result;
  bool is_order = false;

  // One order of a place / batch-place / algo request: its answer item (sCode "0" when placed).
  auto place_one = [&](const json::object& o, bool algo) -> json::object {
    std::string cl = str_of(o, algo ? "algoClOrdId" : "clOrdId");
    if (cl.empty()) cl = "emu" + std::to_string(++generated_ids_);
    const std::string inst_id = str_of(o, "instId"), ord_type = str_of(o, "ordType"), side = str_of(o, "side"),
                      td_mode = str_of(o, "tdMode");
    auto fail = [&](std::string_view code, std::string_view msg) {
      if (algo) return json::object{{"algoClOrdId", cl}, {"algoId", ""}, {"sCode", code}, {"sMsg", msg}};
      return item("", cl, code, msg, venue_now);
    };
    const auto inst = instrument(inst_id);
    if (!inst) return fail("51001", "Instrument ID doesn't exist.");
    const bool spot = inst->kind == MarketKind::Spot;
    if (spot ? (td_mode != "cash" && td_mode != "cross") : (td_mode != "cross" && td_mode != "isolated"))
      return fail("51000", "Parameter tdMode error");
    if (side != "buy" && side != "sell") return fail("51000", "Parameter side error");
    if (!ClientOrderId::make(cl) || !tradingd::okx::valid_cl_ord_id(cl)) return fail("51000", "Parameter clOrdId error");
    if (auto existing = account_.order(*ClientOrderId::make(cl)); existing && is_open(existing->status))
      return fail("51016", "Duplicated clOrdId");
    OrderRequest r;
    r.client_order_id = *ClientOrderId::make(cl);
    r.instrument = *inst;
    r.side = side == "buy" ? Side::Buy : Side::Sell;
    auto qty = Quantity::parse(str_of(o, "sz"));
    if (!qty || !qty->is_positive()) return fail("51000", "Parameter sz error");
    r.quantity = *qty;
    r.reduce_only = str_of(o, "reduceOnly") == "true";
    if (spot && ord_type == "market" && side == "buy" && str_of(o, "tgtCcy") != "base_ccy")
      return fail("51000", "The emulator sizes spot market buys in base currency only (tgtCcy=base_ccy)");
    if (algo) {
      if (ord_type != "trigger") return fail("51000", "Parameter ordType error");
      auto trig = Price::parse(str_of(o, "triggerPx"));
      if (!trig) return fail("51000", "Parameter triggerPx error");
      r.trigger_price = *trig;
      const std::string opx = str_of(o, "orderPx");
      if (opx == "-1") {
        r.type = OrderType::StopMarket;
      } else {
        auto lp = Price::parse(opx);
        if (!lp) return fail("51000", "Parameter orderPx error");
        r.type = OrderType::StopLimit;
        r.price = *lp;
      }
    } else if (ord_type == "market") {
      r.type = OrderType::Market;
      r.time_in_force = TimeInForce::Ioc;
    } else {
      r.type = OrderType::Limit;
      if (ord_type == "limit") r.time_in_force = TimeInForce::Gtc;
      else if (ord_type == "post_only") r.time_in_force = TimeInForce::PostOnly;
      else if (ord_type == "fok") r.time_in_force = TimeInForce::Fok;
      else if (ord_type == "ioc") r.time_in_force = TimeInForce::Ioc;
      else return fail("51000", "Parameter ordType error");
      auto lp = Price::parse(str_of(o, "px"));
      if (!lp || !lp->is_positive()) return fail("51000", "Parameter px error");
      r.price = *lp;
    }
    const auto events = account_.submit(r, now_ms);
    index_events();
    std::string ord_id;
    for (const auto& e : events) {
      if (const auto* rej = std::get_if<OrderRejected>(&e)) {
        const auto [code, msg] = reject_code(rej->error.reason);
        return fail(code, msg);
      }
      if (const auto* acc = std::get_if<OrderAccepted>(&e)) ord_id = acc->venue_order_id.str();
    }
    if (ord_id.empty())
      if (auto rep = account_.order(r.client_order_id)) ord_id = rep->venue_order_id.str();
    if (algo) return json::object{{"algoClOrdId", cl}, {"algoId", ord_id}, {"sCode", "0"}, {"sMsg", ""}};
    return item(ord_id, cl, "0", "Order placed", venue_now);
  };

  if (post && (p == "/api/v5/trade/order" || p == "/api/v5/trade/order-algo" || p == "/api/v5/trade/batch-orders")) {
    is_order = true;
    json::array items;
    if (p == "/api/v5/trade/batch-orders") {
      if (!body.is_array()) return reply(400, "50002", "JSON syntax error");
      if (body.get_array().empty() || body.get_array().size() > 20) return reply(200, "51000", "Parameter error");
      for (const auto& v : body.get_array()) {
        if (!v.is_object()) return reply(400, "50002", "JSON syntax error");
        items.push_back(place_one(v.get_object(), false));
      }
    } else {
      if (!body.is_object()) return reply(400, "50002", "JSON syntax error");
      const auto& o = body.get_object();
      // OKX's documented budget: 60 place-order requests per 2 s per instrument (digest §4), then 50011.
      if (p == "/api/v5/trade/order" && !admit_order_request(str_of(o, "instId"), now_ms))
        return reply(429, "50011", "Too Many Requests");
      // A single order for an unknown instrument is refused at the top level, as OKX does.
      if (!instrument(str_of(o, "instId"))) return reply(200, "51001", "Instrument ID doesn't exist.");
      items.push_back(place_one(o, p == "/api/v5/trade/order-algo"));
    }
    result = items_reply(std::move(items));
  } else if (post && (p == "/api/v5/trade/cancel-order" || p == "/api/v5/trade/cancel-batch-orders")) {
    const bool batch = p == "/api/v5/trade/cancel-batch-orders";
    json::array reqs;
    if (batch && body.is_array()) reqs = body.get_array();
    else if (!batch && body.is_object()) reqs.push_back(body);
    else return reply(400, "50002", "JSON syntax error");
    if (reqs.empty() || reqs.size() > 20) return reply(200, "51000", "Parameter error");
    json::array items;
    for (const auto& v : reqs) {
      if (!v.is_object()) return reply(400, "50002", "JSON syntax error");
      const auto& o = v.get_object();
      const std::string ord_id = str_of(o, "ordId"), cl = str_of(o, "clOrdId");
      auto rep = find_order(ord_id, cl);
      if (!rep || !is_open(rep->status) || !instrument(str_of(o, "instId")) || rep->instrument.symbol.view() != str_of(o, "instId")) {
        items.push_back(item(ord_id, cl, "51400", "Cancellation failed as the order has been filled, canceled or does not exist.", venue_now));
        continue;
      }
      (void)account_.cancel(rep->instrument, rep->client_order_id, now_ms);
      items.push_back(item(rep->venue_order_id.view(), rep->client_order_id.view(), "0", "", venue_now));
    }
    index_events();
    result = items_reply(std::move(items));
  } else if (!post && p == "/api/v5/trade/order") {
    const std::string inst_id = q.get("instId").value_or(""), ord_id = q.get("ordId").value_or(""), cl = q.get("clOrdId").value_or("");
    if (inst_id.empty()) return reply(200, "50014", "Parameter instId can not be empty.");
    if (ord_id.empty() && cl.empty()) return reply(200, "50014", "Parameter ordId or clOrdId can not be empty.");
    auto rep = find_order(ord_id, cl);
    if (!rep || rep->instrument.symbol.view() != inst_id) return reply(200, "51603", "Order does not exist");
    result = HttpResponse::json(200, R"({"code":"0","msg":"","data":[)" + order_record(*this, *rep, nullptr, venue_now) + "]}");
  } else if (!post && p == "/api/v5/trade/orders-pending") {
    const auto type = q.get("instType"), inst_id = q.get("instId");
    std::string out = R"({"code":"0","msg":"","data":[)";
    bool first = true;
    for (const auto& o : account_.open_orders(std::nullopt)) {
      if (type && *type != (o.instrument.kind == MarketKind::Spot ? "SPOT" : "SWAP")) continue;
      if (inst_id && *inst_id != o.instrument.symbol.view()) continue;
      if (!first) out += ',';
      first = false;
      out += order_record(*this, o, nullptr, venue_now);
    }
    result = HttpResponse::json(200, out + "]}");
  } else if (!post && (p == "/api/v5/trade/fills" || p == "/api/v5/trade/fills-history")) {
    const auto type = q.get("instType"), inst_id = q.get("instId");
    if (p == "/api/v5/trade/fills-history" && !type) return reply(200, "50014", "Parameter instType can not be empty.");
    const std::int64_t begin = q.get("begin") ? parse_int(*q.get("begin")).value_or(0) : 0;
    const std::size_t limit = static_cast<std::size_t>(std::clamp<std::int64_t>(q.get("limit") ? parse_int(*q.get("limit")).value_or(100) : 100, 1, 100));
    auto all = account_.fills(std::nullopt, begin);
    json::array data;
    for (auto it = all.rbegin(); it != all.rend() && data.size() < limit; ++it) {  // newest first
      const auto& f = *it;
      if (type && *type != (f.instrument.kind == MarketKind::Spot ? "SPOT" : "SWAP")) continue;
      if (inst_id && *inst_id != f.instrument.symbol.view()) continue;
      const std::int64_t ts = f.ts_event_ns / kNanosPerMilli;
      data.push_back(json::object{{"instType", f.instrument.kind == MarketKind::Spot ? "SPOT" : "SWAP"},
                                  {"instId", f.instrument.symbol.view()}, {"tradeId", f.trade_id.view()},
                                  {"ordId", f.venue_order_id.view()}, {"clOrdId", f.client_order_id.view()},
                                  {"billId", f.trade_id.view()}, {"tag", ""}, {"fillPx", fmt_trim(f.last_price)},
                                  {"fillSz", fmt_trim(f.last_quantity)}, {"side", f.side == Side::Buy ? "buy" : "sell"},
                                  {"posSide", f.instrument.kind == MarketKind::Spot ? "" : "net"},
                                  {"execType", f.liquidity == LiquiditySide::Maker ? "M" : "T"},
                                  {"feeCcy", f.fee_asset.view()}, {"fee", fmt_trim(-f.fee)},
                                  {"ts", ms_str(ts)}, {"fillTime", ms_str(ts)}});
    }
    result = ok(std::move(data));
  } else if (!post && p == "/api/v5/account/balance") {
    result = HttpResponse::json(200, R"({"code":"0","msg":"","data":[)" + balance_record(account_.account(), venue_now) + "]}");
  } else if (!post && p == "/api/v5/account/positions") {
    result = HttpResponse::json(200, R"({"code":"0","msg":"","data":)" + positions_array(*this, account_.account(), venue_now) + "}");
  } else if (post && p == "/api/v5/account/set-leverage") {
    if (!body.is_object()) return reply(400, "50002", "JSON syntax error");
    const auto& o = body.get_object();
    const std::string inst_id = str_of(o, "instId"), mgn = str_of(o, "mgnMode");
    const auto inst = instrument(inst_id);
    if (!inst) return reply(200, "51001", "Instrument ID doesn't exist.");
    if (mgn != "cross" && mgn != "isolated") return reply(200, "51000", "Parameter mgnMode error");
    const auto lever = parse_int(str_of(o, "lever"));
    if (!lever || !account_.set_leverage(*inst, static_cast<int>(*lever), now_ms))
      return reply(200, "51000", "Parameter lever error");
    result = ok(json::array{json::object{{"instId", inst_id}, {"lever", std::to_string(*lever)}, {"mgnMode", mgn}, {"posSide", ""}}});
  } else if (post && p == "/api/v5/trade/cancel-all-after") {
    if (!body.is_object()) return reply(400, "50002", "JSON syntax error");
    const auto t = parse_int(str_of(body.get_object(), "timeOut"));
    if (!t || (*t != 0 && (*t < 10 || *t > 120))) return reply(200, "51000", "Parameter timeOut error");
    cancel_all_after_ms_ = *t == 0 ? 0 : now_ms + *t * 1000;
    result = ok(json::array{json::object{{"triggerTime", ms_str(*t == 0 ? 0 : venue_now + *t * 1000)}, {"tag", ""}, {"ts", ms_str(venue_now)}}});
  } else {
    return reply(404, "50000", "Endpoint not supported by the emulator: " + p);
  }
  if (is_order && FaultState::take(faults_.accept_no_reply_pending)) {
    result.no_reply = true;  // the order exists; its answer never comes
  }
  return result;
}

}  // namespace tradingd::emulator::okx
