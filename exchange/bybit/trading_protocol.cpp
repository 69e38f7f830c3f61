// Bybit v5 request signer and builders (see trading_protocol.h). JSON bodies are written by hand in a
// fixed key order: no JSON library on the order path, and the signed bytes are the sent bytes.
#include "exchange/bybit/trading_protocol.h"

#include <charconv>

namespace tradingd::bybit {
namespace {

void append_int(std::string& out, std::int64_t v) {
  char buf[24];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
}

template <class Tag>
void append_fixed(std::string& out, Fixed<Tag> v) {
  char buf[fixed::kMaxFormattedLen];
  out.append(buf, v.format_to(buf));
}

// Ids and symbols are [A-Za-z0-9_-] on Bybit; anything else is escaped so the JSON stays valid.
void append_json_string(std::string& out, std::string_view s) {
  out.push_back('"');
  for (const char c : s) {
    if (c == '"' || c == '\\') out.push_back('\\');
    if (static_cast<unsigned char>(c) < 0x20) continue;
    out.push_back(c);
  }
  out.push_back('"');
}

class Json {
 public:
  Json() { s_.reserve(256); s_.push_back('{'); }
  Json& str(std::string_view key, std::string_view value) {
    this->key(key);
    append_json_string(s_, value);
    return *this;
  }
  template <class Tag>
  Json& num_str(std::string_view key, Fixed<Tag> v) {
    this->key(key);
    s_.push_back('"');
    append_fixed(s_, v);
    s_.push_back('"');
    return *this;
  }
  Json& integer(std::string_view key, std::int64_t v) {
    this->key(key);
    append_int(s_, v);
    return *this;
  }
  Json& boolean(std::string_view key, bool v) {
    this->key(key);
    s_.append(v ? "true" : "false");
    return *this;
  }
  std::string done() {
    s_.push_back('}');
    return std::move(s_);
  }

 private:
  void key(std::string_view k) {
    if (s_.size() > 1) s_.push_back(',');
    s_.push_back('"');
    s_.append(k);
    s_.append("\":");
  }
  std::string s_;
};

class Query {
 public:
  Query& add(std::string_view key, std::string_view value) {
    if (!s_.empty()) s_.push_back('&');
    s_.append(key);
    s_.push_back('=');
    s_.append(live::percent_encode(value));
    return *this;
  }
  Query& add(std::string_view key, std::int64_t value) {
    if (!s_.empty()) s_.push_back('&');
    s_.append(key);
    s_.push_back('=');
    append_int(s_, value);
    return *this;
  }
  std::string done() { return std::move(s_); }

