// A configuration that sets EVERY key to a value other than its default, as YAML text and as the Config
// it must parse into, built by hand field by field (independently of the schema table). It is how the
// tests catch a field that the schema forgot: parse, to_yaml and the example-file check all use it.
#pragma once

#include <string_view>

#include "config/config.h"

namespace tradingd::config::test {

inline constexpr std::string_view kFullYaml = R"(
mode: live
state_dir: /srv/tradingd
log:
  level: debug
  format: json
metrics:
  listen: 0.0.0.0:9100
api:
  listen: "[::1]:8800"
  max_body_bytes: 2048
  request_timeout_ms: 2500
  max_connections: 7
tls:
  ca_file: /etc/tradingd/ca.pem
venues:
  binance:
    enabled: true
    environment: testnet
    rest_url: https://testnet.binance.vision
    ws_url: wss://stream.testnet.binance.vision/ws
    ws_private_url: wss://ws-api.testnet.binance.vision/ws-api/v3
    futures_rest_url: https://testnet.binancefuture.com
    futures_ws_url: wss://fstream.binancefuture.com/ws
    recv_window_ms: 6000
    http_timeout_ms: 7000
    ws_connect_timeout_ms: 8000
    dead_man_switch: false
    dead_man_switch_timeout_s: 30
  bybit:
    enabled: true
    environment: demo
    rest_url: http://127.0.0.1:18443
    ws_url: ws://localhost:18444/public
    ws_private_url: ws://[::1]:18445/private
    futures_rest_url: ""
    futures_ws_url: ""
    recv_window_ms: 10000
    http_timeout_ms: 1000
    ws_connect_timeout_ms: 2000
    dead_man_switch: true
    dead_man_switch_timeout_s: 120
  okx:
    enabled: true
    environment: demo
    rest_url: https://okx.example.org
    ws_url: wss://wspap.okx.com:8443/ws/v5/public
    ws_private_url: wss://wspap.okx.com:8443/ws/v5/private
    futures_rest_url: ""
    futures_ws_url: ""
    recv_window_ms: 1
    http_timeout_ms: 100
    ws_connect_timeout_ms: 600000
    dead_man_switch: true
    dead_man_switch_timeout_s: 10
instruments:
  - venue: binance
    market: spot
    symbol: BTCUSDT
    maker_fee: -0.0001
    taker_fee: "0.00075"
    slippage_bps: 2.5
    leverage: 1
  - venue: okx
    market: linear_perp
    symbol: BTC-USDT-SWAP
    leverage: 20
  - {venue: bybit, market: linear_perp, symbol: ETHUSDT}
market_data:
  stale_after_ms: 5000
  book_depth: 200
  record_dir: /var/lib/tradingd/frames
  reconnect_initial_ms: 250
  reconnect_max_ms: 60000
  instrument_cache_dir: /var/cache/tradingd
risk:
  max_open_positions: 3
  max_order_notional: 2500.5
  max_position_notional: "7500"
  max_position_pct_equity: 25
  max_gross_exposure: 20000
  max_leverage: 1.5
  max_orders_per_second: 5
  max_orders_per_day: 500
  max_orders_per_second_total: 8
  max_orders_per_day_total: 800
  price_band_pct: 2.5
  max_drawdown_pct: 7.5
  daily_loss_limit_pct: 1.25
  max_consecutive_rejects: 3
  stale_market_data_s: 15
  venue_disconnect_s: 45
  breaker_cooldown_s: 600
  breaker_auto_rearm: true
  cancel_orders_on_trip: false
  flatten_on_trip: true
  emergency_flatten_timeout_s: 90
  emergency_cancel_wait_ms: 1500
  emergency_retry_interval_ms: 250
  maintenance_margin_pct: 0.4
  sizing:
    method: fixed_quantity
    quantity: 0.001
    notional: 250
    equity_pct: 2
    risk_pct: 0.25
    volatility_target_pct: 1.5
execution:
  ack_timeout_ms: 3000
  stale_order_s: 3600
  journal_commit_interval_ms: 5
  cancel_unknown_venue_orders: true
  unit_price_source: mid
paper:
  starting_balances:
    USDT: 5000.25
    BTC: 0.5
  order_latency_ms: 125
  market_data_latency_ms: 20
  latency_jitter_ms: 10
  seed: 18446744073709551615
  fill_on_touch: true
  queue_cancel_share: 0.5
  slippage_model: absolute
  slippage_bps: 3
  slippage_absolute: 0.01
  candle_volume_participation_pct: 25
  binance_fee_in_received_asset: true
strategies:
  - name: ma_btc
    type: ma_crossover
    instruments: [binance:spot:BTCUSDT]
    params: {fast: 10, slow: "30", size: 0.0010}
    enabled: true
  - name: py.eth-1
    command: [python3, /opt/strategies/eth.py, --verbose]
    instruments:
      - {venue: bybit, market: linear_perp, symbol: ETHUSDT}
      - okx:linear_perp:BTC-USDT-SWAP
    params: {}
    enabled: false
backtest:
  starting_balances:
    USDC: 1000
  seed: 42
  default_symbol: ETHUSDT
  history_cache_dir: /srv/history
  max_sweep_points: 500
)";

