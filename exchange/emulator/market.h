// One instrument's simulated market: an L2 book walked at random, trades at the touch, 1-minute klines
// aggregated from those trades, and (for perpetuals) mark price and funding. Pure and deterministic: the
// state after N ticks depends only on the seed and the times passed to tick(); no clock, no I/O.
// Invariants: best bid < best ask; every price is on the tick grid and every size on the step grid; the
// update id rises by exactly the number of changed levels per tick (Binance U/u/pu, OKX seqId).
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <vector>

#include "core/fixed_point.h"
#include "exchange/emulator/instruments.h"
#include "exchange/emulator/rng.h"

namespace tradingd::emulator {

struct BookLevel {
  Price price;
  Quantity qty;
  friend bool operator==(const BookLevel&, const BookLevel&) = default;
};

struct LevelChange {
  bool is_bid = true;
  Price price;
  Quantity qty;  // zero: the level is gone
  friend bool operator==(const LevelChange&, const LevelChange&) = default;
};

struct SimTrade {
  std::int64_t id = 0;
  Price price;
  Quantity qty;
  bool taker_is_buy = true;  // Binance m (buyer is maker) is !taker_is_buy
  std::int64_t ts_ms = 0;
};

struct Kline {
  std::int64_t open_ms = 0;  // minute start
  Price open, high, low, close;
  Quantity volume;
  Money quote_volume;
  Quantity taker_buy_volume;
  Money taker_buy_quote_volume;
  std::int64_t trade_count = 0;
  std::int64_t first_trade_id = -1;
  std::int64_t last_trade_id = -1;
  std::int64_t close_ms() const { return open_ms + 59'999; }
};

struct FundingRecord {
  std::int64_t funding_time_ms = 0;
  Rate rate;
  Price mark_price;
};

// What one tick changed.
struct TickEvents {
  std::int64_t ts_ms = 0;
  std::int64_t prev_update_id = 0;   // pu: the previous event's u
  std::int64_t first_update_id = 0;  // U
  std::int64_t last_update_id = 0;   // u (== prev when nothing changed)
  std::vector<LevelChange> changes;  // net, one per price, bids then asks
  std::vector<SimTrade> trades;
  std::vector<Kline> closed_klines;  // bars that closed at this tick (oldest first)
  bool book_changed() const { return !changes.empty(); }
};

class MarketSim {
 public:
  static constexpr int kLevelsPerSide = 100;
  static constexpr std::size_t kMaxTrades = 1000;
  static constexpr std::size_t kMaxKlines = 1500;
  static constexpr std::int64_t kFundingIntervalMs = 8LL * 3600 * 1000;

  MarketSim(InstrumentSpec spec, std::uint64_t seed, std::int64_t start_ms);

  // Advances the market to now_ms (never backwards) and returns what changed.
  TickEvents tick(std::int64_t now_ms);

  const InstrumentSpec& spec() const { return spec_; }
  // Best first, at most `limit` levels (0: all).
  std::vector<BookLevel> bids(std::size_t limit = 0) const;
  std::vector<BookLevel> asks(std::size_t limit = 0) const;
  std::optional<BookLevel> best_bid() const;
  std::optional<BookLevel> best_ask() const;
  std::int64_t update_id() const { return update_id_; }
  std::int64_t now_ms() const { return now_ms_; }

  const std::deque<SimTrade>& trades() const { return trades_; }  // oldest first
  // Closed bars (oldest first) followed by the bar in progress.
  std::vector<Kline> klines() const;
  const Kline& current_kline() const { return current_; }
  std::optional<SimTrade> last_trade() const;

  Price mid_price() const;
  Price mark_price() const { return mark_; }
  Price index_price() const { return index_; }
  Rate funding_rate() const { return funding_rate_; }
  std::int64_t next_funding_ms() const;
  const std::deque<FundingRecord>& funding_history() const { return funding_history_; }

 private:
  using Side = std::map<std::int64_t, std::int64_t>;  // price raw -> qty raw
  void set_level(bool bid, std::int64_t price, std::int64_t qty, std::map<std::pair<bool, std::int64_t>, std::int64_t>& touched);
  std::int64_t random_qty();
  void trade_once(std::int64_t ts_ms, TickEvents& ev, std::map<std::pair<bool, std::int64_t>, std::int64_t>& touched);
  void roll_klines(std::int64_t now_ms, TickEvents* ev);
  void apply_trade_to_kline(const SimTrade& t);
  void update_mark_and_funding(std::int64_t now_ms);

  InstrumentSpec spec_;
  Rng rng_;
  std::int64_t tick_ = 0;  // tick size raw
  std::int64_t anchor_ticks_ = 0;  // the start price in ticks: the walk is pulled gently toward it
  Side bids_, asks_;
  std::int64_t update_id_ = 0;
  std::int64_t now_ms_ = 0;
  std::int64_t next_trade_id_ = 0;
  std::deque<SimTrade> trades_;
  std::deque<Kline> closed_;
  Kline current_;
  Price mark_, index_;
  Rate funding_rate_;
  std::int64_t last_funding_ms_ = 0;
  std::deque<FundingRecord> funding_history_;
};

}  // namespace tradingd::emulator
