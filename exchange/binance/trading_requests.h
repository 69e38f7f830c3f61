// Binance signed REST request builders (spot /api/v3 and USD-M /fapi), pure. Contract:
//   - every builder returns the request ready to write: method, target (path + percent-encoded query,
//     signed: `timestamp`, `recvWindow`, then `signature` last), the X-MBX-APIKEY header, which host
//     (spot or futures) and its cost in the pacer's windows (Binance's documented weights);
//   - every parameter goes in the query string (Binance accepts it for POST/DELETE; the signature covers
//     exactly the bytes sent, the 2026-01-15 spot rule);
//   - order types: MARKET/LIMIT everywhere; LIMIT_MAKER (spot post-only) / GTX (futures post-only);
//     STOP_LOSS/STOP_LOSS_LIMIT on spot; futures stops go to /fapi/v1/algoOrder (STOP_MARKET/STOP,
//     since 2025-12-09 /fapi/v1/order refuses them with -4120); reduceOnly on futures only.
// The timestamp is the caller's (ServerTime::server_ms) so the builders stay free of clocks.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "exchange/binance/trading_signer.h"
#include "exchange/execution_venue.h"
#include "exchange/live/request_pacer.h"

namespace tradingd::binance {

enum class Host : std::uint8_t { Spot, Futures };
inline Host host_of(MarketKind k) { return k == MarketKind::Spot ? Host::Spot : Host::Futures; }

// Pacer window indices (the same layout for both hosts; see pacer_windows()).
inline constexpr std::size_t kWeight1m = 0;
inline constexpr std::size_t kOrders10s = 1;
inline constexpr std::size_t kOrdersLong = 2;  // spot: per day; futures: per minute

struct RestRequest {
  std::string_view method;  // "GET", "POST", "PUT", "DELETE"
  Host host = Host::Spot;
  std::string target;       // "/api/v3/order?symbol=...&signature=..."
  std::string api_key;      // X-MBX-APIKEY (empty: public endpoint)
  int weight = 1;           // REQUEST_WEIGHT
  bool counts_order = false;  // counted in the order windows (new orders)
  bool idempotent = false;    // GET: safe to retry before a byte reached the venue
};

// The documented limits (shared/venues/binance.md §5): spot 6000 weight/min, 50 orders/10 s, 160000/day;
// USD-M 2400 weight/min, 300 orders/10 s, 1200/min. headroom_pct keeps room for cancels and queries.
std::vector<live::RateWindow> pacer_windows(Host host);
// The pacer costs of one request.
std::vector<live::RateCost> costs_of(const RestRequest& r);

// Order type / time in force / side wire names.
std::string_view side_name(Side s);
std::string_view spot_order_type(OrderType t, TimeInForce tif);
std::string_view futures_order_type(OrderType t);

class RequestBuilder {
 public:
  RequestBuilder(const BinanceSigner& signer, std::int64_t recv_window_ms) : signer_(signer), recv_window_ms_(recv_window_ms) {}

  RestRequest new_order(const OrderRequest& r, std::int64_t ts_ms) const;
  RestRequest cancel_order(const CancelRequest& r, std::int64_t ts_ms) const;
  RestRequest cancel_all(const InstrumentId& instrument, std::int64_t ts_ms) const;
  // USD-M conditional (algo) orders: cancel one by clientAlgoId, or every one of a symbol.
  RestRequest cancel_algo_order(const ClientOrderId& id, std::int64_t ts_ms) const;
  RestRequest cancel_all_algo(const Symbol& symbol, std::int64_t ts_ms) const;
  RestRequest query_order(const InstrumentId& instrument, const ClientOrderId& id, std::int64_t ts_ms) const;
  // Futures algo (conditional) orders are queried apart: clientAlgoId.
  RestRequest query_algo_order(const ClientOrderId& id, std::int64_t ts_ms) const;
  RestRequest open_orders(Host host, const std::optional<Symbol>& symbol, std::int64_t ts_ms) const;
  RestRequest trades(const InstrumentId& instrument, std::int64_t start_ms, std::int64_t ts_ms) const;
  RestRequest account(Host host, std::int64_t ts_ms) const;
  RestRequest position_risk(std::int64_t ts_ms) const;
  RestRequest set_leverage(const Symbol& symbol, int leverage, std::int64_t ts_ms) const;
  RestRequest countdown_cancel_all(const Symbol& symbol, std::int64_t countdown_ms, std::int64_t ts_ms) const;
  // USD-M listen key: POST creates (or returns and extends the active one), PUT keeps alive, DELETE closes.
  RestRequest listen_key(std::string_view method) const;
  static RestRequest server_time(Host host);

  // The spot WebSocket API user-data subscription (any key type): the JSON request text.
  std::string ws_subscribe_signature(std::string_view id, std::int64_t ts_ms) const;

 private:
  RestRequest signed_request(std::string_view method, Host host, std::string_view path, std::string query,
                             std::int64_t ts_ms, int weight) const;
  const BinanceSigner& signer_;
  std::int64_t recv_window_ms_;
};

// The usage headers of a response (X-MBX-USED-WEIGHT-1M, X-MBX-ORDER-COUNT-10S, -1D / -1M); -1: absent.
struct RateHeaders {
  std::int64_t used_weight_1m = -1;
  std::int64_t order_count_10s = -1;
  std::int64_t order_count_long = -1;
  std::int64_t retry_after_s = -1;
};
// lookup(name) returns the header's value or an empty view.
template <class Lookup>
RateHeaders read_rate_headers(Host host, Lookup&& lookup);
std::int64_t parse_header_int(std::string_view v);

template <class Lookup>
RateHeaders read_rate_headers(Host host, Lookup&& lookup) {
  RateHeaders h;
  h.used_weight_1m = parse_header_int(lookup("X-MBX-USED-WEIGHT-1M"));
  h.order_count_10s = parse_header_int(lookup("X-MBX-ORDER-COUNT-10S"));
  h.order_count_long = parse_header_int(lookup(host == Host::Spot ? "X-MBX-ORDER-COUNT-1D" : "X-MBX-ORDER-COUNT-1M"));
  h.retry_after_s = parse_header_int(lookup("Retry-After"));
  return h;
}

}  // namespace tradingd::binance
