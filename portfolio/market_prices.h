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
  UnixNanos latest_ts_ns() const;
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

 private:
  InstrumentPrices& slot(const InstrumentId& id);

  // The last instrument looked up: market data comes in runs for one instrument (a backtest of one
  // instrument asks for the same one several times per event), and comparing ids is cheaper than hashing
  // the symbol. Map nodes never move and nothing is erased, so the pointer stays valid; a copy of the
  // object starts without it (it would point into the other map).
  struct LastLookup {
    InstrumentId id;
    InstrumentPrices* prices = nullptr;
    LastLookup() = default;
    LastLookup(const LastLookup&) {}
    LastLookup& operator=(const LastLookup&) {
      prices = nullptr;
      return *this;
    }
  };
  std::unordered_map<InstrumentId, InstrumentPrices> prices_;
  mutable LastLookup last_;
};

// Byte-wise equality, for the one-entry lookup caches keyed by instrument: equal bytes mean equal ids. Equal
// ids with unequal bytes (an InlineString keeps its unused bytes zero, so there are none today) would only
// miss such a cache, never hit a wrong entry.
static_assert(std::has_unique_object_representations_v<InstrumentId>);
inline bool same_bytes(const InstrumentId& a, const InstrumentId& b) { return std::memcmp(&a, &b, sizeof(InstrumentId)) == 0; }

// Midpoint of a two-sided quote, rounded to the nearest 1e-9 (not to the tick: it is a valuation).
std::optional<Price> mid_price(const InstrumentPrices& p);

}  // namespace tradingd
