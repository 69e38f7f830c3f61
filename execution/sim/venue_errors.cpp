// Reject code tables of the simulated venue (see venue_errors.h). One function per venue family; each row
// is (reason, code, message) as the venue reports it.
#include "execution/sim/venue_errors.h"

#include <string>

namespace tradingd::sim {
namespace {

using R = VenueErrorReason;

VenueError make(R reason, const char* code, const char* message) { return VenueError{reason, code, message}; }

VenueError binance_spot(RejectKind k) {
  switch (k) {
    case RejectKind::UnknownInstrument: return make(R::UnknownInstrument, "-1121", "Invalid symbol.");
    case RejectKind::DuplicateClientOrderId: return make(R::DuplicateClientOrderId, "-2010", "Duplicate order sent.");
    case RejectKind::MissingPrice: return make(R::InvalidPrice, "-1102", "Mandatory parameter 'price' was not sent, was empty/null, or malformed.");
    case RejectKind::MissingTrigger: return make(R::InvalidPrice, "-1102", "Mandatory parameter 'stopPrice' was not sent, was empty/null, or malformed.");
    case RejectKind::PriceNotOnTick:
    case RejectKind::PriceNotPositive: return make(R::InvalidPrice, "-1013", "Filter failure: PRICE_FILTER");
    case RejectKind::QuantityNotOnStep:
    case RejectKind::QuantityNotPositive:
    case RejectKind::QuantityBelowMinimum:
    case RejectKind::QuantityAboveMaximum: return make(R::InvalidQuantity, "-1013", "Filter failure: LOT_SIZE");
    case RejectKind::NotionalBelowMinimum: return make(R::NotionalTooSmall, "-1013", "Filter failure: NOTIONAL");
    case RejectKind::InsufficientBalance: return make(R::InsufficientBalance, "-2010", "Account has insufficient balance for requested action.");
    case RejectKind::PostOnlyWouldTake: return make(R::PostOnlyWouldTake, "-2010", "Order would immediately match and take.");
    case RejectKind::FokNotFilled: return make(R::FokNotFilled, "-2010", "FOK order could not be filled.");
    case RejectKind::ReduceOnlyRejected: return make(R::ReduceOnlyRejected, "-1106", "Parameter 'reduceOnly' sent when not required.");
    case RejectKind::StopWouldTriggerImmediately: return make(R::InvalidPrice, "-2010", "Stop price would trigger immediately.");
    case RejectKind::CancelUnknownOrder: return make(R::UnknownOrder, "-2011", "Unknown order sent.");
    case RejectKind::QueryUnknownOrder: return make(R::UnknownOrder, "-2013", "Order does not exist.");
    case RejectKind::InvalidLeverage: return make(R::Other, "-1121", "Leverage applies to futures symbols only.");
    case RejectKind::UnsupportedOrder: return make(R::Other, "-1116", "Invalid orderType.");
  }
  return make(R::Other, "", "");
}

VenueError binance_usdm(RejectKind k) {
  switch (k) {
    case RejectKind::UnknownInstrument: return make(R::UnknownInstrument, "-1121", "Invalid symbol.");
    case RejectKind::DuplicateClientOrderId: return make(R::DuplicateClientOrderId, "-4116", "ClientOrderId is duplicated.");
    case RejectKind::MissingPrice: return make(R::InvalidPrice, "-1102", "Mandatory parameter 'price' was not sent, was empty/null, or malformed.");
    case RejectKind::MissingTrigger: return make(R::InvalidPrice, "-1102", "Mandatory parameter 'triggerPrice' was not sent, was empty/null, or malformed.");
    // not in digest: -4014/-4013/-4003/-4004/-4005/-4028 come from Binance's futures error-code list.
    case RejectKind::PriceNotOnTick: return make(R::InvalidPrice, "-4014", "Price not increased by tick size.");
    case RejectKind::PriceNotPositive: return make(R::InvalidPrice, "-4013", "Price less than min price.");
    case RejectKind::QuantityNotOnStep: return make(R::InvalidQuantity, "-1111", "Precision is over the maximum defined for this asset.");
    case RejectKind::QuantityNotPositive: return make(R::InvalidQuantity, "-4003", "Quantity less than or equal to zero.");
    case RejectKind::QuantityBelowMinimum: return make(R::InvalidQuantity, "-4004", "Quantity less than min quantity.");
    case RejectKind::QuantityAboveMaximum: return make(R::InvalidQuantity, "-4005", "Quantity greater than max quantity.");
    case RejectKind::NotionalBelowMinimum: return make(R::NotionalTooSmall, "-4164", "Order's notional must be no smaller than the minimum (unless you choose reduce only).");
    case RejectKind::InsufficientBalance: return make(R::InsufficientBalance, "-2019", "Margin is insufficient.");
    case RejectKind::PostOnlyWouldTake: return make(R::PostOnlyWouldTake, "-5022", "Due to the order could not be executed as maker, the Post Only order will be rejected.");
    case RejectKind::FokNotFilled: return make(R::FokNotFilled, "-5021", "Due to the order could not be filled immediately, the FOK order has been rejected.");
    case RejectKind::ReduceOnlyRejected: return make(R::ReduceOnlyRejected, "-2022", "ReduceOnly Order is rejected.");
    case RejectKind::StopWouldTriggerImmediately: return make(R::InvalidPrice, "-2021", "Order would immediately trigger.");
    case RejectKind::CancelUnknownOrder: return make(R::UnknownOrder, "-2011", "Unknown order sent.");
    case RejectKind::QueryUnknownOrder: return make(R::UnknownOrder, "-2013", "Order does not exist.");
    case RejectKind::InvalidLeverage: return make(R::Other, "-4028", "Leverage is not valid.");
    case RejectKind::UnsupportedOrder: return make(R::Other, "-1116", "Invalid orderType.");
  }
  return make(R::Other, "", "");
}

VenueError bybit_spot(RejectKind k) {
  switch (k) {
    case RejectKind::UnknownInstrument: return make(R::UnknownInstrument, "170121", "Invalid symbol.");
    case RejectKind::DuplicateClientOrderId: return make(R::DuplicateClientOrderId, "170141", "Duplicate clientOrderId.");
    case RejectKind::MissingPrice:
    case RejectKind::MissingTrigger:
    case RejectKind::PriceNotPositive: return make(R::InvalidPrice, "10001", "params error: price");
    case RejectKind::PriceNotOnTick: return make(R::InvalidPrice, "170134", "Order price has too many decimals.");
    case RejectKind::QuantityNotOnStep: return make(R::InvalidQuantity, "170137", "Order quantity has too many decimals.");
    case RejectKind::QuantityNotPositive:
    case RejectKind::QuantityAboveMaximum: return make(R::InvalidQuantity, "10001", "params error: qty");
    case RejectKind::QuantityBelowMinimum: return make(R::InvalidQuantity, "170136", "Order quantity lower than the minimum.");
    case RejectKind::NotionalBelowMinimum: return make(R::NotionalTooSmall, "170140", "Order value lower than the minimum.");
    case RejectKind::InsufficientBalance: return make(R::InsufficientBalance, "170131", "Insufficient balance.");
    case RejectKind::PostOnlyWouldTake: return make(R::PostOnlyWouldTake, "170218", "The LIMIT-MAKER order is rejected due to invalid price.");
    case RejectKind::FokNotFilled: return make(R::FokNotFilled, "170213", "FOK order could not be filled.");
    case RejectKind::ReduceOnlyRejected: return make(R::ReduceOnlyRejected, "10001", "params error: reduceOnly");
    case RejectKind::StopWouldTriggerImmediately: return make(R::InvalidPrice, "10001", "params error: triggerPrice");
    case RejectKind::CancelUnknownOrder:
    case RejectKind::QueryUnknownOrder: return make(R::UnknownOrder, "170213", "Order does not exist.");
    case RejectKind::InvalidLeverage: return make(R::Other, "10001", "params error: leverage");
    case RejectKind::UnsupportedOrder: return make(R::Other, "170116", "Invalid orderType.");
  }
  return make(R::Other, "", "");
}

VenueError bybit_linear(RejectKind k) {
  switch (k) {
    case RejectKind::UnknownInstrument: return make(R::UnknownInstrument, "10001", "params error: symbol invalid");
    case RejectKind::DuplicateClientOrderId: return make(R::DuplicateClientOrderId, "110072", "OrderLinkedID is duplicate.");
    case RejectKind::MissingPrice:
    case RejectKind::MissingTrigger:
    case RejectKind::PriceNotPositive:
    case RejectKind::PriceNotOnTick: return make(R::InvalidPrice, "10001", "params error: price invalid");
    case RejectKind::QuantityNotOnStep:
    case RejectKind::QuantityNotPositive:
    case RejectKind::QuantityBelowMinimum:
    case RejectKind::QuantityAboveMaximum: return make(R::InvalidQuantity, "10001", "Qty invalid");
    case RejectKind::NotionalBelowMinimum: return make(R::NotionalTooSmall, "110094", "Order does not meet minimum order value.");
    case RejectKind::InsufficientBalance: return make(R::InsufficientBalance, "110007", "Insufficient available balance.");
    case RejectKind::PostOnlyWouldTake: return make(R::PostOnlyWouldTake, "EC_PostOnlyWillTakeLiquidity", "Post-only order would take liquidity.");
    case RejectKind::FokNotFilled: return make(R::FokNotFilled, "EC_NoImmediateQtyToFill", "FOK order could not be filled.");
    case RejectKind::ReduceOnlyRejected: return make(R::ReduceOnlyRejected, "110017", "Reduce-only order qty would be truncated to zero.");
    case RejectKind::StopWouldTriggerImmediately: return make(R::InvalidPrice, "10001", "params error: triggerPrice");
    case RejectKind::CancelUnknownOrder:
    case RejectKind::QueryUnknownOrder: return make(R::UnknownOrder, "110001", "Order does not exist.");
    case RejectKind::InvalidLeverage: return make(R::Other, "10001", "params error: leverage invalid");
    case RejectKind::UnsupportedOrder: return make(R::Other, "10001", "params error: orderType");
  }
  return make(R::Other, "", "");
}

VenueError okx(RejectKind k) {
  switch (k) {
    case RejectKind::UnknownInstrument: return make(R::UnknownInstrument, "51001", "Instrument ID does not exist.");
    case RejectKind::DuplicateClientOrderId: return make(R::DuplicateClientOrderId, "51016", "Duplicated clOrdId.");
    case RejectKind::MissingPrice:
    case RejectKind::MissingTrigger:
    case RejectKind::PriceNotPositive:
    case RejectKind::PriceNotOnTick: return make(R::InvalidPrice, "51000", "Parameter px error");
    case RejectKind::QuantityNotOnStep: return make(R::InvalidQuantity, "51121", "Order quantity must be a multiple of the lot size.");
    case RejectKind::QuantityNotPositive:
    case RejectKind::QuantityAboveMaximum: return make(R::InvalidQuantity, "51000", "Parameter sz error");
    case RejectKind::QuantityBelowMinimum:
    case RejectKind::NotionalBelowMinimum: return make(R::InvalidQuantity, "51020", "Order amount should be greater than the min available amount.");
    case RejectKind::InsufficientBalance: return make(R::InsufficientBalance, "51008", "Order failed. Insufficient balance or margin.");
    case RejectKind::PostOnlyWouldTake: return make(R::PostOnlyWouldTake, "31", "post_only order canceled: it would take liquidity (cancelSource 31).");
    case RejectKind::FokNotFilled: return make(R::FokNotFilled, "13", "fok order canceled: not fully fillable (cancelSource 13).");
    case RejectKind::ReduceOnlyRejected: return make(R::ReduceOnlyRejected, "51169", "No position in this direction to reduce or close.");
    case RejectKind::StopWouldTriggerImmediately: return make(R::InvalidPrice, "51000", "Parameter triggerPx error");
    case RejectKind::CancelUnknownOrder: return make(R::UnknownOrder, "51400", "Cancellation failed: the order has been filled, canceled or does not exist.");
    case RejectKind::QueryUnknownOrder: return make(R::UnknownOrder, "51603", "Order does not exist.");
    case RejectKind::InvalidLeverage: return make(R::Other, "51000", "Parameter lever error");
    case RejectKind::UnsupportedOrder: return make(R::Other, "51000", "Parameter ordType error");
  }
  return make(R::Other, "", "");
}

}  // namespace

RejectKind reject_kind(InstrumentRuleViolation v) {
  switch (v) {
    case InstrumentRuleViolation::PriceNotOnTick: return RejectKind::PriceNotOnTick;
    case InstrumentRuleViolation::PriceNotPositive: return RejectKind::PriceNotPositive;
    case InstrumentRuleViolation::QuantityNotOnStep: return RejectKind::QuantityNotOnStep;
    case InstrumentRuleViolation::QuantityNotPositive: return RejectKind::QuantityNotPositive;
    case InstrumentRuleViolation::QuantityBelowMinimum: return RejectKind::QuantityBelowMinimum;
    case InstrumentRuleViolation::QuantityAboveMaximum: return RejectKind::QuantityAboveMaximum;
    case InstrumentRuleViolation::NotionalBelowMinimum: return RejectKind::NotionalBelowMinimum;
  }
  return RejectKind::UnsupportedOrder;
}

VenueError venue_error(Venue venue, MarketKind kind, RejectKind what) {
  const bool perp = kind == MarketKind::LinearPerp;
  switch (venue) {
    case Venue::Binance: return perp ? binance_usdm(what) : binance_spot(what);
    case Venue::Bybit: return perp ? bybit_linear(what) : bybit_spot(what);
    case Venue::Okx: return okx(what);
    case Venue::Simulated: break;
  }
  // The generic simulated venue behaves like Binance for codes, tagged so logs show it is simulated.
  VenueError e = perp ? binance_usdm(what) : binance_spot(what);
  e.code = "sim" + e.code;
  return e;
}

bool fok_failure_is_reject(Venue venue, MarketKind kind) {
  return venue == Venue::Binance && kind == MarketKind::LinearPerp;
}

bool immediate_trigger_is_reject(Venue venue, MarketKind /*kind*/) { return venue == Venue::Binance; }

}  // namespace tradingd::sim
