// The monitor's timer pass and its measurements.
#include "execution/order_monitor.h"

#include <optional>

#include <spdlog/spdlog.h>

namespace tradingd {

std::string_view to_string(QueryReason r) {
  switch (r) {
    case QueryReason::AckTimeout: return "ack_timeout";
    case QueryReason::OutcomeUnknown: return "outcome_unknown";
    case QueryReason::CancelTimeout: return "cancel_timeout";
  }
  return "unknown";
}

OrderMonitor::OrderMonitor(OrderManager& manager, OrderResolver& resolver, OrderMonitorConfig config,
                           ExecutionObserver* observer)
    : manager_(manager), resolver_(resolver), config_(config), observer_(observer) {
  manager_.add_listener(*this);
}

OrderMonitor::~OrderMonitor() { manager_.remove_listener(*this); }

std::size_t OrderMonitor::queries_in_flight() const {
  std::size_t n = 0;
  for (const auto& [id, t] : tracks_) n += t.query_in_flight ? 1 : 0;
  return n;
}

void OrderMonitor::check_open_orders(UnixNanos now_ns) {
  const std::int64_t ack_timeout_ns = config_.ack_timeout_ms * kNanosPerMilli;
  const std::int64_t retry_ns = config_.query_retry_ms * kNanosPerMilli;
  const std::int64_t stale_ns = config_.stale_order_s * kNanosPerSecond;
  // Nothing recorded for any order and none due for anything: the pass below would change nothing. What
  // nearly every tick finds (an order just sent, waiting for its ack or fill), answered from the orders
  // themselves without listing their ids and looking each up again.
  if (tracks_.empty()) {
    bool due = false;
    manager_.for_each_open([&](const Order& o) {
      if (o.status() == OrderStatus::Initialized) return;  // skipped below too
      // The conditions below for an order without a track (retry due, no query in flight).
      due = due || o.outcome_unknown() || (!o.acked() && now_ns - o.submitted_at().wall_ns >= ack_timeout_ns) ||
            (o.status() == OrderStatus::PendingCancel && now_ns - o.cancel_requested_at().wall_ns >= ack_timeout_ns) ||
            (o.spec().expire_at_ns > 0 && now_ns >= o.spec().expire_at_ns && o.status() != OrderStatus::PendingCancel) ||
            now_ns - o.ts_init_ns() >= stale_ns;
    });
    if (!due) return;
  }
  // The open orders as of now: queries and cancels below may close some (or open new ones) meanwhile.
  std::vector<OrderId> ids = std::move(open_ids_scratch_);
  ids.clear();
  manager_.for_each_open([&](const Order& o) { ids.push_back(o.id()); });
  for (const OrderId id : ids) {
    const Order* o = manager_.find(id);
    if (o->status() == OrderStatus::Initialized) continue;  // awaiting its journal commit: not sent yet
    // A track exists only once something was recorded for the order; a missing one reads as all clear.
    auto it = tracks_.find(id);
    const Track seen = it == tracks_.end() ? Track{} : it->second;
    const bool retry_due = seen.last_query_ns == 0 || now_ns - seen.last_query_ns >= retry_ns;

    // Unknown fate: the venue never acked it (or said the outcome is unknown), or a cancel went unanswered.
    std::optional<QueryReason> reason;
    if (!seen.query_in_flight && retry_due) {
      if (o->outcome_unknown()) reason = QueryReason::OutcomeUnknown;
      else if (!o->acked() && now_ns - o->submitted_at().wall_ns >= ack_timeout_ns) reason = QueryReason::AckTimeout;
      else if (o->status() == OrderStatus::PendingCancel && now_ns - o->cancel_requested_at().wall_ns >= ack_timeout_ns)
        reason = QueryReason::CancelTimeout;
    }
    if (reason) {
      query(*o, *reason, now_ns, tracks_[id]);
      // A synchronous answer may have changed the order or dropped its track: look both up again.
      o = manager_.find(id);
      it = tracks_.find(id);
      if (!o || !o->is_open() || it == tracks_.end()) continue;
    }
    if (!o->is_open()) continue;  // closed meanwhile by what an earlier order's answer or cancel set off

    if (o->spec().expire_at_ns > 0 && now_ns >= o->spec().expire_at_ns &&
        !(it != tracks_.end() && it->second.ttl_cancel_sent) && o->status() != OrderStatus::PendingCancel) {
      tracks_[id].ttl_cancel_sent = true;
      ++stats_.ttl_cancels;
      if (observer_) observer_->on_ttl_cancel(*o);
      (void)manager_.cancel(id);
      o = manager_.find(id);
      it = tracks_.find(id);
      if (!o || !o->is_open() || it == tracks_.end()) continue;
    }
    const std::int64_t age_ns = now_ns - o->ts_init_ns();
    if (!(it != tracks_.end() && it->second.stale_reported) && age_ns >= stale_ns) {
      tracks_[id].stale_reported = true;
      ++stats_.stale_reports;
      spdlog::warn("Stale open order order_id={} client_order_id={} status={} age_s={}", id, o->client_order_id().view(),
                   to_string(o->status()), age_ns / kNanosPerSecond);
      if (observer_) observer_->on_stale_order(*o, age_ns);
    }
  }
  open_ids_scratch_ = std::move(ids);
}

void OrderMonitor::query(const Order& order, QueryReason reason, UnixNanos now_ns, Track& track) {
  track.query_in_flight = true;
  track.last_query_ns = now_ns;
  ++stats_.queries;
  spdlog::info("Querying order order_id={} client_order_id={} reason={}", order.id(), order.client_order_id().view(),
               to_string(reason));
  if (observer_) observer_->on_order_query(order, reason);
  std::weak_ptr<bool> alive = alive_;
  const OrderId id = order.id();
  resolver_.resolve(id, [this, alive, id](ResolveOutcome outcome) {
    if (alive.expired()) return;
    if (auto it = tracks_.find(id); it != tracks_.end()) it->second.query_in_flight = false;
    if (outcome == ResolveOutcome::NotFound) ++stats_.not_found;
    if (outcome == ResolveOutcome::FillsMissing) ++stats_.fills_missing;
    if (outcome == ResolveOutcome::QueryFailed) ++stats_.query_failures;
    if (const Order* o = manager_.find(id); o && observer_) observer_->on_query_result(*o, outcome);
    if (const Order* o = manager_.find(id); !o || !o->is_open()) tracks_.erase(id);
  });
}

void OrderMonitor::on_order_updated(const OrderUpdate& u) {
  const Order& o = u.order;
  const Venue venue = o.instrument().venue;
  const std::int64_t submit_mono = o.submitted_at().mono_ns;
  // Replayed orders have no monotonic submit stamp: nothing to measure.
  if (observer_ && submit_mono != 0) {
    if (u.first_ack && u.event == OrderEvent::Accept) observer_->on_ack_latency(venue, o.acked_at().mono_ns - submit_mono);
    if (u.first_fill) observer_->on_first_fill_latency(venue, o.first_fill_at().mono_ns - submit_mono);
  }
  if (observer_ && u.became_terminal && o.filled_quantity().is_positive() && o.spec().reference_price) {
    const Price ref = *o.spec().reference_price;
    const Price avg = *o.avg_price(Rounding::Nearest);
    // bps = worse / ref * 10000, rounded to the nearest 1e-9 bps. A measurement must never halt
    // trading: one outside the fixed-point range is skipped.
    try {
      const Price worse = o.side() == Side::Buy ? avg - ref : ref - avg;
      observer_->on_slippage_bps(venue, fixed_div<Rate>(worse * 10'000, ref, Rounding::Nearest));
    } catch (const FixedPointOverflow&) {
      spdlog::warn("Slippage out of range, not recorded order_id={}", o.id());
    }
  }
  if (u.became_terminal && !tracks_.empty()) {
    if (auto it = tracks_.find(o.id()); it != tracks_.end() && !it->second.query_in_flight) tracks_.erase(it);
  }
}

}  // namespace tradingd
