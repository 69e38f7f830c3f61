// `tradingd replay` as a user runs it: the real Binance USD-M capture (frames as JSONL, REST snapshots as a
// {"SYMBOL": body} file) through the binary gives book lines with no gap, a summary on stderr, exit 0; usage
// errors exit 2 and name the problem; an unreadable input exits 1.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "tests/daemon/daemon_process.h"
#include "tests/exchange/fixture_frames.h"
#include "tests/support/fixtures.h"

namespace tradingd::test {
namespace {

ProcessResult run_replay(const std::vector<std::string>& args) {
  std::vector<std::string> argv{(bin_dir() / "tradingd").string(), "replay"};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_program(argv, {{"PATH", "/usr/bin:/bin"}});
}

TEST(ReplayCommand, RealBinanceCaptureReplaysWithoutGaps) {
  TRADINGD_REQUIRE_FIXTURES();
  TempDir dir;
  std::string frames;
  for (const auto& f : capture_frames("binance/ws_public/cryptofeed_usdm_stream_capture_2021-07-22.json"))
    frames += f + "\n";
  boost::json::object snapshots;
  for (const auto& [symbol, body] : capture_snapshots("binance/rest_response/cryptofeed_usdm_depth_snapshots_2021-07-22.json"))
    snapshots[symbol] = boost::json::parse(body);
  const auto input = dir.write("frames.jsonl", frames);
  const auto snaps = dir.write("snapshots.json", boost::json::serialize(snapshots));

  const auto r = run_replay({"--venue", "binance", "--input", input.string(), "--snapshot", snaps.string(), "--depth", "3"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  int books = 0, gaps = 0;
  std::size_t pos = 0;
  while (pos < r.out.size()) {
    const auto end = r.out.find('\n', pos);
    const auto line = boost::json::parse(r.out.substr(pos, end - pos)).as_object();
    const auto type = line.at("type").as_string();
    if (type == "book") {
      ++books;
      EXPECT_LE(line.at("bids").as_array().size(), 3u);
    }
    if (type == "gap") ++gaps;
    pos = end == std::string::npos ? r.out.size() : end + 1;
  }
  EXPECT_GT(books, 100);
  EXPECT_EQ(gaps, 0);
  EXPECT_NE(r.err.find("Replay done"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("gaps=0"), std::string::npos) << r.err;
}

TEST(ReplayCommand, UsageErrorsExit2AndSayWhatIsWrong) {
  auto r = run_replay({"--input", "x.jsonl"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--venue and --input are required"), std::string::npos) << r.err;
  r = run_replay({"--venue", "kraken", "--input", "x.jsonl"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("binance, bybit or okx"), std::string::npos) << r.err;
  r = run_replay({"--venue", "okx", "--input", "x.jsonl", "--depth", "0"});
  EXPECT_EQ(r.exit_code, 2);
  r = run_replay({"--venue", "okx", "--input", "x.jsonl", "--dpeth", "3"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--dpeth"), std::string::npos) << r.err;
  r = run_replay({"--venue", "okx", "--input", "/nonexistent/frames.jsonl"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("cannot read /nonexistent/frames.jsonl"), std::string::npos) << r.err;
  r = run_replay({"--help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("usage: tradingd replay"), std::string::npos);
}

}  // namespace
}  // namespace tradingd::test
