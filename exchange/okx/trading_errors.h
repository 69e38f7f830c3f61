// The OKX v5 error map (digest §5): every code and per-order sCode the adapter can meet, and HTTP status
// classes, onto VenueErrorReason. Unknown codes map to Other (logged by the caller with the venue's text).
// Some codes mean "the order may or may not exist" (50004, 51054, 51149: timeouts): those are
// UnknownOutcome so the adapter queries instead of treating them as a rejection. Pure.
#pragma once

#include <string_view>

#include "exchange/execution_venue.h"

namespace tradingd::okx {

VenueErrorReason error_reason(std::string_view code);
// HTTP status without a usable OKX body: 429 → RateLimited, 401/403 → Authentication, 5xx → Maintenance.
VenueErrorReason http_reason(int status);
// True for the codes that tell the adapter to resync its clock (50102 timestamp expired, 50112 invalid).
bool is_timestamp_error(std::string_view code);
// True for 50011/50061 (and 50013 busy): hold the pacer.
bool is_rate_limit_error(std::string_view code);

}  // namespace tradingd::okx
