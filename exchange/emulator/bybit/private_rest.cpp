// Bybit v5 signed REST on the emulator: X-BAPI-API-KEY / -TIMESTAMP / -SIGN / -RECV-WINDOW checked as the
// venue does (HMAC-SHA256 hex over timestamp + key + recv_window + the received query string or body
// bytes; server_time - recv_window <= timestamp < server_time + 1000, else 10002), per-endpoint 1 s limits
// with the X-Bapi-Limit* headers (10006 when exceeded), and the order/execution/account/position endpoints
// answered from the EmulatedAccount in Bybit's shapes. Faults: http_5xx, rate_limit, accept_no_reply.
#include <algorithm>
#include <cctype>

#include "exchange/emulator/bybit/private.h"
#include "exchange/live/signing.h"

namespace tradingd::emulator::bybit {
namespace json = boost::json;
namespace {

json::string jstr(const std::string& s) { return json::string(s); }

HttpResponse envelope(int ret_code, std::string_view msg, json::value result, std::int64_t now_ms) {
  json::object o;
  o["retCode"] = ret_code;
  o["retMsg"] = msg;
  o["result"] = std::move(result);
  o["retExtInfo"] = json::object{};
  o["time"] = now_ms;
  return HttpResponse::json(200, json::serialize(o));
}

std::optional<std::string_view> header(const HttpRequest& r, std::string_view name) {
  for (const auto& [k, v] : r.headers) {
    if (k.size() != name.size()) continue;
    bool eq = true;
    for (std::size_t i = 0; i < k.size() && eq; ++i)
      eq = std::tolower(static_cast<unsigned char>(k[i])) == std::tolower(static_cast<unsigned char>(name[i]));
    if (eq) return std::string_view(v);
  }
  return std::nullopt;
}

// GET parameters from the query, POST parameters from the JSON body, as strings.
class Params {
 public:
  Params(const Query& q, const json::object* body) : q_(q), body_(body) {}
  std::optional<std::string> get(std::string_view name) const {
    if (!body_) return q_.get(name);
    const auto* v = body_->if_contains(name);
    if (!v || v->is_null()) return std::nullopt;
    if (v->is_string()) return std::string(v->get_string());
    if (v->is_bool()) return std::string(v->get_bool() ? "true" : "false");
    return json::serialize(*v);
  }
  std::string get_or(std::string_view name, std::string def = {}) const { return get(name).value_or(std::move(def)); }

