// The one-pass kline row parser and its in-place decimal reader against the general path they short-cut:
// seeded random fields and rows (valid and not, every length and scale, both timestamp units). Whatever the
// fast path accepts must equal what the general path gives; what it declines is the general path's to
// decide, so the reader's results and errors cannot change.
#include <gtest/gtest.h>

#include <array>
#include <random>
#include <string>

#include "backtest/csv_fields.h"
#include "backtest/kline_csv.h"

namespace tradingd::backtest {
namespace {

const InstrumentId kBtc{Venue::Binance, MarketKind::Spot, Symbol::from("BTCUSDT")};

class Gen {
 public:
  explicit Gen(std::uint64_t seed) : rng_(seed) {}
  std::uint64_t below(std::uint64_t n) { return rng_() % n; }
  bool one_in(std::uint64_t n) { return below(n) == 0; }
  std::string digits(std::size_t n) {
    std::string s;
    for (std::size_t i = 0; i < n; ++i) s += static_cast<char>('0' + below(10));
    return s;
  }
  // Mostly the plain shape at every length (0..11 integer and fraction digits, so past both 9-digit limits),
  // with leading and trailing zeros, values at the type's limit and the odd foreign byte.
  std::string decimal() {
    switch (below(40)) {
      case 0:
        return "";
      case 1:
        return "9223372036.854775807";
      case 2:
        return "9223372036.854775808";
      case 3:
        return "999999999.999999999";
      case 4:
        return "-999999999.999999999";
      case 5:
        return "1e" + digits(1);
      case 6:
        return "0." + std::string(below(12), '0') + "1";
      default:
        break;
    }
    std::string s;
    if (one_in(8)) s += '-';
    std::string int_part = digits(below(12));
    if (one_in(6)) int_part = std::string(1 + below(4), '0') + int_part;  // leading zeros
    s += int_part;
    if (!one_in(4)) {
      s += '.';
      std::string frac = digits(below(12));
      if (one_in(4)) frac += std::string(1 + below(4), '0');  // trailing zeros
      s += frac;
    }
    if (one_in(30)) s.insert(below(s.size() + 1), 1, " \t+e.-x\r"[below(8)]);
    return s;
  }

