// Portfolio: the account-level figures derived from a PositionTracker, in one valuation asset (USDT by
// default): equity, cash, exposure, leverage, peak equity and drawdown, the UTC-day PnL, trade counts, and
// the snapshot the metrics layer and the control API read (labels bounded: one row per registered
// instrument and per venue/asset balance). Pure: time comes in as an argument.
// Invariant: peak_equity ≥ equity after every update; EquityMarks are journaled (with the circuit
// breaker's state) so a restart cannot forget the peak or the day's starting equity.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/fixed_point.h"
#include "core/ids.h"
#include "core/instrument.h"
#include "portfolio/position_tracker.h"

namespace tradingd {

// The references drawdown and daily PnL are measured from: persisted across restarts.
struct EquityMarks {
  bool initialized = false;
  Money peak_equity;
  UnixNanos day_start_ns = 0;  // utc_day_start of the current day
  Money day_start_equity;      // equity when the day began (the last equity seen the day before)
  Money last_equity;
  // One line, "v1;initialized=1;peak_equity=...;...", journaled next to the circuit breaker's state.
  std::string encode() const;
  static std::optional<EquityMarks> decode(std::string_view text);
  friend bool operator==(const EquityMarks&, const EquityMarks&) = default;
};

struct PortfolioFigures {
  UnixNanos ts_ns = 0;
  bool computed = false;  // update() has run
  bool valid = false;     // false before the first update and after an overflow: do not trade on these
  Money equity;        // valued balances + unrealized PnL of perpetuals
  Money cash;          // balances held in the valuation asset
  Money realized_pnl;  // summed over positions (gross of fees)
  Money unrealized_pnl;
  Money fees;
  Money funding;       // positive = paid
  Money gross_exposure;  // Σ |position value at mark|
  Money net_exposure;    // Σ signed position value at mark
  Rate leverage;         // gross exposure / equity (zero when equity ≤ 0)
  Money peak_equity;
  Money drawdown;        // peak − equity, ≥ 0
  Rate drawdown_pct;     // 100 · drawdown / peak
  UnixNanos day_start_ns = 0;
  Money day_start_equity;
  Money daily_pnl;       // equity − day_start_equity
  Rate daily_pnl_pct;    // 100 · daily_pnl / day_start_equity
  std::uint64_t fills = 0;
  std::uint64_t round_trips = 0;
  std::uint64_t wins = 0;
  std::uint64_t losses = 0;
  std::size_t open_positions = 0;
  std::size_t unvalued_balances = 0;  // non-zero balances with no price in the valuation asset (left out)
};

struct PositionSnapshot {
  InstrumentId instrument;
  Quantity quantity;
  std::optional<Price> average_entry;
  std::optional<Price> mark;
  Money notional;
  Money unrealized_pnl;
  Money realized_pnl;
  Money fees;
  Money funding;
  Money net_pnl;
  int leverage = 1;
  Money initial_margin;
  Money maintenance_margin;
  std::optional<Price> liquidation_price;
  std::uint64_t fills = 0;
  std::uint64_t round_trips = 0;
  std::uint64_t wins = 0;
  std::uint64_t losses = 0;
};

struct BalanceSnapshot {
  Venue venue = Venue::Binance;
  Asset asset;
  Money amount;
};

struct PortfolioSnapshot {
  PortfolioFigures figures;
  std::vector<PositionSnapshot> positions;  // registration order
  std::vector<BalanceSnapshot> balances;    // venue, then asset
};

class Portfolio {
 public:
  explicit Portfolio(const PositionTracker& tracker, Asset valuation_asset = Asset::from("USDT"));

  // A fixed price for an asset with no market of its own in the valuation asset (USDC = 1 USDT).
  void set_asset_price(const Asset& asset, Price price_in_valuation_asset);

