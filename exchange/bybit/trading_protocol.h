// Bybit v5 trading protocol, the outgoing half: the request signer (HMAC-SHA256 lower-case hex over
// timestamp + api_key + recv_window + (query string | JSON body), sent as X-BAPI-* headers), the private
// WebSocket auth frame, and one request builder per operation for categories spot and linear.
// Contract: builders are pure and deterministic (same input → same bytes), so the signature is computed
// over exactly the bytes that go on the wire; prices and quantities are written from the exact fixed-point
// values (never through double). No I/O, no clock: timestamps come in as arguments.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"
#include "exchange/execution_venue.h"
#include "exchange/live/request_pacer.h"
#include "exchange/live/signing.h"

namespace tradingd::bybit {

// One REST request before signing. GET carries its parameters in `payload` as the query string (no '?');
// POST carries them as the JSON body. Bybit signs exactly that payload.
struct BybitRequest {
  bool post = false;
  std::string path;     // "/v5/order/create"
  std::string payload;  // query string (GET) or JSON body (POST)
  bool is_order_entry = false;  // create/cancel/cancel-all: an UnknownOutcome must be resolved by query
  bool spot = false;            // category=spot (Bybit's limits differ per category)
  std::string target() const { return post || payload.empty() ? path : path + "?" + payload; }
};

struct Header {
  std::string name;
  std::string value;
};

// "spot" / "linear" as the v5 `category` parameter.
std::string_view category(MarketKind kind);

class BybitSigner {
 public:
  static Result<BybitSigner, std::string> make(std::string api_key, std::string_view api_secret,
                                               std::int64_t recv_window_ms = 5000);

  // The string Bybit signs (exposed for the documented vectors).
  std::string string_to_sign(std::int64_t timestamp_ms, std::string_view payload) const;
  // hex(HMAC_SHA256(secret, timestamp + api_key + recv_window + payload)).
  std::string sign(std::int64_t timestamp_ms, std::string_view payload) const;
  // X-BAPI-API-KEY, X-BAPI-TIMESTAMP, X-BAPI-SIGN, X-BAPI-RECV-WINDOW (and X-BAPI-SIGN-TYPE 2, as the
  // official examples send).
  std::vector<Header> headers(std::int64_t timestamp_ms, std::string_view payload) const;
  // The private stream's first message: {"op":"auth","args":[key, expires, hex(HMAC("GET/realtime"+expires))]}.
  std::string ws_auth_frame(std::int64_t expires_ms) const;

  // The complete HTTP/1.1 request bytes (request line, Host, signed headers, body) appended to out: what
  // a connection would write. Used by the tick-to-order benchmark; the adapter hands the same pieces to
  // its HttpsClient.
  void write_http(const BybitRequest& request, std::string_view host, std::int64_t timestamp_ms, std::string& out) const;

  const std::string& api_key() const { return api_key_; }
  std::int64_t recv_window_ms() const { return recv_window_ms_; }

 private:
  BybitSigner(std::string api_key, live::HmacSha256 mac, std::int64_t recv_window_ms);
  std::string api_key_;
  live::HmacSha256 mac_;
  std::int64_t recv_window_ms_;
  std::string recv_window_text_;
};

// --- Request builders ---------------------------------------------------------------------------------
// POST /v5/order/create. Market/Limit; StopMarket/StopLimit via triggerPrice + triggerDirection (a buy
// stop triggers on a rise, a sell stop on a fall); GTC/IOC/FOK/PostOnly; reduceOnly (linear); orderLinkId
// = our client order id. Spot market orders are sized in the base coin (marketUnit=baseCoin).
BybitRequest create_order(const OrderRequest& request);
// POST /v5/order/cancel by orderId when known, else by orderLinkId.
BybitRequest cancel_order(const CancelRequest& request);
// POST /v5/order/cancel-all; linear without a symbol cancels by settleCoin=USDT.
BybitRequest cancel_all(MarketKind kind, std::optional<std::string_view> symbol);
// GET /v5/order/realtime for one order by orderLinkId (open or recently closed).
BybitRequest query_order(MarketKind kind, std::string_view symbol, std::string_view order_link_id);
// GET /v5/order/realtime open orders (openOnly=0, limit=50); linear without a symbol by settleCoin=USDT.
BybitRequest open_orders(MarketKind kind, std::optional<std::string_view> symbol, std::string_view cursor = {});
// GET /v5/order/history for one order by orderLinkId (the fallback when realtime no longer lists it).
BybitRequest order_history(MarketKind kind, std::string_view symbol, std::string_view order_link_id);
// GET /v5/execution/list since start_ms (limit=100).
BybitRequest executions(MarketKind kind, std::string_view symbol, std::int64_t start_ms, std::string_view cursor = {});
// GET /v5/account/wallet-balance?accountType=UNIFIED
BybitRequest wallet_balance();
// GET /v5/position/list?category=linear&settleCoin=USDT
BybitRequest positions();
// POST /v5/position/set-leverage (buy and sell leverage equal: one-way mode).
BybitRequest set_leverage(std::string_view symbol, int leverage);
// GET /v5/market/time (unsigned).
BybitRequest server_time();
// POST /v5/order/disconnected-cancel-all {product, timeWindow}: product DERIVATIVES or SPOT.
BybitRequest disconnect_cancel_all(std::string_view product, int time_window_s);

// Endpoint paths (also what the emulator serves).
namespace path {
inline constexpr std::string_view kCreate = "/v5/order/create";
inline constexpr std::string_view kCancel = "/v5/order/cancel";
inline constexpr std::string_view kCancelAll = "/v5/order/cancel-all";
inline constexpr std::string_view kRealtime = "/v5/order/realtime";
inline constexpr std::string_view kHistory = "/v5/order/history";
inline constexpr std::string_view kExecutions = "/v5/execution/list";
inline constexpr std::string_view kWallet = "/v5/account/wallet-balance";
inline constexpr std::string_view kPositions = "/v5/position/list";
inline constexpr std::string_view kSetLeverage = "/v5/position/set-leverage";
inline constexpr std::string_view kTime = "/v5/market/time";
inline constexpr std::string_view kDcp = "/v5/order/disconnected-cancel-all";
}  // namespace path

// Bybit's documented quotas (digest §4) as RequestPacer windows: the IP's 600 requests / 5 s, and the
// per-UID per-endpoint 1 s limits (order entry linear 10/s, spot 20/s; queries 50/s; wallet and positions
// 50/s; set-leverage 10/s; DCP 5/s). Order windows keep 20% for priority requests (cancels).
enum RateWindowIndex : std::size_t { kWindowIp, kWindowOrderLinear, kWindowOrderSpot, kWindowQuery, kWindowAccount,
                                     kWindowLeverage, kWindowDcp, kWindowCount };
std::vector<live::RateWindow> rate_windows();
// The endpoint window a request counts against (besides the IP window).
std::size_t rate_window_for(const BybitRequest& request);

// The private stream's subscription request (all-in-one topics), and the ping Bybit wants every 20 s.
std::string ws_subscribe_frame(bool with_dcp);
inline constexpr std::string_view kWsPing = R"({"op":"ping"})";

}  // namespace tradingd::bybit
