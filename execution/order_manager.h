// OrderManager: owns every order. Creates them from validated specs, journals each intent and sends it
// only once the intent is durable, cancels, applies venue events through the transition table, and tells
// listeners. Single-threaded (the event loop); no sockets, no timers, time from the injected Clock.
// Invariants: an order reaches ExecutionVenue::submit at most once, and only after its intent's journal
// sequence is durable; every applied event is journaled; a fill counts once per (order, trade id).
// Events a venue emits synchronously from inside submit()/cancel() are queued and applied right after the
// call returns, so listeners always see an order's updates in order.
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <deque>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "exchange/execution_venue.h"
#include "execution/client_order_id.h"
#include "execution/order.h"
#include "execution/order_journal.h"
#include "execution/order_listener.h"
#include "execution/order_store.h"

namespace tradingd {

enum class OrderErrorKind : std::uint8_t {
  UnknownOrder,
  UnknownVenue,   // no ExecutionVenue registered for the instrument's venue
  InvalidState,   // e.g. submit of an order already sent, cancel of a terminal order
  JournalFailed,  // the intent could not be journaled: the order was rejected locally, never sent
  Halted,         // an invariant broke earlier: no new orders
};
std::string_view to_string(OrderErrorKind k);

struct OrderError {
  OrderErrorKind kind = OrderErrorKind::InvalidState;
  std::string detail;
};

// Which orders cancel_all() targets; empty fields match everything.
struct CancelScope {
  std::optional<Venue> venue;
  std::optional<InstrumentId> instrument;
};

struct RestoreSummary {
  std::size_t orders = 0;
  std::size_t events = 0;
  std::size_t open_orders = 0;
  OrderId next_order_id = 1;
};

class OrderManager final : public VenueEventSink {
 public:
  OrderManager(const Clock& clock, OrderJournal& journal, ClientOrderIdCodec codec);
  ~OrderManager() override;
  OrderManager(const OrderManager&) = delete;
  OrderManager& operator=(const OrderManager&) = delete;

  // Registers a venue and makes this manager its event sink. One venue per Venue value. The venue must
  // outlive the manager (the destructor detaches the sink).
  void add_venue(ExecutionVenue& venue);
  ExecutionVenue* venue(Venue v) const;
  VenueCapabilities capabilities(Venue v) const;
  std::vector<ExecutionVenue*> venues() const;
  void add_listener(OrderListener& listener);
  void remove_listener(OrderListener& listener);

  // Rebuilds orders and fills from the journal (before any order exists; listeners are not called:
  // components rebuild from all_orders()). Every restored intent counts as submitted, since it may have
  // been sent; reconciliation settles the open ones. An event that does not replay cleanly is an error.
  Result<RestoreSummary, std::string> restore(const JournalSnapshot& snapshot);

  // A new order in Initialized, with its id and client order id.
  Result<OrderId, OrderError> create(const OrderSpec& spec);
  // Journals the intent and sends it now (durable at once) or when poll_journal() sees its commit.
  Result<OrderId, OrderError> submit(OrderId id);
  // Sends the intents whose group commit completed; rejects them locally if the journal failed.
  // Call from the journal's commit notification and from the timer. Returns how many were sent.
  // Inline when nothing waits: the timer calls it on every tick (a backtest: every bar).
  std::size_t poll_journal() { return awaiting_.empty() ? 0 : send_committed(); }
  // Asks the venue to cancel (an order still awaiting its journal commit is canceled locally: never sent).
  Result<OrderId, OrderError> cancel(OrderId id);
  // Cancels every open order in scope, using the venue's cancel-all endpoint where it has one (which
  // also cancels orders of the account we do not know). Returns how many of our orders were targeted.
  std::size_t cancel_all(const CancelScope& scope = {});

  // VenueEventSink
  void on_venue_event(const VenueEvent& event) override;

