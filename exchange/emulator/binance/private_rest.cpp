// Binance signed REST in the emulator (see private.h): authentication exactly as the venue checks it, the
// order/account endpoints over the EmulatedAccount, and the private-stream frames formatted from its log.
#include <algorithm>
#include <boost/json.hpp>

#include "exchange/emulator/binance/private.h"
#include "exchange/emulator/binance/private_format.h"
#include "exchange/emulator/binance/service.h"
#include "exchange/live/signing.h"

namespace tradingd::emulator::binance {
namespace json = boost::json;

struct BinancePrivate::Impl {
  std::optional<live::HmacSha256> hmac;
};

namespace {

HttpResponse error(int status, int code, std::string_view msg) {
  json::object o;
  o["code"] = code;
  o["msg"] = msg;
  return HttpResponse::json(status, json::serialize(o));
}
HttpResponse ok(const json::value& v) { return HttpResponse::json(200, json::serialize(v)); }
HttpResponse missing(std::string_view name) {
  return error(400, -1102, "Mandatory parameter '" + std::string(name) + "' was not sent, was empty/null, or malformed.");
}

// Removes "signature=..." from a raw (still encoded) parameter string; returns the signature.
std::optional<std::string> take_signature(std::string& raw) {
  std::size_t pos = raw.starts_with("signature=") ? 0 : raw.find("&signature=");
  if (pos == std::string::npos) return std::nullopt;
  const std::size_t start = pos == 0 ? 10 : pos + 11;
  std::size_t end = raw.find('&', start);
  std::string sig = raw.substr(start, end == std::string::npos ? std::string::npos : end - start);
  if (pos == 0) raw.erase(0, end == std::string::npos ? raw.size() : end + 1);
  else raw.erase(pos, end == std::string::npos ? std::string::npos : end - pos);
  return sig;
}

std::string header(const HttpRequest& r, std::string_view name) {
  for (const auto& [k, v] : r.headers) {
    if (k.size() == name.size() && std::equal(k.begin(), k.end(), name.begin(), [](char a, char b) {
          return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
        }))
      return v;
  }
  return {};
}

// Binance's code and text for a refused order.
HttpResponse reject(const VenueError& e, bool fut) {
  using R = VenueErrorReason;
  switch (e.reason) {
    case R::InsufficientBalance:
      return fut ? error(400, -2019, "Margin is insufficient.") : error(400, -2010, "Account has insufficient balance for requested action.");
    case R::PostOnlyWouldTake:
      return fut ? error(400, -5022, "Due to the order could not be executed as maker, the Post Only order will be rejected.")
                 : error(400, -2010, "Order would immediately match and take.");
    case R::InvalidQuantity: return error(400, -1013, "Filter failure: LOT_SIZE");
    case R::InvalidPrice: return error(400, -1013, "Filter failure: PRICE_FILTER");
    case R::NotionalTooSmall:
      return fut ? error(400, -4164, "Order's notional must be no smaller than 5 (unless you choose reduce only).")
                 : error(400, -1013, "Filter failure: NOTIONAL");
    case R::FokNotFilled:
      return fut ? error(400, -5021, "Due to the order could not be filled immediately, the FOK order has been rejected.")
                 : error(400, -2010, "Order would immediately expire.");
    case R::ReduceOnlyRejected: return error(400, -2022, "ReduceOnly Order is rejected.");
    case R::DuplicateClientOrderId:
      return fut ? error(400, -4116, "ClientOrderId is duplicated.") : error(400, -2010, "Duplicate order sent.");
    case R::UnknownInstrument: return error(400, -1121, "Invalid symbol.");
    default: return error(400, -2010, "Order rejected: " + e.message);
  }
}

}  // namespace

BinancePrivate::BinancePrivate(const VenueMarkets& markets, const ServiceOptions& opts, FaultState& faults)
    : markets_(markets), opts_(opts), faults_(faults), account_(Venue::Binance, [&] {
        std::vector<InstrumentSpec> specs;
        for (const auto& m : markets.all()) specs.push_back(m.spec());
        return specs;
      }(), opts.account), impl_(std::make_unique<Impl>()) {
  if (auto h = live::HmacSha256::make(opts.account.api_secret)) impl_->hmac.emplace(std::move(*h));
}
BinancePrivate::~BinancePrivate() = default;

bool BinancePrivate::handles(std::string_view path) {
  static constexpr std::string_view kPaths[] = {
      "/api/v3/order", "/api/v3/openOrders", "/api/v3/myTrades", "/api/v3/account", "/fapi/v1/order",
      "/fapi/v1/openOrders", "/fapi/v1/allOpenOrders", "/fapi/v1/userTrades", "/fapi/v2/account",
      "/fapi/v3/account", "/fapi/v2/balance", "/fapi/v3/balance", "/fapi/v2/positionRisk", "/fapi/v3/positionRisk",
      "/fapi/v1/leverage", "/fapi/v1/listenKey", "/fapi/v1/countdownCancelAll", "/fapi/v1/algoOrder",
      "/fapi/v1/algoOpenOrders"};
  return std::find(std::begin(kPaths), std::end(kPaths), path) != std::end(kPaths);
}

bool BinancePrivate::verify_hmac(std::string_view payload, std::string_view signature_hex) const {
  if (!impl_->hmac) return false;
  const std::string want = impl_->hmac->sign_hex(payload);
  if (want.size() != signature_hex.size()) return false;
  return std::equal(want.begin(), want.end(), signature_hex.begin(), [](char a, char b) {
    return a == std::tolower(static_cast<unsigned char>(b));
  });
}

bool BinancePrivate::listen_key_valid(std::string_view key, std::int64_t now_ms) const {
  return !listen_key_.empty() && key == listen_key_ && now_ms < listen_key_expiry_ms_;
}

HttpResponse BinancePrivate::handle(const HttpRequest& req, const Query& q, std::int64_t now_ms) {
  last_now_ms_ = std::max(last_now_ms_, now_ms);
  if (req.method == "OPTIONS") return error(405, -1000, "method not allowed");
  // Authentication first, as the venue does: key, then (signed endpoints) timestamp and signature.
  const std::string key = header(req, "X-MBX-APIKEY");
  if (key.empty()) return error(401, -2014, "API-key format invalid.");
  if (key != opts_.account.api_key) return error(401, -2015, "Invalid API-key, IP, or permissions for action.");

  // Faults on keyed requests: the venue is overloaded, throttles, bans, or processes without answering.
  auto retry_after = [&](HttpResponse r) {
    r.headers.emplace_back("Retry-After", std::to_string(std::max<std::int64_t>(1, (faults_.retry_after_ms + 999) / 1000)));
    return r;
  };
  if (faults_.rest_418_pending > 0) {
    --faults_.rest_418_pending;
    return retry_after(error(418, -1003, "Way too much request weight used; IP banned until " +
                                             std::to_string(now_ms + faults_.retry_after_ms) + ". Please use WebSocket Streams for live updates to avoid bans."));
  }
  if (faults_.rest_429_pending > 0) {
    --faults_.rest_429_pending;
    return retry_after(error(429, -1003, "Too much request weight used; current limit is 6000 request weight per 1 MINUTE. Please use WebSocket Streams for live updates to avoid polling the API."));
  }
  if (faults_.http_5xx_pending > 0) {
    --faults_.http_5xx_pending;
    return HttpResponse::json(502, "<html><body><h1>502 Bad Gateway</h1></body></html>");
  }

  HttpResponse r;
  if (q.path == "/fapi/v1/listenKey") {
    r = route(req, q, now_ms);
  } else {
    const auto qmark = req.target.find('?');
    std::string raw_query = qmark == std::string::npos ? std::string() : req.target.substr(qmark + 1);
    std::string raw_body = req.body;
    auto sig = take_signature(raw_query);
    if (!sig) sig = take_signature(raw_body);
    if (!sig) return missing("signature");
    // Parameters from the query and the form body (the query wins on duplicates).
    Query all = q;
    if (!req.body.empty()) {
      if (auto b = parse_target("/?" + req.body)) {
        for (auto& p : b->params)
          if (!all.get(p.first)) all.params.push_back(std::move(p));
      }
    }
    const auto ts = all.get("timestamp") ? parse_int(*all.get("timestamp")) : std::nullopt;
    if (!ts) return missing("timestamp");
    std::int64_t recv_window = 5000;
    if (auto rw = all.get("recvWindow")) {
      auto v = parse_int(*rw);
      if (!v || *v <= 0 || *v > 60'000) return error(400, -1131, "recvWindow must be less than 60000");
      recv_window = *v;
    }
    if (*ts >= now_ms + 1000) return error(400, -1021, "Timestamp for this request was 1000ms ahead of the server's time.");
    if (now_ms - *ts > recv_window) return error(400, -1021, "Timestamp for this request is outside of the recvWindow.");
    if (!verify_hmac(raw_query + raw_body, *sig)) return error(400, -1022, "Signature for this request is not valid.");
    r = route(req, all, now_ms);
  }
  pump(now_ms);
  if (faults_.accept_no_reply_pending > 0 && req.method == "POST" && r.status == 200) {
    // The request took effect (the order exists) but its answer is lost.
    --faults_.accept_no_reply_pending;
    r.no_reply = true;
  }
  return r;
}

namespace {

json::object order_json(const OrderStatusReport& o, const InstrumentSpec& s, bool fut, std::int64_t now_ms,
                        const std::optional<std::string>& orig_client_id = std::nullopt) {
  json::object j;
  const Money quote = o.avg_fill_price ? fixed_mul<Money>(*o.avg_fill_price, o.filled_quantity, Rounding::Nearest) : Money::zero();
  const std::int64_t venue_id = parse_int(o.venue_order_id.view()).value_or(0);
  if (fut) {
    j["orderId"] = venue_id;
    j["symbol"] = s.symbol;
    j["status"] = status_name(o.status);
    j["clientOrderId"] = o.client_order_id.view();
    j["price"] = px(s, o.price.value_or(Price::zero()));
    j["avgPrice"] = o.avg_fill_price ? px(s, *o.avg_fill_price) : "0.00";
    j["origQty"] = qty(s, o.quantity);
    j["executedQty"] = qty(s, o.filled_quantity);
    j["cumQuote"] = fmt(quote, 8);
    j["timeInForce"] = tif_name(o.time_in_force, true);
    j["type"] = type_name(o.type, o.time_in_force, true);
    j["reduceOnly"] = o.reduce_only;
    j["closePosition"] = false;
    j["side"] = side_name(o.side);
    j["positionSide"] = "BOTH";
    j["stopPrice"] = "0.00";
    j["workingType"] = "CONTRACT_PRICE";
    j["priceProtect"] = false;
    j["origType"] = type_name(o.type, o.time_in_force, true);
    j["priceMatch"] = "NONE";
    j["selfTradePreventionMode"] = "EXPIRE_MAKER";
    j["goodTillDate"] = 0;
    j["time"] = o.ts_event_ns / kNanosPerMilli;
    j["updateTime"] = now_ms;
    return j;
  }
  j["symbol"] = s.symbol;
  if (orig_client_id) j["origClientOrderId"] = *orig_client_id;
  j["orderId"] = venue_id;
  j["orderListId"] = -1;
  j["clientOrderId"] = orig_client_id ? "cancel-" + *orig_client_id : std::string(o.client_order_id.view());
  j["transactTime"] = now_ms;
  j["price"] = fmt(o.price.value_or(Price::zero()), 8);
  j["origQty"] = fmt(o.quantity, 8);
  j["executedQty"] = fmt(o.filled_quantity, 8);
  j["origQuoteOrderQty"] = "0.00000000";
  j["cummulativeQuoteQty"] = fmt(quote, 8);
  j["status"] = status_name(o.status);
  j["timeInForce"] = tif_name(o.time_in_force, false);
  j["type"] = type_name(o.type, o.time_in_force, false);
  j["side"] = side_name(o.side);
  j["workingTime"] = o.ts_event_ns / kNanosPerMilli;
  j["selfTradePreventionMode"] = "NONE";
  return j;
}

// GET /api/v3/order and openOrders carry time/updateTime/isWorking instead of transactTime.
json::object spot_query_json(const OrderStatusReport& o, const InstrumentSpec& s, std::int64_t now_ms) {
  json::object j = order_json(o, s, false, now_ms);
  j.erase("transactTime");
  j["stopPrice"] = "0.00000000";
  j["icebergQty"] = "0.00000000";
  j["time"] = o.ts_event_ns / kNanosPerMilli;
  j["updateTime"] = now_ms;
  j["isWorking"] = true;
  return j;
}

std::string_view algo_status(OrderStatus s) {
  switch (s) {
    case OrderStatus::Filled: return "FINISHED";
    case OrderStatus::Canceled: return "CANCELED";
    case OrderStatus::Expired: return "EXPIRED";
    case OrderStatus::Rejected: return "REJECTED";
    default: return "NEW";
  }
}

// A USD-M conditional order as /fapi/v1/algoOrder shows it.
json::object algo_json(const OrderStatusReport& o, const InstrumentSpec& s, std::optional<Price> trigger, std::int64_t now_ms) {
  json::object j;
  j["algoId"] = parse_int(o.venue_order_id.view()).value_or(0);
  j["clientAlgoId"] = o.client_order_id.view();
  j["algoType"] = "CONDITIONAL";
  j["orderType"] = type_name(o.type, o.time_in_force, true);
  j["symbol"] = s.symbol;
  j["side"] = side_name(o.side);
  j["positionSide"] = "BOTH";
  j["timeInForce"] = tif_name(o.time_in_force, true);
  j["quantity"] = qty(s, o.quantity);
  j["algoStatus"] = algo_status(o.status);
  j["triggerPrice"] = trigger ? px(s, *trigger) : "0";
  j["price"] = px(s, o.price.value_or(Price::zero()));
  j["icebergQuantity"] = nullptr;
  j["selfTradePreventionMode"] = "EXPIRE_MAKER";
  j["workingType"] = "CONTRACT_PRICE";
  j["priceMatch"] = "NONE";
  j["closePosition"] = false;
  j["priceProtect"] = false;
  j["reduceOnly"] = o.reduce_only;
  j["createTime"] = o.ts_event_ns / kNanosPerMilli;
  j["updateTime"] = now_ms;
  j["triggerTime"] = 0;
  j["goodTillDate"] = 0;
  return j;
}

}  // namespace

HttpResponse BinancePrivate::route(const HttpRequest& req, const Query& q, std::int64_t now_ms) {
  const std::string& path = q.path;
  const std::string& method = req.method;
  const bool fut = path.starts_with("/fapi/");
  const MarketKind kind = fut ? MarketKind::LinearPerp : MarketKind::Spot;
  const auto symbol = q.get("symbol");
  const MarketSim* market = symbol ? markets_.find(kind, *symbol) : nullptr;
  const std::optional<InstrumentId> inst = symbol ? account_.instrument(kind, *symbol) : std::nullopt;
  auto need_symbol = [&]() -> std::optional<HttpResponse> {
    if (!symbol || symbol->empty()) return missing("symbol");
    if (!market || !inst) return error(400, -1121, "Invalid symbol.");
    return std::nullopt;
  };
  auto find_order = [&]() -> std::optional<OrderStatusReport> {
    if (auto id = q.get("origClientOrderId")) {
      auto c = ClientOrderId::make(*id);
      return c ? account_.order(*c) : std::nullopt;
    }
    if (auto id = q.get("orderId")) {
      auto v = VenueOrderId::make(*id);
      return v ? account_.order_by_venue_id(*v) : std::nullopt;
    }
    return std::nullopt;
  };

  if (path == "/fapi/v1/listenKey") {
    if (method == "POST") {
      if (listen_key_.empty() || now_ms >= listen_key_expiry_ms_) {
        std::string k = "emu" + std::to_string(++listen_key_counter_);
        k.append(64 - k.size(), 'k');
        listen_key_ = k;
      }
      listen_key_expiry_ms_ = now_ms + 60 * 60'000;
      return ok(json::object{{"listenKey", listen_key_}});
    }
    if (method == "PUT") {
      if (listen_key_.empty() || now_ms >= listen_key_expiry_ms_) return error(400, -1125, "This listenKey does not exist.");
      listen_key_expiry_ms_ = now_ms + 60 * 60'000;
      return ok(json::object{{"listenKey", listen_key_}});
    }
    if (method == "DELETE") {
      listen_key_.clear();
      return ok(json::object{});
    }
  }

  if (path == "/fapi/v1/algoOrder") {
    if (method == "POST") {
      if (auto e = need_symbol()) return *e;
      if (q.get("algoType").value_or("") != "CONDITIONAL") return error(400, -1102, "Mandatory parameter 'algoType' was not sent, was empty/null, or malformed.");
      const auto side = q.get("side"), type = q.get("type"), quantity = q.get("quantity"), trigger = q.get("triggerPrice");
      if (!side) return missing("side");
      if (!type) return missing("type");
      if (!quantity) return missing("quantity");
      if (!trigger) return missing("triggerPrice");
      OrderRequest o;
      o.instrument = *inst;
      o.side = *side == "SELL" ? Side::Sell : Side::Buy;
      if (*type == "STOP_MARKET") o.type = OrderType::StopMarket;
      else if (*type == "STOP") o.type = OrderType::StopLimit;
      else return error(400, -1116, "Invalid orderType.");
      auto qv = Quantity::parse(*quantity);
      auto tv = Price::parse(*trigger);
      if (!qv || !qv->is_positive() || !tv || !tv->is_positive()) return error(400, -1100, "Illegal characters found in a parameter.");
      o.quantity = *qv;
      o.trigger_price = *tv;
      if (o.type == OrderType::StopLimit) {
        auto p = q.get("price");
        if (!p) return missing("price");
        auto pv = Price::parse(*p);
        if (!pv || !pv->is_positive()) return error(400, -1100, "Illegal characters found in parameter 'price'.");
        o.price = *pv;
      }
      o.reduce_only = q.get("reduceOnly").value_or("false") == "true";
      std::string cid = q.get("clientAlgoId").value_or("");
      if (cid.empty()) cid = "emualgo" + std::to_string(++order_counter_);
      auto c = ClientOrderId::make(cid);
      if (!c) return error(400, -1100, "Illegal characters found in parameter 'clientAlgoId'.");
      o.client_order_id = *c;
      if (account_.order(*c)) return reject(VenueError{VenueErrorReason::DuplicateClientOrderId, "", ""}, true);
      for (const auto& e : account_.submit(o, now_ms))
        if (const auto* rj = std::get_if<OrderRejected>(&e)) return reject(rj->error, true);
      auto report = account_.order(*c);
      if (!report) return error(500, -1000, "An unknown error occurred while processing the request.");
      algo_triggers_[cid] = *tv;
      return ok(algo_json(*report, market->spec(), *tv, now_ms));
    }
    std::optional<OrderStatusReport> o;
    if (auto id = q.get("clientAlgoId")) {
      if (auto c = ClientOrderId::make(*id)) o = account_.order(*c);
    } else if (auto id = q.get("algoId")) {
      if (auto v = VenueOrderId::make(*id)) o = account_.order_by_venue_id(*v);
    } else {
      return missing("algoId");
    }
    if (!o || !is_stop(o->type)) return error(400, -2013, "Order does not exist.");
    const MarketSim* m = markets_.find(MarketKind::LinearPerp, o->instrument.symbol.view());
    if (!m) return error(400, -2013, "Order does not exist.");
    const std::string cid(o->client_order_id.view());
    const auto trig = algo_triggers_.count(cid) ? std::optional<Price>(algo_triggers_[cid]) : std::nullopt;
    if (method == "GET") return ok(algo_json(*o, m->spec(), trig, now_ms));
    if (method == "DELETE") {
      if (o->status != OrderStatus::Accepted && o->status != OrderStatus::PartiallyFilled) return error(400, -2011, "Unknown order sent.");
      account_.cancel(o->instrument, o->client_order_id, now_ms);
      return ok(json::object{{"algoId", parse_int(o->venue_order_id.view()).value_or(0)}, {"clientAlgoId", cid}, {"code", "200"}, {"msg", "success"}});
    }
  }
  if (path == "/fapi/v1/algoOpenOrders" && method == "DELETE") {
    if (auto e = need_symbol()) return *e;
    for (const auto& o : account_.open_orders(*inst))
      if (is_stop(o.type)) account_.cancel(*inst, o.client_order_id, now_ms);
    return ok(json::object{{"code", 200}, {"msg", "The operation of cancel all open order is done."}});
  }

  if ((path == "/api/v3/order" || path == "/fapi/v1/order") && method == "POST") {
    if (auto e = need_symbol()) return *e;
    const auto side = q.get("side"), type = q.get("type"), quantity = q.get("quantity");
    if (!side) return missing("side");
    if (!type) return missing("type");
    if (!quantity) return missing("quantity");
    OrderRequest o;
    o.instrument = *inst;
    if (*side == "BUY") o.side = Side::Buy;
    else if (*side == "SELL") o.side = Side::Sell;
    else return error(400, -1117, "Invalid side.");
    const std::string tif = q.get("timeInForce").value_or("");
    if (*type == "MARKET") o.type = OrderType::Market;
    else if (*type == "LIMIT" || *type == "LIMIT_MAKER") o.type = OrderType::Limit;
    else if (!fut && *type == "STOP_LOSS") o.type = OrderType::StopMarket;
    else if (!fut && *type == "STOP_LOSS_LIMIT") o.type = OrderType::StopLimit;
    else if (fut && (*type == "STOP_MARKET" || *type == "STOP" || *type == "TAKE_PROFIT" || *type == "TAKE_PROFIT_MARKET"))
      return error(400, -4120, "Order type not supported for this endpoint. Please use the Algo Order API endpoints instead.");
    else return error(400, -1116, "Invalid orderType.");
    if (*type == "LIMIT_MAKER" || tif == "GTX") o.time_in_force = TimeInForce::PostOnly;
    else if (tif == "IOC") o.time_in_force = TimeInForce::Ioc;
    else if (tif == "FOK") o.time_in_force = TimeInForce::Fok;
    else if (tif == "GTC" || tif.empty()) o.time_in_force = TimeInForce::Gtc;
    else return error(400, -1115, "Invalid timeInForce.");
    if ((*type == "LIMIT" || *type == "STOP_LOSS_LIMIT") && tif.empty()) return missing("timeInForce");
    auto qv = Quantity::parse(*quantity);
    if (!qv || !qv->is_positive()) return error(400, -1100, "Illegal characters found in parameter 'quantity'; legal range is '^([0-9]{1,20})(\\.[0-9]{1,20})?$'.");
    o.quantity = *qv;
    if (o.type == OrderType::Limit || o.type == OrderType::StopLimit) {
      auto p = q.get("price");
      if (!p) return missing("price");
      auto pv = Price::parse(*p);
      if (!pv || !pv->is_positive()) return error(400, -1100, "Illegal characters found in parameter 'price'.");
      o.price = *pv;
    }
    if (o.type == OrderType::StopMarket || o.type == OrderType::StopLimit) {
      auto sp = q.get("stopPrice");
      if (!sp) return missing("stopPrice");
      auto pv = Price::parse(*sp);
      if (!pv) return error(400, -1100, "Illegal characters found in parameter 'stopPrice'.");
      o.trigger_price = *pv;
    }
    if (fut) o.reduce_only = q.get("reduceOnly").value_or("false") == "true";
    std::string cid = q.get("newClientOrderId").value_or("");
    if (cid.empty()) cid = "emu" + std::to_string(now_ms) + "x" + std::to_string(++order_counter_);
    auto c = ClientOrderId::make(cid);
    if (!c) return error(400, -1100, "Illegal characters found in parameter 'newClientOrderId'.");
    o.client_order_id = *c;
    if (auto existing = account_.order(*c)) {
      (void)existing;
      return reject(VenueError{VenueErrorReason::DuplicateClientOrderId, "", ""}, fut);
    }
    const auto events = account_.submit(o, now_ms);
    std::vector<OrderFilled> fills;
    for (const auto& e : events) {
      if (const auto* rj = std::get_if<OrderRejected>(&e)) return reject(rj->error, fut);
      if (const auto* f = std::get_if<OrderFilled>(&e)) fills.push_back(*f);
    }
    auto report = account_.order(*c);
    if (!report) return error(500, -1000, "An unknown error occurred while processing the request.");
    const std::string resp_type = q.get("newOrderRespType").value_or(fut ? "ACK" : (o.type == OrderType::Market || o.type == OrderType::Limit ? "FULL" : "ACK"));
    json::object j = order_json(*report, market->spec(), fut, now_ms);
    if (!fut && resp_type == "ACK") {
      return ok(json::object{{"symbol", *symbol}, {"orderId", j["orderId"]}, {"orderListId", -1},
                             {"clientOrderId", cid}, {"transactTime", now_ms}});
    }
    if (!fut && resp_type == "FULL") {
      json::array fa;
      for (const auto& f : fills) {
        fa.push_back(json::object{{"price", fmt(f.last_price, 8)},
                                  {"qty", fmt(f.last_quantity, 8)},
                                  {"commission", fmt(f.fee, 8)},
                                  {"commissionAsset", f.fee_asset.view()},
                                  {"tradeId", parse_int(f.trade_id.view()).value_or(0)}});
      }
      j["fills"] = std::move(fa);
    }
    return ok(j);
  }

  if ((path == "/api/v3/order" || path == "/fapi/v1/order") && method == "DELETE") {
    if (auto e = need_symbol()) return *e;
    if (!q.get("origClientOrderId") && !q.get("orderId")) return missing("orderId");
    auto o = find_order();
    if (!o || o->instrument != *inst || (o->status != OrderStatus::Accepted && o->status != OrderStatus::PartiallyFilled) ||
        (fut && is_stop(o->type)))
      return error(400, -2011, "Unknown order sent.");
    account_.cancel(*inst, o->client_order_id, now_ms);
    auto after = account_.order(o->client_order_id);
    if (!after) return error(400, -2011, "Unknown order sent.");
    return ok(order_json(*after, market->spec(), fut, now_ms,
                         fut ? std::nullopt : std::optional<std::string>(std::string(o->client_order_id.view()))));
  }

  if ((path == "/api/v3/openOrders" && method == "DELETE") || path == "/fapi/v1/allOpenOrders") {
    if (method != "DELETE") return error(405, -1000, "method not allowed");
    if (auto e = need_symbol()) return *e;
    const auto open = account_.open_orders(*inst);
    if (!fut && open.empty()) return error(400, -2011, "Unknown order sent.");
    if (fut) {
      // Conditional orders are the algo book's (DELETE /fapi/v1/algoOpenOrders).
      for (const auto& o : open)
        if (!is_stop(o.type)) account_.cancel(*inst, o.client_order_id, now_ms);
      return ok(json::object{{"code", 200}, {"msg", "The operation of cancel all open order is done."}});
    }
    account_.cancel_all(*inst, now_ms);
    json::array a;
    for (const auto& o : open) {
      if (auto after = account_.order(o.client_order_id))
        a.push_back(order_json(*after, market->spec(), false, now_ms, std::string(o.client_order_id.view())));
    }
    return ok(a);
  }

  if ((path == "/api/v3/order" || path == "/fapi/v1/order") && method == "GET") {
    if (auto e = need_symbol()) return *e;
    if (!q.get("origClientOrderId") && !q.get("orderId")) return missing("orderId");
    auto o = find_order();
    if (!o || o->instrument != *inst || (fut && is_stop(o->type))) return error(400, -2013, "Order does not exist.");
    return ok(fut ? order_json(*o, market->spec(), true, now_ms) : spot_query_json(*o, market->spec(), now_ms));
  }

  if (path == "/api/v3/openOrders" || path == "/fapi/v1/openOrders") {
    if (symbol) {
      if (auto e = need_symbol()) return *e;
    }
    json::array a;
    for (const auto& o : account_.open_orders(inst)) {
      if (o.instrument.kind != kind || (fut && is_stop(o.type))) continue;
      const MarketSim* m = markets_.find(kind, o.instrument.symbol.view());
      if (!m) continue;
      a.push_back(fut ? order_json(o, m->spec(), true, now_ms) : spot_query_json(o, m->spec(), now_ms));
    }
    return ok(a);
  }

  if (path == "/api/v3/myTrades" || path == "/fapi/v1/userTrades") {
    if (auto e = need_symbol()) return *e;
    const std::int64_t since = q.get("startTime") ? parse_int(*q.get("startTime")).value_or(0) : 0;
    json::array a;
    for (const auto& f : account_.fills(*inst, since)) {
      json::object t;
      t["symbol"] = *symbol;
      t["id"] = parse_int(f.trade_id.view()).value_or(0);
      t["orderId"] = parse_int(f.venue_order_id.view()).value_or(0);
      if (fut) t["side"] = side_name(f.side);
      t["price"] = fut ? px(market->spec(), f.last_price) : fmt(f.last_price, 8);
      t["qty"] = fut ? qty(market->spec(), f.last_quantity) : fmt(f.last_quantity, 8);
      t["quoteQty"] = fmt(fixed_mul<Money>(f.last_price, f.last_quantity, Rounding::Nearest), 8);
      t["commission"] = fmt(f.fee, 8);
      t["commissionAsset"] = f.fee_asset.view();
      t["time"] = f.ts_event_ns / kNanosPerMilli;
      if (fut) {
        t["realizedPnl"] = "0";
        t["marginAsset"] = "USDT";
        t["positionSide"] = "BOTH";
        t["buyer"] = f.side == Side::Buy;
        t["maker"] = f.liquidity == LiquiditySide::Maker;
      } else {
        t["orderListId"] = -1;
        t["isBuyer"] = f.side == Side::Buy;
        t["isMaker"] = f.liquidity == LiquiditySide::Maker;
        t["isBestMatch"] = true;
      }
      a.push_back(std::move(t));
    }
    return ok(a);
  }

  const AccountReport acct = account_.account();
  if (path == "/api/v3/account") {
    json::object j;
    j["makerCommission"] = 10;
    j["takerCommission"] = 10;
    j["buyerCommission"] = 0;
    j["sellerCommission"] = 0;
    j["commissionRates"] = json::object{{"maker", "0.00100000"}, {"taker", "0.00100000"}, {"buyer", "0.00000000"}, {"seller", "0.00000000"}};
    j["canTrade"] = true;
    j["canWithdraw"] = true;
    j["canDeposit"] = true;
    j["brokered"] = false;
    j["requireSelfTradePrevention"] = false;
    j["preventSor"] = false;
    j["updateTime"] = now_ms;
    j["accountType"] = "SPOT";
    json::array b;
    for (const auto& bal : acct.balances)
      b.push_back(json::object{{"asset", bal.asset.view()}, {"free", fmt(bal.free, 8)}, {"locked", fmt(bal.locked, 8)}});
    j["balances"] = std::move(b);
    j["permissions"] = json::array{"SPOT"};
    j["uid"] = 354937868;
    return ok(j);
  }
  auto position_json = [&](const PositionReport& p) {
    const MarketSim* m = markets_.find(MarketKind::LinearPerp, p.instrument.symbol.view());
    json::object j;
    j["symbol"] = p.instrument.symbol.view();
    j["positionSide"] = "BOTH";
    j["positionAmt"] = m ? qty(m->spec(), p.quantity) : p.quantity.to_string();
    j["entryPrice"] = m ? px(m->spec(), p.entry_price) : p.entry_price.to_string();
    j["breakEvenPrice"] = j["entryPrice"];
    j["markPrice"] = m ? px(m->spec(), m->mark_price()) : "0";
    j["unRealizedProfit"] = "0.00000000";
    j["liquidationPrice"] = "0";
    j["leverage"] = std::to_string(account_.leverage(p.instrument));
    j["marginType"] = "cross";
    j["isolatedMargin"] = "0.00000000";
    j["isAutoAddMargin"] = "false";
    j["notional"] = "0";
    j["isolatedWallet"] = "0";
    j["updateTime"] = now_ms;
    return j;
  };
  if (path == "/fapi/v2/account" || path == "/fapi/v3/account" || path == "/fapi/v2/balance" || path == "/fapi/v3/balance") {
    json::array assets;
    Money total;
    for (const auto& bal : acct.balances) {
      const std::string wallet = fmt(bal.total(), 8), avail = fmt(bal.free, 8);
      total = total + bal.total();
      if (path.ends_with("balance")) {
        assets.push_back(json::object{{"accountAlias", "emu"}, {"asset", bal.asset.view()}, {"balance", wallet},
                                      {"crossWalletBalance", wallet}, {"crossUnPnl", "0.00000000"},
                                      {"availableBalance", avail}, {"maxWithdrawAmount", avail},
                                      {"marginAvailable", true}, {"updateTime", now_ms}});
        continue;
      }
      assets.push_back(json::object{{"asset", bal.asset.view()}, {"walletBalance", wallet}, {"unrealizedProfit", "0.00000000"},
                                    {"marginBalance", wallet}, {"maintMargin", "0.00000000"}, {"initialMargin", "0.00000000"},
                                    {"positionInitialMargin", "0.00000000"}, {"openOrderInitialMargin", "0.00000000"},
                                    {"crossWalletBalance", wallet}, {"crossUnPnl", "0.00000000"},
                                    {"availableBalance", avail}, {"maxWithdrawAmount", avail}, {"marginAvailable", true},
                                    {"updateTime", now_ms}});
    }
    if (path.ends_with("balance")) return ok(assets);
    json::object j;
    j["feeTier"] = 0;
    j["canTrade"] = true;
    j["canDeposit"] = true;
    j["canWithdraw"] = true;
    j["updateTime"] = 0;
    j["multiAssetsMargin"] = false;
    j["totalWalletBalance"] = fmt(total, 8);
    j["totalUnrealizedProfit"] = "0.00000000";
    j["totalMarginBalance"] = fmt(total, 8);
    j["availableBalance"] = fmt(total, 8);
    j["assets"] = std::move(assets);
    json::array ps;
    for (const auto& p : acct.positions) {
      if (p.instrument.kind != MarketKind::LinearPerp) continue;
      ps.push_back(position_json(p));
    }
    j["positions"] = std::move(ps);
    return ok(j);
  }
  if (path == "/fapi/v2/positionRisk" || path == "/fapi/v3/positionRisk") {
    json::array a;
    for (const auto& p : acct.positions) {
      if (p.instrument.kind != MarketKind::LinearPerp) continue;
      if (symbol && p.instrument.symbol.view() != *symbol) continue;
      a.push_back(position_json(p));
    }
    return ok(a);
  }
  if (path == "/fapi/v1/leverage" && method == "POST") {
    if (auto e = need_symbol()) return *e;
    const auto lev = q.get("leverage") ? parse_int(*q.get("leverage")) : std::nullopt;
    if (!lev) return missing("leverage");
    if (!account_.set_leverage(*inst, static_cast<int>(*lev), now_ms))
      return error(400, -4028, "Leverage " + std::to_string(*lev) + " is not valid");
    return ok(json::object{{"leverage", *lev}, {"maxNotionalValue", "1000000"}, {"symbol", *symbol}});
  }
  if (path == "/fapi/v1/countdownCancelAll" && method == "POST") {
    if (auto e = need_symbol()) return *e;
    const auto cd = q.get("countdownTime") ? parse_int(*q.get("countdownTime")) : std::nullopt;
    if (!cd || *cd < 0) return missing("countdownTime");
    if (*cd == 0) {
      countdown_deadline_.erase(*symbol);
    } else {
      countdown_deadline_[*symbol] = now_ms + *cd;
    }
    countdown_ms_[*symbol] = *cd;
    return ok(json::object{{"symbol", *symbol}, {"countdownTime", std::to_string(*cd)}});
  }
  return error(404, -5000, "Path " + path + ", Method " + method + " is invalid");
}

void BinancePrivate::on_tick(const VenueTick& tick, const VenueMarkets& markets, std::int64_t now_ms) {
  last_now_ms_ = std::max(last_now_ms_, now_ms);
  const auto& all = markets.all();
  for (std::size_t i = 0; i < all.size() && i < tick.events.size(); ++i) account_.on_market(all[i], tick.events[i]);
  for (auto it = countdown_deadline_.begin(); it != countdown_deadline_.end();) {
    if (now_ms >= it->second) {
      // The dead-man switch fired: every open order of the symbol is canceled.
      if (auto inst = account_.instrument(MarketKind::LinearPerp, it->first)) account_.cancel_all(*inst, now_ms);
      it = countdown_deadline_.erase(it);
    } else {
      ++it;
    }
  }
  if (faults_.listen_key_expire_pending > 0) {
    faults_.listen_key_expire_pending = 0;
    listen_key_expiry_ms_ = now_ms;  // the key is dead; the stream says listenKeyExpired
  }
  pump(now_ms);
}

}  // namespace tradingd::emulator::binance
