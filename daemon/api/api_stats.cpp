// ApiStats: see api_stats.h.
#include "daemon/api/api_stats.h"

namespace tradingd::daemon::api {

ApiStats::ApiStats(prometheus::Registry& r)
    : requests(prometheus::BuildCounter()
                   .Name("tradingd_api_requests_total")
                   .Help("Control API requests by endpoint (route or other) and HTTP status code")
                   .Register(r)),
      events_clients(prometheus::BuildGauge()
                         .Name("tradingd_api_events_clients")
                         .Help("WebSocket clients connected to /v1/events")
                         .Register(r)
                         .Add({})),
      connections(prometheus::BuildGauge()
                      .Name("tradingd_api_connections")
                      .Help("Open control API connections (HTTP and WebSocket)")
                      .Register(r)
                      .Add({})),
      connections_refused(prometheus::BuildCounter()
                              .Name("tradingd_api_connections_refused_total")
                              .Help("Control API connections closed at once because api.max_connections were open")
                              .Register(r)
                              .Add({})),
      events_clients_dropped(prometheus::BuildCounter()
                                 .Name("tradingd_api_events_clients_dropped_total")
                                 .Help("/v1/events clients dropped because they read too slowly")
                                 .Register(r)
                                 .Add({})) {}

void ApiStats::request(std::string_view endpoint, int code) {
  requests.Add({{"endpoint", std::string(endpoint)}, {"code", std::to_string(code)}}).Increment();
}

}  // namespace tradingd::daemon::api
