// The simulated venue's order and trade ids: its counters in canonical decimal ("17", never "017"), made
// without building a std::string, and read back so lookups by venue order id index a number, not text.
#pragma once

#include <charconv>
#include <cstdint>
#include <cstring>
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

// A counter that hands out its values as decimal ids (those of decimal_id): the text is kept and
// advanced digit by digit, so an id costs no division (the venue makes one per order and one per fill).
template <std::size_t N>
class DecimalCounter {
  static_assert(N >= 20, "room for any uint64");

 public:
  explicit DecimalCounter(std::uint64_t next = 1) noexcept { reset(next); }
  void reset(std::uint64_t next) noexcept {
    next_ = next;
    char buf[kWidth];
    const auto end = std::to_chars(buf, buf + kWidth, next).ptr;
    const auto len = static_cast<std::size_t>(end - buf);
    first_ = kWidth - len;
    std::memcpy(digits_ + first_, buf, len);
  }
  // The number the next id spells.
  std::uint64_t next() const noexcept { return next_; }
  // decimal_id<N>(next()), then next() + 1.
  InlineString<N> take() noexcept {
    const InlineString<N> id = *InlineString<N>::make(std::string_view(digits_ + first_, kWidth - first_));
    if (++next_ == 0) {  // wrapped, as the number itself does
      reset(0);
      return id;
    }
    for (std::size_t i = kWidth; i-- > first_;) {
      if (digits_[i] != '9') {
        ++digits_[i];
        return id;
      }
      digits_[i] = '0';
    }
    digits_[--first_] = '1';  // 9..9 + 1: one digit more (never past 20: the number is below 2^64)
    return id;
  }

 private:
  static constexpr std::size_t kWidth = 20;
  char digits_[kWidth] = {};  // right-aligned
  std::size_t first_ = kWidth;
  std::uint64_t next_ = 0;
};

}  // namespace tradingd::sim
