// Locations for tests; environment variables (set by ctest) win over the compiled-in defaults.
#include "tests/support/fixtures.h"

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace tradingd::test {
namespace {
std::filesystem::path env_or(const char* name, const char* fallback) {
  const char* v = std::getenv(name);
  return (v && *v) ? v : fallback;
}
}  // namespace

std::optional<std::filesystem::path> fixtures_dir() {
  auto p = env_or("TRADINGD_FIXTURES_DIR", TRADINGD_DEFAULT_FIXTURES_DIR);
  std::error_code ec;
  if (!std::filesystem::is_directory(p, ec)) return std::nullopt;
  return p;
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    ADD_FAILURE() << "cannot read " << path;
    return {};
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::filesystem::path bin_dir() { return env_or("TRADINGD_BIN_DIR", TRADINGD_DEFAULT_BIN_DIR); }
std::filesystem::path source_dir() { return env_or("TRADINGD_SOURCE_DIR", TRADINGD_DEFAULT_SOURCE_DIR); }

}  // namespace tradingd::test
