// Generated 1-minute klines for the engine and command tests: a slow sine wave plus a seeded wiggle, so a
// moving-average crossover trades a few times an hour, in the Binance archive's CSV format.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "exchange/market_data.h"

namespace tradingd::backtest::test {

inline constexpr std::int64_t kJan2024Ms = 1'704'067'200'000;  // 2024-01-01T00:00:00Z

// Prices in whole cents so every value is an exact decimal.
struct GenBar {
  std::int64_t open_ms = 0;
  std::int64_t o = 0, h = 0, l = 0, c = 0;  // cents
  std::int64_t volume_milli = 0;            // 0.001 units
};

inline std::vector<GenBar> gen_bars(int count, std::int64_t start_ms = kJan2024Ms, std::uint64_t seed = 7) {
  std::vector<GenBar> out;
  std::uint64_t s = seed;
  std::int64_t prev = 4'200'000;
  for (int i = 0; i < count; ++i) {
    s = s * 6364136223846793005ULL + 1442695040888963407ULL;
    const double wave = 30000.0 * std::sin(i / 25.0) + 12000.0 * std::sin(i / 7.0);
    const std::int64_t close = 4'200'000 + static_cast<std::int64_t>(wave) + static_cast<std::int64_t>(s >> 54) - 512;
    GenBar b;
    b.open_ms = start_ms + static_cast<std::int64_t>(i) * 60'000;
    b.o = prev;
    b.c = close;
    b.h = std::max(b.o, b.c) + static_cast<std::int64_t>((s >> 40) % 900);
    b.l = std::min(b.o, b.c) - static_cast<std::int64_t>((s >> 30) % 900);
    b.volume_milli = 5'000 + static_cast<std::int64_t>((s >> 20) % 50'000);
    prev = close;
    out.push_back(b);
  }
  return out;
}

inline std::string cents(std::int64_t v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%lld.%02lld", static_cast<long long>(v / 100), static_cast<long long>(v % 100));
  return buf;
}

// Rows of the archive's kline CSV (no header; millisecond stamps).
inline std::string kline_csv(const std::vector<GenBar>& bars) {
  std::string out;
  char buf[256];
  for (const auto& b : bars) {
    std::snprintf(buf, sizeof buf, "%lld,%s,%s,%s,%s,%lld.%03lld,%lld,0,10,0,0,0\n", static_cast<long long>(b.open_ms),
                  cents(b.o).c_str(), cents(b.h).c_str(), cents(b.l).c_str(), cents(b.c).c_str(),
                  static_cast<long long>(b.volume_milli / 1000), static_cast<long long>(b.volume_milli % 1000),
                  static_cast<long long>(b.open_ms + 59'999));
    out += buf;
  }
  return out;
}

inline Bar to_bar(const GenBar& g, const InstrumentId& id) {
  Bar b;
  b.instrument = id;
  b.interval_s = 60;
  b.ts_open_ns = g.open_ms * 1'000'000;
  b.open = Price::from_string(cents(g.o));
  b.high = Price::from_string(cents(g.h));
  b.low = Price::from_string(cents(g.l));
  b.close = Price::from_string(cents(g.c));
  b.volume = Quantity::from_raw(g.volume_milli * 1'000'000);
  return b;
}

}  // namespace tradingd::backtest::test
