// LiveVenues: the daemon's live-mode venue adapters, one per enabled venue with configured instruments,
// built with live::make_live_venue on the daemon's io_context and owned here (the TradingNode only holds
// pointers: TradingNodeConfig::live_venues). An adapter that cannot be built (not available, unusable
// configuration or credentials) is an operator error: the daemon exits 2 with the adapter's message.
// LiveVenueMetrics exports each adapter's LiveVenueStats (labels: venue only).
#pragma once

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include <array>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "config/config.h"
#include "config/credentials.h"
#include "core/clock.h"
#include "core/instrument.h"
#include "core/result.h"
#include "exchange/live/live_venue.h"

namespace boost::asio {
class io_context;
}

namespace tradingd::daemon {

// Thrown during start-up when the operator must fix something (Daemon::run maps it to exit status 2).
class StartupUsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct LiveVenues {
  std::vector<std::unique_ptr<live::LiveVenue>> adapters;
  std::vector<ExecutionVenue*> pointers() const;
};

// One adapter per venue that is enabled and has instruments (the instruments with their rules); the
// error names the venue and carries the adapter's message.
Result<LiveVenues, std::string> make_live_venues(boost::asio::io_context& io, const config::Config& config,
                                                 const config::Credentials& credentials, const Clock& clock,
                                                 const std::vector<Instrument>& instruments);

class LiveVenueMetrics {
 public:
  LiveVenueMetrics(prometheus::Registry& registry, const LiveVenues& venues);
  // Reads every adapter's stats (on the event loop, with the node's metrics).
  void refresh();

 private:
  struct PerVenue {
    const live::LiveVenue* venue = nullptr;
    prometheus::Counter* requests = nullptr;
    prometheus::Counter* request_failures = nullptr;
    prometheus::Counter* unknown_outcomes = nullptr;
    prometheus::Counter* rate_limited = nullptr;
    prometheus::Counter* queued = nullptr;
    prometheus::Counter* timestamp_resyncs = nullptr;
    prometheus::Counter* stream_reconnects = nullptr;
    prometheus::Counter* stream_parse_errors = nullptr;
    prometheus::Counter* duplicate_fills = nullptr;
    prometheus::Counter* dead_man_refreshes = nullptr;
    prometheus::Counter* dead_man_failures = nullptr;
    prometheus::Gauge* banned = nullptr;
    prometheus::Gauge* stream_connected = nullptr;
    prometheus::Gauge* time_offset_ms = nullptr;
    live::LiveVenueStats seen;  // what refresh() already added to the counters
  };
  std::vector<PerVenue> venues_;
};

}  // namespace tradingd::daemon
