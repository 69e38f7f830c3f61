// Base-tier fee table and the per-fill fee computation (sources in fee_model.h).
#include "execution/sim/fee_model.h"

namespace tradingd::sim {
namespace {
Rate pct(const char* text) { return Rate::from_string(text); }
}  // namespace

FeeRates default_fee_rates(Venue venue, MarketKind kind) {
  const bool perp = kind == MarketKind::LinearPerp;
  switch (venue) {
    case Venue::Binance: return perp ? FeeRates{pct("0.0002"), pct("0.0005")} : FeeRates{pct("0.001"), pct("0.001")};
    case Venue::Bybit: return perp ? FeeRates{pct("0.0002"), pct("0.00055")} : FeeRates{pct("0.001"), pct("0.001")};
    case Venue::Okx: return perp ? FeeRates{pct("0.0002"), pct("0.0005")} : FeeRates{pct("0.0008"), pct("0.001")};
    case Venue::Simulated: break;
  }
  return perp ? FeeRates{pct("0.0002"), pct("0.0005")} : FeeRates{pct("0.001"), pct("0.001")};
}

FeeCharge compute_fee(const Instrument& inst, Side side, Price price, Quantity qty, Rate rate,
                      bool binance_fee_in_received_asset) {
  if (fee_in_base_asset(inst, side, binance_fee_in_received_asset))
    return compute_fee_on(inst, side, qty, Money::zero(), rate, true);
  return compute_fee_on(inst, side, qty, inst.notional_of(price, qty), rate, binance_fee_in_received_asset);
}

FeeCharge compute_fee_on(const Instrument& inst, Side side, Quantity qty, Money fill_notional, Rate rate,
                         bool binance_fee_in_received_asset) {
  if (fee_in_base_asset(inst, side, binance_fee_in_received_asset)) {
    // Commission on the base amount received (what Binance's executionReport shows with N = base asset).
    return FeeCharge{fixed_mul<Money>(qty, rate, Rounding::Nearest), inst.base};
  }
  const Asset asset = inst.is_perpetual() && !inst.settle.empty() ? inst.settle : inst.quote;
  return FeeCharge{apply_rate(fill_notional, rate, Rounding::Nearest), asset};
}

}  // namespace tradingd::sim
