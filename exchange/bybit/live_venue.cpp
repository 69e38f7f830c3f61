// Placeholder until the bybit live adapter lands (issue 7).
#include "exchange/live/live_venue.h"

namespace tradingd::live::bybit {

Result<std::unique_ptr<LiveVenue>, std::string> make_live_venue(const LiveVenueContext& /*context*/) {
  return Err{std::string("the bybit live adapter is not available yet")};
}

}  // namespace tradingd::live::bybit
