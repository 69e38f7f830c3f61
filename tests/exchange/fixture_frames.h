// Test helpers for the shared venue fixtures: the raw frames and REST bodies of the cryptofeed captures,
// pretty-printed samples flattened to one line (as a venue sends them), and the OKX checksum vectors.
// Only this helper parses fixture files with Boost.JSON, so the test sources compile quickly.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace tradingd::test {

// The shared fixtures folder's file, e.g. fixture("binance/ws_public/usdm_trade_stream.json").
std::filesystem::path fixture(const std::string& relative);
// The file's text with newlines turned into spaces: a pretty-printed sample as one frame.
std::string fixture_frame(const std::string& relative);

// The `raw` texts of a cryptofeed capture's `recv` entries, in order.
std::vector<std::string> capture_frames(const std::string& relative);
// The `raw` REST bodies of a cryptofeed capture's `http_response` entries, by the `symbol=` of their URL.
std::map<std::string, std::string> capture_snapshots(const std::string& relative);

struct OkxChecksumVector {
  std::string id;
  std::string raw_message;               // empty for the documentation examples
  std::string check_string;              // the documented/verified check string
  std::int64_t expected_checksum = 0;    // expected_checksum, else locally_computed_crc32_signed
  std::vector<std::vector<std::string>> bids, asks;  // the doc examples' levels
};
std::vector<OkxChecksumVector> okx_checksum_vectors();

// Every .json file under a venue folder's ws_public and rest_response (for robustness loops).
std::vector<std::filesystem::path> fixture_files(const std::string& venue);

}  // namespace tradingd::test
