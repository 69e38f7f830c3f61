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
namespace {

constexpr std::string_view kStopsNs = "protective_stops";

// "v1;armed=<n>;sl=<price>;tp=<price>": the levels after an operator's change, valid while
// the instrument's stops are still the ones armed by its n-th arming entry.
std::string encode_override(std::uint64_t armed, const ProtectiveStop* s) {
  std::string out = "v1;armed=" + std::to_string(armed);
  if (s == nullptr) return out + ";sl=;tp=";
  out += ";sl=" + (s->stop_loss ? s->stop_loss->to_string() : std::string());
  out += ";tp=" + (s->take_profit ? s->take_profit->to_string() : std::string());
  return out;
}

struct StopOverride {
  std::uint64_t armed = 0;
  std::optional<Price> stop_loss;
  std::optional<Price> take_profit;
};

std::optional<StopOverride> decode_override(std::string_view text) {
  StopOverride o;
  bool version = false, armed = false;
  while (!text.empty()) {
    const auto end = text.find(';');
    const std::string_view field = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    const auto eq = field.find('=');
    const std::string_view key = field.substr(0, eq);
    const std::string_view value = eq == std::string_view::npos ? std::string_view() : field.substr(eq + 1);
    try {
      if (key == "v1") version = true;
      else if (key == "armed") { o.armed = std::stoull(std::string(value)); armed = true; }
      else if (key == "sl" && !value.empty()) o.stop_loss = Price::from_string(value);
      else if (key == "tp" && !value.empty()) o.take_profit = Price::from_string(value);
    } catch (const std::exception&) {
      return std::nullopt;
    }
  }
  if (!version || !armed) return std::nullopt;
  return o;
}

}  // namespace

void TradingNode::follow_stops_after_fill(const Order& order, Price fill_price) {
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
      ++stops_armed_[id];
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

Result<bool, std::string> TradingNode::move_protective_stop(const InstrumentId& instrument, StopKind kind, Price price,
                                                           std::string source) {
  if (stops_.find(instrument) == nullptr)
    return Err{instrument.to_string() + " has no locally armed stop-loss/take-profit"};
  const auto reference = tracker_.prices().reference(instrument);
  if (!reference) return Err{"no market price for " + instrument.to_string() + " yet"};
  auto moved = stops_.move(instrument, kind, price, *reference);
  if (!moved)
    return Err{std::string(to_string(kind)) + " " + price.to_string() + " refused: " + std::string(to_string(moved.error())) +
               " (price " + reference->to_string() + ")"};
  persist_stops(instrument);
  spdlog::warn("Protective stop moved instrument={} stop={} price={} source={}", instrument.to_string(), to_string(kind),
               price.to_string(), source);
  return true;
}

bool TradingNode::cancel_protective_stops(const InstrumentId& instrument, std::optional<StopKind> kind,
                                          std::string source) {
  if (stops_.cancel(instrument, kind).empty()) return false;
  persist_stops(instrument);
  spdlog::warn("Protective stop canceled instrument={} stop={} source={}", instrument.to_string(),
               kind ? to_string(*kind) : std::string_view("both"), source);
  return true;
}

void TradingNode::persist_stops(const InstrumentId& instrument) {
  if (store_ == nullptr) return;
  auto it = stops_armed_.find(instrument);
  const std::uint64_t armed = it == stops_armed_.end() ? 0 : it->second;
  if (!store_->put(kStopsNs, instrument.to_string(), encode_override(armed, stops_.find(instrument)), clock_.now_ns()))
    spdlog::error("Protective stop change not persisted, a restart restores the entry's levels instrument={}",
                  instrument.to_string());
}

void TradingNode::restore_stop_overrides() {
  if (store_ == nullptr) return;
  std::vector<InstrumentId> ids;
  for (const auto& [id, s] : stops_.all()) ids.push_back(id);
  for (const auto& id : ids) {
    auto text = store_->get(kStopsNs, id.to_string());
    if (!text || !*text) continue;
    const auto o = decode_override(**text);
    if (!o) {
      spdlog::warn("Protective stop change unreadable, keeping the entry's levels instrument={}", id.to_string());
      continue;
    }
    if (o->armed != stops_armed_[id]) continue;  // a later entry armed new stops: the change is history
    ProtectiveStop s = *stops_.find(id);
    s.stop_loss = o->stop_loss;
    s.take_profit = o->take_profit;
    stops_.restore(id, s);
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
