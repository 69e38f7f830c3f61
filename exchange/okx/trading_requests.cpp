// OKX v5 request builders: see trading_requests.h. Bodies are built by hand (fixed key order, no
// whitespace) because the bytes sent must be the bytes signed, and instIds/ids are plain ASCII checked here.
#include "exchange/okx/trading_requests.h"

#include <algorithm>

namespace tradingd::okx {
namespace {

constexpr std::int64_t k2s = 2 * kNanosPerSecond;

void kv(std::string& b, std::string_view key, std::string_view value, bool& first) {
  b += first ? "{\"" : ",\"";
  first = false;
  b += key;
  b += "\":\"";
  b += value;
  b += '"';
}

std::string_view side_str(Side s) { return s == Side::Buy ? "buy" : "sell"; }

void cancel_fields(std::string& b, const CancelRequest& c) {
  bool first = true;
  kv(b, "instId", c.instrument.symbol.view(), first);
  if (!c.venue_order_id.view().empty())
    kv(b, "ordId", c.venue_order_id.view(), first);
  else
    kv(b, "clOrdId", c.client_order_id.view(), first);
  b += '}';
}

}  // namespace

std::string_view to_string(OkxMethod m) { return m == OkxMethod::Get ? "GET" : "POST"; }

std::vector<live::RateWindow> okx_rate_windows() {
  // Indexed by OkxEndpoint. 10 % headroom on the order budgets keeps room for cancels and queries.
  return {
      {"place_order_2s", 60, k2s, 10},   {"place_algo_2s", 20, k2s, 0},   {"cancel_order_2s", 60, k2s, 0},
      {"cancel_batch_2s", 300, k2s, 0},  {"get_order_2s", 60, k2s, 0},    {"orders_pending_2s", 60, k2s, 0},
      {"fills_2s", 60, k2s, 0},          {"fills_history_2s", 10, k2s, 0}, {"balance_2s", 10, k2s, 0},
      {"positions_2s", 10, k2s, 0},      {"set_leverage_2s", 20, k2s, 0}, {"public_time_2s", 10, k2s, 0},
      {"cancel_all_after_1s", 1, kNanosPerSecond, 0},
  };
}

std::string_view inst_type(MarketKind kind) { return kind == MarketKind::Spot ? "SPOT" : "SWAP"; }

bool valid_cl_ord_id(std::string_view id) {
  if (id.empty() || id.size() > 32) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  });
}

Result<OkxRequest, std::string> place_order(const OrderRequest& o, const OkxOrderOptions& options) {
  if (!valid_cl_ord_id(o.client_order_id.view()))
    return Err{std::string("clOrdId must be 1-32 letters or digits: ") + o.client_order_id.str()};
  if (!o.quantity.is_positive()) return Err{std::string("quantity must be positive")};
  const bool spot = o.instrument.kind == MarketKind::Spot;
  // OKX takes reduceOnly on SWAP only. On spot a sell cannot exceed the held base anyway (insufficient
  // balance), so a reduce-only spot order (the emergency stop's flatten, a protective exit) is sent as a
  // plain order, as the Binance adapter does; refusing it left the emergency stop unable to flatten spot.
  const std::string_view td_mode = spot ? std::string_view("cash") : options.swap_td_mode;
  const bool stop = o.type == OrderType::StopMarket || o.type == OrderType::StopLimit;
  char buf[40];

  OkxRequest r;
  r.method = OkxMethod::Post;
  std::string& b = r.body;
  b.reserve(192);
  bool first = true;
  kv(b, "instId", o.instrument.symbol.view(), first);
  kv(b, "tdMode", td_mode, first);
  kv(b, "side", side_str(o.side), first);
  if (stop) {
    if (!o.trigger_price) return Err{std::string("a stop order needs a trigger price")};
    if (o.type == OrderType::StopLimit && !o.price) return Err{std::string("a stop-limit order needs a price")};
    r.path = "/api/v5/trade/order-algo";
    r.endpoint = OkxEndpoint::PlaceAlgo;
    kv(b, "ordType", "trigger", first);
    kv(b, "sz", std::string_view(buf, o.quantity.format_to(buf)), first);
    kv(b, "triggerPx", std::string_view(buf, o.trigger_price->format_to(buf)), first);
    // -1: execute at market once triggered.
    kv(b, "orderPx", o.type == OrderType::StopMarket ? std::string_view("-1") : std::string_view(buf, o.price->format_to(buf)), first);
    kv(b, "algoClOrdId", o.client_order_id.view(), first);
  } else {
    r.path = "/api/v5/trade/order";
    r.endpoint = OkxEndpoint::PlaceOrder;
    std::string_view ord_type = "market";
    if (o.type == OrderType::Limit) {
      if (!o.price) return Err{std::string("a limit order needs a price")};
      switch (o.time_in_force) {
        case TimeInForce::Gtc: ord_type = "limit"; break;
        case TimeInForce::PostOnly: ord_type = "post_only"; break;
        case TimeInForce::Fok: ord_type = "fok"; break;
        case TimeInForce::Ioc: ord_type = "ioc"; break;
      }
    } else if (o.time_in_force == TimeInForce::PostOnly || o.time_in_force == TimeInForce::Fok) {
      return Err{std::string("a market order cannot be post-only or fill-or-kill")};
    }
    kv(b, "ordType", ord_type, first);
    kv(b, "sz", std::string_view(buf, o.quantity.format_to(buf)), first);
    if (o.type == OrderType::Limit) kv(b, "px", std::string_view(buf, o.price->format_to(buf)), first);
    kv(b, "clOrdId", o.client_order_id.view(), first);
  }
  // Spot market buys default to sizing in quote currency; the engine sizes in base.
  if (spot && (o.type == OrderType::Market || o.type == OrderType::StopMarket)) kv(b, "tgtCcy", "base_ccy", first);
  if (o.reduce_only && !spot) b += ",\"reduceOnly\":true";
  b += '}';
  return r;
}

