// The typed configuration of tradingd: one struct per YAML section, every field with its default (or
// marked required), units in the names. config/tradingd.example.yaml documents every key. Money and
// ratios are exact fixed point (parsed from the scalar's text, never through double). Secrets are not
// part of this tree: they live in Credentials (config/credentials.h), read from the environment or
// systemd's $CREDENTIALS_DIRECTORY only.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/enums.h"
#include "core/fixed_point.h"
#include "core/ids.h"

namespace tradingd::config {

enum class LogFormat : std::uint8_t { Text, Json };
enum class VenueEnvironment : std::uint8_t { Production, Testnet, Demo };

struct LogConfig {
  std::string level = "info";  // trace | debug | info | warn | error | critical | off
  LogFormat format = LogFormat::Text;

  friend bool operator==(const LogConfig&, const LogConfig&) = default;
};

struct MetricsConfig {
  std::string listen = "127.0.0.1:9464";  // host:port; /metrics, /healthz, /readyz

  friend bool operator==(const MetricsConfig&, const MetricsConfig&) = default;
};

struct ApiConfig {
  std::string listen = "127.0.0.1:8787";  // host:port of the control API
  std::int64_t max_body_bytes = 64 * 1024;
  std::int64_t request_timeout_ms = 10'000;
  std::int64_t max_connections = 64;  // open HTTP + WebSocket connections; more are closed at once

  friend bool operator==(const ApiConfig&, const ApiConfig&) = default;
};

struct TlsConfig {
  std::string ca_file;  // an extra trusted CA (PEM), e.g. the emulator's; empty: system CAs only

  friend bool operator==(const TlsConfig&, const TlsConfig&) = default;
};

struct VenueConfig {
  // When the file leaves `enabled` out, the loader enables a venue that an instrument uses; an explicit
  // `enabled: false` with instruments on the venue is an error (never a silently idle instrument).
  bool enabled = false;
  VenueEnvironment environment = VenueEnvironment::Production;
  // Endpoint overrides; empty: the environment's documented default. Binance's spot and futures hosts
  // differ; when only rest_url/ws_url are overridden (the emulator) the futures endpoints use them too.
  std::string rest_url;
  std::string ws_url;
  std::string ws_private_url;
  std::string futures_rest_url;  // Binance USD-M only
  std::string futures_ws_url;    // Binance USD-M only
  std::int64_t recv_window_ms = 5'000;
  std::int64_t http_timeout_ms = 10'000;
  std::int64_t ws_connect_timeout_ms = 10'000;
  bool dead_man_switch = true;              // live mode, where the venue offers it
  std::int64_t dead_man_switch_timeout_s = 60;

  friend bool operator==(const VenueConfig&, const VenueConfig&) = default;
};

struct VenuesConfig {
  VenueConfig binance;
  VenueConfig bybit;
  VenueConfig okx;
  const VenueConfig& get(Venue v) const { return v == Venue::Bybit ? bybit : v == Venue::Okx ? okx : binance; }
  VenueConfig& get(Venue v) { return v == Venue::Bybit ? bybit : v == Venue::Okx ? okx : binance; }

  friend bool operator==(const VenuesConfig&, const VenuesConfig&) = default;
};

// An instrument to trade / subscribe. Rules (tick, step, minimums) come from the venue; fee overrides here.
struct InstrumentConfig {
  InstrumentId id;                 // keys: venue, market (spot | linear_perp), symbol
  std::optional<Rate> maker_fee;   // default: the venue's public base tier
  std::optional<Rate> taker_fee;
  std::optional<Rate> slippage_bps;  // paper/backtest fill model override
  int leverage = 1;                // perpetuals

  friend bool operator==(const InstrumentConfig&, const InstrumentConfig&) = default;
};

struct MarketDataConfig {
  std::int64_t stale_after_ms = 10'000;  // no message for this long: the instrument's feed is stale
  int book_depth = 50;                   // levels requested/kept per side
  std::string record_dir;                // non-empty: record raw frames (replay format) here
  std::int64_t reconnect_initial_ms = 500;
  std::int64_t reconnect_max_ms = 30'000;
  std::string instrument_cache_dir;      // empty: <state_dir>/instruments

  friend bool operator==(const MarketDataConfig&, const MarketDataConfig&) = default;
};

enum class SizingMethod : std::uint8_t { FixedQuantity, FixedNotional, PercentEquity, RiskPerTrade, VolatilityScaled };

struct SizingConfig {
  SizingMethod method = SizingMethod::FixedNotional;
  Quantity quantity;                          // fixed_quantity
  Money notional = Money::from_units(100);    // fixed_notional
  Rate equity_pct = Rate::from_units(1);      // percent_equity
  Rate risk_pct = Rate::from_string("0.5");   // risk_per_trade: % of equity lost if the stop-loss hits
  Rate volatility_target_pct = Rate::from_units(1);  // volatility_scaled

