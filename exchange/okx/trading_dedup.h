// OkxEventFilter: the private stream and the REST answers both report the same things (an order's
// acceptance, its cancel, each fill), and OKX itself re-sends pushes (the docs: drop a repeated tradeId,
// keep the first cancel per ordId). This filter lets each through once: fills keyed by instrument +
// tradeId, acceptances and cancels by client order id. Memory is bounded (the oldest keys are forgotten
// after `capacity`). Pure.
#pragma once

#include <cstddef>
#include <deque>
#include <string>
#include <unordered_set>

#include "exchange/execution_venue.h"

namespace tradingd::okx {

class OkxEventFilter {
 public:
  explicit OkxEventFilter(std::size_t capacity = 100'000) : capacity_(capacity) {}
  // True when the event is new (and remembers it); events of other kinds always pass.
  bool admit(const VenueEvent& event);
  // Marks a fill as seen without an event (a fill the engine got from a REST query).
  bool remember_fill(const OrderFilled& fill);
  std::size_t duplicates() const { return duplicates_; }

 private:
  bool remember(std::string key);
  std::size_t capacity_;
  std::unordered_set<std::string> seen_;
  std::deque<std::string> order_;
  std::size_t duplicates_ = 0;
};

}  // namespace tradingd::okx
