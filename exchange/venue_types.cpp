// Names of the exchange interface enums, for logs and metric labels.
#include "exchange/execution_venue.h"
#include "exchange/market_data.h"

namespace tradingd {

std::string_view to_string(VenueErrorReason r) {
  switch (r) {
    case VenueErrorReason::InsufficientBalance: return "insufficient_balance";
    case VenueErrorReason::InvalidQuantity: return "invalid_quantity";
    case VenueErrorReason::InvalidPrice: return "invalid_price";
    case VenueErrorReason::NotionalTooSmall: return "notional_too_small";
    case VenueErrorReason::PostOnlyWouldTake: return "post_only_would_take";
    case VenueErrorReason::FokNotFilled: return "fok_not_filled";
    case VenueErrorReason::ReduceOnlyRejected: return "reduce_only_rejected";
    case VenueErrorReason::UnknownOrder: return "unknown_order";
    case VenueErrorReason::DuplicateClientOrderId: return "duplicate_client_order_id";
    case VenueErrorReason::UnknownInstrument: return "unknown_instrument";
    case VenueErrorReason::Timestamp: return "timestamp";
    case VenueErrorReason::RateLimited: return "rate_limited";
    case VenueErrorReason::IpBanned: return "ip_banned";
    case VenueErrorReason::Maintenance: return "maintenance";
    case VenueErrorReason::Authentication: return "authentication";
    case VenueErrorReason::Network: return "network";
    case VenueErrorReason::UnknownOutcome: return "unknown_outcome";
    case VenueErrorReason::Other: return "other";
  }
  return "other";
}

std::string_view to_string(FeedStatus s) {
  switch (s) {
    case FeedStatus::Connecting: return "connecting";
    case FeedStatus::Live: return "live";
    case FeedStatus::Resyncing: return "resyncing";
    case FeedStatus::Stale: return "stale";
    case FeedStatus::Disconnected: return "disconnected";
  }
  return "unknown";
}

}  // namespace tradingd
