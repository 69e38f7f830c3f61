// PositionTracker: every position per venue and instrument, the cash balances per venue and asset, and
// the latest market prices. Fills apply exactly once per (instrument, trade id); funding exactly once per
// (instrument, funding time). Rebuilt on restart by replaying the journal's ledger events in order.
// Pure: no I/O, no clock. No exception leaves it: a fixed-point overflow leaves the state as it was, is
// reported as FillResult::Overflow and latches invariant_broken() (the risk gate then halts trading).
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <variant>
#include <vector>

#include "core/ids.h"
#include "core/instrument.h"
#include "exchange/execution_venue.h"
#include "exchange/market_data.h"
#include "portfolio/market_prices.h"
#include "portfolio/position.h"
#include "portfolio/recent_trade_ids.h"

namespace tradingd {

enum class FillResult : std::uint8_t {
  Applied,
  Duplicate,          // this trade id (or funding time) was applied before: ignored
  UnknownInstrument,  // not registered with add_instrument
  Invalid,            // non-positive quantity/price, or no trade id to de-duplicate by
  Overflow,           // a value left the fixed-point range: nothing changed, trading must halt
};
std::string_view to_string(FillResult r);

// A funding settlement as journaled: either the venue's reported amount (preferred) or the rate and the
// price it applies to.
struct FundingEvent {
  InstrumentId instrument;
  UnixNanos funding_time_ns = 0;  // the settlement time: the de-duplication key
  std::optional<Money> paid;      // positive = the account paid
  Rate rate;
  Price price;                    // mark price at the funding time (used with rate when paid is absent)
};

// A balance set from outside the fill stream: starting balances (paper, backtest), the venue's figure at
// reconciliation (deposits, withdrawals, transfers), journaled like fills.
struct BalanceSet {
  Venue venue = Venue::Binance;
  Asset asset;
  Money amount;
};

using LedgerEvent = std::variant<OrderFilled, FundingEvent, BalanceSet>;

// What apply_fill reads of a fill, by reference: a caller holding the fill in another form (the node: an
// Order and its Fill) applies it without first copying the ids into an OrderFilled. Lives no longer than
// the call.
struct FillRef {
  const InstrumentId& instrument;
  const TradeId& trade_id;
  Side side;
  Quantity last_quantity;
  Price last_price;
  Money fee;
  const Asset& fee_asset;
  UnixNanos ts_event_ns;
};

// Names a state of the tracker for caches of figures derived from it (the Portfolio's): equal versions mean
// equal state. A copied tracker starts a new lineage, so a copy's state is never taken for the original's.
struct TrackerVersion {
  std::uint64_t lineage = 0;
  std::uint64_t count = 0;
  friend bool operator==(const TrackerVersion&, const TrackerVersion&) = default;
};

struct TrackerStats {
  std::uint64_t fills_applied = 0;
  std::uint64_t duplicate_fills = 0;
  std::uint64_t unknown_instrument_fills = 0;
  std::uint64_t invalid_fills = 0;
  std::uint64_t overflows = 0;
  std::uint64_t funding_applied = 0;
};

class PositionTracker {
 public:
  // trade_id_capacity bounds the de-duplication memory (oldest ids are forgotten first); a replay from a
  // REST query or a reconnect only ever repeats recent fills.
  explicit PositionTracker(PriceSource source = PriceSource::Mark, std::size_t trade_id_capacity = 1u << 20);

  // Registers an instrument; registering it again updates its rules and parameters and keeps the position.
  void add_instrument(const Instrument& instrument, PositionParams params = {});

  FillResult apply_fill(const OrderFilled& fill) {
    return apply_fill(FillRef{fill.instrument, fill.trade_id, fill.side, fill.last_quantity, fill.last_price, fill.fee,
                              fill.fee_asset, fill.ts_event_ns});
  }
  // The same fill, its fields by reference: identical result and effects.
  FillResult apply_fill(const FillRef& fill);
  FillResult apply_funding(const FundingEvent& funding);
  void set_balance(Venue venue, const Asset& asset, Money amount);
  FillResult apply(const LedgerEvent& event);

