#include "exchange/binance/trading_requests.h"

#include <charconv>

namespace tradingd::binance {
namespace {

// Appends "k=v" with the value percent-encoded: the exact bytes that are signed and sent.
class Params {
 public:
  Params& add(std::string_view k, std::string_view v) {
    if (!q_.empty()) q_.push_back('&');
    q_.append(k).push_back('=');
    q_.append(live::percent_encode(v));
    return *this;
  }
  Params& add(std::string_view k, std::int64_t v) {
    char buf[24];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
    return add(k, std::string_view(buf, static_cast<std::size_t>(end - buf)));
  }
  std::string take() { return std::move(q_); }

 private:
  std::string q_;
};

std::string_view tif_name(TimeInForce t, bool futures) {
  switch (t) {
    case TimeInForce::Gtc: return "GTC";
    case TimeInForce::Ioc: return "IOC";
    case TimeInForce::Fok: return "FOK";
    case TimeInForce::PostOnly: return futures ? "GTX" : "GTC";
  }
  return "GTC";
}

bool is_stop(OrderType t) { return t == OrderType::StopMarket || t == OrderType::StopLimit; }

}  // namespace

std::vector<live::RateWindow> pacer_windows(Host host) {
  if (host == Host::Spot) {
    return {{"weight_1m", 6000, 60 * kNanosPerSecond, 10},
            {"orders_10s", 50, 10 * kNanosPerSecond, 0},
            {"orders_1d", 160'000, 86'400 * kNanosPerSecond, 0}};
  }
  return {{"weight_1m", 2400, 60 * kNanosPerSecond, 10},
          {"orders_10s", 300, 10 * kNanosPerSecond, 0},
          {"orders_1m", 1200, 60 * kNanosPerSecond, 0}};
}

std::vector<live::RateCost> costs_of(const RestRequest& r) {
  std::vector<live::RateCost> c;
  if (r.weight > 0) c.push_back({kWeight1m, r.weight});
  if (r.counts_order) {
    c.push_back({kOrders10s, 1});
    c.push_back({kOrdersLong, 1});
  }
  return c;
}

std::string_view side_name(Side s) { return s == Side::Buy ? "BUY" : "SELL"; }

std::string_view spot_order_type(OrderType t, TimeInForce tif) {
  switch (t) {
    case OrderType::Market: return "MARKET";
    case OrderType::Limit: return tif == TimeInForce::PostOnly ? "LIMIT_MAKER" : "LIMIT";
    case OrderType::StopMarket: return "STOP_LOSS";
    case OrderType::StopLimit: return "STOP_LOSS_LIMIT";
  }
  return "LIMIT";
}

std::string_view futures_order_type(OrderType t) {
  switch (t) {
    case OrderType::Market: return "MARKET";
    case OrderType::Limit: return "LIMIT";
    case OrderType::StopMarket: return "STOP_MARKET";
    case OrderType::StopLimit: return "STOP";
  }
  return "LIMIT";
}

RestRequest RequestBuilder::signed_request(std::string_view method, Host host, std::string_view path, std::string query,
                                           std::int64_t ts_ms, int weight) const {
  Params tail;
  tail.add("recvWindow", recv_window_ms_).add("timestamp", ts_ms);
  if (!query.empty()) query.push_back('&');
  query += tail.take();
  signer_.append_signature(query);
  RestRequest r;
  r.method = method;
  r.host = host;
  r.target.reserve(path.size() + 1 + query.size());
  r.target.append(path).push_back('?');
  r.target += query;
  r.api_key = signer_.api_key();
  r.weight = weight;
  r.idempotent = method == "GET";
  return r;
}

RestRequest RequestBuilder::new_order(const OrderRequest& o, std::int64_t ts_ms) const {
  const bool futures = o.instrument.kind == MarketKind::LinearPerp;
  const bool algo = futures && is_stop(o.type);
  Params p;
  if (algo) p.add("algoType", "CONDITIONAL");
  p.add("symbol", o.instrument.symbol.view()).add("side", side_name(o.side));
  p.add("type", futures ? futures_order_type(o.type) : spot_order_type(o.type, o.time_in_force));
  const bool has_tif = o.type == OrderType::Limit || o.type == OrderType::StopLimit;
  // LIMIT_MAKER takes no timeInForce (it is the post-only flag itself).
  if (has_tif && !(!futures && o.time_in_force == TimeInForce::PostOnly)) p.add("timeInForce", tif_name(o.time_in_force, futures));
  p.add("quantity", o.quantity.to_string());
  if (o.price && (o.type == OrderType::Limit || o.type == OrderType::StopLimit)) p.add("price", o.price->to_string());
  if (o.trigger_price && is_stop(o.type)) p.add(algo ? "triggerPrice" : "stopPrice", o.trigger_price->to_string());
  if (futures && o.reduce_only) p.add("reduceOnly", "true");
  p.add(algo ? "clientAlgoId" : "newClientOrderId", o.client_order_id.view());
  // FULL on spot carries the immediate fills; RESULT on futures carries the final status.
  if (!algo) p.add("newOrderRespType", futures ? "RESULT" : "FULL");
  RestRequest r = signed_request("POST", host_of(o.instrument.kind),
                                 futures ? (algo ? "/fapi/v1/algoOrder" : "/fapi/v1/order") : "/api/v3/order", p.take(),
                                 ts_ms, futures ? 0 : 1);
  r.counts_order = true;
  return r;
}

RestRequest RequestBuilder::cancel_order(const CancelRequest& c, std::int64_t ts_ms) const {
  const bool futures = c.instrument.kind == MarketKind::LinearPerp;
  Params p;
  p.add("symbol", c.instrument.symbol.view());
  if (!c.venue_order_id.empty()) p.add("orderId", c.venue_order_id.view());
  else p.add("origClientOrderId", c.client_order_id.view());
  return signed_request("DELETE", host_of(c.instrument.kind), futures ? "/fapi/v1/order" : "/api/v3/order", p.take(), ts_ms, 1);
}

RestRequest RequestBuilder::cancel_all(const InstrumentId& i, std::int64_t ts_ms) const {
  const bool futures = i.kind == MarketKind::LinearPerp;
  Params p;
  p.add("symbol", i.symbol.view());
  return signed_request("DELETE", host_of(i.kind), futures ? "/fapi/v1/allOpenOrders" : "/api/v3/openOrders", p.take(), ts_ms, 1);
}

RestRequest RequestBuilder::cancel_algo_order(const ClientOrderId& id, std::int64_t ts_ms) const {
  Params p;
  p.add("clientAlgoId", id.view());
  return signed_request("DELETE", Host::Futures, "/fapi/v1/algoOrder", p.take(), ts_ms, 1);
}

RestRequest RequestBuilder::cancel_all_algo(const Symbol& symbol, std::int64_t ts_ms) const {
  Params p;
  p.add("symbol", symbol.view());
  return signed_request("DELETE", Host::Futures, "/fapi/v1/algoOpenOrders", p.take(), ts_ms, 1);
}

RestRequest RequestBuilder::query_order(const InstrumentId& i, const ClientOrderId& id, std::int64_t ts_ms) const {
  const bool futures = i.kind == MarketKind::LinearPerp;
  Params p;
  p.add("symbol", i.symbol.view()).add("origClientOrderId", id.view());
  return signed_request("GET", host_of(i.kind), futures ? "/fapi/v1/order" : "/api/v3/order", p.take(), ts_ms, futures ? 1 : 4);
}

RestRequest RequestBuilder::query_algo_order(const ClientOrderId& id, std::int64_t ts_ms) const {
  Params p;
  p.add("clientAlgoId", id.view());
  return signed_request("GET", Host::Futures, "/fapi/v1/algoOrder", p.take(), ts_ms, 1);
}

RestRequest RequestBuilder::open_orders(Host host, const std::optional<Symbol>& symbol, std::int64_t ts_ms) const {
  Params p;
  if (symbol) p.add("symbol", symbol->view());
  const int weight = host == Host::Spot ? (symbol ? 6 : 80) : (symbol ? 1 : 40);
  return signed_request("GET", host, host == Host::Spot ? "/api/v3/openOrders" : "/fapi/v1/openOrders", p.take(), ts_ms, weight);
}

RestRequest RequestBuilder::trades(const InstrumentId& i, std::int64_t start_ms, std::int64_t ts_ms) const {
  const bool futures = i.kind == MarketKind::LinearPerp;
  Params p;
  p.add("symbol", i.symbol.view());
  if (start_ms > 0) p.add("startTime", start_ms);
  p.add("limit", 1000);
  return signed_request("GET", host_of(i.kind), futures ? "/fapi/v1/userTrades" : "/api/v3/myTrades", p.take(), ts_ms,
                        futures ? 5 : 20);
}

RestRequest RequestBuilder::account(Host host, std::int64_t ts_ms) const {
  if (host == Host::Spot) {
    Params p;
    p.add("omitZeroBalances", "true");
    return signed_request("GET", host, "/api/v3/account", p.take(), ts_ms, 20);
  }
  return signed_request("GET", host, "/fapi/v3/account", {}, ts_ms, 5);
}

RestRequest RequestBuilder::position_risk(std::int64_t ts_ms) const {
  return signed_request("GET", Host::Futures, "/fapi/v3/positionRisk", {}, ts_ms, 5);
}

RestRequest RequestBuilder::set_leverage(const Symbol& symbol, int leverage, std::int64_t ts_ms) const {
  Params p;
  p.add("symbol", symbol.view()).add("leverage", leverage);
  return signed_request("POST", Host::Futures, "/fapi/v1/leverage", p.take(), ts_ms, 1);
}

RestRequest RequestBuilder::countdown_cancel_all(const Symbol& symbol, std::int64_t countdown_ms, std::int64_t ts_ms) const {
  Params p;
  p.add("symbol", symbol.view()).add("countdownTime", countdown_ms);
  return signed_request("POST", Host::Futures, "/fapi/v1/countdownCancelAll", p.take(), ts_ms, 10);
}

RestRequest RequestBuilder::listen_key(std::string_view method) const {
  RestRequest r;
  r.method = method;
  r.host = Host::Futures;
  r.target = "/fapi/v1/listenKey";
  r.api_key = signer_.api_key();
  r.weight = 1;
  // POST returns the active key when there is one, so repeating it is harmless.
  r.idempotent = true;
  return r;
}

RestRequest RequestBuilder::server_time(Host host) {
  RestRequest r;
  r.method = "GET";
  r.host = host;
  r.target = host == Host::Spot ? "/api/v3/time" : "/fapi/v1/time";
  r.weight = 1;
  r.idempotent = true;
  return r;
}

std::string RequestBuilder::ws_subscribe_signature(std::string_view id, std::int64_t ts_ms) const {
  // Sorted by name: apiKey, recvWindow, timestamp.
  std::string payload = "apiKey=" + signer_.api_key() + "&recvWindow=" + std::to_string(recv_window_ms_) +
                        "&timestamp=" + std::to_string(ts_ms);
  const std::string sig = signer_.sign_ws(payload);
  std::string out;
  out.reserve(payload.size() + 160);
  out += R"({"id":")";
  out += id;
  out += R"(","method":"userDataStream.subscribe.signature","params":{"apiKey":")";
  out += signer_.api_key();
  out += R"(","recvWindow":)" + std::to_string(recv_window_ms_) + R"(,"timestamp":)" + std::to_string(ts_ms) +
         R"(,"signature":")" + sig + R"("}})";
  return out;
}

std::int64_t parse_header_int(std::string_view v) {
  while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
  while (!v.empty() && v.back() == ' ') v.remove_suffix(1);
  if (v.empty()) return -1;
  std::int64_t out = 0;
  auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
  if (ec != std::errc() || ptr != v.data() + v.size() || out < 0) return -1;
  return out;
}

}  // namespace tradingd::binance
