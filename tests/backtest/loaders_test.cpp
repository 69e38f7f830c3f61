// Loaders: the line reader, field helpers, Binance archive klines (ms and µs, header or not, named by file
// or config), plain OHLCV CSV, recorded frames and format detection; every malformed row names file:line.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "backtest/csv_fields.h"
#include "backtest/data_files.h"
#include "backtest/frame_reader.h"
#include "backtest/kline_csv.h"
#include "backtest/line_reader.h"
#include "backtest/ohlcv_csv.h"
#include "tests/backtest/test_util.h"
#include "tests/support/fixtures.h"

namespace tradingd::backtest {
namespace {

using test::TempDir;

const InstrumentId kBtc{Venue::Binance, MarketKind::Spot, Symbol::from("BTCUSDT")};

std::vector<std::string> all_lines(LineReader& r) {
  std::vector<std::string> out;
  std::string_view line;
  while (r.next(line) == ReadStatus::Item) out.emplace_back(line);
  return out;
}

TEST(LineReader, SplitsLfAndCrLfAndKeepsALastLineWithoutNewline) {
  TempDir dir;
  auto r = LineReader::open(dir.write("a.txt", "one\r\ntwo\n\nthree"));
  ASSERT_TRUE(r);
  EXPECT_EQ(all_lines(*r), (std::vector<std::string>{"one", "two", "", "three"}));
  EXPECT_EQ(r->line_number(), 4u);
}

TEST(LineReader, GrowsForALineLongerThanTheBufferAndCountsLinesAcrossRefills) {
  TempDir dir;
  std::string content;
  for (int i = 0; i < 3000; ++i) content += "line " + std::to_string(i) + "\n";
  const std::string long_line(20'000, 'x');
  content += long_line + "\nend\n";
  auto r = LineReader::open(dir.write("a.txt", content), 4096);
  ASSERT_TRUE(r);
  const auto lines = all_lines(*r);
  ASSERT_EQ(lines.size(), 3002u);
  EXPECT_EQ(lines[2999], "line 2999");
  EXPECT_EQ(lines[3000], long_line);
  EXPECT_EQ(lines[3001], "end");
}

TEST(LineReader, EmptyFileEndsAtOnceAndAMissingFileIsAnErrorNamingIt) {
  TempDir dir;
  auto r = LineReader::open(dir.write("empty.txt", ""));
  ASSERT_TRUE(r);
  std::string_view line;
  EXPECT_EQ(r->next(line), ReadStatus::End);
  auto missing = LineReader::open(dir / "nope.csv");
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().to_string().find("nope.csv: cannot open"), std::string::npos)
      << missing.error().to_string();
}

TEST(CsvFields, SplitCountsAllFieldsEvenBeyondTheSpan) {
  std::array<std::string_view, 3> f;
  EXPECT_EQ(split_csv("a,b,,d", f), 4u);
  EXPECT_EQ(f[0], "a");
  EXPECT_EQ(f[2], "");
  EXPECT_EQ(split_csv("", f), 1u);
}

TEST(CsvFields, IntegersAreWholeFieldsOnly) {
  EXPECT_EQ(parse_int64("1735689600000000"), 1735689600000000);
  EXPECT_EQ(parse_int64("-5"), -5);
  EXPECT_FALSE(parse_int64("12a"));
  EXPECT_FALSE(parse_int64(""));
  EXPECT_FALSE(parse_int64("-"));
  EXPECT_FALSE(parse_int64("99999999999999999999"));
}

TEST(CsvFields, SwarDigitRunsAgreeWithTheGeneralParser) {
  // The 8-digits-at-once path and its scalar tail against core's exact parser, at every boundary.
  for (std::string_view s : {"0", "7", "12345678", "123456789", "60685.22000000", "0.00000001", "-1.5", "21.63272000",
                             "999999999.999999999", "12345678.12345678", "1.000000000", "0.100000000"}) {
    ASSERT_TRUE(parse_plain_decimal_raw(s)) << s;
    EXPECT_EQ(*parse_plain_decimal_raw(s), Price::from_string(s).raw()) << s;
  }
  // Outside the plain shape: left to the general parser (which still reads them exactly).
  for (std::string_view s :
       {"1234567890", "1.0000000000", "1e3", "", "-", ".5", "5.", "1,5", "12345678:", "1234567/.0", "0x10"})
    EXPECT_FALSE(parse_plain_decimal_raw(s)) << s;
  std::string error;
  Price p;
  EXPECT_TRUE(read_decimal("1234567890.5", "open", p, error));
  EXPECT_EQ(p, Price::from_string("1234567890.5"));
  EXPECT_TRUE(read_decimal("1.50000000000", "open", p, error));
  EXPECT_EQ(p, Price::from_string("1.5"));
  EXPECT_FALSE(read_decimal("12345678:", "open", p, error));
  EXPECT_EQ(error, "open: not a decimal number (\"12345678:\")");
  EXPECT_EQ(parse_int64("1234567890123456789"), 1234567890123456789);
  EXPECT_EQ(parse_int64("9223372036854775807"), INT64_MAX);
  EXPECT_FALSE(parse_int64("9223372036854775808"));
  EXPECT_FALSE(parse_int64("12345678a"));
  EXPECT_FALSE(parse_int64("1234567;"));
}

TEST(CsvFields, EpochUnitByMagnitude) {
  // 2024-01-01T00:00:00Z in each unit.
  EXPECT_EQ(epoch_unit(1704067200), EpochUnit::Seconds);
  EXPECT_EQ(epoch_unit(1704067200000), EpochUnit::Millis);
  EXPECT_EQ(epoch_unit(1704067200000000), EpochUnit::Micros);
  EXPECT_EQ(epoch_unit(1704067200000000000), EpochUnit::Nanos);
  const UnixNanos t = 1704067200LL * kNanosPerSecond;
  EXPECT_EQ(epoch_to_ns(1704067200), t);
  EXPECT_EQ(epoch_to_ns(1704067200000), t);
  EXPECT_EQ(epoch_to_ns(1704067200000000), t);
  EXPECT_EQ(epoch_to_ns(1704067200000000000), t);
  // The boundaries: 1e14 is the first µs value (Binance's rule: > 1e14 means µs).
  EXPECT_EQ(epoch_unit(99'999'999'999'999), EpochUnit::Millis);
  EXPECT_EQ(epoch_unit(100'000'000'000'000), EpochUnit::Micros);
  EXPECT_FALSE(epoch_to_ns(-1));
}

TEST(CsvFields, TimestampsIsoOrEpoch) {
  const UnixNanos t = 1704067200LL * kNanosPerSecond + 60 * kNanosPerSecond;
  EXPECT_EQ(*parse_timestamp("2024-01-01T00:01:00Z"), t);
  EXPECT_EQ(*parse_timestamp("2024-01-01 00:01:00"), t);
  EXPECT_EQ(*parse_timestamp("2024-01-01T02:01:00+02:00"), t);
  EXPECT_EQ(*parse_timestamp("1704067260000"), t);
  EXPECT_EQ(*parse_timestamp("1704067260000000"), t);
  auto bad = parse_timestamp("yesterday");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error(), "timestamp: expected epoch s/ms/us/ns digits or ISO 8601 (\"yesterday\")");
  EXPECT_EQ(format_day(t), "2024-01-01");
}

TEST(KlineFileName, MonthlyDailyAndRejects) {
  auto m = parse_kline_file_name("/data/x/BTCUSDT-1m-2024-01.csv");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->symbol, "BTCUSDT");
  EXPECT_EQ(m->interval_s, 60);
  EXPECT_EQ(m->period_start_ns, *parse_iso8601("2024-01-01"));
  EXPECT_FALSE(m->daily);
  auto d = parse_kline_file_name("ETHUSDT-4h-2025-02-15.csv");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->interval_s, 4 * 3600);
  EXPECT_EQ(d->period_start_ns, *parse_iso8601("2025-02-15"));
  EXPECT_TRUE(d->daily);
  EXPECT_FALSE(parse_kline_file_name("BTCUSDT-1m-2024-01.zip"));
  EXPECT_FALSE(parse_kline_file_name("BTCUSDT-1M-2024-01.csv"));  // monthly bars: no fixed interval
  EXPECT_FALSE(parse_kline_file_name("BTCUSDT-1m-2024-13.csv"));
  EXPECT_FALSE(parse_kline_file_name("BTCUSDT-1m-2024.csv"));
  EXPECT_FALSE(parse_kline_file_name("prices.csv"));
}

