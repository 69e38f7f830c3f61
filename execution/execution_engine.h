// ExecutionEngine: the one path from a signal to the venue:
//   signal -> validate_signal -> RiskGate::check_order -> OrderManager::create -> submit (journal intent,
//   then the venue once durable).
// Stop-loss/take-profit: sent natively where VenueCapabilities::native_sl_tp; elsewhere emulated as a
// local OCO pair placed when the entry is done (filled, or its rest canceled/expired) for the filled
// quantity: a reduce-only stop-market (SL) and a reduce-only limit (TP); the first leg that fills cancels
// the other. Pairs are rebuilt from the journal by on_restored(). The TradingNode turns this emulation off
// (ExecutionEngineConfig::emulate_brackets) and triggers SL/TP locally, following the position.
// Emergency hooks: cancel_all() and flatten() (reduce-only market orders closing the given positions;
// they bypass the risk gate, which must never stand between the daemon and flat, and a second flatten
// while one is working sends nothing new for that instrument).
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <variant>
#include <vector>

#include "core/clock.h"
#include "execution/order_manager.h"
#include "execution/signal.h"
#include "execution/sources.h"
#include "risk/risk_gate.h"

namespace tradingd {

struct ExecutionEngineConfig {
  RoundingPolicy rounding;
  // false: no OCO legs for venues without native SL/TP; the caller protects positions itself (the
  // TradingNode's ProtectiveStops trigger locally and follow the position).
  bool emulate_brackets = true;
};

enum class SignalErrorKind : std::uint8_t { Invalid, RiskDenied, OrderFailed, Halted };
std::string_view to_string(SignalErrorKind k);

// Why a signal produced no order: exactly one of the typed causes, plus its canonical reason name.
struct SignalError {
  SignalErrorKind kind = SignalErrorKind::Invalid;
  std::variant<SignalRejection, RiskDenial, OrderError> cause;
  std::string_view reason() const;  // "price_not_on_tick", "max_order_notional", "journal_failed", ...
  const std::string& detail() const;
};

struct ExecutionEngineStats {
  std::uint64_t signals = 0;
  std::uint64_t invalid = 0;
  std::uint64_t risk_denied = 0;
  std::uint64_t orders = 0;
  std::uint64_t brackets_placed = 0;
  std::uint64_t bracket_failures = 0;
  std::uint64_t oco_cancels = 0;
  std::uint64_t flatten_orders = 0;
};

struct FlattenItem {
  InstrumentId instrument;
  Quantity position;
  Quantity order_quantity;
  OrderId order_id = 0;   // the flatten order (new, or the one already working)
  bool already_working = false;
  std::string failure;    // empty: an order is working on it
};

struct FlattenReport {
  std::vector<FlattenItem> items;
  std::size_t failures() const;
};

class ExecutionEngine final : private OrderListener {
 public:
  ExecutionEngine(const Clock& clock, OrderManager& manager, RiskGate& risk, const InstrumentSource& instruments,
                  ExecutionEngineConfig config = {});
  ~ExecutionEngine() override;
  ExecutionEngine(const ExecutionEngine&) = delete;
  ExecutionEngine& operator=(const ExecutionEngine&) = delete;

  // The hot path. Never throws; an overflow halts trading (OrderManager::report_invariant).
  Result<OrderId, SignalError> submit_signal(const Signal& signal);
  // Every open order on every venue (venue cancel-all endpoints where available). Returns orders targeted.
  std::size_t cancel_all();
  FlattenReport flatten(const OpenPositionSource& positions);
  // After OrderManager::restore(): rebuilds OCO pairs, places protection a crash left unplaced, and
  // cancels the surviving leg of a pair whose other leg filled.
  void on_restored();
  const ExecutionEngineStats& stats() const { return stats_; }

 private:
  struct Bracket {
    OrderId stop_loss = 0;
    OrderId take_profit = 0;
  };

  void on_order_updated(const OrderUpdate& update) override;
  void on_order_filled(const Order& order, const Fill& fill) override;
  void place_brackets(const Order& entry);
  OrderId place_leg(const Order& entry, OrderRole role);
  void cancel_sibling(const Order& leg);
  bool needs_emulated_brackets(const Order& o) const;
  // The instrument of a signal: signals come in runs of one instrument, so the last one found is checked
  // first. Found ones only are kept (an unknown id is asked again); InstrumentSource's pointers stay valid
  // while it lives, and an id keeps its entry.
  const Instrument* signal_instrument(const InstrumentId& id) {
    if (last_instrument_ != nullptr && last_instrument_->id == id) [[likely]]
      return last_instrument_;
    return find_instrument(id);
  }
  const Instrument* find_instrument(const InstrumentId& id);

  const Clock& clock_;
  OrderManager& manager_;
  RiskGate& risk_;
  const InstrumentSource& instruments_;
  ExecutionEngineConfig config_;
  const Instrument* last_instrument_ = nullptr;
  std::unordered_map<OrderId, Bracket> brackets_;  // by entry id
  ExecutionEngineStats stats_;
};

}  // namespace tradingd
