// to_yaml: re-loadable by parse_config with nothing lost (defaults, every key, awkward strings, an
// environment-overridden config), every schema key written; and config/tradingd.example.yaml: valid,
// naming every key, and showing the real defaults.
#include <sstream>

#include <yaml-cpp/yaml.h>

#include "config/credentials.h"
#include "config/load.h"
#include "config/schema.h"
#include "tests/config/config_test_util.h"
#include "tests/config/full_config.h"
#include "tests/support/fixtures.h"

namespace tradingd::config::test {
namespace {

Config round_trip(const Config& c) {
  const std::string text = to_yaml(c);
  auto r = parse_config(text, c.source_path);
  if (!r) {
    ADD_FAILURE() << "to_yaml output does not parse:\n" << dump(r.error()) << text;
    return Config{};
  }
  return *r;
}

// Does the YAML tree hold this schema path? "instruments[].symbol": some list entry has it.
bool has_path(const YAML::Node& node, std::string_view path) {
  if (path.empty()) return true;
  const auto dot = path.find('.');
  std::string_view head = path.substr(0, dot);
  const std::string_view rest = dot == std::string_view::npos ? std::string_view() : path.substr(dot + 1);
  if (!node.IsMap()) return false;
  if (head.ends_with("[]")) {
    head.remove_suffix(2);
    const YAML::Node list = node[std::string(head)];
    if (!list || !list.IsSequence()) return false;
    for (const auto& item : list)
      if (has_path(item, rest)) return true;
    return false;
  }
  const YAML::Node child = node[std::string(head)];
  return child && has_path(child, rest);
}

TEST(ConfigToYaml, DefaultsRoundTrip) {
  Config c;
  c.source_path = "effective";
  EXPECT_EQ(round_trip(c), c);
}

TEST(ConfigToYaml, EveryKeyRoundTrips) {
  Config c = full_config();
  c.source_path = "full";
  const Config back = round_trip(c);
  EXPECT_EQ(back.venues.binance, c.venues.binance);
  EXPECT_EQ(back.instruments, c.instruments);
  EXPECT_EQ(back.risk, c.risk);
  EXPECT_EQ(back.paper, c.paper);
  EXPECT_EQ(back.strategies, c.strategies);
  EXPECT_EQ(back, c);
}

TEST(ConfigToYaml, WritesEverySchemaKey) {
  const YAML::Node doc = YAML::Load(to_yaml(full_config()));
  for (const auto& path : schema::key_paths()) EXPECT_TRUE(has_path(doc, path)) << path;
  // Defaults too: everything but the optional per-instrument overrides, which are absent when unset.
  const YAML::Node defaults = YAML::Load(to_yaml(Config{}));
  EXPECT_TRUE(has_path(defaults, "risk.sizing.risk_pct"));
  EXPECT_TRUE(has_path(defaults, "venues.okx.futures_ws_url"));
  EXPECT_EQ(defaults["risk"]["max_drawdown_pct"].Scalar(), "10");
  EXPECT_EQ(defaults["risk"]["sizing"]["risk_pct"].Scalar(), "0.5");
}

TEST(ConfigToYaml, AwkwardStringsSurvive) {
  Config c;
  c.source_path = "awkward";
  c.state_dir = "/tmp/a: b # not a comment \"q\" 'single' \\ back";
  c.tls.ca_file = "true";
  c.market_data.record_dir = "123";
  c.market_data.instrument_cache_dir = "  spaced  ";
  c.backtest.default_symbol = "null";
  c.log.level = "off";
  c.venues.bybit.enabled = true;
  InstrumentConfig inst;
  inst.id = iid(Venue::Bybit, MarketKind::LinearPerp, "1000PEPEUSDT");
  c.instruments.push_back(inst);
  StrategyConfig s;
  s.name = "x";
  s.command = {"sh", "-c", "echo 'a b' | tr a b # x", "/données/é", ""};
  s.instruments = {inst.id};
  s.params = {{"k:1", "- x"}, {"empty", ""}, {"num", "007"}, {"yes", "no"}, {"multi", "line1\nline2"}};
  c.strategies.push_back(s);
  EXPECT_EQ(round_trip(c), c);
}

TEST(ConfigToYaml, EffectiveConfigWithEnvironmentRoundTrips) {
  const TempFile f("instruments:\n  - {venue: okx, market: linear_perp, symbol: ETH-USDT-SWAP, leverage: 5}\n");
  auto r = load_effective_config(f.path(), fake_env({{"TRADINGD_MODE", "live"},
                                                     {"TRADINGD_OKX_WS_URL", "wss://127.0.0.1:9/ws"},
                                                     {"TRADINGD_BINANCE_REST_URL", "https://127.0.0.1:8"}}));
  ASSERT_TRUE(r) << dump(r.error());
  const Config back = round_trip(*r);
  EXPECT_EQ(back, *r);
  EXPECT_TRUE(validate(back).empty()) << dump(validate(back));
  EXPECT_TRUE(back.venues.binance.enabled);  // enabled by the environment, written explicitly
}

TEST(ConfigToYaml, HoldsNoSecrets) {
  // Config has no secret fields; this guards against one being added to the schema by mistake.
  for (const auto& path : schema::key_paths())
    for (const char* word : {"secret", "passphrase", "token", "api_key", "password"})
      EXPECT_EQ(path.find(word), std::string::npos) << path;
}

class ExampleFile : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = (tradingd::test::source_dir() / "config" / "tradingd.example.yaml").string();
    text_ = tradingd::test::read_file(path_);
    ASSERT_FALSE(text_.empty());
  }
  std::string path_;
  std::string text_;
};

TEST_F(ExampleFile, IsValid) {
  const auto r = load_effective_config(path_, fake_env({}));
  ASSERT_TRUE(r) << dump(r.error());
  EXPECT_EQ(r->mode, TradingMode::Paper);  // a copied example never trades real money by itself
  EXPECT_FALSE(r->instruments.empty());
  EXPECT_FALSE(r->strategies.empty());
}

TEST_F(ExampleFile, NamesEveryKey) {
  const YAML::Node doc = YAML::Load(text_);
  for (const auto& path : schema::key_paths()) EXPECT_TRUE(has_path(doc, path)) << path << " is not in " << path_;
}

TEST_F(ExampleFile, ShowsTheRealDefaults) {
  // Apart from the examples it says are examples (instruments, strategies, and the venue they enable),
  // every value in the reference file is the default the code uses.
  auto r = parse_config(text_, path_);
  ASSERT_TRUE(r) << dump(r.error());
  Config c = *r;
  c.instruments.clear();
  c.strategies.clear();
  c.venues.binance.enabled = false;
  Config defaults;
  defaults.source_path = path_;
  EXPECT_EQ(to_yaml(c), to_yaml(defaults));
}

TEST_F(ExampleFile, LiveModeFromTheEnvironmentNeedsKeys) {
  const auto r = load_effective_config(path_, fake_env({{"TRADINGD_MODE", "live"}}));
  ASSERT_TRUE(r) << dump(r.error());
  const Credentials none = load_credentials(fake_env({}), std::nullopt);
  EXPECT_EQ(missing_live_credentials(*r, none),
            (std::vector<std::string>{"TRADINGD_BINANCE_API_KEY", "TRADINGD_BINANCE_API_SECRET"}));
}

}  // namespace
}  // namespace tradingd::config::test
