// OKX v5 private REST request builders (digest §3) for SPOT and USDT SWAP: each returns the method, the
// request path with its query (what OKX signs for a GET) and the exact JSON body (what it signs for a
// POST), and which rate-limit budget the request draws on (digest §4). Pure: no I/O, no clock.
// Sizes are in the venue's unit: base currency for SPOT, contracts for SWAP (the engine's instruments
// carry the same unit). OKX has no single cancel-all for spot/swap order-book orders: cancel-all is
// cancel-batch-orders over the open orders, at most 20 per request.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "exchange/execution_venue.h"
#include "exchange/live/request_pacer.h"

namespace tradingd::okx {

enum class OkxMethod : std::uint8_t { Get, Post };
std::string_view to_string(OkxMethod m);

// The request budgets of digest §4, one RequestPacer window each (same order as okx_rate_windows()).
enum class OkxEndpoint : std::uint8_t {
  PlaceOrder,      // 60 / 2 s (per instId at OKX; counted per account here, the stricter reading)
  PlaceAlgo,       // 20 / 2 s
  CancelOrder,     // 60 / 2 s
  CancelBatch,     // 300 orders / 2 s
  GetOrder,        // 60 / 2 s
  OrdersPending,   // 60 / 2 s
  Fills,           // 60 / 2 s (?) — digest: unconfirmed, fills-history 10 / 2 s
  FillsHistory,    // 10 / 2 s
  Balance,         // 10 / 2 s
  Positions,       // 10 / 2 s
  SetLeverage,     // 20 / 2 s
  PublicTime,      // 10 / 2 s
  CancelAllAfter,  // 1 / s
  kCount,
};
std::vector<live::RateWindow> okx_rate_windows();

struct OkxRequest {
  OkxMethod method = OkxMethod::Get;
  std::string path;  // "/api/v5/trade/order?instId=BTC-USDT&clOrdId=x": signed as is
  std::string body;  // POST: the exact bytes sent and signed; GET: empty
  OkxEndpoint endpoint = OkxEndpoint::GetOrder;
  std::int64_t cost = 1;  // units of the endpoint's window (orders in a batch)
};

// "SPOT" | "SWAP".
std::string_view inst_type(MarketKind kind);

struct OkxOrderOptions {
  std::string_view swap_td_mode = "cross";  // SWAP margin mode: cross | isolated (spot is always cash)
};

// POST /api/v5/trade/order (market, limit, post_only, fok, ioc), or /api/v5/trade/order-algo for stop
// orders (ordType trigger, orderPx -1 for stop-market). Spot market orders size in base currency
// (tgtCcy=base_ccy) so a buy's sz means the same as everywhere else. Error: the order cannot be expressed.
Result<OkxRequest, std::string> place_order(const OrderRequest& order, const OkxOrderOptions& options = {});
// POST /api/v5/trade/cancel-order by ordId when known, else clOrdId.
OkxRequest cancel_order(const CancelRequest& cancel);
// POST /api/v5/trade/cancel-batch-orders, ≤ 20 orders per request (empty input: no requests).
std::vector<OkxRequest> cancel_batch(std::span<const CancelRequest> cancels);
// GET /api/v5/trade/order?instId&clOrdId.
OkxRequest query_order(const InstrumentId& instrument, const ClientOrderId& id);
// GET /api/v5/trade/orders-pending?instType[&instId] (limit 100; after = ordId cursor for the next page).
OkxRequest orders_pending(MarketKind kind, const std::optional<InstrumentId>& instrument, std::string_view after = {});
// GET /api/v5/trade/fills (last 3 days) or /fills-history (3 months), from begin_ms, limit 100.
OkxRequest fills(const InstrumentId& instrument, std::int64_t begin_ms, bool history = false);
// GET /api/v5/account/balance and /api/v5/account/positions?instType=SWAP.
OkxRequest balance();
OkxRequest positions();
// POST /api/v5/account/set-leverage {instId, lever, mgnMode}.
OkxRequest set_leverage(const InstrumentId& instrument, int leverage, std::string_view mgn_mode = "cross");
// GET /api/v5/public/time (unsigned).
OkxRequest server_time();
// POST /api/v5/trade/cancel-all-after {timeOut}: 0 disables, else 10..120 s (clamped into that range).
OkxRequest cancel_all_after(int timeout_s);

// clOrdId must be 1-32 letters or digits: the engine's ids are, others are refused before sending.
bool valid_cl_ord_id(std::string_view id);

}  // namespace tradingd::okx