inline InstrumentId iid(Venue v, MarketKind k, std::string_view symbol) { return {v, k, Symbol::from(symbol)}; }

inline Config full_config() {
  Config c;
  c.mode = TradingMode::Live;
  c.state_dir = "/srv/tradingd";
  c.log.level = "debug";
  c.log.format = LogFormat::Json;
  c.metrics.listen = "0.0.0.0:9100";
  c.api.listen = "[::1]:8800";
  c.api.max_body_bytes = 2048;
  c.api.request_timeout_ms = 2500;
  c.api.max_connections = 7;
  c.tls.ca_file = "/etc/tradingd/ca.pem";

  VenueConfig& b = c.venues.binance;
  b.enabled = true;
  b.environment = VenueEnvironment::Testnet;
  b.rest_url = "https://testnet.binance.vision";
  b.ws_url = "wss://stream.testnet.binance.vision/ws";
  b.ws_private_url = "wss://ws-api.testnet.binance.vision/ws-api/v3";
  b.futures_rest_url = "https://testnet.binancefuture.com";
  b.futures_ws_url = "wss://fstream.binancefuture.com/ws";
  b.recv_window_ms = 6000;
  b.http_timeout_ms = 7000;
  b.ws_connect_timeout_ms = 8000;
  b.dead_man_switch = false;
  b.dead_man_switch_timeout_s = 30;
  VenueConfig& y = c.venues.bybit;
  y.enabled = true;
  y.environment = VenueEnvironment::Demo;
  y.rest_url = "http://127.0.0.1:18443";
  y.ws_url = "ws://localhost:18444/public";
  y.ws_private_url = "ws://[::1]:18445/private";
  y.recv_window_ms = 10000;
  y.http_timeout_ms = 1000;
  y.ws_connect_timeout_ms = 2000;
  y.dead_man_switch_timeout_s = 120;
  VenueConfig& o = c.venues.okx;
  o.enabled = true;
  o.environment = VenueEnvironment::Demo;
  o.rest_url = "https://okx.example.org";
  o.ws_url = "wss://wspap.okx.com:8443/ws/v5/public";
  o.ws_private_url = "wss://wspap.okx.com:8443/ws/v5/private";
  o.recv_window_ms = 1;
  o.http_timeout_ms = 100;
  o.ws_connect_timeout_ms = 600000;
  o.dead_man_switch_timeout_s = 10;

  InstrumentConfig i0;
  i0.id = iid(Venue::Binance, MarketKind::Spot, "BTCUSDT");
  i0.maker_fee = Rate::from_string("-0.0001");
  i0.taker_fee = Rate::from_string("0.00075");
  i0.slippage_bps = Rate::from_string("2.5");
  InstrumentConfig i1;
  i1.id = iid(Venue::Okx, MarketKind::LinearPerp, "BTC-USDT-SWAP");
  i1.leverage = 20;
  InstrumentConfig i2;
  i2.id = iid(Venue::Bybit, MarketKind::LinearPerp, "ETHUSDT");
  c.instruments = {i0, i1, i2};

  auto& m = c.market_data;
  m.stale_after_ms = 5000;
  m.book_depth = 200;
  m.record_dir = "/var/lib/tradingd/frames";
  m.reconnect_initial_ms = 250;
  m.reconnect_max_ms = 60000;
  m.instrument_cache_dir = "/var/cache/tradingd";

  auto& r = c.risk;
  r.max_open_positions = 3;
  r.max_order_notional = Money::from_string("2500.5");
  r.max_position_notional = Money::from_units(7500);
  r.max_position_pct_equity = Rate::from_units(25);
  r.max_gross_exposure = Money::from_units(20000);
  r.max_leverage = Rate::from_string("1.5");
  r.max_orders_per_second = 5;
  r.max_orders_per_day = 500;
  r.max_orders_per_second_total = 8;
  r.max_orders_per_day_total = 800;
  r.price_band_pct = Rate::from_string("2.5");
  r.max_drawdown_pct = Rate::from_string("7.5");
  r.daily_loss_limit_pct = Rate::from_string("1.25");
  r.max_consecutive_rejects = 3;
  r.stale_market_data_s = 15;
  r.venue_disconnect_s = 45;
  r.breaker_cooldown_s = 600;
  r.breaker_auto_rearm = true;
  r.cancel_orders_on_trip = false;
  r.flatten_on_trip = true;
  r.emergency_flatten_timeout_s = 90;
  r.emergency_cancel_wait_ms = 1500;
  r.emergency_retry_interval_ms = 250;
  r.maintenance_margin_pct = Rate::from_string("0.4");
  r.sizing.method = SizingMethod::FixedQuantity;
  r.sizing.quantity = Quantity::from_string("0.001");
  r.sizing.notional = Money::from_units(250);
  r.sizing.equity_pct = Rate::from_units(2);
  r.sizing.risk_pct = Rate::from_string("0.25");
  r.sizing.volatility_target_pct = Rate::from_string("1.5");

  auto& e = c.execution;
  e.ack_timeout_ms = 3000;
  e.stale_order_s = 3600;
  e.journal_commit_interval_ms = 5;
  e.cancel_unknown_venue_orders = true;
  e.unit_price_source = "mid";

  auto& p = c.paper;
  p.starting_balances = {{"USDT", Money::from_string("5000.25")}, {"BTC", Money::from_string("0.5")}};
  p.order_latency_ms = 125;
  p.market_data_latency_ms = 20;
  p.latency_jitter_ms = 10;
  p.seed = 18446744073709551615ULL;
  p.fill_on_touch = true;
  p.queue_cancel_share = Rate::from_string("0.5");
  p.slippage_model = SlippageModel::Absolute;
  p.slippage_bps = Rate::from_units(3);
  p.slippage_absolute = Price::from_string("0.01");
  p.candle_volume_participation_pct = Rate::from_units(25);
  p.binance_fee_in_received_asset = true;

  StrategyConfig s0;
  s0.name = "ma_btc";
  s0.type = "ma_crossover";
  s0.instruments = {i0.id};
  s0.params = {{"fast", "10"}, {"slow", "30"}, {"size", "0.0010"}};
  StrategyConfig s1;
  s1.name = "py.eth-1";
  s1.command = {"python3", "/opt/strategies/eth.py", "--verbose"};
  s1.instruments = {i2.id, i1.id};
  s1.enabled = false;
  c.strategies = {s0, s1};

  c.backtest.starting_balances = {{"USDC", Money::from_units(1000)}};
  c.backtest.seed = 42;
  c.backtest.default_symbol = "ETHUSDT";
  c.backtest.history_cache_dir = "/srv/history";
  c.backtest.max_sweep_points = 500;
  return c;
}

}  // namespace tradingd::config::test
