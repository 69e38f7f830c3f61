// Circuit breaker conditions and state. Thresholds compare exactly in 128-bit integers (no percentages
// rounded first), so "≥ 10%" means exactly that.
#include "risk/circuit_breaker.h"

#include <algorithm>
#include <charconv>
#include <vector>

namespace tradingd {
namespace {

__extension__ typedef __int128 i128;

std::string pct_text(Money part, Money whole) {
  // For the human detail only: two decimals, rounded down.
  const i128 bp = static_cast<i128>(part.raw()) * 10000 / whole.raw();
  return Rate::from_raw(static_cast<std::int64_t>(bp) * (fixed::kScale / 100)).to_string() + "%";
}

std::string percent_encode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (c == '%' || c == ';' || c == '=' || c < 0x20 || c == 0x7f) {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

std::optional<std::string> percent_decode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out += s[i];
      continue;
    }
    if (i + 2 >= s.size()) return std::nullopt;
    unsigned v = 0;
    auto [p, ec] = std::from_chars(s.data() + i + 1, s.data() + i + 3, v, 16);
    if (ec != std::errc{} || p != s.data() + i + 3) return std::nullopt;
    out += static_cast<char>(v);
    i += 2;
  }
  return out;
}

template <class T>
bool parse_int(std::string_view s, T& out) {
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc{} && p == s.data() + s.size();
}

constexpr std::array<std::string_view, kTripReasonCount> kReasonNames = {
    "none", "drawdown", "daily_loss", "consecutive_rejects", "stale_market_data", "venue_disconnected",
    "invariant_broken", "manual", "emergency_stop"};

}  // namespace

std::string_view to_string(TripReason r) {
  const auto i = static_cast<std::size_t>(r);
  return i < kReasonNames.size() ? kReasonNames[i] : "unknown";
}

std::optional<TripReason> parse_trip_reason(std::string_view s) {
  for (std::size_t i = 0; i < kReasonNames.size(); ++i)
    if (kReasonNames[i] == s) return static_cast<TripReason>(i);
  return std::nullopt;
}

std::string_view to_string(ResetError e) {
  return e == ResetError::NotTripped ? "not_tripped" : "cooling_down";
}

std::string BreakerState::encode() const {
  std::string s = "v1;tripped=";
  s += tripped ? "1" : "0";
  s += ";reason=" + std::string(to_string(reason));
  s += ";tripped_at_ns=" + std::to_string(tripped_at_ns);
  s += ";rearmed_at_ns=" + std::to_string(rearmed_at_ns);
  s += ";consecutive_rejects=" + std::to_string(consecutive_rejects);
  s += ";trips_total=" + std::to_string(trips_total);
  s += ";detail=" + percent_encode(detail);
  return s;
}

std::optional<BreakerState> BreakerState::decode(std::string_view text) {
  std::vector<std::string_view> fields;
  while (!text.empty()) {
    const auto semi = text.find(';');
    fields.push_back(text.substr(0, semi));
    if (semi == std::string_view::npos) break;
    text.remove_prefix(semi + 1);
  }
  if (fields.size() != 8 || fields[0] != "v1") return std::nullopt;
  BreakerState st;
  constexpr std::array<std::string_view, 7> kKeys = {"tripped", "reason", "tripped_at_ns", "rearmed_at_ns",
                                                     "consecutive_rejects", "trips_total", "detail"};
  for (std::size_t i = 0; i < kKeys.size(); ++i) {
    const std::string_view f = fields[i + 1];
    const auto eq = f.find('=');
    if (eq == std::string_view::npos || f.substr(0, eq) != kKeys[i]) return std::nullopt;
    const std::string_view v = f.substr(eq + 1);
    bool ok = true;
    switch (i) {
      case 0:
        ok = v == "0" || v == "1";
        st.tripped = v == "1";
        break;
      case 1: {
        auto r = parse_trip_reason(v);
        ok = r.has_value();
        if (r) st.reason = *r;
        break;
      }
      case 2: ok = parse_int(v, st.tripped_at_ns); break;
      case 3: ok = parse_int(v, st.rearmed_at_ns); break;
      case 4: ok = parse_int(v, st.consecutive_rejects); break;
      case 5: ok = parse_int(v, st.trips_total); break;
      case 6: {
        auto d = percent_decode(v);
        ok = d.has_value();
        if (d) st.detail = std::move(*d);
        break;
      }
    }
    if (!ok) return std::nullopt;
  }
  // A tripped state must say why; an untripped one must not (a corrupt record is rejected, not guessed).
  if (st.tripped == (st.reason == TripReason::None)) return std::nullopt;
  return st;
}

CircuitBreaker::CircuitBreaker(const config::RiskConfig& config, BreakerState restored)
    : config_(config), state_(std::move(restored)) {}

UnixNanos CircuitBreaker::cooldown_ends_ns() const {
  return state_.tripped_at_ns + std::max<std::int64_t>(config_.breaker_cooldown_s, 0) * kNanosPerSecond;
}