// A real archive row shape (values from Binance's documented kline example).
constexpr std::string_view kMsRow =
    "1499040000000,0.01634790,0.80000000,0.01575800,0.01577100,148976.11427815,1499644799999,2434.19055334,308,"
    "1756.87402397,28.46694368,0";

TEST(BinanceKlineRow, MillisecondRowWithTheIntervalFromCloseTime) {
  // close_time - open_time + 1 ms = 604800000 ms = 1 week.
  auto b = parse_binance_kline_row(kMsRow, kBtc, 0);
  ASSERT_TRUE(b) << b.error();
  EXPECT_EQ(b->interval_s, 7 * 86400);
  EXPECT_EQ(b->ts_open_ns, 1499040000000LL * kNanosPerMilli);
  EXPECT_EQ(b->open, Price::from_string("0.0163479"));
  EXPECT_EQ(b->high, Price::from_string("0.8"));
  EXPECT_EQ(b->low, Price::from_string("0.015758"));
  EXPECT_EQ(b->close, Price::from_string("0.015771"));
  EXPECT_EQ(b->volume, Quantity::from_string("148976.11427815"));
  EXPECT_EQ(b->instrument, kBtc);
  EXPECT_TRUE(b->closed);
}

TEST(BinanceKlineRow, MicrosecondRowFrom2025) {
  // The archive's first spot row of 2025 stamps µs: open 1735689600000000, close ...659999999 (1m).
  auto b = parse_binance_kline_row(
      "1735689600000000,93576.00000000,93610.93000000,93537.50000000,93610.93000000,8.21827000,1735689659999999,"
      "768978.48366040,1620,4.08164000,382002.30624350,0",
      kBtc, 60);
  ASSERT_TRUE(b) << b.error();
  EXPECT_EQ(b->ts_open_ns, *parse_iso8601("2025-01-01T00:00:00Z"));
  EXPECT_EQ(b->interval_s, 60);
  EXPECT_EQ(b->close, Price::from_string("93610.93"));
}

