// The instruments one venue connection may carry, found by the venue's own symbol. Parsers use it to
// turn a symbol into an InstrumentId; an unknown symbol is a typed error, unless the lookup was made
// permissive (replay of a recording whose instruments are not loaded: ids are synthesised from the symbol).
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "core/ids.h"
#include "core/instrument.h"

namespace tradingd {

class InstrumentLookup {
 public:
  explicit InstrumentLookup(Venue venue, bool accept_unknown = false) : venue_(venue), accept_unknown_(accept_unknown) {}

  Venue venue() const { return venue_; }
  void add(const Instrument& instrument) { add(instrument.id); }
  void add(const InstrumentId& id);

  // The instrument of (kind, symbol): a listed one, a synthesised one when permissive, else nullopt.
  std::optional<InstrumentId> resolve(MarketKind kind, std::string_view symbol) const;

 private:
  Venue venue_;
  bool accept_unknown_;
  // Few instruments per connection: a flat vector with the last hit checked first beats hashing.
  std::vector<InstrumentId> ids_;
  mutable std::size_t last_hit_ = 0;
};

}  // namespace tradingd
