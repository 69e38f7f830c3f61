// Mapping from the daemon's PaperConfig/InstrumentConfig onto the simulated venue's configuration.
#include "execution/sim/sim_config.h"

#include "core/clock.h"

namespace tradingd::sim {

SimVenueConfig sim_config_from_paper(const config::PaperConfig& paper, Venue venue) {
  SimVenueConfig c;
  c.venue = venue;
  c.latency.order_entry_ns = paper.order_latency_ms * kNanosPerMilli;
  c.latency.response_ns = paper.order_latency_ms * kNanosPerMilli;
  c.latency.market_data_ns = paper.market_data_latency_ms * kNanosPerMilli;
  c.latency.jitter_ns = paper.latency_jitter_ms * kNanosPerMilli;
  c.seed = paper.seed;
  c.fill_on_touch = paper.fill_on_touch;
  c.queue_cancel_share = paper.queue_cancel_share;
  switch (paper.slippage_model) {
    case config::SlippageModel::FixedBps: c.slippage.kind = SlippageKind::FixedBps; break;
    case config::SlippageModel::Absolute: c.slippage.kind = SlippageKind::Absolute; break;
    case config::SlippageModel::Volatility: c.slippage.kind = SlippageKind::Volatility; break;
  }
  c.slippage.bps = paper.slippage_bps;
  c.slippage.absolute = paper.slippage_absolute;
  c.candle_participation_pct = paper.candle_volume_participation_pct;
  c.binance_fee_in_received_asset = paper.binance_fee_in_received_asset;
  for (const auto& [asset, amount] : paper.starting_balances) {
    if (auto a = Asset::make(asset)) c.starting_balances.emplace_back(*a, amount);
  }
  return c;
}

SimInstrumentConfig sim_instrument_from_config(const Instrument& instrument, const config::InstrumentConfig& cfg) {
  SimInstrumentConfig s;
  s.instrument = instrument;
  s.maker_fee = cfg.maker_fee;
  s.taker_fee = cfg.taker_fee;
  if (cfg.slippage_bps) {
    SlippageConfig slip;
    slip.kind = SlippageKind::FixedBps;
    slip.bps = *cfg.slippage_bps;
    s.slippage = slip;
  }
  s.leverage = cfg.leverage;
  return s;
}

}  // namespace tradingd::sim
