// Historical-data loading throughput: one year of 1-minute Binance klines (525,600 rows, generated into a
// temp file in this run) parsed into exact fixed-point Bars, next to a baseline that only splits the same
// file into lines with the same reader, so the figure shows what parsing costs on top of the I/O. Also: the
// cache's OHLCV format, the µs-stamped archive format, and the event-time merge of two such files.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "backtest/history_cache.h"
#include "backtest/kline_csv.h"
#include "backtest/line_reader.h"
#include "backtest/merge.h"
#include "backtest/ohlcv_csv.h"

namespace {
using namespace tradingd;
using namespace tradingd::backtest;

constexpr int kBars = 525'600;                        // 365 days of minutes
constexpr std::int64_t kStartMs = 1'704'067'200'000;  // 2024-01-01

// Rows shaped like the archive's (8-decimal strings, real-looking magnitudes), from a seeded walk.
std::string kline_rows(bool micros) {
  std::string out;
  out.reserve(static_cast<std::size_t>(kBars) * 150);
  std::uint64_t state = 42;
  std::int64_t cents = 4'200'000;
  char buf[256];
  const std::int64_t mult = micros ? 1000 : 1;
  for (int i = 0; i < kBars; ++i) {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    const std::int64_t open = cents;
    cents += static_cast<std::int64_t>(state % 2001) - 1000;
    const std::int64_t close = cents, high = std::max(open, close) + static_cast<std::int64_t>(state % 700),
                       low = std::min(open, close) - static_cast<std::int64_t>(state % 500);
    const std::int64_t t = kStartMs + static_cast<std::int64_t>(i) * 60'000;
    const auto vol = static_cast<long long>(state % 90'000'000'000);
    std::snprintf(
        buf, sizeof buf,
        "%lld,%lld.%02lld000000,%lld.%02lld000000,%lld.%02lld000000,%lld.%02lld000000,%lld.%08lld,%lld,%lld.%08lld,%"
        "lld,"
        "%lld.%08lld,%lld.%08lld,0\n",
        static_cast<long long>(t * mult), static_cast<long long>(open / 100), static_cast<long long>(open % 100),
        static_cast<long long>(high / 100), static_cast<long long>(high % 100), static_cast<long long>(low / 100),
        static_cast<long long>(low % 100), static_cast<long long>(close / 100), static_cast<long long>(close % 100),
        vol / 100'000'000, vol % 100'000'000, static_cast<long long>((t + 60'000) * mult - 1), vol / 2'000,
        vol % 100'000'000, static_cast<long long>(state % 3000), vol / 200'000'000, vol % 100'000'000, vol / 4'000,
        vol % 100'000'000);
    out += buf;
  }
  return out;
}

struct Files {
  std::filesystem::path dir = std::filesystem::temp_directory_path() / ("tradingd_bench_" + std::to_string(::getpid()));
  std::filesystem::path ms, us, ohlcv, eth;
  Files() {
    std::filesystem::create_directories(dir);
    // Archive-style names (the reader takes the symbol from them); each file holds the whole year.
    ms = dir / "BTCUSDT-1m-2024-01.csv";
    us = dir / "BTCUSDT-1m-2025-01.csv";
    eth = dir / "ETHUSDT-1m-2024-01.csv";
    ohlcv = dir / "btc-ohlcv.csv";
    const std::string rows = kline_rows(false);
    std::ofstream(ms, std::ios::binary) << rows;
    std::ofstream(eth, std::ios::binary) << rows;
    std::ofstream(us, std::ios::binary) << kline_rows(true);
    // The cache's format, from the parsed bars.
    auto r = BinanceKlineReader::open(ms);
    std::vector<Bar> bars;
    Bar b;
    while (r->next(b) == ReadStatus::Item) bars.push_back(b);
    std::ofstream(ohlcv, std::ios::binary) << format_ohlcv_csv(bars);
  }
  ~Files() {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
};
const Files& files() {
  static const Files f;
  return f;
}

void report(benchmark::State& state, const std::filesystem::path& p, std::int64_t items) {
  state.SetItemsProcessed(state.iterations() * items);
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(std::filesystem::file_size(p)));
  state.counters["rows"] = static_cast<double>(items);
}

// Baseline: the same file, the same reader, lines only.
void BM_ReadLinesOnly(benchmark::State& state) {
  const auto& p = files().ms;
  std::int64_t n = 0;
  for (auto _ : state) {
    auto r = LineReader::open(p);
    std::string_view line;
    n = 0;
    while (r->next(line) == ReadStatus::Item) {
      benchmark::DoNotOptimize(line.data());
      ++n;
    }
  }
  report(state, p, n);
}
BENCHMARK(BM_ReadLinesOnly)->Unit(benchmark::kMillisecond);

template <class Reader, class Options>
void parse_bars(benchmark::State& state, const std::filesystem::path& p, const Options& options) {
  std::int64_t n = 0;
  for (auto _ : state) {
    auto r = Reader::open(p, options);
    Bar b;
    n = 0;
    while (r->next(b) == ReadStatus::Item) {
      benchmark::DoNotOptimize(b.close);
      ++n;
    }
    if (r->next(b) == ReadStatus::Error) state.SkipWithError(r->error().to_string().c_str());
  }
  report(state, p, n);
}

void BM_ParseBinanceKlinesMs(benchmark::State& state) {
  parse_bars<BinanceKlineReader>(state, files().ms, BinanceKlineOptions{});
}
BENCHMARK(BM_ParseBinanceKlinesMs)->Unit(benchmark::kMillisecond);

void BM_ParseBinanceKlinesUs(benchmark::State& state) {
  parse_bars<BinanceKlineReader>(state, files().us, BinanceKlineOptions{});
}
BENCHMARK(BM_ParseBinanceKlinesUs)->Unit(benchmark::kMillisecond);

void BM_ParseOhlcvCache(benchmark::State& state) {
  parse_bars<OhlcvCsvReader>(
      state, files().ohlcv,
      OhlcvCsvOptions{InstrumentId{Venue::Binance, MarketKind::Spot, Symbol::from("BTCUSDT")}, 60});
}
BENCHMARK(BM_ParseOhlcvCache)->Unit(benchmark::kMillisecond);

// Two instruments' years merged into one event-time stream (1,051,200 events).
void BM_MergeTwoKlineFiles(benchmark::State& state) {
  std::int64_t n = 0;
  for (auto _ : state) {
    EventMerger m;
    for (const auto* p : {&files().ms, &files().eth}) {
      auto r = BinanceKlineReader::open(*p);
      m.add(make_bar_source(std::make_unique<BinanceKlineReader>(std::move(*r))));
    }
    HistoricalEvent e;
    n = 0;
    while (m.next(e) == ReadStatus::Item) {
      benchmark::DoNotOptimize(e.ts_ns);
      ++n;
    }
  }
  state.SetItemsProcessed(state.iterations() * n);
  state.counters["events"] = static_cast<double>(n);
}
BENCHMARK(BM_MergeTwoKlineFiles)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