  friend bool operator==(const SizingConfig&, const SizingConfig&) = default;
};

struct RiskConfig {
  int max_open_positions = 10;
  Money max_order_notional = Money::from_units(10'000);
  Money max_position_notional = Money::from_units(50'000);  // per instrument
  Rate max_position_pct_equity = Rate::from_units(50);
  Money max_gross_exposure = Money::from_units(100'000);
  Rate max_leverage = Rate::from_units(3);
  int max_orders_per_second = 10;  // per venue and in total
  int max_orders_per_day = 10'000;
  int max_orders_per_second_total = 0;  // across all venues; 0: same as max_orders_per_second
  int max_orders_per_day_total = 0;     // across all venues; 0: same as max_orders_per_day
  Rate price_band_pct = Rate::from_units(5);  // fat-finger band around last/mark
  // Circuit breaker
  Rate max_drawdown_pct = Rate::from_units(10);
  Rate daily_loss_limit_pct = Rate::from_units(2);
  int max_consecutive_rejects = 5;
  std::int64_t stale_market_data_s = 30;
  std::int64_t venue_disconnect_s = 60;
  std::int64_t breaker_cooldown_s = 300;
  bool breaker_auto_rearm = false;
  bool cancel_orders_on_trip = true;
  bool flatten_on_trip = false;
  std::int64_t emergency_flatten_timeout_s = 30;
  std::int64_t emergency_cancel_wait_ms = 2'000;    // wait this long for cancels before flattening anyway
  std::int64_t emergency_retry_interval_ms = 500;   // resend a flatten/cancel-all that did not take effect
  // Perpetuals: one maintenance margin rate for margin and estimated liquidation prices (the venues' tiered
  // brackets start at 0.4-0.5% for BTC/ETH; larger positions and smaller coins have higher tiers).
  Rate maintenance_margin_pct = Rate::from_string("0.5");
  SizingConfig sizing;

  friend bool operator==(const RiskConfig&, const RiskConfig&) = default;
};

struct ExecutionConfig {
  std::int64_t ack_timeout_ms = 5'000;      // no ack by then: query by client order id (never resend)
  std::int64_t stale_order_s = 86'400;      // open longer than this: reported
  std::int64_t journal_commit_interval_ms = 0;  // 0: fsync each intent before sending; > 0: group commit
  bool cancel_unknown_venue_orders = false; // at reconciliation, cancel venue orders the journal lacks
  std::string unit_price_source = "mark";   // mark | last | mid: price for unrealized PnL

  friend bool operator==(const ExecutionConfig&, const ExecutionConfig&) = default;
};

enum class SlippageModel : std::uint8_t { FixedBps, Absolute, Volatility };

struct PaperConfig {
  std::map<std::string, Money> starting_balances{{"USDT", Money::from_units(10'000)}};  // asset -> amount
  std::int64_t order_latency_ms = 50;        // order entry, one way
  std::int64_t market_data_latency_ms = 0;
  std::int64_t latency_jitter_ms = 0;
  std::uint64_t seed = 1;
  bool fill_on_touch = false;                // resting limit fills when the market touches (not trades through)
  Rate queue_cancel_share = Rate::from_units(1);  // share of canceled size ahead of us that advances our queue
  SlippageModel slippage_model = SlippageModel::FixedBps;
  Rate slippage_bps = Rate::from_units(1);
  Price slippage_absolute;
  Rate candle_volume_participation_pct = Rate::from_units(10);
  bool binance_fee_in_received_asset = false;  // Binance spot charges buys in the base asset received

  friend bool operator==(const PaperConfig&, const PaperConfig&) = default;
};

struct StrategyConfig {
  std::string name;                          // unique
  std::string type;                          // a registered C++ strategy ("ma_crossover", "quoter"), or empty with command
  std::vector<std::string> command;          // external program (JSON lines on stdin/stdout)
  std::vector<InstrumentId> instruments;
  std::map<std::string, std::string> params; // passed through as text; the strategy parses its own
  bool enabled = true;

  friend bool operator==(const StrategyConfig&, const StrategyConfig&) = default;
};

struct BacktestConfig {
  std::map<std::string, Money> starting_balances{{"USDT", Money::from_units(10'000)}};
  std::uint64_t seed = 1;
  std::string default_symbol;  // kline files without a symbol in their name
  std::string history_cache_dir;  // `fetch-history` day files; empty: <state_dir>/history
  std::int64_t max_sweep_points = 10'000;  // a --sweep grid larger than this is refused

  friend bool operator==(const BacktestConfig&, const BacktestConfig&) = default;
};

struct Config {
  TradingMode mode = TradingMode::Paper;  // paper | live (backtest is the `backtest` subcommand)
  std::string state_dir = "/var/lib/tradingd";
  LogConfig log;
  MetricsConfig metrics;
  ApiConfig api;
  TlsConfig tls;
  VenuesConfig venues;
  std::vector<InstrumentConfig> instruments;
  MarketDataConfig market_data;
  RiskConfig risk;
  ExecutionConfig execution;
  PaperConfig paper;
  std::vector<StrategyConfig> strategies;
  BacktestConfig backtest;
  std::string source_path;  // the file it was loaded from ("" for defaults)

  friend bool operator==(const Config&, const Config&) = default;
};

std::string_view to_string(LogFormat f);
std::string_view to_string(VenueEnvironment e);
std::string_view to_string(SizingMethod m);
std::string_view to_string(SlippageModel m);
// Exactly the canonical names above ("json", "testnet", "fixed_notional", "fixed_bps"); nothing else.
std::optional<LogFormat> parse_log_format(std::string_view s);
std::optional<VenueEnvironment> parse_venue_environment(std::string_view s);
std::optional<SizingMethod> parse_sizing_method(std::string_view s);
std::optional<SlippageModel> parse_slippage_model(std::string_view s);

}  // namespace tradingd::config
