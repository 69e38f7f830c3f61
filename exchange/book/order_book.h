// The local L2 order book of one instrument: price levels with absolute sizes, best first. Pure (no I/O);
// the venue-specific synchronisers (exchange/book/*_sync.h) decide when a message may be applied and mark
// the book invalid on a gap. Levels are kept in sorted vectors with the best price at the back, so the
// common update (near the top) moves few elements and the best level is O(1).
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
  // Replaces both sides (levels in any order; zero sizes ignored).
  void apply_snapshot(std::span<const BookLevel> bids, std::span<const BookLevel> asks) {
    bids_.clear();
    asks_.clear();
    for (const auto& l : bids) set_level(Side::Buy, l.price, l.size);
    for (const auto& l : asks) set_level(Side::Sell, l.price, l.size);
  }
  // Sets a level's absolute size; zero removes it (removing an absent level is normal and a no-op).
  void set_level(Side side, Price price, Quantity size) {
    auto& v = side == Side::Buy ? bids_ : asks_;
    // bids ascending (best = highest at back), asks descending (best = lowest at back)
    auto it = side == Side::Buy
                  ? std::lower_bound(v.begin(), v.end(), price, [](const BookLevel& l, Price p) { return l.price < p; })
                  : std::lower_bound(v.begin(), v.end(), price, [](const BookLevel& l, Price p) { return l.price > p; });
    const bool found = it != v.end() && it->price == price;
    if (size.is_zero()) {
      if (found) v.erase(it);
    } else if (found) {
      it->size = size;
    } else {
      v.insert(it, BookLevel{price, size});
    }
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

  InstrumentId instrument_;
  std::vector<BookLevel> bids_;
  std::vector<BookLevel> asks_;
  std::uint64_t sequence_ = 0;
  bool valid_ = false;
  UnixNanos ts_event_ns_ = 0;
};

}  // namespace tradingd
