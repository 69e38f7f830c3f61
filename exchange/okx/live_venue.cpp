// Placeholder until the okx live adapter lands (issue 7).
#include "exchange/live/live_venue.h"

namespace tradingd::live::okx {

Result<std::unique_ptr<LiveVenue>, std::string> make_live_venue(const LiveVenueContext& /*context*/) {
  return Err{std::string("the okx live adapter is not available yet")};
}

}  // namespace tradingd::live::okx