  // Reconciliation (OrderResolver, Reconciler): the venue's answer to a query, applied as events.
  void apply_status_report(OrderId id, const OrderStatusReport& report);
  // The venue does not know the client order id: an order it never acked and never filled is rejected
  // ("not found"). Returns false (and changes nothing) when the order has been acked or filled.
  bool mark_not_found(OrderId id);
  // Fills from a venue listing, de-duplicated by trade id like any other; returns how many were new.
  std::size_t apply_fill_history(std::span<const OrderFilled> fills);

  const Order* find(OrderId id) const { return orders_.find(id); }
  const Order* find_by_client_id(const ClientOrderId& id) const;
  const Order* find_by_venue_order_id(const InstrumentId& instrument, const VenueOrderId& id) const;
  std::vector<const Order*> open_orders() const;  // by id
  std::vector<const Order*> open_orders(const InstrumentId& instrument) const;
  std::vector<const Order*> orders_for_strategy(const StrategyId& strategy, bool open_only = false) const;
  std::vector<const Order*> all_orders() const;  // by id
  std::size_t order_count() const { return orders_.size(); }
  std::size_t open_order_count() const { return orders_.open_count(); }
  // f(const Order&) for every open order, by id, without building a vector. f must not change orders.
  template <class F>
  void for_each_open(F&& f) const {
    orders_.for_each_open([&](const Order& o) { f(o); });
  }
  std::size_t awaiting_journal() const { return awaiting_.size(); }
  OrderId next_order_id() const { return next_order_id_; }
  const ClientOrderIdCodec& codec() const { return codec_; }

  bool halted() const { return halted_; }
  const std::string& halt_reason() const { return halt_reason_; }
  // Logs, counts, halts new orders and tells listeners. Components that find a broken invariant call it.
  void report_invariant(InvariantBreak what);
  const OrderManagerStats& stats() const { return stats_; }

 private:
  struct VenueSlot {
    ExecutionVenue* venue = nullptr;
    VenueCapabilities caps;
  };
  struct VenueOrderKey {
    InstrumentId instrument;
    VenueOrderId id;
    friend bool operator==(const VenueOrderKey&, const VenueOrderKey&) = default;
  };
  struct VenueOrderKeyHash {
    std::size_t operator()(const VenueOrderKey& k) const noexcept {
      return std::hash<InstrumentId>{}(k.instrument) ^ (std::hash<VenueOrderId>{}(k.id) * 0x9e3779b97f4a7c15ULL);
    }
  };

  void dispatch(const VenueEvent& event);
  void handle(const OrderAccepted& e, const VenueEvent& raw);
  void handle(const OrderRejected& e, const VenueEvent& raw);
  void handle(const OrderSubmitUnknown& e, const VenueEvent& raw);
  void handle(const OrderCanceled& e, const VenueEvent& raw);
  void handle(const OrderCancelRejected& e, const VenueEvent& raw);
  void handle(const OrderExpired& e, const VenueEvent& raw);
  void handle(const OrderTriggered& e, const VenueEvent& raw);
  void handle(const OrderFilled& e, const VenueEvent& raw);
  void handle(const AccountReport& e, const VenueEvent& raw);
  void handle(const VenueConnectionChanged& e, const VenueEvent& raw);
  void handle_status(const InstrumentId& instrument, const ClientOrderId& cid, const VenueOrderId& vid,
                     OrderEvent event, UnixNanos ts_event_ns, const VenueError* error, const VenueEvent& raw);

