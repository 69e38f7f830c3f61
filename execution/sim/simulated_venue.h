// SimulatedVenue: the matching engine paper trading and backtests run against — an ExecutionVenue fed by
// market data (MarketDataSink), pure and clock-driven: no sockets, timers or threads. The same code serves
// live data (paper) and historical data (backtest); with the same data, orders and seed it produces the
// same fills byte for byte. Invariants: time never goes backwards inside the venue; fills never exceed the
// volume the market offered; balances are exact fixed point; no exception leaves a public method.
//
// TIME AND LATENCY. The venue reads the injected Clock. A request sent at t reaches the matching engine at
//   t + market_data_ns + order_entry_ns + jitter,   its answers reach the sink at  t_engine + response_ns + jitter.
// Requests travel FIFO (one connection: a cancel never overtakes the submit before it) and so do answers.
// Market-data latency is modelled as the age of the data the strategy acted on: the driver hands each
// market event to strategy and venue at the same instant, so the request is delayed instead; fills are the
// same as with a delayed strategy feed. A cancel that arrives after the order filled is rejected
// (UnknownOrder with the venue's code): the cancel lost the race. Queued work runs in advance_to(now) and
// at the start of each market-data callback; a market event at t is matched before a request arriving at
// the same t (it was already in flight). Backtests step the clock to next_event_ns() (see run_until).
//
// DATA MODES, per instrument, by the richest data seen: L2 book (BookUpdate) > top of book (QuoteTick) >
// last trade (TradeTick) > candles (Bar only). The venue keeps its own copy of the book and removes the
// liquidity its simulated orders consumed from that copy until the feed next sets the level; "size added
// at a level" is always measured against the feed's previous size, never against our consumed copy.
//
// MARKET ORDERS walk the far side of the L2 book: one fill per level at the level's price (the average is
// the VWAP); if the book runs out, GTC/IOC keep what filled and expire the rest, FOK fills all or nothing.
// Without depth they fill completely at the best quote (or the last trade) moved against them by the
// instrument's slippage model (fixed bps, absolute, or volatility/spread scaled). Never at mid.
//
// LIMIT ORDERS that cross the far side take at book prices (taker fee), as far as their limit allows; the
// rest follows the time in force: GTC rests, IOC expires, FOK fills entirely or not at all, POST_ONLY is
// rejected (venue's code) instead of taking. A resting order is a maker at its own price and fills when:
//   - a trade prints through its price (sell below a resting buy): up to the trade's size, queue cleared;
//   - a trade prints at its price against its side: only the volume beyond the queue ahead reaches it
//     (queue_model.h); with fill_on_touch the queue is ignored (optimistic);
//   - the far side of the book moves through its price (a new ask below a resting buy, or at it with
//     fill_on_touch): the size added at those levels reaches it, as that order would have hit ours.
// Within one market event our resting orders share its volume in price-time priority, so the sum of our
// fills never exceeds what printed or appeared; volume our orders priced through a print absorbed never
// reaches the queue at the print's price (the aggressor would have hit them first). Without depth the queue ahead is unknown and taken as
// zero; a level first seen after we joined counts entirely ahead of us.
//
// STOP ORDERS wait for the last trade (or the mark price: StopTriggerSource) to reach the trigger (buy: >=,
// sell: <=), emit OrderTriggered, then act as a market or limit order at that moment. A stop whose trigger
// is already crossed on arrival is rejected on Binance and fires at once elsewhere.
//
// CANDLE MODE (bars only; closed bars are used). An order is matched against the bars that open at or
// after it was sent. Market orders fill at the bar's open moved by slippage (taker). A limit that crossed
// the last close when it arrived is treated the same way, capped at its limit; otherwise (or if the open
// gapped away) it rests and fills as a maker at its own price when the bar's range trades through it (low
// below a buy, high above a sell; touching is enough with fill_on_touch), limited by the participation cap
// (candle_participation_pct of the bar's volume, shared by our orders, rounded down to the step), so it
// may fill over several bars. IOC/FOK get only the open. Intra-candle ordering is unknown, so it is assumed
// conservative: orders at the open first, then stops (the stop-loss side), then resting limits (the take-
// profit side) — when both a stop-loss and a take-profit lie inside a bar, the stop-loss fills first and a
// reduce-only take-profit then finds no position. A triggered stop-limit rests from the next bar on. Fills
// at the open carry the open's time, the others the bar's close.
//
// FEES per instrument: maker/taker rates (config, else the venue's base tier: fee_model.h), charged in the
// quote/settlement asset, or per Binance's received-asset rule for spot buys when enabled.
// RULES: tick, step, min/max quantity and min notional are checked on arrival (market orders against the
// far touch) and rejected with the venue's reason and code (venue_errors.h).
// HISTORY: the last fill_history_kept fills stay queryable (fills_since, the fill log); finished orders
// are forgotten after max_terminal_orders_kept, as real venues forget old orders.
// BALANCES: spot orders lock what they may spend (buy: limit notional plus the larger fee; sell: the base
// quantity); market orders are checked against the exact cost of their fills; perps lock notional/leverage
// (sim_account.h). Insufficient funds are rejected with the venue's code. Reduce-only applies to perps: it
// is rejected when it cannot reduce and is cut to the position at each fill; spot ignores the flag.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <limits>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "exchange/book/order_book.h"
#include "exchange/execution_venue.h"
#include "exchange/market_data.h"
#include "execution/sim/book_fill.h"
#include "execution/sim/decimal_id.h"
#include "execution/sim/fee_model.h"
#include "execution/sim/latency_model.h"
#include "execution/sim/order_store.h"
#include "execution/sim/ring_queue.h"
#include "execution/sim/sim_account.h"
#include "execution/sim/sim_config.h"
#include "execution/sim/sim_order.h"
#include "execution/sim/sim_snapshot.h"
#include "execution/sim/slippage_model.h"
#include "execution/sim/slot_index.h"
#include "execution/sim/venue_errors.h"

