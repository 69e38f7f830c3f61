// ApiServer: the control API's HTTP/1.1 + WebSocket server, Boost.Beast on the daemon's io_context (the
// only Beast translation unit of the API; this header includes no Beast). Each request goes to the
// ApiRouter; GET /v1/events, once the router accepted it, becomes a WebSocket that receives broadcast().
// Abuse limits: request_timeout covers reading a request (headers and body) and writing its answer, an
// idle keep-alive connection is closed after it too; bodies over max_body_bytes get 413; at most
// max_connections connections (HTTP and WebSocket) are open, further ones are closed at once; a
// WebSocket client whose queue of unsent events exceeds events_queue is dropped. Nothing blocks the loop.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include <boost/asio/io_context.hpp>

#include "daemon/api/api_stats.h"
#include "daemon/api/event_hub.h"
#include "daemon/api/router.h"

namespace tradingd::daemon::api {

struct ApiServerOptions {
  std::string listen = "127.0.0.1:8787";  // host:port; port 0 picks a free one
  std::size_t max_body_bytes = 64 * 1024;
  std::chrono::milliseconds request_timeout{10'000};
  std::size_t max_connections = 64;
  std::size_t events_queue = 4096;  // events queued per WebSocket client before it is dropped
};

class ApiServer {
 public:
  // Binds at once; throws std::runtime_error naming the address when it cannot.
  // hello: the first message of each events connection. after_request: runs after every answered request.
  ApiServer(boost::asio::io_context& io, ApiRouter& router, ApiStats& stats, ApiServerOptions options,
            std::function<std::string()> hello, std::function<void()> after_request);
  ~ApiServer();
  ApiServer(const ApiServer&) = delete;
  ApiServer& operator=(const ApiServer&) = delete;

  const std::string& host() const;
  int port() const;
  // Sends one event to every events client (each its own bounded queue).
  void broadcast(const EventText& text);
  // Stops accepting and closes every connection (idempotent).
  void stop();

  struct Shared;

 private:
  std::shared_ptr<Shared> shared_;
};

}  // namespace tradingd::daemon::api
