// Reload planning: which changes apply at once (risk.*, log.level), which need a restart, and that the risk
// table in daemon/reload.cpp covers every risk key the config writes.
#include "daemon/reload.h"

#include <set>
#include <sstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/load.h"

namespace tradingd::daemon {
namespace {

// The key paths under `risk:` in to_yaml's output ("max_order_notional", "sizing.method").
std::set<std::string> risk_keys_in_yaml(const std::string& yaml) {
  std::set<std::string> keys;
  std::istringstream in(yaml);
  bool in_risk = false;
  std::string parent;
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line.front() == '#') continue;
    if (line.front() != ' ') {
      in_risk = line.rfind("risk:", 0) == 0;
      continue;
    }
    if (!in_risk) continue;
    const auto indent = line.find_first_not_of(' ');
    const auto key = line.substr(indent, line.find(':') - indent);
    const bool has_value = line.find(':') + 1 < line.size();
    if (indent == 2) {
      parent = has_value ? "" : key;
      if (has_value) keys.insert(key);
    } else if (!parent.empty()) {
      keys.insert(parent + "." + key);
    }
  }
  return keys;
}

TEST(Reload, RiskTableCoversEveryRiskKeyOfTheSchema) {
  std::set<std::string> described;
  for (const auto& s : describe_risk(config::RiskConfig{})) described.insert(s.key);
  const auto written = risk_keys_in_yaml(config::to_yaml(config::Config{}));
  ASSERT_FALSE(written.empty());
  EXPECT_EQ(described, written) << "a risk field was added to config.h: add it to describe_risk()";
}

TEST(Reload, RiskValuesAreExactTextAndNumbers) {
  config::RiskConfig r;
  r.max_order_notional = Money::from_string("1234.5");
  r.breaker_auto_rearm = true;
  for (const auto& s : describe_risk(r)) {
    if (s.key == "max_order_notional") {
      EXPECT_EQ(s.text, "1234.5");
      EXPECT_EQ(s.value, 1234.5);
    }
    if (s.key == "breaker_auto_rearm") {
      EXPECT_EQ(s.value, 1.0);
    }
    if (s.key == "sizing.method") {
      EXPECT_FALSE(s.value.has_value());
    }
  }
}

TEST(Reload, RiskAndLogLevelChangesApply) {
  config::Config running;
  config::Config reloaded;
  reloaded.risk.max_order_notional = Money::from_units(500);
  reloaded.risk.sizing.method = config::SizingMethod::PercentEquity;
  reloaded.log.level = "debug";
  const auto plan = plan_reload(running, reloaded);
  ASSERT_EQ(plan.applied.size(), 3u);
  EXPECT_EQ(plan.applied[0].key, "risk.max_order_notional");
  EXPECT_EQ(plan.applied[0].old_value, "10000");
  EXPECT_EQ(plan.applied[0].new_value, "500");
  EXPECT_EQ(plan.applied[1].key, "risk.sizing.method");
  EXPECT_EQ(plan.applied[2].key, "log.level");
  EXPECT_TRUE(plan.needs_restart.empty());

  const auto next = apply_reload(running, reloaded);
  EXPECT_EQ(next.risk.max_order_notional, Money::from_units(500));
  EXPECT_EQ(next.log.level, "debug");
}

TEST(Reload, OtherChangesNeedARestartAndAreNotApplied) {
  config::Config running;
  running.source_path = "a.yaml";
  config::Config reloaded = running;
  reloaded.mode = TradingMode::Live;
  reloaded.venues.okx.enabled = true;
  reloaded.log.format = config::LogFormat::Json;  // only the level reloads
  const auto plan = plan_reload(running, reloaded);
  EXPECT_TRUE(plan.applied.empty());
  EXPECT_THAT(plan.needs_restart, ::testing::UnorderedElementsAre("mode", "venues", "log"));
  const auto next = apply_reload(running, reloaded);
  EXPECT_EQ(next.mode, TradingMode::Paper);
  EXPECT_FALSE(next.venues.okx.enabled);
  EXPECT_EQ(next.log.format, config::LogFormat::Text);
}

TEST(Reload, IdenticalConfigsChangeNothing) {
  const auto plan = plan_reload(config::Config{}, config::Config{});
  EXPECT_TRUE(plan.applied.empty());
  EXPECT_TRUE(plan.needs_restart.empty());
}

}  // namespace
}  // namespace tradingd::daemon
