// OKX v5 signing: see trading_sign.h.
#include "exchange/okx/trading_sign.h"

#include <optional>

namespace tradingd::okx {
namespace {

// Days since 1970-01-01 → civil date (Howard Hinnant's algorithm): no libc time zone state on the hot path.
void civil_from_days(std::int64_t z, int& y, unsigned& m, unsigned& d) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t yy = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y = static_cast<int>(yy + (m <= 2));
}

std::int64_t days_from_civil(int y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

void put2(char* p, unsigned v) {
  p[0] = static_cast<char>('0' + v / 10);
  p[1] = static_cast<char>('0' + v % 10);
}

std::optional<unsigned> digits(std::string_view t, std::size_t pos, std::size_t n) {
  unsigned v = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (t[i] < '0' || t[i] > '9') return std::nullopt;
    v = v * 10 + static_cast<unsigned>(t[i] - '0');
  }
  return v;
}

}  // namespace

void iso8601_ms(std::int64_t unix_ms, char* out) {
  std::int64_t days = unix_ms / 86'400'000;
  std::int64_t rem = unix_ms % 86'400'000;
  if (rem < 0) {
    rem += 86'400'000;
    --days;
  }
  int y = 0;
  unsigned m = 0, d = 0;
  civil_from_days(days, y, m, d);
  const auto yu = static_cast<unsigned>(y);
  put2(out, yu / 100 % 100);
  put2(out + 2, yu % 100);
  out[4] = '-';
  put2(out + 5, m);
  out[7] = '-';
  put2(out + 8, d);
  out[10] = 'T';
  const auto r = static_cast<unsigned>(rem);
  put2(out + 11, r / 3'600'000);
  out[13] = ':';
  put2(out + 14, r / 60'000 % 60);
  out[16] = ':';
  put2(out + 17, r / 1000 % 60);
  out[19] = '.';
  const unsigned ms = r % 1000;
  out[20] = static_cast<char>('0' + ms / 100);
  put2(out + 21, ms % 100);
  out[23] = 'Z';
}

std::string iso8601_ms(std::int64_t unix_ms) {
  std::string s(24, '\0');
  iso8601_ms(unix_ms, s.data());
  return s;
}

std::optional<std::int64_t> parse_iso8601_ms(std::string_view t) {
  if (t.size() != 24 || t[4] != '-' || t[7] != '-' || t[10] != 'T' || t[13] != ':' || t[16] != ':' || t[19] != '.' ||
      t[23] != 'Z')
    return std::nullopt;
  auto y = digits(t, 0, 4), mo = digits(t, 5, 2), d = digits(t, 8, 2), h = digits(t, 11, 2), mi = digits(t, 14, 2),
       s = digits(t, 17, 2), ms = digits(t, 20, 3);
  if (!y || !mo || !d || !h || !mi || !s || !ms || *mo < 1 || *mo > 12 || *d < 1 || *d > 31 || *h > 23 || *mi > 59 ||
      *s > 60)
    return std::nullopt;
  const std::int64_t days = days_from_civil(static_cast<int>(*y), *mo, *d);
  return ((days * 24 + *h) * 60 + *mi) * 60'000 + static_cast<std::int64_t>(*s) * 1000 + *ms;
}

Result<OkxSigner, std::string> OkxSigner::make(std::string api_key, std::string_view api_secret, std::string passphrase,
                                               bool simulated_trading) {
  auto mac = live::HmacSha256::make(api_secret);
  if (!mac) return Err{mac.error()};
  return OkxSigner(std::move(*mac), std::move(api_key), std::move(passphrase), simulated_trading);
}

std::string OkxSigner::sign(std::string_view timestamp, std::string_view method, std::string_view request_path,
                            std::string_view body) const {
  return live::to_base64(mac_.sign(timestamp, method, request_path, body));
}

OkxHeaders OkxSigner::headers(std::int64_t unix_ms, std::string_view method, std::string_view request_path,
                              std::string_view body) const {
  std::string ts = iso8601_ms(unix_ms);
  OkxHeaders h;
  h.reserve(5);
  h.emplace_back("OK-ACCESS-KEY", api_key_);
  h.emplace_back("OK-ACCESS-SIGN", sign(ts, method, request_path, body));
  h.emplace_back("OK-ACCESS-TIMESTAMP", std::move(ts));
  h.emplace_back("OK-ACCESS-PASSPHRASE", passphrase_);
  if (simulated_trading_) h.emplace_back("x-simulated-trading", "1");
  return h;
}

std::string OkxSigner::ws_login_sign(std::string_view timestamp_s) const {
  return live::to_base64(mac_.sign(timestamp_s, "GET", "/users/self/verify"));
}

std::string OkxSigner::ws_login(std::int64_t unix_s) const {
  const std::string ts = std::to_string(unix_s);
  // Key, passphrase and a base64 signature need no JSON escaping (OKX keys are hex UUIDs; a passphrase
  // with a quote would break the frame, so it is escaped all the same).
  std::string pass;
  for (char c : passphrase_) {
    if (c == '"' || c == '\\') pass.push_back('\\');
    pass.push_back(c);
  }
  return R"({"op":"login","args":[{"apiKey":")" + api_key_ + R"(","passphrase":")" + pass + R"(","timestamp":")" + ts +
         R"(","sign":")" + ws_login_sign(ts) + R"("}]})";
}

}  // namespace tradingd::okx
