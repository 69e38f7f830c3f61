// Whole-file writes that a crash can never leave half done: write a temp file beside the target, fsync it,
// rename it over the target, fsync the directory. The temp name carries the pid and a counter so two
// writers of the same file never share a temp file; the last rename wins.
#pragma once

#include <filesystem>
#include <string_view>

#include "backtest/load_error.h"
#include "core/result.h"

namespace tradingd::backtest {

Result<std::filesystem::path, LoadError> write_file_atomically(const std::filesystem::path& path,
                                                               std::string_view content);

}  // namespace tradingd::backtest
