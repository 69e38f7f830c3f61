// Live adapters and their metrics. Counter names mirror LiveVenueStats; the ban gauge is alerted on
// (deploy/prometheus/alerts.yml: VenueBanned).
#include "daemon/live_venues.h"

#include <spdlog/spdlog.h>

#include "exchange/net/tls_context.h"

namespace tradingd::daemon {

std::vector<ExecutionVenue*> LiveVenues::pointers() const {
  std::vector<ExecutionVenue*> out;
  for (const auto& a : adapters) out.push_back(a.get());
  return out;
}

Result<LiveVenues, std::string> make_live_venues(boost::asio::io_context& io, const config::Config& config,
                                                 const config::Credentials& credentials, const Clock& clock,
                                                 const std::vector<Instrument>& instruments) {
  net::TlsClientOptions tls_options;
  tls_options.extra_ca_file = config.tls.ca_file;
  auto tls = net::TlsContext::create_client(tls_options);
  if (!tls) return Err{"TLS: " + tls.error()};
  LiveVenues out;
  for (Venue v : {Venue::Binance, Venue::Bybit, Venue::Okx}) {
    if (!config.venues.get(v).enabled) continue;
    std::vector<Instrument> mine;
    for (const auto& i : instruments)
      if (i.id.venue == v) mine.push_back(i);
    if (mine.empty()) continue;
    live::LiveVenueContext ctx{io, *tls, config, credentials.get(v), clock, std::move(mine)};
    auto adapter = live::make_live_venue(v, ctx);
    if (!adapter) return Err{std::string(to_string(v)) + ": " + adapter.error()};
    spdlog::info("Live venue adapter built venue={} instruments={}", to_string(v), ctx.instruments.size());
    out.adapters.push_back(std::move(*adapter));
  }
  if (out.adapters.empty()) return Err{std::string("no enabled venue has configured instruments")};
  return out;
}

LiveVenueMetrics::LiveVenueMetrics(prometheus::Registry& r, const LiveVenues& venues) {
  auto counter = [&r](const char* name, const char* help) -> prometheus::Family<prometheus::Counter>& {
    return prometheus::BuildCounter().Name(name).Help(help).Register(r);
  };
  auto gauge = [&r](const char* name, const char* help) -> prometheus::Family<prometheus::Gauge>& {
    return prometheus::BuildGauge().Name(name).Help(help).Register(r);
  };
  auto& requests = counter("tradingd_venue_requests_total", "Signed requests sent to the venue.");
  auto& failures = counter("tradingd_venue_request_failures_total",
                           "Requests that failed in transport (not sent, or sent without an answer).");
  auto& unknown = counter("tradingd_venue_unknown_outcomes_total",
                          "Requests sent without an answer (resolved by query, never resent).");
  auto& limited = counter("tradingd_venue_rate_limited_total", "Rate-limit answers (429 / venue throttle).");
  auto& queued = counter("tradingd_venue_requests_queued_total", "Requests the pacer held back to stay within limits.");
  auto& resyncs = counter("tradingd_venue_timestamp_resyncs_total",
                          "Timestamp rejections that triggered a server-time resync.");
  auto& reconnects = counter("tradingd_venue_private_stream_reconnects_total", "Private stream reconnects.");
  auto& parse_errors = counter("tradingd_venue_private_stream_parse_errors_total",
                               "Private stream messages that did not parse.");
  auto& duplicates = counter("tradingd_venue_duplicate_fills_dropped_total",
                             "Executions seen twice (stream and REST, or replayed) and dropped by trade id.");
  auto& dm_ok = counter("tradingd_venue_dead_man_refreshes_total", "Dead-man switch refreshes.");
  auto& dm_failed = counter("tradingd_venue_dead_man_failures_total", "Dead-man switch refreshes that failed.");
  auto& banned = gauge("tradingd_venue_banned", "1 while the venue bans us (Binance 418): nothing is sent to it.");
  auto& connected = gauge("tradingd_venue_private_stream_connected", "1 while the venue's private stream is connected.");
  auto& offset = gauge("tradingd_venue_server_time_offset_ms", "Venue server time minus local time, milliseconds.");
  for (const auto& a : venues.adapters) {
    const prometheus::Labels l{{"venue", std::string(to_string(a->venue()))}};
    PerVenue pv;
    pv.venue = a.get();
    pv.requests = &requests.Add(l);
    pv.request_failures = &failures.Add(l);
    pv.unknown_outcomes = &unknown.Add(l);
    pv.rate_limited = &limited.Add(l);
    pv.queued = &queued.Add(l);
    pv.timestamp_resyncs = &resyncs.Add(l);
    pv.stream_reconnects = &reconnects.Add(l);
    pv.stream_parse_errors = &parse_errors.Add(l);
    pv.duplicate_fills = &duplicates.Add(l);
    pv.dead_man_refreshes = &dm_ok.Add(l);
    pv.dead_man_failures = &dm_failed.Add(l);
    pv.banned = &banned.Add(l);
    pv.stream_connected = &connected.Add(l);
    pv.time_offset_ms = &offset.Add(l);
    venues_.push_back(pv);
  }
}

namespace {
void add_delta(prometheus::Counter& c, std::uint64_t now, std::uint64_t& seen) {
  if (now > seen) c.Increment(static_cast<double>(now - seen));
  seen = now;
}
}  // namespace

void LiveVenueMetrics::refresh() {
  for (auto& pv : venues_) {
    const live::LiveVenueStats& s = pv.venue->stats();
    add_delta(*pv.requests, s.requests, pv.seen.requests);
    add_delta(*pv.request_failures, s.request_failures, pv.seen.request_failures);
    add_delta(*pv.unknown_outcomes, s.unknown_outcomes, pv.seen.unknown_outcomes);
    add_delta(*pv.rate_limited, s.rate_limited, pv.seen.rate_limited);
    add_delta(*pv.queued, s.queued_for_rate_limit, pv.seen.queued_for_rate_limit);
    add_delta(*pv.timestamp_resyncs, s.timestamp_resyncs, pv.seen.timestamp_resyncs);
    add_delta(*pv.stream_reconnects, s.private_stream_reconnects, pv.seen.private_stream_reconnects);
    add_delta(*pv.stream_parse_errors, s.private_stream_parse_errors, pv.seen.private_stream_parse_errors);
    add_delta(*pv.duplicate_fills, s.duplicate_fills_dropped, pv.seen.duplicate_fills_dropped);
    add_delta(*pv.dead_man_refreshes, s.dead_man_refreshes, pv.seen.dead_man_refreshes);
    add_delta(*pv.dead_man_failures, s.dead_man_failures, pv.seen.dead_man_failures);
    pv.banned->Set(s.banned ? 1 : 0);
    pv.stream_connected->Set(s.private_stream_connected ? 1 : 0);
    pv.time_offset_ms->Set(static_cast<double>(s.server_time_offset_ms));
  }
}

}  // namespace tradingd::daemon