namespace tradingd::sim {

// Counters of the venue, in one place (exported by the daemon as metrics).
struct SimVenueStats {
  std::uint64_t market_events = 0;
  std::uint64_t orders_received = 0;
  std::uint64_t orders_rejected = 0;
  std::uint64_t fills = 0;
  std::uint64_t cancels = 0;
  std::uint64_t cancel_rejects = 0;
  std::uint64_t expiries = 0;
  std::uint64_t internal_errors = 0;  // a broken invariant caught at the boundary: the daemon should halt
  std::string last_error;
};

enum class DataMode : std::uint8_t { None, Candle, LastTrade, TopOfBook, Depth };

class SimulatedVenue final : public ExecutionVenue, public MarketDataSink {
 public:
  SimulatedVenue(SimVenueConfig config, const Clock& clock);

  // ExecutionVenue
  Venue venue() const override { return config_.venue; }
  VenueCapabilities capabilities() const override;
  void set_event_sink(VenueEventSink* sink) override { sink_ = sink; }
  void submit(const OrderRequest& request) override;
  void cancel(const CancelRequest& request) override;
  void cancel_all(const std::optional<InstrumentId>& instrument) override;
  void query_order(const InstrumentId& instrument, const ClientOrderId& id,
                   VenueCallback<OrderStatusReport> done) override;
  void open_orders(const std::optional<InstrumentId>& instrument,
                   VenueCallback<std::vector<OrderStatusReport>> done) override;
  void fills_since(const InstrumentId& instrument, UnixNanos since_ns,
                   VenueCallback<std::vector<OrderFilled>> done) override;
  void account(VenueCallback<AccountReport> done) override;
  void set_leverage(const InstrumentId& instrument, int leverage, VenueCallback<int> done) override;

  // MarketDataSink: the "true" market the matching engine sees.
  void on_trade(const TradeTick& t) override;
  void on_quote(const QuoteTick& q) override;
  void on_book(const BookUpdate& u) override;
  // A bar that only moves its instrument's last close (nothing due, no order waiting for a bar, no
  // housekeeping) is answered inline: the node calls the final class directly, once per bar. Any other bar
  // takes the full path, which does the same for it and more.
  void on_bar(const Bar& b) override {
    const UnixNanos now = std::max(now_ns_, clock_.now_ns());
    if (next_due_ <= now || busy_ != 0 || !is_last_instrument(b.instrument)) return on_bar_full(b);
    InstrumentState& st = instruments_[static_cast<std::size_t>(last_instrument_)];
    if (!st.candle.empty() || st.lists_dirty) return on_bar_full(b);
    now_ns_ = now;
    ++stats_.market_events;
    if (b.closed) note_closed_bar(st, b);
  }
  void on_mark_price(const MarkPriceUpdate& m) override;

