// JSON shapes of the control API; see json_shapes.h. Ids of orders are JSON numbers (sequential, far below
// 2^53); every decimal is its exact canonical string.
#include "daemon/api/json_shapes.h"

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

namespace tradingd::daemon::api {
namespace json = boost::json;
namespace {

json::value opt(const std::optional<Price>& p) { return p ? json::value(p->to_string()) : json::value(nullptr); }
json::string_view sv(std::string_view s) { return {s.data(), s.size()}; }

void put_instrument(json::object& o, const InstrumentId& id) {
  o["venue"] = sv(to_string(id.venue));
  o["symbol"] = sv(id.symbol.view());
  o["market"] = sv(to_string(id.kind));
}

}  // namespace

json::object order_json(const Order& order) {
  const OrderSpec& s = order.spec();
  json::object o;
  o["id"] = order.id();
  o["client_order_id"] = sv(order.client_order_id().view());
  o["venue_order_id"] = order.venue_order_id().empty() ? json::value(nullptr) : json::value(sv(order.venue_order_id().view()));
  put_instrument(o, s.instrument);
  o["side"] = sv(to_string(s.side));
  o["type"] = sv(to_string(s.type));
  o["time_in_force"] = sv(to_string(s.time_in_force));
  o["quantity"] = s.quantity.to_string();
  o["price"] = opt(s.price);
  o["stop_price"] = opt(s.trigger_price);
  o["reduce_only"] = s.reduce_only;
  o["stop_loss"] = opt(s.stop_loss);
  o["take_profit"] = opt(s.take_profit);
  o["status"] = sv(to_string(order.status()));
  o["filled_quantity"] = order.filled_quantity().to_string();
  o["leaves_quantity"] = order.leaves_quantity().to_string();
  o["avg_price"] = opt(order.avg_price());
  json::array fees;
  for (const auto& f : order.fees()) fees.push_back(json::object{{"asset", sv(f.asset.view())}, {"amount", f.amount.to_string()}});
  o["fees"] = std::move(fees);
  o["strategy_id"] = sv(s.strategy_id.view());
  o["tag"] = sv(s.tag.view());
  o["role"] = sv(to_string(s.role));
  o["created_ns"] = order.ts_init_ns();
  o["updated_ns"] = order.ts_last_ns();
  return o;
}

json::object fill_json(const Order& order, const Fill& fill) {
  json::object o;
  o["order_id"] = order.id();
  o["client_order_id"] = sv(order.client_order_id().view());
  put_instrument(o, order.instrument());
  o["side"] = sv(to_string(order.side()));
  o["trade_id"] = sv(fill.trade_id.view());
  o["quantity"] = fill.quantity.to_string();
  o["price"] = fill.price.to_string();
  o["fee"] = fill.fee.to_string();
  o["fee_asset"] = sv(fill.fee_asset.view());
  o["liquidity"] = sv(to_string(fill.liquidity));
  o["ts_event_ns"] = fill.ts_event_ns;
  return o;
}

json::object position_json(const PositionSnapshot& p) {
  json::object o;
  put_instrument(o, p.instrument);
  o["quantity"] = p.quantity.to_string();
  o["average_entry_price"] = opt(p.average_entry);
  o["mark_price"] = opt(p.mark);
  o["notional"] = p.notional.to_string();
  o["unrealized_pnl"] = p.unrealized_pnl.to_string();
  o["realized_pnl"] = p.realized_pnl.to_string();
  o["fees"] = p.fees.to_string();
  o["funding"] = p.funding.to_string();
  o["net_pnl"] = p.net_pnl.to_string();
  o["leverage"] = p.leverage;
  o["initial_margin"] = p.initial_margin.to_string();
  o["maintenance_margin"] = p.maintenance_margin.to_string();
  o["liquidation_price"] = opt(p.liquidation_price);
  o["fills"] = p.fills;
  o["round_trips"] = p.round_trips;
  o["wins"] = p.wins;
  o["losses"] = p.losses;
  return o;
}

json::object portfolio_json(const PortfolioSnapshot& s) {
  const PortfolioFigures& f = s.figures;
  json::object o;
  o["valid"] = f.valid;
  o["ts_ns"] = f.ts_ns;
  o["equity"] = f.equity.to_string();
  o["cash"] = f.cash.to_string();
  o["realized_pnl"] = f.realized_pnl.to_string();
  o["unrealized_pnl"] = f.unrealized_pnl.to_string();
  o["fees"] = f.fees.to_string();
  o["funding"] = f.funding.to_string();
  o["gross_exposure"] = f.gross_exposure.to_string();
  o["net_exposure"] = f.net_exposure.to_string();
  o["leverage"] = f.leverage.to_string();
  o["peak_equity"] = f.peak_equity.to_string();
  o["drawdown"] = f.drawdown.to_string();
  o["drawdown_pct"] = f.drawdown_pct.to_string();
  o["day_start_ns"] = f.day_start_ns;
  o["day_start_equity"] = f.day_start_equity.to_string();
  o["daily_pnl"] = f.daily_pnl.to_string();
  o["daily_pnl_pct"] = f.daily_pnl_pct.to_string();
  o["fills"] = f.fills;
  o["round_trips"] = f.round_trips;
  o["wins"] = f.wins;
  o["losses"] = f.losses;
  o["open_positions"] = f.open_positions;
  json::array balances;
  for (const auto& b : s.balances)
    balances.push_back(json::object{{"venue", sv(to_string(b.venue))}, {"asset", sv(b.asset.view())}, {"amount", b.amount.to_string()}});
  o["balances"] = std::move(balances);
  return o;
}

json::object breaker_json(const CircuitBreaker& breaker) {
  const BreakerState& st = breaker.state();
  json::object o;
  o["tripped"] = st.tripped;
  o["reason"] = st.tripped ? json::value(sv(to_string(st.reason))) : json::value(nullptr);
  o["detail"] = st.detail;
  o["tripped_at_ns"] = st.tripped_at_ns;
  o["cooldown_ends_ns"] = st.tripped ? json::value(breaker.cooldown_ends_ns()) : json::value(nullptr);
  o["rearmed_at_ns"] = st.rearmed_at_ns;
  o["consecutive_rejects"] = st.consecutive_rejects;
  o["trips_total"] = st.trips_total;
  return o;
}

json::object risk_json(const TradingNode& node) {
  const RiskSnapshot r = node.risk().snapshot();
  json::object o;
  o["trading_state"] = sv(to_string(r.state));
  o["halt_reason"] = r.halt_reason;
  o["breaker"] = breaker_json(node.risk().breaker());
  o["emergency_stop_running"] = node.emergency_stop_running();
  o["checks"] = r.counters.checks;
  o["allowed"] = r.counters.allowed;
  json::object denied;
  for (std::size_t i = 0; i < kRiskDenyReasonCount; ++i)
    if (r.counters.denied[i] > 0) denied[sv(to_string(static_cast<RiskDenyReason>(i)))] = r.counters.denied[i];
  o["denied"] = std::move(denied);
  json::object trips;
  for (std::size_t i = 0; i < kTripReasonCount; ++i)
    if (r.trips_by_reason[i] > 0) trips[sv(to_string(static_cast<TripReason>(i)))] = r.trips_by_reason[i];
  o["trips_by_reason"] = std::move(trips);
  json::array blocks;
  for (const auto& [id, b] : r.blocks)
    blocks.push_back(json::object{{"instrument", id.to_string()}, {"reason", b.reason}, {"since_ns", b.since_ns},
                                  {"acknowledged", b.acknowledged}});
  o["blocked_instruments"] = std::move(blocks);
  o["orders_today"] = r.orders_today_total;
  return o;
}

json::object error_json(std::string_view code, std::string_view detail) {
  return json::object{{"error", sv(code)}, {"detail", sv(detail)}};
}

std::string to_text(const json::object& o) { return json::serialize(o); }

}  // namespace tradingd::daemon::api
