// Results writers: exact bytes for a small hand-made run, byte-identical output for the same input, a
// self-contained report, and the report rendered in headless Chromium (skipped when it is not installed).
#include "backtest/results.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <regex>

#include "backtest/report_html.h"
#include "backtest/svg_chart.h"
#include "tests/backtest/sample_results.h"
#include "tests/backtest/test_util.h"

namespace tradingd::backtest {
namespace {

using test::TempDir;

constexpr UnixNanos kT0 = 1'704'067'200LL * kNanosPerSecond;  // 2024-01-01T00:00:00Z
constexpr std::int64_t kDay = kNanosPerDay;
const InstrumentId kBtc{Venue::Binance, MarketKind::Spot, Symbol::from("BTCUSDT")};

Money m(std::string_view s) { return Money::from_string(s); }

// Two days: buy 0.1 BTC at 40000 (fee 4), sell at 44000 (fee 4.4). Equity 10000 -> 9996 -> 10391.6.
BacktestResults tiny() {
  BacktestResults r;
  r.title = "tiny";
  r.parameters = {{"fast", "5"}};
  r.fills = {
      {kT0, kBtc, 1, ClientOrderId::from("c1"), TradeId::from("f1"), Side::Buy, Quantity::from_string("0.1"),
       Price::from_units(40000), m("4"), LiquiditySide::Taker, OrderType::Market},
      {kT0 + kDay, kBtc, 2, ClientOrderId::from("c,2"), TradeId::from("f2"), Side::Sell, Quantity::from_string("0.1"),
       Price::from_units(44000), m("4.4"), LiquiditySide::Maker, OrderType::Limit}};
  OrderRecord o;
  o.order_id = 2;
  o.client_order_id = ClientOrderId::from("c,2");
  o.instrument = kBtc;
  o.side = Side::Sell;
  o.type = OrderType::Limit;
  o.quantity = Quantity::from_string("0.1");
  o.price = Price::from_units(44000);
  o.status = OrderStatus::Filled;
  o.filled_quantity = Quantity::from_string("0.1");
  o.avg_fill_price = Price::from_units(44000);
  o.fees = m("4.4");
  o.ts_created_ns = kT0 + kDay / 2;
  o.ts_last_ns = kT0 + kDay;
  o.reason = "said \"ok\"";
  r.orders = {o};
  r.equity = {{kT0, m("9996"), m("5996"), m("4000")},
              {kT0 + kDay / 2, m("9796"), m("5996"), m("3800")},
              {kT0 + kDay, m("10391.6"), m("10391.6"), m("0")}};
  r.prices = {{kBtc,
               {{kT0, Price::from_units(40000)},
                {kT0 + kDay / 2, Price::from_units(38000)},
                {kT0 + kDay, Price::from_units(44000)}}}};
  finalize_results(r, m("0.5"));
  return r;
}

TEST(ResultsWriters, TradesCsvBytes) {
  // Gross 0.1 x (44000 - 40000) = 400; fees 8.4; net 391.6.
  EXPECT_EQ(
      trades_csv(tiny().trades),
      "instrument,side,status,entry_time,exit_time,quantity,entry_price,exit_price,exited_quantity,gross_pnl,fees,"
      "net_pnl,entry_order_type,exit_order_type,fills\n"
      "binance:spot:BTCUSDT,long,closed,2024-01-01T00:00:00Z,2024-01-02T00:00:00Z,0.1,40000,44000,0.1,400,8.4,391.6,"
      "market,limit,2\n");
}

TEST(ResultsWriters, FillsOrdersEquityCsvBytes) {
  const auto r = tiny();
  EXPECT_EQ(fills_csv(r.fills),
            "time,instrument,order_id,client_order_id,trade_id,side,quantity,price,fee,liquidity,order_type\n"
            "2024-01-01T00:00:00Z,binance:spot:BTCUSDT,1,c1,f1,buy,0.1,40000,4,taker,market\n"
            "2024-01-02T00:00:00Z,binance:spot:BTCUSDT,2,\"c,2\",f2,sell,0.1,44000,4.4,maker,limit\n");
  EXPECT_EQ(
      orders_csv(r.orders),
      "order_id,client_order_id,instrument,side,type,time_in_force,quantity,price,trigger_price,reduce_only,status,"
      "filled_quantity,avg_fill_price,fees,created,updated,reason\n"
      "2,\"c,2\",binance:spot:BTCUSDT,sell,limit,gtc,0.1,44000,,false,filled,0.1,44000,4.4,2024-01-01T12:00:00Z,"
      "2024-01-02T00:00:00Z,\"said \"\"ok\"\"\"\n");
  // Drawdown from the running peak 9996: (9996 - 9796) / 9996 = 0.020008003 (nearest 1e-9).
  EXPECT_EQ(equity_csv(r.equity),
            "time,equity,cash,exposure,drawdown\n"
            "2024-01-01T00:00:00Z,9996,5996,4000,0\n"
            "2024-01-01T12:00:00Z,9796,5996,3800,0.020008003\n"
            "2024-01-02T00:00:00Z,10391.6,10391.6,0,0\n");
}

TEST(ResultsWriters, SummaryJsonBytes) {
  const std::string json = summary_json(tiny());
  // Total return 10391.6 / 9996 - 1 = 395.6 / 9996 = 0.0395758; CAGR over one day 1.0395758^365 - 1
  // = exp(365 x 0.0388121) - 1 = 1.4207e6; one daily period, so no Sharpe/Sortino/volatility (null);
  // drawdown 200 / 9996 = 0.0200080; under water from 00:00 until the recovery at 24:00 = 86400 s;
  // exposure non-zero over [00:00, 24:00) = 100 %. Doubles print in their shortest round-trip form.
  const std::string expected_head = R"J({
  "title": "tiny",
  "start": "2024-01-01T00:00:00Z",
  "end": "2024-01-02T00:00:00Z",
  "instruments": ["binance:spot:BTCUSDT"],
  "parameters": {
    "fast": "5"
  },
  "metrics": {
    "start_equity": "9996",
    "end_equity": "10391.6",
    "net_pnl": "395.6",
    "total_return": 0.039575830332132966,
    "cagr": 1420702.4515518572,
    "volatility": null,
    "sharpe": null,
    "sortino": null,
    "return_periods": 1,
    "max_drawdown": 0.020008003201280513,
    "max_drawdown_amount": "200",
    "max_drawdown_peak": "2024-01-01T00:00:00Z",
    "max_drawdown_trough": "2024-01-01T12:00:00Z",
    "max_drawdown_duration_s": 86400,
    "trades": 1,
    "wins": 1,
    "losses": 0,
    "win_rate": 1,
    "profit_factor": null,
    "gross_profit": "391.6",
    "gross_loss": "0",
    "avg_win": "391.6",
    "avg_loss": "0",
    "largest_win": "391.6",
    "largest_loss": "0",
    "exposure_pct": 100,
    "fees_paid": "8.4",
    "funding_paid": "0.5"
  },
  "conventions": {
    "return_sampling": "daily (UTC midnight closes)",
    "periods_per_year": 365,
)J";
  EXPECT_EQ(json.substr(0, expected_head.size()), expected_head);
  EXPECT_EQ(json.back(), '\n');
}

TEST(ResultsWriters, WritesSixFilesByteIdenticallyForTheSameInput) {
  TempDir dir;
  const auto a = write_results(dir / "a", test::sample_results());
  const auto b = write_results(dir / "b", test::sample_results());
  ASSERT_TRUE(a) << a.error().to_string();
  ASSERT_TRUE(b);
  ASSERT_EQ(a->size(), 6u);
  for (std::size_t i = 0; i < a->size(); ++i) {
    const std::string x = test::slurp((*a)[i]), y = test::slurp((*b)[i]);
    EXPECT_FALSE(x.empty()) << (*a)[i];
    EXPECT_EQ(x, y) << (*a)[i].filename();
  }
  EXPECT_EQ((*a)[5].filename(), "report.html");
  for (const auto& e : std::filesystem::directory_iterator(dir / "a"))
    EXPECT_EQ(e.path().string().find(".tmp."), std::string::npos);
}

TEST(ReportHtml, SelfContainedWithChartsMarkersAndTables) {
  const auto r = test::sample_results();
  ASSERT_GT(r.summary.trades, 3);
  const std::string html = report_html(r);
  // No network at view time: no external scripts, styles, fonts or images.
  EXPECT_EQ(html.find("src="), std::string::npos);
  EXPECT_EQ(html.find("<link"), std::string::npos);
  EXPECT_EQ(html.find("@import"), std::string::npos);
  EXPECT_EQ(html.find("https://"), std::string::npos);
  EXPECT_EQ(std::regex_replace(html, std::regex("http://www\\.w3\\.org/2000/svg"), "").find("http://"),
            std::string::npos);
  EXPECT_NE(html.find("class=\"eq-line\""), std::string::npos);
  EXPECT_NE(html.find("class=\"dd-area\""), std::string::npos);
  EXPECT_NE(html.find("class=\"px-line\""), std::string::npos);
  EXPECT_NE(html.find("class=\"m-long\""), std::string::npos);
  EXPECT_NE(html.find("class=\"m-short\""), std::string::npos);
  EXPECT_NE(html.find("m-exit"), std::string::npos);
  EXPECT_NE(html.find("Trade list"), std::string::npos);
}

TEST(ResultsWriters, InstrumentsFromPricesThenFills) {
  auto r = tiny();
  const InstrumentId eth{Venue::Bybit, MarketKind::LinearPerp, Symbol::from("ETHUSDT")};
  r.fills.push_back(r.fills[0]);
  r.fills.back().instrument = eth;
  EXPECT_EQ(result_instruments(r), (std::vector<InstrumentId>{kBtc, eth}));
  EXPECT_NE(summary_json(r).find(R"("instruments": ["binance:spot:BTCUSDT", "bybit:linear_perp:ETHUSDT"])"),
            std::string::npos);
}

TEST(ReportHtml, MarkersAreCappedPerChart) {
  auto r = tiny();
  r.trades.assign(kReportMaxMarkedTrades + 10, r.trades[0]);
  const std::string html = report_html(r);
  std::size_t entries = 0;
  // Long-entry triangles on the chart (the legend's is drawn differently).
  for (auto p = html.find("l5 8h-10Z"); p != std::string::npos; p = html.find("l5 8h-10Z", p + 1)) ++entries;
  EXPECT_EQ(entries, kReportMaxMarkedTrades);
  EXPECT_NE(html.find("the first 5000 marked"), std::string::npos);
}

TEST(SvgChart, DownsampleKeepsExtremesAndOrder) {
  std::vector<svg::XY> pts;
  for (int i = 0; i < 100'000; ++i)
    pts.push_back({static_cast<double>(i), i == 54'321 ? 1000.0 : static_cast<double>(i % 7)});
  const auto d = svg::downsample(pts, 500);
  EXPECT_LE(d.size(), 2000u);
  EXPECT_EQ(d.front().x, 0);
  EXPECT_EQ(d.back().x, 99'999);
  bool spike = false;
  for (std::size_t i = 0; i < d.size(); ++i) {
    if (i > 0) {
      EXPECT_LT(d[i - 1].x, d[i].x);
    }
    spike |= d[i].y == 1000.0;
  }
  EXPECT_TRUE(spike);
}

TEST(SvgChart, TicksAndNumbers) {
  EXPECT_EQ(svg::nice_ticks(0, 10, 5), (std::vector<double>{0, 2, 4, 6, 8, 10}));
  EXPECT_EQ(svg::nice_ticks(41'950, 42'480, 5), (std::vector<double>{42'000, 42'100, 42'200, 42'300, 42'400}));
  EXPECT_EQ(svg::format_number(1234567.891, 2), "1,234,567.89");
  EXPECT_EQ(svg::format_number(-0.001, 2), "0.00");
  EXPECT_EQ(svg::format_number(-1500, 0), "-1,500");
  const auto days = svg::time_ticks(kT0, kT0 + 10 * kDay, 8);
  ASSERT_FALSE(days.empty());
  EXPECT_EQ(days.front().label, "2024-01-02");  // 2-day steps on even days since 1970
  EXPECT_EQ(days.front().t % kDay, 0);
  const auto hours = svg::time_ticks(kT0 + kDay / 4, kT0 + kDay / 2, 8);
  ASSERT_FALSE(hours.empty());
  EXPECT_EQ(hours.front().label, "06:00");
  const auto months = svg::time_ticks(kT0, kT0 + 365 * kDay, 8);
  ASSERT_FALSE(months.empty());
  EXPECT_EQ(months.front().label, "2024-01");
}

// ---- Headless Chromium ----

std::optional<std::string> find_chromium() {
  for (const char* name : {"chromium", "chromium-browser", "google-chrome"}) {
    const std::string cmd = std::string("command -v ") + name + " >/dev/null 2>&1";
    if (std::system(cmd.c_str()) == 0) return std::string(name);
  }
  return std::nullopt;
}

std::string run(const std::string& cmd) {
  std::string out;
  if (FILE* p = ::popen(cmd.c_str(), "r")) {
    char buf[65536];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    ::pclose(p);
  }
  return out;
}

TEST(ReportHtml, RendersInHeadlessChromium) {
  const auto chromium = find_chromium();
  if (!chromium)
    GTEST_SKIP() << "chromium is not installed (deploy/install-deps.sh installs it): report rendering not checked";
  TempDir dir;
  auto written = write_results(dir.path(), test::sample_results());
  ASSERT_TRUE(written);
  const auto html = dir / "report.html";
  const auto png = dir / "report.png";
  const std::string flags =
      " --headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir=" + (dir / "profile").string() +
      " --window-size=1280,1600 ";
  // The DOM after the page's script ran: the charts' SVG elements are there.
  const std::string dom = run(*chromium + flags + "--dump-dom file://" + html.string() + " 2>/dev/null");
  ASSERT_FALSE(dom.empty()) << "chromium printed no DOM";
  auto count = [&](const std::string& needle) {
    std::size_t n = 0;
    for (auto p = dom.find(needle); p != std::string::npos; p = dom.find(needle, p + 1)) ++n;
    return n;
  };
  EXPECT_EQ(count("<svg class=\"chart\""), 3u);  // equity, drawdown, one price chart
  EXPECT_EQ(count("class=\"eq-line\""), 1u);
  EXPECT_EQ(count("class=\"dd-line\""), 1u);
  EXPECT_EQ(count("class=\"px-line\""), 1u);
  EXPECT_GT(count("class=\"m-long\""), 1u);
  EXPECT_GT(count("class=\"m-exit"), 1u);
  EXPECT_EQ(count("class=\"guide\""), 3u);  // added by the hover script: it ran without error
  // A screenshot of the rendered page (kept when TRADINGD_REPORT_SCREENSHOT names a path, to look at).
  run(*chromium + flags + "--screenshot=" + png.string() + " file://" + html.string() + " >/dev/null 2>&1");
  ASSERT_TRUE(std::filesystem::exists(png)) << "no screenshot written";
  EXPECT_GT(std::filesystem::file_size(png), 50'000u);  // a rendered page, not a blank one
  if (const char* keep = std::getenv("TRADINGD_REPORT_SCREENSHOT")) {
    std::filesystem::copy_file(png, keep, std::filesystem::copy_options::overwrite_existing);
    std::filesystem::copy_file(html, std::string(keep) + ".html", std::filesystem::copy_options::overwrite_existing);
  }
}

}  // namespace
}  // namespace tradingd::backtest
