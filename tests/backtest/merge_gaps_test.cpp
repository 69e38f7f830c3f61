// The event-time merge (order, ties by source order, bars at their close, errors) and gap detection.
#include <gtest/gtest.h>

#include "backtest/gaps.h"
#include "backtest/kline_csv.h"
#include "backtest/merge.h"
#include "tests/backtest/test_util.h"

namespace tradingd::backtest {
namespace {

using test::TempDir;

constexpr UnixNanos kT0 = 1'704'067'200LL * kNanosPerSecond;  // 2024-01-01T00:00:00Z
constexpr std::int64_t kMin = 60 * kNanosPerSecond;

InstrumentId inst(Venue v, std::string_view s) { return {v, MarketKind::Spot, Symbol::from(s)}; }

HistoricalEvent trade_at(UnixNanos t, std::string_view id) {
  TradeTick tick;
  tick.instrument = inst(Venue::Bybit, "ETHUSDT");
  tick.trade_id = TradeId::from(id);
  tick.ts_event_ns = t;
  return HistoricalEvent{t, 0, tick};
}

std::string label(const HistoricalEvent& e) {
  if (const auto* t = std::get_if<TradeTick>(&e.payload)) return std::string(t->trade_id.view());
  if (const auto* b = std::get_if<Bar>(&e.payload))
    return std::string(b->instrument.symbol.view()) + "@" + std::to_string((b->ts_open_ns - kT0) / kMin);
  return "frame:" + std::get<RawFrame>(e.payload).text;
}

std::vector<std::string> drain(EventMerger& m) {
  std::vector<std::string> out;
  HistoricalEvent e;
  while (m.next(e) == ReadStatus::Item) out.push_back(label(e) + "/" + std::to_string(e.source));
  return out;
}

std::string minute_rows(UnixNanos first_open, int n) {
  std::string s;
  for (int i = 0; i < n; ++i) {
    const std::int64_t open_ms = (first_open + i * kMin) / kNanosPerMilli;
    s += std::to_string(open_ms) + ",1,1,1,1,1," + std::to_string(open_ms + 59'999) + ",0,0,0,0,0\n";
  }
  return s;
}

TEST(EventMerger, InterleavesSourcesByEventTimeWithTiesInSourceOrder) {
  TempDir dir;
  EventMerger m;
  // Source 0: BTC minute bars opening at 0,1,2 -> stamped at their closes 1,2,3 (minutes).
  auto btc = BinanceKlineReader::open(dir.write("BTCUSDT-1m-2024-01.csv", minute_rows(kT0, 3)));
  ASSERT_TRUE(btc);
  m.add(make_bar_source(std::make_unique<BinanceKlineReader>(std::move(*btc))));
  // Source 1: trades at 0.5, 1 (a tie with BTC's first bar: the bar, from source 0, goes first), 1, 2.5.
  m.add(make_vector_source("trades", {trade_at(kT0 + kMin / 2, "t1"), trade_at(kT0 + kMin, "t2"),
                                      trade_at(kT0 + kMin, "t3"), trade_at(kT0 + 5 * kMin / 2, "t4")}));
  // Source 2: another venue's bars, opening at 0 and 2 -> closes 1 and 3: ties with source 0 and 1.
  auto eth = BinanceKlineReader::open(
      dir.write("ETHUSDT-1m-2024-01.csv", minute_rows(kT0, 1) + minute_rows(kT0 + 2 * kMin, 1)));
  ASSERT_TRUE(eth);
  m.add(make_bar_source(std::make_unique<BinanceKlineReader>(std::move(*eth))));
  EXPECT_EQ(m.source_count(), 3u);
  EXPECT_EQ(drain(m), (std::vector<std::string>{"t1/1", "BTCUSDT@0/0", "t2/1", "t3/1", "ETHUSDT@0/2", "BTCUSDT@1/0",
                                                "t4/1", "BTCUSDT@2/0", "ETHUSDT@2/2"}));
}

TEST(EventMerger, SameInputsSameSequence) {
  auto build = [] {
    EventMerger m;
    for (int s = 0; s < 4; ++s) {
      std::vector<HistoricalEvent> events;
      for (int i = 0; i < 50; ++i)
        events.push_back(trade_at(kT0 + (i * (s + 1) / 3) * kMin, "s" + std::to_string(s) + "-" + std::to_string(i)));
      m.add(make_vector_source("s" + std::to_string(s), std::move(events)));
    }
    return drain(m);
  };
  const auto a = build();
  EXPECT_EQ(a.size(), 200u);
  EXPECT_EQ(a, build());
}

TEST(EventMerger, EmptyMergerAndEmptySourcesEnd) {
  EventMerger none;
  HistoricalEvent e;
  EXPECT_EQ(none.next(e), ReadStatus::End);
  EventMerger m;
  m.add(make_vector_source("empty", {}));
  m.add(make_vector_source("one", {trade_at(kT0, "x")}));
  EXPECT_EQ(drain(m), (std::vector<std::string>{"x/1"}));
}

TEST(EventMerger, ASourceGoingBackInTimeStopsTheMergeWithItsName) {
  EventMerger m;
  m.add(make_vector_source("bad.csv", {trade_at(kT0 + kMin, "a"), trade_at(kT0, "b")}));
  HistoricalEvent e;
  ASSERT_EQ(m.next(e), ReadStatus::Item);  // "a" itself is fine
  ASSERT_EQ(m.next(e), ReadStatus::Error);
  EXPECT_EQ(m.error().to_string(), "bad.csv: events go back in time (2024-01-01T00:00:00Z after 2024-01-01T00:01:00Z)");
  EXPECT_EQ(m.next(e), ReadStatus::Error);
}

TEST(EventMerger, AReaderErrorStopsTheMergeWithFileAndLine) {
  TempDir dir;
  const auto path = dir.write("BTCUSDT-1m-2024-01.csv", minute_rows(kT0, 1) + "garbage\n");
  auto r = BinanceKlineReader::open(path);
  ASSERT_TRUE(r);
  EventMerger m;
  m.add(make_bar_source(std::make_unique<BinanceKlineReader>(std::move(*r))));
  HistoricalEvent e;
  EXPECT_EQ(m.next(e), ReadStatus::Item);
  EXPECT_EQ(m.next(e), ReadStatus::Error);
  EXPECT_EQ(m.error().to_string(), path.string() + ":2: expected 12 columns, found 1");
}

TEST(EventMerger, FramesTakeTheirStampAndNeverGoBackwards) {
  TempDir dir;
  // A recording: a control reply without time, two frames, one stamped earlier than its predecessor
  // (different streams' event times interleave): it keeps the previous time, i.e. the receive order.
  const auto path = dir.write("binance-rec.jsonl", "{\"result\":null}\n{\"E\":120}\n{\"E\":90}\n{\"E\":180}\n");
  auto reader = FrameReader::open(path);
  ASSERT_TRUE(reader);
  FrameTimestamper ts = [](Venue v, std::string_view text) -> std::optional<UnixNanos> {
    EXPECT_EQ(v, Venue::Binance);
    const auto p = text.find("\"E\":");
    if (p == std::string_view::npos) return std::nullopt;
    return kT0 + std::stoll(std::string(text.substr(p + 4))) * kNanosPerSecond;
  };
  EventMerger m;
  m.add(make_frame_source(std::move(*reader), ts));
  m.add(make_vector_source(
      "trades", {trade_at(kT0 + 100 * kNanosPerSecond, "t100"), trade_at(kT0 + 150 * kNanosPerSecond, "t150")}));
  EXPECT_EQ(drain(m), (std::vector<std::string>{"frame:{\"result\":null}/0", "t100/1", "frame:{\"E\":120}/0",
                                                "frame:{\"E\":90}/0", "t150/1", "frame:{\"E\":180}/0"}));
}

TEST(GapDetector, ReportsMissingRangesAndCounts) {
  GapDetector d(60, kT0);  // expected from 00:00
  for (int m : {1, 2, 5, 5, 6, 4, 10}) d.observe(kT0 + m * kMin);
  d.observe(kT0 + 7 * kMin + 30 * kNanosPerSecond);  // off the minute grid
  const GapReport r = d.finish(kT0 + 12 * kMin);     // expected up to 00:12 (exclusive)
  // Missing: 00:00 (before the first), 00:03-00:04, 00:07-00:09, 00:11.
  ASSERT_EQ(r.gaps.size(), 4u);
  EXPECT_EQ(r.gaps[0], (BarGap{kT0, kT0 + kMin}));
  EXPECT_EQ(r.gaps[1], (BarGap{kT0 + 3 * kMin, kT0 + 5 * kMin}));
  EXPECT_EQ(r.gaps[2], (BarGap{kT0 + 7 * kMin, kT0 + 10 * kMin}));
  EXPECT_EQ(r.gaps[3], (BarGap{kT0 + 11 * kMin, kT0 + 12 * kMin}));
  EXPECT_EQ(r.missing_bars, 1 + 2 + 3 + 1);
  EXPECT_EQ(r.duplicates, 1);
  EXPECT_EQ(r.out_of_order, 1);
  EXPECT_EQ(r.off_grid, 1);
  EXPECT_FALSE(r.clean());
  EXPECT_EQ(describe(r.gaps[1], 60), "2024-01-01T00:03:00Z to 2024-01-01T00:05:00Z (2 bars of 1m)");
  EXPECT_EQ(describe(r.gaps[0], 60), "2024-01-01T00:00:00Z to 2024-01-01T00:01:00Z (1 bar of 1m)");
}

TEST(GapDetector, CompleteSeriesIsCleanAndAnEmptyRangeIsOneGap) {
  std::vector<Bar> bars(4);
  for (int i = 0; i < 4; ++i) {
    bars[static_cast<std::size_t>(i)].ts_open_ns = kT0 + i * 3600 * kNanosPerSecond;
    bars[static_cast<std::size_t>(i)].interval_s = 3600;
  }
  EXPECT_TRUE(find_gaps(bars, 3600, kT0, kT0 + 4 * 3600 * kNanosPerSecond).clean());
  EXPECT_TRUE(find_gaps(bars, 3600).clean());
  const auto none = find_gaps({}, 60, kT0, kT0 + kNanosPerDay);
  ASSERT_EQ(none.gaps.size(), 1u);
  EXPECT_EQ(none.missing_bars, 1440);
}

}  // namespace
}  // namespace tradingd::backtest
