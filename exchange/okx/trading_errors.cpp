// OKX v5 error map: see trading_errors.h. One table, one code per line, so a new code is one line.
#include "exchange/okx/trading_errors.h"

#include <array>
#include <utility>

namespace tradingd::okx {
namespace {

using R = VenueErrorReason;
constexpr std::array<std::pair<std::string_view, R>, 60> kCodes{{
    {"50001", R::Maintenance},         // service temporarily unavailable
    {"50004", R::UnknownOutcome},      // endpoint request timeout: the order may exist
    {"50005", R::Maintenance},         // API offline
    {"50011", R::RateLimited},         // rate limit reached
    {"50013", R::RateLimited},         // system busy
    {"50026", R::Maintenance},         // system error
    {"50061", R::RateLimited},         // sub-account order cap
    {"50014", R::Other},               // parameter missing (a bug: never retried)
    {"50015", R::Other},
    {"50036", R::Timestamp},           // expTime already past when sent
    {"50037", R::Timestamp},           // order expired (expTime)
    {"50071", R::DuplicateClientOrderId},
    {"50100", R::Authentication},      // API frozen
    {"50101", R::Authentication},      // key from the other environment
    {"50102", R::Timestamp},           // timestamp expired
    {"50103", R::Authentication},      // OK-ACCESS-KEY empty
    {"50104", R::Authentication},      // OK-ACCESS-PASSPHRASE empty
    {"50105", R::Authentication},      // wrong passphrase
    {"50106", R::Authentication},      // OK-ACCESS-SIGN empty
    {"50107", R::Timestamp},           // OK-ACCESS-TIMESTAMP empty
    {"50110", R::Authentication},      // IP not whitelisted
    {"50111", R::Authentication},      // invalid OK-ACCESS-KEY
    {"50112", R::Timestamp},           // invalid OK-ACCESS-TIMESTAMP
    {"50113", R::Authentication},      // invalid signature
    {"50114", R::Authentication},      // invalid authorization
    {"51000", R::Other},               // parameter error
    {"51001", R::UnknownInstrument},   // instrument does not exist
    {"51006", R::InvalidPrice},        // price outside the limit band
    {"51137", R::InvalidPrice},
    {"51138", R::InvalidPrice},
    {"51008", R::InsufficientBalance}, // insufficient balance or margin
    {"51010", R::Other},               // not allowed in the account mode
    {"51016", R::DuplicateClientOrderId},
    {"51020", R::InvalidQuantity},     // below the minimum amount
    {"51120", R::InvalidQuantity},
    {"51121", R::InvalidQuantity},     // sz not a multiple of lotSz
    {"51201", R::NotionalTooSmall},    // market order value too small
    {"51054", R::UnknownOutcome},      // request timeout: the order may exist
    {"51149", R::UnknownOutcome},      // order timed out: the order may exist
    {"51124", R::PostOnlyWouldTake},   // price would take as post-only (no liquidity to match IOC/FOK)
    {"51143", R::FokNotFilled},        // no counter-party for FOK
    {"51169", R::ReduceOnlyRejected},  // no position to reduce
    {"51170", R::ReduceOnlyRejected},  // reduce-only in the wrong direction
    {"51400", R::UnknownOrder},        // cancel failed: filled, canceled or unknown
    {"51401", R::UnknownOrder},        // already canceled
    {"51402", R::UnknownOrder},        // already filled
    {"51503", R::UnknownOrder},        // amend failed: order final
    {"51603", R::UnknownOrder},        // order does not exist
    {"51071", R::Other},               // too many cancel-all-after tags
    {"54031", R::Other},               // platform open-interest cap
    {"54094", R::Other},               // SWAP cool-off
    {"60004", R::Timestamp},           // WS: timestamp invalid
    {"60006", R::Timestamp},           // WS: timestamp expired
    {"60005", R::Authentication},      // WS: bad apiKey
    {"60007", R::Authentication},      // WS: bad sign
    {"60009", R::Authentication},      // WS: login failed
    {"60024", R::Authentication},      // WS: wrong passphrase
    {"60011", R::Authentication},      // WS: not logged in
    {"60014", R::RateLimited},         // WS: too many requests
    {"64008", R::Maintenance},         // WS: service restarts in 60 s
}};

}  // namespace

VenueErrorReason error_reason(std::string_view code) {
  // Sub-codes arrive as "51008_1000": the part before '_' decides.
  if (auto us = code.find('_'); us != std::string_view::npos) code = code.substr(0, us);
  for (const auto& [c, r] : kCodes)
    if (c == code) return r;
  return R::Other;
}

VenueErrorReason http_reason(int status) {
  if (status == 429) return R::RateLimited;
  if (status == 401 || status == 403) return R::Authentication;
  if (status >= 500) return R::Maintenance;
  return R::Other;
}

bool is_timestamp_error(std::string_view code) { return code == "50102" || code == "50112" || code == "50107"; }
bool is_rate_limit_error(std::string_view code) { return code == "50011" || code == "50061" || code == "50013"; }

}  // namespace tradingd::okx
