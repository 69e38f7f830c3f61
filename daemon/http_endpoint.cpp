// CivetWeb handlers for /metrics, /healthz and /readyz. Responses are written whole with a Content-Length;
// connections are not kept alive (a scrape every few seconds gains nothing from it).
#include "daemon/http_endpoint.h"

#include <CivetServer.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <thread>

#include <optional>
#include <sstream>
#include <stdexcept>

#include <prometheus/text_serializer.h>
#include <spdlog/spdlog.h>

namespace tradingd::daemon {
namespace {

void respond(mg_connection* conn, int status, const char* reason, const char* content_type, const std::string& body) {
  mg_printf(conn,
            "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\nCache-Control: no-store\r\n"
            "Connection: close\r\n\r\n",
            status, reason, content_type, body.size());
  mg_write(conn, body.data(), body.size());
}

// Connects to host:port and closes at once; errors are ignored (the listener may be gone already).
void wake_listener(const std::string& host, int port) {
  std::string h = host;
  if (h.size() > 2 && h.front() == '[' && h.back() == ']') h = h.substr(1, h.size() - 2);
  sockaddr_storage addr{};
  socklen_t len = 0;
  if (auto* v4 = reinterpret_cast<sockaddr_in*>(&addr); ::inet_pton(AF_INET, h.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(static_cast<std::uint16_t>(port));
    len = sizeof(sockaddr_in);
  } else if (auto* v6 = reinterpret_cast<sockaddr_in6*>(&addr); ::inet_pton(AF_INET6, h.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(static_cast<std::uint16_t>(port));
    len = sizeof(sockaddr_in6);
  } else {
    return;
  }
  const int fd = ::socket(addr.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return;
  (void)::connect(fd, reinterpret_cast<sockaddr*>(&addr), len);
  ::close(fd);
}

int log_civetweb_message(const mg_connection*, const char* message) {
  spdlog::warn("Metrics listener problem message=\"{}\"", message);
  return 1;  // handled: CivetWeb prints nothing itself
}

}  // namespace

struct HttpEndpoint::Handlers {
  struct Metrics final : CivetHandler {
    std::vector<std::shared_ptr<prometheus::Collectable>> collectables;
    bool handleGet(CivetServer*, mg_connection* conn) override {
      std::vector<prometheus::MetricFamily> families;
      for (const auto& c : collectables) {
        auto collected = c->Collect();
        families.insert(families.end(), std::make_move_iterator(collected.begin()),
                        std::make_move_iterator(collected.end()));
      }
      respond(conn, 200, "OK", "text/plain; version=0.0.4; charset=utf-8",
              prometheus::TextSerializer().Serialize(families));
      return true;
    }
  };
  struct Health final : CivetHandler {
    const Liveness* liveness = nullptr;
    const Clock* clock = nullptr;
    bool handleGet(CivetServer*, mg_connection* conn) override {
      const auto now = clock->monotonic_ns();
      if (liveness->alive(now)) {
        respond(conn, 200, "OK", "text/plain; charset=utf-8", "ok\n");
      } else {
        respond(conn, 503, "Service Unavailable", "text/plain; charset=utf-8",
                "event loop stuck: no housekeeping tick for " + std::to_string(liveness->silence_ns(now) / kNanosPerMilli) +
                    " ms\n");
      }
      return true;
    }
  };
  struct Ready final : CivetHandler {
    const ReadinessRegistry* readiness = nullptr;
    bool handleGet(CivetServer*, mg_connection* conn) override {
      const auto snapshot = readiness->snapshot();
      if (snapshot.ready) {
        respond(conn, 200, "OK", "text/plain; charset=utf-8", format_readiness(snapshot));
      } else {
        respond(conn, 503, "Service Unavailable", "text/plain; charset=utf-8", format_readiness(snapshot));
      }
      return true;
    }
  };
  Metrics metrics;
  Health health;
  Ready ready;
};

std::optional<std::pair<std::string, std::string>> split_host_port(std::string_view listen) {
  const auto colon = listen.rfind(':');
  if (colon == std::string_view::npos || colon + 1 == listen.size()) return std::nullopt;
  return std::pair{std::string(listen.substr(0, colon)), std::string(listen.substr(colon + 1))};
}

HttpEndpoint::HttpEndpoint(const std::string& listen, std::vector<std::shared_ptr<prometheus::Collectable>> collectables,
                           const ReadinessRegistry& readiness, const Liveness& liveness, const Clock& clock)
    : handlers_(std::make_unique<Handlers>()) {
  const auto host_port = split_host_port(listen);
  if (!host_port) {
    throw std::runtime_error("metrics.listen=" + listen + " is not HOST:PORT; set it (or TRADINGD_METRICS_LISTEN) to e.g. 127.0.0.1:9464");
  }
  host_ = host_port->first;
  handlers_->metrics.collectables = std::move(collectables);
  handlers_->health.liveness = &liveness;
  handlers_->health.clock = &clock;
  handlers_->ready.readiness = &readiness;

  CivetCallbacks callbacks;
  callbacks.log_message = &log_civetweb_message;
  // Two workers: Prometheus and a probe or two; scrapes are cheap and nothing here blocks. A client that
  // stalls is dropped after 5 s (Prometheus's own scrape timeout here), so it cannot hold a worker long.
  const std::vector<std::string> options{"listening_ports", listen, "num_threads", "2", "request_timeout_ms", "5000",
                                         "enable_keep_alive", "no"};
  try {
    server_ = std::make_unique<CivetServer>(options, &callbacks);
  } catch (const CivetException& e) {
    throw std::runtime_error("cannot listen on metrics.listen=" + listen + " (" + e.what() +
                             "); is another process using the port? Set metrics.listen or TRADINGD_METRICS_LISTEN to a "
                             "free HOST:PORT");
  }
  server_->addHandler("/metrics", handlers_->metrics);
  server_->addHandler("/healthz", handlers_->health);
  server_->addHandler("/readyz", handlers_->ready);
  const auto ports = server_->getListeningPorts();
  port_ = ports.empty() ? 0 : ports.front();
}

HttpEndpoint::~HttpEndpoint() {
  if (!server_) return;
  // CivetWeb's acceptor sees the stop flag only when its poll() on the listening socket returns, which
  // without traffic takes its 2 s timeout. A connection of our own wakes it at once, so shutdown stays quick.
  std::atomic<bool> closed{false};
  std::thread closer([&] {
    server_->close();
    closed = true;
  });
  const std::string wake_host = host_ == "0.0.0.0" || host_.empty() ? "127.0.0.1" : host_ == "[::]" ? "::1" : host_;
  for (int attempt = 0; attempt < 40 && !closed; ++attempt) {
    wake_listener(wake_host, port_);
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  closer.join();
}

}  // namespace tradingd::daemon