  // Market data: stores the price and re-marks the instrument's position.
  void on_trade(const TradeTick& tick);
  // on_trade with only what it reads: a trade (or a bar's close) at price, stamped ts_ns (the tick's
  // receive time, else its event time). The node's per-bar call: no TradeTick to build.
  // Inline for the common case, one instrument's bars in a row: the instrument looked up last, its prices
  // already stored, and the trade the price the source picks (Last, or Mark without a mark price).
  void on_trade_price(const InstrumentId& id, Price price, UnixNanos ts_ns) {
    const std::size_t i = last_index_;
    if (i < price_slots_.size() && price_slots_[i] != MarketPrices::kNone && price.is_positive() && same_bytes(last_id_, id)) {
      InstrumentPrices& p = prices_.slots_[price_slots_[i]];
      if (source_ == PriceSource::Last || (source_ == PriceSource::Mark && !p.has_mark)) {
        if (!MarketPrices::store_trade(p, price, ts_ns)) return;
        if (Position& pos = positions_[i]; pos.is_flat()) {  // remark_to's flat case: marking cannot overflow
          prices_changed_.bump();
          pos.mark(price);
        } else {
          remark_to(i, price.raw());
        }
        return;
      }
    }
    on_trade_price_general(id, price, ts_ns);
  }
  void on_quote(const QuoteTick& quote);
  void on_mark_price(const MarkPriceUpdate& update);
  const MarketPrices& prices() const { return prices_; }
  // prices().reference(id), for a registered instrument through its position's price slot (no lookup):
  // the risk checks ask for it on every order.
  std::optional<Price> reference_price(const InstrumentId& id) const {
    const std::size_t i = index_of(id);
    if (i >= positions_.size()) return prices_.reference(id);
    const std::uint32_t slot = price_slots_[i];
    if (slot == MarketPrices::kNone) return prices_.reference(id);
    const std::int64_t v = MarketPrices::price_raw(
        prices_.slots_[slot], id.kind == MarketKind::LinearPerp ? PriceSource::Mark : PriceSource::Last);
    if (v == 0) return std::nullopt;
    return Price::from_raw(v);
  }
  PriceSource price_source() const { return source_; }

  const Position* find(const InstrumentId& id) const {
    const std::size_t i = index_of(id);
    return i < positions_.size() ? &positions_[i] : nullptr;
  }
  const std::vector<Position>& positions() const { return positions_; }
  std::size_t open_position_count() const;
  Money balance(Venue venue, const Asset& asset) const;
  // Ordered by venue then asset.
  const std::map<std::pair<Venue, Asset>, Money>& balances() const { return balances_; }
  // Fees paid in an asset that is neither the instrument's quote nor its base (e.g. BNB): taken from that
  // asset's balance, not included in any position's fees.
  const std::map<std::pair<Venue, Asset>, Money>& other_asset_fees() const { return other_fees_; }
  const TrackerStats& stats() const { return stats_; }
  bool invariant_broken() const { return invariant_broken_; }

  // Changes with every applied fill or funding payment, balance set and registration: what positions hold,
  // what the balances are and which instruments exist.
  TrackerVersion ledger_version() const { return {ledger_.lineage, ledger_.count}; }
  // Changes with every stored price that differs from the one before (and so with every re-mark).
  TrackerVersion price_version() const { return {prices_changed_.lineage, prices_changed_.count}; }
  // Changes with every registration and every new (venue, asset) balance: which instruments and balance
  // rows exist, not what they hold (balance rows are never removed, so references to them stay valid).
  TrackerVersion structure_version() const { return {structure_.lineage, structure_.count}; }

