// Command-line parsing and the command table.
#include "daemon/cli.h"

#include <array>

#include <gtest/gtest.h>

#include "daemon/systemd_notify.h"
#include "tests/daemon/daemon_process.h"

namespace tradingd::daemon {
namespace {

Result<ParsedArgs, std::string> parse(std::vector<std::string_view> args) {
  constexpr std::array<std::string_view, 2> kValued{"config", "out"};
  return parse_args(args, kValued, "test");
}

TEST(Cli, ParsesSeparateAndInlineValuesAndPositionals) {
  auto p = parse({"--config", "a.yaml", "file1", "--out=dir", "--", "--config"});
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->get("config"), "a.yaml");
  EXPECT_EQ(p->get("out"), "dir");
  EXPECT_EQ(p->positionals, (std::vector<std::string>{"file1", "--config"}));
  EXPECT_FALSE(p->get("missing").has_value());
}

TEST(Cli, LastOccurrenceWins) {
  auto p = parse({"--config", "a", "--config=b"});
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->get("config"), "b");
}

TEST(Cli, UnknownOptionAndMissingValueAreErrors) {
  auto unknown = parse({"--confg", "a"});
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error(), "unknown option --confg (see tradingd test --help)");
  auto missing = parse({"--config"});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error(), "option --config needs a value (see tradingd test --help)");
}

TEST(Cli, CommandTableHasRunAndValidateConfigWithUsage) {
  ASSERT_NE(find_command("run"), nullptr);
  ASSERT_NE(find_command("validate-config"), nullptr);
  EXPECT_EQ(find_command("nope"), nullptr);
  for (const auto& c : commands()) {
    EXPECT_NE(c.run, nullptr) << c.name;
    EXPECT_TRUE(c.usage.starts_with("usage: tradingd " + std::string(c.name))) << c.name;
    EXPECT_NE(top_level_usage().find(std::string(c.name)), std::string::npos) << c.name;
  }
}

TEST(Cli, DispatchHandlesVersionHelpAndUnknownCommands) {
  std::vector<std::string_view> version{"--version"};
  testing::internal::CaptureStdout();
  EXPECT_EQ(dispatch(version), 0);
  EXPECT_EQ(testing::internal::GetCapturedStdout(), "tradingd " + std::string(tradingd::daemon::version()) + "\n");

  std::vector<std::string_view> help{"validate-config", "--help"};
  testing::internal::CaptureStdout();
  EXPECT_EQ(dispatch(help), 0);
  EXPECT_EQ(testing::internal::GetCapturedStdout(), std::string(find_command("validate-config")->usage));

  std::vector<std::string_view> unknown{"frobnicate"};
  testing::internal::CaptureStderr();
  EXPECT_EQ(dispatch(unknown), 2);
  EXPECT_NE(testing::internal::GetCapturedStderr().find("unknown command 'frobnicate'"), std::string::npos);
}

TEST(SystemdWatchdog, HalfOfWatchdogUsecForThisPid) {
  EXPECT_EQ(watchdog_interval(test::env_lookup({{"WATCHDOG_USEC", "30000000"}}), 7), std::chrono::microseconds(15000000));
  EXPECT_EQ(watchdog_interval(test::env_lookup({{"WATCHDOG_USEC", "200000"}, {"WATCHDOG_PID", "7"}}), 7),
            std::chrono::microseconds(100000));
  EXPECT_FALSE(watchdog_interval(test::env_lookup({{"WATCHDOG_USEC", "200000"}, {"WATCHDOG_PID", "8"}}), 7).has_value());
  EXPECT_FALSE(watchdog_interval(test::env_lookup({}), 7).has_value());
  EXPECT_FALSE(watchdog_interval(test::env_lookup({{"WATCHDOG_USEC", "0"}}), 7).has_value());
  EXPECT_FALSE(watchdog_interval(test::env_lookup({{"WATCHDOG_USEC", "abc"}}), 7).has_value());
}

}  // namespace
}  // namespace tradingd::daemon