TEST(BinanceKlineRow, MalformedRowsSayWhat) {
  EXPECT_EQ(parse_binance_kline_row("1,2,3", kBtc, 60).error(), "expected 12 columns, found 3");
  EXPECT_EQ(parse_binance_kline_row("1704067200000,abc,2,1,1,1,1704067259999,0,0,0,0,0", kBtc, 60).error(),
            "open: not a decimal number (\"abc\")");
  EXPECT_EQ(parse_binance_kline_row("1704067200000,1,2,1,1,1,1704067319999,0,0,0,0,0", kBtc, 60).error(),
            "close_time 1704067319999 does not end the 1m bar opened at 1704067200000 (ms)");
  EXPECT_EQ(parse_binance_kline_row("1704067200000,1,2,3,1,1,1704067259999,0,0,0,0,0", kBtc, 60).error(),
            "high 2 is below low 3");
  EXPECT_EQ(parse_binance_kline_row("1704067200000,1,2,1,1,0.0000000001,1704067259999,0,0,0,0,0", kBtc, 60).error(),
            "volume: more than 9 decimal places (\"0.0000000001\")");
  EXPECT_FALSE(parse_binance_kline_row("x,1,2,1,1,1,1704067259999,0,0,0,0,0", kBtc, 60));
}

std::string minute_rows(std::int64_t first_open_ms, int n, bool micros) {
  std::string s;
  for (int i = 0; i < n; ++i) {
    const std::int64_t open = first_open_ms + i * 60'000;
    const std::int64_t mult = micros ? 1000 : 1;
    s += std::to_string(open * mult) + ",100.5,101,100,100.25,2.5," + std::to_string((open + 60'000) * mult - 1) +
         ",250.6,10,1.2,120.3,0\n";
  }
  return s;
}

TEST(BinanceKlineReader, InstrumentAndIntervalFromTheFileName) {
  TempDir dir;
  const auto path = dir.write("ETHUSDT-1m-2024-01.csv", minute_rows(1704067200000, 3, false));
  BinanceKlineOptions options;
  options.kind = MarketKind::LinearPerp;
  auto r = BinanceKlineReader::open(path, options);
  ASSERT_TRUE(r) << r.error().to_string();
  const auto bars = test::drain(*r);
  ASSERT_EQ(bars.size(), 3u);
  EXPECT_EQ(bars[0].instrument.to_string(), "binance:linear_perp:ETHUSDT");
  EXPECT_EQ(bars[2].ts_open_ns, *parse_iso8601("2024-01-01T00:02:00Z"));
  EXPECT_EQ(bars[2].ts_close_ns(), *parse_iso8601("2024-01-01T00:03:00Z"));
  EXPECT_EQ(bars[1].close, Price::from_string("100.25"));
}

TEST(BinanceKlineReader, HeaderRowOfUsdmFilesIsSkippedAndConfigWinsOverTheName) {
  TempDir dir;
  const auto path = dir.write(
      "ETHUSDT-1m-2024-01.csv",
      "open_time,open,high,low,close,volume,close_time,quote_volume,count,taker_buy_volume,taker_buy_quote_volume,"
      "ignore\n" +
          minute_rows(1704067200000, 2, false));
  BinanceKlineOptions options;
  options.instrument = kBtc;
  auto r = BinanceKlineReader::open(path, options);
  ASSERT_TRUE(r);
  const auto bars = test::drain(*r);
  ASSERT_EQ(bars.size(), 2u);
  EXPECT_EQ(bars[0].instrument, kBtc);
}

TEST(BinanceKlineReader, MicrosecondAndMillisecondFilesGiveTheSameBars) {
  TempDir dir;
  auto ms = BinanceKlineReader::open(dir.write("BTCUSDT-1m-2024-12-31.csv", minute_rows(1735689600000, 5, false)));
  auto us = BinanceKlineReader::open(dir.write("BTCUSDT-1m-2025-01-01.csv", minute_rows(1735689600000, 5, true)));
  ASSERT_TRUE(ms);
  ASSERT_TRUE(us);
  const auto a = test::drain(*ms);
  const auto b = test::drain(*us);
  ASSERT_EQ(a.size(), 5u);
  ASSERT_EQ(b.size(), 5u);
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].ts_open_ns, b[i].ts_open_ns);
    EXPECT_EQ(a[i].close, b[i].close);
  }
}