std::optional<TripEvent> CircuitBreaker::do_trip(TripReason reason, std::string detail, UnixNanos now_ns) {
  if (state_.tripped) return std::nullopt;
  state_.tripped = true;
  state_.reason = reason;
  state_.detail = detail;
  state_.tripped_at_ns = now_ns;
  ++state_.trips_total;
  ++trips_by_reason_[static_cast<std::size_t>(reason)];
  ++version_;
  return TripEvent{reason, std::move(detail), now_ns, config_.cancel_orders_on_trip, config_.flatten_on_trip};
}

std::optional<TripEvent> CircuitBreaker::trip(TripReason reason, std::string detail, UnixNanos now_ns) {
  if (reason == TripReason::None) reason = TripReason::Manual;
  return do_trip(reason, std::move(detail), now_ns);
}

std::string CircuitBreaker::drawdown_detail(const PortfolioFigures& f) const {
  return "drawdown " + pct_text(f.drawdown, f.peak_equity) + " from peak " + f.peak_equity.to_string() +
         " >= max_drawdown_pct " + config_.max_drawdown_pct.to_string();
}

std::string CircuitBreaker::daily_loss_detail(const PortfolioFigures& f) const {
  const Money loss = -f.daily_pnl;
  return "daily loss " + loss.to_string() + " (" + pct_text(loss, f.day_start_equity) + " of " +
         f.day_start_equity.to_string() + ") >= daily_loss_limit_pct " + config_.daily_loss_limit_pct.to_string();
}

const Position* CircuitBreaker::stale_position(const PositionTracker& tracker, UnixNanos now_ns, UnixNanos& since) const {
  if (config_.stale_market_data_s <= 0) return nullptr;
  const std::int64_t limit_ns = config_.stale_market_data_s * kNanosPerSecond;
  const StaleKey key{tracker.ledger_version(), tracker.prices().size(), state_.rearmed_at_ns};
  if (!stale_key_valid_ || !(key == stale_key_)) {
    stale_open_.clear();
    for (const Position& p : tracker.positions())
      if (!p.is_flat()) stale_open_.push_back({&p, tracker.prices().find(p.id())});
    stale_key_ = key;
    stale_key_valid_ = true;
  } else if (now_ns <= stale_deadline_) {
    return nullptr;
  }
  // The scan, which also finds the earliest deadline for the calls after it.
  const Position* first = nullptr;
  UnixNanos deadline = INT64_MAX;
  for (const StaleEntry& e : stale_open_) {
    // MarketPrices::last_update_ns(id).value_or(last fill), without the optional.
    const InstrumentPrices* prices = e.prices;
    UnixNanos s = prices && (prices->has_last || prices->has_mark || prices->has_quote) ? prices->latest_ts_ns()
                                                                                          : e.position->last_fill_ns();
    s = std::max(s, state_.rearmed_at_ns);
    if (first == nullptr && now_ns - s > limit_ns) {
      first = e.position;
      since = s;
    }
    // Stale once now − s > limit, i.e. now > s + limit.
    UnixNanos d;
    if (__builtin_add_overflow(s, limit_ns, &d)) d = INT64_MAX;
    deadline = std::min(deadline, d);
  }
  stale_deadline_ = deadline;
  return first;
}

std::string CircuitBreaker::stale_detail(const Position& p, UnixNanos since, UnixNanos now_ns) const {
  return "market data for " + p.id().to_string() + " (open position " + p.quantity().to_string() + ") stale for " +
         std::to_string((now_ns - since) / kNanosPerSecond) + " s > stale_market_data_s " +
         std::to_string(config_.stale_market_data_s);
}

int CircuitBreaker::disconnected_venue(UnixNanos now_ns, UnixNanos& since) const {
  if (config_.venue_disconnect_s <= 0 || disconnected_mask_ == 0) return -1;
  for (std::size_t v = 0; v < disconnected_since_.size(); ++v) {
    if (!disconnected_since_[v]) continue;
    since = std::max(*disconnected_since_[v], state_.rearmed_at_ns);
    if (now_ns - since > config_.venue_disconnect_s * kNanosPerSecond) return static_cast<int>(v);
  }
  return -1;
}

std::string CircuitBreaker::venue_detail(int venue, UnixNanos since, UnixNanos now_ns) const {
  return std::string(to_string(static_cast<Venue>(venue))) + " disconnected for " +
         std::to_string((now_ns - since) / kNanosPerSecond) + " s > venue_disconnect_s " +
         std::to_string(config_.venue_disconnect_s);
}

std::optional<TripEvent> CircuitBreaker::on_portfolio(const PortfolioFigures& f, UnixNanos now_ns) {
  if (!f.computed) return std::nullopt;  // the portfolio has not been valued yet: nothing to judge
  if (!f.valid) return do_trip(TripReason::InvariantBroken, "portfolio figures invalid (fixed-point overflow)", now_ns);
  if (drawdown_breached(f)) return do_trip(TripReason::Drawdown, drawdown_detail(f), now_ns);
  if (daily_loss_breached(f)) return do_trip(TripReason::DailyLoss, daily_loss_detail(f), now_ns);
  return std::nullopt;
}