 private:
  std::mt19937_64 rng_;
};

TEST(KlineFastPath, InPlaceDecimalsAgreeWithTheGeneralParser) {
  Gen g(20240101);
  int accepted = 0;
  constexpr int kCases = 200'000;
  for (int i = 0; i < kCases; ++i) {
    const std::string field = g.decimal();
    // The field as it sits in a row: a comma, then (usually) room for the word reads.
    const std::string row = field + (g.one_in(10) ? "," : ",1704067259999,0,1,0,0,0");
    const char* p = row.data();
    std::int64_t raw = 0;
    const bool fast = read_plain_decimal_words(p, row.data() + row.size(), raw) && *p == ',' &&
                      p == row.data() + field.size();
    Price today;
    std::string error;
    const bool general = read_decimal(field, "open", today, error);
    if (parse_plain_decimal_raw(field) && row.size() > field.size() + 8) {
      EXPECT_TRUE(fast) << '"' << field << '"';  // the shape it exists for is never declined
    }
    if (!fast) continue;
    ++accepted;
    ASSERT_TRUE(general) << '"' << field << "\": " << error;
    ASSERT_EQ(raw, today.raw()) << '"' << field << '"';
    ASSERT_EQ(raw, Price::from_string(field).raw()) << '"' << field << '"';
  }
  EXPECT_GT(accepted, kCases / 3);
}

// An epoch in the row's unit, now and then with a leading zero or sign, or in seconds or nanoseconds.
std::string epoch(Gen& g, std::int64_t value) {
  std::string s = std::to_string(value);
  if (g.one_in(200)) s = "0" + s;
  if (g.one_in(200)) s = "-" + s;
  if (g.one_in(300)) s = std::to_string(value / 1000);
  if (g.one_in(300)) s = std::to_string(value) + "000";
  return s;
}

TEST(KlineFastPath, RowsAgreeWithTheGeneralParser) {
  Gen g(7);
  int accepted = 0;
  constexpr int kCases = 150'000;
  for (int i = 0; i < kCases; ++i) {
    const bool micros = g.one_in(2);
    const std::int64_t open_ms = 1'500'000'000'000LL + static_cast<std::int64_t>(g.below(300'000'000)) * 60'000;
    const std::int64_t interval_ms = g.one_in(3) ? 3'600'000 : 60'000;
    const std::int64_t unit = micros ? 1000 : 1;
    std::int64_t close = (open_ms + interval_ms) * unit - 1;
    if (g.one_in(50)) close += 1;
    const std::int64_t interval_s =
        g.one_in(20) ? std::array<std::int64_t, 3>{0, 60, 3600}[g.below(3)] : (g.one_in(3) ? 0 : interval_ms / 1000);
    // Valid OHLC most of the time, so the value checks pass and the bar is built.
    std::string o, h, l, c;
    if (g.one_in(4)) {
      o = g.decimal(), h = g.decimal(), l = g.decimal(), c = g.decimal();
    } else {
      const std::string base = g.digits(1 + g.below(6));
      const std::string low = std::to_string(1 + g.below(9)) + base;
      l = low + "." + g.digits(1 + g.below(9));
      h = std::to_string(std::stoll(low) + 1) + "." + g.digits(1 + g.below(9));
      o = g.one_in(2) ? l : h;
      c = g.one_in(2) ? h : l + "0";
    }
    std::string line = epoch(g, open_ms * unit) + "," + o + "," + h + "," + l + "," + c + "," +
                       (g.one_in(4) ? g.decimal() : g.digits(1 + g.below(9)) + "." + g.digits(1 + g.below(9))) + "," +
                       epoch(g, close);
    const std::size_t tail = g.one_in(30) ? g.below(8) : 5;
    for (std::size_t k = 0; k < tail; ++k) line += "," + (g.one_in(2) ? std::string("0") : g.decimal());
    if (g.one_in(30)) line += "\r";

    Bar fast_bar;
    fast_bar.ts_recv_ns = 12345;  // overwritten by an accepted row, as the general path's fresh Bar has 0
    const bool fast = parse_binance_kline_row_fast(line, kBtc, interval_s, fast_bar);
    const auto general = parse_binance_kline_row(line, kBtc, interval_s);
    if (!fast) continue;
    ++accepted;
    ASSERT_TRUE(general) << line << ": " << general.error();
    const Bar& b = *general;
    ASSERT_EQ(fast_bar.instrument, b.instrument) << line;
    ASSERT_EQ(fast_bar.interval_s, b.interval_s) << line;
    ASSERT_EQ(fast_bar.ts_open_ns, b.ts_open_ns) << line;
    ASSERT_EQ(fast_bar.open.raw(), b.open.raw()) << line;
    ASSERT_EQ(fast_bar.high.raw(), b.high.raw()) << line;
    ASSERT_EQ(fast_bar.low.raw(), b.low.raw()) << line;
    ASSERT_EQ(fast_bar.close.raw(), b.close.raw()) << line;
    ASSERT_EQ(fast_bar.volume.raw(), b.volume.raw()) << line;
    ASSERT_EQ(fast_bar.closed, b.closed) << line;
    ASSERT_EQ(fast_bar.ts_recv_ns, b.ts_recv_ns) << line;
  }
  EXPECT_GT(accepted, kCases / 5);  // the rest exercise the declines
}

TEST(KlineFastPath, ArchiveRowsOfBothUnitsTakeIt) {
  Bar b;
  ASSERT_TRUE(parse_binance_kline_row_fast(
      "1704067200000,42283.58000000,42298.62000000,42283.58000000,42298.61000000,35.92724000,1704067259999,"
      "1519032.77739290,1220,21.79766000,921571.01718560,0",
      kBtc, 60, b));
  EXPECT_EQ(b.close, Price::from_string("42298.61"));
  ASSERT_TRUE(parse_binance_kline_row_fast(
      "1735689600000000,93576.00000000,93610.93000000,93537.50000000,93610.93000000,8.21827000,1735689659999999,"
      "768978.48366040,1620,4.08164000,382002.30624350,0",
      kBtc, 0, b));
  EXPECT_EQ(b.interval_s, 60);
  EXPECT_EQ(b.ts_open_ns, 1735689600000000LL * kNanosPerMicro);
  // Declined, so the general path words the error: too few columns, a space, an exponent, a bad close_time.
  for (std::string_view row : {"1704067200000,1,2,1,1,1,1704067259999,0,0,0,0",
                               "1704067200000, 1,2,1,1,1,1704067259999,0,0,0,0,0",
                               "1704067200000,1,2,1,1,1e3,1704067259999,0,0,0,0,0",
                               "1704067200000,1,2,1,1,1,1704067319999,0,0,0,0,0", "1704067200000,1,2,1,1,1,17"})
    EXPECT_FALSE(parse_binance_kline_row_fast(row, kBtc, 60, b)) << row;
}

}  // namespace
}  // namespace tradingd::backtest
