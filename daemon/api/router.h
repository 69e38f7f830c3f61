// ApiRouter: the control API's routing and handlers, pure (no socket, no Asio): a request in, a response
// out, over the ApiBackend. Order of checks: body size (413), authentication (401, before anything
// about the route table is revealed), path (404), method (405 with Allow), query and body (400/422),
// then the handler. routes() is the one list of endpoints (the OpenAPI file is checked against it).
// Invariant: every answer is JSON; a handler never throws past handle() (an exception becomes a 500).
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>

#include "daemon/api/api_backend.h"
#include "daemon/api/api_message.h"

namespace tradingd::daemon::api {

struct Route {
  std::string_view method;
  std::string_view path;  // "{id}" stands for an order id segment
  std::string_view summary;
};

struct RouterOptions {
  std::string token;  // the bearer token; never empty when the API serves (see auth.h)
  std::size_t max_body_bytes = 64 * 1024;
};

// The status a WebSocket upgrade on GET /v1/events gets from handle(): the server then accepts it.
inline constexpr int kUpgradeAccepted = 101;

class ApiRouter {
 public:
  ApiRouter(ApiBackend& backend, RouterOptions options);

  // upgrade: the request asks for a WebSocket (only GET /v1/events accepts one; without it that route
  // answers 426).
  ApiResponse handle(const ApiRequest& request, bool upgrade = false);

  static std::span<const Route> routes();

 private:
  ApiBackend& backend_;
  RouterOptions options_;
};

}  // namespace tradingd::daemon::api
