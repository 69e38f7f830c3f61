// Tests provoke illegal events and invariant breaks on purpose; their log lines would bury real
// failures. TRADINGD_TEST_LOGS=1 turns logging back on.
#include <cstdlib>

#include <spdlog/spdlog.h>

namespace {
const bool kQuiet = [] {
  if (!std::getenv("TRADINGD_TEST_LOGS")) spdlog::set_level(spdlog::level::off);
  return true;
}();
}  // namespace
