// EventHub: see event_hub.h.
#include "daemon/api/event_hub.h"

#include <boost/json/serialize.hpp>

#include "daemon/api/json_shapes.h"

namespace tradingd::daemon::api {
namespace json = boost::json;

EventHub::EventHub(TradingNode& node, std::function<void(EventText)> sink)
    : node_(node), sink_(std::move(sink)), breaker_version_(node.risk().breaker().version()) {
  node_.add_order_listener(*this);
}

EventHub::~EventHub() { node_.manager().remove_listener(*this); }

std::string EventHub::hello() const {
  return json::serialize(json::object{{"type", "subscribed"}, {"seq", seq_}, {"risk", risk_json(node_)}});
}

void EventHub::publish(const std::string& type, json::object payload) {
  json::object o;
  o["type"] = type;
  o["seq"] = ++seq_;
  for (auto& kv : payload) o[kv.key()] = std::move(kv.value());
  if (sink_) sink_(std::make_shared<const std::string>(json::serialize(o)));
}

void EventHub::on_order_updated(const OrderUpdate& update) {
  publish("order", json::object{{"event", std::string(to_string(update.event))},
                                {"previous", std::string(to_string(update.previous))},
                                {"order", order_json(update.order)}});
  poll();  // a reject run or a fill may have moved the breaker
}

void EventHub::on_order_filled(const Order& order, const Fill& fill) {
  publish("fill", json::object{{"fill", fill_json(order, fill)}});
  // The node applied the fill to its position before us (it listens first).
  for (const auto& p : node_.portfolio().snapshot().positions) {
    if (p.instrument != order.instrument()) continue;
    publish("position", json::object{{"position", position_json(p)}});
    break;
  }
  poll();
}

void EventHub::poll() {
  const auto v = node_.risk().breaker().version();
  if (v == breaker_version_) return;
  breaker_version_ = v;
  publish("risk", json::object{{"breaker", breaker_json(node_.risk().breaker())},
                               {"trading_state", std::string(to_string(node_.risk().trading_state()))}});
}

}  // namespace tradingd::daemon::api
