// Test support: where the shared venue fixtures, the built binaries and the source tree are. Tests that
// need fixtures call TRADINGD_REQUIRE_FIXTURES() and skip with a clear message when the folder is absent.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include <gtest/gtest.h>

namespace tradingd::test {

// $TRADINGD_FIXTURES_DIR, else the CMake default (../shared/fixtures); nullopt when it does not exist.
std::optional<std::filesystem::path> fixtures_dir();
// The file's whole contents; fails the test (ADD_FAILURE) and returns "" when unreadable.
std::string read_file(const std::filesystem::path& path);
std::filesystem::path bin_dir();     // build/bin
std::filesystem::path source_dir();  // the repository

}  // namespace tradingd::test

#define TRADINGD_REQUIRE_FIXTURES()                                                        \
  do {                                                                                    \
    if (!::tradingd::test::fixtures_dir())                                                \
      GTEST_SKIP() << "shared fixtures not found (set TRADINGD_FIXTURES_DIR to ../shared/fixtures)"; \
  } while (0)