  Order* mut(OrderId id) const { return orders_.find(id); }
  Order* by_client_id(const ClientOrderId& id) const;
  // Makes by_venue_order_id_ cover every venue id learned so far (it is built lazily: only events
  // without a known client order id and the reconciler look orders up by venue id).
  void index_venue_ids() const;
  void note_venue_id(const Order& o);
  Order* lookup(const InstrumentId& instrument, const ClientOrderId& cid, const VenueOrderId& vid, const VenueEvent& raw);
  LocalStamp stamp() const { return LocalStamp{clock_.now_ns(), clock_.monotonic_ns()}; }
  OrderEventRecord record_for(const Order& o, OrderEvent event, UnixNanos ts_event_ns) const;
  // Bookkeeping, journal and listeners after Order::apply*; counts and logs what was not applied.
  // record() builds the event's journal record; it is called only when the journal keeps contents.
  // venue_id_known: the order's venue id was set before the event, so it is queued for the index already
  // (every path that sets it queues it), and finish() skips that check.
  template <class MakeRecord>
  void finish(Order& o, const ApplyResult& r, const Fill* fill, MakeRecord&& record, bool venue_id_known = false);
  void send_now(Order& o);
  void reject_locally(Order& o, std::string_view why);
  void notify_update(const Order& o, const ApplyResult& r);
  template <class F>
  void call_venue(F&& f);
  // Inline: it runs after every submit and venue event, and almost always finds nothing deferred.
  void drain_deferred() {
    if (!deferred_.empty()) drain_deferred_slow();
  }
  void drain_deferred_slow();
  std::size_t send_committed();  // poll_journal() with intents waiting

  const Clock& clock_;
  OrderJournal& journal_;
  const bool journal_contents_;  // journal_.keeps_contents()
  // What is appended when the journal keeps no contents: only the order id and the event are set per
  // append, instead of zeroing a ~300-byte record each time.
  OrderIntentRecord bare_intent_;
  OrderEventRecord bare_event_;
  ClientOrderIdCodec codec_;
  VenueSlot venues_[4];
  std::vector<OrderListener*> listeners_;

  // Every order, by id; the open ones are listed in it.
  OrderStore orders_;
  // Client order ids are codec_.encode(id), so decoding finds the order; only ids the codec did not make
  // (restored from a journal written under another prefix) need a map.
  std::unordered_map<ClientOrderId, OrderId> foreign_client_ids_;
  // Recently created orders by a hash of their client order id, direct-mapped (a later order may take a
  // slot): a venue event about a recent order costs one hash, one slot and one id comparison, where
  // decoding the id costs ~150 instructions. A miss (evicted, or never ours) falls back to decoding.
  static constexpr std::size_t kRecentClientIds = 1024;
  // Keyed by the id's last 8 characters, which for the codec's ids are the low base-36 digits of the order
  // id: consecutive orders take different slots, for a load and a multiply instead of a full hash.
  static std::size_t recent_slot(const ClientOrderId& id) {
    const std::string_view v = id.view();
    if (v.size() < 8) return id.hash() & (kRecentClientIds - 1);
    std::uint64_t w;
    std::memcpy(&w, v.data() + v.size() - 8, 8);
    static_assert(kRecentClientIds == std::size_t{1} << 10);
    return static_cast<std::size_t>((w * 0x9e3779b97f4a7c15ULL) >> 54);  // the top 10 bits
  }
  std::array<OrderId, kRecentClientIds> recent_client_ids_{};  // 0: empty (order ids start at 1)
  // (instrument, venue order id) -> order, first learned wins; brought up to date from venue_ids_pending_
  // (orders in the order their venue id was learned) when a lookup needs it.
  mutable std::unordered_map<VenueOrderKey, OrderId, VenueOrderKeyHash> by_venue_order_id_;
  mutable std::vector<OrderId> venue_ids_pending_;
  std::deque<std::pair<JournalSeq, OrderId>> awaiting_;  // intents waiting for their group commit, FIFO
  OrderId next_order_id_ = 1;

  int venue_call_depth_ = 0;
  bool draining_ = false;
  // Events a venue emitted during a call, applied in order once it returns (drain_deferred swaps them into
  // applying_). Both keep their capacity, so steady deferral allocates nothing.
  std::vector<VenueEvent> deferred_;
  std::vector<VenueEvent> applying_;
  bool halted_ = false;
  std::string halt_reason_;
  OrderManagerStats stats_;
};

}  // namespace tradingd
