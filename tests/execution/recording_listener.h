// An OrderListener that records everything it is told, for assertions.
#pragma once

#include <string>
#include <vector>

#include "execution/order_listener.h"

namespace tradingd::test {

struct RecordingListener : OrderListener {
  struct Update {
    OrderId id;
    OrderEvent event;
    OrderStatus previous;
    OrderStatus status;
  };
  std::vector<Update> updates;
  std::vector<std::pair<OrderId, std::string>> fills;  // order id, trade id
  std::vector<OrderId> submit_unknown;
  std::vector<VenueEvent> unknown;
  std::vector<InvariantBreak> invariants;

  void on_order_updated(const OrderUpdate& u) override {
    updates.push_back({u.order.id(), u.event, u.previous, u.order.status()});
  }
  void on_order_filled(const Order& o, const Fill& f) override { fills.emplace_back(o.id(), f.trade_id.str()); }
  void on_submit_unknown(const Order& o) override { submit_unknown.push_back(o.id()); }
  void on_unknown_order_event(const VenueEvent& e) override { unknown.push_back(e); }
  void on_invariant_broken(const InvariantBreak& b) override { invariants.push_back(b); }
};

}  // namespace tradingd::test
