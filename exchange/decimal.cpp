// The out-of-line slow path of parse_decimal_raw: core's exact parser (exponents, long digit runs, errors).
#include "exchange/decimal.h"

namespace tradingd {

bool parse_decimal_raw_slow(std::string_view s, std::int64_t& out) noexcept {
  auto r = fixed::parse_raw(s);
  if (!r.ok()) return false;
  out = *r;
  return true;
}

}  // namespace tradingd
