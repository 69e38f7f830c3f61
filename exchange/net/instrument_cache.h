// The on-disk cache of each venue market's instrument list: the REST pages exactly as received, so the
// venue's own parser reads the cache too. Format: a header line, then per page "page <bytes>\n<body>\n".
// Written to a temporary file and renamed, so a crash never leaves a torn cache.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/result.h"

namespace tradingd::net {

// "<dir>/<venue>-<market>.instruments"
std::filesystem::path instrument_cache_path(const std::filesystem::path& dir, std::string_view venue,
                                            std::string_view market);
Result<bool, std::string> write_instrument_cache(const std::filesystem::path& file, const std::vector<std::string>& pages);
Result<std::vector<std::string>, std::string> read_instrument_cache(const std::filesystem::path& file);

}  // namespace tradingd::net
