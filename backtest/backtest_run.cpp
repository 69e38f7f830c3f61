// run_backtest: configuration → node → events → results (see backtest_run.h).
#include "backtest/backtest_run.h"

#include <algorithm>
#include <charconv>

#include "execution/sim/sim_config.h"

namespace tradingd::backtest {
namespace {

const config::InstrumentConfig* find_config(const config::Config& cfg, const InstrumentId& id) {
  for (const auto& ic : cfg.instruments)
    if (ic.id == id) return &ic;
  return nullptr;
}

// Bars by their open time (a bar opening before `to` is wholly inside [from, to) only if it closes by
// `to`, but the archive's files are cut by open time, and so is --to); everything else by its stamp.
bool in_range(const BacktestSpec& spec, const HistoricalEvent& ev) {
  const Bar* bar = std::get_if<Bar>(&ev.payload);
  const UnixNanos t = bar != nullptr ? bar->ts_open_ns : ev.ts_ns;
  return (!spec.from_ns || t >= *spec.from_ns) && (!spec.to_ns || t < *spec.to_ns);
}

}  // namespace

NodeDriverConfig backtest_driver_config(const BacktestSpec& spec, UnixNanos start_ns) {
  const config::Config& cfg = spec.config;
  NodeDriverConfig dc;
  dc.start_ns = start_ns;
  dc.instruments = spec.instruments;
  dc.source_kinds = spec.source_kinds;
  dc.node.risk = cfg.risk;
  dc.node.execution = cfg.execution;
  dc.node.snapshot_interval_s = 0;  // no state store in a backtest
  if (spec.bar_interval_s > 0 && dc.node.risk.stale_market_data_s > 0)
    dc.node.risk.stale_market_data_s = std::max(dc.node.risk.stale_market_data_s, 2 * spec.bar_interval_s);
  std::uint64_t venue_index = 0;
  for (Venue v : {Venue::Binance, Venue::Bybit, Venue::Okx}) {
    auto vc = sim::sim_config_from_paper(cfg.paper, v);
    vc.seed = spec.seed + venue_index++;
    vc.starting_balances.clear();
    // Each venue is its own account, funded with the backtest's starting balances.
    for (const auto& [asset, amount] : cfg.backtest.starting_balances) {
      if (auto a = Asset::make(asset)) vc.starting_balances.emplace_back(*a, amount);
    }
    // The results record every fill from the node (NodeDriver); the venue keeps only a recent window for
    // fills_since queries, as in paper mode, instead of a second copy of the run's fills.
    vc.fill_history_kept = 1'024;
    for (const Instrument& inst : spec.instruments) {
      if (inst.id.venue != v) continue;
      config::InstrumentConfig ic;
      ic.id = inst.id;
      if (const auto* found = find_config(cfg, inst.id)) ic = *found;
      vc.instruments.push_back(sim::sim_instrument_from_config(inst, ic));
    }
    if (!vc.instruments.empty()) dc.node.sim_venues.push_back(std::move(vc));
  }
  if (!cfg.backtest.starting_balances.empty()) dc.currency = cfg.backtest.starting_balances.begin()->first;
  if (cfg.backtest.starting_balances.contains("USDT")) dc.currency = "USDT";
  return dc;
}

Result<BacktestResults, std::string> run_backtest(const BacktestSpec& spec, EventCursor& events,
                                                  const StrategyAttacher& attach, const RunProgress& progress) {
  // The first event in range fixes the start; the node starts a little earlier so its start-up
  // (reconciliation round trips through the simulated latency) is over when the data begins.
  const HistoricalEvent* ev = nullptr;
  ReadStatus status;
  std::uint64_t read = 0;
  while ((status = events.next(ev)) == ReadStatus::Item && !in_range(spec, *ev)) ++read;
  if (status == ReadStatus::Error) return Err(events.error());
  if (status == ReadStatus::End) return Err(std::string("no data in the selected time range"));
  const auto& paper = spec.config.paper;
  const std::int64_t startup_ns =
      (4 * (paper.order_latency_ms + paper.latency_jitter_ms + paper.market_data_latency_ms) + 1'000) * kNanosPerMilli;
  NodeDriverConfig dc;
  if (const Bar* first = std::get_if<Bar>(&ev->payload); first != nullptr && spec.bar_interval_s == 0) {
    BacktestSpec with_interval = spec;
    with_interval.bar_interval_s = first->interval_s;
    dc = backtest_driver_config(with_interval, ev->ts_ns - startup_ns);
  } else {
    dc = backtest_driver_config(spec, ev->ts_ns - startup_ns);
  }
  dc.max_startup_ns = startup_ns;
  dc.expected_events = std::max(spec.expected_events, events.size_hint());
  NodeDriver driver(std::move(dc));
  std::unique_ptr<AttachedStrategies> strategies;
  if (attach) {
    auto attached = attach(driver, spec.config);
    if (!attached) return Err(attached.error());
    strategies = std::move(*attached);
  }
  if (auto started = driver.start(); !started) return Err(started.error());
  if (strategies) strategies->start();

  // One event read: false when the node failed on it.
  const auto take = [&](const HistoricalEvent& e) {
    ++read;
    if (!in_range(spec, e)) return true;
    driver.deliver(e);
    if (driver.error()) return false;
    if (progress.report && read % progress.every == 0) progress.report(read);
    return true;
  };
  if (!take(*ev)) return Err(*driver.error());
  if (const auto rest = events.take_rest()) {
    // Events in memory (a sweep's shared vector, the benchmarks): no virtual call per event.
    for (const HistoricalEvent& e : *rest)
      if (!take(e)) return Err(*driver.error());
  } else {
    while ((status = events.next(ev)) == ReadStatus::Item)
      if (!take(*ev)) return Err(*driver.error());
    if (status == ReadStatus::Error) return Err(events.error());
  }
  if (progress.report) progress.report(read);

  driver.finish();
  if (progress.delivered) *progress.delivered = driver.events();
  if (strategies) strategies->stop();
  BacktestResults results = driver.take_results();
  results.title = spec.title;
  results.parameters = spec.parameters;
  std::map<InstrumentId, Quantity> multipliers;
  for (const Instrument& i : spec.instruments) multipliers[i.id] = i.contract_multiplier;
  finalize_results(results, driver.funding_paid(), multipliers);
  return results;
}

Result<config::Config, std::string> apply_sweep_point(const config::Config& config, const SweepPoint& point) {
  config::Config out = config;
  bool any_enabled = false;
  for (const auto& s : out.strategies) any_enabled = any_enabled || s.enabled;
  if (!any_enabled) return Err(std::string("the configuration has no enabled strategy to sweep"));
  for (const auto& [name, value] : point) {
    const auto dot = name.find('.');
    bool targeted = false;
    if (dot != std::string::npos) {
      const std::string prefix = name.substr(0, dot);
      for (auto& s : out.strategies) {
        if (s.name != prefix) continue;
        s.params[name.substr(dot + 1)] = value;
        targeted = true;
      }
      if (targeted) continue;
    }
    for (auto& s : out.strategies)
      if (s.enabled) s.params[name] = value;
  }
  return out;
}

std::optional<UnixNanos> parse_time_arg(std::string_view text) {
  if (text.empty()) return std::nullopt;
  if (std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    std::int64_t ms = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), ms);
    if (ec != std::errc{} || end != text.data() + text.size() || text.size() > 15) return std::nullopt;
    return ms * kNanosPerMilli;
  }
  return parse_iso8601(text);
}

}  // namespace tradingd::backtest
