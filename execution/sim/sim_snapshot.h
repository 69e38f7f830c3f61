// The simulated venue's persistent state as a plain struct, and its JSON text form (Boost.JSON), so the
// paper daemon can journal it and continue after a restart. It holds open orders (with queue position and
// reserved funds), requests still travelling to the venue, balances, positions, per-instrument price state,
// id counters and the RNG state, so a restored venue continues exactly where the snapshot was taken.
// Not included: the order books (the feed resends a snapshot after a restart), finished orders, and
// events the venue produced but the daemon had not received yet (after a restart the engine reconciles
// through query_order / fills_since, as it must with a real venue). Money is written as decimal strings,
// the volatility estimate as the hex of its bits, so the text round trip is exact.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"
#include "exchange/execution_venue.h"
#include "execution/sim/latency_model.h"
#include "execution/sim/sim_account.h"
#include "execution/sim/sim_order.h"

namespace tradingd::sim {

struct SimOrderSnapshot {
  OrderRequest request;
  VenueOrderId venue_order_id;
  std::uint64_t seq = 0;
  OrderStatus status = OrderStatus::Accepted;
  OrderPhase phase = OrderPhase::Resting;
  bool triggered = false;
  bool candle_mode = false;
  bool candle_fresh = true;
  bool marketable_on_arrival = false;
  Quantity filled;
  Money filled_notional;
  QueueState queue;
  Asset lock_asset;
  Money locked;
  UnixNanos ts_sent_ns = 0;
  UnixNanos ts_arrived_ns = 0;
  UnixNanos ts_last_ns = 0;
};

enum class PendingKind : std::uint8_t { Submit, Cancel, CancelAll };

struct SimPendingSnapshot {
  PendingKind kind = PendingKind::Submit;
  UnixNanos at_ns = 0;    // arrival at the matching engine
  UnixNanos sent_ns = 0;
  std::uint64_t seq = 0;
  OrderRequest order;                     // Submit
  CancelRequest cancel;                   // Cancel
  std::optional<InstrumentId> instrument; // CancelAll (empty: every instrument)
};

struct SimInstrumentSnapshot {
  InstrumentId id;
  std::optional<Price> last_price;
  std::optional<Price> mark_price;
  std::optional<Price> last_close;
  double vol_variance = 0.0;
  std::int64_t vol_last_raw = 0;
  bool has_trade = false;
  bool has_bars = false;
  SimPosition position;
};

struct SimVenueSnapshot {
  int version = 1;
  Venue venue = Venue::Binance;
  SimRng::State rng{};
  std::uint64_t next_order_number = 1;
  std::uint64_t next_trade_number = 1;
  std::uint64_t next_message_seq = 1;
  std::uint64_t next_order_seq = 1;
  UnixNanos last_request_arrival_ns = 0;
  UnixNanos last_response_ns = 0;
  UnixNanos now_ns = 0;
  std::vector<std::pair<Asset, AssetBalance>> balances;
  std::vector<SimInstrumentSnapshot> instruments;
  std::vector<SimOrderSnapshot> orders;     // open orders, in seq order
  std::vector<SimPendingSnapshot> pending;  // requests not yet at the matching engine, in arrival order
  std::vector<OrderFilled> recent_fills;    // the last fills, for fills_since after a restart
};

std::string to_json(const SimVenueSnapshot& s);
Result<SimVenueSnapshot, std::string> snapshot_from_json(std::string_view text);

}  // namespace tradingd::sim