TEST(BinanceKlineReader, NoInstrumentAnywhereIsAnError) {
  TempDir dir;
  auto r = BinanceKlineReader::open(dir.write("klines.csv", minute_rows(1704067200000, 1, false)));
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("no instrument"), std::string::npos);
}

TEST(BinanceKlineReader, MalformedRowNamesFileAndLine) {
  TempDir dir;
  std::string rows = minute_rows(1704067200000, 2, false);
  rows += "1704067320000,1,2,1,1,1,1704067379999,0,0,0\n";
  const auto path = dir.write("BTCUSDT-1m-2024-01.csv", rows);
  auto r = BinanceKlineReader::open(path);
  ASSERT_TRUE(r);
  Bar b;
  EXPECT_EQ(r->next(b), ReadStatus::Item);
  EXPECT_EQ(r->next(b), ReadStatus::Item);
  EXPECT_EQ(r->next(b), ReadStatus::Error);
  EXPECT_EQ(r->error().to_string(), path.string() + ":3: expected 12 columns, found 10");
  EXPECT_EQ(r->next(b), ReadStatus::Error);  // stays failed
}

TEST(BinanceKlineReader, BackwardRowIsAnError) {
  TempDir dir;
  auto r = BinanceKlineReader::open(
      dir.write("BTCUSDT-1m-2024-01.csv", minute_rows(1704067260000, 1, false) + minute_rows(1704067200000, 1, false)));
  ASSERT_TRUE(r);
  Bar b;
  ASSERT_EQ(r->next(b), ReadStatus::Item);
  ASSERT_EQ(r->next(b), ReadStatus::Error);
  EXPECT_EQ(r->error().message, "out-of-order open time 2024-01-01T00:00:00Z (line 1 has 2024-01-01T00:01:00Z)");
}

