// API credentials: read from the environment (TRADINGD_<VENUE>_API_KEY, _API_SECRET,
// TRADINGD_OKX_API_PASSPHRASE, TRADINGD_API_TOKEN) or from files of the same lower-case names in systemd's
// $CREDENTIALS_DIRECTORY (LoadCredential=). Secrets never appear in logs: Secret prints as "<redacted>".
#pragma once

#include <filesystem>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "config/config.h"
#include "config/load.h"

namespace tradingd::config {

class Secret {
 public:
  Secret() = default;
  explicit Secret(std::string value) : value_(std::move(value)) {}
  const std::string& reveal() const { return value_; }  // only for signing and auth headers
  bool empty() const { return value_.empty(); }
  friend std::ostream& operator<<(std::ostream& os, const Secret&) { return os << "<redacted>"; }

 private:
  std::string value_;
};

struct VenueCredentials {
  std::string api_key;  // not secret on its own, but logged only as its last 4 characters
  Secret api_secret;
  Secret passphrase;    // OKX
  bool has_key() const { return !api_key.empty() && !api_secret.empty(); }
};

struct Credentials {
  VenueCredentials binance;
  VenueCredentials bybit;
  VenueCredentials okx;
  Secret api_token;  // control API bearer token
  const VenueCredentials& get(Venue v) const { return v == Venue::Bybit ? bybit : v == Venue::Okx ? okx : binance; }
};

// The environment wins over the credentials directory. credentials_dir: $CREDENTIALS_DIRECTORY when unset.
Credentials load_credentials(const EnvLookup& env, std::optional<std::filesystem::path> credentials_dir = std::nullopt);

// Live mode needs complete credentials for every enabled venue; returns what is missing, naming the
// variables ("TRADINGD_OKX_API_PASSPHRASE"). Empty means ready.
std::vector<std::string> missing_live_credentials(const Config& config, const Credentials& credentials);

// "****abcd": for logs.
std::string mask_api_key(const std::string& key);

}  // namespace tradingd::config
