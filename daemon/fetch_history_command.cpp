// `tradingd fetch-history --venue V --symbol S --interval I --from T [--to T] [--market spot|linear_perp]
// [--cache DIR] [--config FILE]`: public klines into the history cache (history_download.h), a progress bar
// on a terminal, gaps reported; prints the series directory that `tradingd backtest --data` takes.
#include <array>
#include <iostream>

#include "backtest/backtest_run.h"
#include "backtest/interval.h"
#include "backtest/progress.h"
#include "config/load.h"
#include "daemon/commands.h"
#include "daemon/exit_codes.h"
#include "daemon/history_download.h"
#include "daemon/logging.h"
#include "exchange/binance/urls.h"
#include "exchange/bybit/urls.h"
#include "exchange/okx/urls.h"

namespace tradingd::daemon {
namespace {

namespace bt = tradingd::backtest;

int usage_error(const std::string& message) {
  std::cerr << "tradingd fetch-history: " << message << " (see tradingd fetch-history --help)\n";
  return kExitUsage;
}

// The venue's REST origin: the configured/overridden rest_url (TRADINGD_<VENUE>_REST_URL), else the
// environment's documented default (exchange/<venue>/urls.h), as the market-data clients choose it.
std::string rest_origin(const config::VenueConfig& v, Venue venue, MarketKind kind) {
  using config::VenueEnvironment;
  switch (venue) {
    case Venue::Binance: {
      if (kind == MarketKind::LinearPerp) {
        if (!v.futures_rest_url.empty()) return v.futures_rest_url;
        if (!v.rest_url.empty()) return v.rest_url;
        return std::string(v.environment == VenueEnvironment::Production ? binance::kUsdmProduction.rest
                                                                         : binance::kUsdmTestnet.rest);
      }
      if (!v.rest_url.empty()) return v.rest_url;
      return std::string(v.environment == VenueEnvironment::Testnet ? binance::kSpotTestnet.rest
                         : v.environment == VenueEnvironment::Demo  ? binance::kSpotDemo.rest
                                                                    : binance::kSpotProduction.rest);
    }
    case Venue::Bybit:
      if (!v.rest_url.empty()) return v.rest_url;
      return std::string(v.environment == VenueEnvironment::Testnet ? bybit::kTestnet.rest
                         : v.environment == VenueEnvironment::Demo  ? bybit::kDemo.rest
                                                                    : bybit::kProduction.rest);
    case Venue::Okx:
      if (!v.rest_url.empty()) return v.rest_url;
      return std::string(okx::kProduction.rest);  // the demo environment shares the REST host
    default:
      return {};
  }
}

}  // namespace

int fetch_history_command(Args args) {
  constexpr std::array<std::string_view, 8> kValued{"venue", "symbol", "interval", "from",
                                                    "to",    "market", "cache",    "config"};
  auto parsed = parse_args(args, kValued, "fetch-history");
  if (!parsed) {
    std::cerr << "tradingd: " << parsed.error() << '\n';
    return kExitUsage;
  }
  if (!parsed->positionals.empty()) return usage_error("unexpected argument " + parsed->positionals.front());
  const auto venue_text = parsed->get("venue");
  const auto symbol_text = parsed->get("symbol");
  const auto interval_text = parsed->get("interval");
  const auto from_text = parsed->get("from");
  if (!venue_text || !symbol_text || !interval_text || !from_text)
    return usage_error("--venue, --symbol, --interval and --from are required");
  const auto venue = parse_venue(*venue_text);
  if (!venue || *venue == Venue::Simulated)
    return usage_error("--venue must be binance, bybit or okx, not " + *venue_text);
  MarketKind kind = MarketKind::Spot;
  if (const auto m = parsed->get("market")) {
    const auto k = parse_market_kind(*m);
    if (!k) return usage_error("--market must be spot or linear_perp, not " + *m);
    kind = *k;
  }
  const auto symbol = Symbol::make(*symbol_text);
  if (!symbol || symbol_text->empty()) return usage_error("--symbol " + *symbol_text + " is not a valid symbol");
  const auto interval = bt::parse_interval(*interval_text);
  if (!interval)
    return usage_error("--interval " + *interval_text + ": expected one of 1s 1m 3m 5m 15m 30m 1h 2h 4h 6h 8h 12h 1d 3d 1w");

  RealClock clock;
  const auto from = bt::parse_time_arg(*from_text);
  if (!from) return usage_error("--from " + *from_text + ": expected a UTC date (2024-01-31), date-time or epoch ms");
  UnixNanos to = clock.now_ns();
  if (const auto t = parsed->get("to")) {
    const auto v = bt::parse_time_arg(*t);
    if (!v) return usage_error("--to " + *t + ": expected a UTC date (2024-01-31), date-time or epoch ms");
    to = *v;
  }
  if (*from >= to) return usage_error("--from must be before --to");

  auto cfg = config::load_effective_config(parsed->get("config"), config::process_env());
  if (!cfg) {
    std::cerr << "tradingd fetch-history: invalid configuration:\n";
    for (const auto& e : cfg.error()) std::cerr << "  " << e.to_string() << '\n';
    return kExitUsage;
  }
  init_logging(cfg->log.format, parse_log_level(cfg->log.level).value_or(spdlog::level::info));

  HistoryDownloadOptions o;
  o.key = bt::CacheKey{InstrumentId{*venue, kind, *symbol}, *interval};
  o.from_ns = *from;
  o.to_ns = to;
  if (const auto c = parsed->get("cache")) {
    o.cache_dir = *c;
  } else if (!cfg->backtest.history_cache_dir.empty()) {
    o.cache_dir = cfg->backtest.history_cache_dir;
  } else {
    o.cache_dir = std::filesystem::path(cfg->state_dir) / "history";
  }
  o.rest_url = rest_origin(cfg->venues.get(*venue), *venue, kind);
  o.ca_file = cfg->tls.ca_file;

  // The total is known once the cache was consulted; the reporter (not movable) is built in place then.
  struct Progress {
    Progress(std::size_t total, const Clock& clock)
        : reporter(bt::ProgressReporter::to_stderr(total, "fetch-history", "requests", clock)) {}
    bt::ProgressReporter reporter;
  };
  std::optional<Progress> progress;
  auto report = download_history(o, clock, [&](std::size_t done, std::size_t total) {
    if (!progress) progress.emplace(total, clock);
    progress->reporter.set(done);
  });
  if (progress) progress->reporter.finish();
  if (!report) {
    std::cerr << "tradingd fetch-history: " << report.error() << '\n';
    return kExitRuntimeFailure;
  }
  const auto& r = *report;
  if (r.unfinished_days > 0)
    std::cerr << "tradingd fetch-history: " << r.unfinished_days
              << " day(s) not over yet were skipped (the cache keeps whole UTC days only)\n";
  const auto& g = r.gaps;
  constexpr std::size_t kMaxGapLines = 20;
  for (std::size_t i = 0; i < g.gaps.size() && i < kMaxGapLines; ++i)
    std::cerr << "Gap " << bt::describe(g.gaps[i], *interval) << '\n';
  if (g.gaps.size() > kMaxGapLines) std::cerr << "... and " << g.gaps.size() - kMaxGapLines << " more gaps\n";
  std::cout << "Fetch done venue=" << to_string(*venue) << " market=" << to_string(kind) << " symbol=" << *symbol_text
            << " interval=" << bt::interval_name(*interval) << " cached_days=" << r.cached_days
            << " fetched_days=" << r.fetched_days << " requests=" << r.requests << " bars_written=" << r.bars_written
            << " gaps=" << g.gaps.size() << " missing_bars=" << g.missing_bars << " duplicates=" << g.duplicates
            << "\nData: " << r.series_dir.string() << '\n';
  return kExitOk;
}

}  // namespace tradingd::daemon
