// InstrumentLookup: linear search with a last-hit shortcut (a connection carries a handful of symbols).
#include "exchange/instrument_lookup.h"

#include "exchange/parse_types.h"

namespace tradingd {

void InstrumentLookup::add(const InstrumentId& id) {
  for (const auto& existing : ids_)
    if (existing == id) return;
  ids_.push_back(id);
}

std::optional<InstrumentId> InstrumentLookup::resolve(MarketKind kind, std::string_view symbol) const {
  if (last_hit_ < ids_.size()) {
    const auto& id = ids_[last_hit_];
    if (id.kind == kind && id.symbol.view() == symbol) return id;
  }
  for (std::size_t i = 0; i < ids_.size(); ++i) {
    if (ids_[i].kind == kind && ids_[i].symbol.view() == symbol) {
      last_hit_ = i;
      return ids_[i];
    }
  }
  if (!accept_unknown_) return std::nullopt;
  auto sym = make_inline<Symbol>(symbol);
  if (!sym || symbol.empty()) return std::nullopt;
  return InstrumentId{venue_, kind, *sym};
}

}  // namespace tradingd
