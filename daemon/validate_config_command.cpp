// `tradingd validate-config FILE`: the daemon's own loading pipeline on FILE, printed back as the effective
// YAML (stdout) or as every error (stderr, exit 2). Credentials are summarised as comments, masked.
#include <array>
#include <iostream>

#include "config/credentials.h"
#include "config/load.h"
#include "daemon/commands.h"
#include "daemon/exit_codes.h"

namespace tradingd::daemon {

int validate_config_command(Args args) {
  auto parsed = parse_args(args, std::array<std::string_view, 0>{}, "validate-config");
  if (!parsed) {
    std::cerr << "tradingd: " << parsed.error() << '\n';
    return kExitUsage;
  }
  if (parsed->positionals.size() != 1) {
    std::cerr << "usage: tradingd validate-config FILE (see tradingd validate-config --help)\n";
    return kExitUsage;
  }
  const auto& file = parsed->positionals.front();
  const auto env = config::process_env();
  auto loaded = config::load_effective_config(file, env);
  if (!loaded) {
    for (const auto& e : loaded.error()) std::cerr << e.to_string() << '\n';
    std::cerr << file << ": " << loaded.error().size() << " error(s)\n";
    return kExitUsage;
  }
  std::cout << config::to_yaml(*loaded);

  const auto credentials = config::load_credentials(env);
  std::cout << "# credentials (environment / $CREDENTIALS_DIRECTORY), secrets redacted:\n";
  bool any_venue = false;
  for (auto venue : {Venue::Binance, Venue::Bybit, Venue::Okx}) {
    if (!loaded->venues.get(venue).enabled) continue;
    any_venue = true;
    const auto& c = credentials.get(venue);
    std::cout << "#   " << to_string(venue) << ": api_key "
              << (c.api_key.empty() ? std::string("absent") : config::mask_api_key(c.api_key)) << ", api_secret "
              << (c.api_secret.empty() ? "absent" : "<redacted>");
    if (venue == Venue::Okx) std::cout << ", passphrase " << (c.passphrase.empty() ? "absent" : "<redacted>");
    std::cout << '\n';
  }
  if (!any_venue) std::cout << "#   (no venue enabled)\n";
  if (loaded->mode == TradingMode::Live) {
    const auto missing = config::missing_live_credentials(*loaded, credentials);
    for (const auto& m : missing)
      std::cerr << "warning: live mode would refuse to start here: " << m << " is not set\n";
  }
  return kExitOk;
}

}  // namespace tradingd::daemon
