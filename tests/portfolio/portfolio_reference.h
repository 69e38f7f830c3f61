// The portfolio figures computed the plain way, from scratch on every call: every balance valued through a
// search of the positions, every position converted to the valuation asset, the percentages divided in
// 128 bits. This is what Portfolio::update computed before it kept its work between calls; the property
// test compares the two after every step and the portfolio benchmark uses it as its in-run baseline.
#pragma once

#include <algorithm>
#include <map>
#include <optional>

#include "portfolio/portfolio.h"
#include "portfolio/position_tracker.h"

namespace tradingd::test {

__extension__ typedef __int128 i128;

struct ReferencePortfolio {
  explicit ReferencePortfolio(const PositionTracker& t) : tracker(t) {}

  const PositionTracker& tracker;
  Asset valuation_asset = Asset::from("USDT");
  std::map<Asset, Price> fixed_prices;
  EquityMarks marks;
  PortfolioFigures figures;

  std::optional<Price> asset_price(Venue venue, const Asset& asset) const {
    if (asset == valuation_asset) return Price::from_units(1);
    if (auto it = fixed_prices.find(asset); it != fixed_prices.end()) return it->second;
    std::optional<Price> any_venue;
    for (const Position& p : tracker.positions()) {
      const Instrument& inst = p.instrument();
      if (inst.is_perpetual() || inst.base != asset || inst.quote != valuation_asset) continue;
      const auto mark = p.mark_price();
      if (!mark) {
        if (auto px = tracker.prices().price(inst.id, tracker.price_source())) {
          if (inst.id.venue == venue) return px;
          if (!any_venue) any_venue = px;
        }
        continue;
      }
      if (inst.id.venue == venue) return mark;
      if (!any_venue) any_venue = mark;
    }
    return any_venue;
  }

  static i128 wide(std::int64_t v) { return v; }
  // 100·part/whole (or part·scale/whole) with the 128-bit rounding of exact::muldiv, written out again so
  // the reference does not share the arithmetic it checks.
  static std::int64_t muldiv128(std::int64_t a, std::int64_t b, std::int64_t c, Rounding mode) {
    const i128 n = wide(a) * b;
    i128 q = n / c;
    const i128 r = n % c;
    if (r != 0) {
      const bool negative = (n < 0) != (c < 0);
      switch (mode) {
        case Rounding::TowardZero: break;
        case Rounding::Down: if (negative) --q; break;
        case Rounding::Up: if (!negative) ++q; break;
        case Rounding::Nearest: if (2 * (r < 0 ? -r : r) >= (c < 0 ? -wide(c) : wide(c))) q += negative ? -1 : 1; break;
      }
    }
    if (q > INT64_MAX || q < -INT64_MAX) throw FixedPointOverflow("fixed-point overflow in muldiv");
    return static_cast<std::int64_t>(q);
  }

  void compute(PortfolioFigures& f) const {
    for (const auto& [key, amount] : tracker.balances()) {
      if (amount.is_zero()) continue;
      const auto& [venue, asset] = key;
      if (asset == valuation_asset) {
        f.cash += amount;
        f.equity += amount;
        continue;
      }
      const auto price = asset_price(venue, asset);
      if (!price) {
        ++f.unvalued_balances;
        continue;
      }
      f.equity += notional(*price, Quantity::from_raw(amount.raw()), Rounding::Nearest);
    }
    for (const Position& p : tracker.positions()) {
      const Instrument& inst = p.instrument();
      const auto quote_price = asset_price(inst.id.venue, inst.is_perpetual() ? inst.settle : inst.quote);
      auto in_valuation = [&](Money m) {
        if (!quote_price || *quote_price == Price::from_units(1)) return m;
        return fixed_mul<Money>(m, *quote_price, Rounding::Nearest);
      };
      const Money value = in_valuation(p.mark_value());
      if (inst.is_perpetual()) {
        if (quote_price) f.equity += in_valuation(p.unrealized_pnl());
        else if (!p.is_flat()) ++f.unvalued_balances;
      }
      f.gross_exposure += value.abs();
      f.net_exposure += value;
      f.realized_pnl += in_valuation(p.realized_pnl());
      f.unrealized_pnl += in_valuation(p.unrealized_pnl());
      f.fees += in_valuation(p.fees());
      f.funding += in_valuation(p.funding());
      f.fills += p.fill_count();
      f.round_trips += p.round_trips();
      f.wins += p.wins();
      f.losses += p.losses();
      if (!p.is_flat()) ++f.open_positions;
    }
    f.leverage = f.equity.is_positive()
                     ? Rate::from_raw(muldiv128(f.gross_exposure.raw(), fixed::kScale, f.equity.raw(), Rounding::Up))
                     : Rate::zero();
  }

  const PortfolioFigures& update(UnixNanos now_ns) {
    PortfolioFigures& f = figures;
    f = PortfolioFigures{};
    f.ts_ns = now_ns;
    f.computed = true;
    EquityMarks m = marks;
    try {
      compute(f);
      const UnixNanos day = utc_day_start(now_ns);
      if (!m.initialized) {
        m = EquityMarks{true, f.equity, day, f.equity, f.equity};
      } else if (day > m.day_start_ns) {
        m.day_start_ns = day;
        m.day_start_equity = m.last_equity;
      }
      m.peak_equity = std::max(m.peak_equity, f.equity);
      m.last_equity = f.equity;
      f.peak_equity = m.peak_equity;
      f.drawdown = m.peak_equity - f.equity;
      f.drawdown_pct = m.peak_equity.is_positive()
                           ? Rate::from_raw(muldiv128(f.drawdown.raw(), 100 * fixed::kScale, m.peak_equity.raw(), Rounding::Up))
                           : Rate::zero();
      f.day_start_ns = m.day_start_ns;
      f.day_start_equity = m.day_start_equity;
      f.daily_pnl = f.equity - m.day_start_equity;
      f.daily_pnl_pct = m.day_start_equity.is_positive()
                            ? Rate::from_raw(muldiv128(f.daily_pnl.raw(), 100 * fixed::kScale, m.day_start_equity.raw(), Rounding::Down))
                            : Rate::zero();
      f.valid = !tracker.invariant_broken();
    } catch (const FixedPointOverflow&) {
      f = PortfolioFigures{};
      f.ts_ns = now_ns;
      f.computed = true;
      f.valid = false;
      return figures;
    }
    marks = m;
    return figures;
  }
};

}  // namespace tradingd::test