 private:
  struct FundingKey {
    InstrumentId instrument;
    UnixNanos ts_ns;
    friend bool operator==(const FundingKey&, const FundingKey&) = default;
  };
  struct FundingKeyHash {
    std::size_t operator()(const FundingKey& k) const noexcept;
  };

  // A counter whose copies start a new lineage (see TrackerVersion).
  struct Counter {
    std::uint64_t lineage = next_lineage();
    std::uint64_t count = 0;
    Counter() = default;
    Counter(const Counter& o) : count(o.count) {}
    Counter& operator=(const Counter& o) {
      lineage = next_lineage();
      count = o.count;
      return *this;
    }
    void bump() { ++count; }
    static std::uint64_t next_lineage();
  };

  // The position index of id, or ~0 when not registered. The cached one inline: every market event asks.
  std::size_t index_of(const InstrumentId& id) const {
    if (last_index_ < positions_.size() && same_bytes(last_id_, id)) return last_index_;
    return lookup_index(id);
  }
  std::size_t lookup_index(const InstrumentId& id) const;
  Position* find_mut(const InstrumentId& id);
  void remark(const InstrumentId& id);
  void on_trade_price_general(const InstrumentId& id, Price price, UnixNanos ts_ns);
  // The prices of position i (created empty on first use; positions keep their slot number).
  InstrumentPrices& prices_of(std::size_t i) {
    const std::uint32_t slot = price_slots_[i];
    return slot != MarketPrices::kNone ? prices_.slots_[slot] : first_prices_of(i);
  }
  InstrumentPrices& first_prices_of(std::size_t i);
  // A stored price of position i changed: re-mark it from its prices.
  void remark_at(std::size_t i, const InstrumentPrices& prices);
  // remark_at with the price of the tracker's source already chosen (raw, 0 = none).
  void remark_to(std::size_t i, std::int64_t price);

  // The balance row (venue, asset), created at zero when missing.
  Money& balance_row(Venue venue, const Asset& asset);

  // Per position, its cash (quote/settlement) and, for spot, base balance rows once a fill has created
  // them: a fill updates them in place instead of looking up (venue, asset) keys. Map nodes never move, but
  // a copied tracker has its own map, so copies start without them.
  struct BalanceRows {
    Money* cash = nullptr;
    Money* base = nullptr;
  };
  struct BalanceRowCache {
    std::vector<BalanceRows> rows;
    BalanceRowCache() = default;
    BalanceRowCache(const BalanceRowCache& o) : rows(o.rows.size()) {}
    BalanceRowCache& operator=(const BalanceRowCache& o) {
      rows.assign(o.rows.size(), BalanceRows{});
      return *this;
    }
  };

  PriceSource source_;
  std::vector<Position> positions_;
  BalanceRowCache balance_rows_;
  // Per position: its slot in prices_ (MarketPrices::kNone until it has a price), so a market event for a
  // registered instrument costs one lookup, not one in each of the tracker and the prices.
  std::vector<std::uint32_t> price_slots_;
  std::unordered_map<InstrumentId, std::size_t> index_;
  // The position looked up last (positions are never removed, so the index stays valid): each market
  // event looks up its instrument more than once, and comparing ids is cheaper than hashing the symbol.
  mutable InstrumentId last_id_;
  mutable std::size_t last_index_ = ~std::size_t{0};
  std::map<std::pair<Venue, Asset>, Money> balances_;
  std::map<std::pair<Venue, Asset>, Money> other_fees_;
  RecentTradeIds seen_fills_;  // (position index, trade id)
  std::unordered_set<FundingKey, FundingKeyHash> seen_funding_;
  MarketPrices prices_;
  TrackerStats stats_;
  bool invariant_broken_ = false;
  Counter ledger_;
  Counter prices_changed_;
  Counter structure_;
};

// Journal replay: applies the events in order to a tracker that already knows its instruments. Returns how
// many were applied (duplicates and rejects are counted in the tracker's stats).
std::size_t replay(PositionTracker& tracker, std::span<const LedgerEvent> events);

}  // namespace tradingd