 private:
  std::string s_;
};

std::string_view tif(TimeInForce t) {
  switch (t) {
    case TimeInForce::Gtc: return "GTC";
    case TimeInForce::Ioc: return "IOC";
    case TimeInForce::Fok: return "FOK";
    case TimeInForce::PostOnly: return "PostOnly";
  }
  return "GTC";
}

}  // namespace

std::string_view category(MarketKind kind) { return kind == MarketKind::Spot ? "spot" : "linear"; }

BybitSigner::BybitSigner(std::string api_key, live::HmacSha256 mac, std::int64_t recv_window_ms)
    : api_key_(std::move(api_key)), mac_(std::move(mac)), recv_window_ms_(recv_window_ms),
      recv_window_text_(std::to_string(recv_window_ms)) {}

Result<BybitSigner, std::string> BybitSigner::make(std::string api_key, std::string_view api_secret,
                                                   std::int64_t recv_window_ms) {
  if (recv_window_ms <= 0) return Err{std::string("recv_window_ms must be positive")};
  auto mac = live::HmacSha256::make(api_secret);
  if (!mac) return Err{mac.error()};
  return BybitSigner(std::move(api_key), std::move(*mac), recv_window_ms);
}

std::string BybitSigner::string_to_sign(std::int64_t timestamp_ms, std::string_view payload) const {
  std::string s = std::to_string(timestamp_ms);
  s += api_key_;
  s += recv_window_text_;
  s += payload;
  return s;
}

std::string BybitSigner::sign(std::int64_t timestamp_ms, std::string_view payload) const {
  char ts[24];
  const auto r = std::to_chars(ts, ts + sizeof ts, timestamp_ms);
  return live::to_hex(mac_.sign(std::string_view(ts, static_cast<std::size_t>(r.ptr - ts)), api_key_,
                                recv_window_text_, payload));
}

std::vector<Header> BybitSigner::headers(std::int64_t timestamp_ms, std::string_view payload) const {
  return {{"X-BAPI-API-KEY", api_key_},
          {"X-BAPI-TIMESTAMP", std::to_string(timestamp_ms)},
          {"X-BAPI-SIGN", sign(timestamp_ms, payload)},
          {"X-BAPI-RECV-WINDOW", recv_window_text_},
          {"X-BAPI-SIGN-TYPE", "2"}};
}

std::string BybitSigner::ws_auth_frame(std::int64_t expires_ms) const {
  const std::string expires = std::to_string(expires_ms);
  std::string out = R"({"op":"auth","args":[)";
  append_json_string(out, api_key_);
  out += ',';
  out += expires;
  out += ",\"";
  out += live::to_hex(mac_.sign("GET/realtime", expires));
  out += "\"]}";
  return out;
}

void BybitSigner::write_http(const BybitRequest& request, std::string_view host, std::int64_t timestamp_ms,
                             std::string& out) const {
  char ts[24];
  const auto r = std::to_chars(ts, ts + sizeof ts, timestamp_ms);
  const std::string_view ts_text(ts, static_cast<std::size_t>(r.ptr - ts));
  const auto digest = mac_.sign(ts_text, api_key_, recv_window_text_, request.payload);
  static constexpr char kHex[] = "0123456789abcdef";
  char sig[64];
  for (std::size_t i = 0; i < digest.size(); ++i) {
    sig[2 * i] = kHex[digest[i] >> 4];
    sig[2 * i + 1] = kHex[digest[i] & 0xf];
  }
  out.append(request.post ? "POST " : "GET ");
  out.append(request.path);
  if (!request.post && !request.payload.empty()) {
    out.push_back('?');
    out.append(request.payload);
  }
  out.append(" HTTP/1.1\r\nHost: ");
  out.append(host);
  out.append("\r\nX-BAPI-API-KEY: ");
  out.append(api_key_);
  out.append("\r\nX-BAPI-TIMESTAMP: ");
  out.append(ts_text);
  out.append("\r\nX-BAPI-SIGN: ");
  out.append(sig, sizeof sig);
  out.append("\r\nX-BAPI-RECV-WINDOW: ");
  out.append(recv_window_text_);
  out.append("\r\nX-BAPI-SIGN-TYPE: 2\r\n");
  if (request.post) {
    out.append("Content-Type: application/json\r\nContent-Length: ");
    append_int(out, static_cast<std::int64_t>(request.payload.size()));
    out.append("\r\n\r\n");
    out.append(request.payload);
  } else {
    out.append("\r\n");
  }
}

std::vector<live::RateWindow> rate_windows() {
  constexpr std::int64_t kSecond = 1'000'000'000;
  return {{"ip_5s", 600, 5 * kSecond, 10},     {"order_linear_1s", 10, kSecond, 20}, {"order_spot_1s", 20, kSecond, 20},
          {"query_1s", 50, kSecond, 0},        {"account_1s", 50, kSecond, 0},       {"set_leverage_1s", 10, kSecond, 0},
          {"dcp_1s", 5, kSecond, 0}};
}

std::size_t rate_window_for(const BybitRequest& r) {
  if (r.path == path::kCreate || r.path == path::kCancel || r.path == path::kCancelAll)
    return r.spot ? kWindowOrderSpot : kWindowOrderLinear;
  if (r.path == path::kRealtime || r.path == path::kHistory || r.path == path::kExecutions) return kWindowQuery;
  if (r.path == path::kSetLeverage) return kWindowLeverage;
  if (r.path == path::kDcp) return kWindowDcp;
  return kWindowAccount;
}

BybitRequest create_order(const OrderRequest& r) {
  const bool spot = r.instrument.kind == MarketKind::Spot;
  Json j;
  j.str("category", category(r.instrument.kind)).str("symbol", r.instrument.symbol.view());
  j.str("side", r.side == Side::Buy ? "Buy" : "Sell");
  const bool limit = r.type == OrderType::Limit || r.type == OrderType::StopLimit;
  j.str("orderType", limit ? "Limit" : "Market");
  j.num_str("qty", r.quantity);
  if (limit && r.price) j.num_str("price", *r.price);
  if (spot && !limit) j.str("marketUnit", "baseCoin");
  // Market orders always run IOC on Bybit; sending the TIF only for limits keeps the request minimal.
  if (limit) j.str("timeInForce", tif(r.time_in_force));
  if (r.type == OrderType::StopMarket || r.type == OrderType::StopLimit) {
    if (r.trigger_price) j.num_str("triggerPrice", *r.trigger_price);
    j.integer("triggerDirection", r.side == Side::Buy ? 1 : 2);
    if (spot) j.str("orderFilter", "StopOrder");
  }
  if (!spot) {
    j.integer("positionIdx", 0);
    if (r.reduce_only) j.boolean("reduceOnly", true);
  }
  if (r.stop_loss) j.num_str("stopLoss", *r.stop_loss);
  if (r.take_profit) j.num_str("takeProfit", *r.take_profit);
  j.str("orderLinkId", r.client_order_id.view());
  return {true, std::string(path::kCreate), j.done(), true, spot};
}

BybitRequest cancel_order(const CancelRequest& r) {
  Json j;
  j.str("category", category(r.instrument.kind)).str("symbol", r.instrument.symbol.view());
  if (!r.venue_order_id.empty()) j.str("orderId", r.venue_order_id.view());
  else j.str("orderLinkId", r.client_order_id.view());
  return {true, std::string(path::kCancel), j.done(), true, r.instrument.kind == MarketKind::Spot};
}

BybitRequest cancel_all(MarketKind kind, std::optional<std::string_view> symbol) {
  Json j;
  j.str("category", category(kind));
  if (symbol) j.str("symbol", *symbol);
  else if (kind == MarketKind::LinearPerp) j.str("settleCoin", "USDT");
  return {true, std::string(path::kCancelAll), j.done(), true, kind == MarketKind::Spot};
}

BybitRequest query_order(MarketKind kind, std::string_view symbol, std::string_view order_link_id) {
  Query q;
  q.add("category", category(kind)).add("symbol", symbol).add("orderLinkId", order_link_id);
  return {false, std::string(path::kRealtime), q.done(), false, kind == MarketKind::Spot};
}

BybitRequest open_orders(MarketKind kind, std::optional<std::string_view> symbol, std::string_view cursor) {
  Query q;
  q.add("category", category(kind));
  if (symbol) q.add("symbol", *symbol);
  else if (kind == MarketKind::LinearPerp) q.add("settleCoin", "USDT");
  q.add("openOnly", 0).add("limit", 50);
  if (!cursor.empty()) q.add("cursor", cursor);
  return {false, std::string(path::kRealtime), q.done()};
}

BybitRequest order_history(MarketKind kind, std::string_view symbol, std::string_view order_link_id) {
  Query q;
  q.add("category", category(kind)).add("symbol", symbol).add("orderLinkId", order_link_id);
  return {false, std::string(path::kHistory), q.done()};
}

BybitRequest executions(MarketKind kind, std::string_view symbol, std::int64_t start_ms, std::string_view cursor) {
  Query q;
  q.add("category", category(kind)).add("symbol", symbol).add("startTime", start_ms).add("limit", 100);
  if (!cursor.empty()) q.add("cursor", cursor);
  return {false, std::string(path::kExecutions), q.done()};
}

BybitRequest wallet_balance() { return {false, std::string(path::kWallet), "accountType=UNIFIED"}; }

BybitRequest positions() { return {false, std::string(path::kPositions), "category=linear&settleCoin=USDT"}; }

BybitRequest set_leverage(std::string_view symbol, int leverage) {
  Json j;
  const std::string lev = std::to_string(leverage);
  j.str("category", "linear").str("symbol", symbol).str("buyLeverage", lev).str("sellLeverage", lev);
  return {true, std::string(path::kSetLeverage), j.done()};
}

BybitRequest server_time() { return {false, std::string(path::kTime), ""}; }

BybitRequest disconnect_cancel_all(std::string_view product, int time_window_s) {
  Json j;
  j.str("product", product).integer("timeWindow", time_window_s);
  return {true, std::string(path::kDcp), j.done()};
}

std::string ws_subscribe_frame(bool with_dcp) {
  if (with_dcp) return R"({"op":"subscribe","req_id":"dcp","args":["dcp.future","dcp.spot"]})";
  return R"({"op":"subscribe","req_id":"private","args":["order","execution","position","wallet"]})";
}

}  // namespace tradingd::bybit
