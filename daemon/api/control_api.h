// ControlApi: the control API as the daemon wires it: metrics, router, the events hub on the trading node
// (when there is one) and the Beast server, plus a timer that lets the hub notice breaker changes no
// order event carried. Constructed on the daemon's io_context; stop() at shutdown, before the node goes.
#pragma once

#include <memory>
#include <string>

#include <boost/asio/io_context.hpp>
#include <prometheus/registry.h>

#include "config/config.h"
#include "daemon/api/api_backend.h"

namespace tradingd::daemon::api {

class ControlApi {
 public:
  // token: never empty (auth.h's policy decides before this is built). Throws std::runtime_error when the
  // address cannot be bound.
  ControlApi(boost::asio::io_context& io, prometheus::Registry& registry, ApiBackend& backend,
             const config::ApiConfig& config, std::string token);
  ~ControlApi();
  ControlApi(const ControlApi&) = delete;
  ControlApi& operator=(const ControlApi&) = delete;

  const std::string& host() const;
  int port() const;
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tradingd::daemon::api
