// Shared by the three venue modules: the venue's markets and their ticking (with the fault marks), the
// request-target parser, exact decimal formatting, and a top-N book view whose diffs feed depth-limited
// streams. Pure: time comes in as arguments.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"
#include "exchange/emulator/faults.h"
#include "exchange/emulator/account_options.h"
#include "exchange/emulator/market.h"
#include "exchange/emulator/venue.h"

namespace tradingd::emulator {

struct MarketOptions {
  std::uint64_t seed = 1;
  std::int64_t start_ms = 0;          // the market's "now" after warm-up
  int warmup_minutes = 60;            // history (trades, klines) simulated before start_ms, 1 tick per second
};

class VenueMarkets {
 public:
  VenueMarkets(Venue venue, const MarketOptions& opts);
  std::vector<MarketSim>& all() { return markets_; }
  const std::vector<MarketSim>& all() const { return markets_; }
  // nullptr when the venue lists no such instrument.
  const MarketSim* find(MarketKind kind, std::string_view symbol) const;
  int index_of(MarketKind kind, std::string_view symbol) const;  // -1 when absent
  // Advances every market and consumes one pending skip_seq / corrupt_checksum fault.
  VenueTick tick(std::int64_t now_ms, FaultState& faults);

 private:
  std::vector<MarketSim> markets_;
};

struct Query {
  std::string path;
  std::vector<std::pair<std::string, std::string>> params;  // percent-decoded, in order
  std::optional<std::string> get(std::string_view name) const;
};
// Parses "/path?a=1&b=2" (origin form); an error message when it is not a valid target.
Result<Query, std::string> parse_target(std::string_view target);
// A decimal integer, or nullopt.
std::optional<std::int64_t> parse_int(std::string_view text);

// Exactly `decimals` fraction digits when the value has no more than that (Binance's "60000.00000000").
std::string fmt(std::int64_t raw, int decimals);
template <class Tag>
std::string fmt(Fixed<Tag> v, int decimals) { return fmt(v.raw(), decimals); }
// Canonical form: no trailing zeros ("8477", "0.5").
template <class Tag>
std::string fmt_trim(Fixed<Tag> v) { return v.to_string(); }

// The top `depth` levels of a market as last published, and the net change since.
class DepthView {
 public:
  explicit DepthView(std::size_t depth) : depth_(depth) {}
  // Re-reads the market's top levels; returns the changes (qty 0: the level left the view).
  std::vector<LevelChange> refresh(const MarketSim& m);
  std::size_t depth() const { return depth_; }
  const std::vector<BookLevel>& bids() const { return bids_; }
  const std::vector<BookLevel>& asks() const { return asks_; }
  std::int64_t update_id = 0;  // the venue's per-view counter (Bybit u), +1 per published delta

 private:
  std::size_t depth_;
  std::vector<BookLevel> bids_, asks_;
};

// Milliseconds as a decimal string (Bybit, OKX send times as strings).
std::string ms_str(std::int64_t ms);

}  // namespace tradingd::emulator

namespace tradingd::emulator {

// Options every venue service takes (the server passes the command line's values).
struct ServiceOptions {
  MarketOptions market;
  std::int64_t binance_ping_interval_ms = 20'000;
  std::int64_t binance_pong_timeout_ms = 60'000;
  std::int64_t okx_idle_timeout_ms = 30'000;
  bool okx_checksum_zero = false;
  AccountOptions account;  // the trading side: one account per venue with these credentials and balances
};

// Bars of `interval_ms` (a multiple of one minute) aggregated from 1-minute bars, aligned to the interval.
std::vector<Kline> aggregate_klines(const std::vector<Kline>& minute_bars, std::int64_t interval_ms);
// Bars whose open time is within [start_ms, end_ms] (either may be absent), the last `limit` of them or,
// with only a start, the first `limit` from it (how the venues page).
std::vector<Kline> select_klines(const std::vector<Kline>& bars, std::optional<std::int64_t> start_ms,
                                 std::optional<std::int64_t> end_ms, std::size_t limit);

}  // namespace tradingd::emulator

namespace tradingd::emulator {

// Rolling 24-hour figures from the 1-minute bars (tickers on every venue).
struct Stats24h {
  Price open, high, low, last;
  Quantity volume;
  Money quote_volume;
  std::int64_t trade_count = 0;
  std::int64_t first_trade_id = -1;
  std::int64_t last_trade_id = -1;
  Price close_1h_ago;
};
Stats24h stats_24h(const MarketSim& m, std::int64_t now_ms);

}  // namespace tradingd::emulator
