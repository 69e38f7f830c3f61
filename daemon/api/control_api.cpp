// ControlApi wiring; see control_api.h.
#include "daemon/api/control_api.h"

#include <boost/asio/steady_timer.hpp>

#include "daemon/api/api_server.h"
#include "daemon/api/api_stats.h"
#include "daemon/api/event_hub.h"
#include "daemon/api/router.h"

namespace tradingd::daemon::api {

namespace {
constexpr auto kHubPollInterval = std::chrono::milliseconds(200);
}

struct ControlApi::Impl {
  Impl(boost::asio::io_context& io, prometheus::Registry& registry, ApiBackend& backend, const config::ApiConfig& cfg,
       std::string token)
      : backend(backend),
        stats(registry),
        router(backend, RouterOptions{std::move(token), static_cast<std::size_t>(cfg.max_body_bytes)}),
        timer(io) {
    ApiServerOptions o;
    o.listen = cfg.listen;
    o.max_body_bytes = static_cast<std::size_t>(cfg.max_body_bytes);
    o.request_timeout = std::chrono::milliseconds(cfg.request_timeout_ms);
    o.max_connections = static_cast<std::size_t>(cfg.max_connections);
    server = std::make_unique<ApiServer>(
        io, router, stats, o,
        [this] {
          ensure_hub();
          return hub ? hub->hello() : std::string(R"({"type":"subscribed","seq":0})");
        },
        [this] {
          ensure_hub();
          if (hub) hub->poll();
        });
    ensure_hub();
    schedule();
  }

  // The events hub listens to the trading node, which may be built after the API starts (paper mode on live
  // market data builds it once the venues' instrument rules are loaded): it attaches as soon as it exists.
  void ensure_hub() {
    if (hub) return;
    if (TradingNode* node = backend.node())
      hub = std::make_unique<EventHub>(*node, [this](EventText t) { server->broadcast(t); });
  }

  void schedule() {
    timer.expires_after(kHubPollInterval);
    timer.async_wait([this](const boost::system::error_code& ec) {
      if (ec || stopped) return;
      ensure_hub();
      if (hub) hub->poll();
      schedule();
    });
  }

  ApiBackend& backend;
  ApiStats stats;
  ApiRouter router;
  boost::asio::steady_timer timer;
  std::unique_ptr<ApiServer> server;
  std::unique_ptr<EventHub> hub;
  bool stopped = false;
};

ControlApi::ControlApi(boost::asio::io_context& io, prometheus::Registry& registry, ApiBackend& backend,
                       const config::ApiConfig& config, std::string token)
    : impl_(std::make_unique<Impl>(io, registry, backend, config, std::move(token))) {}

ControlApi::~ControlApi() {
  stop();
  impl_->hub.reset();  // off the node's listeners before the server goes
}

const std::string& ControlApi::host() const { return impl_->server->host(); }
int ControlApi::port() const { return impl_->server->port(); }

void ControlApi::stop() {
  impl_->stopped = true;
  impl_->timer.cancel();
  impl_->server->stop();
}

}  // namespace tradingd::daemon::api
