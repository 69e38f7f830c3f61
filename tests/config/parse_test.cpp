// Parsing: every key reaches its field, the defaults, exact decimals, both instrument forms, and the
// loader's conveniences (empty sections, venues enabled by their instruments).
#include "config/load.h"
#include "config/schema.h"
#include "tests/config/config_test_util.h"
#include "tests/config/full_config.h"

namespace tradingd::config::test {
namespace {

// Adding a field to a struct of config/config.h breaks one of these on purpose: add the key to the schema
// table (config/schema.h), to config/tradingd.example.yaml, and to kFullYaml/full_config(), then bump it.
static_assert(field_count<LogConfig>() == 2);
static_assert(field_count<MetricsConfig>() == 1);
static_assert(field_count<ApiConfig>() == 4);
static_assert(field_count<TlsConfig>() == 1);
static_assert(field_count<VenueConfig>() == 12);
static_assert(field_count<VenuesConfig>() == 3);
static_assert(field_count<InstrumentConfig>() == 5);
static_assert(field_count<MarketDataConfig>() == 6);
static_assert(field_count<SizingConfig>() == 6);
static_assert(field_count<RiskConfig>() == 25);
static_assert(field_count<ExecutionConfig>() == 5);
static_assert(field_count<PaperConfig>() == 12);
static_assert(field_count<StrategyConfig>() == 6);
static_assert(field_count<BacktestConfig>() == 5);
static_assert(field_count<Config>() == 15);  // includes source_path, which is not a key

TEST(ConfigParse, EmptyTextGivesTheDefaults) {
  Config expected;
  expected.source_path = "empty.yaml";
  EXPECT_EQ(parse_ok("", "empty.yaml"), expected);
  EXPECT_EQ(parse_ok("# only a comment\n", "empty.yaml"), expected);
}

TEST(ConfigParse, DefaultsAreTheDocumentedOnes) {
  const Config c;
  EXPECT_EQ(c.mode, TradingMode::Paper);
  EXPECT_EQ(c.state_dir, "/var/lib/tradingd");
  EXPECT_EQ(c.log.level, "info");
  EXPECT_EQ(c.log.format, LogFormat::Text);
  EXPECT_EQ(c.metrics.listen, "127.0.0.1:9464");
  EXPECT_EQ(c.api.listen, "127.0.0.1:8787");
  EXPECT_FALSE(c.venues.binance.enabled);
  EXPECT_FALSE(c.venues.bybit.enabled);
  EXPECT_FALSE(c.venues.okx.enabled);
  EXPECT_EQ(c.risk.max_drawdown_pct, Rate::from_units(10));
  EXPECT_EQ(c.risk.daily_loss_limit_pct, Rate::from_units(2));
  EXPECT_EQ(c.risk.sizing.risk_pct.raw(), 500'000'000);
  EXPECT_EQ(c.paper.starting_balances.at("USDT"), Money::from_units(10'000));
  EXPECT_TRUE(c.instruments.empty());
  EXPECT_TRUE(c.strategies.empty());
  EXPECT_TRUE(validate(c).empty()) << dump(validate(c));
}

TEST(ConfigParse, EveryKeyReachesItsField) {
  Config expected = full_config();
  expected.source_path = "full.yaml";
  const Config c = parse_ok(kFullYaml, "full.yaml");
  // Section by section, so a failure points at the section.
  EXPECT_EQ(c.mode, expected.mode);
  EXPECT_EQ(c.state_dir, expected.state_dir);
  EXPECT_EQ(c.log, expected.log);
  EXPECT_EQ(c.metrics, expected.metrics);
  EXPECT_EQ(c.api, expected.api);
  EXPECT_EQ(c.tls, expected.tls);
  EXPECT_EQ(c.venues.binance, expected.venues.binance);
  EXPECT_EQ(c.venues.bybit, expected.venues.bybit);
  EXPECT_EQ(c.venues.okx, expected.venues.okx);
  ASSERT_EQ(c.instruments.size(), expected.instruments.size());
  for (std::size_t i = 0; i < c.instruments.size(); ++i) EXPECT_EQ(c.instruments[i], expected.instruments[i]) << i;
  EXPECT_EQ(c.market_data, expected.market_data);
  EXPECT_EQ(c.risk.sizing, expected.risk.sizing);
  EXPECT_EQ(c.risk, expected.risk);
  EXPECT_EQ(c.execution, expected.execution);
  EXPECT_EQ(c.paper, expected.paper);
  ASSERT_EQ(c.strategies.size(), expected.strategies.size());
  for (std::size_t i = 0; i < c.strategies.size(); ++i) EXPECT_EQ(c.strategies[i], expected.strategies[i]) << i;
  EXPECT_EQ(c.backtest, expected.backtest);
  EXPECT_EQ(c, expected);
  EXPECT_TRUE(validate(c).empty()) << dump(validate(c));
}

TEST(ConfigParse, FullConfigDiffersFromTheDefaultsInEveryKey) {
  // Guards the test above: a key left at its default there would not prove the key is read.
  const Config d;
  const Config f = full_config();
  EXPECT_NE(f.mode, d.mode);
  EXPECT_NE(f.state_dir, d.state_dir);
  EXPECT_NE(f.log.level, d.log.level);
  EXPECT_NE(f.log.format, d.log.format);
  EXPECT_NE(f.metrics.listen, d.metrics.listen);
  EXPECT_NE(f.api.listen, d.api.listen);
  EXPECT_NE(f.api.max_body_bytes, d.api.max_body_bytes);
  EXPECT_NE(f.api.request_timeout_ms, d.api.request_timeout_ms);
  EXPECT_NE(f.api.max_connections, d.api.max_connections);
  EXPECT_NE(f.tls.ca_file, d.tls.ca_file);
  const VenueConfig& b = f.venues.binance;
  const VenueConfig dv;
  EXPECT_NE(b.enabled, dv.enabled);
  EXPECT_NE(b.environment, dv.environment);
  EXPECT_NE(b.rest_url, dv.rest_url);
  EXPECT_NE(b.ws_url, dv.ws_url);
  EXPECT_NE(b.ws_private_url, dv.ws_private_url);
  EXPECT_NE(b.futures_rest_url, dv.futures_rest_url);
  EXPECT_NE(b.futures_ws_url, dv.futures_ws_url);
  EXPECT_NE(b.recv_window_ms, dv.recv_window_ms);
  EXPECT_NE(b.http_timeout_ms, dv.http_timeout_ms);
  EXPECT_NE(b.ws_connect_timeout_ms, dv.ws_connect_timeout_ms);
  EXPECT_NE(b.dead_man_switch, dv.dead_man_switch);
  EXPECT_NE(b.dead_man_switch_timeout_s, dv.dead_man_switch_timeout_s);
  const InstrumentConfig di;
  EXPECT_NE(f.instruments[0].maker_fee, di.maker_fee);
  EXPECT_NE(f.instruments[0].taker_fee, di.taker_fee);
  EXPECT_NE(f.instruments[0].slippage_bps, di.slippage_bps);
  EXPECT_NE(f.instruments[1].leverage, di.leverage);
  const MarketDataConfig dm;
  EXPECT_NE(f.market_data.stale_after_ms, dm.stale_after_ms);
  EXPECT_NE(f.market_data.book_depth, dm.book_depth);
  EXPECT_NE(f.market_data.record_dir, dm.record_dir);
  EXPECT_NE(f.market_data.reconnect_initial_ms, dm.reconnect_initial_ms);
  EXPECT_NE(f.market_data.reconnect_max_ms, dm.reconnect_max_ms);
  EXPECT_NE(f.market_data.instrument_cache_dir, dm.instrument_cache_dir);
  const RiskConfig dr;
  const RiskConfig& r = f.risk;
  EXPECT_NE(r.max_open_positions, dr.max_open_positions);
  EXPECT_NE(r.max_order_notional, dr.max_order_notional);
  EXPECT_NE(r.max_position_notional, dr.max_position_notional);
  EXPECT_NE(r.max_position_pct_equity, dr.max_position_pct_equity);
  EXPECT_NE(r.max_gross_exposure, dr.max_gross_exposure);
  EXPECT_NE(r.max_leverage, dr.max_leverage);
  EXPECT_NE(r.max_orders_per_second, dr.max_orders_per_second);
  EXPECT_NE(r.max_orders_per_day, dr.max_orders_per_day);
  EXPECT_NE(r.price_band_pct, dr.price_band_pct);
  EXPECT_NE(r.max_drawdown_pct, dr.max_drawdown_pct);
  EXPECT_NE(r.daily_loss_limit_pct, dr.daily_loss_limit_pct);
  EXPECT_NE(r.max_consecutive_rejects, dr.max_consecutive_rejects);
  EXPECT_NE(r.stale_market_data_s, dr.stale_market_data_s);
  EXPECT_NE(r.venue_disconnect_s, dr.venue_disconnect_s);
  EXPECT_NE(r.breaker_cooldown_s, dr.breaker_cooldown_s);
  EXPECT_NE(r.breaker_auto_rearm, dr.breaker_auto_rearm);
  EXPECT_NE(r.cancel_orders_on_trip, dr.cancel_orders_on_trip);
  EXPECT_NE(r.flatten_on_trip, dr.flatten_on_trip);
  EXPECT_NE(r.emergency_flatten_timeout_s, dr.emergency_flatten_timeout_s);
  EXPECT_NE(r.sizing.method, dr.sizing.method);
  EXPECT_NE(r.sizing.quantity, dr.sizing.quantity);
  EXPECT_NE(r.sizing.notional, dr.sizing.notional);
  EXPECT_NE(r.sizing.equity_pct, dr.sizing.equity_pct);
  EXPECT_NE(r.sizing.risk_pct, dr.sizing.risk_pct);
  EXPECT_NE(r.sizing.volatility_target_pct, dr.sizing.volatility_target_pct);
  const ExecutionConfig de;
  EXPECT_NE(f.execution.ack_timeout_ms, de.ack_timeout_ms);
  EXPECT_NE(f.execution.stale_order_s, de.stale_order_s);
  EXPECT_NE(f.execution.journal_commit_interval_ms, de.journal_commit_interval_ms);
  EXPECT_NE(f.execution.cancel_unknown_venue_orders, de.cancel_unknown_venue_orders);
  EXPECT_NE(f.execution.unit_price_source, de.unit_price_source);
  const PaperConfig dp;
  const PaperConfig& p = f.paper;
  EXPECT_NE(p.starting_balances, dp.starting_balances);
  EXPECT_NE(p.order_latency_ms, dp.order_latency_ms);
  EXPECT_NE(p.market_data_latency_ms, dp.market_data_latency_ms);
  EXPECT_NE(p.latency_jitter_ms, dp.latency_jitter_ms);
  EXPECT_NE(p.seed, dp.seed);
  EXPECT_NE(p.fill_on_touch, dp.fill_on_touch);
  EXPECT_NE(p.queue_cancel_share, dp.queue_cancel_share);
  EXPECT_NE(p.slippage_model, dp.slippage_model);
  EXPECT_NE(p.slippage_bps, dp.slippage_bps);
  EXPECT_NE(p.slippage_absolute, dp.slippage_absolute);
  EXPECT_NE(p.candle_volume_participation_pct, dp.candle_volume_participation_pct);
  EXPECT_NE(p.binance_fee_in_received_asset, dp.binance_fee_in_received_asset);
  const StrategyConfig ds;
  EXPECT_NE(f.strategies[0].name, ds.name);
  EXPECT_NE(f.strategies[0].type, ds.type);
  EXPECT_NE(f.strategies[1].command, ds.command);
  EXPECT_NE(f.strategies[0].instruments, ds.instruments);
  EXPECT_NE(f.strategies[0].params, ds.params);
  EXPECT_NE(f.strategies[1].enabled, ds.enabled);
  const BacktestConfig db;
  EXPECT_NE(f.backtest.starting_balances, db.starting_balances);
  EXPECT_NE(f.backtest.seed, db.seed);
  EXPECT_NE(f.backtest.default_symbol, db.default_symbol);
  EXPECT_NE(f.backtest.history_cache_dir, db.history_cache_dir);
  EXPECT_NE(f.backtest.max_sweep_points, db.max_sweep_points);
}

TEST(ConfigParse, DecimalsAreExactFromTheScalarText) {
  const Config plain = parse_ok("risk: {max_leverage: 0.1}\n");
  const Config quoted = parse_ok("risk: {max_leverage: \"0.1\"}\n");
  EXPECT_EQ(plain.risk.max_leverage.raw(), 100'000'000);
  EXPECT_EQ(quoted.risk.max_leverage.raw(), plain.risk.max_leverage.raw());

  // 0.1 + 0.2 style values a double would smear; nine decimals survive to the last digit.
  const Config c = parse_ok(
      "risk:\n"
      "  max_order_notional: 1234567.123456789\n"
      "  max_gross_exposure: 9223372036.854775807\n"
      "  max_position_notional: 3e2\n"
      "instruments:\n"
      "  - {venue: binance, market: spot, symbol: BTCUSDT, maker_fee: 1e-5, taker_fee: \"0.000300000\"}\n");
  EXPECT_EQ(c.risk.max_order_notional.raw(), 1'234'567'123'456'789);
  EXPECT_EQ(c.risk.max_gross_exposure.raw(), INT64_MAX);
  EXPECT_EQ(c.risk.max_position_notional, Money::from_units(300));
  EXPECT_EQ(c.instruments[0].maker_fee->raw(), 10'000);
  EXPECT_EQ(c.instruments[0].taker_fee->raw(), 300'000);
}

TEST(ConfigParse, EmptySectionsAndListsMeanDefaults) {
  Config expected;
  expected.source_path = "t.yaml";
  EXPECT_EQ(parse_ok("risk:\nvenues:\n  binance:\ninstruments:\nstrategies: []\npaper:\n"), expected);
}

TEST(ConfigParse, StartingBalancesReplaceTheDefault) {
  const Config c = parse_ok("paper:\n  starting_balances: {BTC: 1}\n");
  EXPECT_EQ(c.paper.starting_balances, (std::map<std::string, Money>{{"BTC", Money::from_units(1)}}));
  const Config none = parse_ok("paper:\n  starting_balances: {}\n");
  EXPECT_TRUE(none.paper.starting_balances.empty());
}

TEST(ConfigParse, StrategyInstrumentsInBothFormsAndParamsAsText) {
  const Config c = parse_ok(
      "instruments:\n"
      "  - {venue: okx, market: spot, symbol: BTC-USDT}\n"
      "  - {venue: okx, market: linear_perp, symbol: BTC-USDT-SWAP}\n"
      "strategies:\n"
      "  - name: s\n"
      "    type: quoter\n"
      "    instruments:\n"
      "      - okx:spot:BTC-USDT\n"
      "      - {venue: okx, market: linear_perp, symbol: BTC-USDT-SWAP}\n"
      "    params: {spread_bps: 2.50, size: \"0.0010\", side: both, on: true}\n");
  ASSERT_EQ(c.strategies.size(), 1u);
  EXPECT_EQ(c.strategies[0].instruments,
            (std::vector<InstrumentId>{iid(Venue::Okx, MarketKind::Spot, "BTC-USDT"),
                                       iid(Venue::Okx, MarketKind::LinearPerp, "BTC-USDT-SWAP")}));
  // The strategy gets the text as written: "2.50" keeps its zero, nothing went through a double.
  EXPECT_EQ(c.strategies[0].params, (std::map<std::string, std::string>{
                                        {"spread_bps", "2.50"}, {"size", "0.0010"}, {"side", "both"}, {"on", "true"}}));
}

TEST(ConfigParse, InstrumentsEnableTheirVenueUnlessExplicitlyDisabled) {
  const Config c = parse_ok("instruments:\n  - {venue: bybit, market: spot, symbol: BTCUSDT}\n");
  EXPECT_TRUE(c.venues.bybit.enabled);
  EXPECT_FALSE(c.venues.binance.enabled);
  EXPECT_FALSE(c.venues.okx.enabled);

  const Config off = parse_ok("venues: {bybit: {enabled: false}}\n"
                              "instruments:\n  - {venue: bybit, market: spot, symbol: BTCUSDT}\n");
  EXPECT_FALSE(off.venues.bybit.enabled);  // and validate() reports the contradiction
  EXPECT_TRUE(has_error(validate(off), "instruments[0].venue"));
}

TEST(ConfigParse, MinimalPaperConfigIsValid) {
  const auto r = load_effective_config(std::nullopt, fake_env({}));
  ASSERT_TRUE(r) << dump(r.error());
  const Config c = parse_ok("mode: paper\ninstruments:\n  - {venue: binance, market: spot, symbol: BTCUSDT}\n");
  EXPECT_TRUE(validate(c).empty()) << dump(validate(c));
  EXPECT_TRUE(c.venues.binance.enabled);
}

TEST(ConfigParse, BooleansAreOnlyTrueOrFalse) {
  EXPECT_TRUE(parse_ok("risk: {flatten_on_trip: true}\n").risk.flatten_on_trip);
  EXPECT_TRUE(parse_ok("risk: {flatten_on_trip: True}\n").risk.flatten_on_trip);
  EXPECT_FALSE(parse_ok("risk: {cancel_orders_on_trip: false}\n").risk.cancel_orders_on_trip);
  // YAML 1.1's yes/no/on/off are not booleans here: `on` for "on trip" is too easy to misread.
  for (const char* word : {"yes", "no", "on", "off", "1", "0", "y"}) {
    const auto errors = parse_errors(std::string("risk: {flatten_on_trip: ") + word + "}\n");
    const ConfigError* e = error_for(errors, "risk.flatten_on_trip");
    ASSERT_NE(e, nullptr) << word;
    EXPECT_EQ(e->message, std::string("expected true or false, got \"") + word + "\"");
  }
}

TEST(ConfigParse, OptionalFeeCanBeSetBackToDefaultWithNull) {
  const Config c = parse_ok("instruments:\n  - {venue: binance, market: spot, symbol: BTCUSDT, maker_fee: ~}\n");
  EXPECT_FALSE(c.instruments[0].maker_fee.has_value());
}

TEST(ConfigParse, ConfigEnumNamesBothWays) {
  for (auto f : {LogFormat::Text, LogFormat::Json}) EXPECT_EQ(parse_log_format(to_string(f)), f);
  for (auto e : {VenueEnvironment::Production, VenueEnvironment::Testnet, VenueEnvironment::Demo})
    EXPECT_EQ(parse_venue_environment(to_string(e)), e);
  for (auto m : {SizingMethod::FixedQuantity, SizingMethod::FixedNotional, SizingMethod::PercentEquity,
                 SizingMethod::RiskPerTrade, SizingMethod::VolatilityScaled})
    EXPECT_EQ(parse_sizing_method(to_string(m)), m);
  for (auto m : {SlippageModel::FixedBps, SlippageModel::Absolute, SlippageModel::Volatility})
    EXPECT_EQ(parse_slippage_model(to_string(m)), m);
  EXPECT_EQ(to_string(SizingMethod::RiskPerTrade), "risk_per_trade");
  EXPECT_FALSE(parse_log_format("JSON"));
  EXPECT_FALSE(parse_venue_environment("mainnet"));
}

TEST(ConfigParse, SchemaListsEveryKeyOnce) {
  const auto paths = schema::key_paths();
  EXPECT_EQ(paths.size(), 117u);  // 2 top + 2 log + 1 metrics + 4 api + 1 tls + 36 venues + 7 + 6 + 30 risk + 5 + 12 + 6 + 5
  std::set<std::string> unique(paths.begin(), paths.end());
  EXPECT_EQ(unique.size(), paths.size());
  EXPECT_TRUE(unique.contains("risk.sizing.volatility_target_pct"));
  EXPECT_TRUE(unique.contains("instruments[].symbol"));
  EXPECT_TRUE(unique.contains("venues.okx.dead_man_switch_timeout_s"));
}

}  // namespace
}  // namespace tradingd::config::test
