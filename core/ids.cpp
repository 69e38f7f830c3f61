// Text form of instrument ids: "<venue>:<market kind>:<symbol>".
#include "core/ids.h"

#include <ostream>

namespace tradingd {

std::string InstrumentId::to_string() const {
  std::string s;
  s.reserve(48);
  s.append(tradingd::to_string(venue)).append(":").append(tradingd::to_string(kind)).append(":").append(symbol.view());
  return s;
}

std::optional<InstrumentId> InstrumentId::parse(std::string_view text) {
  const auto a = text.find(':');
  if (a == std::string_view::npos) return std::nullopt;
  const auto b = text.find(':', a + 1);
  if (b == std::string_view::npos) return std::nullopt;
  auto venue = parse_venue(text.substr(0, a));
  auto kind = parse_market_kind(text.substr(a + 1, b - a - 1));
  auto sym_text = text.substr(b + 1);
  auto symbol = Symbol::make(sym_text);
  if (!venue || !kind || !symbol || sym_text.empty()) return std::nullopt;
  return InstrumentId{*venue, *kind, *symbol};
}

std::ostream& operator<<(std::ostream& os, const InstrumentId& id) { return os << id.to_string(); }

}  // namespace tradingd
