// Every decimal string in the venues' captured payloads parses exactly and formats back canonically.
#include <gtest/gtest.h>

#include <filesystem>
#include <regex>

#include "core/fixed_point.h"
#include "tests/support/fixtures.h"

namespace tradingd {
namespace {

// Canonical form of a plain decimal string: no trailing fraction zeros, no dangling point, "-0" → "0".
std::string canonical(std::string s) {
  if (s.find('.') != std::string::npos) {
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
  }
  const bool neg = s[0] == '-';
  std::size_t i = neg ? 1 : 0;
  while (i + 1 < s.size() && s[i] == '0' && s[i + 1] != '.') s.erase(i, 1);
  if (s == "-0") return "0";
  return s;
}

TEST(FixedPointFixtures, EveryQuotedDecimalInTheVenuePayloadsRoundTrips) {
  TRADINGD_REQUIRE_FIXTURES();
  const std::regex quoted_decimal(R"re("(-?[0-9]+\.[0-9]+)")re");
  std::size_t checked = 0, too_precise = 0, sentinels = 0, files = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(*test::fixtures_dir())) {
    if (!entry.is_regular_file() || entry.path().extension() != ".json") continue;
    if (entry.file_size() > 8 * 1024 * 1024) continue;
    ++files;
    const std::string text = test::read_file(entry.path());
    for (std::sregex_iterator it(text.begin(), text.end(), quoted_decimal), end; it != end; ++it) {
      const std::string s = (*it)[1].str();
      auto r = Price::parse(s);
      if (!r.ok()) {
        if (r.error() == DecimalError::OutOfRange) {
          // OKX's "no limit" sentinels (maxMktSz "9999999999…"): genuinely beyond ±9223372036.85, which
          // the instrument parser maps to "unlimited". Nothing else may be out of range.
          ASSERT_GE(s.find('.'), 10u) << s << " in " << entry.path();
          ++sentinels;
          continue;
        }
        // Only ratios with more than 9 decimals (funding rates, some multipliers) may fail, and only so.
        ASSERT_EQ(r.error(), DecimalError::TooPrecise) << s << " in " << entry.path();
        ++too_precise;
        continue;
      }
      ASSERT_EQ(r->to_string(), canonical(s)) << s << " in " << entry.path();
      ++checked;
    }
  }
  EXPECT_GT(files, 50u);
  EXPECT_GT(checked, 1'000u);
  // A few over-precise ratios (averages, funding) at most; prices and sizes never are.
  EXPECT_LT(too_precise * 20, checked) << too_precise << " of " << checked;
  EXPECT_LT(sentinels, 50u);
  RecordProperty("decimals_checked", static_cast<int>(checked));
}

}  // namespace
}  // namespace tradingd