OkxRequest cancel_order(const CancelRequest& c) {
  OkxRequest r;
  r.method = OkxMethod::Post;
  r.path = "/api/v5/trade/cancel-order";
  r.endpoint = OkxEndpoint::CancelOrder;
  cancel_fields(r.body, c);
  return r;
}

std::vector<OkxRequest> cancel_batch(std::span<const CancelRequest> cancels) {
  std::vector<OkxRequest> out;
  for (std::size_t i = 0; i < cancels.size(); i += 20) {
    OkxRequest r;
    r.method = OkxMethod::Post;
    r.path = "/api/v5/trade/cancel-batch-orders";
    r.endpoint = OkxEndpoint::CancelBatch;
    const std::size_t n = std::min<std::size_t>(20, cancels.size() - i);
    r.cost = static_cast<std::int64_t>(n);
    r.body = "[";
    for (std::size_t k = 0; k < n; ++k) {
      if (k) r.body += ',';
      cancel_fields(r.body, cancels[i + k]);
    }
    r.body += ']';
    out.push_back(std::move(r));
  }
  return out;
}

OkxRequest query_order(const InstrumentId& instrument, const ClientOrderId& id) {
  OkxRequest r;
  r.path = "/api/v5/trade/order?instId=" + instrument.symbol.str() + "&clOrdId=" + id.str();
  r.endpoint = OkxEndpoint::GetOrder;
  return r;
}

OkxRequest orders_pending(MarketKind kind, const std::optional<InstrumentId>& instrument, std::string_view after) {
  OkxRequest r;
  r.path = "/api/v5/trade/orders-pending?instType=" + std::string(inst_type(kind));
  if (instrument) r.path += "&instId=" + instrument->symbol.str();
  if (!after.empty()) r.path += "&after=" + std::string(after);
  r.path += "&limit=100";
  r.endpoint = OkxEndpoint::OrdersPending;
  return r;
}

OkxRequest fills(const InstrumentId& instrument, std::int64_t begin_ms, bool history) {
  OkxRequest r;
  r.path = std::string(history ? "/api/v5/trade/fills-history" : "/api/v5/trade/fills") +
           "?instType=" + std::string(inst_type(instrument.kind)) + "&instId=" + instrument.symbol.str() +
           "&begin=" + std::to_string(begin_ms) + "&limit=100";
  r.endpoint = history ? OkxEndpoint::FillsHistory : OkxEndpoint::Fills;
  return r;
}

OkxRequest balance() {
  OkxRequest r;
  r.path = "/api/v5/account/balance";
  r.endpoint = OkxEndpoint::Balance;
  return r;
}

OkxRequest positions() {
  OkxRequest r;
  r.path = "/api/v5/account/positions?instType=SWAP";
  r.endpoint = OkxEndpoint::Positions;
  return r;
}

OkxRequest set_leverage(const InstrumentId& instrument, int leverage, std::string_view mgn_mode) {
  OkxRequest r;
  r.method = OkxMethod::Post;
  r.path = "/api/v5/account/set-leverage";
  r.endpoint = OkxEndpoint::SetLeverage;
  bool first = true;
  kv(r.body, "instId", instrument.symbol.view(), first);
  kv(r.body, "lever", std::to_string(leverage), first);
  kv(r.body, "mgnMode", mgn_mode, first);
  r.body += '}';
  return r;
}

OkxRequest server_time() {
  OkxRequest r;
  r.path = "/api/v5/public/time";
  r.endpoint = OkxEndpoint::PublicTime;
  return r;
}

OkxRequest cancel_all_after(int timeout_s) {
  if (timeout_s != 0) timeout_s = std::clamp(timeout_s, 10, 120);
  OkxRequest r;
  r.method = OkxMethod::Post;
  r.path = "/api/v5/trade/cancel-all-after";
  r.endpoint = OkxEndpoint::CancelAllAfter;
  bool first = true;
  kv(r.body, "timeOut", std::to_string(timeout_s), first);
  r.body += '}';
  return r;
}

}  // namespace tradingd::okx
