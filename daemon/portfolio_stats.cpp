// PortfolioStats: every series is created up front so dashboards see zeros, not gaps.
#include "daemon/portfolio_stats.h"

#include <string>

namespace tradingd::daemon {
namespace {

std::string instrument_label(const InstrumentId& id) {
  return std::string(to_string(id.kind)) + ":" + std::string(id.symbol.view());
}

prometheus::Gauge& single(prometheus::Registry& r, const char* name, const char* help) {
  return prometheus::BuildGauge().Name(name).Help(help).Register(r).Add({});
}

void add_delta(prometheus::Counter& c, std::uint64_t now, std::uint64_t& seen) {
  if (now > seen) c.Increment(static_cast<double>(now - seen));
  seen = now;
}

}  // namespace

PortfolioStats::PortfolioStats(prometheus::Registry& r, const std::vector<Venue>& venues,
                               const std::vector<InstrumentId>& instruments)
    : cash_(single(r, "tradingd_cash", "Balances held in the valuation asset (USDT).")),
      unrealized_(single(r, "tradingd_unrealized_pnl", "Unrealized PnL summed over positions, valuation asset.")),
      fees_(single(r, "tradingd_fees", "Fees paid summed over positions (negative: rebates), valuation asset.")),
      funding_(single(r, "tradingd_funding", "Funding paid summed over positions (negative: received).")),
      gross_(single(r, "tradingd_gross_exposure", "Sum of |position value at mark|, valuation asset.")),
      net_(single(r, "tradingd_net_exposure", "Sum of signed position values at mark, valuation asset.")),
      leverage_(single(r, "tradingd_leverage_ratio", "Gross exposure / equity.")),
      peak_(single(r, "tradingd_peak_equity", "Highest equity seen (drawdown reference), valuation asset.")),
      daily_pnl_(single(r, "tradingd_daily_pnl", "Equity change since the UTC day began, valuation asset.")),
      trades_(single(r, "tradingd_round_trips", "Closed round trips (flat to flat) since the journal began.")),
      wins_(single(r, "tradingd_round_trips_won", "Closed round trips with positive net PnL.")),
      losses_(single(r, "tradingd_round_trips_lost", "Closed round trips with negative net PnL.")),
      open_positions_(single(r, "tradingd_open_positions", "Instruments with a non-zero position.")),
      figures_valid_(single(r, "tradingd_portfolio_figures_valid",
                            "1 while the portfolio figures are computable (0: before the first update or after an "
                            "overflow; equity-based limits deny).")),
      stops_armed_(single(r, "tradingd_protective_stops_armed",
                          "Instruments whose stop-loss/take-profit the node triggers locally.")),
      exits_(prometheus::BuildCounter()
                 .Name("tradingd_protective_exits_total")
                 .Help("Local stop-loss/take-profit triggers, by outcome (sent: the reduce-only exit went out).")
                 .Register(r)),
      exits_sent_(exits_.Add({{"outcome", "sent"}})),
      exits_failed_(exits_.Add({{"outcome", "failed"}})),
      mismatches_(prometheus::BuildCounter()
                      .Name("tradingd_account_mismatches_total")
                      .Help("Position/balance disagreements between the venue's account and the journal.")
                      .Register(r)
                      .Add({})),
      acknowledged_(prometheus::BuildCounter()
                        .Name("tradingd_account_mismatches_acknowledged_total")
                        .Help("Mismatches an operator acknowledged (the instrument trades again).")
                        .Register(r)
                        .Add({})) {
  auto gauge = [&r](const char* name, const char* help) -> prometheus::Family<prometheus::Gauge>& {
    return prometheus::BuildGauge().Name(name).Help(help).Register(r);
  };
  auto counter = [&r](const char* name, const char* help) -> prometheus::Family<prometheus::Counter>& {
    return prometheus::BuildCounter().Name(name).Help(help).Register(r);
  };
  auto& avg = gauge("tradingd_position_avg_entry_price", "Average entry price (0 when flat).");
  auto& notional = gauge("tradingd_position_notional", "|position value at mark|, quote asset.");
  auto& upnl = gauge("tradingd_position_unrealized_pnl", "Unrealized PnL at the configured mark, quote asset.");
  auto& rpnl = gauge("tradingd_position_realized_pnl", "Realized PnL gross of fees, quote asset.");
  auto& fees = gauge("tradingd_position_fees", "Fees paid on the instrument, quote asset.");
  auto& funding = gauge("tradingd_position_funding", "Funding paid on the instrument (negative: received).");
  auto& lev = gauge("tradingd_position_leverage", "Configured leverage of the position.");
  auto& liq = gauge("tradingd_position_liquidation_price_estimate",
                    "Estimated liquidation price of a perpetual position (0 when none).");
  auto& blocked = gauge("tradingd_instrument_blocked",
                        "1 while reconciliation blocks the instrument (reduce-only orders still pass).");
  for (const auto& id : instruments) {
    const prometheus::Labels l{{"venue", std::string(to_string(id.venue))}, {"instrument", instrument_label(id)}};
    instruments_[id] = PerInstrument{&avg.Add(l),  &notional.Add(l), &upnl.Add(l), &rpnl.Add(l),   &fees.Add(l),
                                     &funding.Add(l), &lev.Add(l),   &liq.Add(l),  &blocked.Add(l)};
  }
  auto& ready = gauge("tradingd_venue_ready", "1 while the venue is reconciled and accepts signals.");
  auto& disconnects = counter("tradingd_venue_disconnects_total", "Private stream disconnects the node saw.");
  auto& recs = counter("tradingd_venue_reconciliations_total", "Finished venue reconciliations (start-up, reconnect).");
  auto& failures = counter("tradingd_venue_reconcile_failures_total", "Venue reconciliations that failed (retried).");
  auto& refused = counter("tradingd_signals_refused_venue_not_ready_total",
                          "Signals refused because their venue was disconnected or not reconciled.");
  for (Venue v : venues) {
    const prometheus::Labels l{{"venue", std::string(to_string(v))}};
    auto& pv = venues_[static_cast<std::size_t>(v) & 3];
    pv.ready = &ready.Add(l);
    pv.disconnects = &disconnects.Add(l);
    pv.reconciliations = &recs.Add(l);
    pv.reconcile_failures = &failures.Add(l);
    pv.refused = &refused.Add(l);
  }
  auto& reason = gauge("tradingd_circuit_breaker_reason", "1 for the reason the circuit breaker is tripped for.");
  for (std::size_t i = 1; i < kTripReasonCount; ++i)  // None is the absence of a trip
    breaker_reason_[i] = &reason.Add({{"reason", std::string(to_string(static_cast<TripReason>(i)))}});
}

void PortfolioStats::refresh(const TradingNode& node) {
  for (auto& [id, g] : instruments_) {
    const Position* p = node.tracker().find(id);
    g.blocked->Set(node.risk().blocks().is_blocked(id) ? 1 : 0);
    if (p == nullptr) continue;
    const auto entry = p->average_entry_price();
    const auto liq = p->is_perpetual() && !p->is_flat() ? p->liquidation_price() : std::nullopt;
    g.avg_entry->Set(entry && !p->is_flat() ? entry->to_double() : 0.0);
    g.notional->Set(p->notional().to_double());
    g.unrealized->Set(p->unrealized_pnl().to_double());
    g.realized->Set(p->realized_pnl().to_double());
    g.fees->Set(p->fees().to_double());
    g.funding->Set(p->funding().to_double());
    g.leverage->Set(p->params().leverage);
    g.liquidation->Set(liq ? liq->to_double() : 0.0);
  }
  const auto& f = node.portfolio().figures();
  figures_valid_.Set(f.valid ? 1 : 0);
  if (f.valid) {
    cash_.Set(f.cash.to_double());
    unrealized_.Set(f.unrealized_pnl.to_double());
    fees_.Set(f.fees.to_double());
    funding_.Set(f.funding.to_double());
    gross_.Set(f.gross_exposure.to_double());
    net_.Set(f.net_exposure.to_double());
    leverage_.Set(f.leverage.to_double());
    peak_.Set(f.peak_equity.to_double());
    daily_pnl_.Set(f.daily_pnl.to_double());
    trades_.Set(static_cast<double>(f.round_trips));
    wins_.Set(static_cast<double>(f.wins));
    losses_.Set(static_cast<double>(f.losses));
    open_positions_.Set(static_cast<double>(f.open_positions));
  }
  const auto& breaker = node.risk().breaker();
  const auto tripped_for = breaker.tripped() ? breaker.state().reason : TripReason::None;
  for (std::size_t i = 1; i < kTripReasonCount; ++i)
    breaker_reason_[i]->Set(static_cast<std::size_t>(tripped_for) == i ? 1 : 0);
  for (const auto& link : node.venue_links()) {
    auto& pv = venues_[static_cast<std::size_t>(link.venue) & 3];
    if (pv.ready == nullptr) continue;
    pv.ready->Set(node.venue_ready(link.venue) ? 1 : 0);
    add_delta(*pv.disconnects, link.disconnects, pv.seen_disconnects);
    add_delta(*pv.reconciliations, link.reconciliations, pv.seen_reconciliations);
    add_delta(*pv.reconcile_failures, link.reconcile_failures, pv.seen_failures);
    add_delta(*pv.refused, node.stats().signals_refused_venue[static_cast<std::size_t>(link.venue) & 3], pv.seen_refused);
  }
  stops_armed_.Set(static_cast<double>(node.protective_stops().all().size()));
  add_delta(exits_sent_, node.stats().protective_exits, seen_exits_sent_);
  add_delta(exits_failed_, node.stats().protective_exit_failures, seen_exits_failed_);
  add_delta(mismatches_, node.stats().account_mismatches, seen_mismatches_);
  add_delta(acknowledged_, node.stats().mismatches_acknowledged, seen_acknowledged_);
}

}  // namespace tradingd::daemon