std::optional<TripEvent> CircuitBreaker::on_order_rejected(UnixNanos now_ns) {
  ++state_.consecutive_rejects;
  ++version_;
  const int limit = config_.max_consecutive_rejects;
  if (limit <= 0 || state_.consecutive_rejects < static_cast<std::uint32_t>(limit)) return std::nullopt;
  return do_trip(TripReason::ConsecutiveRejects,
                 std::to_string(state_.consecutive_rejects) + " consecutive order rejects/venue errors >= max_consecutive_rejects " +
                     std::to_string(limit),
                 now_ns);
}

void CircuitBreaker::on_order_accepted() {
  if (state_.consecutive_rejects == 0) return;
  state_.consecutive_rejects = 0;
  ++version_;
}

void CircuitBreaker::on_venue_connection(Venue venue, bool connected, UnixNanos ts_ns) {
  const std::size_t v = static_cast<std::size_t>(venue) % disconnected_since_.size();
  auto& since = disconnected_since_[v];
  if (connected) since.reset();
  else if (!since) since = ts_ns;  // the first disconnect counts; repeated reports do not restart the clock
  if (since) disconnected_mask_ |= static_cast<std::uint8_t>(1u << v);
  else disconnected_mask_ &= static_cast<std::uint8_t>(~(1u << v));
}

std::optional<TripEvent> CircuitBreaker::check_market_data(const PositionTracker& tracker, UnixNanos now_ns) {
  UnixNanos since = 0;
  if (const Position* p = stale_position(tracker, now_ns, since))
    return do_trip(TripReason::StaleMarketData, stale_detail(*p, since, now_ns), now_ns);
  return std::nullopt;
}

std::optional<TripEvent> CircuitBreaker::check_venues(UnixNanos now_ns) {
  UnixNanos since = 0;
  if (const int v = disconnected_venue(now_ns, since); v >= 0)
    return do_trip(TripReason::VenueDisconnected, venue_detail(v, since, now_ns), now_ns);
  return std::nullopt;
}

bool CircuitBreaker::condition_holds(TripReason reason, const PortfolioFigures& f, const PositionTracker& tracker,
                                     UnixNanos now_ns) const {
  switch (reason) {
    case TripReason::Drawdown: return !f.valid || drawdown_breached(f);
    case TripReason::DailyLoss: return !f.valid || daily_loss_breached(f);
    case TripReason::StaleMarketData: {
      UnixNanos since = 0;
      return stale_position(tracker, now_ns, since) != nullptr;
    }
    case TripReason::VenueDisconnected: {
      UnixNanos since = 0;
      return disconnected_venue(now_ns, since) >= 0;
    }
    case TripReason::ConsecutiveRejects: return false;  // nothing to wait for: the cooldown was the pause
    default: return true;
  }
}

std::optional<TripEvent> CircuitBreaker::evaluate(const PortfolioFigures& f, const PositionTracker& tracker, UnixNanos now_ns) {
  if (state_.tripped && config_.breaker_auto_rearm && is_automatic(state_.reason) && now_ns >= cooldown_ends_ns() &&
      !condition_holds(state_.reason, f, tracker, now_ns)) {
    // Re-arm without rebasing: the condition cleared on its own (equity recovered, a new UTC day began,
    // data or the venue came back). Counting for staleness and disconnects restarts now.
    state_.tripped = false;
    state_.reason = TripReason::None;
    state_.detail.clear();
    state_.rearmed_at_ns = now_ns;
    stale_key_valid_ = false;  // the kept scan counted from the earlier re-arm time
    state_.consecutive_rejects = 0;
    ++version_;
  }
  // Tripped: do_trip would ignore any breach, so do not build their detail texts on every evaluation.
  if (state_.tripped) return std::nullopt;
  // on_portfolio, check_market_data and check_venues in that order, each a test that builds nothing
  // unless it trips: this runs after every market event.
  if (f.computed) {
    if (!f.valid || drawdown_breached(f) || daily_loss_breached(f)) return on_portfolio(f, now_ns);
  }
  UnixNanos since = 0;
  if (const Position* p = stale_position(tracker, now_ns, since))
    return do_trip(TripReason::StaleMarketData, stale_detail(*p, since, now_ns), now_ns);
  if (disconnected_mask_ == 0) return std::nullopt;
  return check_venues(now_ns);
}

Result<ResetOutcome, ResetError> CircuitBreaker::reset(UnixNanos now_ns) {
  if (!state_.tripped) return Err{ResetError::NotTripped};
  if (now_ns < cooldown_ends_ns()) return Err{ResetError::CoolingDown};
  ResetOutcome out{state_.reason, state_.reason == TripReason::Drawdown, state_.reason == TripReason::DailyLoss};
  state_.tripped = false;
  state_.reason = TripReason::None;
  state_.detail.clear();
  state_.rearmed_at_ns = now_ns;
  stale_key_valid_ = false;  // the kept scan counted from the earlier re-arm time
  state_.consecutive_rejects = 0;
  ++version_;
  return out;
}

}  // namespace tradingd
