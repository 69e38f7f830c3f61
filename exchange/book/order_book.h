// The local L2 order book of one instrument: price levels with absolute sizes, best first. Pure (no I/O);
// the venue-specific synchronisers (exchange/book/*_sync.h) decide when a message may be applied and mark
// the book invalid on a gap. Levels are kept in sorted vectors with the best price at the back, so the
// common update (near the top) moves few elements and the best level is O(1); the position of a price is
// found from the best end (short scan, then galloping), in O(log depth-from-top). Invariant: each side
// strictly sorted, no zero sizes.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "core/clock.h"
#include "core/fixed_point.h"
#include "core/ids.h"
#include "exchange/market_data.h"

namespace tradingd {

class OrderBook {
 public:
  explicit OrderBook(InstrumentId instrument = {}) : instrument_(instrument) {}

  const InstrumentId& instrument() const { return instrument_; }

  void clear() {
    bids_.clear();
    asks_.clear();
    sequence_ = 0;
  }
  // Replaces both sides (levels in any order; zero sizes ignored; of repeated prices the last one wins, as
  // if set_level were called for each level in turn). Sorting once is O(n log n) where inserting level by
  // level was O(n^2) for a 5000-level snapshot sent best first.
  void apply_snapshot(std::span<const BookLevel> bids, std::span<const BookLevel> asks) {
    load_side(bids_, bids, [](Price a, Price b) { return a < b; });
    load_side(asks_, asks, [](Price a, Price b) { return a > b; });
  }
  // Sets a level's absolute size; zero removes it (removing an absent level is normal and a no-op).
  void set_level(Side side, Price price, Quantity size) {
    if (side == Side::Buy)
      set_in(bids_, price, size, [](Price a, Price b) { return a < b; }, bids_.size());
    else
      set_in(asks_, price, size, [](Price a, Price b) { return a > b; }, asks_.size());
  }
  // set_level for each level in turn (same result), faster when they come best first as venues send
  // them: each search then starts where the previous level landed instead of at the top of the book.
  void apply_levels(Side side, std::span<const BookLevel> levels) {
    if (side == Side::Buy)
      apply_in(bids_, levels, [](Price a, Price b) { return a < b; });
    else
      apply_in(asks_, levels, [](Price a, Price b) { return a > b; });
  }
  // Keeps the best max_levels of a side: depth-limited feeds (Bybit orderbook.50, OKX books50) only
  // maintain that many levels, so anything deeper is no longer known.
  void truncate(Side side, std::size_t max_levels) {
    auto& v = side == Side::Buy ? bids_ : asks_;
    if (v.size() > max_levels) v.erase(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(v.size() - max_levels));
  }
  void reserve(std::size_t levels_per_side) {
    bids_.reserve(levels_per_side);
    asks_.reserve(levels_per_side);
  }

  std::size_t depth(Side side) const { return side_levels(side).size(); }
  bool empty() const { return bids_.empty() && asks_.empty(); }
  // Level i of a side, 0 = best. Precondition: i < depth(side).
  const BookLevel& level(Side side, std::size_t i) const {
    const auto& v = side_levels(side);
    return v[v.size() - 1 - i];
  }
  std::optional<BookLevel> best_bid() const { return bids_.empty() ? std::nullopt : std::optional(bids_.back()); }
  std::optional<BookLevel> best_ask() const { return asks_.empty() ? std::nullopt : std::optional(asks_.back()); }
  // Mid price rounded to the nearest 1e-9; nullopt when a side is empty.
  std::optional<Price> mid() const {
    if (bids_.empty() || asks_.empty()) return std::nullopt;
    return Price::from_raw(fixed::mul_raw(bids_.back().price.raw() + asks_.back().price.raw(), fixed::kScale / 2,
                                          Rounding::Nearest));
  }
  Quantity size_at(Side side, Price price) const {
    const auto& v = side_levels(side);
    for (auto it = v.rbegin(); it != v.rend(); ++it) {
      if (it->price == price) return it->size;
      if (side == Side::Buy ? it->price < price : it->price > price) break;
    }
    return Quantity::zero();
  }
  // Visits levels best first; f(const BookLevel&) returns false to stop.
  template <class F>
  void for_each_level(Side side, F&& f) const {
    const auto& v = side_levels(side);
    for (auto it = v.rbegin(); it != v.rend(); ++it)
      if (!f(*it)) return;
  }
  // Bids and asks crossed or touching: a sign of a corrupt book.
  bool is_crossed() const { return !bids_.empty() && !asks_.empty() && bids_.back().price >= asks_.back().price; }