  // Runs everything due at or before now_ns: arrivals at the engine, deliveries to the sink. The driver and
  // the node's tick call it several times per market event, nearly always with nothing due: that case is
  // answered inline from cached fields.
  void advance_to(UnixNanos now_ns) {
    if (next_due_ > now_ns && busy_ == 0) {
      if (now_ns > now_ns_) now_ns_ = now_ns;
      return;
    }
    advance_due(now_ns);
  }
  // When the next queued arrival or delivery is due; nullopt when idle. Called by the driver before every
  // market event, so it reads one cached field.
  std::optional<UnixNanos> next_event_ns() const {
    return next_due_ == kIdle ? std::nullopt : std::optional<UnixNanos>(next_due_);
  }

  // The most recent fills (at least fill_history_kept, or all) in the order the engine made them, and
  // their text rendering (fill_log.h).
  const RingQueue<OrderFilled>& fill_log() const { return fill_log_; }
  std::string render_fill_log() const;
  const SimVenueStats& stats() const { return stats_; }
  AccountReport account_now() const;
  std::optional<OrderStatusReport> order_report(const ClientOrderId& id) const;
  const OrderBook* book(const InstrumentId& instrument) const;
  DataMode data_mode(const InstrumentId& instrument) const;
  std::optional<SimPosition> position(const InstrumentId& instrument) const;

  SimVenueSnapshot snapshot() const;
  // Replaces the venue's state with the snapshot's (books stay empty until the next market data).
  Result<bool, std::string> restore(const SimVenueSnapshot& snapshot);

 private:
  struct RestingRef {
    Price price;
    std::uint64_t seq = 0;
    std::uint32_t order = 0;
  };
  // Liquidity our simulated orders took from a level, until the feed sets that level again: the feed's
  // last size is the copy's size plus this, and "new size at a level" is measured against the feed.
  struct Consumed {
    Side side = Side::Buy;
    Price price;
    Quantity qty;
  };
  struct InstrumentState {
    SimInstrumentConfig cfg;
    FeeRates fees;
    SlippageConfig slippage;
    Rate participation_pct;
    OrderBook book;
    bool has_depth = false, has_quote = false, has_trade = false, has_bars = false;
    std::optional<Price> last_price, mark_price, last_close;
    VolatilityEstimator vol;
    std::vector<RestingRef> bids, asks;  // resting limits, best price first, then time
    std::vector<std::uint32_t> stops;    // untriggered stops (not candle mode)
    std::vector<std::uint32_t> candle;   // candle-mode orders, arrival order
    SimPosition position;
    bool lists_dirty = false;            // some listed order is Done: compact after the pass
    std::vector<Consumed> consumed;      // few entries: levels our takers or crossings ate into
    // The last slippage offset and the reference price it was computed for (models that depend on the
    // reference alone): a candle market order is checked against the last close on arrival and fills at
    // the next open, most often the same price, so the offset is computed once.
    Price slip_ref, slip_offset;
    bool slip_known = false;
    const Instrument& inst() const { return cfg.instrument; }
    DataMode mode() const {
      if (has_depth) return DataMode::Depth;
      if (has_quote) return DataMode::TopOfBook;
      if (has_trade) return DataMode::LastTrade;
      if (has_bars) return DataMode::Candle;
      return DataMode::None;
    }
  };
  struct Inbound {
    PendingKind kind = PendingKind::Submit;
    UnixNanos at = 0;
    UnixNanos sent = 0;
    std::uint64_t seq = 0;
    OrderRequest order;
    CancelRequest cancel;
    std::optional<InstrumentId> instrument;
  };
  struct Outbound {
    UnixNanos at = 0;
    std::uint64_t seq = 0;
    VenueEvent event;
  };

