// Log formatting: JSON lines escape whatever a message holds; level and format names parse strictly.
#include "daemon/logging.h"

#include <boost/json.hpp>
#include <gtest/gtest.h>

namespace tradingd::daemon {
namespace {

TEST(Logging, JsonLineShape) {
  const auto line = format_json_log_line(1704164645123000000, spdlog::level::warn, "Venue venue=binance");
  EXPECT_EQ(line, R"({"ts":"2024-01-02T03:04:05.123Z","level":"warn","msg":"Venue venue=binance"})");
}

TEST(Logging, JsonEscapesQuotesBackslashesAndControls) {
  const std::string msg = "say \"hi\"\\ \n\t\x01 end";
  const auto line = format_json_log_line(0, spdlog::level::info, msg);
  const auto v = boost::json::parse(line);
  EXPECT_EQ(v.at("msg").as_string(), msg);
  EXPECT_EQ(line.find('\n'), std::string::npos);
}

TEST(Logging, ParsesLevelsAndFormats) {
  EXPECT_EQ(parse_log_level("debug"), spdlog::level::debug);
  EXPECT_EQ(parse_log_level("warn"), spdlog::level::warn);
  EXPECT_EQ(parse_log_level("warning"), spdlog::level::warn);
  EXPECT_EQ(parse_log_level("off"), spdlog::level::off);
  EXPECT_FALSE(parse_log_level("loud").has_value());
  EXPECT_FALSE(parse_log_level("INFO").has_value());
  EXPECT_EQ(parse_log_format("json"), config::LogFormat::Json);
  EXPECT_EQ(parse_log_format("text"), config::LogFormat::Text);
  EXPECT_FALSE(parse_log_format("xml").has_value());
}

}  // namespace
}  // namespace tradingd::daemon
