// The reject reasons and codes the simulated venue gives, per venue and market, so paper trading sees the
// same VenueErrorReason and code string the live adapter would map from the real venue. Codes come from the
// digests in shared/venues/ (binance.md §4/§6, bybit.md §5, okx.md §3/§5/§7); the few the digests do not
// list are marked "not in digest" in venue_errors.cpp.
//
// Where a venue accepts an order and then ends it instead of rejecting it, the simulator follows the venue:
// a FOK that cannot fill completely is accepted then expired everywhere except Binance USD-M (-5021
// reject). A post-only order that would take is always reported as a rejection (Binance spot -2010,
// USD-M -5022, Bybit spot 170218; Bybit linear and OKX cancel it with EC_PostOnlyWillTakeLiquidity /
// cancelSource 31, which the simulator reports as that code on a rejection).
#pragma once

#include <cstdint>

#include "core/enums.h"
#include "core/instrument.h"
#include "exchange/execution_venue.h"

namespace tradingd::sim {

enum class RejectKind : std::uint8_t {
  UnknownInstrument,
  DuplicateClientOrderId,
  MissingPrice,
  MissingTrigger,
  PriceNotOnTick,
  PriceNotPositive,
  QuantityNotOnStep,
  QuantityNotPositive,
  QuantityBelowMinimum,
  QuantityAboveMaximum,
  NotionalBelowMinimum,
  InsufficientBalance,
  PostOnlyWouldTake,
  FokNotFilled,
  ReduceOnlyRejected,
  StopWouldTriggerImmediately,
  CancelUnknownOrder,
  QueryUnknownOrder,
  InvalidLeverage,
  UnsupportedOrder,
};

RejectKind reject_kind(InstrumentRuleViolation v);
VenueError venue_error(Venue venue, MarketKind kind, RejectKind what);

// Binance USD-M rejects an unfillable FOK (-5021); the others accept it and expire it.
bool fok_failure_is_reject(Venue venue, MarketKind kind);
// Binance refuses a stop whose trigger is already crossed (-2010 spot, -2021 USD-M); Bybit and OKX trigger
// it at once.
bool immediate_trigger_is_reject(Venue venue, MarketKind kind);

}  // namespace tradingd::sim
