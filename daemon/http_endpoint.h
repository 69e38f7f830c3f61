// The metrics listener: /metrics (Prometheus text format), /healthz (the event loop is alive) and /readyz
// (every readiness condition met) on metrics.listen. Served by CivetWeb, the server prometheus-cpp's own
// Exposer is built on, used directly because the Exposer cannot serve other paths or status codes. Its
// worker threads only read thread-safe state (the registry, the readiness registry, an atomic heartbeat).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <prometheus/collectable.h>

#include "core/clock.h"
#include "daemon/liveness.h"
#include "daemon/readiness.h"

class CivetServer;

namespace tradingd::daemon {

class HttpEndpoint {
 public:
  // Starts listening on listen ("127.0.0.1:9464"; port 0 picks a free one). Throws std::runtime_error with
  // an operator-facing message when the address cannot be bound.
  HttpEndpoint(const std::string& listen, std::vector<std::shared_ptr<prometheus::Collectable>> collectables,
               const ReadinessRegistry& readiness, const Liveness& liveness, const Clock& clock);
  ~HttpEndpoint();  // stops the server: waits for requests in progress
  HttpEndpoint(const HttpEndpoint&) = delete;
  HttpEndpoint& operator=(const HttpEndpoint&) = delete;

  int port() const { return port_; }
  const std::string& host() const { return host_; }

 private:
  struct Handlers;
  std::unique_ptr<Handlers> handlers_;
  std::unique_ptr<CivetServer> server_;
  std::string host_;
  int port_ = 0;
};

// "127.0.0.1:9464" -> {"127.0.0.1", "9464"}; "[::1]:9464" -> {"[::1]", "9464"}. nullopt without a port.
std::optional<std::pair<std::string, std::string>> split_host_port(std::string_view listen);

}  // namespace tradingd::daemon