TEST(BinanceKlineReader, DuplicateRowMessage) {
  TempDir dir;
  const std::string row0 = minute_rows(1704067200000, 1, false);
  auto r = BinanceKlineReader::open(dir.write("BTCUSDT-1m-2024-01.csv", row0 + row0));
  ASSERT_TRUE(r);
  Bar b;
  ASSERT_EQ(r->next(b), ReadStatus::Item);
  ASSERT_EQ(r->next(b), ReadStatus::Error);
  EXPECT_EQ(r->error().line, 2u);
  EXPECT_EQ(r->error().message, "duplicate open time 2024-01-01T00:00:00Z (line 1 has 2024-01-01T00:00:00Z)");
}

TEST(BinanceKlineReader, ReadsTheVenueKlinePayloadFixturesAsArchiveRows) {
  // The archive's columns are the REST kline array's, in the same order: turn the captured REST payloads
  // into CSV rows and read them back exactly.
  TRADINGD_REQUIRE_FIXTURES();
  TempDir dir;
  const auto body =
      tradingd::test::read_file(*tradingd::test::fixtures_dir() / "binance/rest_response/http_spot_market_klines.json");
  const auto rows = boost::json::parse(body).as_array();
  std::string csv;
  std::vector<std::string> closes;
  for (const auto& row : rows) {
    const auto& a = row.as_array();
    for (std::size_t i = 0; i < a.size(); ++i) {
      if (i) csv += ',';
      if (a[i].is_string())
        csv += std::string(a[i].as_string());
      else
        csv += std::to_string(a[i].as_int64());
    }
    csv += '\n';
    closes.emplace_back(a[4].as_string());
  }
  auto r = BinanceKlineReader::open(dir.write("BTCUSDT-1m-2021-10.csv", csv));
  ASSERT_TRUE(r);
  const auto bars = test::drain(*r);
  ASSERT_EQ(bars.size(), rows.size());
  ASSERT_GE(bars.size(), 2u);
  for (std::size_t i = 0; i < bars.size(); ++i) EXPECT_EQ(bars[i].close, Price::from_string(closes[i]));
  EXPECT_EQ(bars[0].ts_open_ns, 1634943780000LL * kNanosPerMilli);
  EXPECT_EQ(bars[0].open, Price::from_string("60685.22"));
}

