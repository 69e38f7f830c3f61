// Shared by the parser fuzz targets: a strict instrument list (so the decoders' per-instrument books stay
// bounded over millions of inputs) and the invariant every fed book must keep: a book marked valid is never
// crossed. A broken invariant traps, which libFuzzer (or the standalone driver) reports as a crash.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string_view>

#include "exchange/decoder.h"

namespace tradingd::fuzz {

inline InstrumentLookup make_lookup(Venue venue, std::initializer_list<std::string_view> symbols, MarketKind kind) {
  InstrumentLookup lookup(venue);
  for (auto s : symbols) lookup.add(InstrumentId{venue, kind, *Symbol::make(s)});
  return lookup;
}

inline void check_books(const FeedDecoder& decoder, const InstrumentLookup& lookup, MarketKind kind,
                        std::initializer_list<std::string_view> symbols) {
  for (auto s : symbols) {
    auto id = lookup.resolve(kind, s);
    if (!id) continue;
    const OrderBook* book = decoder.book(*id);
    if (book && book->valid() && book->is_crossed()) __builtin_trap();
  }
}

struct NullListener final : DecoderListener {};

}  // namespace tradingd::fuzz
