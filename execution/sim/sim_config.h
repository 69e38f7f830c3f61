// Configuration of the simulated venue: latency, queue, slippage, candle and fee settings plus the
// instruments it lists and the starting balances. Plain data with defaults; units in the names. Built from
// config::PaperConfig by sim_config_from_paper() for paper mode, or filled directly by backtests and tests.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "config/config.h"
#include "core/enums.h"
#include "core/fixed_point.h"
#include "core/instrument.h"

namespace tradingd::sim {

struct LatencyConfig {
  std::int64_t order_entry_ns = 0;   // us -> matching engine, one way (submit, cancel, cancel-all)
  std::int64_t response_ns = 0;      // matching engine -> us, one way (acks, fills, cancels)
  // Age of the market data the strategy decides on. The driver hands each market event to the strategy
  // and to the venue at the same simulated instant, so the venue adds this to every request's path: the
  // fill outcome is the same as delaying the strategy's feed (see simulated_venue.h).
  std::int64_t market_data_ns = 0;
  std::int64_t jitter_ns = 0;        // uniform [0, jitter_ns] added to each one-way leg, seeded
};

enum class SlippageKind : std::uint8_t {
  FixedBps,    // reference price × bps / 10 000
  Absolute,    // a fixed price offset
  Volatility,  // bps floor + max(spread × spread_multiplier, price × σ × volatility_multiplier)
};

struct SlippageConfig {
  SlippageKind kind = SlippageKind::FixedBps;
  Rate bps = Rate::from_units(1);
  Price absolute;
  double volatility_multiplier = 1.0;  // statistics only: σ is a double estimate, the result is rounded up
  double spread_multiplier = 0.5;      // 0.5: half the spread
  double volatility_ewma_lambda = 0.94;
};

// Which price triggers stop orders (Binance workingType CONTRACT_PRICE = last, MARK_PRICE = mark).
enum class StopTriggerSource : std::uint8_t { Last, Mark };

struct SimInstrumentConfig {
  Instrument instrument;             // rules: tick, step, minimums, contract multiplier, max leverage
  std::optional<Rate> maker_fee;     // unset: instrument's own rates if non-zero, else the venue base tier
  std::optional<Rate> taker_fee;
  std::optional<SlippageConfig> slippage;         // unset: SimVenueConfig::slippage
  std::optional<Rate> candle_participation_pct;   // unset: SimVenueConfig::candle_participation_pct
  int leverage = 1;                  // perpetuals: starting leverage
};

struct SimVenueConfig {
  Venue venue = Venue::Binance;      // what venue() reports; reject codes follow each instrument's venue
  LatencyConfig latency;
  std::uint64_t seed = 1;
  // Resting limits fill when the market touches their price, ignoring the queue (optimistic). Default:
  // the queue ahead must be consumed first and candles must trade through the price.
  bool fill_on_touch = false;
  // Share of the pro-rata part of a level's cancels (the part ahead of us) that advances our queue, 0..1.
  Rate queue_cancel_share = Rate::from_units(1);
  SlippageConfig slippage;
  Rate candle_participation_pct = Rate::from_units(10);  // percent of a candle's volume per candle
  bool binance_fee_in_received_asset = false;  // Binance spot buys pay the fee in the base asset received
  StopTriggerSource stop_trigger = StopTriggerSource::Last;
  std::vector<std::pair<Asset, Money>> starting_balances;
  std::vector<SimInstrumentConfig> instruments;
  std::size_t max_terminal_orders_kept = 100'000;  // older finished orders are forgotten (as venues do)
  // Fills kept for fills_since() and the fill log (0: all). Bounded so a paper daemon running for months
  // does not grow without limit; every fill still reaches the event sink.
  std::size_t fill_history_kept = 100'000;
  std::size_t snapshot_fill_history = 1'000;        // fills kept in a snapshot for fills_since()
};

// Paper mode: latency in ms becomes ns, the response leg equals the entry leg (a round trip is twice
// order_latency_ms), balances and queue/slippage settings carry over. Instruments are added by the caller
// (their rules come from the venue); their fee and slippage overrides from config::InstrumentConfig.
SimVenueConfig sim_config_from_paper(const config::PaperConfig& paper, Venue venue);
SimInstrumentConfig sim_instrument_from_config(const Instrument& instrument, const config::InstrumentConfig& cfg);

}  // namespace tradingd::sim
