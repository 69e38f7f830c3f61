// What `--data`, `--from/--to` and `--sweep` resolve to: paths expanded, each file's instrument from the
// configuration or its name, time arguments, and sweep points written into strategy parameters.
#include <gtest/gtest.h>

#include "backtest/backtest_run.h"
#include "backtest/data_set.h"
#include "tests/backtest/test_util.h"

namespace tradingd::backtest {
namespace {

const char* kKlineRow = "1704067200000,1,2,0.5,1.5,10,1704067259999,0,1,0,0,0\n";

config::InstrumentConfig inst(const char* text) {
  config::InstrumentConfig ic;
  ic.id = *InstrumentId::parse(text);
  return ic;
}

TEST(DataSet, KlineFilesTakeTheConfiguredInstrumentOfTheirSymbol) {
  test::TempDir dir;
  config::Config cfg;
  cfg.instruments = {inst("bybit:linear_perp:BTCUSDT"), inst("binance:linear_perp:ETHUSDT")};
  auto btc = plan_data_file(dir.write("BTCUSDT-1m-2024-01.csv", kKlineRow), cfg);
  ASSERT_TRUE(btc) << btc.error();
  EXPECT_EQ(btc->format, DataFormat::BinanceKlines);
  EXPECT_EQ(btc->instrument.to_string(), "bybit:linear_perp:BTCUSDT");
  EXPECT_EQ(btc->interval_s, 60);
  // Not configured: the archive is Binance's spot archive.
  auto sol = plan_data_file(dir.write("SOLUSDT-1h-2024-01-05.csv", kKlineRow), cfg);
  ASSERT_TRUE(sol) << sol.error();
  EXPECT_EQ(sol->instrument.to_string(), "binance:spot:SOLUSDT");
  EXPECT_EQ(sol->interval_s, 3600);
  // No symbol in the name: default_symbol, else the only configured instrument, else an error.
  const auto anon = dir.write("klines.csv", kKlineRow);
  auto none = plan_data_file(anon, cfg);
  ASSERT_FALSE(none);
  EXPECT_NE(none.error().find("no instrument for this file"), std::string::npos);
  cfg.backtest.default_symbol = "ETHUSDT";
  auto eth = plan_data_file(anon, cfg);
  ASSERT_TRUE(eth);
  EXPECT_EQ(eth->instrument.to_string(), "binance:linear_perp:ETHUSDT");
  cfg.backtest.default_symbol.clear();
  cfg.instruments = {inst("okx:spot:BTC-USDT")};
  auto only = plan_data_file(anon, cfg);
  ASSERT_TRUE(only);
  EXPECT_EQ(only->instrument.to_string(), "okx:spot:BTC-USDT");
}

TEST(DataSet, OhlcvFilesFromTheCacheLayoutOrTheirName) {
  test::TempDir dir;
  config::Config cfg;
  cfg.instruments = {inst("binance:spot:BTCUSDT"), inst("bybit:spot:ETHUSDT")};
  const std::string rows = "timestamp,open,high,low,close,volume\n1704067200000,1,1,1,1,1\n";
  auto cached = plan_data_file(dir.write("cache/okx/linear_perp/BTC-USDT-SWAP/5m/2024-01-02.csv", rows), cfg);
  ASSERT_TRUE(cached) << cached.error();
  EXPECT_EQ(cached->format, DataFormat::OhlcvCsv);
  EXPECT_EQ(cached->instrument.to_string(), "okx:linear_perp:BTC-USDT-SWAP");
  EXPECT_EQ(cached->interval_s, 300);
  auto named = plan_data_file(dir.write("ETHUSDT_2024.csv", rows), cfg);
  ASSERT_TRUE(named) << named.error();
  EXPECT_EQ(named->instrument.to_string(), "bybit:spot:ETHUSDT");
  EXPECT_FALSE(plan_data_file(dir.write("prices.csv", rows), cfg));
}

TEST(DataSet, RecordingsNeedTheirVenueInTheNameAndItsInstrumentsConfigured) {
  test::TempDir dir;
  config::Config cfg;
  cfg.instruments = {inst("binance:linear_perp:BTCUSDT")};
  const std::string frame = "{\"e\":\"trade\",\"E\":1}\n";
  auto usdm = plan_data_file(dir.write("binance-usdm-2024-01-01.jsonl", frame), cfg);
  ASSERT_TRUE(usdm) << usdm.error();
  EXPECT_EQ(usdm->format, DataFormat::Frames);
  EXPECT_EQ(usdm->instrument.venue, Venue::Binance);
  EXPECT_EQ(usdm->instrument.kind, MarketKind::LinearPerp);
  auto spot = plan_data_file(dir.write("binance-2024-01-01.jsonl", frame), cfg);
  ASSERT_TRUE(spot);
  EXPECT_EQ(spot->instrument.kind, MarketKind::Spot);
  EXPECT_FALSE(plan_data_file(dir.write("recording.jsonl", frame), cfg));
  auto unconfigured = plan_data_file(dir.write("okx-2024-01-01.jsonl", frame), cfg);
  ASSERT_FALSE(unconfigured);
  EXPECT_NE(unconfigured.error().find("configure the okx instruments"), std::string::npos);
}

TEST(DataSet, DirectoriesExpandSortedAndMissingPathsAreNamed) {
  test::TempDir dir;
  dir.write("d/b/BTCUSDT-1m-2024-01-02.csv", kKlineRow);
  dir.write("d/a/BTCUSDT-1m-2024-01-01.csv", kKlineRow);
  dir.write("d/notes.txt", "x");
  auto files = expand_data_paths({(dir / "d").string()});
  ASSERT_TRUE(files) << files.error();
  ASSERT_EQ(files->size(), 2u);
  EXPECT_EQ(files->at(0).filename(), "BTCUSDT-1m-2024-01-01.csv");
  auto missing = expand_data_paths({(dir / "nope.csv").string()});
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().find("nope.csv: no such file or directory"), std::string::npos);
  dir.write("empty/readme.md", "x");
  EXPECT_FALSE(expand_data_paths({(dir / "empty").string()}));
}

TEST(DataSet, TimeArguments) {
  EXPECT_EQ(parse_time_arg("2024-01-02"), 1'704'153'600LL * kNanosPerSecond);
  EXPECT_EQ(parse_time_arg("2024-01-02T00:00:30Z"), 1'704'153'630LL * kNanosPerSecond);
  EXPECT_EQ(parse_time_arg("1704153600000"), 1'704'153'600LL * kNanosPerSecond);
  EXPECT_FALSE(parse_time_arg("yesterday"));
  EXPECT_FALSE(parse_time_arg(""));
  EXPECT_FALSE(parse_time_arg("2024-13-01"));
}

TEST(DataSet, SweepPointsSetStrategyParameters) {
  config::Config cfg;
  config::StrategyConfig a, b, off;
  a.name = "ma";
  a.params = {{"fast", "10"}, {"slow", "30"}};
  b.name = "other";
  b.params = {{"fast", "3"}};
  off.name = "off";
  off.enabled = false;
  cfg.strategies = {a, b, off};
  auto all = apply_sweep_point(cfg, {{"fast", "7"}});
  ASSERT_TRUE(all);
  EXPECT_EQ(all->strategies[0].params.at("fast"), "7");
  EXPECT_EQ(all->strategies[1].params.at("fast"), "7");
  EXPECT_FALSE(all->strategies[2].params.contains("fast")) << "disabled strategies are left alone";
  auto one = apply_sweep_point(cfg, {{"ma.slow", "50"}, {"other.fast", "4"}});
  ASSERT_TRUE(one);
  EXPECT_EQ(one->strategies[0].params.at("slow"), "50");
  EXPECT_EQ(one->strategies[0].params.at("fast"), "10");
  EXPECT_EQ(one->strategies[1].params.at("fast"), "4");
  EXPECT_FALSE(one->strategies[1].params.contains("slow"));
  config::Config empty;
  EXPECT_FALSE(apply_sweep_point(empty, {{"fast", "1"}}));
}

}  // namespace
}  // namespace tradingd::backtest
