// RecordingWriter: one file per stream per UTC day, frames one per line as received (CR/LF flattened),
// bounded per file and per queue (drops counted, never blocking), a write error stops it with the reason.
#include "exchange/net/recording_writer.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace tradingd::net {
namespace {

namespace fs = std::filesystem;

constexpr std::int64_t kDayNs = 86'400'000'000'000;
constexpr std::int64_t kNov23 = 1'795'392'000'000'000'000;  // 2026-11-23T00:00:00Z

fs::path temp_dir(const std::string& name) {
  auto p = fs::temp_directory_path() / ("tradingd-recording-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(p);
  return p;
}

std::vector<std::string> lines_of(const fs::path& p) {
  std::ifstream in(p);
  std::vector<std::string> out;
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

TEST(RecordingWriter, OneFilePerStreamPerUtcDayFramesAsReceived) {
  const auto dir = temp_dir("days");
  {
    RecordingWriter w(RecordingOptions{.dir = dir});
    const auto spot = w.open_stream("binance-spot", ".jsonl");
    const auto snaps = w.open_stream("binance-spot", ".snapshots.jsonl");
    EXPECT_TRUE(w.write(spot, R"({"a":1})", kNov23 + 5));
    EXPECT_TRUE(w.write(spot, "{\"b\":\n2}", kNov23 + kDayNs - 1));  // still the 23rd; the newline flattened
    EXPECT_TRUE(w.write(snaps, R"({"BTCUSDT":{}})", kNov23 + 7));
    EXPECT_TRUE(w.write(spot, R"({"c":3})", kNov23 + kDayNs));  // the 24th: a new file
    EXPECT_EQ(w.path_of(spot, kNov23), dir / "binance-spot-20261123.jsonl");
    ASSERT_TRUE(w.drain(5'000));
    EXPECT_EQ(w.frames_written(), 4u);
    EXPECT_EQ(w.frames_dropped(), 0u);
  }
  EXPECT_EQ(lines_of(dir / "binance-spot-20261123.jsonl"), (std::vector<std::string>{R"({"a":1})", R"({"b": 2})"}));
  EXPECT_EQ(lines_of(dir / "binance-spot-20261124.jsonl"), (std::vector<std::string>{R"({"c":3})"}));
  EXPECT_EQ(lines_of(dir / "binance-spot-20261123.snapshots.jsonl"), (std::vector<std::string>{R"({"BTCUSDT":{}})"}));
  {
    // A restart appends to the day's file.
    RecordingWriter w(RecordingOptions{.dir = dir});
    const auto spot = w.open_stream("binance-spot", ".jsonl");
    EXPECT_TRUE(w.write(spot, R"({"d":4})", kNov23 + 9));
  }
  EXPECT_EQ(lines_of(dir / "binance-spot-20261123.jsonl").size(), 3u);
  fs::remove_all(dir);
}

TEST(RecordingWriter, AFullDayFileDropsFramesAndCountsThem) {
  const auto dir = temp_dir("bound");
  RecordingWriter w(RecordingOptions{.dir = dir, .max_bytes_per_file = 20});
  const auto s = w.open_stream("okx-public", ".jsonl");
  EXPECT_TRUE(w.write(s, "0123456789", kNov23));   // 11 bytes with the newline
  EXPECT_FALSE(w.write(s, "0123456789", kNov23));  // 22 > 20: dropped
  EXPECT_TRUE(w.write(s, "0123456789", kNov23 + kDayNs));  // a new day, a new budget
  ASSERT_TRUE(w.drain(5'000));
  EXPECT_EQ(w.frames_dropped(), 1u);
  EXPECT_EQ(w.frames_written(), 2u);
  fs::remove_all(dir);
}

TEST(RecordingWriter, AFullQueueDropsBatchesInsteadOfGrowing) {
  const auto dir = temp_dir("queue");
  // Nothing may wait for the disk: every batch handed over is dropped.
  RecordingWriter w(RecordingOptions{.dir = dir, .batch_bytes = 1, .max_pending_bytes = 0});
  const auto s = w.open_stream("bybit-linear", ".jsonl");
  EXPECT_TRUE(w.write(s, "{}", kNov23));  // accepted into the batch, dropped at hand-over
  ASSERT_TRUE(w.drain(5'000));
  EXPECT_EQ(w.frames_dropped(), 1u);
  EXPECT_EQ(w.frames_written(), 0u);
  fs::remove_all(dir);
}

TEST(RecordingWriter, AWriteErrorStopsTheRecordingWithTheReason) {
  const auto dir = temp_dir("error");
  fs::create_directories(dir);
  std::ofstream(dir / "file") << "x";
  RecordingWriter w(RecordingOptions{.dir = dir / "file" / "sub"});  // a file where a directory should be
  const auto s = w.open_stream("binance-spot", ".jsonl");
  EXPECT_TRUE(w.write(s, "{}", kNov23));
  w.drain(5'000);
  EXPECT_TRUE(w.failed());
  EXPECT_NE(w.error().find("cannot open"), std::string::npos) << w.error();
  EXPECT_FALSE(w.write(s, "{}", kNov23));
  EXPECT_GE(w.frames_dropped(), 2u);
  fs::remove_all(dir);
}

TEST(RecordingWriter, UtcDayNames) {
  EXPECT_EQ(utc_day(kNov23), "20261123");
  EXPECT_EQ(utc_day(kNov23 - 1), "20261122");
  EXPECT_EQ(utc_day(0), "19700101");
}

}  // namespace
}  // namespace tradingd::net
