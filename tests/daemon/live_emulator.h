// Test support for the live-mode process tests: the daemon's environment for TRADINGD_MODE=live against
// the venue-emulator (its credentials, the control API), the control API's port, and the emulator's own
// records read through its signed private REST API (signed here with OpenSSL, independently of the
// adapters' signing code, so a signing bug in an adapter cannot hide in both).
#pragma once

#include <boost/json.hpp>

#include <map>
#include <string>
#include <vector>

#include "tests/daemon/daemon_process.h"
#include "tests/daemon/market_data_emulator.h"

namespace tradingd::test {

inline constexpr const char* kEmuKey = "e2e-key-7f3a";
inline constexpr const char* kEmuSecret = "e2e-secret-91bd";
inline constexpr const char* kEmuPassphrase = "e2e-pass-44";
inline constexpr const char* kApiToken = "live-e2e-token-5c1e0b2a9d";

// The emulator's flags for those credentials.
std::vector<std::string> emulator_credential_args();

// daemon_env + wired to the emulator + live mode + the credentials of every venue + the API token.
std::map<std::string, std::string> live_env(const TempDir& dir, const EmulatorProcess& emulator);

// The emulator's view of our account on one venue's spot market (symbol as the venue spells it).
struct VenueFill {
  std::string trade_id;
  std::string venue_order_id;
  std::string client_order_id;  // Bybit orderLinkId, OKX clOrdId; empty on Binance (myTrades lacks it)
};
struct VenueRecords {
  bool ok = false;
  std::string error;  // why not ok: curl or the venue's answer
  std::vector<VenueFill> fills;
  std::size_t open_orders = 0;
};
VenueRecords venue_records(const EmulatorProcess& emulator, const std::string& venue, const std::string& symbol);

// A Binance spot market order placed on the emulator behind the daemon's back (signed form body); the
// venue's answer, or an error text starting with "error:".
std::string binance_outside_market_order(const EmulatorProcess& emulator, const std::string& side,
                                         const std::string& quantity, const std::string& client_order_id);

// `tradingd export --format json` of the state dir (readable while a daemon runs).
boost::json::object export_journal(const TempDir& dir);

}  // namespace tradingd::test
