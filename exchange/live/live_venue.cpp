#include "exchange/live/live_venue.h"

namespace tradingd::live {

Result<std::unique_ptr<LiveVenue>, std::string> make_live_venue(Venue venue, const LiveVenueContext& context) {
  switch (venue) {
    case Venue::Binance: return binance::make_live_venue(context);
    case Venue::Bybit: return bybit::make_live_venue(context);
    case Venue::Okx: return okx::make_live_venue(context);
    default: break;
  }
  return Err{std::string("no live adapter for this venue")};
}

}  // namespace tradingd::live