  // The venue's update id of the last applied message, and whether the book may be traded on.
  std::uint64_t sequence() const { return sequence_; }
  void set_sequence(std::uint64_t s) { sequence_ = s; }
  bool valid() const { return valid_; }
  void set_valid(bool v) { valid_ = v; }
  UnixNanos ts_event_ns() const { return ts_event_ns_; }
  void set_ts_event_ns(UnixNanos t) { ts_event_ns_ = t; }

 private:
  const std::vector<BookLevel>& side_levels(Side side) const { return side == Side::Buy ? bids_ : asks_; }

  // worse(a, b): a is a worse price than b on this side (the vector is sorted worst first).
  // Sets the level and returns its index (or where it would be). limit: levels at [limit, size) are known
  // not to be worse than price, so the answer is at most limit (size() when nothing is known).
  template <class Worse>
  static std::size_t set_in(std::vector<BookLevel>& v, Price price, Quantity size, Worse worse, std::size_t limit) {
    // The index of the first level not worse than price. Updates land near the best end (in the real
    // Binance capture half are within 11 levels of the top, 90% within 58), so: look at a few levels below
    // the limit, then gallop in doubling steps, then binary search the last bracket: O(log distance)
    // rather than O(log size).
    std::size_t hi = limit;
    constexpr std::size_t kScan = 8;
    // The window below the limit is counted, not scanned with an early exit: eight compare-and-adds cost
    // less than the branch mispredictions of a loop whose exit point is random.
    const std::size_t window = hi < kScan ? hi : kScan;
    std::size_t not_worse = 0;
    for (std::size_t k = hi - window; k < hi; ++k) not_worse += worse(v[k].price, price) ? 0 : 1;
    hi -= not_worse;
    if (not_worse == kScan && hi > 0) {
      // v[hi] is not worse: the answer is at most hi; gallop down, then search the last bracket.
      std::size_t lo = 0;
      for (std::size_t step = kScan; hi >= step; step *= 2) {
        const std::size_t probe = hi - step;
        if (worse(v[probe].price, price)) {
          lo = probe + 1;
          break;
        }
        hi = probe;
      }
      // Branch-free lower bound over [lo, hi): the comparison result feeds a conditional move, so the
      // unpredictable outcome costs no mispredictions.
      const BookLevel* first = v.data() + lo;
      for (std::size_t len = hi - lo; len > 0;) {
        const std::size_t half = len / 2;
        first = worse(first[half].price, price) ? first + (len - half) : first;
        len = half;
      }
      hi = static_cast<std::size_t>(first - v.data());
    }
    const auto it = v.begin() + static_cast<std::ptrdiff_t>(hi);
    const bool found = it != v.end() && it->price == price;
    if (size.is_zero()) {
      if (found) v.erase(it);
    } else if (found) {
      it->size = size;
    } else {
      v.insert(it, BookLevel{price, size});
    }
    return hi;
  }

  template <class Worse>
  static void apply_in(std::vector<BookLevel>& v, std::span<const BookLevel> levels, Worse worse) {
    std::size_t limit = v.size();
    for (std::size_t i = 0; i < levels.size(); ++i) {
      // A level worse than the previous one lies at or below where that one landed (an insert or erase
      // there only moves the levels above it); otherwise nothing is known and the search starts at the top.
      if (i == 0 || !worse(levels[i].price, levels[i - 1].price)) limit = v.size();
      limit = set_in(v, levels[i].price, levels[i].size, worse, limit);
    }
  }

  template <class Worse>
  static void load_side(std::vector<BookLevel>& v, std::span<const BookLevel> levels, Worse worse) {
    // Headroom, so the first levels inserted after a snapshot do not reallocate the side on the hot path.
    const std::size_t want = levels.size() + levels.size() / 4 + 64;
    if (v.capacity() < want) v.reserve(want);
    v.assign(levels.begin(), levels.end());
    // Stable, so equal prices keep their order and the last of them can win below.
    std::stable_sort(v.begin(), v.end(), [&](const BookLevel& a, const BookLevel& b) { return worse(a.price, b.price); });
    std::size_t out = 0;
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (i + 1 < v.size() && v[i + 1].price == v[i].price) continue;  // a later level at this price wins
      if (!v[i].size.is_zero()) v[out++] = v[i];
    }
    v.resize(out);
  }

  InstrumentId instrument_;
  std::vector<BookLevel> bids_;
  std::vector<BookLevel> asks_;
  std::uint64_t sequence_ = 0;
  bool valid_ = false;
  UnixNanos ts_event_ns_ = 0;
};

}  // namespace tradingd
