// RiskGuard checks, in order: known instrument → Halted → blocked instrument → reduce-only fast path →
// breaker (Reducing) → reference price → instrument rules → price band → order notional → position,
// open-position, gross-exposure and leverage limits (only when the order increases the position) → rates.
// Denial details are built only on the deny path; the allow path does not allocate.
#include "risk/risk_guard.h"

#include <algorithm>

#include "portfolio/exact_math.h"

namespace tradingd {
namespace {

__extension__ typedef __int128 i128;

RiskDenial deny(RiskDenyReason reason, std::string detail) { return RiskDenial{reason, std::move(detail)}; }

// value > base · pct / 100, exactly.
bool exceeds_pct(Money value, Money base, Rate pct) {
  return static_cast<i128>(value.raw()) * 100 * fixed::kScale > static_cast<i128>(base.raw()) * pct.raw();
}

bool is_priced(OrderType t) { return t == OrderType::Limit || t == OrderType::StopLimit; }
bool is_market_like(OrderType t) { return t == OrderType::Market || t == OrderType::StopMarket; }
// Whether the order names a price the band applies to (a market order names none).
bool names_band_price(const OrderIntentView& o) { return (is_priced(o.type) && o.price) || o.trigger_price; }

}  // namespace

RiskGuard::RiskGuard(const config::RiskConfig& config, const Clock& clock, const PositionTracker& tracker, Portfolio& portfolio)
    : config_(config),
      clock_(clock),
      tracker_(tracker),
      portfolio_(portfolio),
      breaker_(config),
      limiter_(OrderRateLimits{config.max_orders_per_second,
                               config.max_orders_per_second_total > 0 ? config.max_orders_per_second_total : config.max_orders_per_second,
                               config.max_orders_per_day,
                               config.max_orders_per_day_total > 0 ? config.max_orders_per_day_total : config.max_orders_per_day}) {}

TradingState RiskGuard::trading_state() const {
  if (halted_ || tracker_.invariant_broken()) return TradingState::Halted;
  return breaker_.trading_state();
}

std::optional<RiskDenial> RiskGuard::check_order(const OrderIntentView& order) {
  ++counters_.checks;
  // The answer is built where the caller receives it (no move through a second optional per order).
  try {
    std::optional<RiskDenial> d = run_checks(order);
    if (d) ++counters_.denied[static_cast<std::size_t>(d->reason)];
    else ++counters_.allowed;
    return d;
  } catch (const FixedPointOverflow& e) {
    ++counters_.denied[static_cast<std::size_t>(RiskDenyReason::InternalError)];
    return deny(RiskDenyReason::InternalError, std::string("fixed-point overflow while checking: ") + e.what());
  }
}

std::optional<RiskDenial> RiskGuard::run_checks(const OrderIntentView& o) {
  if (!o.instrument) [[unlikely]]
    return deny(RiskDenyReason::UnknownInstrument, "order without an instrument");
  const Instrument& inst = *o.instrument;
  const Position* pos = tracker_.find(inst.id);
  if (!pos) [[unlikely]]
    return deny(RiskDenyReason::UnknownInstrument, inst.id.to_string() + " is not tracked by the portfolio");

  if (trading_state() == TradingState::Halted) [[unlikely]]
    return deny(RiskDenyReason::TradingHalted,
                halted_ ? "trading halted: " + halt_reason_ : std::string("trading halted: portfolio invariant broken"));
  // A reconciliation block stops new risk, not its reduction: closing a mismatched position stays possible.
  if (o.reduce_only) return check_reduce_only(o, *pos);
  if (blocks_.is_blocked(inst.id)) [[unlikely]]
    return deny(RiskDenyReason::InstrumentBlocked, inst.id.to_string() + " blocked: " + blocks_.entries().at(inst.id).reason);

  if (breaker_.tripped()) [[unlikely]]
    return deny(RiskDenyReason::CircuitBreakerTripped, "circuit breaker tripped (" + std::string(to_string(breaker_.state().reason)) +
                                                           "): only reduce-only orders are accepted");

  const auto reference = tracker_.reference_price(inst.id);
  if (!reference) [[unlikely]]
    return deny(RiskDenyReason::NoReferencePrice, "no market price for " + inst.id.to_string() + " yet");

  Price order_price = *reference;
  if (is_priced(o.type)) {
    if (!o.price) return deny(RiskDenyReason::InstrumentRules, std::string(to_string(o.type)) + " order without a limit price");
    order_price = *o.price;
  } else if (o.type == OrderType::StopMarket && o.trigger_price) {
    order_price = *o.trigger_price;
  }
  if (auto v = check_rules(inst, order_price, o.quantity, is_market_like(o.type))) [[unlikely]]
    return deny(RiskDenyReason::InstrumentRules, inst.id.to_string() + ": " + std::string(to_string(*v)) + " (quantity " +
                                                     o.quantity.to_string() + ", price " + order_price.to_string() + ")");
  if (names_band_price(o))
    if (auto d = check_price_band(inst, *reference, o)) return d;

  const Money order_notional = inst.notional_of(order_price, o.quantity);
  if (config_.max_order_notional.is_positive() && order_notional > config_.max_order_notional) [[unlikely]]
    return deny(RiskDenyReason::MaxOrderNotional,
                "notional " + order_notional.to_string() + " > max_order_notional " + config_.max_order_notional.to_string());

  if (auto d = check_exposure(o, *pos, *reference)) return d;
  return limiter_.check(inst.id.venue, clock_.monotonic_ns(), clock_.now_ns());
}

std::optional<RiskDenial> RiskGuard::check_reduce_only(const OrderIntentView& o, const Position& pos) {
  const Instrument& inst = *o.instrument;
  const bool reduces = !pos.is_flat() && pos.quantity().is_positive() != (o.side == Side::Buy);
  if (!reduces)
    return deny(RiskDenyReason::ReduceOnlyWouldIncrease, "reduce-only " + std::string(to_string(o.side)) + " " +
                                                             o.quantity.to_string() + " against position " +
                                                             pos.quantity().to_string() + " of " + inst.id.to_string());
  // Closing risk is always allowed: no limit, rate or breaker applies. The order must still be well-formed
  // (step, tick); the minimum notional does not apply (venues exempt reduce-only, and dust must be closable).
  std::optional<Price> price;
  if (is_priced(o.type)) price = o.price;
  if (auto v = check_rules(inst, price, o.quantity, is_market_like(o.type)); v && *v != InstrumentRuleViolation::NotionalBelowMinimum)
    return deny(RiskDenyReason::InstrumentRules, inst.id.to_string() + ": " + std::string(to_string(*v)));
  if (names_band_price(o))
    if (const auto reference = tracker_.reference_price(inst.id))
      if (auto d = check_price_band(inst, *reference, o)) return d;
  return std::nullopt;
}

std::optional<RiskDenial> RiskGuard::check_price_band(const Instrument& inst, Price reference, const OrderIntentView& o) const {
  if (!config_.price_band_pct.is_positive()) return std::nullopt;
  for (const std::optional<Price>& p : {is_priced(o.type) ? o.price : std::nullopt, o.trigger_price}) {
    if (!p) continue;
    const Money distance = Money::from_raw((*p - reference).abs().raw());
    if (exceeds_pct(distance, Money::from_raw(reference.raw()), config_.price_band_pct))
      return deny(RiskDenyReason::PriceBand, inst.id.to_string() + ": price " + p->to_string() + " is more than " +
                                                 config_.price_band_pct.to_string() + "% from reference " +
                                                 reference.to_string() + " (price_band_pct)");
  }
  return std::nullopt;
}

std::optional<RiskDenial> RiskGuard::check_exposure(const OrderIntentView& o, const Position& pos, Price reference) {
  const Instrument& inst = *o.instrument;
  const int s = sign(o.side);
  const Quantity resting = open_orders_ ? open_orders_->open_quantity(inst.id, o.side) : Quantity::zero();
  const Quantity current = pos.quantity();
  // Worst case: this order and every resting order on its side fill.
  const Quantity projected = current + (o.quantity + resting) * s;
  if (projected.abs() <= current.abs()) return std::nullopt;  // reduces (or keeps) the position: no limit applies

  const Money new_notional = inst.notional_of(reference, projected).abs();
  if (config_.max_position_notional.is_positive() && new_notional > config_.max_position_notional)
    return deny(RiskDenyReason::MaxPositionNotional, inst.id.to_string() + ": position notional would be " + new_notional.to_string() +
                                                         " > max_position_notional " + config_.max_position_notional.to_string());
  const PortfolioFigures& f = portfolio_.values();  // equity and valid: the ratios are not needed
  const Money equity = f.valid ? f.equity : Money::zero();
  if (config_.max_position_pct_equity.is_positive() &&
      (!equity.is_positive() || exceeds_pct(new_notional, equity, config_.max_position_pct_equity)))
    return deny(RiskDenyReason::MaxPositionPctEquity, inst.id.to_string() + ": position notional would be " + new_notional.to_string() +
                                                          ", more than max_position_pct_equity " +
                                                          config_.max_position_pct_equity.to_string() + "% of equity " + equity.to_string());
  if (current.is_zero() && config_.max_open_positions > 0 &&
      tracker_.open_position_count() >= static_cast<std::size_t>(config_.max_open_positions))
    return deny(RiskDenyReason::MaxOpenPositions, std::to_string(tracker_.open_position_count()) +
                                                      " positions open >= max_open_positions " +
                                                      std::to_string(config_.max_open_positions));

  // Gross exposure now (fresh from the positions), with this instrument replaced by its projected size.
  Money gross;
  for (const Position& p : tracker_.positions()) gross += p.notional();
  gross = gross - pos.notional() + new_notional;
  if (config_.max_gross_exposure.is_positive() && gross > config_.max_gross_exposure)
    return deny(RiskDenyReason::MaxGrossExposure,
                "gross exposure would be " + gross.to_string() + " > max_gross_exposure " + config_.max_gross_exposure.to_string());
  if (config_.max_leverage.is_positive() &&
      (!equity.is_positive() ||
       static_cast<i128>(gross.raw()) * fixed::kScale > static_cast<i128>(equity.raw()) * config_.max_leverage.raw()))
    return deny(RiskDenyReason::MaxLeverage, "leverage would be gross " + gross.to_string() + " / equity " + equity.to_string() +
                                                 " > max_leverage " + config_.max_leverage.to_string());
  return std::nullopt;
}

void RiskGuard::on_order_sent(const OrderIntentView& o) {
  if (o.instrument) limiter_.record(o.instrument->id.venue, clock_.monotonic_ns(), clock_.now_ns());
}

void RiskGuard::on_order_rejected(const InstrumentId&, UnixNanos ts_ns) { push(breaker_.on_order_rejected(ts_ns)); }

void RiskGuard::on_order_accepted(const InstrumentId&, UnixNanos) { breaker_.on_order_accepted(); }

void RiskGuard::on_venue_connection(Venue venue, bool connected, UnixNanos ts_ns) {
  breaker_.on_venue_connection(venue, connected, ts_ns);
}

void RiskGuard::evaluate(UnixNanos now_ns) {
  // values(): the breaker reads no ratio, so their divisions wait for a reader that does.
  if (!tracker_.invariant_broken() && breaker_.at_rest(portfolio_.values(), tracker_, now_ns)) return;
  evaluate_breaker(now_ns);
}

void RiskGuard::evaluate_breaker(UnixNanos now_ns) {
  if (tracker_.invariant_broken())
    push(breaker_.trip(TripReason::InvariantBroken, "position tracker overflow: positions cannot be trusted", now_ns));
  if (auto e = breaker_.evaluate(portfolio_.values(), tracker_, now_ns)) pending_trips_.push_back(std::move(*e));
}

void RiskGuard::trip_breaker(TripReason reason, std::string detail, UnixNanos now_ns) {
  push(breaker_.trip(reason, std::move(detail), now_ns));
}

Result<ResetOutcome, ResetError> RiskGuard::reset_breaker(UnixNanos now_ns) {
  auto r = breaker_.reset(now_ns);
  if (r) {
    if (r->rebase_peak) portfolio_.rebase_peak();
    if (r->rebase_day) portfolio_.rebase_day();
  }
  return r;
}

void RiskGuard::halt(std::string reason) {
  halted_ = true;
  halt_reason_ = std::move(reason);
}

void RiskGuard::resume() {
  halted_ = false;
  halt_reason_.clear();
}

void RiskGuard::push(std::optional<TripEvent> e) {
  if (e) pending_trips_.push_back(std::move(*e));
}

std::vector<TripEvent> RiskGuard::take_trip_events() {
  std::vector<TripEvent> out;
  out.swap(pending_trips_);
  return out;
}

void RiskGuard::restore(const BreakerState& breaker, const EquityMarks& marks) {
  breaker_ = CircuitBreaker(config_, breaker);
  portfolio_.restore_marks(marks);
}

RiskSnapshot RiskGuard::snapshot() const {
  RiskSnapshot s;
  s.state = trading_state();
  s.halt_reason = halt_reason_;
  s.breaker = breaker_.state();
  s.cooldown_ends_ns = breaker_.tripped() ? breaker_.cooldown_ends_ns() : 0;
  s.counters = counters_;
  s.trips_by_reason = breaker_.trips_by_reason();
  for (const auto& [id, b] : blocks_.entries()) s.blocks.emplace_back(id, b);
  const UnixNanos now = clock_.now_ns();
  for (std::size_t v = 0; v < s.orders_today_by_venue.size(); ++v)
    s.orders_today_by_venue[v] = limiter_.sent_today(static_cast<Venue>(v), now);
  s.orders_today_total = limiter_.sent_today_total(now);
  return s;
}

}  // namespace tradingd