  // simulated_venue.cpp: queues, events, bookkeeping. The common cases (the feed's instrument again,
  // nothing due, nothing to compact or forget) are inline: every market event passes through them.
  int find_instrument(const InstrumentId& id) const {
    static_assert(std::is_trivially_copyable_v<InstrumentId>);
    // Identical bytes are equal ids: the ids of one feed are copies of each other, so a few fixed-size
    // loads answer the common case; anything else (other bytes past a symbol's end) takes the search.
    return is_last_instrument(id) ? last_instrument_ : search_instrument(id);
  }
  bool is_last_instrument(const InstrumentId& id) const {
    return last_instrument_ >= 0 &&
           std::memcmp(&instruments_[static_cast<std::size_t>(last_instrument_)].inst().id, &id, sizeof(InstrumentId)) == 0;
  }
  int search_instrument(const InstrumentId& id) const;
  // A new request sent now, queued for its arrival at the engine: the caller fills in its content.
  Inbound& enqueue_request(PendingKind kind);
  void refresh_next_due();
  void process_until(UnixNanos t, bool inclusive) {
    if (busy_ & kProcessing) return;  // a sink calling back into advance_to: the outer loop carries on
    if (inclusive ? next_due_ > t : next_due_ >= t) {  // nothing due: the common case, once per market event
      evict_terminal();
      return;
    }
    process_due(t, inclusive);
  }
  void process_due(UnixNanos t, bool inclusive);
  void advance_due(UnixNanos now_ns);
  void handle_inbound(const Inbound& msg);
  // Queues an answer for the sink, after the response latency (FIFO); built in its queue slot.
  template <class Event>
  void emit(UnixNanos ts, Event&& ev) {
    UnixNanos at = ts + latency_.response_ns(rng_);
    at = std::max(at, last_response_ns_);
    last_response_ns_ = at;
    Outbound& out = outbound_.push_slot();
    out.at = at;
    out.seq = next_message_seq_++;
    out.event = std::forward<Event>(ev);
    next_due_ = std::min(next_due_, at);
  }
  void note_error(const char* where, const std::exception& e);
  // client_hash: hash_text of the request's client order id (the arrival already looked it up).
  SimOrder& new_order(const OrderRequest& req, std::uint32_t instrument, UnixNanos sent, UnixNanos arrived,
                      std::uint64_t client_hash);
  void finish(SimOrder& o, OrderStatus status, UnixNanos t);
  void compact(InstrumentState& st) {
    if (st.lists_dirty) compact_lists(st);
  }
  void compact_lists(InstrumentState& st);
  void evict_terminal() {
    if (busy_ & kHousekeeping) forget_terminal();  // rarely: an order finished since the last pass
  }
  void forget_terminal();
  OrderStatusReport report_of(const SimOrder& o) const;
  static std::uint32_t index_of(const SimOrder& o) { return o.slot; }
  // The slot of the order known by this id (client ids: the latest order that used it), or SlotIndex::npos.
  std::uint32_t find_client(const ClientOrderId& id) const { return find_client(id, hash_text(id.view())); }
  std::uint32_t find_client(const ClientOrderId& id, std::uint64_t hash) const;
  std::uint32_t find_venue(const VenueOrderId& id) const;
  void index_order(std::uint32_t idx, std::uint64_t client_hash);
  void unindex_order(std::uint32_t idx);
  // The indexes start with room for kIndexJumpOrders orders. A venue that reaches that many (a backtest)
  // will likely keep its maximum of finished orders: they then grow to it in one step instead of doubling
  // through every size (a rehash each), capped at kIndexMaxReserved (512 KB per index).
  static constexpr std::uint32_t kIndexJumpOrders = 1'024;
  static constexpr std::size_t kIndexMaxReserved = 32'768;
  void reserve_indexes();

