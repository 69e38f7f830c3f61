// The loader's errors: each names the file, the key path, the line and what was expected; all of them
// are reported at once; unknown keys are errors at every depth; nothing throws, whatever the input.
#include <filesystem>

#include "config/load.h"
#include "tests/config/config_test_util.h"

namespace tradingd::config::test {
namespace {

TEST(ConfigErrors, NamesFileLineKeyAndExpectation) {
  const auto errors = parse_errors("mode: paper\nrisk:\n  max_drawdown_pct: ten\n", "/etc/tradingd/tradingd.yaml");
  ASSERT_EQ(errors.size(), 1u) << dump(errors);
  const ConfigError& e = errors[0];
  EXPECT_EQ(e.file, "/etc/tradingd/tradingd.yaml");
  EXPECT_EQ(e.key, "risk.max_drawdown_pct");
  EXPECT_EQ(e.line, 3);
  EXPECT_EQ(e.message, "expected a number in (0,100], got \"ten\"");
  EXPECT_EQ(e.to_string(),
            "/etc/tradingd/tradingd.yaml:3: risk.max_drawdown_pct: expected a number in (0,100], got \"ten\"");
}

TEST(ConfigErrors, ToStringLeavesOutWhatIsEmpty) {
  EXPECT_EQ((ConfigError{"", "TRADINGD_MODE", "expected x", 0}).to_string(), "TRADINGD_MODE: expected x");
  EXPECT_EQ((ConfigError{"f.yaml", "", "invalid YAML: y", 4}).to_string(), "f.yaml:4: invalid YAML: y");
  EXPECT_EQ((ConfigError{"f.yaml", "mode", "m", 0}).to_string(), "f.yaml: mode: m");
}

TEST(ConfigErrors, ReportsEveryErrorNotJustTheFirst) {
  const auto errors = parse_errors(
      "mode: turbo\n"
      "log: {level: loud, format: xml}\n"
      "risk:\n"
      "  max_open_positions: many\n"
      "  max_drawdown_pct: 150\n"
      "  max_leverage: -1\n"
      "  sizing: {method: martingale}\n"
      "paper: {seed: -1}\n");
  EXPECT_EQ(errors.size(), 8u) << dump(errors);
  for (const char* key : {"mode", "log.level", "log.format", "risk.max_open_positions", "risk.max_drawdown_pct",
                          "risk.max_leverage", "risk.sizing.method", "paper.seed"})
    EXPECT_TRUE(has_error(errors, key)) << key << "\n" << dump(errors);
  for (const auto& e : errors) {
    EXPECT_EQ(e.file, "t.yaml");
    EXPECT_GT(e.line, 0) << e.to_string();
    EXPECT_EQ(e.message.rfind("expected ", 0), 0u) << e.to_string();
  }
}

TEST(ConfigErrors, ExpectationsNameTheAllowedValues) {
  const auto errors = parse_errors(
      "mode: backtest\n"
      "log: {level: verbose, format: xml}\n"
      "execution: {unit_price_source: close}\n"
      "risk: {max_open_positions: 0, price_band_pct: 0, sizing: {method: all_in}}\n"
      "paper: {queue_cancel_share: 1.5, slippage_model: random}\n"
      "venues: {okx: {environment: staging}}\n");
  auto msg = [&](std::string_view key) {
    const ConfigError* e = error_for(errors, key);
    return e ? e->message : std::string();
  };
  EXPECT_EQ(msg("mode"),
            "expected one of paper, live (backtest is the `tradingd backtest` subcommand, not a mode), got \"backtest\"");
  EXPECT_EQ(msg("log.level"), "expected one of trace, debug, info, warn, error, critical, off, got \"verbose\"");
  EXPECT_EQ(msg("log.format"), "expected one of text, json, got \"xml\"");
  EXPECT_EQ(msg("execution.unit_price_source"), "expected one of mark, last, mid, got \"close\"");
  EXPECT_EQ(msg("risk.max_open_positions"), "expected an integer in [1,100000], got \"0\"");
  EXPECT_EQ(msg("risk.price_band_pct"), "expected a number in (0,100], got \"0\"");
  EXPECT_EQ(msg("risk.sizing.method"),
            "expected one of fixed_quantity, fixed_notional, percent_equity, risk_per_trade, volatility_scaled, "
            "got \"all_in\"");
  EXPECT_EQ(msg("paper.queue_cancel_share"), "expected a number in [0,1], got \"1.5\"");
  EXPECT_EQ(msg("paper.slippage_model"), "expected one of fixed_bps, absolute, volatility, got \"random\"");
  EXPECT_EQ(msg("venues.okx.environment"), "expected one of production, testnet, demo, got \"staging\"");
}

TEST(ConfigErrors, WrongTypesNameWhatWasFound) {
  const auto errors = parse_errors(
      "state_dir: [a, b]\n"
      "risk: 5\n"
      "metrics: {listen: {host: x}}\n"
      "instruments: {venue: binance}\n"
      "api: {max_body_bytes: 1.5}\n"
      "paper: {order_latency_ms: 50ms, starting_balances: [USDT]}\n"
      "strategies:\n"
      "  - just-a-name\n");
  auto msg = [&](std::string_view key) {
    const ConfigError* e = error_for(errors, key);
    return e ? e->message : std::string();
  };
  EXPECT_EQ(msg("state_dir"), "expected a non-empty string, got a list");
  EXPECT_EQ(msg("risk"), "expected a mapping, got \"5\"");
  EXPECT_EQ(msg("metrics.listen"), "expected host:port (e.g. 127.0.0.1:9464, [::1]:9464), got a mapping");
  EXPECT_EQ(msg("instruments"), "expected a list of mappings, got a mapping");
  EXPECT_EQ(msg("api.max_body_bytes"), "expected an integer in [1024,67108864], got \"1.5\"");
  EXPECT_EQ(msg("paper.order_latency_ms"), "expected an integer in [0,60000], got \"50ms\"");
  EXPECT_EQ(msg("paper.starting_balances"), "expected a mapping of asset to amount >= 0, e.g. {USDT: 10000}, got a list");
  EXPECT_EQ(msg("strategies[0]"), "expected a mapping, got \"just-a-name\"");
}

TEST(ConfigErrors, UnknownKeysAtEveryDepth) {
  const auto errors = parse_errors(
      "mdoe: live\n"
      "risk:\n"
      "  max_drawdown: 5\n"
      "  sizing:\n"
      "    methd: fixed_notional\n"
      "venues:\n"
      "  binance: {enabeld: true}\n"
      "  kraken: {enabled: true}\n"
      "instruments:\n"
      "  - {venue: binance, market: spot, symbol: BTCUSDT, fee: 0.001}\n"
      "strategies:\n"
      "  - name: s\n"
      "    type: t\n"
      "    instruments: [{venue: binance, market: spot, symbol: BTCUSDT, side: buy}]\n"
      "    parameters: {a: 1}\n");
  for (const char* key : {"mdoe", "risk.max_drawdown", "risk.sizing.methd", "venues.binance.enabeld", "venues.kraken",
                          "instruments[0].fee", "strategies[0].instruments[0].side", "strategies[0].parameters"})
    EXPECT_TRUE(has_error(errors, key)) << key << "\n" << dump(errors);
  const ConfigError* typo = error_for(errors, "risk.max_drawdown");
  ASSERT_NE(typo, nullptr);
  EXPECT_EQ(typo->message, "unknown key; did you mean \"max_drawdown_pct\"?");
  EXPECT_EQ(typo->line, 3);
  const ConfigError* far = error_for(errors, "venues.kraken");
  ASSERT_NE(far, nullptr);
  EXPECT_EQ(far->message, "unknown key (expected one of: binance, bybit, okx)");
  EXPECT_EQ(error_for(errors, "mdoe")->message, "unknown key; did you mean \"mode\"?");
  EXPECT_EQ(error_for(parse_errors("risk: {max_drawdon: 5}\n"), "risk.max_drawdon")->message,
            "unknown key; did you mean \"max_drawdown_pct\"?");
}

TEST(ConfigErrors, DuplicateKeysAreErrors) {
  // yaml-cpp would silently keep one of them; a doubled risk limit must not be a coin toss.
  const auto errors = parse_errors("risk:\n  max_drawdown_pct: 10\n  max_drawdown_pct: 50\n"
                                   "paper: {starting_balances: {USDT: 1, USDT: 2}}\n");
  const ConfigError* e = error_for(errors, "risk.max_drawdown_pct");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->message, "duplicate key");
  EXPECT_EQ(e->line, 3);
  EXPECT_TRUE(has_error(errors, "paper.starting_balances.USDT"));
}

TEST(ConfigErrors, RequiredKeysOfListEntries) {
  const auto errors = parse_errors(
      "instruments:\n"
      "  - {venue: binance, market: spot}\n"
      "  - {symbol: ETHUSDT}\n"
      "strategies:\n"
      "  - {type: ma_crossover, instruments: [binance:spot:BTCUSDT]}\n");
  auto msg = [&](std::string_view key) {
    const ConfigError* e = error_for(errors, key);
    return e ? e->message : std::string();
  };
  EXPECT_EQ(msg("instruments[0].symbol"),
            "required key is missing: expected the venue's symbol (1 to 31 characters, e.g. BTCUSDT)");
  EXPECT_EQ(msg("instruments[1].venue"), "required key is missing: expected one of binance, bybit, okx");
  EXPECT_EQ(msg("instruments[1].market"), "required key is missing: expected one of spot, linear_perp");
  EXPECT_EQ(msg("strategies[0].name"), "required key is missing: expected a non-empty string");
  EXPECT_EQ(error_for(errors, "instruments[1].venue")->line, 3);
}

TEST(ConfigErrors, BadScalarsOfEachKind) {
  const auto errors = parse_errors(
      "metrics: {listen: localhost}\n"
      "api: {listen: \"127.0.0.1:70000\"}\n"
      "venues:\n"
      "  binance: {rest_url: \"ftp://example.com\", ws_url: \"ws://stream.example.com:9443\"}\n"
      "  bybit: {ws_private_url: \"wss://\"}\n"
      "instruments:\n"
      "  - {venue: simulated, market: spot, symbol: BTCUSDT}\n"
      "  - {venue: binance, market: futures, symbol: BTCUSDT}\n"
      "  - {venue: binance, market: spot, symbol: ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789}\n"
      "  - {venue: binance, market: spot, symbol: BTCUSDT, taker_fee: 0.1, maker_fee: 0.0000000001}\n"
      "strategies:\n"
      "  - {name: s, type: t, instruments: [binance:BTCUSDT]}\n");
  for (const char* key : {"metrics.listen", "api.listen", "venues.binance.rest_url", "venues.binance.ws_url",
                          "venues.bybit.ws_private_url", "instruments[0].venue", "instruments[1].market",
                          "instruments[2].symbol", "instruments[3].taker_fee", "instruments[3].maker_fee",
                          "strategies[0].instruments[0]"})
    EXPECT_TRUE(has_error(errors, key)) << key << "\n" << dump(errors);
  // Plaintext WebSocket to a public host is refused; the text says when it is allowed.
  EXPECT_EQ(error_for(errors, "venues.binance.ws_url")->message,
            "expected \"\" or a wss:// URL (ws:// only to a loopback host), got \"ws://stream.example.com:9443\"");
  // 0.1 as a fee is 10%: almost certainly "0.1%" misread, so out of range.
  EXPECT_EQ(error_for(errors, "instruments[3].taker_fee")->message, "expected a number in [0,0.01], got \"0.1\"");
  EXPECT_EQ(error_for(errors, "instruments[3].maker_fee")->message,
            "expected a number in [-0.01,0.01], got \"0.0000000001\" (more than 9 decimal places)");
}

TEST(ConfigErrors, InvalidYamlGivesTheLine) {
  const auto errors = parse_errors("mode: paper\nrisk: {max_drawdown_pct: 10\nlog: {}\n", "bad.yaml");
  ASSERT_EQ(errors.size(), 1u) << dump(errors);
  EXPECT_EQ(errors[0].file, "bad.yaml");
  EXPECT_EQ(errors[0].key, "");
  EXPECT_EQ(errors[0].message.rfind("invalid YAML: ", 0), 0u) << errors[0].message;
  EXPECT_GE(errors[0].line, 2);
}

TEST(ConfigErrors, TopLevelMustBeOneMapping) {
  EXPECT_EQ(parse_errors("- a\n- b\n")[0].message, "expected a mapping of keys at the top level (mode: paper, risk: ...)");
  EXPECT_EQ(parse_errors("just text\n")[0].key, "");
  EXPECT_EQ(parse_errors("mode: paper\n---\nmode: live\n")[0].message, "expected one YAML document, found 2");
}

TEST(ConfigErrors, HostileInputNeverThrows) {
  const std::string inputs[] = {
      std::string("\0\x01\x02", 3), "\t\tmode: paper", "{{{{", "]]]", "&a [*a]", "!!binary AAAA", "? [a, b]\n: c\n",
      "risk: {? {a: 1} : 2}\n", "risk: &r {max_leverage: 2}\npaper: *r\n", std::string(10000, '['),
      "mode: !!int 5\n", "instruments: [[1, 2]]\n", "strategies: [{name: [x]}]\n"};
  for (const auto& text : inputs) {
    EXPECT_NO_THROW({
      auto r = parse_config(text, "x.yaml");
      if (!r) {
        EXPECT_FALSE(r.error().empty());
      }
    }) << text.substr(0, 40);
  }
  // Aliases are followed: *r is the same mapping, so paper gets a key it does not know.
  const auto errors = parse_errors("risk: &r {max_leverage: 2}\npaper: *r\n");
  EXPECT_TRUE(has_error(errors, "paper.max_leverage")) << dump(errors);
}

TEST(ConfigErrors, MissingFileIsNamed) {
  const auto r = load_config_file("/nonexistent/tradingd.yaml");
  ASSERT_FALSE(r);
  ASSERT_EQ(r.error().size(), 1u);
  EXPECT_EQ(r.error()[0].to_string(), "/nonexistent/tradingd.yaml: no such file");
  const auto dir = load_config_file(std::filesystem::temp_directory_path().string());
  ASSERT_FALSE(dir);
  EXPECT_EQ(dir.error()[0].message, "not a regular file");
}

TEST(ConfigErrors, FileErrorsCarryThePath) {
  const TempFile f("mode: paper\nrisk:\n  daily_loss_limit_pct: \"2%\"\n");
  const auto r = load_config_file(f.path());
  ASSERT_FALSE(r);
  ASSERT_EQ(r.error().size(), 1u) << dump(r.error());
  EXPECT_EQ(r.error()[0].to_string(),
            f.path() + ":3: risk.daily_loss_limit_pct: expected a number in (0,100], got \"2%\"");
}

}  // namespace
}  // namespace tradingd::config::test
