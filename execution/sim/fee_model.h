// Trading fees of the simulated venue: each venue's public base-tier maker/taker rates and the fee of one
// fill. Fees are exact: notional × rate rounded to the nearest 1e-9 (half away from zero); a negative rate
// is a rebate (negative fee).
//
// Base tiers (regular, non-VIP account). The venue digests in shared/venues/ do not list fee tiers; the
// figures come from the captured fee-rate payloads in shared/fixtures and the venues' public fee pages:
//   Binance spot       maker 0.1000%  taker 0.1000%   (binance.com fee schedule, "Regular user")
//   Binance USD-M      maker 0.0200%  taker 0.0500%   (fixtures/binance/rest_response/
//                                                      http_futures_wallet_commission_rate_btcusdt.json)
//   Bybit spot         maker 0.1000%  taker 0.1000%   (Bybit Help Center "Trading Fee Structure", VIP 0)
//   Bybit linear perp  maker 0.0200%  taker 0.0550%   (same table)
//   OKX spot           maker 0.0800%  taker 0.1000%   (fixtures/okx/rest_response/http_get_trade_fee_response.json
//                                                      level Lv1; okx.com/fees; OKX writes fees paid as negatives)
//   OKX SWAP           maker 0.0200%  taker 0.0500%   (okx.com/fees, Lv1)
//
// Fee asset. By default the fee is charged in the quote (spot) or settlement (perps) asset. Binance spot
// charges commission in the asset *received* (without BNB fee payment): a buy pays in the base asset it
// receives, a sell in the quote asset. SimVenueConfig::binance_fee_in_received_asset turns that rule on;
// it applies to Binance spot instruments only.
#pragma once

#include "core/enums.h"
#include "core/fixed_point.h"
#include "core/instrument.h"

namespace tradingd::sim {

struct FeeRates {
  Rate maker;
  Rate taker;
  friend bool operator==(const FeeRates&, const FeeRates&) = default;
};

FeeRates default_fee_rates(Venue venue, MarketKind kind);

struct FeeCharge {
  Money amount;  // positive = paid, negative = rebate
  Asset asset;
};

// The fee of one fill of `qty` at `price` with `rate`.
FeeCharge compute_fee(const Instrument& inst, Side side, Price price, Quantity qty, Rate rate,
                      bool binance_fee_in_received_asset);
// The same with the fill's notional already known (inst.notional_of(price, qty)): a fill computes it once
// for the fee, the balances and the average price.
FeeCharge compute_fee_on(const Instrument& inst, Side side, Quantity qty, Money fill_notional, Rate rate,
                         bool binance_fee_in_received_asset);

// The asset fees are charged in for a side (what compute_fee will use), and whether it is the base asset.
// Inline: every taker funds check and fill asks.
inline bool fee_in_base_asset(const Instrument& inst, Side side, bool binance_fee_in_received_asset) {
  return binance_fee_in_received_asset && inst.id.venue == Venue::Binance && inst.id.kind == MarketKind::Spot &&
         side == Side::Buy;
}

}  // namespace tradingd::sim
