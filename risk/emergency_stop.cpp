// Emergency stop state machine: Idle → Canceling → Flattening → Done. Every transition happens inside
// start() or poll(), so the engine controls when the outside world is touched.
#include "risk/emergency_stop.h"

#include <algorithm>
#include <set>

namespace tradingd {

EmergencyStopConfig EmergencyStopConfig::from(const config::RiskConfig& risk) {
  EmergencyStopConfig c;
  c.cancel_wait_ns = std::max<std::int64_t>(risk.emergency_cancel_wait_ms, 0) * kNanosPerMilli;
  c.retry_interval_ns = std::max<std::int64_t>(risk.emergency_retry_interval_ms, 1) * kNanosPerMilli;
  c.timeout_ns = std::max<std::int64_t>(risk.emergency_flatten_timeout_s, 1) * kNanosPerSecond;
  return c;
}

std::string_view to_string(EmergencyPhase p) {
  switch (p) {
    case EmergencyPhase::Idle: return "idle";
    case EmergencyPhase::Canceling: return "canceling";
    case EmergencyPhase::Flattening: return "flattening";
    case EmergencyPhase::Done: return "done";
  }
  return "unknown";
}

EmergencyStop::EmergencyStop(EmergencyStopConfig config, CircuitBreaker& breaker, OrderCanceller& canceller,
                             PositionSource& positions, FlattenSubmitter& submitter)
    : config_(config), breaker_(breaker), canceller_(canceller), positions_(positions), submitter_(submitter) {}

StartResult EmergencyStop::start(UnixNanos now_ns, EmergencyStopOptions options) {
  if (running()) return StartResult::AlreadyRunning;
  options_ = std::move(options);
  report_ = EmergencyStopReport{};
  report_.reason = options_.reason;
  report_.started_ns = now_ns;
  flattening_.clear();
  // First, so nothing new that adds risk passes the gate while we cancel and flatten.
  breaker_.trip(TripReason::EmergencyStop, options_.reason, now_ns);
  initial_orders_.clear();
  if (options_.cancel_orders) {
    initial_orders_ = canceller_.open_orders();
    std::sort(initial_orders_.begin(), initial_orders_.end());
    phase_ = EmergencyPhase::Canceling;
    send_cancels(now_ns, initial_orders_);
  } else {
    begin_flatten(now_ns);
  }
  poll(now_ns);
  return StartResult::Started;
}

void EmergencyStop::send_cancels(UnixNanos now_ns, const std::vector<OpenOrderRef>& open) {
  std::set<Venue> venues;
  for (const auto& o : open) venues.insert(o.instrument.venue);
  for (Venue v : venues) {
    canceller_.cancel_all(v);
    ++report_.cancel_all_requests;
  }
  last_cancel_ns_ = now_ns;
}

void EmergencyStop::begin_flatten(UnixNanos now_ns) {
  phase_ = EmergencyPhase::Flattening;
  if (!options_.flatten) finish(now_ns, false);
}

EmergencyPhase EmergencyStop::poll(UnixNanos now_ns) {
  if (polling_) return phase_;
  polling_ = true;
  struct Reset {
    bool& flag;
    ~Reset() { flag = false; }
  } reset{polling_};
  if (phase_ == EmergencyPhase::Canceling) {
    const auto open = canceller_.open_orders();
    if (open.empty() || now_ns - report_.started_ns >= config_.cancel_wait_ns) {
      begin_flatten(now_ns);
    } else if (now_ns - last_cancel_ns_ >= config_.retry_interval_ns) {
      send_cancels(now_ns, open);  // a cancel-all may have raced a new order or been lost: send it again
    }
  }
  if (phase_ == EmergencyPhase::Flattening) step_flatten(now_ns);
  return phase_;
}

void EmergencyStop::step_flatten(UnixNanos now_ns) {
  const auto open = positions_.open_positions();
  const bool any_open = std::any_of(open.begin(), open.end(), [](const FlattenTarget& t) { return !t.quantity.is_zero(); });
  if (!any_open) return finish(now_ns, false);
  // Past the deadline nothing new is sent: orders still working may fill, the report says what is left.
  if (now_ns - report_.started_ns >= config_.timeout_ns) return finish(now_ns, true);
  for (const auto& t : open) {
    if (t.quantity.is_zero()) continue;
    auto [it, inserted] = flattening_.try_emplace(t.instrument);
    Flattening& f = it->second;
    if (inserted) f.initial = t.quantity;
    if (f.in_flight) {
      if (submitter_.is_order_open(*f.in_flight)) continue;  // wait for it: never a second order alongside
      f.in_flight.reset();
      // Terminal and still not flat. Progress (a fill, a venue-maximum chunk done): go again now. None (a
      // reject): after the retry interval. A venue that kept rejecting the flatten got a new order on every
      // poll (seen live: ~60 per second), the way to a rate-limit ban while the position still needs closing.
      f.next_attempt_ns = t.quantity != f.sent_at ? now_ns : now_ns + config_.retry_interval_ns;
    }
    if (now_ns < f.next_attempt_ns) continue;
    Quantity qty = t.quantity.abs();
    if (t.max_order_quantity.is_positive()) qty = std::min(qty, t.max_order_quantity);
    const Side side = t.quantity.is_positive() ? Side::Sell : Side::Buy;
    ++f.attempts;
    if (auto id = submitter_.submit_flatten(t.instrument, side, qty)) {
      f.in_flight = *id;
      f.sent_at = t.quantity;
      ++report_.flatten_orders;
    } else {
      ++report_.submit_failures;
      f.next_attempt_ns = now_ns + config_.retry_interval_ns;
    }
  }
}

void EmergencyStop::finish(UnixNanos now_ns, bool timed_out) {
  report_.finished_ns = now_ns;
  report_.timed_out = timed_out;
  auto open_now = canceller_.open_orders();
  std::sort(open_now.begin(), open_now.end());
  for (const auto& o : initial_orders_) {
    if (std::binary_search(open_now.begin(), open_now.end(), o)) report_.cancel_failed.push_back(o);
    else report_.canceled.push_back(o);
  }
  if (options_.flatten) {
    std::map<InstrumentId, Quantity> remaining;
    for (const auto& t : positions_.open_positions())
      if (!t.quantity.is_zero()) remaining[t.instrument] = t.quantity;
    for (const auto& [id, f] : flattening_) {
      auto it = remaining.find(id);
      if (it == remaining.end()) report_.closed.push_back({id, f.initial});
      else report_.failed.push_back({id, it->second, f.attempts});
    }
    for (const auto& [id, q] : remaining)  // appeared too late for an attempt
      if (!flattening_.contains(id)) report_.failed.push_back({id, q, 0});
  }
  phase_ = EmergencyPhase::Done;
  last_report_ = report_;
}

}  // namespace tradingd