  // The figures from the tracker at time now. The first update of a new UTC day starts the day from the
  // last equity seen before it (the previous day's close). Never throws: an overflow yields figures with
  // valid = false. Runs on every market event, so it keeps its work: what depends only on the ledger is
  // redone when the tracker's ledger_version() moves, the valuation when its price_version() does; the
  // figures equal a full recompute's exactly.
  const PortfolioFigures& update(UnixNanos now_ns) {
    revalue(now_ns, true);
    return figures_;
  }
  // update() without the three ratios (leverage, drawdown_pct, daily_pnl_pct), each an exact division that
  // most market events have no reader for: figures() computes them on its first read after this. Whether
  // they would overflow (which invalidates the figures) is still decided here, so valid, the marks and
  // every other field are those update() yields.
  void revalue(UnixNanos now_ns) { revalue(now_ns, false); }
  const PortfolioFigures& figures() const {
    if (ratios_pending_) fill_ratios();
    return figures_;
  }
  // The figures of the last revalue() except the three ratios, which may be those of an earlier update:
  // for the readers on every market event that use none of them (the circuit breaker, an equity curve).
  const PortfolioFigures& values() const { return figures_; }
  PortfolioSnapshot snapshot() const;

  const EquityMarks& marks() const { return marks_; }
  void restore_marks(const EquityMarks& marks);
  // After an explicit circuit-breaker reset: measure drawdown / the day's loss from the current equity.
  void rebase_peak();
  void rebase_day();

  // The price of one unit of asset in the valuation asset: 1 for the valuation asset, a fixed price, else
  // the mark of a spot position asset/valuation on that venue (then on any venue).
  std::optional<Price> asset_price(Venue venue, const Asset& asset) const;
  const Asset& valuation_asset() const { return valuation_asset_; }

 private:
  // Where a unit of an asset gets its price in the valuation asset, as asset_price() searches for it,
  // resolved once per ledger version: 1, a fixed price, the marks of the spot positions asset/valuation
  // (plan_.candidates[first, first + count), in position order), or none.
  struct Pricing {
    enum class Kind : std::uint8_t { Unit, Fixed, Market, None };
    Kind kind = Kind::None;
    Price fixed;
    std::uint32_t first = 0;
    std::uint32_t count = 0;
  };
  struct Candidate {
    std::uint32_t position;
    bool same_venue;  // the venue the price is asked for: its first priced candidate wins
  };
  struct BalanceTerm {
    const Money* amount;  // the tracker's balance row (rows are never removed); zero ones are skipped
    bool cash;            // held in the valuation asset
    Pricing pricing;
  };
  struct PositionTerm {
    std::uint32_t position;
    bool perpetual;
    Pricing quote;  // of the quote (spot) or settlement (perpetual) asset
  };
  // The figures' inputs that change only with the tracker's structure (instruments, balance rows) or the
  // fixed prices, in the order the figures add them up (balances by venue and asset, positions by
  // registration), and, per ledger version, the per-position sums that need no mark when every position's
  // values are already in the valuation asset.
  struct Plan {
    std::vector<BalanceTerm> balances;
    std::vector<PositionTerm> positions;
    std::vector<Candidate> candidates;
    bool ledger_sums = false;  // sums below are used (every quote conversion is the identity)
    bool ledger_sums_overflow = false;
    Money realized_pnl, fees, funding;
    std::uint64_t fills = 0, round_trips = 0, wins = 0, losses = 0;
    std::size_t open_positions = 0;
    // The sums above into the figures' ledger fields.
    void write_sums(PortfolioFigures& f) const {
      f.realized_pnl = realized_pnl;
      f.fees = fees;
      f.funding = funding;
      f.fills = fills;
      f.round_trips = round_trips;
      f.wins = wins;
      f.losses = losses;
      f.open_positions = open_positions;
    }
  };
  // The valuation of a plan with ledger sums, split per ledger version into what no price moves (cash and
  // fixed-price balances, the open positions' cost bases) and the terms a price does (balances priced by a
  // spot mark, open positions' mark values): a market event adds those few terms to the constant part.
  // Integers add exactly in any order as long as nothing overflows, and nothing does while the magnitudes
  // of all the terms of a sum add up to at most INT64_MAX; beyond that (or when the constant part itself
  // cannot be valued) value() runs in the plan's order and decides, so the figures and any overflow are
  // those of value().
  struct MarketTerm {
    std::int64_t amount;  // the balance (constant within a ledger version), not zero
    Pricing pricing;
    std::int64_t last_price = 0;  // the value of the amount at last_price (0: none yet)
    std::int64_t last_value = 0;
  };
  struct OpenTerm {
    std::uint32_t position;
    bool perpetual;
    // A spot position whose base balance is the position (the balance's only price is this position's
    // mark, the amount its quantity, a unit multiplier): the balance's market term is this position's
    // mark value, added to the equity here instead of valued as a market term.
    bool with_balance = false;
  };
  struct Quick {
    bool usable = false;
    Money cash;                   // Σ cash balances
    std::int64_t fixed = 0;       // cash plus the fixed-price balances' values
    std::uint64_t fixed_abs = 0;  // Σ |each of those terms|, ≤ INT64_MAX
    std::size_t unvalued = 0;     // non-zero balances of an asset without any pricing
    std::vector<MarketTerm> market;
    std::vector<OpenTerm> open;   // the positions not flat (a flat one's every term is zero)
    bool ledger_in_figures = false;  // figures_ holds the fields below that only the ledger moves
  };
  void prepare_quick();  // after sum_ledger()
  // value() through quick_; false when the magnitudes leave the range in which it equals value(). Inlined
  // into revalue(), its one caller on every market event (the call and its register saves cost as much as
  // a flat portfolio's whole valuation).
  [[gnu::always_inline]] bool value_quick(PortfolioFigures& f);
  // price_of() and, when the price is a position's mark, that position (else nullptr).
  std::int64_t price_pick(const Pricing& pricing, const Position*& marked) const;

