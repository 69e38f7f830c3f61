// Portfolio figures. Spot inventory is valued through the balances (base balance × the spot position's
// mark), perpetuals through their unrealized PnL on top of the settlement balance, so nothing is counted
// twice. Percentages round against us: drawdown up, leverage up.
#include "portfolio/portfolio.h"

#include <algorithm>
#include <array>
#include <charconv>

#include "portfolio/exact_math.h"

namespace tradingd {

std::string EquityMarks::encode() const {
  return "v1;initialized=" + std::string(initialized ? "1" : "0") + ";peak_equity=" + peak_equity.to_string() +
         ";day_start_ns=" + std::to_string(day_start_ns) + ";day_start_equity=" + day_start_equity.to_string() +
         ";last_equity=" + last_equity.to_string();
}

std::optional<EquityMarks> EquityMarks::decode(std::string_view text) {
  constexpr std::array<std::string_view, 6> kKeys = {"v1", "initialized=", "peak_equity=", "day_start_ns=",
                                                     "day_start_equity=", "last_equity="};
  std::array<std::string_view, 6> values;
  for (std::size_t i = 0; i < kKeys.size(); ++i) {
    const auto semi = text.find(';');
    const std::string_view field = text.substr(0, semi);
    if (field.substr(0, kKeys[i].size()) != kKeys[i]) return std::nullopt;
    values[i] = field.substr(kKeys[i].size());
    if ((semi == std::string_view::npos) != (i + 1 == kKeys.size())) return std::nullopt;
    if (semi != std::string_view::npos) text.remove_prefix(semi + 1);
  }
  if (!values[0].empty() || (values[1] != "0" && values[1] != "1")) return std::nullopt;
  EquityMarks m;
  m.initialized = values[1] == "1";
  auto peak = Money::parse(values[2]);
  auto day_equity = Money::parse(values[4]);
  auto last = Money::parse(values[5]);
  auto [ptr, ec] = std::from_chars(values[3].data(), values[3].data() + values[3].size(), m.day_start_ns);
  if (!peak || !day_equity || !last || ec != std::errc{} || ptr != values[3].data() + values[3].size()) return std::nullopt;
  m.peak_equity = *peak;
  m.day_start_equity = *day_equity;
  m.last_equity = *last;
  return m;
}

Portfolio::Portfolio(const PositionTracker& tracker, Asset valuation_asset)
    : tracker_(tracker), valuation_asset_(valuation_asset) {}

void Portfolio::set_asset_price(const Asset& asset, Price price) { fixed_prices_[asset] = price; }

std::optional<Price> Portfolio::asset_price(Venue venue, const Asset& asset) const {
  if (asset == valuation_asset_) return Price::from_units(1);
  if (auto it = fixed_prices_.find(asset); it != fixed_prices_.end()) return it->second;
  std::optional<Price> any_venue;
  for (const Position& p : tracker_.positions()) {
    const Instrument& inst = p.instrument();
    if (inst.is_perpetual() || inst.base != asset || inst.quote != valuation_asset_) continue;
    const auto mark = p.mark_price();
    if (!mark) {
      if (auto px = tracker_.prices().price(inst.id, tracker_.price_source())) {
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

void Portfolio::compute(PortfolioFigures& f) const {
  for (const auto& [key, amount] : tracker_.balances()) {
    if (amount.is_zero()) continue;
    const auto& [venue, asset] = key;
    if (asset == valuation_asset_) {
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
  for (const Position& p : tracker_.positions()) {
    const Instrument& inst = p.instrument();
    // Position values are in the quote asset; convert when it is not the valuation asset.
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
  f.leverage = f.equity.is_positive() ? Rate::from_raw(exact::muldiv(f.gross_exposure.raw(), fixed::kScale, f.equity.raw(), Rounding::Up))
                                      : Rate::zero();
}

const PortfolioFigures& Portfolio::update(UnixNanos now_ns) {
  // Computed in place: this runs on every market event, and building the figures on the stack to copy
  // them over cost as much as computing them. An overflow part-way resets them below.
  PortfolioFigures& f = figures_;
  f = PortfolioFigures{};
  f.ts_ns = now_ns;
  f.computed = true;
  EquityMarks m = marks_;
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
    f.drawdown_pct = m.peak_equity.is_positive() ? exact::percent(f.drawdown, m.peak_equity, Rounding::Up) : Rate::zero();
    f.day_start_ns = m.day_start_ns;
    f.day_start_equity = m.day_start_equity;
    f.daily_pnl = f.equity - m.day_start_equity;
    f.daily_pnl_pct = m.day_start_equity.is_positive()
                          ? exact::percent(f.daily_pnl, m.day_start_equity, Rounding::Down)
                          : Rate::zero();
    f.valid = !tracker_.invariant_broken();
  } catch (const FixedPointOverflow&) {
    f = PortfolioFigures{};
    f.ts_ns = now_ns;
    f.computed = true;
    f.valid = false;
    return figures_;
  }
  marks_ = m;
  return figures_;
}

void Portfolio::rebase_peak() {
  if (marks_.initialized) marks_.peak_equity = marks_.last_equity;
}

void Portfolio::rebase_day() {
  if (marks_.initialized) marks_.day_start_equity = marks_.last_equity;
}

PortfolioSnapshot Portfolio::snapshot() const {
  PortfolioSnapshot s;
  s.figures = figures_;
  s.positions.reserve(tracker_.positions().size());
  for (const Position& p : tracker_.positions()) {
    PositionSnapshot ps;
    ps.instrument = p.id();
    ps.quantity = p.quantity();
    ps.mark = p.mark_price();
    ps.notional = p.notional();
    ps.unrealized_pnl = p.unrealized_pnl();
    ps.realized_pnl = p.realized_pnl();
    ps.fees = p.fees();
    ps.funding = p.funding();
    ps.leverage = p.params().leverage;
    ps.fills = p.fill_count();
    ps.round_trips = p.round_trips();
    ps.wins = p.wins();
    ps.losses = p.losses();
    try {
      ps.average_entry = p.average_entry_price();
      ps.net_pnl = p.net_pnl();
      ps.initial_margin = p.initial_margin();
      ps.maintenance_margin = p.maintenance_margin();
      ps.liquidation_price = p.liquidation_price();
    } catch (const FixedPointOverflow&) {
      s.figures.valid = false;  // the figures left at their defaults are not to be trusted
    }
    s.positions.push_back(ps);
  }
  for (const auto& [key, amount] : tracker_.balances()) s.balances.push_back({key.first, key.second, amount});
  return s;
}

}  // namespace tradingd
