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

namespace {

// Checked arithmetic on raw values, inline: the same results and the same overflow (FixedPointOverflow,
// INT64_MIN excluded) as Fixed's operators, which call into core for each addition.
[[noreturn]] void overflow() { throw FixedPointOverflow("fixed-point overflow in portfolio figures"); }
void add(Money& acc, Money v) {
  std::int64_t r;
  if (__builtin_add_overflow(acc.raw(), v.raw(), &r) || r == INT64_MIN) overflow();
  acc = Money::from_raw(r);
}
Money sub(Money a, Money b) {
  std::int64_t r;
  if (__builtin_sub_overflow(a.raw(), b.raw(), &r) || r == INT64_MIN) overflow();
  return Money::from_raw(r);
}
Money abs(Money v) { return Money::from_raw(v.raw() < 0 ? -v.raw() : v.raw()); }  // raw is never INT64_MIN
std::uint64_t magnitude(std::int64_t v) { return v < 0 ? 0 - static_cast<std::uint64_t>(v) : static_cast<std::uint64_t>(v); }
constexpr std::int64_t kOne = fixed::kScale;  // Price 1

// Throws FixedPointOverflow exactly when exact::muldiv(a, b, c, mode) would (b, c > 0), without dividing
// when the quotient certainly fits: |a|·b ≤ c·(INT64_MAX − 1) leaves room for the rounding step.
void check_ratio(std::int64_t a, std::int64_t b, std::int64_t c, Rounding mode) {
  __extension__ typedef unsigned __int128 u128;
  const std::uint64_t abs_a = a < 0 ? 0 - static_cast<std::uint64_t>(a) : static_cast<std::uint64_t>(a);
  if (abs_a <= static_cast<std::uint64_t>(c) && b < INT64_MAX) return;  // |a|·b ≤ c·b ≤ c·(INT64_MAX − 1)
  if (static_cast<u128>(abs_a) * static_cast<std::uint64_t>(b) <= static_cast<u128>(static_cast<std::uint64_t>(c)) * (INT64_MAX - 1)) return;
  (void)exact::muldiv(a, b, c, mode);
}

// The fields value() adds to (the rest of the valuation stays zero): field by field, as the whole struct
// is cleared with a slow string instruction.
void clear_valuation(PortfolioFigures& f) {
  f.equity = f.cash = f.realized_pnl = f.unrealized_pnl = f.fees = f.funding = Money::zero();
  f.gross_exposure = f.net_exposure = Money::zero();
  f.leverage = Rate::zero();
  f.fills = f.round_trips = f.wins = f.losses = 0;
  f.open_positions = f.unvalued_balances = 0;
}

}  // namespace

Portfolio::Portfolio(const PositionTracker& tracker, Asset valuation_asset)
    : tracker_(tracker), valuation_asset_(valuation_asset) {}

void Portfolio::set_asset_price(const Asset& asset, Price price) {
  fixed_prices_[asset] = price;
  ++fixed_version_;
}

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

Portfolio::Pricing Portfolio::resolve(Venue venue, const Asset& asset) {
  Pricing r;
  if (asset == valuation_asset_) {
    r.kind = Pricing::Kind::Unit;
    return r;
  }
  if (auto it = fixed_prices_.find(asset); it != fixed_prices_.end()) {
    r.kind = Pricing::Kind::Fixed;
    r.fixed = it->second;
    return r;
  }
  r.first = static_cast<std::uint32_t>(plan_.candidates.size());
  const auto& positions = tracker_.positions();
  for (std::size_t i = 0; i < positions.size(); ++i) {
    const Instrument& inst = positions[i].instrument();
    if (inst.is_perpetual() || inst.base != asset || inst.quote != valuation_asset_) continue;
    plan_.candidates.push_back({static_cast<std::uint32_t>(i), inst.id.venue == venue});
  }
  r.count = static_cast<std::uint32_t>(plan_.candidates.size()) - r.first;
  r.kind = r.count == 0 ? Pricing::Kind::None : Pricing::Kind::Market;
  return r;
}

std::int64_t Portfolio::price_of(const Pricing& pricing) const {
  const Position* marked;
  return price_pick(pricing, marked);
}

