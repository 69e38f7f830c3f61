// The control API's metrics, declared in one place. Label values come from bounded sets: endpoint is a
// route of ApiRouter::routes() ("POST /v1/signals") or "other", code an HTTP status the server answers.
#pragma once

#include <string>
#include <string_view>

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

namespace tradingd::daemon::api {

struct ApiStats {
  explicit ApiStats(prometheus::Registry& registry);

  void request(std::string_view endpoint, int code);

  prometheus::Family<prometheus::Counter>& requests;  // tradingd_api_requests_total{endpoint,code}
  prometheus::Gauge& events_clients;                  // tradingd_api_events_clients
  prometheus::Gauge& connections;                     // tradingd_api_connections (HTTP + WebSocket)
  prometheus::Counter& connections_refused;           // tradingd_api_connections_refused_total (over the cap)
  prometheus::Counter& events_clients_dropped;        // tradingd_api_events_clients_dropped_total (slow readers)
};

}  // namespace tradingd::daemon::api
