// The configuration schema: ONE table (visit_config) naming every key, its field and its allowed values.
// The YAML reader, the writer (to_yaml), validate() and the key-path list all walk this same table, so a
// key cannot be parsed but not validated, or validated but not written. Internal to config/ and its tests.
#pragma once

#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "core/fixed_point.h"

namespace tradingd::config::schema {

// ---- Value specs: what a key accepts. Each has describe() for "expected ..." messages. ----

struct IntSpec {  // inclusive range
  std::int64_t min = 0;
  std::int64_t max = std::numeric_limits<std::int64_t>::max();
};
struct SeedSpec {};  // any unsigned 64-bit integer

// A decimal range on raw fixed-point values (scale 1e-9); unset bounds are open to infinity.
struct DecSpec {
  std::optional<std::int64_t> min;
  std::optional<std::int64_t> max;
  bool min_open = false;
  bool max_open = false;
};
constexpr std::int64_t units(std::int64_t u) { return u * fixed::kScale; }
constexpr DecSpec dec_positive() { return {units(0), std::nullopt, true, false}; }
constexpr DecSpec dec_non_negative() { return {units(0), std::nullopt, false, false}; }
// (0, hi]: percentages and shares that must be positive.
constexpr DecSpec dec_up_to(std::int64_t hi_raw) { return {units(0), hi_raw, true, false}; }
constexpr DecSpec dec_closed(std::int64_t lo_raw, std::int64_t hi_raw) { return {lo_raw, hi_raw, false, false}; }

enum class TextKind : std::uint8_t {
  Any,          // any string, also empty
  NonEmpty,
  HostPort,     // parse_host_port
  RestUrl,      // https://host[:port][/path]; http:// only to a loopback host (emulator, tests)
  WsUrl,        // wss://...; ws:// only to a loopback host
  OptRestUrl,   // empty (the documented default) or RestUrl
  OptWsUrl,
  LogLevel,     // spdlog's level names
  PriceSource,  // mark | last | mid
};
struct TextSpec {
  TextKind kind = TextKind::Any;
};

struct BoolSpec {};
struct EnumSpec {};            // the enum's canonical names (enum_choices below)
struct SymbolSpec {};          // the venue's symbol, 1..31 characters
struct BalancesSpec {};        // {ASSET: amount >= 0}
struct ParamsSpec {};          // {name: scalar}, kept as text
struct CommandSpec {};         // [program, arg...]
struct InstrumentRefsSpec {};  // ["venue:market:symbol" | {venue, market, symbol}, ...]

inline constexpr std::array<std::string_view, 7> kLogLevels{"trace", "debug", "info", "warn", "error", "critical", "off"};
inline constexpr std::array<std::string_view, 3> kPriceSources{"mark", "last", "mid"};

// The values a config key may take for each enum (Venue::Simulated and TradingMode::Backtest are not
// configurable: the simulated venue is what paper mode uses, backtest is a subcommand).
template <class E> struct EnumChoices;
template <> struct EnumChoices<TradingMode> {
  static constexpr std::array values{TradingMode::Paper, TradingMode::Live};
  static constexpr std::string_view hint = " (backtest is the `tradingd backtest` subcommand, not a mode)";
};
template <> struct EnumChoices<Venue> {
  static constexpr std::array values{Venue::Binance, Venue::Bybit, Venue::Okx};
  static constexpr std::string_view hint = "";
};
template <> struct EnumChoices<MarketKind> {
  static constexpr std::array values{MarketKind::Spot, MarketKind::LinearPerp};
  static constexpr std::string_view hint = "";
};
template <> struct EnumChoices<LogFormat> {
  static constexpr std::array values{LogFormat::Text, LogFormat::Json};
  static constexpr std::string_view hint = "";
};
template <> struct EnumChoices<VenueEnvironment> {
  static constexpr std::array values{VenueEnvironment::Production, VenueEnvironment::Testnet, VenueEnvironment::Demo};
  static constexpr std::string_view hint = "";
};
template <> struct EnumChoices<SizingMethod> {
  static constexpr std::array values{SizingMethod::FixedQuantity, SizingMethod::FixedNotional,
                                     SizingMethod::PercentEquity, SizingMethod::RiskPerTrade,
                                     SizingMethod::VolatilityScaled};
  static constexpr std::string_view hint = "";
};
template <> struct EnumChoices<SlippageModel> {
  static constexpr std::array values{SlippageModel::FixedBps, SlippageModel::Absolute, SlippageModel::Volatility};
  static constexpr std::string_view hint = "";
};

template <class E>
std::string describe_enum() {
  std::string s = "one of ";
  bool first = true;
  for (E e : EnumChoices<E>::values) {
    if (!first) s += ", ";
    s += to_string(e);
    first = false;
  }
  s += EnumChoices<E>::hint;
  return s;
}
template <class E>
std::optional<E> parse_enum(std::string_view text) {
  for (E e : EnumChoices<E>::values)
    if (to_string(e) == text) return e;
  return std::nullopt;
}
template <class E>
bool enum_allowed(E value) {
  for (E e : EnumChoices<E>::values)
    if (e == value) return true;
  return false;
}

std::string describe(const IntSpec& s);
std::string describe(const SeedSpec& s);
std::string describe(const DecSpec& s);
std::string describe(const TextSpec& s);
std::string describe(const BoolSpec& s);
std::string describe(const SymbolSpec& s);
std::string describe(const BalancesSpec& s);
std::string describe(const ParamsSpec& s);
std::string describe(const CommandSpec& s);
std::string describe(const InstrumentRefsSpec& s);

bool in_range(std::int64_t v, const IntSpec& s);
bool in_range(std::int64_t raw, const DecSpec& s);
bool text_ok(std::string_view v, TextKind kind);
bool asset_name_ok(std::string_view asset);  // upper-case letters and digits, 1..15 characters

// "\"text\"" with quotes and control characters escaped: how errors show a bad value.
std::string quote(std::string_view text);

// ---- The table ----

template <class V, class C>
void visit_venue(V& v, C& c) {
  v.field("enabled", c.enabled, BoolSpec{});
  v.field("environment", c.environment, EnumSpec{});
  v.field("rest_url", c.rest_url, TextSpec{TextKind::OptRestUrl});
  v.field("ws_url", c.ws_url, TextSpec{TextKind::OptWsUrl});
  v.field("ws_private_url", c.ws_private_url, TextSpec{TextKind::OptWsUrl});
  v.field("futures_rest_url", c.futures_rest_url, TextSpec{TextKind::OptRestUrl});
  v.field("futures_ws_url", c.futures_ws_url, TextSpec{TextKind::OptWsUrl});
  v.field("recv_window_ms", c.recv_window_ms, IntSpec{1, 60'000});  // Binance's maximum
  v.field("http_timeout_ms", c.http_timeout_ms, IntSpec{100, 600'000});
  v.field("ws_connect_timeout_ms", c.ws_connect_timeout_ms, IntSpec{100, 600'000});
  v.field("dead_man_switch", c.dead_man_switch, BoolSpec{});
  // OKX cancel-all-after takes 10..120 s; Bybit's disconnect-cancel window fits inside that too.
  v.field("dead_man_switch_timeout_s", c.dead_man_switch_timeout_s, IntSpec{10, 120});
}

template <class V, class C>
void visit_instrument(V& v, C& c) {
  v.field("venue", c.id.venue, EnumSpec{}, /*required=*/true);
  v.field("market", c.id.kind, EnumSpec{}, /*required=*/true);
  v.field("symbol", c.id.symbol, SymbolSpec{}, /*required=*/true);
  // Fee rates are fractions (0.001 = 0.1%); a maker rebate is negative. The bounds catch "0.1 meaning 0.1%".
  v.field("maker_fee", c.maker_fee, dec_closed(-units(1) / 100, units(1) / 100));
  v.field("taker_fee", c.taker_fee, dec_closed(0, units(1) / 100));
  v.field("slippage_bps", c.slippage_bps, dec_closed(0, units(10'000)));
  v.field("leverage", c.leverage, IntSpec{1, 125});
}

template <class V, class C>
void visit_strategy(V& v, C& c) {
  v.field("name", c.name, TextSpec{TextKind::NonEmpty}, /*required=*/true);
  v.field("type", c.type, TextSpec{TextKind::Any});
  v.field("command", c.command, CommandSpec{});
  v.field("instruments", c.instruments, InstrumentRefsSpec{});
  v.field("params", c.params, ParamsSpec{});
  v.field("enabled", c.enabled, BoolSpec{});
}

template <class V, class C>
void visit_config(V& v, C& c) {
  v.field("mode", c.mode, EnumSpec{});
  v.field("state_dir", c.state_dir, TextSpec{TextKind::NonEmpty});
  v.section("log", [&] {
    v.field("level", c.log.level, TextSpec{TextKind::LogLevel});
    v.field("format", c.log.format, EnumSpec{});
  });
  v.section("metrics", [&] { v.field("listen", c.metrics.listen, TextSpec{TextKind::HostPort}); });
  v.section("api", [&] {
    v.field("listen", c.api.listen, TextSpec{TextKind::HostPort});
    v.field("max_body_bytes", c.api.max_body_bytes, IntSpec{1024, 64 * 1024 * 1024});
    v.field("request_timeout_ms", c.api.request_timeout_ms, IntSpec{100, 600'000});
    v.field("max_connections", c.api.max_connections, IntSpec{1, 10'000});
  });
  v.section("tls", [&] { v.field("ca_file", c.tls.ca_file, TextSpec{TextKind::Any}); });
  v.section("venues", [&] {
    v.section("binance", [&] { visit_venue(v, c.venues.binance); });
    v.section("bybit", [&] { visit_venue(v, c.venues.bybit); });
    v.section("okx", [&] { visit_venue(v, c.venues.okx); });
  });
  v.list("instruments", c.instruments, [&](auto& item) { visit_instrument(v, item); });
  v.section("market_data", [&] {
    auto& m = c.market_data;
    v.field("stale_after_ms", m.stale_after_ms, IntSpec{100, 3'600'000});
    v.field("book_depth", m.book_depth, IntSpec{1, 5'000});
    v.field("record_dir", m.record_dir, TextSpec{TextKind::Any});
    v.field("reconnect_initial_ms", m.reconnect_initial_ms, IntSpec{1, 3'600'000});
    v.field("reconnect_max_ms", m.reconnect_max_ms, IntSpec{1, 3'600'000});
    v.field("instrument_cache_dir", m.instrument_cache_dir, TextSpec{TextKind::Any});
  });
  v.section("risk", [&] {
    auto& r = c.risk;
    v.field("max_open_positions", r.max_open_positions, IntSpec{1, 100'000});
    v.field("max_order_notional", r.max_order_notional, dec_positive());
    v.field("max_position_notional", r.max_position_notional, dec_positive());
    v.field("max_position_pct_equity", r.max_position_pct_equity, dec_up_to(units(10'000)));
    v.field("max_gross_exposure", r.max_gross_exposure, dec_positive());
    v.field("max_leverage", r.max_leverage, dec_closed(units(1) / 100, units(125)));
    v.field("max_orders_per_second", r.max_orders_per_second, IntSpec{1, 100'000});
    v.field("max_orders_per_day", r.max_orders_per_day, IntSpec{1, 100'000'000});
    v.field("max_orders_per_second_total", r.max_orders_per_second_total, IntSpec{0, 100'000});
    v.field("max_orders_per_day_total", r.max_orders_per_day_total, IntSpec{0, 100'000'000});
    v.field("price_band_pct", r.price_band_pct, dec_up_to(units(100)));
    v.field("max_drawdown_pct", r.max_drawdown_pct, dec_up_to(units(100)));
    v.field("daily_loss_limit_pct", r.daily_loss_limit_pct, dec_up_to(units(100)));
    v.field("max_consecutive_rejects", r.max_consecutive_rejects, IntSpec{1, 1'000'000});
    v.field("stale_market_data_s", r.stale_market_data_s, IntSpec{1, 86'400});
    v.field("venue_disconnect_s", r.venue_disconnect_s, IntSpec{1, 86'400});
    v.field("breaker_cooldown_s", r.breaker_cooldown_s, IntSpec{0, 7 * 86'400});
    v.field("breaker_auto_rearm", r.breaker_auto_rearm, BoolSpec{});
    v.field("cancel_orders_on_trip", r.cancel_orders_on_trip, BoolSpec{});
    v.field("flatten_on_trip", r.flatten_on_trip, BoolSpec{});
    v.field("emergency_flatten_timeout_s", r.emergency_flatten_timeout_s, IntSpec{1, 3'600});
    v.field("emergency_cancel_wait_ms", r.emergency_cancel_wait_ms, IntSpec{0, 600'000});
    v.field("emergency_retry_interval_ms", r.emergency_retry_interval_ms, IntSpec{10, 60'000});
    v.field("maintenance_margin_pct", r.maintenance_margin_pct, dec_up_to(units(100)));
    v.section("sizing", [&] {
      auto& s = r.sizing;
      v.field("method", s.method, EnumSpec{});
      v.field("quantity", s.quantity, dec_non_negative());
      v.field("notional", s.notional, dec_positive());
      v.field("equity_pct", s.equity_pct, dec_up_to(units(100)));
      v.field("risk_pct", s.risk_pct, dec_up_to(units(100)));
      v.field("volatility_target_pct", s.volatility_target_pct, dec_up_to(units(100)));
    });
  });
  v.section("execution", [&] {
    auto& e = c.execution;
    v.field("ack_timeout_ms", e.ack_timeout_ms, IntSpec{100, 600'000});
    v.field("stale_order_s", e.stale_order_s, IntSpec{1, 365 * 86'400});
    v.field("journal_commit_interval_ms", e.journal_commit_interval_ms, IntSpec{0, 1'000});
    v.field("cancel_unknown_venue_orders", e.cancel_unknown_venue_orders, BoolSpec{});
    v.field("unit_price_source", e.unit_price_source, TextSpec{TextKind::PriceSource});
  });
  v.section("paper", [&] {
    auto& p = c.paper;
    v.field("starting_balances", p.starting_balances, BalancesSpec{});
    v.field("order_latency_ms", p.order_latency_ms, IntSpec{0, 60'000});
    v.field("market_data_latency_ms", p.market_data_latency_ms, IntSpec{0, 60'000});
    v.field("latency_jitter_ms", p.latency_jitter_ms, IntSpec{0, 60'000});
    v.field("seed", p.seed, SeedSpec{});
    v.field("fill_on_touch", p.fill_on_touch, BoolSpec{});
    v.field("queue_cancel_share", p.queue_cancel_share, dec_closed(0, units(1)));
    v.field("slippage_model", p.slippage_model, EnumSpec{});
    v.field("slippage_bps", p.slippage_bps, dec_closed(0, units(10'000)));
    v.field("slippage_absolute", p.slippage_absolute, dec_non_negative());
    v.field("candle_volume_participation_pct", p.candle_volume_participation_pct, dec_up_to(units(100)));
    v.field("binance_fee_in_received_asset", p.binance_fee_in_received_asset, BoolSpec{});
  });
  v.list("strategies", c.strategies, [&](auto& item) { visit_strategy(v, item); });
  v.section("backtest", [&] {
    v.field("starting_balances", c.backtest.starting_balances, BalancesSpec{});
    v.field("seed", c.backtest.seed, SeedSpec{});
    v.field("default_symbol", c.backtest.default_symbol, TextSpec{TextKind::Any});
    v.field("history_cache_dir", c.backtest.history_cache_dir, TextSpec{TextKind::Any});
    v.field("max_sweep_points", c.backtest.max_sweep_points, IntSpec{1, 1'000'000});
  });
}

// Every key path of the schema, in table order: "risk.max_drawdown_pct", "instruments[].symbol".
std::vector<std::string> key_paths();

}  // namespace tradingd::config::schema
