// The local L2 order book of one instrument: price levels with absolute sizes, best first. Pure (no I/O);
// the venue-specific synchronisers (exchange/book/*_sync.h) decide when a message may be applied and mark
// the book invalid on a gap. Levels are kept in sorted vectors with the best price at the back, so the
// common update (near the top) moves few elements and the best level is O(1); the position of a price is
// found by a short scan from the best end (where nearly all updates land) before falling back to binary
// search. Invariant: each side strictly sorted, no zero sizes.
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
      set_in(bids_, price, size, [](Price a, Price b) { return a < b; });
    else
      set_in(asks_, price, size, [](Price a, Price b) { return a > b; });
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
  template <class Worse>
  static void set_in(std::vector<BookLevel>& v, Price price, Quantity size, Worse worse) {
    // The index of the first level not worse than price: scan a few levels from the best end, where
    // almost every update lands, then binary search the rest.
    std::size_t hi = v.size();
    constexpr std::size_t kScan = 8;
    const std::size_t stop = hi > kScan ? hi - kScan : 0;
    while (hi > stop && !worse(v[hi - 1].price, price)) --hi;
    if (hi == stop && stop > 0 && !worse(v[hi - 1].price, price)) {
      hi = static_cast<std::size_t>(std::partition_point(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(hi),
                                                         [&](const BookLevel& l) { return worse(l.price, price); }) -
                                    v.begin());
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
  }

  template <class Worse>
  static void load_side(std::vector<BookLevel>& v, std::span<const BookLevel> levels, Worse worse) {
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
