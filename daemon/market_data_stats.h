// The market-data metrics the daemon exports, declared in one place. Labels come from bounded sets only:
// the venues with a feed and the configured instruments. Counters mirror each feed client's own
// cumulative net::MarketDataStats (refresh() adds the difference since the last call, on the event loop);
// the stale and book-valid gauges follow FeedStatus changes as they happen. tradingd_market_data_connected
// and tradingd_market_data_stale are the names deploy/prometheus/alerts.yml alerts on.
#pragma once

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <array>
#include <cstdint>
#include <map>
#include <vector>

#include "exchange/market_data.h"
#include "exchange/net/market_data_stats.h"

namespace tradingd::daemon {

class MarketDataMetrics {
 public:
  MarketDataMetrics(prometheus::Registry& registry, const std::vector<Venue>& venues,
                    const std::vector<InstrumentId>& instruments);

  // Adds what the venue's client counted since the last call; sets the venue's connected gauge.
  void refresh(Venue venue, const net::MarketDataStats& stats);
  void on_status(const InstrumentId& id, FeedStatus status);

 private:
  struct Seen {
    std::uint64_t messages = 0, bytes = 0, reconnects = 0, disconnects = 0, heartbeat_timeouts = 0,
                  parse_errors = 0, resyncs = 0, gaps = 0, checksum_failures = 0, recorded = 0, record_errors = 0,
                  latency_count = 0, latency_sum_us = 0;
    std::array<std::uint64_t, net::LatencyHistogram::kBuckets> buckets{};
  };
  struct PerVenue {
    prometheus::Gauge* connected = nullptr;
    prometheus::Counter* messages = nullptr;
    prometheus::Counter* bytes = nullptr;
    prometheus::Counter* reconnects = nullptr;
    prometheus::Counter* disconnects = nullptr;
    prometheus::Counter* heartbeat_timeouts = nullptr;
    prometheus::Counter* parse_errors = nullptr;
    prometheus::Counter* resyncs = nullptr;
    prometheus::Counter* gaps = nullptr;
    prometheus::Counter* checksum_failures = nullptr;
    prometheus::Counter* recorded = nullptr;
    prometheus::Counter* record_errors = nullptr;
    prometheus::Histogram* latency = nullptr;
    Seen seen;
  };
  struct PerInstrument {
    prometheus::Gauge* stale = nullptr;
    prometheus::Gauge* book_valid = nullptr;
  };

  prometheus::Family<prometheus::Gauge>& connected_;
  prometheus::Family<prometheus::Gauge>& stale_;
  prometheus::Family<prometheus::Gauge>& book_valid_;
  prometheus::Family<prometheus::Counter>& messages_;
  prometheus::Family<prometheus::Counter>& bytes_;
  prometheus::Family<prometheus::Counter>& reconnects_;
  prometheus::Family<prometheus::Counter>& disconnects_;
  prometheus::Family<prometheus::Counter>& heartbeat_timeouts_;
  prometheus::Family<prometheus::Counter>& parse_errors_;
  prometheus::Family<prometheus::Counter>& resyncs_;
  prometheus::Family<prometheus::Counter>& gaps_;
  prometheus::Family<prometheus::Counter>& checksum_failures_;
  prometheus::Family<prometheus::Counter>& recorded_;
  prometheus::Family<prometheus::Counter>& record_errors_;
  prometheus::Family<prometheus::Histogram>& latency_;
  std::map<Venue, PerVenue> venues_;
  std::map<InstrumentId, PerInstrument> instruments_;
};

// "linear_perp:BTCUSDT": the instrument label (the venue is its own label), as NodeStats writes it.
std::string market_data_instrument_label(const InstrumentId& id);

}  // namespace tradingd::daemon
