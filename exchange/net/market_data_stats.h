// The metrics of one venue's market-data client, in one place: per-connection WebSocket stats, REST
// stats, decoding and book-sync counters and the exchange-event → receive latency histogram. The daemon
// reads these (any thread) and exports them; the vectors are fixed at construction.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "exchange/net/stats.h"

namespace tradingd::net {

struct MarketDataStats {
  Counter frames;              // text frames handed to the decoder
  Counter events;              // normalised events delivered to the sink
  Counter rejected;            // malformed, truncated or unexpected frames (counted, logged rate-limited, survived)
  Counter control_frames;      // acks, pongs, notices
  Counter subscribe_errors;    // the venue refused a subscription
  Counter notices;             // venue notices (Binance serverShutdown, OKX 64008): rotated at once
  Counter book_resyncs;        // every resync a synchroniser asked for
  Counter gaps;                // of which sequence gaps
  Counter checksum_failures;   // of which checksum mismatches
  Counter snapshot_requests;   // REST depth snapshots fetched
  Counter snapshot_failures;
  Counter resubscribes;        // book topics resubscribed (Bybit, OKX)
  Counter stale_transitions;   // instruments that went Stale
  Counter status_changes;      // FeedStatus changes reported to the sink
  Counter sink_errors;         // exceptions thrown by the sink, caught at the boundary
  Counter recorded_frames;
  Counter record_errors;
  Counter instrument_load_failures;
  Counter instruments_from_cache;  // markets whose instruments came from the disk cache
  LatencyHistogram latency;        // venue event time → local receive time
  std::vector<std::pair<std::string, std::shared_ptr<WsStats>>> connections;  // by connection name
  std::vector<std::pair<std::string, std::shared_ptr<HttpStats>>> rest;       // by REST host role
};

}  // namespace tradingd::net