  // venue_orders.cpp: arrival, validation, funds, taker execution, fills
  void on_submit_arrival(const Inbound& msg);
  void on_cancel_arrival(const Inbound& msg);
  void on_cancel_all_arrival(const Inbound& msg);
  void reject(const OrderRequest& req, UnixNanos t, RejectKind why);
  std::optional<RejectKind> validate(const InstrumentState& st, const OrderRequest& req) const;
  std::optional<Price> far_touch(const InstrumentState& st, Side taker_side) const;
  bool is_marketable(const InstrumentState& st, Side side, Price limit) const;
  // Funds are judged on the request, so an arrival decides before the order is stored.
  Money lock_required(const InstrumentState& st, const OrderRequest& r, Quantity remaining) const;
  static const Asset& lock_asset_of(const Instrument& inst, Side side);
  // Can the order pay for these taker fills, counting the `locked` amount of `lock_asset` it already holds?
  // One slice of a spot order (every candle-mode taker, quote and last-trade takers) is judged here, with
  // the general path's sums: its notional and fee are computed for both sides as there, so an overflow
  // surfaces alike. Perps and book walks take can_afford_slices.
  bool can_afford_taker(const InstrumentState& st, const OrderRequest& r, const Asset& lock_asset, Money locked,
                        const std::vector<FillSlice>& slices) const {
    const Instrument& inst = st.inst();
    if (slices.size() != 1 || inst.is_perpetual()) return can_afford_slices(st, r, lock_asset, locked, slices);
    const FillSlice& s = slices.front();
    Money n = notional(s.price, s.qty, Rounding::Nearest);
    if (inst.contract_multiplier != Quantity::from_units(1))
      n = fixed_mul<Money>(n, inst.contract_multiplier, Rounding::Nearest);
    const Money fee = apply_rate(n, std::max(st.fees.taker, Rate::zero()), Rounding::Up);
    if (r.side == Side::Sell)
      return account_.free(inst.base) + (lock_asset == inst.base ? locked : Money::zero()) >= fixed_cast<Money>(s.qty);
    const bool fee_in_base = fee_in_base_asset(inst, Side::Buy, config_.binance_fee_in_received_asset);
    return account_.free(inst.quote) + (lock_asset == inst.quote ? locked : Money::zero()) >=
           n + (fee_in_base ? Money::zero() : fee);
  }
  bool can_afford_slices(const InstrumentState& st, const OrderRequest& r, const Asset& lock_asset, Money locked,
                         const std::vector<FillSlice>& slices) const;
  bool can_afford_taker(const InstrumentState& st, const SimOrder& o, const std::vector<FillSlice>& slices) const {
    return can_afford_taker(st, o.req, o.lock_asset, o.locked, slices);
  }
  // slippage_offset for this instrument at this reference (spread: the book's, when known).
  static Price slippage_at(InstrumentState& st, Price reference, std::optional<Price> spread);
  void taker_plan(InstrumentState& st, Side side, Quantity qty, std::optional<Price> limit,
                  std::vector<FillSlice>& out) const;
  // Acts on an order that is live now (on arrival or when its stop fired): take, then rest or end.
  void activate(SimOrder& o, InstrumentState& st, UnixNanos t, bool on_arrival);
  void execute_taker(SimOrder& o, InstrumentState& st, std::vector<FillSlice>& slices, UnixNanos t);
  void rest(SimOrder& o, InstrumentState& st);
  Quantity reduce_only_cap(Side side, const InstrumentState& st) const;
  Quantity reduce_only_cap(const SimOrder& o, const InstrumentState& st) const { return reduce_only_cap(o.req.side, st); }
  // Fills up to qty (cut to the position for reduce-only); returns what filled. May finish the order.
  Quantity fill(SimOrder& o, InstrumentState& st, Price price, Quantity qty, LiquiditySide liq, UnixNanos t);
  void expire(SimOrder& o, UnixNanos t);

