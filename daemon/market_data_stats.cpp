// MarketDataMetrics: every series is created up front (venues and instruments are known at start), so
// rate()/increase() see the first event and the alerts see connected=0 before the first connection.
#include "daemon/market_data_stats.h"

#include <string>

namespace tradingd::daemon {
namespace {

prometheus::Family<prometheus::Counter>& counter(prometheus::Registry& r, const char* name, const char* help) {
  return prometheus::BuildCounter().Name(name).Help(help).Register(r);
}
prometheus::Family<prometheus::Gauge>& gauge(prometheus::Registry& r, const char* name, const char* help) {
  return prometheus::BuildGauge().Name(name).Help(help).Register(r);
}

prometheus::Histogram::BucketBoundaries latency_buckets() {
  prometheus::Histogram::BucketBoundaries b;
  for (auto us : net::LatencyHistogram::kBoundsUs) b.push_back(static_cast<double>(us) / 1e6);
  return b;
}

void add_delta(prometheus::Counter* c, std::uint64_t now, std::uint64_t& seen) {
  if (now > seen) c->Increment(static_cast<double>(now - seen));
  seen = now;
}

}  // namespace

std::string market_data_instrument_label(const InstrumentId& id) {
  return std::string(to_string(id.kind)) + ":" + std::string(id.symbol.view());
}

MarketDataMetrics::MarketDataMetrics(prometheus::Registry& r, const std::vector<Venue>& venues,
                                     const std::vector<InstrumentId>& instruments)
    : connected_(gauge(r, "tradingd_market_data_connected",
                       "1 while every WebSocket connection of the venue's market-data feed is open.")),
      stale_(gauge(r, "tradingd_market_data_stale",
                   "1 while the instrument's feed had no message within market_data.stale_after_ms.")),
      book_valid_(gauge(r, "tradingd_market_data_book_valid",
                        "1 while the instrument's feed is live with a valid order book (trading allowed on it).")),
      messages_(counter(r, "tradingd_market_data_messages_total", "WebSocket text frames received, by venue.")),
      bytes_(counter(r, "tradingd_market_data_received_bytes_total", "WebSocket payload bytes received, by venue.")),
      reconnects_(counter(r, "tradingd_market_data_reconnects_total",
                          "Market-data WebSocket connections re-opened after the first open, by venue.")),
      disconnects_(counter(r, "tradingd_market_data_disconnects_total",
                           "Open market-data connections lost (error, remote close, heartbeat), by venue.")),
      heartbeat_timeouts_(counter(r, "tradingd_market_data_heartbeat_timeouts_total",
                                  "Connections dropped because the venue stopped answering heartbeats, by venue.")),
      parse_errors_(counter(r, "tradingd_market_data_parse_errors_total",
                            "Malformed, truncated or unexpected frames (counted and survived), by venue.")),
      resyncs_(counter(r, "tradingd_market_data_book_resyncs_total",
                       "Order book resynchronisations (REST snapshot or resubscription), by venue.")),
      gaps_(counter(r, "tradingd_market_data_book_gaps_total", "Order book sequence gaps detected, by venue.")),
      checksum_failures_(counter(r, "tradingd_market_data_book_checksum_failures_total",
                                 "Order book checksum mismatches (OKX CRC32), by venue.")),
      recorded_(counter(r, "tradingd_market_data_recorded_frames_total",
                        "Raw frames written to market_data.record_dir, by venue.")),
      record_errors_(counter(r, "tradingd_market_data_record_errors_total",
                             "Frames not recorded (write error or the writer's queue full), by venue.")),
      latency_(prometheus::BuildHistogram()
                   .Name("tradingd_market_data_latency_seconds")
                   .Help("Venue event time to local receive time of market-data events, by venue.")
                   .Register(r)) {
  for (Venue v : venues) {
    const std::map<std::string, std::string> l{{"venue", std::string(to_string(v))}};
    PerVenue pv;
    pv.connected = &connected_.Add(l);
    pv.messages = &messages_.Add(l);
    pv.bytes = &bytes_.Add(l);
    pv.reconnects = &reconnects_.Add(l);
    pv.disconnects = &disconnects_.Add(l);
    pv.heartbeat_timeouts = &heartbeat_timeouts_.Add(l);
    pv.parse_errors = &parse_errors_.Add(l);
    pv.resyncs = &resyncs_.Add(l);
    pv.gaps = &gaps_.Add(l);
    pv.checksum_failures = &checksum_failures_.Add(l);
    pv.recorded = &recorded_.Add(l);
    pv.record_errors = &record_errors_.Add(l);
    pv.latency = &latency_.Add(l, latency_buckets());
    venues_.emplace(v, pv);
  }
  for (const auto& id : instruments) {
    const std::map<std::string, std::string> l{{"venue", std::string(to_string(id.venue))},
                                               {"instrument", market_data_instrument_label(id)}};
    instruments_.emplace(id, PerInstrument{&stale_.Add(l), &book_valid_.Add(l)});
  }
}

void MarketDataMetrics::refresh(Venue venue, const net::MarketDataStats& s) {
  auto it = venues_.find(venue);
  if (it == venues_.end()) return;
  PerVenue& pv = it->second;
  std::uint64_t messages = 0, bytes = 0, reconnects = 0, disconnects = 0, heartbeat = 0;
  bool any_open = false, all_open = true;
  for (const auto& [name, ws] : s.connections) {
    messages += ws->messages_in.value();
    bytes += ws->bytes_in.value();
    reconnects += ws->reconnects.value();
    disconnects += ws->disconnects.value();
    heartbeat += ws->heartbeat_timeouts.value();
    // A connection nothing is subscribed on stays idle; it does not count against "connected".
    const auto state = static_cast<net::ConnectionState>(ws->state.value());
    if (state == net::ConnectionState::Idle) continue;
    if (state == net::ConnectionState::Open) any_open = true;
    else all_open = false;
  }
  pv.connected->Set(any_open && all_open ? 1 : 0);
  add_delta(pv.messages, messages, pv.seen.messages);
  add_delta(pv.bytes, bytes, pv.seen.bytes);
  add_delta(pv.reconnects, reconnects, pv.seen.reconnects);
  add_delta(pv.disconnects, disconnects, pv.seen.disconnects);
  add_delta(pv.heartbeat_timeouts, heartbeat, pv.seen.heartbeat_timeouts);
  add_delta(pv.parse_errors, s.rejected.value(), pv.seen.parse_errors);
  add_delta(pv.resyncs, s.book_resyncs.value(), pv.seen.resyncs);
  add_delta(pv.gaps, s.gaps.value(), pv.seen.gaps);
  add_delta(pv.checksum_failures, s.checksum_failures.value(), pv.seen.checksum_failures);
  add_delta(pv.recorded, s.recorded_frames.value(), pv.seen.recorded);
  add_delta(pv.record_errors, s.record_errors.value(), pv.seen.record_errors);

  std::vector<double> increments(net::LatencyHistogram::kBuckets, 0.0);
  bool any = false;
  for (std::size_t i = 0; i < net::LatencyHistogram::kBuckets; ++i) {
    const std::uint64_t now = s.latency.bucket(i);
    if (now > pv.seen.buckets[i]) {
      increments[i] = static_cast<double>(now - pv.seen.buckets[i]);
      any = true;
    }
    pv.seen.buckets[i] = now;
  }
  const std::uint64_t sum_us = s.latency.sum_us();
  if (any) pv.latency->ObserveMultiple(increments, static_cast<double>(sum_us - pv.seen.latency_sum_us) / 1e6);
  pv.seen.latency_sum_us = sum_us;
}

void MarketDataMetrics::on_status(const InstrumentId& id, FeedStatus status) {
  auto it = instruments_.find(id);
  if (it == instruments_.end()) return;
  it->second.stale->Set(status == FeedStatus::Stale ? 1 : 0);
  it->second.book_valid->Set(status == FeedStatus::Live ? 1 : 0);
}

}  // namespace tradingd::daemon
