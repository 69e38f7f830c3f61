// OrderManager: order creation, the journal-before-send rule, cancels and venue event application.
// Every venue event goes through dispatch(): look the order up, let Order apply it through the transition
// table, then finish(): index, journal, notify. What is not applied is counted and logged, never applied.
#include "execution/order_manager.h"

#include <algorithm>

#include <spdlog/spdlog.h>

namespace tradingd {

std::string_view to_string(OrderErrorKind k) {
  switch (k) {
    case OrderErrorKind::UnknownOrder: return "unknown_order";
    case OrderErrorKind::UnknownVenue: return "unknown_venue";
    case OrderErrorKind::InvalidState: return "invalid_state";
    case OrderErrorKind::JournalFailed: return "journal_failed";
    case OrderErrorKind::Halted: return "halted";
  }
  return "unknown";
}

std::string_view to_string(InvariantKind k) {
  switch (k) {
    case InvariantKind::Overfill: return "overfill";
    case InvariantKind::InvalidFill: return "invalid_fill";
    case InvariantKind::FixedPointOverflow: return "fixed_point_overflow";
    case InvariantKind::JournalFailed: return "journal_failed";
    case InvariantKind::ReplayMismatch: return "replay_mismatch";
  }
  return "unknown";
}

OrderManager::OrderManager(const Clock& clock, OrderJournal& journal, ClientOrderIdCodec codec)
    : clock_(clock), journal_(journal), journal_contents_(journal.keeps_contents()), codec_(codec) {
  venue_ids_pending_.reserve(1024);
}

OrderManager::~OrderManager() {
  for (auto& slot : venues_)
    if (slot.venue) slot.venue->set_event_sink(nullptr);
}

void OrderManager::add_venue(ExecutionVenue& venue) {
  auto& slot = venues_[static_cast<std::size_t>(venue.venue())];
  slot.venue = &venue;
  slot.caps = venue.capabilities();
  venue.set_event_sink(this);
}

ExecutionVenue* OrderManager::venue(Venue v) const { return venues_[static_cast<std::size_t>(v)].venue; }
VenueCapabilities OrderManager::capabilities(Venue v) const { return venues_[static_cast<std::size_t>(v)].caps; }

std::vector<ExecutionVenue*> OrderManager::venues() const {
  std::vector<ExecutionVenue*> r;
  for (const auto& slot : venues_)
    if (slot.venue) r.push_back(slot.venue);
  return r;
}

void OrderManager::add_listener(OrderListener& listener) { listeners_.push_back(&listener); }
void OrderManager::remove_listener(OrderListener& listener) { std::erase(listeners_, &listener); }

// --- Restart ----------------------------------------------------------------------------------------------

Result<RestoreSummary, std::string> OrderManager::restore(const JournalSnapshot& snapshot) {
  if (!orders_.empty()) return Err{std::string("restore() must run before any order is created")};
  RestoreSummary summary;
  // The store takes orders by increasing id; journals list intents that way, but do not rely on it.
  std::vector<const OrderIntentRecord*> intents;
  intents.reserve(snapshot.intents.size());
  for (const auto& intent : snapshot.intents) intents.push_back(&intent);
  auto by_id = [](const OrderIntentRecord* a, const OrderIntentRecord* b) { return a->order_id < b->order_id; };
  if (!std::is_sorted(intents.begin(), intents.end(), by_id)) std::stable_sort(intents.begin(), intents.end(), by_id);
  for (const OrderIntentRecord* intent : intents) {
    if (mut(intent->order_id) || by_client_id(intent->client_order_id))
      return Err{"journal holds order " + std::to_string(intent->order_id) + " twice"};
    Order& order = orders_.add(intent->order_id, intent->client_order_id, intent->spec, intent->ts_ns);
    // It may have been sent: durable intents are the only ones that ever are.
    (void)order.apply(OrderEvent::Submit, LocalStamp{intent->ts_ns, 0});
    if (codec_.decode(intent->client_order_id) != intent->order_id)
      foreign_client_ids_.emplace(intent->client_order_id, intent->order_id);
    next_order_id_ = std::max(next_order_id_, intent->order_id + 1);
  }
  for (const auto& ev : snapshot.events) {
    Order* o = mut(ev.order_id);
    if (!o) return Err{"journal event for unknown order " + std::to_string(ev.order_id)};
    const LocalStamp at{ev.ts_ns, 0};
    ApplyResult r;
    try {
      if (ev.event == OrderEvent::Accept) {
        r = o->accept(ev.venue_order_id, at);
      } else if (ev.event == OrderEvent::Fill || ev.event == OrderEvent::PartialFill) {
        r = o->apply_fill(Fill{ev.trade_id, ev.venue_order_id, ev.last_quantity, ev.last_price, ev.fee, ev.fee_asset,
                               ev.liquidity, ev.ts_event_ns},
                          at);
      } else {
        r = o->apply(ev.event, at);
      }
    } catch (const FixedPointOverflow& e) {
      return Err{"journal replay overflow at order " + std::to_string(ev.order_id) + ": " + e.what()};
    }
    if (!r.applied())
      return Err{"journal event " + std::string(to_string(ev.event)) + " does not replay on order " +
                 std::to_string(ev.order_id) + " (" + std::string(to_string(r.previous)) + "): " +
                 std::string(to_string(r.outcome))};
    if (!ev.venue_order_id.empty()) o->learn_venue_order_id(ev.venue_order_id);
    note_venue_id(*o);
    if (o->is_terminal()) orders_.close(o->id());
    ++summary.events;
  }
  summary.orders = orders_.size();
  summary.open_orders = orders_.open_count();
  summary.next_order_id = next_order_id_;
  return summary;
}

// --- Create, submit, cancel -------------------------------------------------------------------------------

Result<OrderId, OrderError> OrderManager::create(const OrderSpec& spec) {
  if (halted_) return Err{OrderError{OrderErrorKind::Halted, halt_reason_}};
  if (!venue(spec.instrument.venue))
    return Err{OrderError{OrderErrorKind::UnknownVenue, std::string(to_string(spec.instrument.venue))}};
  const OrderId id = next_order_id_++;
  const Order& o = orders_.add(id, codec_.encode(id), spec, clock_.now_ns());
  recent_client_ids_[recent_slot(o.client_order_id())] = id;
  ++stats_.orders_created;
  return id;
}

Result<OrderId, OrderError> OrderManager::submit(OrderId id) {
  Order* o = mut(id);
  if (!o) return Err{OrderError{OrderErrorKind::UnknownOrder, std::to_string(id)}};
  if (o->status() != OrderStatus::Initialized)
    return Err{OrderError{OrderErrorKind::InvalidState, "order " + std::to_string(id) + " is " + std::string(to_string(o->status()))}};
  if (halted_) {
    reject_locally(*o, "halted");
    return Err{OrderError{OrderErrorKind::Halted, halt_reason_}};
  }
  bare_intent_.order_id = o->id();
  const auto seq = journal_contents_
                       ? journal_.append_intent(OrderIntentRecord{o->id(), o->client_order_id(), o->spec(), o->ts_init_ns()})
                       : journal_.append_intent(bare_intent_);
  if (!seq) {
    ++stats_.journal_failures;
    const JournalError& err = seq.error();
    reject_locally(*o, "journal: " + err.message);
    // A full queue is back-pressure (the order was simply not taken); anything else is a broken journal.
    if (err.kind != JournalErrorKind::Backpressure)
      report_invariant({InvariantKind::JournalFailed, id, "intent not journaled: " + err.message});
    return Err{OrderError{OrderErrorKind::JournalFailed, err.message}};
  }
  if (*seq <= journal_.durable_seq()) send_now(*o);
  else awaiting_.emplace_back(*seq, id);
  return id;
}

std::size_t OrderManager::send_committed() {
  if (auto failure = journal_.failure()) {
    // Never durable, so never sent. A restart may still find the intent on disk: it queries, finds
    // nothing, and rejects it the same way.
    while (!awaiting_.empty()) {
      const OrderId id = awaiting_.front().second;
      awaiting_.pop_front();
      if (Order* o = mut(id); o && o->status() == OrderStatus::Initialized) reject_locally(*o, "journal: " + failure->message);
    }
    ++stats_.journal_failures;
    report_invariant({InvariantKind::JournalFailed, 0, "group commit failed: " + failure->message});
    return 0;
  }
  const JournalSeq durable = journal_.durable_seq();
  std::size_t sent = 0;
  while (!awaiting_.empty() && awaiting_.front().first <= durable) {
    const OrderId id = awaiting_.front().second;
    awaiting_.pop_front();
    Order* o = mut(id);
    if (o && o->status() == OrderStatus::Initialized) {  // not canceled locally meanwhile
      send_now(*o);
      ++sent;
    }
  }
  return sent;
}

void OrderManager::send_now(Order& o) {
  const auto& s = o.spec();
  // Built whole (no default fill then overwrite); protective prices only where the venue attaches them.
  const bool native_sl_tp = capabilities(s.instrument.venue).native_sl_tp;
  const OrderRequest req{o.client_order_id(), s.instrument, s.side, s.type, s.time_in_force, s.quantity, s.price,
                         s.trigger_price, s.reduce_only, native_sl_tp ? s.stop_loss : std::optional<Price>{},
                         native_sl_tp ? s.take_profit : std::optional<Price>{}};
  const ApplyResult r = o.apply(OrderEvent::Submit, stamp());
  ++stats_.orders_sent;
  ExecutionVenue* v = venue(s.instrument.venue);
  call_venue([&] { v->submit(req); });
  notify_update(o, r);
  drain_deferred();
}

void OrderManager::reject_locally(Order& o, std::string_view why) {
  const ApplyResult r = o.apply(OrderEvent::Reject, stamp());
  if (!r.applied()) return;
  ++stats_.local_rejects;
  orders_.close(o.id());
  spdlog::warn("Order rejected locally order_id={} client_order_id={} reason=\"{}\"", o.id(), o.client_order_id().view(), why);
  notify_update(o, r);
}

Result<OrderId, OrderError> OrderManager::cancel(OrderId id) {
  Order* o = mut(id);
  if (!o) return Err{OrderError{OrderErrorKind::UnknownOrder, std::to_string(id)}};
  if (o->status() == OrderStatus::Initialized) {
    const ApplyResult r = o->apply(OrderEvent::Cancel, stamp());
    finish(*o, r, nullptr, [&] { return record_for(*o, OrderEvent::Cancel, 0); });
    return id;
  }
  if (!o->is_open())
    return Err{OrderError{OrderErrorKind::InvalidState, "order " + std::to_string(id) + " is " + std::string(to_string(o->status()))}};
  ExecutionVenue* v = venue(o->instrument().venue);
  if (!v) return Err{OrderError{OrderErrorKind::UnknownVenue, std::string(to_string(o->instrument().venue))}};
  const ApplyResult r = o->apply(OrderEvent::CancelRequest, stamp());
  finish(*o, r, nullptr, [&] { return record_for(*o, OrderEvent::CancelRequest, 0); });
  if (!r.applied()) return Err{OrderError{OrderErrorKind::InvalidState, "cancel not allowed"}};
  const CancelRequest req{o->instrument(), o->client_order_id(), o->venue_order_id()};
  call_venue([&] { v->cancel(req); });
  drain_deferred();
  return id;
}

std::size_t OrderManager::cancel_all(const CancelScope& scope) {
  auto in_scope = [&](const InstrumentId& i) {
    return (!scope.venue || i.venue == *scope.venue) && (!scope.instrument || i == *scope.instrument);
  };
  std::vector<OrderId> targets;
  orders_.for_each_open([&](const Order& o) {
    if (in_scope(o.instrument())) targets.push_back(o.id());
  });
  std::vector<CancelRequest> singles[4];
  for (OrderId id : targets) {
    Order& o = *mut(id);
    if (o.status() == OrderStatus::Initialized) {  // awaiting its commit: never sent, cancel here
      finish(o, o.apply(OrderEvent::Cancel, stamp()), nullptr, [&] { return record_for(o, OrderEvent::Cancel, 0); });
      continue;
    }
    const ApplyResult r = o.apply(OrderEvent::CancelRequest, stamp());
    finish(o, r, nullptr, [&] { return record_for(o, OrderEvent::CancelRequest, 0); });
    if (r.applied())
      singles[static_cast<std::size_t>(o.instrument().venue)].push_back({o.instrument(), o.client_order_id(), o.venue_order_id()});
  }
  for (std::size_t i = 0; i < 4; ++i) {
    const VenueSlot& slot = venues_[i];
    if (!slot.venue) continue;
    if (scope.venue && static_cast<std::size_t>(*scope.venue) != i) continue;
    if (scope.instrument && static_cast<std::size_t>(scope.instrument->venue) != i) continue;
    if (slot.caps.cancel_all) {
      call_venue([&] { slot.venue->cancel_all(scope.instrument); });
    } else {
      for (const auto& req : singles[i]) call_venue([&] { slot.venue->cancel(req); });
    }
  }
  drain_deferred();
  return targets.size();
}

// --- Venue events -----------------------------------------------------------------------------------------

template <class F>
void OrderManager::call_venue(F&& f) {
  ++venue_call_depth_;
  try {
    f();
  } catch (...) {
    --venue_call_depth_;
    throw;
  }
  --venue_call_depth_;
}

void OrderManager::drain_deferred_slow() {
  if (draining_ || venue_call_depth_ > 0) return;
  draining_ = true;
  // Applied in place from a batch (no copy out): what dispatch defers meanwhile lands in deferred_, which
  // the batch left empty, and is applied after the batch, in order.
  while (!deferred_.empty()) {
    applying_.swap(deferred_);
    for (const VenueEvent& e : applying_) dispatch(e);
    applying_.clear();
  }
  draining_ = false;
}

void OrderManager::on_venue_event(const VenueEvent& event) {
  if (venue_call_depth_ > 0) {  // emitted from inside submit()/cancel(): apply after the call returns
    deferred_.push_back(event);
    return;
  }
  dispatch(event);
  drain_deferred();
}

void OrderManager::dispatch(const VenueEvent& event) {
  // The event loop's boundary for order state: overflow is a broken invariant, reported, never rethrown.
  try {
    std::visit([&](const auto& e) { handle(e, event); }, event);
  } catch (const FixedPointOverflow& e) {
    report_invariant({InvariantKind::FixedPointOverflow, 0, e.what()});
  }
}

Order* OrderManager::lookup(const InstrumentId& instrument, const ClientOrderId& cid, const VenueOrderId& vid,
                            const VenueEvent& raw) {
  Order* o = cid.empty() ? nullptr : by_client_id(cid);
  // Some venues' fill listings carry only their own order id (Binance myTrades).
  if (!o && !vid.empty()) {
    index_venue_ids();
    if (auto it = by_venue_order_id_.find(VenueOrderKey{instrument, vid}); it != by_venue_order_id_.end()) o = mut(it->second);
  }
  if (!o) {
    ++stats_.unknown_order_events;
    for (std::size_t i = 0; i < listeners_.size(); ++i) listeners_[i]->on_unknown_order_event(raw);
    return nullptr;
  }
  if (o->instrument() != instrument) {
    ++stats_.instrument_mismatches;
    spdlog::warn("Venue event ignored: instrument mismatch order_id={} order_instrument={} event_instrument={}", o->id(),
                 o->instrument().to_string(), instrument.to_string());
    return nullptr;
  }
  return o;
}

OrderEventRecord OrderManager::record_for(const Order& o, OrderEvent event, UnixNanos ts_event_ns) const {
  OrderEventRecord rec;
  rec.order_id = o.id();
  rec.event = event;
  rec.ts_event_ns = ts_event_ns;
  rec.ts_ns = clock_.now_ns();
  rec.venue_order_id = o.venue_order_id();
  return rec;
}

void OrderManager::handle_status(const InstrumentId& instrument, const ClientOrderId& cid, const VenueOrderId& vid,
                                 OrderEvent event, UnixNanos ts_event_ns, const VenueError* error, const VenueEvent& raw) {
  Order* o = lookup(instrument, cid, vid, raw);
  if (!o) return;
  const ApplyResult r = event == OrderEvent::Accept ? o->accept(vid, stamp()) : o->apply(event, stamp());
  if (event != OrderEvent::Accept && r.applied() && !vid.empty()) o->learn_venue_order_id(vid);  // accept() learns it
  finish(*o, r, nullptr, [&] {
    OrderEventRecord rec = record_for(*o, event, ts_event_ns);
    if (!vid.empty()) rec.venue_order_id = vid;
    if (error) {
      rec.reason = error->reason;
      rec.code = truncated<15>(error->code);
      rec.message = truncated<95>(error->message);
    }
    return rec;
  });
}

void OrderManager::handle(const OrderAccepted& e, const VenueEvent& raw) {
  handle_status(e.instrument, e.client_order_id, e.venue_order_id, OrderEvent::Accept, e.ts_event_ns, nullptr, raw);
}
void OrderManager::handle(const OrderRejected& e, const VenueEvent& raw) {
  handle_status(e.instrument, e.client_order_id, {}, OrderEvent::Reject, e.ts_event_ns, &e.error, raw);
}
void OrderManager::handle(const OrderCanceled& e, const VenueEvent& raw) {
  handle_status(e.instrument, e.client_order_id, e.venue_order_id, OrderEvent::Cancel, e.ts_event_ns, nullptr, raw);
}
void OrderManager::handle(const OrderCancelRejected& e, const VenueEvent& raw) {
  handle_status(e.instrument, e.client_order_id, {}, OrderEvent::CancelReject, e.ts_event_ns, &e.error, raw);
}
void OrderManager::handle(const OrderExpired& e, const VenueEvent& raw) {
  handle_status(e.instrument, e.client_order_id, e.venue_order_id, OrderEvent::Expire, e.ts_event_ns, nullptr, raw);
}
void OrderManager::handle(const OrderTriggered& e, const VenueEvent& raw) {
  handle_status(e.instrument, e.client_order_id, e.venue_order_id, OrderEvent::Trigger, e.ts_event_ns, nullptr, raw);
}

void OrderManager::handle(const OrderSubmitUnknown& e, const VenueEvent& raw) {
  Order* o = lookup(e.instrument, e.client_order_id, {}, raw);
  if (!o) return;
  ++stats_.submit_unknown;
  if (o->acked() || o->is_terminal()) return;  // the venue already answered about it
  o->set_outcome_unknown(true);
  spdlog::warn("Order submit outcome unknown, will query order_id={} client_order_id={}", o->id(), o->client_order_id().view());
  for (std::size_t i = 0; i < listeners_.size(); ++i) listeners_[i]->on_submit_unknown(*o);
}

void OrderManager::handle(const OrderFilled& e, const VenueEvent& raw) {
  Order* o = lookup(e.instrument, e.client_order_id, e.venue_order_id, raw);
  if (!o) return;
  if (e.side != o->side()) {
    ++stats_.invalid_fills;
    report_invariant({InvariantKind::InvalidFill, o->id(), "fill side " + std::string(to_string(e.side)) + " on a " +
                                                             std::string(to_string(o->side())) + " order, trade " + e.trade_id.str()});
    return;
  }
  const Fill fill{e.trade_id, e.venue_order_id, e.last_quantity, e.last_price, e.fee, e.fee_asset, e.liquidity, e.ts_event_ns};
  const bool venue_id_known = !o->venue_order_id().empty();  // usually: the ack brought it
  const ApplyResult r = o->apply_fill(fill, stamp());
  finish(*o, r, &fill, [&] {
    OrderEventRecord rec = record_for(*o, r.event, e.ts_event_ns);
    if (!e.venue_order_id.empty()) rec.venue_order_id = e.venue_order_id;
    rec.trade_id = e.trade_id;
    rec.last_quantity = e.last_quantity;
    rec.last_price = e.last_price;
    rec.fee = e.fee;
    rec.fee_asset = e.fee_asset;
    rec.liquidity = e.liquidity;
    return rec;
  }, venue_id_known);
}

void OrderManager::handle(const AccountReport& e, const VenueEvent&) {
  for (std::size_t i = 0; i < listeners_.size(); ++i) listeners_[i]->on_account_report(e);
}
void OrderManager::handle(const VenueConnectionChanged& e, const VenueEvent&) {
  for (std::size_t i = 0; i < listeners_.size(); ++i) listeners_[i]->on_venue_connection(e);
}

template <class MakeRecord>
void OrderManager::finish(Order& o, const ApplyResult& r, const Fill* fill, MakeRecord&& record, bool venue_id_known) {
  // Outcomes other than Applied and Illegal come from apply_fill only: fill is set for them.
  const std::string_view trade_id = fill ? fill->trade_id.view() : std::string_view();
  switch (r.outcome) {
    case ApplyOutcome::Applied: break;
    case ApplyOutcome::Illegal:
      ++stats_.illegal[static_cast<std::size_t>(r.previous)][static_cast<std::size_t>(r.event)];
      ++stats_.illegal_total;
      spdlog::warn("Illegal order event ignored order_id={} client_order_id={} status={} event={}", o.id(),
                   o.client_order_id().view(), to_string(r.previous), to_string(r.event));
      return;
    case ApplyOutcome::DuplicateFill:
      ++stats_.duplicate_fills;
      spdlog::debug("Duplicate fill ignored order_id={} trade_id={}", o.id(), trade_id);
      return;
    case ApplyOutcome::Overfill:
      ++stats_.overfills;
      report_invariant({InvariantKind::Overfill, o.id(), "fill " + (fill ? fill->quantity : Quantity::zero()).to_string() +
                                                            " trade " + std::string(trade_id) + " exceeds leaves " +
                                                            o.leaves_quantity().to_string()});
      return;
    case ApplyOutcome::InvalidFill:
      ++stats_.invalid_fills;
      report_invariant({InvariantKind::InvalidFill, o.id(), "uncountable fill trade '" + std::string(trade_id) + "'"});
      return;
  }
  ++stats_.events_applied;
  if (fill) ++stats_.fills_applied;
  if (!venue_id_known) note_venue_id(o);
  if (o.is_terminal()) orders_.close(o.id());
  auto append = [&]() -> Result<JournalSeq, JournalError> {
    if (!journal_contents_) {
      bare_event_.order_id = o.id();
      bare_event_.event = r.event;
      return journal_.append_event(bare_event_);
    }
    OrderEventRecord rec = record();
    rec.order_id = o.id();
    rec.event = r.event;
    return journal_.append_event(rec);
  };
  if (auto seq = append(); !seq) {
    // The state stays applied (it is what the venue did); the venue can replay it after a restart.
    ++stats_.journal_failures;
    if (!halted_) report_invariant({InvariantKind::JournalFailed, o.id(), "event not journaled: " + seq.error().message});
  }
  notify_update(o, r);
  if (fill)
    for (std::size_t i = 0; i < listeners_.size(); ++i) listeners_[i]->on_order_filled(o, *fill);
}

void OrderManager::notify_update(const Order& o, const ApplyResult& r) {
  const OrderUpdate u{o, r.event, r.previous, r.first_ack, r.first_fill, r.became_terminal};
  for (std::size_t i = 0; i < listeners_.size(); ++i) listeners_[i]->on_order_updated(u);
}

void OrderManager::report_invariant(InvariantBreak what) {
  ++stats_.invariant_breaks;
  spdlog::critical("Invariant broken, trading halted kind={} order_id={} detail=\"{}\"", to_string(what.kind), what.order_id, what.detail);
  if (!halted_) {
    halted_ = true;
    halt_reason_ = std::string(to_string(what.kind)) + ": " + what.detail;
  }
  for (std::size_t i = 0; i < listeners_.size(); ++i) listeners_[i]->on_invariant_broken(what);
}

// --- Reconciliation helpers -------------------------------------------------------------------------------

void OrderManager::apply_status_report(OrderId id, const OrderStatusReport& rep) {
  Order* o = mut(id);
  if (!o) return;
  if (!rep.venue_order_id.empty()) {
    o->learn_venue_order_id(rep.venue_order_id);
    note_venue_id(*o);
  }
  const auto& i = o->instrument();
  const auto& c = o->client_order_id();
  switch (rep.status) {
    case OrderStatus::Accepted:
    case OrderStatus::PartiallyFilled:
    case OrderStatus::PendingCancel:
    case OrderStatus::PendingUpdate:
    case OrderStatus::Filled:  // filled status comes from the fills themselves, never from a report
      if (!o->acked() && !o->is_terminal()) on_venue_event(OrderAccepted{i, c, rep.venue_order_id, rep.ts_event_ns});
      break;
    case OrderStatus::Canceled: on_venue_event(OrderCanceled{i, c, rep.venue_order_id, rep.ts_event_ns}); break;
    case OrderStatus::Expired: on_venue_event(OrderExpired{i, c, rep.venue_order_id, rep.ts_event_ns}); break;
    case OrderStatus::Rejected:
      on_venue_event(OrderRejected{i, c, VenueError{VenueErrorReason::Other, "", "venue reports the order rejected"}, rep.ts_event_ns});
      break;
    case OrderStatus::Initialized:
    case OrderStatus::Submitted: break;
  }
}

bool OrderManager::mark_not_found(OrderId id) {
  Order* o = mut(id);
  if (!o || o->acked() || o->filled_quantity().is_positive()) return false;
  if (o->status() != OrderStatus::Submitted && o->status() != OrderStatus::PendingCancel) return false;
  on_venue_event(OrderRejected{o->instrument(), o->client_order_id(),
                               VenueError{VenueErrorReason::UnknownOrder, "", "not found at the venue by client order id"},
                               clock_.now_ns()});
  return true;
}

std::size_t OrderManager::apply_fill_history(std::span<const OrderFilled> fills) {
  const auto before = stats_.fills_applied;
  for (const auto& f : fills) on_venue_event(f);
  return static_cast<std::size_t>(stats_.fills_applied - before);
}

// --- Queries ----------------------------------------------------------------------------------------------

void OrderManager::note_venue_id(const Order& o) {
  // An order's venue id never changes once learned: queue it for the index once.
  if (!o.venue_order_id().empty() && orders_.queue_venue_id(o.id())) venue_ids_pending_.push_back(o.id());
}

void OrderManager::index_venue_ids() const {
  for (OrderId id : venue_ids_pending_)
    if (const Order* o = mut(id)) by_venue_order_id_.emplace(VenueOrderKey{o->instrument(), o->venue_order_id()}, id);
  venue_ids_pending_.clear();
}

Order* OrderManager::by_client_id(const ClientOrderId& id) const {
  if (Order* o = mut(recent_client_ids_[recent_slot(id)]); o && o->client_order_id() == id) return o;
  if (auto decoded = codec_.decode(id))
    if (Order* o = mut(*decoded); o && o->client_order_id() == id) return o;
  if (foreign_client_ids_.empty()) return nullptr;
  auto it = foreign_client_ids_.find(id);
  return it == foreign_client_ids_.end() ? nullptr : mut(it->second);
}

const Order* OrderManager::find_by_client_id(const ClientOrderId& id) const { return by_client_id(id); }
const Order* OrderManager::find_by_venue_order_id(const InstrumentId& instrument, const VenueOrderId& id) const {
  index_venue_ids();
  auto it = by_venue_order_id_.find(VenueOrderKey{instrument, id});
  return it == by_venue_order_id_.end() ? nullptr : mut(it->second);
}

std::vector<const Order*> OrderManager::open_orders() const {
  std::vector<const Order*> r;
  r.reserve(orders_.open_count());
  orders_.for_each_open([&](const Order& o) { r.push_back(&o); });
  return r;
}

std::vector<const Order*> OrderManager::open_orders(const InstrumentId& instrument) const {
  std::vector<const Order*> r;
  orders_.for_each_open([&](const Order& o) {
    if (o.instrument() == instrument) r.push_back(&o);
  });
  return r;
}

std::vector<const Order*> OrderManager::orders_for_strategy(const StrategyId& strategy, bool open_only) const {
  std::vector<const Order*> r;
  auto take = [&](const Order& o) {
    if (o.spec().strategy_id == strategy) r.push_back(&o);
  };
  if (open_only) orders_.for_each_open(take);
  else orders_.for_each(take);
  return r;
}

std::vector<const Order*> OrderManager::all_orders() const {
  std::vector<const Order*> r;
  r.reserve(orders_.size());
  orders_.for_each([&](const Order& o) { r.push_back(&o); });
  return r;
}

}  // namespace tradingd
