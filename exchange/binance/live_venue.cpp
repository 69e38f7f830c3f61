// Placeholder until the binance live adapter lands (issue 7).
#include "exchange/live/live_venue.h"

namespace tradingd::live::binance {

Result<std::unique_ptr<LiveVenue>, std::string> make_live_venue(const LiveVenueContext& /*context*/) {
  return Err{std::string("the binance live adapter is not available yet")};
}

}  // namespace tradingd::live::binance