  // One exact ratio a·b/c (b and the rounding fixed per use) with the a and c it was last computed from:
  // most market events move the equity, but one that does not should not divide again.
  struct Ratio {
    std::int64_t a = 0, c = 0, result = 0;
    bool set = false;
    std::int64_t of(std::int64_t num, std::int64_t b, std::int64_t den, Rounding mode);
  };

  Pricing resolve(Venue venue, const Asset& asset);
  std::int64_t price_of(const Pricing& pricing) const;  // raw, 0 = none
  void build_plan();
  void sum_ledger();  // the Plan's per-ledger sums
  // The valuation part of the figures (equity through net exposure, counts; not leverage); throws
  // FixedPointOverflow, also when leverage would overflow.
  void value(PortfolioFigures& f);
  // Computes the ratios revalue() left pending (in range: revalue() checked).
  void fill_ratios() const;
  // revalue() with the ratios computed at once (update(): no separate range checks) or left pending.
  void revalue(UnixNanos now_ns, bool ratios);

  const PositionTracker& tracker_;
  Asset valuation_asset_;
  std::map<Asset, Price> fixed_prices_;
  EquityMarks marks_;
  // Mutable for figures(), which fills in the ratios on first read (single-threaded, like every reader).
  mutable PortfolioFigures figures_;
  mutable bool ratios_pending_ = false;

  // What update() keeps between calls: the plan for a ledger version (and fixed prices), the valuation for
  // a price version on top of it. Results equal a full recompute's, bit for bit (tests/portfolio).
  Plan plan_;
  Quick quick_;
  bool plan_valid_ = false;
  TrackerVersion plan_structure_;
  TrackerVersion plan_ledger_;  // of the sums
  std::uint64_t fixed_version_ = 0;
  std::uint64_t plan_fixed_version_ = 0;
  bool valuation_valid_ = false;  // figures_ holds the valuation of valuation_prices_ (on top of plan_)
  // The last revalue() completed without a reset and nothing changed the marks since: with the same
  // versions, invariant flag and UTC day, another one would only change the time.
  bool settled_ = false;
  bool settled_broken_ = false;
  bool valuation_overflow_ = false;
  TrackerVersion valuation_prices_;
  UnixNanos day_memo_ = utc_day_start(0);  // the UTC day of the last marks update (any day start will do)
  mutable Ratio leverage_, drawdown_pct_, daily_pnl_pct_;
};

}  // namespace tradingd
