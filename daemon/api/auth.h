// Control API access: the bearer-token check (constant time: both sides are hashed, then compared with
// CRYPTO_memcmp, so neither the token's content nor its length leaks through timing) and the start-up
// policy for where the API may listen.
// Policy: a non-loopback listen address without a token refuses to start (exit 2); loopback without a
// token disables the API with a warning. The API is never served without authentication.
#pragma once

#include <string>
#include <string_view>

namespace tradingd::daemon::api {

// authorization: the header's value ("Bearer <token>"; the scheme is case-insensitive). An empty token
// never matches.
bool bearer_token_matches(std::string_view authorization, std::string_view token);

enum class ApiAccess { Serve, Disabled, Refuse };

struct ApiAccessDecision {
  ApiAccess access = ApiAccess::Disabled;
  std::string message;  // what to log; for Refuse, what the operator must set
};

// listen: "host:port" (validated by the config). Loopback: 127.0.0.0/8, ::1, localhost.
ApiAccessDecision decide_api_access(std::string_view listen, bool token_set);
bool is_loopback_host(std::string_view host);

}  // namespace tradingd::daemon::api
