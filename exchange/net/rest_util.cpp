// REST helpers (see rest_util.h).
#include "exchange/net/rest_util.h"

#include <charconv>
#include <algorithm>
#include <chrono>

namespace tradingd::net {

std::int64_t steady_now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

void RetryAfterGate::on_response(const HttpResponse& response, std::int64_t now_ms) {
  if (response.status != 429 && response.status != 418) return;
  std::int64_t wait_s = response.status == 418 ? 60 : 1;
  if (auto h = response.header("Retry-After")) {
    std::int64_t v = 0;
    auto [p, ec] = std::from_chars(h->data(), h->data() + h->size(), v);
    if (ec == std::errc{} && v >= 0) wait_s = v;
  }
  blocked_until_ms_ = std::max(blocked_until_ms_, now_ms + wait_s * 1'000);
}

void get_body(HttpsClient& client, RetryAfterGate& gate, std::string target, BodyCallback callback,
              std::vector<HttpHeader> headers) {
  if (gate.blocked(steady_now_ms())) {
    const auto wait_ms = gate.blocked_until_ms() - steady_now_ms();
    client.defer([callback = std::move(callback), wait_ms] {
      callback(Err{"rate limited by the venue: not sending for another " + std::to_string(wait_ms) + " ms"});
    });
    return;
  }
  HttpRequest req;
  req.target = std::move(target);
  req.headers = std::move(headers);
  client.request(std::move(req), [&gate, callback = std::move(callback)](HttpResult r) {
    if (!r.ok()) return callback(Err{r.error().to_string()});
    HttpResponse& res = r.value();
    gate.on_response(res, steady_now_ms());
    if (res.status < 200 || res.status >= 300)
      return callback(Err{"HTTP " + std::to_string(res.status) + ": " + res.body.substr(0, 200)});
    callback(std::move(res.body));
  });
}

}  // namespace tradingd::net
