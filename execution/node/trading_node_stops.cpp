// TradingNode's protective stops (issue 5): a signal's stop_loss/take_profit go to the venue attached to
// the order where it has native SL/TP (OrderRequest::stop_loss/take_profit, the venue then owns them);
// elsewhere they are armed here, in ProtectiveStops, when the entry fills, and follow the position:
// resized on a partial close, dropped when it closes or flips, replaced by a later entry's SL/TP. The
// node's market data is the local trigger: a crossed leg becomes a reduce-only market order, created
// and journaled through the OrderManager like every order. Identical with the simulated venue (paper,
// backtest) and a live one. Rebuilt on restart by replaying the journaled fills through the same code.
#include <spdlog/spdlog.h>

#include "execution/node/trading_node.h"

namespace tradingd {

void TradingNode::stops_after_fill(const Order& order, Price fill_price) {
  const InstrumentId& id = order.instrument();
  const Position* p = tracker_.find(id);
  const Quantity position = p != nullptr ? p->quantity() : Quantity{};
  const OrderSpec& spec = order.spec();
  const bool replaying = state_ == NodeState::Created;  // start(): journaled fills, logged and counted before
  const bool arms = spec.role == OrderRole::Entry && !spec.reduce_only && (spec.stop_loss || spec.take_profit) &&
                    !manager_.capabilities(id.venue).native_sl_tp;
  if (arms) {
    auto set = stops_.set(id, position, fill_price, spec.stop_loss, spec.take_profit);
    if (set) {
      if (!replaying) ++stats_.protective_stops_set;
      if (!replaying)
        spdlog::info("Protective stops armed instrument={} position={} stop_loss={} take_profit={} order_id={}",
                     id.to_string(), position.to_string(), spec.stop_loss ? spec.stop_loss->to_string() : "-",
                     spec.take_profit ? spec.take_profit->to_string() : "-", order.id());
      return;
    }
    // The fill moved the position to where the entry's levels make no sense (e.g. a partial reduction):
    // the previous stops keep following the position.
    if (!replaying) ++stats_.protective_stop_errors;
    spdlog::error("Protective stops not armed instrument={} position={} fill_price={} error={} order_id={}",
                  id.to_string(), position.to_string(), fill_price.to_string(), to_string(set.error()), order.id());
  }
  for (const StopAction& a : stops_.on_position(id, position)) {
    if (a.kind == StopAction::Kind::Cancel && !replaying)
      spdlog::info("Protective stop dropped with the position instrument={} stop={} position={}", id.to_string(),
                   to_string(a.stop), position.to_string());
  }
}

void TradingNode::stops_on_price(const InstrumentId& instrument) {
  if (stops_.all().empty()) return;  // the common case costs one branch per market event
  if (const auto price = tracker_.prices().reference(instrument)) stops_check(instrument, *price);
}

void TradingNode::stops_on_bar(const Bar& bar) {
  if (stops_.all().empty() || !bar.closed) return;
  const ProtectiveStop* s = stops_.find(bar.instrument);
  if (s == nullptr) return;
  // Candles hide the path inside the bar: a touched stop must not be missed because the close recovered.
  const bool is_long = s->position_side == Side::Buy;
  stops_check(bar.instrument, is_long ? bar.low : bar.high);
  if (stops_.find(bar.instrument) != nullptr) stops_check(bar.instrument, is_long ? bar.high : bar.low);
}

void TradingNode::stops_check(const InstrumentId& instrument, Price observed) {
  const auto trigger = stops_.on_price(instrument, observed);
  if (!trigger) return;
  // Like the emergency flatten, the exit bypasses the risk gate: nothing may stand between a position and
  // its stop. Reduce-only: the venue never lets it open a position.
  OrderSpec spec;
  spec.instrument = instrument;
  spec.side = trigger->exit_side;
  spec.type = OrderType::Market;
  spec.time_in_force = TimeInForce::Gtc;
  spec.quantity = trigger->quantity;
  spec.reduce_only = true;
  spec.reference_price = observed;
  spec.role = trigger->stop == StopKind::StopLoss ? OrderRole::StopLoss : OrderRole::TakeProfit;
  spec.strategy_id = StrategyId::from("protective");
  auto id = manager_.create(spec);
  Result<OrderId, OrderError> sent = id ? manager_.submit(*id) : Result<OrderId, OrderError>(Err{id.error()});
  if (!sent) {
    ++stats_.protective_exit_failures;
    spdlog::error("Protective exit not sent instrument={} stop={} trigger={} quantity={} error=\"{}\"",
                  instrument.to_string(), to_string(trigger->stop), trigger->trigger_price.to_string(),
                  trigger->quantity.to_string(), sent.error().detail);
    return;
  }
  ++stats_.protective_exits;
  spdlog::warn("Protective stop triggered instrument={} stop={} trigger={} price={} quantity={} order_id={}",
               instrument.to_string(), to_string(trigger->stop), trigger->trigger_price.to_string(), observed.to_string(),
               trigger->quantity.to_string(), *sent);
}

}  // namespace tradingd
