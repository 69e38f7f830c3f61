// validate(): field ranges re-checked on Configs built in code or changed by the environment, and the
// cross-field rules; every violation reported, each with its key path.
#include "config/load.h"
#include "tests/config/config_test_util.h"
#include "tests/config/full_config.h"

namespace tradingd::config::test {
namespace {

Config with_instrument(Venue v, MarketKind k, std::string_view symbol) {
  Config c;
  c.venues.get(v).enabled = true;
  InstrumentConfig i;
  i.id = iid(v, k, symbol);
  c.instruments.push_back(i);
  return c;
}

StrategyConfig strategy(std::string name, std::string type, std::vector<InstrumentId> ids) {
  StrategyConfig s;
  s.name = std::move(name);
  s.type = std::move(type);
  s.instruments = std::move(ids);
  return s;
}

TEST(ConfigValidate, DefaultsAndTheFullConfigAreValid) {
  EXPECT_TRUE(validate(Config{}).empty()) << dump(validate(Config{}));
  EXPECT_TRUE(validate(full_config()).empty()) << dump(validate(full_config()));
}

TEST(ConfigValidate, RangesApplyToConfigsBuiltInCode) {
  Config c;
  c.source_path = "code";
  c.risk.max_drawdown_pct = Rate::zero();
  c.risk.max_order_notional = Money::from_units(-5);
  c.risk.max_open_positions = 0;
  c.api.max_body_bytes = 1;
  c.paper.starting_balances["USDT"] = Money::from_units(-1);
  c.paper.starting_balances["usdt"] = Money::from_units(1);
  c.log.level = "loud";
  c.metrics.listen = "nowhere";
  c.mode = TradingMode::Backtest;
  const auto errors = validate(c);
  auto msg = [&](std::string_view key) {
    const ConfigError* e = error_for(errors, key);
    return e ? e->message : std::string();
  };
  EXPECT_EQ(msg("risk.max_drawdown_pct"), "expected a number in (0,100], got \"0\"");
  EXPECT_EQ(msg("risk.max_order_notional"), "expected a number > 0, got \"-5\"");
  EXPECT_EQ(msg("risk.max_open_positions"), "expected an integer in [1,100000], got \"0\"");
  EXPECT_EQ(msg("api.max_body_bytes"), "expected an integer in [1024,67108864], got \"1\"");
  EXPECT_EQ(msg("paper.starting_balances.USDT"), "expected a number >= 0, got \"-1\"");
  EXPECT_EQ(msg("paper.starting_balances"), "expected an asset name in upper case (e.g. USDT), got \"usdt\"");
  EXPECT_EQ(msg("log.level"), "expected one of trace, debug, info, warn, error, critical, off, got \"loud\"");
  EXPECT_TRUE(has_error(errors, "metrics.listen"));
  EXPECT_EQ(msg("mode"),
            "expected one of paper, live (backtest is the `tradingd backtest` subcommand, not a mode), got \"backtest\"");
  EXPECT_EQ(errors.size(), 9u) << dump(errors);
  for (const auto& e : errors) EXPECT_EQ(e.file, "code");
}

TEST(ConfigValidate, LiveNeedsAVenue) {
  Config c;
  c.mode = TradingMode::Live;
  EXPECT_EQ(error_for(validate(c), "mode")->message,
            "live mode needs at least one enabled venue (venues.<venue>.enabled, or an instrument on it)");
  c.venues.okx.enabled = true;
  EXPECT_TRUE(validate(c).empty()) << dump(validate(c));
}

TEST(ConfigValidate, InstrumentsOfDisabledVenues) {
  Config c = with_instrument(Venue::Bybit, MarketKind::Spot, "BTCUSDT");
  EXPECT_TRUE(validate(c).empty());
  c.venues.bybit.enabled = false;
  EXPECT_EQ(error_for(validate(c), "instruments[0].venue")->message,
            "bybit is disabled (venues.bybit.enabled: false); enable the venue or remove the instrument");
  c.instruments[0].id.venue = Venue::Simulated;
  EXPECT_EQ(error_for(validate(c), "instruments[0].venue")->message,
            "expected one of binance, bybit, okx, got \"simulated\"");
}

TEST(ConfigValidate, SymbolsAreTheVenuesOwnSpelling) {
  struct Case {
    Venue venue;
    MarketKind kind;
    const char* symbol;
    bool ok;
  };
  const Case cases[] = {
      {Venue::Binance, MarketKind::Spot, "BTCUSDT", true},       {Venue::Binance, MarketKind::Spot, "btcusdt", false},
      {Venue::Binance, MarketKind::Spot, "BTC-USDT", false},     {Venue::Bybit, MarketKind::LinearPerp, "1000PEPEUSDT", true},
      {Venue::Okx, MarketKind::Spot, "BTC-USDT", true},          {Venue::Okx, MarketKind::Spot, "BTCUSDT", false},
      {Venue::Okx, MarketKind::Spot, "BTC-USDT-SWAP", false},    {Venue::Okx, MarketKind::LinearPerp, "BTC-USDT-SWAP", true},
      {Venue::Okx, MarketKind::LinearPerp, "BTC-USDT", false},   {Venue::Okx, MarketKind::LinearPerp, "BTC--SWAP", false},
  };
  for (const auto& k : cases) {
    const auto errors = validate(with_instrument(k.venue, k.kind, k.symbol));
    EXPECT_EQ(!has_error(errors, "instruments[0].symbol"), k.ok) << k.symbol << "\n" << dump(errors);
  }
  EXPECT_EQ(error_for(validate(with_instrument(Venue::Okx, MarketKind::LinearPerp, "BTC-USDT")), "instruments[0].symbol")
                ->message,
            "expected an OKX perpetual symbol like BTC-USDT-SWAP, got \"BTC-USDT\"");
}

TEST(ConfigValidate, SpotLeverageIsOne) {
  Config c = with_instrument(Venue::Binance, MarketKind::Spot, "BTCUSDT");
  c.instruments[0].leverage = 3;
  EXPECT_EQ(error_for(validate(c), "instruments[0].leverage")->message, "expected 1 for a spot instrument, got \"3\"");
  c.instruments[0].id.kind = MarketKind::LinearPerp;
  EXPECT_TRUE(validate(c).empty()) << dump(validate(c));
  c.instruments[0].leverage = 126;
  EXPECT_EQ(error_for(validate(c), "instruments[0].leverage")->message, "expected an integer in [1,125], got \"126\"");
}

TEST(ConfigValidate, DuplicateInstruments) {
  Config c = with_instrument(Venue::Binance, MarketKind::Spot, "BTCUSDT");
  c.instruments.push_back(c.instruments[0]);
  c.instruments.push_back(c.instruments[0]);
  c.instruments[1].id.kind = MarketKind::LinearPerp;  // same symbol, other market: a different instrument
  const auto errors = validate(c);
  EXPECT_FALSE(has_error(errors, "instruments[1]"));
  EXPECT_EQ(error_for(errors, "instruments[2]")->message, "duplicate of instruments[0] (binance:spot:BTCUSDT)");
}

TEST(ConfigValidate, Strategies) {
  Config c = with_instrument(Venue::Binance, MarketKind::Spot, "BTCUSDT");
  const InstrumentId btc = c.instruments[0].id;
  c.strategies.push_back(strategy("a", "ma_crossover", {btc}));
  c.strategies.push_back(strategy("a", "quoter", {btc}));                                        // duplicate name
  c.strategies.push_back(strategy("b", "", {btc}));                                              // neither
  c.strategies.push_back(strategy("c", "quoter", {btc}));                                        // both
  c.strategies.back().command = {"python3", "x.py"};
  c.strategies.push_back(strategy("d", "", {}));                                                 // no instruments
  c.strategies.back().command = {"", "x.py"};
  c.strategies.push_back(strategy("e", "quoter", {iid(Venue::Okx, MarketKind::Spot, "BTC-USDT")}));  // not listed
  c.strategies.push_back(strategy("has space", "quoter", {btc}));
  c.strategies.push_back(strategy(std::string(32, 'x'), "quoter", {btc}));
  const auto errors = validate(c);
  auto msg = [&](std::string_view key) {
    const ConfigError* e = error_for(errors, key);
    return e ? e->message : std::string();
  };
  EXPECT_FALSE(has_error(errors, "strategies[0]"));
  EXPECT_FALSE(has_error(errors, "strategies[0].name"));
  EXPECT_EQ(msg("strategies[1].name"), "duplicate strategy name \"a\" (also strategies[0])");
  EXPECT_EQ(msg("strategies[2]"), "expected either type (a built-in strategy) or command (an external program)");
  EXPECT_EQ(msg("strategies[3]"), "expected either type or command, not both");
  EXPECT_EQ(msg("strategies[4].instruments"), "expected at least one instrument");
  EXPECT_EQ(msg("strategies[4].command[0]"), "expected the program to run, got \"\"");
  EXPECT_EQ(msg("strategies[5].instruments[0]"),
            "okx:spot:BTC-USDT is not in instruments (list it there with its venue settings)");
  EXPECT_EQ(msg("strategies[6].name"), "expected 1 to 31 letters, digits, '_', '-' or '.', got \"has space\"");
  EXPECT_TRUE(has_error(errors, "strategies[7].name"));
  EXPECT_EQ(errors.size(), 8u) << dump(errors);
}

TEST(ConfigValidate, VenueRules) {
  Config c;
  c.venues.okx.environment = VenueEnvironment::Testnet;
  c.venues.bybit.futures_rest_url = "https://api.example.net";
  c.venues.okx.futures_ws_url = "wss://ws.example.org:8443/ws/v5/public";
  c.venues.binance.futures_rest_url = "https://fapi.example.com";  // fine: Binance has separate futures endpoints
  c.venues.binance.dead_man_switch_timeout_s = 5;
  const auto errors = validate(c);
  EXPECT_EQ(error_for(errors, "venues.okx.environment")->message,
            "okx has no testnet; expected production or demo (OKX demo trading)");
  EXPECT_EQ(error_for(errors, "venues.bybit.futures_rest_url")->message, "only binance has separate futures endpoints");
  EXPECT_TRUE(has_error(errors, "venues.okx.futures_ws_url"));
  EXPECT_EQ(error_for(errors, "venues.binance.dead_man_switch_timeout_s")->message,
            "expected an integer in [10,120], got \"5\"");
  EXPECT_EQ(errors.size(), 4u) << dump(errors);
}

TEST(ConfigValidate, OtherCrossFieldRules) {
  Config c;
  c.market_data.reconnect_initial_ms = 60'000;
  c.risk.sizing.method = SizingMethod::FixedQuantity;
  c.api.listen = "127.0.0.1:9464";
  auto errors = validate(c);
  EXPECT_EQ(error_for(errors, "market_data.reconnect_initial_ms")->message,
            "expected at most market_data.reconnect_max_ms (30000), got \"60000\"");
  EXPECT_EQ(error_for(errors, "risk.sizing.quantity")->message,
            "expected a number > 0 when risk.sizing.method is fixed_quantity, got \"0\"");
  EXPECT_EQ(error_for(errors, "api.listen")->message, "expected an address other than metrics.listen (127.0.0.1:9464)");
  EXPECT_EQ(errors.size(), 3u) << dump(errors);

  // Port 0 twice is fine (each bind gets its own port), and so are different ports.
  c = Config{};
  c.api.listen = "127.0.0.1:0";
  c.metrics.listen = "127.0.0.1:0";
  EXPECT_TRUE(validate(c).empty()) << dump(validate(c));
  c.api.listen = "0.0.0.0:9464";
  c.metrics.listen = "127.0.0.1:9464";
  EXPECT_TRUE(has_error(validate(c), "api.listen"));
}

TEST(ConfigValidate, PipelineAddsLinesToSemanticErrors) {
  const TempFile f(
      "mode: paper\n"
      "instruments:\n"
      "  - {venue: binance, market: spot, symbol: BTCUSDT}\n"
      "strategies:\n"
      "  - {name: a, type: t, instruments: [binance:spot:BTCUSDT]}\n"
      "  - {name: a, type: t, instruments: [binance:spot:ETHUSDT]}\n"
      "risk: {max_leverage: lots}\n");
  const auto r = load_effective_config(f.path(), fake_env({}));
  ASSERT_FALSE(r);
  const auto& errors = r.error();
  ASSERT_EQ(errors.size(), 3u) << dump(errors);  // a parse error and two semantic ones, all at once
  EXPECT_EQ(error_for(errors, "risk.max_leverage")->line, 7);
  EXPECT_EQ(error_for(errors, "strategies[1].name")->line, 6);
  EXPECT_EQ(error_for(errors, "strategies[1].instruments[0]")->line, 6);
}

}  // namespace
}  // namespace tradingd::config::test