std::int64_t Portfolio::price_pick(const Pricing& pricing, const Position*& marked) const {
  marked = nullptr;
  switch (pricing.kind) {
    case Pricing::Kind::Unit: return kOne;
    case Pricing::Kind::Fixed: return pricing.fixed.raw();
    case Pricing::Kind::None: return 0;
    case Pricing::Kind::Market: break;
  }
  // asset_price's search over the candidates it would visit. Raw values, 0 for none (a stored price is
  // positive): std::optional in this loop cost more than the search.
  const auto& positions = tracker_.positions();
  std::int64_t any_venue = 0;
  const Position* any_marked = nullptr;
  for (std::uint32_t k = pricing.first; k < pricing.first + pricing.count; ++k) {
    const Candidate& c = plan_.candidates[k];
    const Position& p = positions[c.position];
    std::int64_t px = p.mark_price_or_zero().raw();
    const Position* m = &p;
    if (px == 0) {
      const auto stored = tracker_.prices().price(p.id(), tracker_.price_source());
      px = stored ? stored->raw() : 0;
      if (px == 0) continue;
      m = nullptr;
    }
    if (c.same_venue) {
      marked = m;
      return px;
    }
    if (any_venue == 0) {
      any_venue = px;
      any_marked = m;
    }
  }
  marked = any_marked;
  return any_venue;
}

void Portfolio::build_plan() {
  // Cleared field by field: the vectors keep their capacity, so a fill does not reallocate them.
  plan_.balances.clear();
  plan_.positions.clear();
  plan_.candidates.clear();
  plan_.ledger_sums = false;
  for (const auto& [key, amount] : tracker_.balances()) {
    const auto& [venue, asset] = key;
    const bool cash = asset == valuation_asset_;
    Pricing unit;
    unit.kind = Pricing::Kind::Unit;
    plan_.balances.push_back({&amount, cash, cash ? unit : resolve(venue, asset)});
  }
  const auto& positions = tracker_.positions();
  bool identity = true;
  for (std::size_t i = 0; i < positions.size(); ++i) {
    const Instrument& inst = positions[i].instrument();
    const Pricing quote = resolve(inst.id.venue, inst.is_perpetual() ? inst.settle : inst.quote);
    plan_.positions.push_back({static_cast<std::uint32_t>(i), inst.is_perpetual(), quote});
    identity = identity && (quote.kind == Pricing::Kind::Unit || (quote.kind == Pricing::Kind::Fixed && quote.fixed.raw() == kOne));
  }
  plan_.ledger_sums = identity;
}

void Portfolio::sum_ledger() {
  plan_.ledger_sums_overflow = false;
  plan_.realized_pnl = plan_.fees = plan_.funding = Money::zero();
  plan_.fills = plan_.round_trips = plan_.wins = plan_.losses = 0;
  plan_.open_positions = 0;
  if (!plan_.ledger_sums) return;
  // In the valuation asset already: these sums do not move until the ledger does.
  try {
    for (const Position& p : tracker_.positions()) {
      add(plan_.realized_pnl, p.realized_pnl());
      add(plan_.fees, p.fees());
      add(plan_.funding, p.funding());
      plan_.fills += p.fill_count();
      plan_.round_trips += p.round_trips();
      plan_.wins += p.wins();
      plan_.losses += p.losses();
      if (!p.is_flat()) ++plan_.open_positions;
    }
  } catch (const FixedPointOverflow&) {
    plan_.ledger_sums_overflow = true;
  }
}

void Portfolio::prepare_quick() {
  quick_.usable = false;
  quick_.ledger_in_figures = false;
  quick_.market.clear();
  quick_.open.clear();
  if (!plan_.ledger_sums || plan_.ledger_sums_overflow) return;
  std::int64_t cash = 0, fixed = 0;
  std::uint64_t fixed_abs = 0;
  std::size_t unvalued = 0;
  for (const BalanceTerm& b : plan_.balances) {
    const std::int64_t amount = b.amount->raw();
    if (amount == 0) continue;
    if (!b.cash && b.pricing.kind == Pricing::Kind::Market) {
      quick_.market.push_back({amount, b.pricing});
      continue;
    }
    std::int64_t v = amount;
    if (!b.cash) {
      const std::int64_t price = price_of(b.pricing);
      if (price == 0) {
        ++unvalued;
        continue;
      }
      try {
        v = exact::mul_scaled(price, amount, Rounding::Nearest);
      } catch (const FixedPointOverflow&) {
        return;  // value() overflows too: let it
      }
    }
    fixed_abs += magnitude(v);  // both ≤ INT64_MAX: no wrap
    if (fixed_abs > static_cast<std::uint64_t>(INT64_MAX)) return;
    fixed += v;
    if (b.cash) cash += v;
  }
  const auto& positions = tracker_.positions();
  for (const PositionTerm& t : plan_.positions)
    if (!positions[t.position].is_flat()) quick_.open.push_back({t.position, t.perpetual});
  // Within a ledger version the amounts and quantities stay: a base balance that is its open spot position
  // is that position's mark value at every price (an open position always has a mark: its fills'), so its
  // term joins the position's.
  std::erase_if(quick_.market, [&](const MarketTerm& m) {
    if (m.pricing.count != 1) return false;
    const std::uint32_t i = plan_.candidates[m.pricing.first].position;
    const Position& p = positions[i];
    if (p.is_flat() || p.is_perpetual() || p.quantity().raw() != m.amount ||
        p.instrument().contract_multiplier.raw() != fixed::kScale)
      return false;
    for (OpenTerm& t : quick_.open)
      if (t.position == i && !t.with_balance) {
        t.with_balance = true;
        return true;
      }
    return false;
  });
  quick_.cash = Money::from_raw(cash);
  quick_.fixed = fixed;
  quick_.fixed_abs = fixed_abs;
  quick_.unvalued = unvalued;
  quick_.usable = true;
}

