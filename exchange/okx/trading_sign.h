// OKX v5 request signing (digest §2): OK-ACCESS-SIGN = Base64(HMAC-SHA256(secret, timestamp + METHOD +
// requestPath(+?query) + body)) with an ISO-8601 UTC millisecond timestamp, the key/passphrase headers,
// and `x-simulated-trading: 1` for demo trading; the private WebSocket login signs timestamp(seconds) +
// "GET/users/self/verify". The HMAC context is keyed once per secret and reused. Pure: time comes in as
// arguments; secrets are held here and never formatted into anything but the headers they belong in.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"
#include "exchange/live/signing.h"

namespace tradingd::okx {

// "2020-12-08T09:08:57.715Z" for Unix milliseconds (UTC). Always 24 characters.
std::string iso8601_ms(std::int64_t unix_ms);
// Writes the 24 characters to out (no terminator): for the hot path.
void iso8601_ms(std::int64_t unix_ms, char* out);
// The inverse, for the emulator's verification; nullopt when the text is not exactly that form.
std::optional<std::int64_t> parse_iso8601_ms(std::string_view text);

using OkxHeaders = std::vector<std::pair<std::string, std::string>>;

class OkxSigner {
 public:
  static Result<OkxSigner, std::string> make(std::string api_key, std::string_view api_secret, std::string passphrase,
                                             bool simulated_trading);

  // The signature of one REST request (request_path includes "?query" for a GET; body is the exact bytes).
  std::string sign(std::string_view timestamp, std::string_view method, std::string_view request_path,
                   std::string_view body) const;
  // Every header a signed request carries (OK-ACCESS-*, x-simulated-trading for demo).
  OkxHeaders headers(std::int64_t unix_ms, std::string_view method, std::string_view request_path,
                     std::string_view body) const;
  // The private WebSocket login frame for a timestamp in Unix seconds.
  std::string ws_login(std::int64_t unix_s) const;
  std::string ws_login_sign(std::string_view timestamp_s) const;

  const std::string& api_key() const { return api_key_; }
  bool simulated_trading() const { return simulated_trading_; }

 private:
  OkxSigner(live::HmacSha256 mac, std::string api_key, std::string passphrase, bool simulated)
      : mac_(std::move(mac)), api_key_(std::move(api_key)), passphrase_(std::move(passphrase)), simulated_trading_(simulated) {}
  live::HmacSha256 mac_;
  std::string api_key_;
  std::string passphrase_;
  bool simulated_trading_ = false;
};

}  // namespace tradingd::okx