  // venue_market.cpp: market data, resting fills, stops
  // What every market-data callback does first: run what was due strictly before now (the event was
  // already in flight), move engine time to now and count the event. Returns the event's instrument, or
  // nullptr for one the venue does not trade (then everything due at now has run too: nothing else to do).
  InstrumentState* begin_market_event(const InstrumentId& id) {
    const UnixNanos now = clock_.now_ns();
    market_prologue(now);
    now_ns_ = std::max(now_ns_, now);
    ++stats_.market_events;
    const int ii = find_instrument(id);
    if (ii < 0) {
      process_until(now_ns_, true);
      return nullptr;
    }
    return &instruments_[static_cast<std::size_t>(ii)];
  }
  void market_prologue(UnixNanos now) { process_until(now, false); }
  void market_epilogue(InstrumentState& st, UnixNanos now) {
    compact(st);
    process_until(now, true);
  }
  void apply_levels(InstrumentState& st, std::span<const BookLevel> bids, std::span<const BookLevel> asks,
                    bool snapshot, UnixNanos t);
  void level_changed(InstrumentState& st, Side side, Price price, Quantity new_size, UnixNanos t);
  void resting_on_trade(InstrumentState& st, const TradeTick& t, UnixNanos now);
  void check_stops(InstrumentState& st, Price price, UnixNanos t);
  static Quantity take_consumed(InstrumentState& st, Side side, Price price);
  static void add_consumed(InstrumentState& st, Side side, Price price, Quantity qty);

  // venue_candle.cpp
  void on_bar_full(const Bar& b);
  // What every closed bar tells its instrument, whether or not an order waits for it.
  void note_closed_bar(InstrumentState& st, const Bar& bar) {
    st.has_bars = true;
    st.last_close = bar.close;
    if (st.slippage.kind == SlippageKind::Volatility) st.vol.observe(bar.close, st.slippage.volatility_ewma_lambda);
  }
  void candle_arrival(SimOrder& o, InstrumentState& st, UnixNanos t);
  void process_bar(InstrumentState& st, const Bar& bar, UnixNanos now);
  void match_bar(InstrumentState& st, const Bar& bar, UnixNanos now);

  SimVenueConfig config_;
  const Clock& clock_;
  VenueEventSink* sink_ = nullptr;
  LatencyModel latency_;
  SimRng rng_;
  SimAccount account_;
  std::vector<InstrumentState> instruments_;
  mutable int last_instrument_ = -1;

  // Order storage: slots reused once a finished order is forgotten; the indexes point into it.
  OrderStore orders_;
  std::vector<std::uint32_t> free_slots_;
  RingQueue<std::uint32_t> terminal_;  // finished orders, oldest first, until forgotten
  SlotIndex by_client_id_;
  SlotIndex by_venue_number_;          // our venue order ids are numbers (SimOrder::number)

  RingQueue<Inbound> inbound_;
  RingQueue<Outbound> outbound_;
  std::uint64_t next_message_seq_ = 1;
  std::uint64_t next_order_seq_ = 1;
  DecimalCounter<VenueOrderId::capacity()> order_ids_{1};  // venue order numbers and their ids
  DecimalCounter<TradeId::capacity()> trade_ids_{1};
  UnixNanos last_request_arrival_ns_ = 0;
  UnixNanos last_response_ns_ = 0;
  UnixNanos now_ns_ = 0;  // latest engine time processed
  static constexpr UnixNanos kIdle = std::numeric_limits<UnixNanos>::max();
  UnixNanos next_due_ = kIdle;  // the earlier front of inbound_/outbound_ (both FIFO in time), kIdle if empty
  // Why the inline fast paths (advance_to, on_bar) must not answer: one byte, so they test it once.
  static constexpr std::uint8_t kProcessing = 1;    // inside process_due
  static constexpr std::uint8_t kHousekeeping = 2;  // an order finished since the last compaction/eviction pass
  std::uint8_t busy_ = 0;

  std::vector<FillSlice> slices_;  // scratch for taker plans (no allocation per order once warm)
  OrderBook scratch_book_;         // scratch for book snapshots
  std::vector<Price> scratch_prices_;
  std::vector<SimOrder*> scratch_orders_;
  // Written in place by each fill; every fill_history_kept fills the oldest are dropped in one step (kept:
  // between fill_history_kept and twice that), without moving the rest.
  RingQueue<OrderFilled> fill_log_;
  SimVenueStats stats_;
};

// Steps a simulated clock through every queued venue event up to t, then to t: the backtest driver's
// loop between two market events, so each arrival and delivery happens at its own simulated time.
void run_until(SimulatedClock& clock, SimulatedVenue& venue, UnixNanos t);

}  // namespace tradingd::sim
