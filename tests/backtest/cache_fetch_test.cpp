// The history cache (layout, present/missing days, atomic day writes) and the fetch-history planners:
// kline request windows per venue, rate pacing, and the response parsers against the captured payloads.
#include <gtest/gtest.h>

#include "backtest/fetch_plan.h"
#include "backtest/history_cache.h"
#include "backtest/kline_requests.h"
#include "backtest/kline_responses.h"
#include "tests/backtest/test_util.h"
#include "tests/support/fixtures.h"

namespace tradingd::backtest {
namespace {

using test::TempDir;

constexpr UnixNanos kDay1 = 1'704'067'200LL * kNanosPerSecond;  // 2024-01-01T00:00:00Z
constexpr std::int64_t kMin = 60 * kNanosPerSecond;
const InstrumentId kBtc{Venue::Binance, MarketKind::Spot, Symbol::from("BTCUSDT")};

Bar bar(UnixNanos open, std::string_view close, const InstrumentId& id = kBtc) {
  Bar b;
  b.instrument = id;
  b.interval_s = 60;
  b.ts_open_ns = open;
  b.open = b.low = Price::from_string("42000.5");
  b.high = b.close = Price::from_string(close);
  b.volume = Quantity::from_string("0.125");
  return b;
}

TEST(HistoryCacheLayout, PathsAndDayNames) {
  const CacheKey key{kBtc, 60};
  EXPECT_EQ(cache_day_path("/c", key, kDay1 + kNanosPerDay + 5), "/c/binance/spot/BTCUSDT/1m/2024-01-02.csv");
  const CacheKey perp{{Venue::Okx, MarketKind::LinearPerp, Symbol::from("BTC-USDT-SWAP")}, 3600};
  EXPECT_EQ(cache_series_dir("/c", perp), "/c/okx/linear_perp/BTC-USDT-SWAP/1h");
  EXPECT_EQ(parse_cache_day_file_name("2024-01-02.csv"), kDay1 + kNanosPerDay);
  EXPECT_FALSE(parse_cache_day_file_name("2024-02-30.csv"));
  EXPECT_FALSE(parse_cache_day_file_name("2024-01-02.csv.tmp.12.0"));
  EXPECT_FALSE(parse_cache_day_file_name("notes.txt"));
  EXPECT_TRUE(cache_key_problem({{Venue::Binance, MarketKind::Spot, Symbol::from("../x")}, 60}));
  EXPECT_TRUE(cache_key_problem({{Venue::Binance, MarketKind::Spot, Symbol::from("..")}, 60}));
  EXPECT_FALSE(cache_key_problem(key));
}

TEST(HistoryCacheLayout, DaysInRangeGroupsAndEndedDays) {
  // [Jan 1 12:00, Jan 3 00:00) touches 2 days; one more ns touches Jan 3 too.
  EXPECT_EQ(days_in_range(kDay1 + kNanosPerDay / 2, kDay1 + 2 * kNanosPerDay).size(), 2u);
  EXPECT_EQ(days_in_range(kDay1 + kNanosPerDay / 2, kDay1 + 2 * kNanosPerDay + 1).size(), 3u);
  EXPECT_TRUE(days_in_range(kDay1, kDay1).empty());
  const std::vector<UnixNanos> days{kDay1, kDay1 + kNanosPerDay, kDay1 + 3 * kNanosPerDay};
  EXPECT_EQ(
      group_consecutive_days(days),
      (std::vector<DayRange>{{kDay1, kDay1 + 2 * kNanosPerDay}, {kDay1 + 3 * kNanosPerDay, kDay1 + 4 * kNanosPerDay}}));
  // At Jan 2 23:59:59 only Jan 1 has ended; at Jan 3 00:00 Jan 2 has too.
  EXPECT_EQ(ended_days(days, kDay1 + 2 * kNanosPerDay - 1), (std::vector<UnixNanos>{kDay1}));
  EXPECT_EQ(ended_days(days, kDay1 + 2 * kNanosPerDay), (std::vector<UnixNanos>{kDay1, kDay1 + kNanosPerDay}));
}

TEST(HistoryCacheLayout, DayFileBytes) {
  const std::vector<Bar> bars{bar(kDay1, "42001"), bar(kDay1 + kMin, "42010.25")};
  EXPECT_EQ(format_ohlcv_csv(bars),
            "timestamp,open,high,low,close,volume\n"
            "1704067200000,42000.5,42001,42000.5,42001,0.125\n"
            "1704067260000,42000.5,42010.25,42000.5,42010.25,0.125\n");
}

TEST(HistoryCache, WritesADayAtomicallyAndReadsItBack) {
  TempDir dir;
  HistoryCache cache(dir.path());
  const CacheKey key{kBtc, 60};
  EXPECT_EQ(cache.missing_days(key, kDay1, kDay1 + 3 * kNanosPerDay).size(), 3u);  // no directory yet
  const std::vector<Bar> day2{bar(kDay1 + kNanosPerDay, "42001"), bar(kDay1 + kNanosPerDay + 2 * kMin, "42002")};
  auto written = cache.write_day(key, kDay1 + kNanosPerDay, day2);
  ASSERT_TRUE(written) << written.error().to_string();
  EXPECT_EQ(*written, dir / "binance/spot/BTCUSDT/1m/2024-01-02.csv");
  ASSERT_TRUE(cache.write_day(key, kDay1 + 2 * kNanosPerDay, {}));  // a day without bars is a cached fact too

  EXPECT_EQ(cache.present_days(key, kDay1, kDay1 + 3 * kNanosPerDay),
            (std::vector<UnixNanos>{kDay1 + kNanosPerDay, kDay1 + 2 * kNanosPerDay}));
  EXPECT_EQ(cache.missing_days(key, kDay1, kDay1 + 3 * kNanosPerDay), (std::vector<UnixNanos>{kDay1}));
  EXPECT_TRUE(cache.missing_days(key, kDay1 + kNanosPerDay, kDay1 + 3 * kNanosPerDay).empty());

  auto reader = cache.open_day(key, kDay1 + kNanosPerDay);
  ASSERT_TRUE(reader);
  const auto back = test::drain(*reader);
  ASSERT_EQ(back.size(), 2u);
  for (std::size_t i = 0; i < back.size(); ++i) {
    EXPECT_EQ(back[i].ts_open_ns, day2[i].ts_open_ns);
    EXPECT_EQ(back[i].close, day2[i].close);
    EXPECT_EQ(back[i].volume, day2[i].volume);
    EXPECT_EQ(back[i].interval_s, 60);
  }
  // No temp file is left behind.
  for (const auto& e : std::filesystem::directory_iterator(written->parent_path()))
    EXPECT_EQ(e.path().extension(), ".csv") << e.path();
}

TEST(HistoryCache, RefusesBarsThatDoNotBelongAndWritesNothing) {
  TempDir dir;
  HistoryCache cache(dir.path());
  const CacheKey key{kBtc, 60};
  auto outside = cache.write_day(key, kDay1, std::vector<Bar>{bar(kDay1 + kNanosPerDay, "42001")});
  ASSERT_FALSE(outside);
  EXPECT_EQ(outside.error().message, "bar 0 (2024-01-02T00:00:00Z): opens outside 2024-01-01");
  Bar forming = bar(kDay1, "42001");
  forming.closed = false;
  EXPECT_FALSE(cache.write_day(key, kDay1, std::vector<Bar>{forming}));
  const InstrumentId eth{Venue::Binance, MarketKind::Spot, Symbol::from("ETHUSDT")};
  EXPECT_EQ(cache.write_day(key, kDay1, std::vector<Bar>{bar(kDay1, "42001", eth)}).error().message,
            "bar 0 (2024-01-01T00:00:00Z): instrument binance:spot:ETHUSDT is not the cache key's");
  EXPECT_EQ(
      cache.write_day(key, kDay1, std::vector<Bar>{bar(kDay1 + kMin, "42001"), bar(kDay1, "42001")}).error().message,
      "bar 1 (2024-01-01T00:00:00Z): not after the previous bar");
  EXPECT_FALSE(cache.write_day(key, kDay1 + 1, {}));
  auto inverted = cache.write_day(key, kDay1, std::vector<Bar>{bar(kDay1, "1")});  // high 1 below low 42000.5
  ASSERT_FALSE(inverted);
  EXPECT_EQ(inverted.error().message, "bar 0 (2024-01-01T00:00:00Z): high 1 is below low 42000.5");
  EXPECT_EQ(cache.missing_days(key, kDay1, kDay1 + kNanosPerDay).size(), 1u);
}

// ---- fetch-history planning ----

TEST(FetchPlan, OnlyMissingEndedDaysAreRequestedAndARepeatRunRequestsNothing) {
  TempDir dir;
  HistoryCache cache(dir.path());
  const CacheKey key{kBtc, 60};
  const UnixNanos from = kDay1, to = kDay1 + 3 * kNanosPerDay, now = kDay1 + 10 * kNanosPerDay;
  auto first = plan_history_fetch(cache, key, from, to, now);
  ASSERT_TRUE(first) << first.error();
  EXPECT_EQ(first->fetch_days.size(), 3u);
  EXPECT_TRUE(first->cached_days.empty());
  // 3 days of minutes = 4320 bars, one contiguous range: 5 pages of 1000.
  EXPECT_EQ(first->requests.size(), 5u);
  EXPECT_EQ(first->requests.front().from_ns, kDay1);
  EXPECT_EQ(first->requests.back().to_ns, to);

  ASSERT_TRUE(cache.write_day(key, kDay1 + kNanosPerDay, {}));  // day 2 cached
  auto second = plan_history_fetch(cache, key, from, to, now);
  ASSERT_TRUE(second);
  EXPECT_EQ(second->cached_days, (std::vector<UnixNanos>{kDay1 + kNanosPerDay}));
  EXPECT_EQ(second->fetch_days, (std::vector<UnixNanos>{kDay1, kDay1 + 2 * kNanosPerDay}));
  EXPECT_EQ(second->requests.size(), 4u);  // two separate days, 2 pages each
  EXPECT_EQ(second->requests[2].from_ns, kDay1 + 2 * kNanosPerDay);

  ASSERT_TRUE(cache.write_day(key, kDay1, {}));
  ASSERT_TRUE(cache.write_day(key, kDay1 + 2 * kNanosPerDay, {}));
  auto repeat = plan_history_fetch(cache, key, from, to, now);
  ASSERT_TRUE(repeat);
  EXPECT_TRUE(repeat->requests.empty());
  EXPECT_TRUE(repeat->fetch_days.empty());
  EXPECT_EQ(repeat->cached_days.size(), 3u);
}

TEST(FetchPlan, TodayIsFetchedUpToNowButNeverCachedAndTheFutureNotAtAll) {
  TempDir dir;
  HistoryCache cache(dir.path());
  const CacheKey key{kBtc, 60};
  // Range Jan 1 .. Jan 5, now Jan 2 06:00:00.000123 (sub-ms: cut to whole ms).
  const UnixNanos now = kDay1 + kNanosPerDay + 6 * 3600 * kNanosPerSecond + 123'000;
  auto plan = plan_history_fetch(cache, key, kDay1, kDay1 + 4 * kNanosPerDay, now);
  ASSERT_TRUE(plan);
  EXPECT_EQ(plan->fetch_days, (std::vector<UnixNanos>{kDay1}));
  EXPECT_EQ(plan->unfinished_days, (std::vector<UnixNanos>{kDay1 + kNanosPerDay}));
  ASSERT_FALSE(plan->requests.empty());
  EXPECT_EQ(plan->requests.back().to_ns, kDay1 + kNanosPerDay + 6 * 3600 * kNanosPerSecond);
  EXPECT_FALSE(
      plan_history_fetch(cache, {{Venue::Binance, MarketKind::Spot, Symbol::from("a/b")}, 60}, kDay1, kDay1 + 1, now));
}

TEST(FetchPlan, BarsAreCutIntoDays) {
  const std::vector<Bar> bars{bar(kDay1 + kMin, "1"), bar(kDay1 + kNanosPerDay - kMin, "2"),
                              bar(kDay1 + kNanosPerDay, "3"), bar(kDay1 + 2 * kNanosPerDay + kMin, "4")};
  EXPECT_EQ(bars_in_day(bars, kDay1).size(), 2u);
  EXPECT_EQ(bars_in_day(bars, kDay1 + kNanosPerDay).size(), 1u);
  EXPECT_EQ(bars_in_day(bars, kDay1 + kNanosPerDay)[0].close, Price::from_units(3));
  EXPECT_EQ(bars_in_day(bars, kDay1 + 2 * kNanosPerDay).size(), 1u);
  EXPECT_TRUE(bars_in_day(bars, kDay1 - kNanosPerDay).empty());
}

TEST(CachedSeriesReader, StreamsCachedDaysCutToTheRangeAndNamesAMissingDay) {
  TempDir dir;
  HistoryCache cache(dir.path());
  const CacheKey key{kBtc, 60};
  ASSERT_TRUE(cache.write_day(key, kDay1, std::vector<Bar>{bar(kDay1, "42001"), bar(kDay1 + 120 * kMin, "42002")}));
  ASSERT_TRUE(cache.write_day(
      key, kDay1 + kNanosPerDay,
      std::vector<Bar>{bar(kDay1 + kNanosPerDay, "42003"), bar(kDay1 + kNanosPerDay + 120 * kMin, "42004")}));
  // [Jan 1 01:00, Jan 2 01:00): the second and third bars.
  CachedSeriesReader r(cache, key, kDay1 + 60 * kMin, kDay1 + kNanosPerDay + 60 * kMin);
  const auto bars = test::drain(r);
  ASSERT_EQ(bars.size(), 2u);
  EXPECT_EQ(bars[0].close, Price::from_units(42002));
  EXPECT_EQ(bars[1].close, Price::from_units(42003));

  CachedSeriesReader missing(cache, key, kDay1, kDay1 + 3 * kNanosPerDay);
  Bar b;
  ReadStatus s;
  while ((s = missing.next(b)) == ReadStatus::Item) {
  }
  ASSERT_EQ(s, ReadStatus::Error);
  EXPECT_NE(missing.error().message.find("day 2024-01-03 is not cached (run tradingd fetch-history)"),
            std::string::npos)
      << missing.error().to_string();
}

// ---- Request planners ----

TEST(KlinePlanner, BinanceSpotDayOfMinutesIsTwoPages) {
  // 1440 bars at 1000 per page: [00:00, 16:40) and [16:40, 24:00). endTime is inclusive: next start - 1 ms.
  auto plan = plan_kline_requests(kBtc, 60, kDay1, kDay1 + kNanosPerDay);
  ASSERT_TRUE(plan) << plan.error();
  ASSERT_EQ(plan->size(), 2u);
  EXPECT_EQ((*plan)[0].target(),
            "/api/v3/klines?symbol=BTCUSDT&interval=1m&startTime=1704067200000&endTime=1704127199999&limit=1000");
  EXPECT_EQ((*plan)[1].target(),
            "/api/v3/klines?symbol=BTCUSDT&interval=1m&startTime=1704127200000&endTime=1704153599999&limit=1000");
  EXPECT_EQ((*plan)[0].weight, 2);
  EXPECT_EQ((*plan)[1].from_ns, kDay1 + 1000 * kMin);
  EXPECT_EQ((*plan)[1].to_ns, kDay1 + kNanosPerDay);
}

TEST(KlinePlanner, BinanceUsdmUsesFapi) {
  const InstrumentId perp{Venue::Binance, MarketKind::LinearPerp, Symbol::from("ETHUSDT")};
  auto plan = plan_kline_requests(perp, 3600, kDay1, kDay1 + kNanosPerDay);
  ASSERT_TRUE(plan);
  ASSERT_EQ(plan->size(), 1u);
  EXPECT_EQ((*plan)[0].target(),
            "/fapi/v1/klines?symbol=ETHUSDT&interval=1h&startTime=1704067200000&endTime=1704153599999&limit=1000");
  EXPECT_EQ((*plan)[0].weight, 5);
  EXPECT_FALSE(plan_kline_requests(perp, 1, kDay1, kDay1 + kMin));  // no 1s klines on USD-M
}

TEST(KlinePlanner, BybitNamesCategoryAndNumericInterval) {
  const InstrumentId perp{Venue::Bybit, MarketKind::LinearPerp, Symbol::from("BTCUSDT")};
  auto plan = plan_kline_requests(perp, 60, kDay1, kDay1 + kNanosPerDay);
  ASSERT_TRUE(plan);
  ASSERT_EQ(plan->size(), 2u);
  EXPECT_EQ(
      (*plan)[0].target(),
      "/v5/market/kline?category=linear&symbol=BTCUSDT&interval=1&start=1704067200000&end=1704127199999&limit=1000");
  const InstrumentId spot{Venue::Bybit, MarketKind::Spot, Symbol::from("BTCUSDT")};
  EXPECT_EQ(
      (*plan_kline_requests(spot, 86400, kDay1, kDay1 + kNanosPerDay))[0].target(),
      "/v5/market/kline?category=spot&symbol=BTCUSDT&interval=D&start=1704067200000&end=1704153599999&limit=1000");
  auto no_8h = plan_kline_requests(spot, 8 * 3600, kDay1, kDay1 + kNanosPerDay);
  ASSERT_FALSE(no_8h);
  EXPECT_EQ(no_8h.error(), "bybit has no 28800s klines");
}

TEST(KlinePlanner, OkxPagesOfAHundredWithExclusiveBounds) {
  // 1440 minutes at 100 per page: 15 pages. after = window end (ts < after), before = window start - 1 ms
  // (ts > before), so each page returns exactly the bars opening inside its window.
  const InstrumentId swap{Venue::Okx, MarketKind::LinearPerp, Symbol::from("BTC-USDT-SWAP")};
  auto plan = plan_kline_requests(swap, 60, kDay1, kDay1 + kNanosPerDay);
  ASSERT_TRUE(plan);
  ASSERT_EQ(plan->size(), 15u);
  EXPECT_EQ(
      (*plan)[0].target(),
      "/api/v5/market/history-candles?instId=BTC-USDT-SWAP&bar=1m&after=1704073200000&before=1704067199999&limit=100");
  EXPECT_EQ(
      (*plan)[14].target(),
      "/api/v5/market/history-candles?instId=BTC-USDT-SWAP&bar=1m&after=1704153600000&before=1704151199999&limit=100");
  EXPECT_EQ((*plan)[14].to_ns - (*plan)[14].from_ns, 40 * kMin);
  EXPECT_EQ(*venue_interval(Venue::Okx, 86400), "1Dutc");  // UTC days, not Hong Kong ones
  EXPECT_EQ(*venue_interval(Venue::Okx, 3600), "1H");
}

TEST(KlinePlanner, BadRangesAndLimits) {
  EXPECT_EQ(plan_kline_requests(kBtc, 60, kDay1, kDay1).error(), "empty time range: from must be before to");
  EXPECT_FALSE(plan_kline_requests(kBtc, 60, kDay1 + 1, kDay1 + kNanosPerDay));  // sub-millisecond bound
  EXPECT_FALSE(plan_kline_requests(kBtc, 7, kDay1, kDay1 + kNanosPerDay));
  EXPECT_EQ(plan_kline_requests(kBtc, 60, kDay1, kDay1 + 365 * kNanosPerDay, 100).error(),
            "the range needs 526 requests, more than the limit of 100");
}

TEST(RatePacer, PlansSendTimesWithinARollingWindow) {
  // 10 per 2 s, 25 requests of weight 1: 10 at t=0, 10 at t=2 s, 5 at t=4 s.
  std::vector<KlineRequest> reqs(25);
  const auto times = plan_send_times(reqs, RateLimit{10, 2 * kNanosPerSecond}, 0);
  ASSERT_EQ(times.size(), 25u);
  EXPECT_EQ(times[9], 0);
  EXPECT_EQ(times[10], 2 * kNanosPerSecond);
  EXPECT_EQ(times[19], 2 * kNanosPerSecond);
  EXPECT_EQ(times[24], 4 * kNanosPerSecond);
  // Binance spot klines weigh 2 against 3000 per minute: 1500 requests per minute.
  std::vector<KlineRequest> spot(1501);
  for (auto& r : spot) r.weight = 2;
  const auto spot_times = plan_send_times(spot, default_kline_rate_limit(Venue::Binance, MarketKind::Spot), 0);
  EXPECT_EQ(spot_times[1499], 0);
  EXPECT_EQ(spot_times[1500], 60 * kNanosPerSecond);
}

TEST(RatePacer, SpreadOutSendsFreeTheirOwnSlotsAndPausesWin) {
  RatePacer p(RateLimit{2, 10 * kNanosPerSecond});
  p.record(0, 1);
  p.record(4 * kNanosPerSecond, 1);
  EXPECT_EQ(p.earliest(5 * kNanosPerSecond, 1), 10 * kNanosPerSecond);   // the t=0 send leaves the window at 10 s
  EXPECT_EQ(p.earliest(5 * kNanosPerSecond, 2), 14 * kNanosPerSecond);   // weight 2 needs both gone
  EXPECT_EQ(p.earliest(5 * kNanosPerSecond, 50), 14 * kNanosPerSecond);  // heavier than the budget: an empty window
  p.pause_until(30 * kNanosPerSecond);                                   // e.g. Retry-After
  EXPECT_EQ(p.earliest(5 * kNanosPerSecond, 1), 30 * kNanosPerSecond);
}

// ---- Response parsers ----

std::string fixture(const char* rel) { return tradingd::test::read_file(*tradingd::test::fixtures_dir() / rel); }
constexpr UnixNanos kFarFuture = 4'000'000'000LL * kNanosPerSecond;

TEST(KlineResponses, BinanceSpotFixture) {
  TRADINGD_REQUIRE_FIXTURES();
  auto bars = parse_binance_klines(fixture("binance/rest_response/http_spot_market_klines.json"), kBtc, 60, kFarFuture);
  ASSERT_TRUE(bars) << bars.error().to_string();
  ASSERT_GE(bars->size(), 6u);
  const Bar& b = (*bars)[0];
  EXPECT_EQ(b.ts_open_ns, 1634943780000LL * kNanosPerMilli);
  EXPECT_EQ(b.open, Price::from_string("60685.22"));
  EXPECT_EQ(b.high, Price::from_string("60729.84"));
  EXPECT_EQ(b.low, Price::from_string("60670.9"));
  EXPECT_EQ(b.close, Price::from_string("60719.27"));
  EXPECT_EQ(b.volume, Quantity::from_string("21.63272"));
  EXPECT_TRUE(b.closed);
  EXPECT_EQ((*bars)[1].ts_open_ns - b.ts_open_ns, kMin);
  EXPECT_EQ((*bars)[4].close, Price::from_string("60759.65"));
}

TEST(KlineResponses, BinanceUsdmFixtureAndTheFormingBar) {
  TRADINGD_REQUIRE_FIXTURES();
  const InstrumentId perp{Venue::Binance, MarketKind::LinearPerp, Symbol::from("BTCUSDT")};
  const auto body = fixture("binance/rest_response/http_futures_market_klines.json");
  // One weekly bar opening 1499040000000 ms: it has closed at exactly open + 7 days, not a ns before.
  const UnixNanos close = (1499040000000LL + 7 * 86'400'000LL) * kNanosPerMilli;
  auto at_close = parse_binance_klines(body, perp, 7 * 86400, close);
  ASSERT_TRUE(at_close);
  ASSERT_EQ(at_close->size(), 1u);
  EXPECT_TRUE((*at_close)[0].closed);
  EXPECT_EQ((*at_close)[0].volume, Quantity::from_string("148976.11427815"));
  EXPECT_FALSE((*parse_binance_klines(body, perp, 7 * 86400, close - 1))[0].closed);
}

TEST(KlineResponses, BybitFixtureAndNewestFirstOrder) {
  TRADINGD_REQUIRE_FIXTURES();
  const InstrumentId perp{Venue::Bybit, MarketKind::LinearPerp, Symbol::from("BTCUSDT")};
  auto bars = parse_bybit_klines(fixture("bybit/rest_response/http_get_klines_linear.json"), perp, 60, kFarFuture);
  ASSERT_TRUE(bars) << bars.error().to_string();
  ASSERT_EQ(bars->size(), 1u);
  EXPECT_EQ((*bars)[0].ts_open_ns, 1709891679000LL * kNanosPerMilli);
  EXPECT_EQ((*bars)[0].close, Price::from_units(27455));
  EXPECT_EQ((*bars)[0].volume, Quantity::from_string("123.45"));

  const std::string newest_first =
      R"({"retCode":0,"retMsg":"OK","result":{"category":"linear","symbol":"BTCUSDT","list":[
      ["1704067320000","3","3","3","3","1","3"],["1704067260000","2","2","2","2","1","2"],["1704067200000","1","1","1","1","1","1"]]}})";
  auto three = parse_bybit_klines(newest_first, perp, 60, kFarFuture);
  ASSERT_TRUE(three);
  ASSERT_EQ(three->size(), 3u);
  EXPECT_EQ((*three)[0].close, Price::from_units(1));
  EXPECT_EQ((*three)[2].ts_open_ns, kDay1 + 2 * kMin);
}

