// Credentials from the environment or systemd's $CREDENTIALS_DIRECTORY (LoadCredential=), the list of
// what live mode still lacks, and key masking for logs. No secret is ever put into an error or log text.
#include "config/credentials.h"

#include <fstream>
#include <sstream>

namespace tradingd::config {
namespace {

struct VenueNames {
  Venue venue;
  const char* key;
  const char* secret;
  const char* passphrase;  // nullptr: the venue has none
};
constexpr VenueNames kVenueNames[] = {
    {Venue::Binance, "TRADINGD_BINANCE_API_KEY", "TRADINGD_BINANCE_API_SECRET", nullptr},
    {Venue::Bybit, "TRADINGD_BYBIT_API_KEY", "TRADINGD_BYBIT_API_SECRET", nullptr},
    {Venue::Okx, "TRADINGD_OKX_API_KEY", "TRADINGD_OKX_API_SECRET", "TRADINGD_OKX_API_PASSPHRASE"},
};
constexpr const char* kApiToken = "TRADINGD_API_TOKEN";

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

// One value: the variable when set and non-empty, else the file of the same lower-case name. `echo key >
// file` leaves one newline, which is not part of the key; anything else is kept byte for byte.
std::string lookup(const EnvLookup& env, const std::optional<std::filesystem::path>& dir, const char* name) {
  if (auto v = env(name); v && !v->empty()) return *v;
  if (!dir) return {};
  std::ifstream in(*dir / lower(name), std::ios::binary);
  if (!in) return {};
  std::ostringstream ss;
  ss << in.rdbuf();
  std::string value = std::move(ss).str();
  if (value.ends_with("\r\n")) value.resize(value.size() - 2);
  else if (value.ends_with('\n')) value.pop_back();
  return value;
}

VenueCredentials& slot(Credentials& c, Venue v) { return v == Venue::Bybit ? c.bybit : v == Venue::Okx ? c.okx : c.binance; }

}  // namespace

Credentials load_credentials(const EnvLookup& env, std::optional<std::filesystem::path> credentials_dir) {
  if (!credentials_dir) {
    if (auto d = env("CREDENTIALS_DIRECTORY"); d && !d->empty()) credentials_dir = *d;
  }
  Credentials out;
  for (const auto& n : kVenueNames) {
    VenueCredentials& vc = slot(out, n.venue);
    vc.api_key = lookup(env, credentials_dir, n.key);
    vc.api_secret = Secret(lookup(env, credentials_dir, n.secret));
    if (n.passphrase != nullptr) vc.passphrase = Secret(lookup(env, credentials_dir, n.passphrase));
  }
  out.api_token = Secret(lookup(env, credentials_dir, kApiToken));
  return out;
}

std::vector<std::string> missing_live_credentials(const Config& config, const Credentials& credentials) {
  std::vector<std::string> missing;
  for (const auto& n : kVenueNames) {
    if (!config.venues.get(n.venue).enabled) continue;
    const VenueCredentials& vc = credentials.get(n.venue);
    if (vc.api_key.empty()) missing.emplace_back(n.key);
    if (vc.api_secret.empty()) missing.emplace_back(n.secret);
    if (n.passphrase != nullptr && vc.passphrase.empty()) missing.emplace_back(n.passphrase);
  }
  return missing;
}

std::string mask_api_key(const std::string& key) {
  // Showing 4 of 8 characters would give half a short key away: short keys show nothing.
  if (key.size() <= 8) return "****";
  return "****" + key.substr(key.size() - 4);
}

}  // namespace tradingd::config
