// Export: one JSON document with an array per kind, CSV files, --since, and reading a journal that a
// live writer keeps appending to without disturbing it.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <fstream>
#include <sstream>

#include "execution/journal_export.h"
#include "execution/sqlite_journal.h"
#include "tests/execution/journal_sample.h"
#include "tests/execution/test_helpers.h"

namespace tradingd {
namespace {

constexpr UnixNanos kStart = 1'700'000'000 * kNanosPerSecond;

std::unique_ptr<SqliteJournal> open_journal(const std::filesystem::path& dir, std::int64_t interval_ms = 0) {
  SqliteJournalOptions o;
  o.fsync = false;
  o.commit_interval_ms = interval_ms;
  auto j = SqliteJournal::open(journal_path_in(dir), o);
  EXPECT_TRUE(j) << (j ? "" : j.error().message);
  return std::move(*j);
}

boost::json::object export_json(const std::filesystem::path& dir, std::optional<UnixNanos> since = std::nullopt) {
  std::ostringstream out;
  auto r = export_journal(ExportOptions{journal_path_in(dir), ExportFormat::Json, since, {}}, out);
  EXPECT_TRUE(r) << (r ? "" : r.error());
  return boost::json::parse(out.str()).as_object();
}

TEST(JournalExport, JsonHasAnArrayPerKindWithEveryId) {
  test::TempDir dir;
  SimulatedClock clock(kStart);
  auto j = open_journal(dir.path());
  test::write_sample(*j, clock);
  const auto doc = export_json(dir.path());  // while the journal is open
  const auto& orders = doc.at("orders").as_array();
  const auto& fills = doc.at("fills").as_array();
  const auto& cancels = doc.at("cancels").as_array();
  const auto& rejects = doc.at("rejects").as_array();
  ASSERT_EQ(orders.size(), 4u);
  ASSERT_EQ(fills.size(), 3u);
  ASSERT_EQ(cancels.size(), 1u);
  ASSERT_EQ(rejects.size(), 1u);
  const auto& o1 = orders[0].as_object();
  EXPECT_EQ(o1.at("status").as_string(), "filled");
  EXPECT_EQ(o1.at("avg_price").as_string(), "99.75");
  EXPECT_EQ(o1.at("filled_quantity").as_string(), "1");
  EXPECT_EQ(o1.at("fees").as_string(), "USDT:0.05;BNB:0.0005");
  EXPECT_EQ(o1.at("order_id").as_int64(), 1);
  EXPECT_EQ(o1.at("reduce_only").as_bool(), false);
  EXPECT_TRUE(o1.at("trigger_price").is_null());
  const auto& f = fills[0].as_object();
  EXPECT_EQ(f.at("trade_id").as_string(), "ta1");
  EXPECT_EQ(f.at("venue_order_id").as_string(), "V1");
  EXPECT_EQ(f.at("client_order_id").as_string(), o1.at("client_order_id").as_string());
  EXPECT_EQ(f.at("quantity").as_string(), "0.5");
  EXPECT_EQ(f.at("price").as_string(), "100");
  EXPECT_EQ(f.at("side").as_string(), "buy");
  EXPECT_EQ(cancels[0].as_object().at("kind").as_string(), "canceled");
  const auto& rej = rejects[0].as_object();
  EXPECT_EQ(rej.at("reason").as_string(), "insufficient_balance");
  EXPECT_EQ(rej.at("code").as_string(), "-2010");
  EXPECT_EQ(rej.at("message").as_string(), "Account has insufficient balance");
}

TEST(JournalExport, SinceKeepsOnlyLaterActivity) {
  test::TempDir dir;
  SimulatedClock clock(kStart);
  auto j = open_journal(dir.path());
  test::write_sample(*j, clock);
  // An hour later the open order 4 is canceled.
  OrderEventRecord cancel;
  cancel.order_id = 4;
  cancel.event = OrderEvent::Cancel;
  cancel.ts_event_ns = cancel.ts_ns = kStart + 3600 * kNanosPerSecond;
  ASSERT_TRUE(j->append_event(cancel));
  const auto all = export_json(dir.path(), kStart);
  const auto later = export_json(dir.path(), kStart + 1800 * kNanosPerSecond);
  EXPECT_EQ(all.at("fills").as_array().size(), 3u);
  EXPECT_EQ(all.at("cancels").as_array().size(), 2u);
  EXPECT_EQ(later.at("fills").as_array().size(), 0u);
  ASSERT_EQ(later.at("orders").as_array().size(), 1u);
  EXPECT_EQ(later.at("orders").as_array()[0].as_object().at("status").as_string(), "canceled");
  EXPECT_EQ(later.at("cancels").as_array().size(), 1u);
  EXPECT_EQ(later.at("rejects").as_array().size(), 0u);
}

TEST(JournalExport, CsvFilesWithHeaders) {
  test::TempDir dir;
  SimulatedClock clock(kStart);
  {
    auto j = open_journal(dir.path());
    test::write_sample(*j, clock);
  }
  std::ostringstream unused;
  auto r = export_journal(ExportOptions{journal_path_in(dir.path()), ExportFormat::Csv, std::nullopt, dir / "out"}, unused);
  ASSERT_TRUE(r) << r.error();
  EXPECT_EQ(r->fills, 3u);
  const std::string fills = test::read_text(dir / "out" / "fills.csv");
  EXPECT_EQ(fills.substr(0, fills.find('\n')),
            "order_id,client_order_id,venue_order_id,trade_id,instrument,side,quantity,price,fee,fee_asset,liquidity,ts");
  EXPECT_NE(fills.find(",V1,ta1,binance:spot:BTCUSDT,buy,0.5,100,0.05,USDT,maker,"), std::string::npos) << fills;
  const std::string rejects = test::read_text(dir / "out" / "rejects.csv");
  EXPECT_NE(rejects.find("insufficient_balance,-2010,Account has insufficient balance"), std::string::npos) << rejects;
  for (const char* f : {"orders.csv", "cancels.csv"}) EXPECT_TRUE(std::filesystem::exists(dir / "out" / f));
  EXPECT_TRUE(test::read_text(dir / "out" / "orders.csv").starts_with("order_id,client_order_id,venue_order_id,instrument"));
}

TEST(JournalExport, ReadsAJournalALiveWriterKeepsWriting) {
  test::TempDir dir;
  SimulatedClock clock(kStart);
  auto j = open_journal(dir.path(), 5);  // group commit: a writer thread commits every 5 ms
  test::write_sample(*j, clock);
  ASSERT_TRUE(j->flush());
  EXPECT_EQ(export_json(dir.path()).at("orders").as_array().size(), 4u);
  // The writer is undisturbed: it keeps committing, and the next export sees the new rows.
  OrderIntentRecord r;
  r.order_id = 5;
  r.client_order_id = ClientOrderId::from("td0000000000005x");
  r.spec = test::limit_spec(Side::Buy, "1", "1");
  r.ts_ns = clock.now_ns();
  ASSERT_TRUE(j->append_intent(r));
  ASSERT_TRUE(j->flush());
  EXPECT_FALSE(j->failure().has_value());
  EXPECT_EQ(export_json(dir.path()).at("orders").as_array().size(), 5u);
}

TEST(JournalExport, AMissingJournalIsAClearError) {
  test::TempDir dir;
  std::ostringstream out;
  auto r = export_journal(ExportOptions{journal_path_in(dir.path()), ExportFormat::Json, std::nullopt, {}}, out);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().find("no journal"), std::string::npos);
  EXPECT_EQ(parse_export_format("csv"), ExportFormat::Csv);
  EXPECT_FALSE(parse_export_format("xml"));
}

}  // namespace
}  // namespace tradingd
