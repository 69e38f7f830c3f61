// What the daemon calls to get a live ExecutionVenue: one adapter per venue (exchange/<venue>/live_venue.cpp),
// built from the configuration, the venue's credentials and the instruments' rules, running on the
// daemon's io_context. Every adapter implements the same contract (exchange/execution_venue.h):
//   - signed REST with server-time tracking and a RequestPacer; an answer that never came is
//     OrderSubmitUnknown / UnknownOutcome (queried, never resent); every venue error code maps onto a
//     VenueErrorReason;
//   - its private stream (orders, fills, account) → VenueEvents; VenueConnectionChanged on every
//     disconnect and reconnect, so the engine reconciles before trading again;
//   - the venue's dead-man switch where it has one, refreshed while the adapter runs.
// start() opens the private stream and the keep-alives; stop() cancels them (never the venue's orders).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "config/config.h"
#include "config/credentials.h"
#include "core/clock.h"
#include "core/instrument.h"
#include "core/result.h"
#include "exchange/execution_venue.h"

namespace boost::asio {
class io_context;
}
namespace tradingd::net {
class TlsContext;
}

namespace tradingd::live {

// Counters and gauges an adapter keeps for the metrics layer (read on the event loop; plain values).
struct LiveVenueStats {
  std::uint64_t requests = 0;            // signed requests sent
  std::uint64_t request_failures = 0;    // transport failures (not sent / unknown outcome)
  std::uint64_t unknown_outcomes = 0;    // sent, no answer: resolved by query
  std::uint64_t rate_limited = 0;        // 429 / venue throttle answers
  std::uint64_t queued_for_rate_limit = 0;  // requests the pacer held back
  std::uint64_t timestamp_resyncs = 0;   // timestamp rejections that triggered a clock resync
  bool banned = false;                   // Binance 418: nothing is sent until the ban ends (alerted)
  std::int64_t server_time_offset_ms = 0;
  bool private_stream_connected = false;
  std::uint64_t private_stream_reconnects = 0;
  std::uint64_t private_stream_messages = 0;
  std::uint64_t private_stream_parse_errors = 0;
  std::uint64_t duplicate_fills_dropped = 0;  // same trade id seen twice (stream + REST, or replayed)
  std::uint64_t dead_man_refreshes = 0;
  std::uint64_t dead_man_failures = 0;
};

struct LiveVenueContext {
  boost::asio::io_context& io;
  std::shared_ptr<net::TlsContext> tls;
  const config::Config& config;
  config::VenueCredentials credentials;
  const Clock& clock;
  std::vector<Instrument> instruments;  // this venue's configured instruments with their rules
};

// A live adapter that also exposes its stats.
class LiveVenue : public ExecutionVenue {
 public:
  virtual const LiveVenueStats& stats() const = 0;
};

// Error: the venue has no live adapter yet, or its configuration/credentials cannot be used (says which).
Result<std::unique_ptr<LiveVenue>, std::string> make_live_venue(Venue venue, const LiveVenueContext& context);

// The per-venue constructors make_live_venue dispatches to (exchange/<venue>/live_venue.cpp).
namespace binance {
Result<std::unique_ptr<LiveVenue>, std::string> make_live_venue(const LiveVenueContext& context);
}
namespace bybit {
Result<std::unique_ptr<LiveVenue>, std::string> make_live_venue(const LiveVenueContext& context);
}
namespace okx {
Result<std::unique_ptr<LiveVenue>, std::string> make_live_venue(const LiveVenueContext& context);
}

}  // namespace tradingd::live