inline bool Portfolio::value_quick(PortfolioFigures& f) {
  // Nothing a price moves (every position flat, no balance priced by a mark): the valuation is the
  // constant part, already in the figures once written for this ledger version (the leverage, which
  // fill_ratios() rewrites, is zero for a zero exposure at any equity).
  if (quick_.market.empty() && quick_.open.empty() && quick_.ledger_in_figures) return true;
  constexpr auto kMax = static_cast<std::uint64_t>(INT64_MAX);
  std::uint64_t equity_abs = quick_.fixed_abs;
  std::int64_t equity = quick_.fixed;
  std::size_t unvalued = quick_.unvalued;
  const auto& positions = tracker_.positions();
  for (MarketTerm& m : quick_.market) {
    // One candidate with a mark (a single spot market for the asset): price_pick's answer, without the search.
    const Position* marked = m.pricing.count == 1 ? &positions[plan_.candidates[m.pricing.first].position] : nullptr;
    std::int64_t price = marked != nullptr ? marked->mark_price_or_zero().raw() : 0;
    if (price == 0) price = price_pick(m.pricing, marked);
    if (price == 0) {
      ++unvalued;
      continue;
    }
    if (price != m.last_price) {
      // A spot position's base balance usually is the position: its mark value is this very product.
      const bool same = marked != nullptr && marked->quantity().raw() == m.amount &&
                        marked->mark_price_or_zero().raw() == price &&
                        marked->instrument().contract_multiplier.raw() == fixed::kScale;
      m.last_value = same ? marked->mark_value().raw() : exact::mul_scaled(price, m.amount, Rounding::Nearest);
      m.last_price = price;
    }
    equity_abs += magnitude(m.last_value);
    if (equity_abs > kMax) return false;
    equity += m.last_value;
  }
  std::uint64_t gross = 0, unrealized_abs = 0;
  std::int64_t net = 0, unrealized = 0;
  for (const OpenTerm& t : quick_.open) {
    const Position& p = positions[t.position];
    const std::int64_t value = p.mark_value().raw();
    const std::int64_t u = sub(p.mark_value(), p.cost_basis()).raw();  // throws where value() does
    gross += magnitude(value);
    unrealized_abs += magnitude(u);
    if (gross > kMax || unrealized_abs > kMax) return false;
    net += value;
    unrealized += u;
    if (t.with_balance) {
      equity_abs += magnitude(value);
      if (equity_abs > kMax) return false;
      equity += value;
    }
    if (t.perpetual) {
      equity_abs += magnitude(u);
      if (equity_abs > kMax) return false;
      equity += u;
    }
  }
  f.equity = Money::from_raw(equity);
  f.gross_exposure = Money::from_raw(static_cast<std::int64_t>(gross));
  f.net_exposure = Money::from_raw(net);
  f.unrealized_pnl = Money::from_raw(unrealized);
  f.leverage = Rate::zero();
  f.unvalued_balances = unvalued;
  if (!quick_.ledger_in_figures) {  // the same until the ledger moves
    f.cash = quick_.cash;
    plan_.write_sums(f);
    quick_.ledger_in_figures = true;
  }
  if (equity > 0) check_ratio(static_cast<std::int64_t>(gross), fixed::kScale, equity, Rounding::Up);
  return true;
}

std::int64_t Portfolio::Ratio::of(std::int64_t num, std::int64_t b, std::int64_t den, Rounding mode) {
  if (!set || num != a || den != c) {
    result = exact::muldiv(num, b, den, mode);  // may throw: the memo then stays as it was
    a = num;
    c = den;
    set = true;
  }
  return result;
}

