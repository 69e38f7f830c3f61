// NodeStats: every series is created up front (venues, reasons and instruments are known at start), so
// rate()/increase() see the first event. Counter names are reserved by deploy/prometheus/alerts.yml.
#include "daemon/node_stats.h"

#include <string>

namespace tradingd::daemon {
namespace {

using prometheus::Histogram;

Histogram::BucketBoundaries latency_buckets() {
  return {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
}
Histogram::BucketBoundaries slippage_buckets() { return {-50, -20, -10, -5, -2, -1, 0, 1, 2, 5, 10, 20, 50, 100}; }
Histogram::BucketBoundaries estop_buckets() { return {0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60}; }

double to_seconds(std::int64_t ns) { return static_cast<double>(ns) / static_cast<double>(kNanosPerSecond); }

std::string instrument_label(const InstrumentId& id) {
  return std::string(to_string(id.kind)) + ":" + std::string(id.symbol.view());
}

}  // namespace

NodeStats::NodeStats(prometheus::Registry& r, const std::vector<Venue>& venues,
                     const std::vector<InstrumentId>& instruments)
    : orders_submitted_(prometheus::BuildCounter()
                            .Name("tradingd_orders_submitted_total")
                            .Help("Orders handed to a venue (after the journal made the intent durable), by venue.")
                            .Register(r)),
      order_rejects_(prometheus::BuildCounter()
                         .Name("tradingd_order_rejects_total")
                         .Help("Orders the venue rejected, by venue and reason.")
                         .Register(r)),
      risk_rejections_(prometheus::BuildCounter()
                           .Name("tradingd_risk_rejections_total")
                           .Help("Orders the pre-trade risk checks refused, by reason.")
                           .Register(r)),
      breaker_tripped_(prometheus::BuildGauge()
                           .Name("tradingd_circuit_breaker_tripped")
                           .Help("1 while the circuit breaker is tripped (only reduce-only orders pass).")
                           .Register(r)
                           .Add({})),
      open_orders_(prometheus::BuildGauge().Name("tradingd_open_orders").Help("Open orders, by venue.").Register(r)),
      position_quantity_(prometheus::BuildGauge()
                             .Name("tradingd_position_quantity")
                             .Help("Signed position (base units or contracts), by venue and instrument.")
                             .Register(r)),
      equity_(prometheus::BuildGauge()
                  .Name("tradingd_equity")
                  .Help("Account equity in the valuation asset (USDT).")
                  .Register(r)
                  .Add({})),
      drawdown_ratio_(prometheus::BuildGauge()
                          .Name("tradingd_drawdown_ratio")
                          .Help("Drawdown from peak equity as a ratio (0.1 = 10%).")
                          .Register(r)
                          .Add({})),
      realized_pnl_(prometheus::BuildGauge()
                        .Name("tradingd_realized_pnl")
                        .Help("Realized PnL summed over positions, gross of fees, in the valuation asset.")
                        .Register(r)
                        .Add({})),
      fills_(prometheus::BuildCounter()
                 .Name("tradingd_fills_total")
                 .Help("Fills applied to positions, by venue and liquidity side.")
                 .Register(r)),
      ack_latency_(prometheus::BuildHistogram()
                       .Name("tradingd_order_ack_latency_seconds")
                       .Help("Submit to venue acknowledgement, by venue.")
                       .Register(r)),
      fill_latency_(prometheus::BuildHistogram()
                        .Name("tradingd_order_first_fill_latency_seconds")
                        .Help("Submit to first fill, by venue.")
                        .Register(r)),
      slippage_(prometheus::BuildHistogram()
                    .Name("tradingd_order_slippage_bps")
                    .Help("Fill price against the signal's reference price in basis points (positive: worse).")
                    .Register(r)),
      emergency_stop_duration_(prometheus::BuildHistogram()
                                   .Name("tradingd_emergency_stop_duration_seconds")
                                   .Help("How long emergency stops took, from the request to flat (or timeout).")
                                   .Register(r)
                                   .Add({}, estop_buckets())),
      illegal_events_(prometheus::BuildCounter()
                          .Name("tradingd_illegal_order_events_total")
                          .Help("Order events the transition table refused (logged and ignored).")
                          .Register(r)
                          .Add({})),
      emergency_stops_(prometheus::BuildCounter()
                           .Name("tradingd_emergency_stops_total")
                           .Help("Finished emergency stops, by outcome (success: flat with no open orders).")
                           .Register(r)),
      emergency_stops_ok_(emergency_stops_.Add({{"outcome", "success"}})),
      emergency_stops_failed_(emergency_stops_.Add({{"outcome", "failure"}})),
      portfolio_(r, venues, instruments) {
  for (Venue v : venues) {
    const std::string name(to_string(v));
    auto& pv = venues_[static_cast<std::size_t>(v) & 3];
    pv.submitted = &orders_submitted_.Add({{"venue", name}});
    pv.open_orders = &open_orders_.Add({{"venue", name}});
    pv.ack_latency = &ack_latency_.Add({{"venue", name}}, latency_buckets());
    pv.fill_latency = &fill_latency_.Add({{"venue", name}}, latency_buckets());
    pv.slippage = &slippage_.Add({{"venue", name}}, slippage_buckets());
    pv.fills[0] = &fills_.Add({{"venue", name}, {"liquidity", "maker"}});
    pv.fills[1] = &fills_.Add({{"venue", name}, {"liquidity", "taker"}});
    for (std::size_t i = 0; i < kVenueErrorReasonCount; ++i) {
      pv.rejects[i] =
          &order_rejects_.Add({{"venue", name}, {"reason", std::string(to_string(static_cast<VenueErrorReason>(i)))}});
    }
  }
  for (std::size_t i = 0; i < kRiskDenyReasonCount; ++i) {
    risk_by_reason_[i] = &risk_rejections_.Add({{"reason", std::string(to_string(static_cast<RiskDenyReason>(i)))}});
  }
  for (const auto& id : instruments) {
    positions_[id] =
        &position_quantity_.Add({{"venue", std::string(to_string(id.venue))}, {"instrument", instrument_label(id)}});
  }
}

void NodeStats::add_delta(prometheus::Counter& c, std::uint64_t now, std::uint64_t& seen) {
  if (now > seen) c.Increment(static_cast<double>(now - seen));
  seen = now;
}

void NodeStats::refresh(const TradingNode& node) {
  const auto& s = node.stats();
  for (std::size_t v = 0; v < venues_.size(); ++v) {
    auto& pv = venues_[v];
    if (pv.submitted == nullptr) continue;
    add_delta(*pv.submitted, s.orders_sent[v], seen_sent_[v]);
    for (std::size_t l = 0; l < 2; ++l) add_delta(*pv.fills[l], s.fills[v][l], seen_fills_[v][l]);
    for (std::size_t i = 0; i < kVenueErrorReasonCount; ++i)
      add_delta(*pv.rejects[i], s.venue_rejects[v][i], seen_rejects_[v][i]);
    pv.open_orders->Set(0);
  }
  for (const Order* o : node.manager().open_orders()) {
    auto* g = venues_[static_cast<std::size_t>(o->instrument().venue) & 3].open_orders;
    if (g != nullptr) g->Increment();
  }
  const auto& risk = node.risk().counters();
  for (std::size_t i = 0; i < kRiskDenyReasonCount; ++i) add_delta(*risk_by_reason_[i], risk.denied[i], seen_risk_[i]);
  breaker_tripped_.Set(node.risk().breaker().tripped() ? 1 : 0);
  for (auto& [id, gauge] : positions_) {
    const Position* p = node.tracker().find(id);
    gauge->Set(p ? p->quantity().to_double() : 0.0);
  }
  const auto& f = node.portfolio().figures();
  if (f.valid) {
    equity_.Set(f.equity.to_double());
    drawdown_ratio_.Set(f.drawdown_pct.to_double() / 100.0);
    realized_pnl_.Set(f.realized_pnl.to_double());
  }
  add_delta(illegal_events_, node.manager().stats().illegal_total, seen_illegal_);
  portfolio_.refresh(node);
}

void NodeStats::on_emergency_stop(const EmergencyStopReport& report) {
  emergency_stop_duration_.Observe(to_seconds(report.finished_ns - report.started_ns));
  (report.success() ? emergency_stops_ok_ : emergency_stops_failed_).Increment();
}

void NodeStats::on_ack_latency(Venue venue, std::int64_t ns) {
  if (auto* h = venues_[static_cast<std::size_t>(venue) & 3].ack_latency) h->Observe(to_seconds(ns));
}
void NodeStats::on_first_fill_latency(Venue venue, std::int64_t ns) {
  if (auto* h = venues_[static_cast<std::size_t>(venue) & 3].fill_latency) h->Observe(to_seconds(ns));
}
void NodeStats::on_slippage_bps(Venue venue, Rate bps) {
  if (auto* h = venues_[static_cast<std::size_t>(venue) & 3].slippage) h->Observe(bps.to_double());
}

}  // namespace tradingd::daemon
