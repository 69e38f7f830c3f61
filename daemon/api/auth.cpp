// Bearer-token comparison and the listen policy; see auth.h.
#include "daemon/api/auth.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <array>
#include <cctype>

namespace tradingd::daemon::api {
namespace {

using Digest = std::array<unsigned char, EVP_MAX_MD_SIZE>;

bool sha256(std::string_view text, Digest& out) {
  unsigned int len = 0;
  return EVP_Digest(text.data(), text.size(), out.data(), &len, EVP_sha256(), nullptr) == 1 && len == 32;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  return true;
}

}  // namespace

bool bearer_token_matches(std::string_view authorization, std::string_view token) {
  if (token.empty()) return false;
  constexpr std::string_view kScheme = "bearer ";
  if (authorization.size() < kScheme.size() || !iequals(authorization.substr(0, kScheme.size()), kScheme)) return false;
  std::string_view given = authorization.substr(kScheme.size());
  while (!given.empty() && given.front() == ' ') given.remove_prefix(1);
  while (!given.empty() && (given.back() == ' ' || given.back() == '\t')) given.remove_suffix(1);
  Digest a{}, b{};
  if (!sha256(given, a) || !sha256(token, b)) return false;
  return CRYPTO_memcmp(a.data(), b.data(), 32) == 0;
}

bool is_loopback_host(std::string_view host) {
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  return host == "localhost" || host == "::1" || host.starts_with("127.");
}

ApiAccessDecision decide_api_access(std::string_view listen, bool token_set) {
  const auto colon = listen.rfind(':');
  const std::string_view host = colon == std::string_view::npos ? listen : listen.substr(0, colon);
  const bool loopback = is_loopback_host(host);
  if (token_set) return {ApiAccess::Serve, ""};
  if (!loopback)
    return {ApiAccess::Refuse, "api.listen=" + std::string(listen) +
                                   " is not a loopback address and TRADINGD_API_TOKEN is not set; set "
                                   "TRADINGD_API_TOKEN (or the tradingd_api_token credential), or listen on "
                                   "127.0.0.1"};
  return {ApiAccess::Disabled, "Control API disabled: TRADINGD_API_TOKEN is not set (set it to enable the API on " +
                                   std::string(listen) + ")"};
}

}  // namespace tradingd::daemon::api