// The same sums, in the same order and with the same checks, as valuing every balance through
// asset_price() and every position through its quote asset's price: see portfolio_reference.h in the
// tests, which the property test compares with after every step.
void Portfolio::value(PortfolioFigures& f) {
  for (const BalanceTerm& b : plan_.balances) {
    const Money amount = *b.amount;
    if (amount.is_zero()) continue;
    if (b.cash) {
      add(f.cash, amount);
      add(f.equity, amount);
      continue;
    }
    const std::int64_t price = price_of(b.pricing);
    if (price == 0) {
      ++f.unvalued_balances;
      continue;
    }
    add(f.equity, Money::from_raw(exact::mul_scaled(price, amount.raw(), Rounding::Nearest)));
  }
  const auto& positions = tracker_.positions();
  if (plan_.ledger_sums) {
    if (plan_.ledger_sums_overflow) overflow();
    for (const PositionTerm& t : plan_.positions) {
      const Position& p = positions[t.position];
      const Money value = p.mark_value();
      const Money unrealized = sub(value, p.cost_basis());
      if (t.perpetual) add(f.equity, unrealized);
      add(f.gross_exposure, abs(value));
      add(f.net_exposure, value);
      add(f.unrealized_pnl, unrealized);
    }
    plan_.write_sums(f);
  } else {
    for (const PositionTerm& t : plan_.positions) {
      const Position& p = positions[t.position];
      const std::int64_t quote_price = price_of(t.quote);  // 0: none
      auto in_valuation = [&](Money m) {
        if (quote_price == 0 || quote_price == kOne) return m;
        return Money::from_raw(exact::mul_scaled(m.raw(), quote_price, Rounding::Nearest));
      };
      const Money value = in_valuation(p.mark_value());
      const Money unrealized = sub(p.mark_value(), p.cost_basis());
      if (t.perpetual) {
        if (quote_price != 0) add(f.equity, in_valuation(unrealized));
        else if (!p.is_flat()) ++f.unvalued_balances;
      }
      add(f.gross_exposure, abs(value));
      add(f.net_exposure, value);
      add(f.realized_pnl, in_valuation(p.realized_pnl()));
      add(f.unrealized_pnl, in_valuation(unrealized));
      add(f.fees, in_valuation(p.fees()));
      add(f.funding, in_valuation(p.funding()));
      f.fills += p.fill_count();
      f.round_trips += p.round_trips();
      f.wins += p.wins();
      f.losses += p.losses();
      if (!p.is_flat()) ++f.open_positions;
    }
  }
  // The leverage itself is left to fill_ratios(); whether it overflows is part of the valuation.
  if (f.equity.is_positive()) check_ratio(f.gross_exposure.raw(), fixed::kScale, f.equity.raw(), Rounding::Up);
}

void Portfolio::fill_ratios() const {
  PortfolioFigures& f = figures_;
  f.leverage = f.equity.is_positive() ? Rate::from_raw(leverage_.of(f.gross_exposure.raw(), fixed::kScale, f.equity.raw(), Rounding::Up))
                                      : Rate::zero();
  f.drawdown_pct = f.peak_equity.is_positive()
                       ? Rate::from_raw(drawdown_pct_.of(f.drawdown.raw(), 100 * fixed::kScale, f.peak_equity.raw(), Rounding::Up))
                       : Rate::zero();
  f.daily_pnl_pct = f.day_start_equity.is_positive()
                        ? Rate::from_raw(daily_pnl_pct_.of(f.daily_pnl.raw(), 100 * fixed::kScale, f.day_start_equity.raw(), Rounding::Down))
                        : Rate::zero();
  ratios_pending_ = false;
}

