// The latest last/mark/bid/ask price of each instrument and when each arrived: what positions are marked
// to, what the risk checks value orders with, and what the circuit breaker's staleness check reads.
// Pure: fed from market-data events, never reads a clock. A price is never zero or negative once stored.
#pragma once

#include <cstdint>
#include <cstring>
#include <type_traits>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/clock.h"
#include "core/fixed_point.h"
#include "core/ids.h"
#include "exchange/market_data.h"

namespace tradingd {

// The price unrealized PnL is marked to (config execution.unit_price_source).
enum class PriceSource : std::uint8_t { Mark, Last, Mid };
std::string_view to_string(PriceSource s);
std::optional<PriceSource> parse_price_source(std::string_view s);

struct InstrumentPrices {
  Price last;
  Price mark;
  Price bid;
  Price ask;
  UnixNanos last_ts_ns = 0;
  UnixNanos mark_ts_ns = 0;
  UnixNanos quote_ts_ns = 0;
  bool has_last = false;
  bool has_mark = false;
  bool has_quote = false;
  // Any market data at all: what "stale" is measured against.
  UnixNanos latest_ts_ns() const {
    const UnixNanos a = last_ts_ns > mark_ts_ns ? last_ts_ns : mark_ts_ns;
    return a > quote_ts_ns ? a : quote_ts_ns;
  }
};

class MarketPrices {
 public:
  // Each returns true when the stored price of the named source changed (so positions need re-marking).
  bool on_trade(const InstrumentId& id, Price price, UnixNanos ts_ns);
  bool on_quote(const InstrumentId& id, Price bid, Price ask, UnixNanos ts_ns);
  bool on_mark(const InstrumentId& id, Price mark, UnixNanos ts_ns);

  const InstrumentPrices* find(const InstrumentId& id) const;
  // The requested source, falling back when it is missing (spot has no mark price): Mark → Last → Mid,
  // Last → Mid → Mark, Mid → Last → Mark. nullopt when the instrument has no price at all.
  std::optional<Price> price(const InstrumentId& id, PriceSource source) const;
  // What orders are valued and the fat-finger band is centred on: the mark for perpetuals (the venues
  // check against it), the last trade for spot.
  std::optional<Price> reference(const InstrumentId& id) const;
  // Time of the latest price of any kind; nullopt when none ever arrived.
  std::optional<UnixNanos> last_update_ns(const InstrumentId& id) const;
  // How many instruments have a price: grows when one gets its first (every stored entry holds one).
  std::size_t size() const { return slots_.size(); }

  // price() on one entry, as a raw value with 0 for none (a stored price is positive): the tracker asks
  // for it on every market event, where std::optional through the fallbacks cost more than the rest.
  static std::int64_t price_raw(const InstrumentPrices& p, PriceSource source);

 private:
  friend class PositionTracker;  // keeps each position's slot number: one lookup per market event
  static constexpr std::uint32_t kNone = ~std::uint32_t{0};

  // The slot of id, created empty when missing; slots are dense, in arrival order, never removed.
  std::uint32_t slot_of(const InstrumentId& id);
  std::uint32_t find_slot(const InstrumentId& id) const;  // kNone when missing
  // The updates on one slot; each returns whether the stored price changed. Callers check the inputs.
  static bool store_trade(InstrumentPrices& p, Price price, UnixNanos ts_ns) {
    const bool changed = p.last != price || !p.has_last;
    p.last = price;
    p.has_last = true;
    if (ts_ns > p.last_ts_ns) p.last_ts_ns = ts_ns;
    return changed;
  }
  static bool store_quote(InstrumentPrices& p, Price bid, Price ask, UnixNanos ts_ns);
  static bool store_mark(InstrumentPrices& p, Price mark, UnixNanos ts_ns);

  std::vector<InstrumentPrices> slots_;
  std::unordered_map<InstrumentId, std::uint32_t> index_;
  // The last instrument looked up: market data comes in runs for one instrument (a backtest of one
  // instrument asks for the same one several times per event), and comparing ids is cheaper than hashing
  // the symbol. A slot number, so a copy of the object keeps a valid cache.
  mutable InstrumentId last_id_;
  mutable std::uint32_t last_slot_ = kNone;
};

// Byte-wise equality, for the one-entry lookup caches keyed by instrument: equal bytes mean equal ids. Equal
// ids with unequal bytes (an InlineString keeps its unused bytes zero, so there are none today) would only
// miss such a cache, never hit a wrong entry. Whole words, inline: a libc memcmp per market event was
// measurable.
static_assert(std::has_unique_object_representations_v<InstrumentId>);
inline bool same_bytes(const InstrumentId& a, const InstrumentId& b) {
  constexpr std::size_t n = sizeof(InstrumentId);
  static_assert(n >= 8);
  const auto* pa = reinterpret_cast<const unsigned char*>(&a);
  const auto* pb = reinterpret_cast<const unsigned char*>(&b);
  std::uint64_t diff = 0;
  for (std::size_t i = 0; i + 8 <= n; i += 8) {
    std::uint64_t x, y;
    std::memcpy(&x, pa + i, 8);
    std::memcpy(&y, pb + i, 8);
    diff |= x ^ y;
  }
  if constexpr (n % 8 != 0) {  // the last word overlaps the previous one
    std::uint64_t x, y;
    std::memcpy(&x, pa + n - 8, 8);
    std::memcpy(&y, pb + n - 8, 8);
    diff |= x ^ y;
  }
  return diff == 0;
}

// Midpoint of a two-sided quote, rounded to the nearest 1e-9 (not to the tick: it is a valuation).
std::optional<Price> mid_price(const InstrumentPrices& p);

}  // namespace tradingd
