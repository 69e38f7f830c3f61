// Binance private streams in the emulator: the spot WebSocket API's user-data subscription
// (userDataStream.subscribe.signature, /ws-api/v3) and the USD-M listen-key stream (/private/ws?listenKey=K,
// or the key as the last path segment). Both read BinancePrivate's formatted frames with their own cursor.
#include <algorithm>
#include <boost/json.hpp>

#include "exchange/emulator/binance/private.h"

namespace tradingd::emulator::binance {
namespace json = boost::json;
namespace {

class SpotWsApi final : public WsProtocol {
 public:
  SpotWsApi(BinancePrivate& p, const ServiceOptions& opts) : p_(p), opts_(opts) {}

  void on_text(std::string_view text, std::int64_t now_ms, std::vector<std::string>& out) override {
    boost::system::error_code ec;
    const json::value v = json::parse(text, ec);
    if (ec || !v.is_object()) {
      out.push_back(reply(nullptr, 400, -2, "Invalid JSON"));
      return;
    }
    const auto& o = v.get_object();
    const json::value id = o.contains("id") ? o.at("id") : json::value(nullptr);
    const auto* method = o.if_contains("method");
    if (!method || !method->is_string()) {
      out.push_back(reply(id, 400, -1102, "Mandatory parameter 'method' was not sent, was empty/null, or malformed."));
      return;
    }
    const std::string_view m = method->get_string();
    const std::int64_t now = p_.venue_now(now_ms);
    if (m == "ping") {
      out.push_back(ok(id, json::object{}));
    } else if (m == "time") {
      out.push_back(ok(id, json::object{{"serverTime", now}}));
    } else if (m == "userDataStream.subscribe.signature") {
      static const json::object empty;
      const auto* pv = o.if_contains("params");
      const json::object& params = pv && pv->is_object() ? pv->get_object() : empty;
      // The signed payload: every parameter but the signature, sorted by name, values as sent (raw).
      std::vector<std::pair<std::string, std::string>> kv;
      std::string signature;
      for (const auto& e : params) {
        std::string value = e.value().is_string() ? std::string(e.value().get_string()) : json::serialize(e.value());
        if (e.key() == "signature") signature = value;
        else kv.emplace_back(std::string(e.key()), std::move(value));
      }
      std::sort(kv.begin(), kv.end());
      std::string payload, api_key;
      std::int64_t ts = 0, recv_window = 5000;
      for (const auto& [k, val] : kv) {
        if (!payload.empty()) payload += '&';
        payload += k + "=" + val;
        if (k == "apiKey") api_key = val;
        if (k == "timestamp") ts = parse_int(val).value_or(0);
        if (k == "recvWindow") recv_window = parse_int(val).value_or(5000);
      }
      if (api_key != p_.api_key()) {
        out.push_back(reply(id, 401, -2015, "Invalid API-key, IP, or permissions for action."));
      } else if (ts >= now + 1000 || now - ts > recv_window) {
        out.push_back(reply(id, 400, -1021, "Timestamp for this request is outside of the recvWindow."));
      } else if (!p_.verify_hmac(payload, signature)) {
        out.push_back(reply(id, 400, -1022, "Signature for this request is not valid."));
      } else if (subscription_ >= 0) {
        out.push_back(reply(id, 400, -2035, "User Data Stream subscription already active."));
      } else {
        subscription_ = next_subscription_++;
        cursor_ = p_.last_frame_seq();
        out.push_back(ok(id, json::object{{"subscriptionId", subscription_}}));
      }
    } else if (m == "userDataStream.unsubscribe") {
      if (subscription_ >= 0) {
        out.push_back(json::serialize(json::object{
            {"subscriptionId", subscription_}, {"event", json::object{{"e", "eventStreamTerminated"}, {"E", now}}}}));
      }
      subscription_ = -1;
      out.push_back(ok(id, json::object{}));
    } else if (m == "session.logon") {
      out.push_back(reply(id, 400, -4056, "HMAC_SHA256 API key is not supported."));
    } else {
      out.push_back(reply(id, 400, -1100, "Unknown method '" + std::string(m) + "'."));
    }
  }

