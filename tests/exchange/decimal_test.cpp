// The parsers' fast exact-decimal path agrees with core's fixed::parse_raw on every input (it is a fast
// path, never a second definition), and funding rates round half away from zero to 1e-9 only when asked.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <string_view>

#include "exchange/decimal.h"
#include "exchange/detail/json_read.h"

namespace tradingd {
namespace {

void expect_same(const std::string& s) {
  std::int64_t fast = 0;
  const bool ok = parse_decimal_raw(s, fast);
  const auto core = fixed::parse_raw(s);
  ASSERT_EQ(ok, core.ok()) << '"' << s << '"';
  if (ok) {
    EXPECT_EQ(fast, *core) << '"' << s << '"';
  }
}

TEST(Decimal, VenueShapes) {
  std::int64_t raw = 0;
  ASSERT_TRUE(parse_decimal_raw("7.6110", raw));
  EXPECT_EQ(raw, 7'611'000'000);
  ASSERT_TRUE(parse_decimal_raw("0.00000001", raw));
  EXPECT_EQ(raw, 10);
  ASSERT_TRUE(parse_decimal_raw("27450", raw));
  EXPECT_EQ(raw, 27'450'000'000'000);
  ASSERT_TRUE(parse_decimal_raw("9223372036.854775807", raw));
  EXPECT_EQ(raw, INT64_MAX);
  EXPECT_FALSE(parse_decimal_raw("9223372036.854775808", raw));
  EXPECT_FALSE(parse_decimal_raw("0.0000000001", raw));  // below 1e-9: never rounded
  EXPECT_TRUE(parse_decimal_raw("0.0000000010", raw));   // a trailing zero below 1e-9 is exact
  EXPECT_EQ(raw, 1);
  for (const char* bad : {"", "-", ".", "1.", ".5", "1e", "1.2.3", "abc", "1 ", " 1", "+1", "--1", "0x10"})
    EXPECT_FALSE(parse_decimal_raw(bad, raw)) << bad;
}

TEST(Decimal, AgreesWithCoreOnEdgeCases) {
  for (const char* s : {"0", "-0", "00", "01.5", "1e3", "1E-9", "1.5e2", "123456789012.5", "9999999999",
                        "99999999999", "10000000000", "9223372036", "9223372037", "-9223372036.854775807",
                        "0.123456789", "0.1234567890", "0.1234567891", "12345678901234567890", "5.14", "41007.0"})
    expect_same(s);
}

TEST(Decimal, AgreesWithCoreOnRandomStrings) {
  std::mt19937_64 rng(20260722);
  const std::string alphabet = "0123456789.-e+";
  for (int i = 0; i < 200000; ++i) {
    std::string s;
    const int len = static_cast<int>(rng() % 24);
    // Mostly digit strings with a dot, so the fast path is exercised; sometimes any alphabet character.
    for (int k = 0; k < len; ++k) {
      const auto r = rng() % 100;
      s += r < 85 ? static_cast<char>('0' + rng() % 10) : r < 95 ? '.' : alphabet[rng() % alphabet.size()];
    }
    expect_same(s);
  }
}

// The parsers' in-place scanner of quoted level strings (eight digits at a time) against core: it may
// decline (the slow path then decides), but whatever it accepts must be exactly core's value, its
// canonical flag must match formatting, and it never reads the padding as digits.
void expect_scanner_agrees(const std::string& body, char padding) {
  std::string buf = "\"" + body + "\"";
  const std::size_t len = buf.size();
  buf.append(kParsePadding, padding);
  const char* p = buf.data();
  std::int64_t raw = 0;
  std::string_view text;
  bool canonical = false;
  if (!detail::scan_decimal_string(p, buf.data() + len, raw, text, canonical)) return;
  const auto core = fixed::parse_raw(body);
  ASSERT_TRUE(core.ok()) << body;
  EXPECT_EQ(raw, *core) << body;
  EXPECT_EQ(text, body);
  EXPECT_EQ(p, buf.data() + len);
  EXPECT_EQ(canonical, fixed::format_raw(raw) == body) << body;
}

TEST(Decimal, LevelScannerAgreesWithCore) {
  std::mt19937_64 rng(99);
  std::size_t accepted = 0;
  for (int i = 0; i < 200000; ++i) {
    std::string s;
    const int int_len = static_cast<int>(rng() % 13);
    for (int k = 0; k < int_len; ++k) s += static_cast<char>('0' + rng() % 10);
    if (rng() % 3) {
      s += '.';
      const int frac_len = static_cast<int>(rng() % 12);
      for (int k = 0; k < frac_len; ++k) s += static_cast<char>('0' + (rng() % 4 == 0 ? 0 : rng() % 10));
    }
    if (rng() % 50 == 0) s.insert(rng() % (s.size() + 1), 1, "e-+x\\"[rng() % 5]);
    expect_scanner_agrees(s, '7');  // digits in the padding must not be read as part of the number
    std::int64_t raw;
    if (parse_decimal_raw(s, raw)) ++accepted;
  }
  for (const char* s : {"7.6110", "0", "0.00000001", "9223372036.854775807", "12345678", "123456789", "1234567890",
                        "12345678901", "0.123456789", "0.1234567891", "00.5", "7.", ".5", "", "1e5"})
    expect_scanner_agrees(s, '1');
  EXPECT_GT(accepted, 50000u);
}

TEST(Decimal, RatesRoundHalfAwayFromZeroBeyondNineDecimals) {
  std::int64_t raw = 0;
  ASSERT_TRUE(parse_rate_raw_rounded("0.0001515032", raw));  // OKX funding history
  EXPECT_EQ(raw, 151503);
  ASSERT_TRUE(parse_rate_raw_rounded("0.0001515035", raw));
  EXPECT_EQ(raw, 151504);
  ASSERT_TRUE(parse_rate_raw_rounded("-0.0000236017", raw));
  EXPECT_EQ(raw, -23602);
  ASSERT_TRUE(parse_rate_raw_rounded("-0.0000000004", raw));
  EXPECT_EQ(raw, 0);
  ASSERT_TRUE(parse_rate_raw_rounded("0.00038167", raw));  // exact ones are unchanged
  EXPECT_EQ(raw, 381670);
  EXPECT_FALSE(parse_rate_raw_rounded("0.0001x15032", raw));
  EXPECT_FALSE(parse_rate_raw_rounded("", raw));
}

}  // namespace
}  // namespace tradingd
