// Helpers for the backtest tests: a fresh temporary directory per test (removed afterwards), writing small
// files, and draining a bar reader.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "backtest/bar_reader.h"

namespace tradingd::backtest::test {

class TempDir {
 public:
  TempDir() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string name = info ? std::string(info->test_suite_name()) + "." + info->name() : "tradingd_backtest";
    path_ = std::filesystem::temp_directory_path() / ("tradingd_bt_" + name + "_" + std::to_string(::getpid()));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(std::string_view name) const { return path_ / name; }

  std::filesystem::path write(std::string_view name, std::string_view content) const {
    const auto p = path_ / name;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream out(p, std::ios::binary);
    out << content;
    return p;
  }

 private:
  std::filesystem::path path_;
};

inline std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// All bars until End; on Error fails the test with the reader's message.
inline std::vector<Bar> drain(BarReader& r) {
  std::vector<Bar> bars;
  Bar b;
  for (;;) {
    const ReadStatus s = r.next(b);
    if (s == ReadStatus::Item) {
      bars.push_back(b);
      continue;
    }
    if (s == ReadStatus::Error) ADD_FAILURE() << r.error().to_string();
    return bars;
  }
}

}  // namespace tradingd::backtest::test
