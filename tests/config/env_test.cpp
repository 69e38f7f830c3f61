// Environment overrides and load_effective_config: every variable applied, bad values rejected by
// name and not applied, venue URLs enabling their venue, and the file/env/validate pipeline.
#include "config/load.h"
#include "tests/config/config_test_util.h"

namespace tradingd::config::test {
namespace {

TEST(ConfigEnv, EveryVariableIsApplied) {
  Config c;
  const auto errors = apply_env_overrides(
      c, fake_env({{"TRADINGD_MODE", "live"},
                   {"TRADINGD_STATE_DIR", "/tmp/state"},
                   {"TRADINGD_METRICS_LISTEN", "0.0.0.0:9100"},
                   {"TRADINGD_API_LISTEN", "[::1]:0"},
                   {"TRADINGD_LOG_LEVEL", "trace"},
                   {"TRADINGD_LOG_FORMAT", "json"},
                   {"TRADINGD_CA_FILE", "/run/emulator/ca.pem"},
                   {"TRADINGD_BINANCE_REST_URL", "https://127.0.0.1:18001"},
                   {"TRADINGD_BINANCE_WS_URL", "wss://127.0.0.1:18002/ws"},
                   {"TRADINGD_BINANCE_WS_PRIVATE_URL", "wss://127.0.0.1:18003/ws-api/v3"},
                   {"TRADINGD_BYBIT_REST_URL", "https://127.0.0.1:18011"},
                   {"TRADINGD_BYBIT_WS_URL", "wss://127.0.0.1:18012/v5/public"},
                   {"TRADINGD_BYBIT_WS_PRIVATE_URL", "wss://127.0.0.1:18013/v5/private"},
                   {"TRADINGD_OKX_REST_URL", "https://127.0.0.1:18021"},
                   {"TRADINGD_OKX_WS_URL", "wss://127.0.0.1:18022/ws/v5/public"},
                   {"TRADINGD_OKX_WS_PRIVATE_URL", "wss://127.0.0.1:18023/ws/v5/private"}}));
  EXPECT_TRUE(errors.empty()) << dump(errors);
  EXPECT_EQ(c.mode, TradingMode::Live);
  EXPECT_EQ(c.state_dir, "/tmp/state");
  EXPECT_EQ(c.metrics.listen, "0.0.0.0:9100");
  EXPECT_EQ(c.api.listen, "[::1]:0");
  EXPECT_EQ(c.log.level, "trace");
  EXPECT_EQ(c.log.format, LogFormat::Json);
  EXPECT_EQ(c.tls.ca_file, "/run/emulator/ca.pem");
  EXPECT_EQ(c.venues.binance.rest_url, "https://127.0.0.1:18001");
  EXPECT_EQ(c.venues.binance.ws_url, "wss://127.0.0.1:18002/ws");
  EXPECT_EQ(c.venues.binance.ws_private_url, "wss://127.0.0.1:18003/ws-api/v3");
  EXPECT_EQ(c.venues.bybit.rest_url, "https://127.0.0.1:18011");
  EXPECT_EQ(c.venues.bybit.ws_url, "wss://127.0.0.1:18012/v5/public");
  EXPECT_EQ(c.venues.bybit.ws_private_url, "wss://127.0.0.1:18013/v5/private");
  EXPECT_EQ(c.venues.okx.rest_url, "https://127.0.0.1:18021");
  EXPECT_EQ(c.venues.okx.ws_url, "wss://127.0.0.1:18022/ws/v5/public");
  EXPECT_EQ(c.venues.okx.ws_private_url, "wss://127.0.0.1:18023/ws/v5/private");
  EXPECT_TRUE(c.venues.binance.enabled);
  EXPECT_TRUE(c.venues.bybit.enabled);
  EXPECT_TRUE(c.venues.okx.enabled);
  EXPECT_TRUE(validate(c).empty()) << dump(validate(c));
}

TEST(ConfigEnv, NoVariablesChangeNothing) {
  Config c;
  EXPECT_TRUE(apply_env_overrides(c, fake_env({})).empty());
  EXPECT_EQ(c, Config{});
}

TEST(ConfigEnv, EmptyVariablesCountAsUnset) {
  Config c;
  const auto errors = apply_env_overrides(
      c, fake_env({{"TRADINGD_MODE", ""}, {"TRADINGD_STATE_DIR", ""}, {"TRADINGD_OKX_WS_URL", ""}, {"TRADINGD_CA_FILE", ""}}));
  EXPECT_TRUE(errors.empty()) << dump(errors);
  EXPECT_EQ(c, Config{});
}

TEST(ConfigEnv, OneVenueUrlEnablesOnlyThatVenue) {
  Config c;
  ASSERT_TRUE(apply_env_overrides(c, fake_env({{"TRADINGD_BYBIT_WS_URL", "wss://stream-testnet.bybit.com/v5/public/spot"}})).empty());
  EXPECT_TRUE(c.venues.bybit.enabled);
  EXPECT_EQ(c.venues.bybit.rest_url, "");
  EXPECT_FALSE(c.venues.binance.enabled);
  EXPECT_FALSE(c.venues.okx.enabled);
}

TEST(ConfigEnv, BadValuesAreNamedAndNotApplied) {
  Config c;
  const auto errors = apply_env_overrides(c, fake_env({{"TRADINGD_MODE", "backtest"},
                                                       {"TRADINGD_METRICS_LISTEN", "9464"},
                                                       {"TRADINGD_API_LISTEN", "localhost:http"},
                                                       {"TRADINGD_LOG_LEVEL", "warning"},
                                                       {"TRADINGD_LOG_FORMAT", "JSON"},
                                                       {"TRADINGD_BINANCE_REST_URL", "api.example.com"},
                                                       {"TRADINGD_BYBIT_WS_URL", "ws://stream.example.net/v5/public"},
                                                       {"TRADINGD_OKX_WS_PRIVATE_URL", "https://www.example.org"}}));
  ASSERT_EQ(errors.size(), 8u) << dump(errors);
  for (const auto& e : errors) EXPECT_EQ(e.file, "");
  EXPECT_EQ(error_for(errors, "TRADINGD_MODE")->to_string(),
            "TRADINGD_MODE: expected one of paper, live (backtest is the `tradingd backtest` subcommand, not a mode), "
            "got \"backtest\"");
  EXPECT_EQ(error_for(errors, "TRADINGD_METRICS_LISTEN")->message,
            "expected host:port (e.g. 127.0.0.1:9464, [::1]:9464), got \"9464\"");
  EXPECT_TRUE(has_error(errors, "TRADINGD_API_LISTEN"));
  EXPECT_TRUE(has_error(errors, "TRADINGD_LOG_LEVEL"));
  EXPECT_EQ(error_for(errors, "TRADINGD_LOG_FORMAT")->message, "expected one of text, json, got \"JSON\"");
  EXPECT_EQ(error_for(errors, "TRADINGD_BINANCE_REST_URL")->message,
            "expected an https:// URL (http:// only to a loopback host), got \"api.example.com\"");
  EXPECT_TRUE(has_error(errors, "TRADINGD_BYBIT_WS_URL"));
  EXPECT_TRUE(has_error(errors, "TRADINGD_OKX_WS_PRIVATE_URL"));
  // Nothing bad was applied, and a rejected URL enabled no venue.
  EXPECT_EQ(c, Config{});
}

TEST(ConfigEnv, PlaintextOnlyToLoopback) {
  for (const char* url : {"http://127.0.0.1:8080", "http://localhost:8080/api", "http://[::1]:8080", "http://127.3.2.1"}) {
    Config c;
    EXPECT_TRUE(apply_env_overrides(c, fake_env({{"TRADINGD_OKX_REST_URL", url}})).empty()) << url;
  }
  for (const char* url : {"http://10.0.0.1:8080", "http://example.com", "https://", "https://user@host", "https://a b",
                          "https://:443", "wss://host:99999"}) {
    Config c;
    EXPECT_EQ(apply_env_overrides(c, fake_env({{"TRADINGD_OKX_REST_URL", url}})).size(), 1u) << url;
  }
}

TEST(ConfigEnv, HostPortForms) {
  for (const char* ok : {"127.0.0.1:9464", "localhost:0", "0.0.0.0:65535", "[::1]:9464", "[::]:80", "metrics.internal:9100"}) {
    EXPECT_TRUE(parse_host_port(ok).has_value()) << ok;
  }
  for (const char* bad : {"", ":9464", "127.0.0.1", "127.0.0.1:", "127.0.0.1:65536", "::1:9464", "[::1]9464", "[]:1",
                          "host:-1", "host:12a", "ho st:1"}) {
    EXPECT_FALSE(parse_host_port(bad).has_value()) << bad;
  }
  EXPECT_EQ(parse_host_port("[::1]:8787")->host, "::1");
  EXPECT_EQ(parse_host_port("[::1]:8787")->port, 8787);
  EXPECT_TRUE(parse_host_port("[::1]:1")->is_loopback());
  EXPECT_TRUE(parse_host_port("127.0.0.2:1")->is_loopback());
  EXPECT_TRUE(parse_host_port("localhost:1")->is_loopback());
  EXPECT_FALSE(parse_host_port("0.0.0.0:1")->is_loopback());
  EXPECT_FALSE(parse_host_port("127.example.com:1")->is_loopback());
}

TEST(ConfigEffective, NoFileGivesDefaultsPlusEnvironment) {
  const auto r = load_effective_config(std::nullopt, fake_env({{"TRADINGD_LOG_LEVEL", "debug"}}));
  ASSERT_TRUE(r) << dump(r.error());
  Config expected;
  expected.log.level = "debug";
  EXPECT_EQ(*r, expected);
}

TEST(ConfigEffective, PathOrTradingdConfig) {
  const TempFile a("log: {level: warn}\n");
  const TempFile b("log: {level: error}\n");
  const auto from_env = load_effective_config(std::nullopt, fake_env({{"TRADINGD_CONFIG", a.path()}}));
  ASSERT_TRUE(from_env) << dump(from_env.error());
  EXPECT_EQ(from_env->log.level, "warn");
  EXPECT_EQ(from_env->source_path, a.path());
  // An explicit path (the --config flag) wins over TRADINGD_CONFIG.
  const auto explicit_path = load_effective_config(b.path(), fake_env({{"TRADINGD_CONFIG", a.path()}}));
  ASSERT_TRUE(explicit_path) << dump(explicit_path.error());
  EXPECT_EQ(explicit_path->log.level, "error");
}

TEST(ConfigEffective, EnvironmentWinsOverTheFile) {
  const TempFile f("mode: paper\nstate_dir: /from/file\nlog: {level: warn, format: text}\n"
                   "instruments:\n  - {venue: okx, market: spot, symbol: BTC-USDT}\n");
  const auto r = load_effective_config(
      f.path(), fake_env({{"TRADINGD_MODE", "live"}, {"TRADINGD_STATE_DIR", "/from/env"}, {"TRADINGD_LOG_FORMAT", "json"}}));
  ASSERT_TRUE(r) << dump(r.error());
  EXPECT_EQ(r->mode, TradingMode::Live);
  EXPECT_EQ(r->state_dir, "/from/env");
  EXPECT_EQ(r->log.level, "warn");
  EXPECT_EQ(r->log.format, LogFormat::Json);
  EXPECT_TRUE(r->venues.okx.enabled);
}

TEST(ConfigEffective, EnvironmentCanMakeAConfigValid) {
  // live without a venue is invalid in the file alone; a venue URL from the environment fixes it, so
  // validate() must run after the overrides, not before.
  const TempFile f("mode: live\n");
  EXPECT_FALSE(load_effective_config(f.path(), fake_env({})));
  EXPECT_TRUE(load_effective_config(f.path(), fake_env({{"TRADINGD_BINANCE_REST_URL", "https://127.0.0.1:1"}})));
}

TEST(ConfigEffective, FileEnvAndSemanticErrorsTogether) {
  const TempFile f("log: {level: loud}\nvenues: {okx: {environment: testnet}}\n");
  const auto r = load_effective_config(f.path(), fake_env({{"TRADINGD_MODE", "sim"}}));
  ASSERT_FALSE(r);
  const auto& errors = r.error();
  ASSERT_EQ(errors.size(), 3u) << dump(errors);
  EXPECT_EQ(error_for(errors, "log.level")->file, f.path());
  EXPECT_EQ(error_for(errors, "log.level")->line, 1);
  EXPECT_EQ(error_for(errors, "TRADINGD_MODE")->file, "");
  EXPECT_EQ(error_for(errors, "venues.okx.environment")->line, 2);  // validate()'s error, with the file's line
}

TEST(ConfigEffective, MissingFileIsAnError) {
  const auto r = load_effective_config(std::nullopt, fake_env({{"TRADINGD_CONFIG", "/nonexistent/x.yaml"}}));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error()[0].to_string(), "/nonexistent/x.yaml: no such file");
}

}  // namespace
}  // namespace tradingd::config::test
