// The control API's request and response as plain values: what the Beast server hands the router and
// writes back. No Beast here, so the router and its tests need no socket.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace tradingd::daemon::api {

struct ApiRequest {
  std::string method;         // "GET", "POST", ... as sent
  std::string target;         // path plus query: "/v1/orders?status=open"
  std::string authorization;  // the Authorization header's value ("" when absent)
  std::string body;
};

struct ApiResponse {
  int status = 200;
  std::string body;  // JSON
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers (Allow, WWW-Authenticate)
  std::string endpoint = "other";  // the metrics label: the matched route ("GET /v1/orders/{id}") or "other"
};

}  // namespace tradingd::daemon::api
