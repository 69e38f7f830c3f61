// The replay driver end to end on recorded frames: the real Binance USD-M capture with its REST snapshots
// (every event out, valid books, no gap, final top levels as computed independently), an injected skip
// (a gap line, then no more book lines for that symbol), rejected frames, a missing snapshot, the OKX
// checksum vectors (verified, then corrupted), Bybit fixtures, and determinism.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <map>
#include <sstream>

#include "exchange/replay.h"
#include "tests/exchange/fixture_frames.h"
#include "tests/support/fixtures.h"

namespace tradingd {
namespace {

namespace json = boost::json;

const char* kCapture = "binance/ws_public/cryptofeed_usdm_stream_capture_2021-07-22.json";
const char* kSnapshots = "binance/rest_response/cryptofeed_usdm_depth_snapshots_2021-07-22.json";

struct Output {
  std::vector<json::object> lines;
  std::map<std::string, int> by_type;
  const json::object& summary() const { return lines.back(); }
  std::vector<json::object> of(const std::string& type, const std::string& instrument = "") const {
    std::vector<json::object> out;
    for (const auto& l : lines)
      if (l.at("type").as_string() == type && (instrument.empty() || l.at("instrument").as_string() == instrument))
        out.push_back(l);
    return out;
  }
};

Output run(const std::string& frames, const std::string* snapshots, ReplayOptions options) {
  std::istringstream in(frames);
  std::istringstream snaps(snapshots ? *snapshots : "");
  std::ostringstream out;
  auto r = replay(in, snapshots ? &snaps : nullptr, out, options);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error());
  Output o;
  std::istringstream lines(out.str());
  std::string line;
  while (std::getline(lines, line)) {
    o.lines.push_back(json::parse(line).as_object());
    ++o.by_type[std::string(o.lines.back().at("type").as_string())];
  }
  return o;
}

std::string join(const std::vector<std::string>& frames) {
  std::string s;
  for (const auto& f : frames) s += f + "\n";
  return s;
}

std::string snapshot_map(const std::map<std::string, std::string>& bodies) {
  std::string s = "{";
  for (const auto& [symbol, body] : bodies) s += (s.size() > 1 ? ",\"" : "\"") + symbol + "\":" + body;
  return s + "}";
}

class ReplayTest : public ::testing::Test {
 protected:
  void SetUp() override { TRADINGD_REQUIRE_FIXTURES(); }
};

TEST_F(ReplayTest, BinanceCaptureReplaysWithoutGaps) {
  const auto frames = test::capture_frames(kCapture);
  const std::string snaps = snapshot_map(test::capture_snapshots(kSnapshots));
  ReplayOptions options;
  options.venue = Venue::Binance;
  options.depth = 5;
  const Output o = run(join(frames), &snaps, options);
  const auto& s = o.summary();
  EXPECT_EQ(s.at("market").as_string(), "linear_perp");  // inferred from "pu"
  EXPECT_EQ(s.at("lines").as_int64(), 1535);
  EXPECT_EQ(s.at("rejected").as_int64(), 0);
  EXPECT_EQ(s.at("gaps").as_int64(), 0);
  EXPECT_EQ(s.at("snapshots_used").as_int64(), 4);
  EXPECT_EQ(s.at("resyncs").as_int64(), 4);  // each symbol's initial snapshot request
  EXPECT_EQ(o.by_type.at("need_snapshot"), 4);
  EXPECT_EQ(o.by_type.count("gap"), 0u);
  EXPECT_EQ(o.by_type.at("book"), 4 + 188 + 252 + 180 + 132);
  EXPECT_EQ(o.by_type.at("trade"), 91);
  EXPECT_EQ(o.by_type.at("quote"), 613);
  EXPECT_EQ(o.by_type.at("bar"), 67);
  for (const auto& b : o.of("book")) EXPECT_TRUE(b.at("valid").as_bool());
  // The last SUSHIUSDT book line: exact decimal strings (canonical form) of the independently computed top.
  const auto sushi = o.of("book", "binance:linear_perp:SUSHIUSDT");
  const auto& last = sushi.back();
  EXPECT_EQ(last.at("sequence").to_number<std::uint64_t>(), 600860425198u);
  EXPECT_EQ(json::serialize(last.at("bids")), R"([["7.612","303"],["7.611","105"],["7.61","178"],["7.609","294"],["7.608","1421"]])");
  EXPECT_EQ(json::serialize(last.at("asks")), R"([["7.616","267"],["7.617","261"],["7.618","1133"],["7.619","1038"],["7.62","2662"]])");
  EXPECT_TRUE(sushi.front().at("snapshot").as_bool());
  // Trade lines carry the parsed fields.
  const auto trade = o.of("trade").front();
  EXPECT_TRUE(trade.contains("price") && trade.contains("size") && trade.contains("trade_id") && trade.contains("aggressor"));
}

TEST_F(ReplayTest, InjectedSkipGivesAGapLine) {
  auto frames = test::capture_frames(kCapture);
  int seen = 0;
  for (auto it = frames.begin(); it != frames.end(); ++it) {
    if (it->find("akrousdt@depth") != std::string::npos && ++seen == 50) {
      frames.erase(it);
      break;
    }
  }
  const std::string snaps = snapshot_map(test::capture_snapshots(kSnapshots));
  ReplayOptions options;
  options.venue = Venue::Binance;
  options.market_kind = MarketKind::LinearPerp;
  const Output o = run(join(frames), &snaps, options);
  const auto gaps = o.of("gap");
  ASSERT_EQ(gaps.size(), 1u);
  EXPECT_EQ(gaps[0].at("instrument").as_string(), "binance:linear_perp:AKROUSDT");
  EXPECT_NE(gaps[0].at("expected").to_number<std::uint64_t>(), gaps[0].at("received").to_number<std::uint64_t>());
  EXPECT_EQ(o.summary().at("gaps").as_int64(), 1);
  // No snapshot is left for AKROUSDT: its book stays invalid and no book line follows the gap.
  const auto gap_line = gaps[0].at("line").as_int64();
  for (const auto& b : o.of("book", "binance:linear_perp:AKROUSDT")) EXPECT_LT(b.at("line").as_int64(), gap_line);
  EXPECT_FALSE(o.of("book", "binance:linear_perp:SUSHIUSDT").empty());
}

TEST_F(ReplayTest, RejectedFramesAreReportedAndSurvived) {
  auto frames = test::capture_frames(kCapture);
  frames.insert(frames.begin() + 3, "this is not json");
  frames.insert(frames.begin() + 5, frames[6].substr(0, frames[6].size() / 2));
  frames.insert(frames.begin() + 7, R"({"stream":"x","data":{"e":"24hrTicker","s":"SUSHIUSDT"}})");
  const std::string snaps = snapshot_map(test::capture_snapshots(kSnapshots));
  ReplayOptions options;
  options.venue = Venue::Binance;
  const Output o = run(join(frames), &snaps, options);
  const auto rejected = o.of("rejected");
  ASSERT_EQ(rejected.size(), 3u);
  EXPECT_EQ(rejected[0].at("line").as_int64(), 4);
  EXPECT_EQ(rejected[0].at("error").as_string(), "invalid_json");
  EXPECT_EQ(rejected[1].at("line").as_int64(), 6);
  EXPECT_EQ(rejected[2].at("error").as_string(), "unknown_message");
  EXPECT_EQ(o.summary().at("gaps").as_int64(), 0);
}

TEST_F(ReplayTest, MissingSnapshotIsReportedOncePerSymbol) {
  const auto frames = test::capture_frames(kCapture);
  ReplayOptions options;
  options.venue = Venue::Binance;
  const Output o = run(join(frames), nullptr, options);
  EXPECT_EQ(o.by_type.at("need_snapshot"), 4);
  EXPECT_EQ(o.by_type.count("book"), 0u);
  EXPECT_EQ(o.by_type.at("trade"), 91);
}

TEST_F(ReplayTest, OkxChecksumVectorsVerifyAndACorruptionIsReported) {
  std::string snapshot, update;
  for (const auto& v : test::okx_checksum_vectors()) {
    if (v.id == "real_books_snapshot_UNI-USD-SWAP_2022-05-13") snapshot = v.raw_message;
    if (v.id == "real_books_first_update_UNI-USD-SWAP_2022-05-13") update = v.raw_message;
  }
  ReplayOptions options;
  options.venue = Venue::Okx;
  options.depth = 3;
  Output o = run(snapshot + "\n" + update + "\n", nullptr, options);
  ASSERT_EQ(o.by_type.at("book"), 2);
  EXPECT_EQ(o.by_type.count("checksum_mismatch"), 0u);
  const auto books = o.of("book");
  EXPECT_EQ(books[1].at("instrument").as_string(), "okx:linear_perp:UNI-USD-SWAP");
  EXPECT_EQ(json::serialize(books[1].at("bids")), R"([["5.14","427"],["5.139","25"],["5.138","26"]])");

  std::string corrupted = update;
  corrupted.replace(corrupted.find("\"427\""), 5, "\"428\"");
  o = run(snapshot + "\n" + corrupted + "\n", nullptr, options);
  const auto bad = o.of("checksum_mismatch");
  ASSERT_EQ(bad.size(), 1u);
  EXPECT_EQ(bad[0].at("line").as_int64(), 2);
  EXPECT_EQ(bad[0].at("checksum_expected").as_int64(), 1361161687);
  EXPECT_EQ(o.summary().at("checksum_failures").as_int64(), 1);
  EXPECT_EQ(o.by_type.at("book"), 1);
}

TEST_F(ReplayTest, BybitFixtures) {
  std::string frames;
  for (const char* f : {"bybit/ws_public/ws_subscription_ack.json", "bybit/ws_public/ws_orderbook_snapshot.json",
                        "bybit/ws_public/ws_orderbook_delta.json", "bybit/ws_public/ws_public_trade.json",
                        "bybit/ws_public/ws_kline.json", "bybit/ws_public/ws_ticker_linear.json"})
    frames += test::fixture_frame(f) + "\n";
  ReplayOptions options;
  options.venue = Venue::Bybit;
  const Output o = run(frames, nullptr, options);
  EXPECT_EQ(o.by_type.at("book"), 2);
  EXPECT_EQ(o.by_type.at("quote"), 1);  // orderbook.1 gives best bid/ask; after the delta no ask remains
  EXPECT_EQ(o.by_type.at("trade"), 1);
  EXPECT_EQ(o.by_type.at("bar"), 1);
  EXPECT_EQ(o.by_type.at("mark_price"), 1);
  EXPECT_EQ(o.by_type.at("funding_rate"), 1);
  EXPECT_EQ(o.summary().at("controls").as_int64(), 1);
  EXPECT_EQ(o.summary().at("rejected").as_int64(), 0);
  const auto f = o.of("funding_rate")[0];
  EXPECT_EQ(f.at("rate").as_string(), "-0.000212");
}

TEST_F(ReplayTest, BybitRestSnapshotIsServedWhenADeltaFindsNoBook) {
  const std::string snapshot = test::read_file(test::fixture("bybit/rest_response/http_get_orderbook.json"));
  const std::string delta = test::fixture_frame("bybit/ws_public/ws_orderbook_delta.json");
  std::string next = delta;
  next.replace(next.find("123456790"), 9, "123456791");
  ReplayOptions options;
  options.venue = Venue::Bybit;
  const Output o = run(delta + "\n" + next + "\n", &snapshot, options);
  EXPECT_EQ(o.by_type.at("not_synced"), 1);
  EXPECT_EQ(o.summary().at("snapshots_used").as_int64(), 1);
  const auto books = o.of("book");
  ASSERT_EQ(books.size(), 2u);
  // The REST body (u 1234567) resets the orderbook.1 book to its best level per side; the next delta
  // (u 123456791) deletes the ask 27451.00, and its bid 27450.00 lies below the one-level window.
  EXPECT_TRUE(books[0].at("snapshot").as_bool());
  EXPECT_EQ(books[0].at("sequence").to_number<std::uint64_t>(), 1234567u);
  EXPECT_EQ(json::serialize(books[1].at("bids")), R"([["27450.5","1.5"]])");
  EXPECT_EQ(json::serialize(books[1].at("asks")), "[]");
  EXPECT_EQ(o.by_type.at("quote"), 1);
}

TEST_F(ReplayTest, DeterministicOutput) {
  const std::string frames = join(test::capture_frames(kCapture));
  const std::string snaps = snapshot_map(test::capture_snapshots(kSnapshots));
  auto once = [&] {
    std::istringstream in(frames), s(snaps);
    std::ostringstream out;
    EXPECT_TRUE(replay(in, &s, out, ReplayOptions{}).ok());
    return out.str();
  };
  EXPECT_EQ(once(), once());
}

TEST(Replay, BadSnapshotFileIsAnError) {
  std::istringstream in(""), snaps("[1,2]");
  std::ostringstream out;
  EXPECT_FALSE(replay(in, &snaps, out, ReplayOptions{}).ok());
}

}  // namespace
}  // namespace tradingd