TEST(KlineResponses, OkxFixtureConfirmFlag) {
  TRADINGD_REQUIRE_FIXTURES();
  const InstrumentId spot{Venue::Okx, MarketKind::Spot, Symbol::from("BTC-USDT")};
  auto bars = parse_okx_candles(fixture("okx/rest_response/http_get_candlesticks.json"), spot, 60, kFarFuture);
  ASSERT_TRUE(bars) << bars.error().to_string();
  ASSERT_EQ(bars->size(), 2u);
  EXPECT_EQ((*bars)[0].ts_open_ns, 1625097600000LL * kNanosPerMilli);
  EXPECT_EQ((*bars)[0].open, Price::from_string("33528.6"));
  EXPECT_EQ((*bars)[0].high, Price::from_units(33870));
  EXPECT_EQ((*bars)[1].close, Price::from_string("33782.1"));
  EXPECT_EQ((*bars)[1].volume, Quantity::from_string("0.123"));
  // The fixture's rows carry confirm "0": forming candles, never cached.
  EXPECT_FALSE((*bars)[0].closed);
  EXPECT_FALSE((*bars)[1].closed);
}

TEST(KlineResponses, VenueErrorsAreTypedAndRateLimitsStandOut) {
  const InstrumentId bybit{Venue::Bybit, MarketKind::Spot, Symbol::from("BTCUSDT")};
  const InstrumentId okx{Venue::Okx, MarketKind::Spot, Symbol::from("BTC-USDT")};
  auto b429 = parse_binance_klines(R"({"code":-1003,"msg":"Too many requests."})", kBtc, 60, 0);
  ASSERT_FALSE(b429);
  EXPECT_EQ(b429.error().kind, KlineError::Kind::RateLimited);
  auto bad_symbol = parse_binance_klines(R"({"code":-1121,"msg":"Invalid symbol."})", kBtc, 60, 0);
  EXPECT_EQ(bad_symbol.error().kind, KlineError::Kind::Venue);
  EXPECT_EQ(bad_symbol.error().to_string(), "venue error -1121: Invalid symbol.");
  EXPECT_EQ(
      parse_bybit_klines(R"({"retCode":10006,"retMsg":"Too many visits!","result":{}})", bybit, 60, 0).error().kind,
      KlineError::Kind::RateLimited);
  EXPECT_EQ(parse_okx_candles(R"({"code":"50011","msg":"Too Many Requests","data":[]})", okx, 60, 0).error().kind,
            KlineError::Kind::RateLimited);
  EXPECT_EQ(
      parse_okx_candles(R"({"code":"51001","msg":"Instrument ID does not exist","data":[]})", okx, 60, 0).error().kind,
      KlineError::Kind::Venue);
  // Malformed: not JSON, a number where a decimal string belongs, high below low, duplicate rows.
  EXPECT_EQ(parse_binance_klines("[[1", kBtc, 60, 0).error().kind, KlineError::Kind::Malformed);
  EXPECT_EQ(parse_binance_klines(R"([[1704067200000, 1.5, "2", "1", "1", "1"]])", kBtc, 60, 0).error().message,
            "row 0: open is not a decimal string");
  EXPECT_EQ(parse_binance_klines(R"([[1704067200000, "1", "1", "2", "1", "1"]])", kBtc, 60, 0).error().message,
            "row 0: high 1 is below low 2");
  EXPECT_EQ(parse_okx_candles(
                R"({"code":"0","data":[["1704067200000","1","1","1","1","1"],["1704067200000","1","1","1","1","1"]]})",
                okx, 60, 0)
                .error()
                .message,
            "rows are not in strict time order");
}

TEST(KlineResponses, ParseForARequestKeepsItsWindow) {
  auto plan = plan_kline_requests(kBtc, 60, kDay1 + kMin, kDay1 + 3 * kMin);
  ASSERT_TRUE(plan);
  // The venue returned one bar too early and one too late: only [00:01, 00:03) stays.
  const std::string body = R"([[1704067200000,"1","1","1","1","1"],[1704067260000,"2","2","2","2","1"],
                              [1704067320000,"3","3","3","3","1"],[1704067380000,"4","4","4","4","1"]])";
  auto bars = parse_kline_response((*plan)[0], body, kFarFuture);
  ASSERT_TRUE(bars);
  ASSERT_EQ(bars->size(), 2u);
  EXPECT_EQ((*bars)[0].close, Price::from_units(2));
  EXPECT_EQ((*bars)[1].close, Price::from_units(3));
}

}  // namespace
}  // namespace tradingd::backtest