TEST(OhlcvCsv, HeaderIsoTimesAndAnInferredInterval) {
  TempDir dir;
  const auto path = dir.write("bars.csv",
                              "Timestamp, Open, High, Low, Close, Volume, trades\n"
                              "2024-01-01T00:00:00Z,10,12,9,11,1.5,3\n"
                              "2024-01-01 00:05:00,11,11,10,10.5,0,0\n"
                              "1704067800000,10.5,10.5,10.5,10.5,0.001,1\n");
  auto r = OhlcvCsvReader::open(path, {kBtc, 0});
  ASSERT_TRUE(r);
  const auto bars = test::drain(*r);
  ASSERT_EQ(bars.size(), 3u);
  for (const Bar& b : bars) EXPECT_EQ(b.interval_s, 300);
  EXPECT_EQ(bars[2].ts_open_ns, *parse_iso8601("2024-01-01T00:10:00Z"));
  EXPECT_EQ(bars[0].high, Price::from_units(12));
  EXPECT_EQ(bars[2].volume, Quantity::from_string("0.001"));
  EXPECT_EQ(r->interval_s(), 300);
}

TEST(OhlcvCsv, HeaderIsRequired) {
  TempDir dir;
  const auto path = dir.write("bars.csv", "1704067200000,10,12,9,11,1.5\n");
  auto r = OhlcvCsvReader::open(path, {kBtc, 60});
  ASSERT_TRUE(r);
  Bar b;
  ASSERT_EQ(r->next(b), ReadStatus::Error);
  EXPECT_EQ(r->error().to_string(), path.string() + ":1: expected the header timestamp,open,high,low,close,volume");
}

TEST(OhlcvCsv, MalformedRowsAndOffGridTimes) {
  TempDir dir;
  const std::string header = "timestamp,open,high,low,close,volume\n";
  auto bad_price = OhlcvCsvReader::open(
      dir.write("a.csv", header + "1704067200000,10,12,9,11,1\n1704067260000,10,1e,9,11,1\n"), {kBtc, 60});
  Bar b;
  ASSERT_EQ(bad_price->next(b), ReadStatus::Item);
  ASSERT_EQ(bad_price->next(b), ReadStatus::Error);
  EXPECT_EQ(bad_price->error().line, 3u);
  EXPECT_EQ(bad_price->error().message, "high: not a decimal number (\"1e\")");

  auto off_grid = OhlcvCsvReader::open(
      dir.write("b.csv", header + "1704067200000,10,12,9,11,1\n1704067290000,10,12,9,11,1\n"), {kBtc, 60});
  ASSERT_EQ(off_grid->next(b), ReadStatus::Item);
  ASSERT_EQ(off_grid->next(b), ReadStatus::Error);
  EXPECT_EQ(off_grid->error().message,
            "open time 2024-01-01T00:01:30Z is off the 1m grid of the first bar (2024-01-01T00:00:00Z)");

  auto one_row = OhlcvCsvReader::open(dir.write("c.csv", header + "1704067200000,10,12,9,11,1\n"), {kBtc, 0});
  ASSERT_EQ(one_row->next(b), ReadStatus::Error);
  EXPECT_EQ(one_row->error().line, 2u);

  auto empty = OhlcvCsvReader::open(dir.write("d.csv", ""), {kBtc, 60});
  ASSERT_EQ(empty->next(b), ReadStatus::Error);

  auto short_row = OhlcvCsvReader::open(dir.write("e.csv", header + "1704067200000,10,12,9,11\n"), {kBtc, 60});
  ASSERT_EQ(short_row->next(b), ReadStatus::Error);
  EXPECT_EQ(
      short_row->error().to_string(),
      (dir / "e.csv").string() + ":2: expected at least 6 columns (timestamp,open,high,low,close,volume), found 5");
}

