// Helpers the venue REST clients share: a GET whose 2xx body is the result (anything else becomes an
// error naming the HTTP status and the start of the venue's message), and a gate that honours 429/418
// Retry-After so a rate-limited client stops sending instead of escalating a ban (Binance 418).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/result.h"
#include "exchange/net/https_client.h"

namespace tradingd::net {

class RetryAfterGate {
 public:
  // True while requests must not be sent (a 429/418 asked us to wait).
  bool blocked(std::int64_t now_ms) const { return now_ms < blocked_until_ms_; }
  std::int64_t blocked_until_ms() const { return blocked_until_ms_; }
  // Reads the status and Retry-After (seconds); 429 without the header waits 1 s, 418 without it 60 s.
  void on_response(const HttpResponse& response, std::int64_t now_ms);

 private:
  std::int64_t blocked_until_ms_ = 0;
};

using BodyCallback = std::function<void(Result<std::string, std::string>)>;

// GET target on client; the callback gets the body of a 2xx response or an error text.
void get_body(HttpsClient& client, RetryAfterGate& gate, std::string target, BodyCallback callback,
              std::vector<HttpHeader> headers = {});

std::int64_t steady_now_ms();

}  // namespace tradingd::net
