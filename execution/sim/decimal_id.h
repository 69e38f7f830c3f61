// The simulated venue's order and trade ids: its counters in canonical decimal ("17", never "017"), made
// without building a std::string, and read back so lookups by venue order id index a number, not text.
#pragma once

#include <charconv>
#include <cstdint>
#include <string_view>

#include "core/inline_string.h"

namespace tradingd::sim {

template <std::size_t N>
InlineString<N> decimal_id(std::uint64_t number) {
  static_assert(N >= 20, "room for any uint64");
  char buf[20];
  const auto end = std::to_chars(buf, buf + sizeof buf, number).ptr;
  return *InlineString<N>::make(std::string_view(buf, static_cast<std::size_t>(end - buf)));
}

// The number an id spells in canonical decimal, else 0 (our counters start at 1).
inline std::uint64_t decimal_id_number(std::string_view v) noexcept {
  if (v.empty() || v.front() == '0') return 0;
  std::uint64_t n = 0;
  const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  return ec == std::errc{} && end == v.data() + v.size() ? n : 0;
}

}  // namespace tradingd::sim