 private:
  const Query& q_;
  const json::object* body_;
};

int endpoint_limit(std::string_view path, bool spot) {
  if (path == "/v5/order/create" || path == "/v5/order/cancel" || path == "/v5/order/cancel-all") return spot ? 20 : 10;
  if (path == "/v5/position/set-leverage") return 10;
  if (path == "/v5/order/disconnected-cancel-all") return 5;
  return 50;
}

}  // namespace

const InstrumentSpec* BybitService::spec(MarketKind kind, std::string_view symbol) const {
  const MarketSim* m = markets_.find(kind, symbol);
  return m ? &m->spec() : nullptr;
}

HttpResponse BybitService::handle_private(const HttpRequest& req, std::int64_t now_ms) {
  auto q = parse_target(req.target);
  if (!q) return envelope(10001, "params error", json::object{}, now_ms);
  static constexpr std::string_view kPaths[] = {"/v5/order/create", "/v5/order/cancel", "/v5/order/cancel-all",
                                                "/v5/order/realtime", "/v5/order/history", "/v5/execution/list",
                                                "/v5/account/wallet-balance", "/v5/position/list",
                                                "/v5/position/set-leverage", "/v5/order/disconnected-cancel-all"};
  if (std::find(std::begin(kPaths), std::end(kPaths), q->path) == std::end(kPaths))
    return HttpResponse::json(404, R"({"retCode":404,"retMsg":"Not Found"})");
  if (faults_.http_5xx_pending > 0) {
    --faults_.http_5xx_pending;
    HttpResponse r;
    r.status = 502;
    r.content_type = "text/html";
    r.body = "<html><body><h1>502 Bad Gateway</h1></body></html>";
    return r;
  }

  // --- Authentication, exactly as the venue checks it ---
  const auto key = header(req, "X-BAPI-API-KEY");
  if (!key || *key != account_.options().api_key)
    return envelope(10003, "API key is invalid.", json::object{}, now_ms);
  const auto ts_text = header(req, "X-BAPI-TIMESTAMP");
  const auto sign = header(req, "X-BAPI-SIGN");
  const std::string recv_text(header(req, "X-BAPI-RECV-WINDOW").value_or("5000"));
  const std::int64_t ts = ts_text ? parse_int(*ts_text).value_or(-1) : -1;
  const std::int64_t recv = parse_int(recv_text).value_or(-1);
  if (ts < 0 || !sign || recv <= 0) return envelope(10001, "params error: missing signature headers", json::object{}, now_ms);
  if (!(now_ms - recv <= ts && ts < now_ms + 1000)) {
    return envelope(10002,
                    "invalid request, please check your server timestamp or recv_window param. req_timestamp[" +
                        std::to_string(ts) + "],server_timestamp[" + std::to_string(now_ms) + "],recv_window[" +
                        recv_text + "]",
                    json::object{}, now_ms);
  }
  const bool post = req.method == "POST";
  const auto qmark = req.target.find('?');
  const std::string_view payload =
      post ? std::string_view(req.body) : (qmark == std::string::npos ? std::string_view{} : std::string_view(req.target).substr(qmark + 1));
  auto mac = live::HmacSha256::make(account_.options().api_secret);
  if (!mac) return envelope(10016, "internal error", json::object{}, now_ms);
  std::string origin(*ts_text);
  origin += *key;
  origin += recv_text;
  origin += payload;
  if (mac->sign_hex(origin) != *sign)
    return envelope(10004, "error sign! origin_string[" + origin + "]", json::object{}, now_ms);

  // --- Parameters ---
  json::object body_obj;
  if (post) {
    boost::system::error_code ec;
    auto v = json::parse(req.body, ec);
    if (ec || !v.is_object()) return envelope(10001, "params error: body is not a JSON object", json::object{}, now_ms);
    body_obj = std::move(v.get_object());
  } else if (req.method != "GET") {
    return HttpResponse::json(404, R"({"retCode":404,"retMsg":"Not Found"})");
  }
  const Params p(*q, post ? &body_obj : nullptr);
  const bool spot = p.get_or("category") == "spot";

  // --- Rate limits: the fault first, then the venue's per-endpoint 1 s windows ---
  const int limit = endpoint_limit(q->path, spot);
  auto with_limit_headers = [&](HttpResponse r, int remaining, std::int64_t reset_ms) {
    r.headers.emplace_back("X-Bapi-Limit", std::to_string(limit));
    r.headers.emplace_back("X-Bapi-Limit-Status", std::to_string(std::max(0, remaining)));
    r.headers.emplace_back("X-Bapi-Limit-Reset-Timestamp", std::to_string(reset_ms));
    return r;
  };
  if (faults_.rate_limited(now_ms - faults_.clock_skew_ms))
    return with_limit_headers(envelope(10006, "Too many visits!", json::object{}, now_ms), 0,
                              faults_.rate_limit_until_ms + faults_.clock_skew_ms);
  auto& w = endpoint_use_[q->path + (spot ? "#spot" : "#linear")];
  if (w.second != now_ms / 1000) w = {now_ms / 1000, 0};
  if (w.used >= limit)
    return with_limit_headers(envelope(10006, "Too many visits!", json::object{}, now_ms), 0, (w.second + 1) * 1000);
  ++w.used;
  HttpResponse r = handle_trading(req, *q, now_ms);
  (void)p;
  return with_limit_headers(std::move(r), limit - w.used, now_ms);
}

HttpResponse BybitService::handle_trading(const HttpRequest& req, const Query& q, std::int64_t now_ms) {
  const bool post = req.method == "POST";
  json::object body_obj;
  if (post) body_obj = json::parse(req.body).get_object();  // validated by handle_private
  const Params p(q, post ? &body_obj : nullptr);
  const std::string path = q.path;
  const std::string category = p.get_or("category");
  const bool spot = category == "spot";
  const MarketKind kind = spot ? MarketKind::Spot : MarketKind::LinearPerp;
  const bool needs_category = path != "/v5/account/wallet-balance" && path != "/v5/order/disconnected-cancel-all";
  if (needs_category && category != "spot" && category != "linear")
    return envelope(10001, category.empty() ? "params error: category is empty" : "Illegal category", json::object{}, now_ms);
  const auto symbol = p.get("symbol");
  const InstrumentSpec* sp = symbol ? spec(kind, *symbol) : nullptr;
  if (symbol && !sp) return envelope(spot ? 170121 : 10001, spot ? "Invalid symbol." : "params error: symbol invalid", json::object{}, now_ms);
  auto id_of = [&](const InstrumentSpec& s) { return InstrumentId{Venue::Bybit, s.kind, Symbol::from(s.symbol)}; };
  const std::int64_t host_now = now_ms - faults_.clock_skew_ms;  // the account runs on the host's clock

  auto order_list = [&](const std::vector<OrderStatusReport>& orders) {
    json::array list;
    for (const auto& o : orders) {
      const InstrumentSpec* os = spec(o.instrument.kind, o.instrument.symbol.view());
      if (os) list.push_back(order_json(o, *os, order_status(o), "", host_now, false));
    }
    return envelope(0, "OK", json::object{{"list", std::move(list)}, {"nextPageCursor", ""}, {"category", category}}, now_ms);
  };

  if (path == "/v5/order/create") {
    if (!sp) return envelope(10001, "params error: symbol is empty", json::object{}, now_ms);
    OrderRequest o;
    o.instrument = id_of(*sp);
    // orderLinkId is optional on Bybit; the account keys orders by one, so the emulator makes one up.
    std::string link = p.get_or("orderLinkId");
    if (link.empty()) link = "emu-" + std::to_string(++auto_link_id_);
    auto cid = ClientOrderId::make(link);
    if (!cid) return envelope(10001, "params error: orderLinkId is limited to 32 characters here", json::object{}, now_ms);
    o.client_order_id = *cid;
    if (account_.order(o.client_order_id))
      return envelope(spot ? 170141 : 110072, spot ? "Duplicate clientOrderId." : "OrderLinkedID is duplicate", json::object{}, now_ms);
    const auto side = p.get_or("side");
    if (side != "Buy" && side != "Sell") return envelope(10001, "params error: side invalid", json::object{}, now_ms);
    o.side = side == "Buy" ? Side::Buy : Side::Sell;
    const auto type = p.get_or("orderType");
    if (type != "Limit" && type != "Market") return envelope(spot ? 170116 : 10001, "Invalid orderType", json::object{}, now_ms);
    auto qty_r = Quantity::parse(p.get_or("qty"));
    if (!qty_r || !qty_r->is_positive()) return envelope(spot ? 170136 : 10001, "Order quantity invalid", json::object{}, now_ms);
    o.quantity = *qty_r;
    if (type == "Limit") {
      auto price = Price::parse(p.get_or("price"));
      if (!price || !price->is_positive()) return envelope(spot ? 170193 : 10001, "params error: price invalid", json::object{}, now_ms);
      o.price = *price;
    }
    // Spot market buys are sized in the quote coin unless marketUnit=baseCoin, as on the venue.
    if (spot && type == "Market" && o.side == Side::Buy && p.get_or("marketUnit") != "baseCoin") {
      const MarketSim* m = markets_.find(kind, sp->symbol);
      const auto ask = m ? m->best_ask() : std::nullopt;
      if (!ask) return envelope(170131, "Insufficient liquidity", json::object{}, now_ms);
      o.quantity = fixed_div<Quantity>(o.quantity, ask->price, Rounding::Down).round_to(sp->step_size, Rounding::Down);
    }
    const auto tif = p.get_or("timeInForce", "GTC");
    if (tif == "GTC") o.time_in_force = TimeInForce::Gtc;
    else if (tif == "IOC") o.time_in_force = TimeInForce::Ioc;
    else if (tif == "FOK") o.time_in_force = TimeInForce::Fok;
    else if (tif == "PostOnly") o.time_in_force = TimeInForce::PostOnly;
    else return envelope(spot ? 170115 : 10001, "Invalid timeInForce", json::object{}, now_ms);
    if (type == "Market") o.time_in_force = TimeInForce::Ioc;
    if (const auto trig = p.get("triggerPrice")) {
      auto tp = Price::parse(*trig);
      if (!tp) return envelope(10001, "params error: triggerPrice invalid", json::object{}, now_ms);
      if (tp->is_positive()) {
        o.trigger_price = *tp;
        o.type = type == "Limit" ? OrderType::StopLimit : OrderType::StopMarket;
      }
    }
    if (!o.trigger_price) o.type = type == "Limit" ? OrderType::Limit : OrderType::Market;
    o.reduce_only = !spot && p.get_or("reduceOnly") == "true";
    const auto events = account_.submit(o, host_now);
    std::string venue_id;
    for (const auto& e : events) {
      if (const auto* rj = std::get_if<OrderRejected>(&e)) {
        // Post-only that would take is accepted and then cancelled on the venue (rejectReason on the
        // stream); everything else is refused synchronously.
        if (rj->error.reason == VenueErrorReason::PostOnlyWouldTake) continue;
        const auto c = ret_code_for(rj->error, spot);
        return envelope(c.code, c.msg, json::object{}, now_ms);
      }
      if (const auto* a = std::get_if<OrderAccepted>(&e)) venue_id = std::string(a->venue_order_id.view());
    }
    if (venue_id.empty()) {
      if (auto rep = account_.order(o.client_order_id)) venue_id = std::string(rep->venue_order_id.view());
    }
    if (faults_.accept_no_reply_pending > 0) {
      --faults_.accept_no_reply_pending;
      HttpResponse silent;
      silent.no_reply = true;
      return silent;
    }
    return envelope(0, "OK", json::object{{"orderId", jstr(venue_id)}, {"orderLinkId", link}}, now_ms);
  }

  if (path == "/v5/order/cancel") {
    if (!sp) return envelope(10001, "params error: symbol is empty", json::object{}, now_ms);
    std::optional<OrderStatusReport> rep;
    if (const auto vid = p.get("orderId")) {
      if (auto v = VenueOrderId::make(*vid)) rep = account_.order_by_venue_id(*v);
    } else if (const auto link = p.get("orderLinkId")) {
      if (auto c = ClientOrderId::make(*link)) rep = account_.order(*c);
    } else {
      return envelope(10001, "params error: orderId or orderLinkId is required", json::object{}, now_ms);
    }
    if (!rep || rep->instrument != id_of(*sp)) return envelope(spot ? 170213 : 110001, "Order does not exist.", json::object{}, now_ms);
    if (rep->status == OrderStatus::Filled || rep->status == OrderStatus::Canceled || rep->status == OrderStatus::Rejected ||
        rep->status == OrderStatus::Expired)
      return envelope(spot ? 170213 : 110001, "Order does not exist.", json::object{}, now_ms);
    (void)account_.cancel(rep->instrument, rep->client_order_id, host_now);
    return envelope(0, "OK",
                    json::object{{"orderId", jstr(rep->venue_order_id.str())}, {"orderLinkId", jstr(rep->client_order_id.str())}},
                    now_ms);
  }

  if (path == "/v5/order/cancel-all") {
    if (!spot && !sp && !p.get("settleCoin") && !p.get("baseCoin"))
      return envelope(10001, "params error: symbol, baseCoin or settleCoin is required", json::object{}, now_ms);
    json::array list;
    std::vector<OrderStatusReport> open;
    if (sp) {
      open = account_.open_orders(id_of(*sp));
    } else {
      for (const auto& o : account_.open_orders(std::nullopt))
        if (o.instrument.kind == kind) open.push_back(o);
    }
    for (const auto& o : open) {
      (void)account_.cancel(o.instrument, o.client_order_id, host_now);
      list.push_back(json::object{{"orderId", jstr(o.venue_order_id.str())}, {"orderLinkId", jstr(o.client_order_id.str())}});
    }
    return envelope(0, "OK", json::object{{"list", std::move(list)}, {"success", "1"}}, now_ms);
  }

  if (path == "/v5/order/realtime" || path == "/v5/order/history") {
    if (!spot && !sp && !p.get("settleCoin") && !p.get("baseCoin") && !p.get("orderLinkId") && !p.get("orderId"))
      return envelope(10001, "params error: symbol, baseCoin or settleCoin is required", json::object{}, now_ms);
    std::optional<OrderStatusReport> one;
    bool by_id = false;
    if (const auto link = p.get("orderLinkId")) {
      by_id = true;
      if (auto c = ClientOrderId::make(*link)) one = account_.order(*c);
    } else if (const auto vid = p.get("orderId")) {
      by_id = true;
      if (auto v = VenueOrderId::make(*vid)) one = account_.order_by_venue_id(*v);
    }
    std::vector<OrderStatusReport> out;
    if (by_id) {
      if (one && one->instrument.kind == kind) out.push_back(*one);
    } else if (path == "/v5/order/realtime") {
      for (const auto& o : account_.open_orders(sp ? std::optional<InstrumentId>(id_of(*sp)) : std::nullopt))
        if (o.instrument.kind == kind) out.push_back(o);
    }
    return order_list(out);
  }

  if (path == "/v5/execution/list") {
    const auto start = p.get("startTime") ? parse_int(*p.get("startTime")) : std::nullopt;
    const auto link = p.get("orderLinkId");
    json::array list;
    auto fills = account_.fills(sp ? std::optional<InstrumentId>(id_of(*sp)) : std::nullopt, start.value_or(0));
    // Newest first, as the venue lists them.
    std::int64_t seq = static_cast<std::int64_t>(fills.size());
    for (auto it = fills.rbegin(); it != fills.rend(); ++it, --seq) {
      if (it->instrument.kind != kind) continue;
      if (link && it->client_order_id.view() != *link) continue;
      const InstrumentSpec* fs = spec(it->instrument.kind, it->instrument.symbol.view());
      if (fs) list.push_back(execution_json(*it, *fs, account_.order(it->client_order_id), seq, false));
      if (list.size() >= 100) break;
    }
    return envelope(0, "OK", json::object{{"list", std::move(list)}, {"nextPageCursor", ""}, {"category", category}}, now_ms);
  }

  if (path == "/v5/account/wallet-balance") {
    if (p.get_or("accountType") != "UNIFIED") return envelope(10001, "accountType only support UNIFIED.", json::object{}, now_ms);
    return envelope(0, "OK", json::object{{"list", json::array{wallet_json(account_.account(), false)}}}, now_ms);
  }

  if (path == "/v5/position/list") {
    if (spot) return envelope(10001, "params error: category only support linear or inverse", json::object{}, now_ms);
    if (!sp && !p.get("settleCoin")) return envelope(10001, "params error: symbol or settleCoin is required", json::object{}, now_ms);
    const auto acct = account_.account();
    json::array list;
    for (const auto& m : markets_.all()) {
      const auto& s = m.spec();
      if (!s.is_perp() || (sp && sp != &s)) continue;
      const auto id = id_of(s);
      std::optional<PositionReport> pos;
      for (const auto& x : acct.positions)
        if (x.instrument == id) pos = x;
      list.push_back(position_json(s, pos, account_.leverage(id), m.mark_price(), host_now, false));
    }
    return envelope(0, "OK", json::object{{"list", std::move(list)}, {"nextPageCursor", ""}, {"category", "linear"}}, now_ms);
  }

  if (path == "/v5/position/set-leverage") {
    if (!sp || spot) return envelope(10001, "params error: symbol invalid", json::object{}, now_ms);
    const auto buy = p.get_or("buyLeverage"), sell = p.get_or("sellLeverage");
    const auto lev = parse_int(buy);
    if (!lev || buy != sell) return envelope(10001, "params error: buyLeverage must equal sellLeverage in one-way mode", json::object{}, now_ms);
    const auto id = id_of(*sp);
    if (account_.leverage(id) == *lev) return envelope(110043, "Set leverage not modified", json::object{}, now_ms);
    if (!account_.set_leverage(id, static_cast<int>(*lev), host_now))
      return envelope(110013, "cannot set leverage due to risk limit", json::object{}, now_ms);
    return envelope(0, "OK", json::object{}, now_ms);
  }

  if (path == "/v5/order/disconnected-cancel-all") {
    const auto product = p.get_or("product", "OPTIONS");
    const auto window = parse_int(p.get_or("timeWindow", "10"));
    if (!window || *window < 3 || *window > 300) return envelope(10001, "params error: timeWindow must be 3..300", json::object{}, now_ms);
    if (product == "SPOT") dcp_[0].window_s = static_cast<int>(*window);
    else if (product == "DERIVATIVES") dcp_[1].window_s = static_cast<int>(*window);
    else if (product != "OPTIONS") return envelope(10001, "params error: product invalid", json::object{}, now_ms);
    return envelope(0, "success", json::object{}, now_ms);
  }
  return HttpResponse::json(404, R"({"retCode":404,"retMsg":"Not Found"})");
}

void BybitService::check_dcp(std::int64_t now_ms) {
  for (int product = 0; product < 2; ++product) {
    Dcp& d = dcp_[product];
    if (d.lost_pending) {
      d.lost_pending = false;
      d.lost_since_ms = now_ms;
    }
    if (d.window_s <= 0 || d.live > 0 || d.lost_since_ms < 0) continue;
    if (now_ms - d.lost_since_ms < d.window_s * 1000LL) continue;
    d.lost_since_ms = -1;
    const MarketKind kind = product == 0 ? MarketKind::Spot : MarketKind::LinearPerp;
    for (const auto& o : account_.open_orders(std::nullopt))
      if (o.instrument.kind == kind) (void)account_.cancel(o.instrument, o.client_order_id, now_ms);
  }
}

// --- Payload shapes --------------------------------------------------------------------------------------
std::string_view order_status(const OrderStatusReport& r) {
  switch (r.status) {
    case OrderStatus::PartiallyFilled: return "PartiallyFilled";
    case OrderStatus::Filled: return "Filled";
    case OrderStatus::Canceled:
    case OrderStatus::Expired:
      return r.instrument.kind == MarketKind::Spot && r.filled_quantity.is_positive() ? "PartiallyFilledCanceled" : "Cancelled";
    case OrderStatus::Rejected: return "Rejected";
    default:
      if ((r.type == OrderType::StopMarket || r.type == OrderType::StopLimit) && !r.filled_quantity.is_positive())
        return "Untriggered";
      return r.filled_quantity.is_positive() ? "PartiallyFilled" : "New";
  }
}

json::object order_json(const OrderStatusReport& r, const InstrumentSpec& s, std::string_view status,
                        std::string_view reject_reason, std::int64_t updated_ms, bool stream) {
  json::object o;
  const bool limit = r.type == OrderType::Limit || r.type == OrderType::StopLimit;
  const bool stop = r.type == OrderType::StopMarket || r.type == OrderType::StopLimit;
  if (stream) o["category"] = s.is_perp() ? "linear" : "spot";
  o["symbol"] = s.symbol;
  o["orderId"] = r.venue_order_id.str();
  o["orderLinkId"] = r.client_order_id.str();
  o["side"] = r.side == Side::Buy ? "Buy" : "Sell";
  o["orderType"] = limit ? "Limit" : "Market";
  o["price"] = r.price ? px(s, *r.price) : "0";
  o["qty"] = qty(s, r.quantity);
  std::string_view tif = "GTC";
  if (r.time_in_force == TimeInForce::Ioc) tif = "IOC";
  if (r.time_in_force == TimeInForce::Fok) tif = "FOK";
  if (r.time_in_force == TimeInForce::PostOnly) tif = "PostOnly";
  o["timeInForce"] = tif;
  o["orderStatus"] = status;
  o["cancelType"] = status == "Cancelled" || status == "PartiallyFilledCanceled" ? "CancelByUser" : "UNKNOWN";
  o["rejectReason"] = reject_reason.empty() ? "EC_NoError" : reject_reason;
  o["avgPrice"] = r.avg_fill_price ? px(s, *r.avg_fill_price) : "";
  const Quantity leaves = status == "New" || status == "PartiallyFilled" || status == "Untriggered"
                              ? r.quantity - r.filled_quantity
                              : Quantity{};
  o["leavesQty"] = qty(s, leaves);
  o["cumExecQty"] = qty(s, r.filled_quantity);
  o["cumExecValue"] = r.avg_fill_price ? fmt_trim(fixed_mul<Money>(*r.avg_fill_price, r.filled_quantity, Rounding::Nearest)) : "0";
  o["reduceOnly"] = r.reduce_only;
  o["positionIdx"] = 0;
  o["triggerPrice"] = "0";
  o["triggerDirection"] = stop ? (r.side == Side::Buy ? 1 : 2) : 0;
  o["stopOrderType"] = stop ? "Stop" : "";
  if (!stream) o["isLeverage"] = "0";
  o["createdTime"] = ms_str(r.ts_event_ns / kNanosPerMilli);
  o["updatedTime"] = ms_str(updated_ms);
  if (stream) o["createType"] = "CreateByUser";
  o["placeType"] = "";
  return o;
}

json::object execution_json(const OrderFilled& f, const InstrumentSpec& s, const std::optional<OrderStatusReport>& order,
                            std::int64_t seq, bool stream) {
  json::object o;
  if (stream) o["category"] = s.is_perp() ? "linear" : "spot";
  o["symbol"] = s.symbol;
  o["orderId"] = f.venue_order_id.str();
  o["orderLinkId"] = f.client_order_id.str();
  o["side"] = f.side == Side::Buy ? "Buy" : "Sell";
  o["orderPrice"] = order && order->price ? px(s, *order->price) : "0";
  o["orderQty"] = order ? qty(s, order->quantity) : "0";
  o["leavesQty"] = order ? qty(s, order->quantity - order->filled_quantity) : "0";
  o["orderType"] = order && order->type == OrderType::Limit ? "Limit" : "Market";
  o["stopOrderType"] = "";
  o["execFee"] = fmt_trim(f.fee);
  // The stream names the fee coin for spot executions only (linear fees are in the settle coin).
  if (!stream || !s.is_perp()) o["feeCurrency"] = f.fee_asset.str();
  o["execId"] = f.trade_id.str();
  o["execPrice"] = px(s, f.last_price);
  o["execQty"] = qty(s, f.last_quantity);
  o["execType"] = "Trade";
  o["execValue"] = fmt_trim(fixed_mul<Money>(f.last_price, f.last_quantity, Rounding::Nearest));
  o["execTime"] = ms_str(f.ts_event_ns / kNanosPerMilli);
  o["isMaker"] = f.liquidity == LiquiditySide::Maker;
  o["feeRate"] = "0.0006";
  o["markPrice"] = px(s, f.last_price);
  o["closedSize"] = "0";
  o["seq"] = seq;
  return o;
}

json::object position_json(const InstrumentSpec& s, const std::optional<PositionReport>& p, int leverage, Price mark,
                           std::int64_t now_ms, bool stream) {
  json::object o;
  const bool open = p && !p->quantity.is_zero();
  const Quantity size = open ? (p->quantity.is_negative() ? -p->quantity : p->quantity) : Quantity{};
  if (stream) o["category"] = "linear";
  o["symbol"] = s.symbol;
  o["positionIdx"] = 0;
  o["side"] = !open ? "" : (p->quantity.is_negative() ? "Sell" : "Buy");
  o["size"] = qty(s, size);
  o[stream ? "entryPrice" : "avgPrice"] = open ? px(s, p->entry_price) : "0";
  o["positionValue"] = open ? fmt_trim(fixed_mul<Money>(p->entry_price, size, Rounding::Nearest)) : "0";
  o["leverage"] = std::to_string(leverage);
  o["markPrice"] = px(s, mark);
  o["liqPrice"] = "";
  o["unrealisedPnl"] = "0";
  o["curRealisedPnl"] = "0";
  o["cumRealisedPnl"] = "0";
  o["positionStatus"] = "Normal";
  o["tradeMode"] = 0;
  o["isReduceOnly"] = false;
  o["createdTime"] = ms_str(now_ms);
  o["updatedTime"] = ms_str(now_ms);
  o["seq"] = now_ms;
  return o;
}

json::object wallet_json(const AccountReport& a, bool stream) {
  json::array coins;
  Money total;
  for (const auto& b : a.balances) {
    json::object c;
    c["coin"] = b.asset.str();
    c["walletBalance"] = fmt_trim(b.total());
    c["equity"] = fmt_trim(b.total());
    // REST reports spot locks in `locked`; the stream's layout has no such field, so they go to the
    // order margin field there (the adapter counts the larger of the two once).
    if (!stream) c["locked"] = fmt_trim(b.locked);
    c["totalOrderIM"] = stream ? fmt_trim(b.locked) : "0";
    c["totalPositionIM"] = "0";
    c["totalPositionMM"] = "0";
    if (!stream) {
      c["unrealisedPnl"] = "0";
      c["cumRealisedPnl"] = "0";
      c["usdValue"] = fmt_trim(b.total());
      c["marginCollateral"] = true;
      c["collateralSwitch"] = true;
    }
    c["borrowAmount"] = "0";
    c["accruedInterest"] = "0";
    c["spotBorrow"] = "0";
    c["availableToWithdraw"] = "";
    c["availableToBorrow"] = "";
    if (b.asset.view() == "USDT" || b.asset.view() == "USDC") total += b.total();
    coins.push_back(std::move(c));
  }
  json::object o;
  if (!stream) o["accountType"] = "UNIFIED";
  o["totalEquity"] = fmt_trim(total);
  o["totalWalletBalance"] = fmt_trim(total);
  o["totalMarginBalance"] = fmt_trim(total);
  o["totalAvailableBalance"] = fmt_trim(total);
  o[stream ? "totalPerpUpl" : "totalPerpUPL"] = "0";  // the venue spells it differently in the two
  o["totalInitialMargin"] = "0";
  o["totalMaintenanceMargin"] = "0";
  o["accountIMRate"] = "0";
  o["accountMMRate"] = "0";
  o["accountLTV"] = "0";
  o["coin"] = std::move(coins);
  return o;
}

BybitCode ret_code_for(const VenueError& e, bool spot) {
  switch (e.reason) {
    case VenueErrorReason::InsufficientBalance:
      return spot ? BybitCode{170131, "Insufficient balance."} : BybitCode{110007, "ab not enough for new order"};
    case VenueErrorReason::InvalidQuantity:
      return spot ? BybitCode{170136, "Order quantity is lower than the minimum."} : BybitCode{10001, "The number of contracts exceeds minimum limit allowed"};
    case VenueErrorReason::InvalidPrice:
      return spot ? BybitCode{170193, "Buy order price cannot be higher than the allowed range."} : BybitCode{110003, "Order price is out of permissible range"};
    case VenueErrorReason::NotionalTooSmall:
      return spot ? BybitCode{170140, "Order value exceeded lower limit."} : BybitCode{110094, "Order notional value below the lower limit"};
    case VenueErrorReason::ReduceOnlyRejected: return {110017, "Reduce-only rule not satisfied"};
    case VenueErrorReason::DuplicateClientOrderId:
      return spot ? BybitCode{170141, "Duplicate clientOrderId."} : BybitCode{110072, "OrderLinkedID is duplicate"};
    case VenueErrorReason::UnknownInstrument: return {spot ? 170121 : 10001, "Invalid symbol."};
    case VenueErrorReason::UnknownOrder: return {spot ? 170213 : 110001, "Order does not exist."};
    case VenueErrorReason::PostOnlyWouldTake: return {170217, "Only LIMIT-MAKER order is supported for the current pair."};
    default: return {10001, "params error"};
  }
}

}  // namespace tradingd::emulator::bybit
