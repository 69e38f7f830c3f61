// CircuitBreaker: trips on drawdown from peak, the UTC day's loss, consecutive venue rejects/errors, stale
// market data on an instrument with exposure, a venue disconnected too long, a broken invariant, a manual
// trip or an emergency stop. Tripped means Reducing: only reduce-only orders that reduce pass the gate.
// It stays tripped for the cooldown, then needs an explicit reset (auto re-arm, if configured, applies
// only to automatic trips whose condition has cleared). Pure: time is an argument.
// Invariant: BreakerState holds everything needed to resume (encode/decode for the journal); restoring a
// tripped state yields a tripped breaker with the same cooldown, so a restart never bypasses it.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "core/clock.h"
#include "core/enums.h"
#include "core/result.h"
#include "portfolio/portfolio.h"
#include "portfolio/position_tracker.h"
#include "risk/risk_gate.h"

namespace tradingd {

enum class TripReason : std::uint8_t {
  None,
  Drawdown,
  DailyLoss,
  ConsecutiveRejects,
  StaleMarketData,
  VenueDisconnected,
  InvariantBroken,
  Manual,
  EmergencyStop,
};
inline constexpr std::size_t kTripReasonCount = static_cast<std::size_t>(TripReason::EmergencyStop) + 1;
std::string_view to_string(TripReason r);
std::optional<TripReason> parse_trip_reason(std::string_view s);
// Automatic trips may auto re-arm; manual, emergency and invariant trips always need an explicit reset.
constexpr bool is_automatic(TripReason r) {
  return r == TripReason::Drawdown || r == TripReason::DailyLoss || r == TripReason::ConsecutiveRejects ||
         r == TripReason::StaleMarketData || r == TripReason::VenueDisconnected;
}

struct BreakerState {
  bool tripped = false;
  TripReason reason = TripReason::None;
  std::string detail;             // "drawdown 10.2% >= max_drawdown_pct 10"
  UnixNanos tripped_at_ns = 0;
  UnixNanos rearmed_at_ns = 0;    // last reset: staleness and disconnects count from here at the earliest
  std::uint32_t consecutive_rejects = 0;
  std::uint64_t trips_total = 0;

  // One line, "v1;tripped=1;reason=drawdown;...;detail=<percent-encoded>", for the journal.
  std::string encode() const;
  static std::optional<BreakerState> decode(std::string_view text);
  friend bool operator==(const BreakerState&, const BreakerState&) = default;
};

// What a trip asks of the engine (from config): cancel open orders, flatten positions.
struct TripEvent {
  TripReason reason = TripReason::None;
  std::string detail;
  UnixNanos ts_ns = 0;
  bool cancel_orders = false;
  bool flatten = false;
};

enum class ResetError : std::uint8_t { NotTripped, CoolingDown };
std::string_view to_string(ResetError e);

// What a reset acknowledged: the caller rebases the portfolio's references for these conditions so the
// acknowledged loss does not trip the breaker again at once.
struct ResetOutcome {
  TripReason was = TripReason::None;
  bool rebase_peak = false;
  bool rebase_day = false;
};

class CircuitBreaker {
 public:
  explicit CircuitBreaker(const config::RiskConfig& config, BreakerState restored = {});

  // Drawdown and daily loss from the portfolio's figures; invalid figures are a broken invariant, figures
  // never computed are ignored.
  std::optional<TripEvent> on_portfolio(const PortfolioFigures& figures, UnixNanos now_ns);
  // A venue reject or venue error; the Nth in a row trips. An acceptance ends the run.
  std::optional<TripEvent> on_order_rejected(UnixNanos now_ns);
  void on_order_accepted();
  void on_venue_connection(Venue venue, bool connected, UnixNanos ts_ns);
  // Positions with exposure whose latest price (or, without any, latest fill) is older than the limit.
  std::optional<TripEvent> check_market_data(const PositionTracker& tracker, UnixNanos now_ns);
  std::optional<TripEvent> check_venues(UnixNanos now_ns);
  // Everything above plus auto re-arm; what the engine calls on each portfolio update and on a timer.
  std::optional<TripEvent> evaluate(const PortfolioFigures& figures, const PositionTracker& tracker, UnixNanos now_ns);
  // Whether evaluate() would change nothing and return nothing: not tripped, no limit reached, no venue
  // disconnected, no position stale. What runs on every market event; evaluate() only when it is false.
  bool at_rest(const PortfolioFigures& f, const PositionTracker& tracker, UnixNanos now_ns) const {
    if (state_.tripped || disconnected_mask_ != 0) return false;
    if (f.computed && (!f.valid || drawdown_breached(f) || daily_loss_breached(f))) return false;
    if (config_.stale_market_data_s > 0 && !stale_checked(tracker, now_ns)) {
      UnixNanos since = 0;
      return stale_position(tracker, now_ns, since) == nullptr;
    }
    return true;
  }