void Portfolio::revalue(UnixNanos now_ns, bool ratios) {
  // Nothing moved since the last revalue (the node's timer tick between two bars): within the same UTC
  // day the marks and every figure come out as they are, only the time is new.
  // Settled: the marks come out as they are for an unchanged equity on the same day.
  // The tracker's versions read once: the stores below would otherwise make the compiler read them again.
  const TrackerVersion prices = tracker_.price_version(), ledger = tracker_.ledger_version(),
                       structure = tracker_.structure_version();
  const bool settled = settled_ && tracker_.invariant_broken() == settled_broken_ && now_ns >= marks_.day_start_ns &&
                       now_ns - marks_.day_start_ns < kNanosPerDay;
  // A valid valuation implies a valid plan (both only ever become valid, the plan first).
  const bool plan_current = plan_valid_ && structure == plan_structure_ && fixed_version_ == plan_fixed_version_;
  const bool sums_current = plan_current && ledger == plan_ledger_;
  if (settled && valuation_valid_ && prices == valuation_prices_ && sums_current) {
    figures_.ts_ns = now_ns;
    if (ratios && ratios_pending_) fill_ratios();  // checked in range when they were left pending
    return;
  }
  settled_ = false;
  // The plan follows the ledger, the valuation the prices: a market event that changed no price costs no
  // valuation, and one that did re-values through direct references instead of searches.
  if (!plan_current) {
    build_plan();
    plan_valid_ = true;
    plan_structure_ = structure;
    plan_fixed_version_ = fixed_version_;
  }
  if (!sums_current) {  // a new plan needs its sums too
    sum_ledger();
    prepare_quick();
    plan_ledger_ = ledger;
    valuation_valid_ = false;
  }
  // The valuation is kept in the figures themselves (their valuation fields are written only here), so a
  // market event does not copy it; a reset of the figures below forgets it.
  PortfolioFigures& f = figures_;
  ratios_pending_ = false;  // f is rewritten below: a pending fill must not run on a half-written f
  if (!valuation_valid_ || prices != valuation_prices_) {
    valuation_overflow_ = false;
    try {
      if (!quick_.usable || !value_quick(f)) {
        quick_.ledger_in_figures = false;  // value() rewrites them
        clear_valuation(f);
        value(f);
      }
    } catch (const FixedPointOverflow&) {
      valuation_overflow_ = true;
    }
    valuation_valid_ = true;
    valuation_prices_ = prices;
  }

  // A price moved without moving the equity (nothing open is valued by it): the marks and the figures
  // derived from them stay as the last revalue() left them, their ratios included (in range then). Only
  // the leverage may differ, and it is computed on first read again.
  if (settled && !valuation_overflow_ && f.equity == marks_.last_equity) {
    f.ts_ns = now_ns;
    ratios_pending_ = true;
    if (ratios) fill_ratios();
    settled_ = true;
    return;
  }
  // Computed in place, the marks in locals and stored at the end: this runs on every market event, and
  // copying whole structs through the stack cost as much as the rest. An overflow part-way resets below.
  try {
    if (valuation_overflow_) overflow();
    f.ts_ns = now_ns;
    f.computed = true;
    const Money equity = f.equity;
    // utc_day_start(now_ns), divided only when now_ns leaves the day it was last computed for.
    if (static_cast<std::uint64_t>(now_ns) - static_cast<std::uint64_t>(day_memo_) >= static_cast<std::uint64_t>(kNanosPerDay))
      day_memo_ = utc_day_start(now_ns);
    const UnixNanos day = day_memo_;
    Money peak = marks_.peak_equity;
    UnixNanos day_start = marks_.day_start_ns;
    Money day_start_equity = marks_.day_start_equity;
    if (!marks_.initialized) {
      peak = day_start_equity = equity;
      day_start = day;
    } else if (day > day_start) {
      day_start = day;
      day_start_equity = marks_.last_equity;
    }
    peak = std::max(peak, equity);
    f.peak_equity = peak;
    f.drawdown = sub(peak, equity);
    if (!ratios && peak.is_positive()) check_ratio(f.drawdown.raw(), 100 * fixed::kScale, peak.raw(), Rounding::Up);
    f.day_start_ns = day_start;
    f.day_start_equity = day_start_equity;
    f.daily_pnl = sub(equity, day_start_equity);
    if (!ratios && day_start_equity.is_positive())
      check_ratio(f.daily_pnl.raw(), 100 * fixed::kScale, day_start_equity.raw(), Rounding::Down);
    f.valid = !tracker_.invariant_broken();
    // Computed now (an overflow resets the figures below, before the marks are stored) or on first read.
    ratios_pending_ = true;
    if (ratios) fill_ratios();
    marks_.initialized = true;
    marks_.peak_equity = peak;
    marks_.day_start_ns = day_start;
    marks_.day_start_equity = day_start_equity;
    marks_.last_equity = equity;
    settled_ = true;
    settled_broken_ = !f.valid;
  } catch (const FixedPointOverflow&) {
    f = PortfolioFigures{};
    quick_.ledger_in_figures = false;
    f.ts_ns = now_ns;
    f.computed = true;
    f.valid = false;
    ratios_pending_ = false;  // zero, as a reset leaves them
    valuation_valid_ = false;  // it was in f
  }
}

void Portfolio::rebase_peak() {
  if (marks_.initialized) marks_.peak_equity = marks_.last_equity;
  settled_ = false;
}

void Portfolio::rebase_day() {
  if (marks_.initialized) marks_.day_start_equity = marks_.last_equity;
  settled_ = false;
}

void Portfolio::restore_marks(const EquityMarks& marks) {
  marks_ = marks;
  settled_ = false;
}

PortfolioSnapshot Portfolio::snapshot() const {
  PortfolioSnapshot s;
  s.figures = figures();
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
