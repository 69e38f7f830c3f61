// EventHub: the source of the /v1/events stream. An OrderListener on the TradingNode (registered after
// the node's own bookkeeping, so a fill's position is already updated when the hub sees it) that turns
// order updates, fills, position changes and circuit-breaker changes into JSON lines, each with a
// sequence number, and hands them to one sink (the server fans them out to its WebSocket clients).
// Pure: no socket, no timer; poll() (from the server's timer) notices breaker changes that no order
// event carried (a trip from a market move, a reset).
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>

#include <boost/json/object.hpp>

#include "execution/node/trading_node.h"

namespace tradingd::daemon::api {

using EventText = std::shared_ptr<const std::string>;

class EventHub final : private OrderListener {
 public:
  EventHub(TradingNode& node, std::function<void(EventText)> sink);
  ~EventHub() override;
  EventHub(const EventHub&) = delete;
  EventHub& operator=(const EventHub&) = delete;

  // Emits a risk event when the breaker changed since the last look.
  void poll();
  // The first message on a new connection ({"type":"subscribed",...}); not counted in the sequence.
  std::string hello() const;
  std::uint64_t published() const { return seq_; }

 private:
  void on_order_updated(const OrderUpdate& update) override;
  void on_order_filled(const Order& order, const Fill& fill) override;
  void publish(const std::string& type, boost::json::object payload);

  TradingNode& node_;
  std::function<void(EventText)> sink_;
  std::uint64_t seq_ = 0;
  std::uint64_t breaker_version_ = 0;
};

// A WebSocket client's outgoing queue: bounded, so a slow reader is dropped instead of growing memory or
// stalling the loop. push() returns false when the queue is full: the caller closes that client.
class EventQueue {
 public:
  explicit EventQueue(std::size_t capacity) : capacity_(capacity) {}
  bool push(EventText text) {
    if (queue_.size() >= capacity_) return false;
    queue_.push_back(std::move(text));
    return true;
  }
  bool empty() const { return queue_.empty(); }
  std::size_t size() const { return queue_.size(); }
  const EventText& front() const { return queue_.front(); }
  void pop() { queue_.pop_front(); }
  void clear() { queue_.clear(); }

 private:
  std::size_t capacity_;
  std::deque<EventText> queue_;
};

}  // namespace tradingd::daemon::api