  void on_tick(const VenueTick&, std::vector<std::string>& out) override {
    if (subscription_ < 0) return;
    for (const auto& f : p_.frames()) {
      if (f.seq <= cursor_) continue;
      cursor_ = f.seq;
      if (f.spot.empty()) continue;
      out.push_back(R"({"subscriptionId":)" + std::to_string(subscription_) + R"(,"event":)" + f.spot + "}");
    }
  }

  HeartbeatPolicy heartbeat() const override { return {opts_.binance_ping_interval_ms, opts_.binance_pong_timeout_ms, 0, 1000}; }
  bool is_private() const override { return true; }

 private:
  static std::string ok(const json::value& id, json::object result) {
    return json::serialize(json::object{{"id", id}, {"status", 200}, {"result", std::move(result)},
                                        {"rateLimits", json::array{json::object{{"rateLimitType", "REQUEST_WEIGHT"},
                                                                                {"interval", "MINUTE"},
                                                                                {"intervalNum", 1},
                                                                                {"limit", 6000},
                                                                                {"count", 2}}}}});
  }
  static std::string reply(const json::value& id, int status, int code, std::string_view msg) {
    return json::serialize(json::object{{"id", id}, {"status", status}, {"error", json::object{{"code", code}, {"msg", msg}}}});
  }

  BinancePrivate& p_;
  const ServiceOptions& opts_;
  std::int64_t subscription_ = -1;
  std::uint64_t cursor_ = 0;
  static inline std::int64_t next_subscription_ = 0;
};

class FuturesUserStream final : public WsProtocol {
 public:
  FuturesUserStream(BinancePrivate& p, const ServiceOptions& opts, std::string key)
      : p_(p), opts_(opts), key_(std::move(key)), cursor_(p.last_frame_seq()) {}

  // The user-data stream takes no requests; the venue ignores them.
  void on_text(std::string_view, std::int64_t, std::vector<std::string>&) override {}

  void on_tick(const VenueTick& tick, std::vector<std::string>& out) override {
    if (expired_sent_) return;
    const std::int64_t now = p_.venue_now(tick.ts_ms);
    if (!p_.listen_key_valid(key_, now)) {
      expired_sent_ = true;
      out.push_back(json::serialize(json::object{{"e", "listenKeyExpired"}, {"E", now}, {"listenKey", key_}}));
      return;
    }
    for (const auto& f : p_.frames()) {
      if (f.seq <= cursor_) continue;
      cursor_ = f.seq;
      if (!f.futures.empty()) out.push_back(f.futures);
    }
  }

  HeartbeatPolicy heartbeat() const override { return {opts_.binance_ping_interval_ms, opts_.binance_pong_timeout_ms, 0, 1000}; }
  bool is_private() const override { return true; }

 private:
  BinancePrivate& p_;
  const ServiceOptions& opts_;
  std::string key_;
  std::uint64_t cursor_ = 0;
  bool expired_sent_ = false;
};

}  // namespace

std::unique_ptr<WsProtocol> BinancePrivate::open_ws(std::string_view path, const Query& q) {
  if (path == "/ws-api/v3" || path == "/ws-api/v3/") return std::make_unique<SpotWsApi>(*this, opts_);
  std::string key;
  if (path.starts_with("/private")) {
    key = q.get("listenKey").value_or("");
    if (key.empty()) {
      const auto slash = path.rfind('/');
      key = std::string(path.substr(slash + 1));
    }
  } else if (!listen_key_.empty() && path.ends_with("/" + listen_key_)) {
    key = listen_key_;  // legacy form: wss://fstream.binance.com/ws/<listenKey>
  } else {
    return nullptr;
  }
  // An unknown or expired key is refused at the handshake.
  if (key.empty() || !listen_key_valid(key, last_now_ms_)) return nullptr;
  return std::make_unique<FuturesUserStream>(*this, opts_, key);
}

}  // namespace tradingd::emulator::binance
