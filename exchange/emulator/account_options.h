// The trading account every emulated venue keeps: its credentials and starting balances, from the
// command line (--api-key, --api-secret, --passphrase, --balance ASSET=AMOUNT).
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/fixed_point.h"

namespace tradingd::emulator {

// The credentials and starting balances of one venue's account (venue-emulator --api-key/--api-secret/
// --passphrase/--balance).
struct AccountOptions {
  std::string api_key = "emulator-key";
  std::string api_secret = "emulator-secret";
  std::string passphrase = "emulator-passphrase";  // OKX
  std::vector<std::pair<std::string, Money>> balances{{"USDT", Money::from_units(100'000)}, {"BTC", Money::from_units(1)}};
};

}  // namespace tradingd::emulator
