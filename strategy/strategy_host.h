// StrategyHost: attaches strategies to a TradingNode, identically in backtest, paper and live mode. It is
// the node's market and order listener for all strategies and gives each one its own StrategyContext:
// market data only for its instruments (closed bars only), order updates and fills only for orders carrying
// its strategy_id, its own position (from its fills) and open orders, submit (stamped, sized by the
// configured sizer when unsized, then the node's validation and risk checks), cancel of its own orders,
// timers through the injected Scheduler (event time) and logging with strategy=<name>.
// Invariants: a callback that throws halts that strategy only (logged, counted, its open orders canceled),
// never the node; events a strategy's own submit/cancel cause synchronously are delivered after the
// callback returns, so callbacks never nest; an external program's death is a risk event (logged with its
// stderr tail, counted, its open orders canceled) followed by a supervised restart in paper/live, or by the
// strategy's end in a synchronous (backtest) run. Single-threaded: the node's event loop.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "config/config.h"
#include "core/clock.h"
#include "core/result.h"
#include "execution/node/scheduler.h"
#include "execution/node/trading_node.h"
#include "strategy/registry.h"
#include "strategy/strategy.h"

namespace boost::asio {
class io_context;
}

namespace tradingd {

class ProcessSupervisor;

struct StrategyHostOptions {
  TradingMode mode = TradingMode::Paper;
  bool synchronous_external = false;  // backtest: external programs driven bar by bar (deterministic)
  // The sizer (risk.sizing) and the limits it clamps computed sizes to; the node's own RiskGuard still
  // checks every order. Pass the same RiskConfig the node was built with.
  config::RiskConfig risk;
  // Paper/live external programs run under a ProcessSupervisor on this io_context (required for a
  // `command` entry unless synchronous_external).
  boost::asio::io_context* io = nullptr;
  std::int64_t external_read_timeout_ms = 10'000;  // synchronous: an unanswered line fails the program
  std::int64_t restart_initial_ms = 1'000;         // supervised: backoff doubling up to restart_max_ms
  std::int64_t restart_max_ms = 60'000;
  std::size_t stderr_tail_lines = 20;  // kept per external program, logged with its death
  // The "Strategy order" and "Strategy fill" log lines (info in paper/live, debug in a backtest): at most
  // this many of each per strategy per trade_log_window_ms of event time; the next line printed after a
  // gap says how many were left out (suppressed=N). 0: no such lines.
  std::uint32_t trade_log_burst = 10;
  std::int64_t trade_log_window_ms = 10'000;
};

inline constexpr std::size_t kSubmitRejectKindCount = static_cast<std::size_t>(SubmitRejectKind::Internal) + 1;

enum class StrategyRunState : std::uint8_t {
  Created,  // added, not started
  Running,
  Halted,   // a callback threw, or its external program is gone for good: receives nothing more
  Stopped,
};
std::string_view to_string(StrategyRunState s);

// One strategy's counters (plain values, read on the event loop).
struct StrategyHostStats {
  std::uint64_t signals = 0;    // ctx.submit calls
  std::uint64_t sized = 0;      // of which sized by the sizer
  std::uint64_t submitted = 0;  // became orders
  std::array<std::uint64_t, kSubmitRejectKindCount> rejected{};  // by SubmitRejectKind
  std::uint64_t cancels = 0;    // cancel requests sent
  std::uint64_t timers = 0;     // on_timer calls
  std::uint64_t errors = 0;     // callbacks that threw, external program deaths
  std::uint64_t deaths = 0;     // external program deaths
  std::uint64_t restarts = 0;   // restarts scheduled after a death (paper/live)
  std::uint64_t fills = 0;      // fills of its orders
  std::uint64_t rejected_for(SubmitRejectKind k) const { return rejected[static_cast<std::size_t>(k)]; }
};

class StrategyHost final : private MarketDataSink, private OrderListener {
 public:
  StrategyHost(TradingNode& node, const Clock& clock, Scheduler& scheduler, StrategyHostOptions options = {});
  ~StrategyHost() override;
  StrategyHost(const StrategyHost&) = delete;
  StrategyHost& operator=(const StrategyHost&) = delete;

  // Builds one enabled strategies[] entry (C++ via the registry, or `command` as an external program).
  // Error: disabled, duplicate name, unknown type, a bad parameter, no io for a supervised program, or a
  // synchronous program that could not be spawned. Call before start().
  Result<StrategyId, std::string> add_from_config(const config::StrategyConfig& cfg, const StrategyRegistry& registry);
  // For tests and embedders: a ready-made strategy object. Throws std::invalid_argument on an invalid or
  // duplicate name (a programming error).
  StrategyId add(std::string name, std::unique_ptr<Strategy> strategy, std::vector<InstrumentId> instruments);