TEST(FrameReader, LinesWithTheirVenueFromTheFileName) {
  TempDir dir;
  const auto path = dir.write("okx-2024-01-02.jsonl", "{\"event\":\"subscribe\"}\n\n  {\"arg\":{},\"data\":[]}\r\n");
  auto r = FrameReader::open(path);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->venue(), Venue::Okx);
  RawFrame f;
  ASSERT_EQ(r->next(f), ReadStatus::Item);
  EXPECT_EQ(f.text, "{\"event\":\"subscribe\"}");
  EXPECT_EQ(f.line, 1u);
  ASSERT_EQ(r->next(f), ReadStatus::Item);
  EXPECT_EQ(f.text, "{\"arg\":{},\"data\":[]}");
  EXPECT_EQ(f.line, 3u);
  EXPECT_EQ(f.venue, Venue::Okx);
  EXPECT_EQ(r->next(f), ReadStatus::End);
}

TEST(FrameReader, VenueGivenOrUnknownAndBadLines) {
  TempDir dir;
  const auto path = dir.write("capture.jsonl", "{}\nnot json\n");
  EXPECT_FALSE(FrameReader::open(path));
  auto r = FrameReader::open(path, Venue::Bybit);
  ASSERT_TRUE(r);
  RawFrame f;
  ASSERT_EQ(r->next(f), ReadStatus::Item);
  EXPECT_EQ(f.venue, Venue::Bybit);
  ASSERT_EQ(r->next(f), ReadStatus::Error);
  EXPECT_EQ(r->error().to_string(), path.string() + ":2: not a JSON frame (a line must hold one venue message)");
  EXPECT_EQ(venue_from_file_name("/x/binance_trades.jsonl"), Venue::Binance);
  EXPECT_EQ(venue_from_file_name("bybit.jsonl"), Venue::Bybit);
  EXPECT_FALSE(venue_from_file_name("simulated-1.jsonl"));
}

TEST(DataFiles, FormatIsRecognised) {
  TempDir dir;
  EXPECT_EQ(*detect_data_format(dir.write("a.csv", minute_rows(1704067200000, 1, false))), DataFormat::BinanceKlines);
  EXPECT_EQ(*detect_data_format(dir.write("b.csv", "open_time,open,high\n")), DataFormat::BinanceKlines);
  EXPECT_EQ(*detect_data_format(dir.write("c.csv", "\ntimestamp,open,high,low,close,volume\n")), DataFormat::OhlcvCsv);
  EXPECT_EQ(*detect_data_format(dir.write("d.jsonl", "")), DataFormat::Frames);
  EXPECT_EQ(*detect_data_format(dir.write("e.txt", "{\"e\":1}\n")), DataFormat::Frames);
  auto unknown = detect_data_format(dir.write("f.csv", "a;b;c\n"));
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().line, 1u);
  EXPECT_FALSE(detect_data_format(dir.write("g.zip", "PK")));
  EXPECT_FALSE(detect_data_format(dir.write("h.csv", "")));
}

TEST(DataFiles, OpensEachFormatAsAnEventSource) {
  TempDir dir;
  auto klines = open_data_file(dir.write("BTCUSDT-1m-2024-01.csv", minute_rows(1704067200000, 2, false)), {});
  ASSERT_TRUE(klines);
  HistoricalEvent ev;
  ASSERT_EQ((*klines)->next(ev), ReadStatus::Item);
  EXPECT_EQ(ev.ts_ns, *parse_iso8601("2024-01-01T00:01:00Z"));  // stamped at the bar's close
  EXPECT_TRUE(std::holds_alternative<Bar>(ev.payload));

  const auto ohlcv_path = dir.write("x.csv", "timestamp,open,high,low,close,volume\n1704067200000,1,1,1,1,1\n");
  EXPECT_FALSE(open_data_file(ohlcv_path, {}));  // needs an instrument
  DataFileOptions options;
  options.instrument = kBtc;
  options.interval_s = 3600;
  auto ohlcv = open_data_file(ohlcv_path, options);
  ASSERT_TRUE(ohlcv);
  ASSERT_EQ((*ohlcv)->next(ev), ReadStatus::Item);
  EXPECT_EQ(ev.ts_ns, *parse_iso8601("2024-01-01T01:00:00Z"));
}

}  // namespace
}  // namespace tradingd::backtest