  // Trips unless already tripped (the first reason stays). Returns the event when this call tripped it.
  std::optional<TripEvent> trip(TripReason reason, std::string detail, UnixNanos now_ns);
  // Explicit reset (control API, signal): refused while not tripped or during the cooldown.
  Result<ResetOutcome, ResetError> reset(UnixNanos now_ns);

  bool tripped() const { return state_.tripped; }
  TradingState trading_state() const { return state_.tripped ? TradingState::Reducing : TradingState::Active; }
  UnixNanos cooldown_ends_ns() const;
  const BreakerState& state() const { return state_; }
  // Bumped on every state change: the engine journals state() when it moves.
  std::uint64_t version() const { return version_; }
  const std::array<std::uint64_t, kTripReasonCount>& trips_by_reason() const { return trips_by_reason_; }

 private:
  std::optional<TripEvent> do_trip(TripReason reason, std::string detail, UnixNanos now_ns);
  // Whether an automatic trip's condition still holds (for auto re-arm).
  bool condition_holds(TripReason reason, const PortfolioFigures& figures, const PositionTracker& tracker,
                       UnixNanos now_ns) const;
  // Each condition is a cheap test on the path that runs on every market event; the human detail is built
  // only when it trips.
  bool drawdown_breached(const PortfolioFigures& f) const {
    return config_.max_drawdown_pct.is_positive() && f.peak_equity.is_positive() &&
           reaches(f.drawdown.raw(), f.peak_equity, config_.max_drawdown_pct);
  }
  std::string drawdown_detail(const PortfolioFigures& f) const;
  bool daily_loss_breached(const PortfolioFigures& f) const {
    return config_.daily_loss_limit_pct.is_positive() && f.day_start_equity.is_positive() && f.daily_pnl.is_negative() &&
           reaches(-f.daily_pnl.raw(), f.day_start_equity, config_.daily_loss_limit_pct);  // never INT64_MIN
  }
  std::string daily_loss_detail(const PortfolioFigures& f) const;
  // part / whole ≥ pct / 100 exactly (whole, pct > 0): part · 100 · 10^9 ≥ whole · pct in 128 bits, two
  // multiplications and no division.
  static bool reaches(std::int64_t part, Money whole, Rate pct) {
    __extension__ typedef __int128 i128;
    return static_cast<i128>(part) * (100 * fixed::kScale) >= static_cast<i128>(whole.raw()) * pct.raw();
  }
  // The first position with exposure whose market data is stale (and since when), or nullptr.
  const Position* stale_position(const PositionTracker& tracker, UnixNanos now_ns, UnixNanos& since) const;
  // No position can be stale yet: the kept scan still holds (same key) and its earliest deadline is ahead.
  // The key's re-arm time is not compared here: it only grows and a later one only moves deadlines later, so
  // a scan kept from before a re-arm still answers right (a re-arm drops it anyway, to rescan from then).
  bool stale_checked(const PositionTracker& tracker, UnixNanos now_ns) const {
    return stale_key_valid_ && now_ns <= stale_deadline_ && stale_key_.priced == tracker.prices().size() &&
           stale_key_.ledger == tracker.ledger_version();
  }
  std::string stale_detail(const Position& p, UnixNanos since, UnixNanos now_ns) const;
  // The first venue disconnected too long (and since when), or -1.
  int disconnected_venue(UnixNanos now_ns, UnixNanos& since) const;
  std::string venue_detail(int venue, UnixNanos since, UnixNanos now_ns) const;

  config::RiskConfig config_;
  BreakerState state_;
  std::array<std::optional<UnixNanos>, 4> disconnected_since_{};  // per Venue
  std::uint8_t disconnected_mask_ = 0;  // bit v: disconnected_since_[v] is set (none: nothing to scan)
  // The staleness scan, run on every market event, needs only be redone once the earliest time a position
  // could turn stale has passed: every input of a position's "since" only moves later (prices keep their
  // latest time, the re-arm time only grows) except those named in StaleKey, which redo it when they move
  // (a fill opens a position, an instrument's first price replaces its last-fill time, a restore). Under
  // one key the open positions and where their prices are stay put (positions only move on registration,
  // a ledger change; price slots only when one is added, a change of MarketPrices::size()), so a scan
  // under the same key walks the open positions it listed instead of finding each one's prices again.
  struct StaleEntry {
    const Position* position;
    const InstrumentPrices* prices;  // nullptr: none stored for it
  };
  struct StaleKey {
    TrackerVersion ledger;
    std::size_t priced = 0;  // MarketPrices::size()
    UnixNanos rearmed_at_ns = 0;
    friend bool operator==(const StaleKey&, const StaleKey&) = default;
  };
  mutable std::vector<StaleEntry> stale_open_;
  mutable StaleKey stale_key_;
  mutable bool stale_key_valid_ = false;
  mutable UnixNanos stale_deadline_ = 0;  // no position is stale while now ≤ this (saturated)
  std::array<std::uint64_t, kTripReasonCount> trips_by_reason_{};
  std::uint64_t version_ = 0;
};

}  // namespace tradingd