  void start();  // calls on_start of every strategy; call after the node is Ready
  void stop();   // on_stop of every strategy, once

  std::size_t size() const { return slots_.size(); }
  std::vector<StrategyId> strategy_names() const;  // in the order added
  // nullptr for an unknown name.
  const StrategyHostStats* stats(const StrategyId& id) const;
  StrategyRunState state(const StrategyId& id) const;  // Stopped for an unknown name
  bool is_external(const StrategyId& id) const;
  // The instruments it was configured with (empty for an unknown name).
  std::vector<InstrumentId> instruments(const StrategyId& id) const;
  // This strategy's net position (as its context reports it).
  Quantity position(const StrategyId& id, const InstrumentId& instrument) const;

 private:
  struct Slot;
  struct DeferredOrderEvent;
  class Context;

  // MarketDataSink (the node's listener): routed by instrument.
  void on_trade(const TradeTick& t) override;
  void on_quote(const QuoteTick& q) override;
  void on_book(const BookUpdate& u) override;
  void on_bar(const Bar& b) override;
  // OrderListener: routed by strategy_id.
  void on_order_updated(const OrderUpdate& update) override;
  void on_order_filled(const Order& order, const Fill& fill) override;

  Slot& make_slot(std::string name, std::vector<InstrumentId> instruments);
  Slot* find(const StrategyId& id) const;
  // Runs f(strategy, ctx) for a running slot; a throw halts it. Then the rare work (a synchronous
  // program's health, order events deferred during the callback) in after_call().
  template <class F>
  void call(Slot& slot, std::string_view what, F&& f);
  void after_call(Slot& slot);
  void halt_on_exception(Slot& slot, std::string_view what);  // from inside a catch block
  // Delivers an order update (fill == nullptr) or a fill now, or queues it while the slot is inside a
  // callback (a plain record: no std::function, whose captured Fill would be a heap allocation per fill).
  void deliver(Slot& slot, const Order& order, const Fill* fill);
  void run_order_event(Slot& slot, const Order& order, const Fill* fill);
  void halt(Slot& slot, std::string_view why);
  void check_external(Slot& slot);
  void on_external_death(Slot& slot, int wait_status, std::int64_t restart_in_ms);
  void cancel_open_orders(Slot& slot, std::string_view why);
  SubmitResult submit(Slot& slot, const Signal& signal);
  CancelOutcome cancel(Slot& slot, OrderId id);
  void set_timer(Slot& slot, std::string_view name, UnixNanos at_ns);
  void reject(Slot& slot, SubmitRejectKind kind);
  void log_order(Slot& slot, OrderId id);  // the order looked up only when the line is printed
  void log_fill(Slot& slot, const Order& order, const Fill& fill);

  TradingNode& node_;
  const Clock& clock_;
  Scheduler& scheduler_;
  StrategyHostOptions options_;
  std::vector<std::unique_ptr<Slot>> slots_;
  std::unordered_map<InstrumentId, std::vector<Slot*>> by_instrument_;
  // The slots trading id (empty for none). Market data comes in runs of one instrument (a backtest's
  // bars): the last answer, found or not, is kept, so such a run costs one id comparison per event.
  const std::vector<Slot*>& routed(const InstrumentId& id) {
    if (last_route_ == nullptr || !(last_route_id_ == id)) cache_route(id);
    return *last_route_;
  }
  void cache_route(const InstrumentId& id);
  // The usual setup, one strategy trading one instrument that no other strategy trades: its bars go to that
  // slot without the route cache or the loop (solo_ == nullptr otherwise). The same answer as routed():
  // set only when by_instrument_ holds that single instrument with that single slot.
  void update_solo();
  [[gnu::noinline]] void on_bar_routed(const Bar& b);
  // Whether any strategy wants on_order_update: when none does, an order update costs one test.
  bool any_order_updates_ = false;
  void set_strategy(Slot& slot, std::unique_ptr<Strategy> strategy);
  Slot* solo_ = nullptr;
  InstrumentId solo_instrument_;
  InstrumentId last_route_id_;
  const std::vector<Slot*>* last_route_ = nullptr;  // nullptr: nothing cached
  const std::vector<Slot*> no_route_;
  bool started_ = false;
  bool stopped_ = false;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);  // timers and supervisor callbacks check it
};

}  // namespace tradingd
