// ExternalStrategy: a Strategy whose decisions come from another program speaking the JSON-lines protocol
// (protocol.h) through an injected LineTransport. Synchronous mode (backtests): every line sent is
// answered before the callback returns — the adapter reads until {"type":"done"} — so results are
// deterministic. Asynchronous mode (paper/live): lines are only written; the supervisor hands each line the
// program writes to handle_line() on the event loop.
// Invariants: nothing throws out of a callback; the program's signals are stamped with this strategy's id
// (it cannot trade as another strategy) and go through ctx.submit like any other; a protocol error is
// logged and counted, never fatal; a dead or silent program marks the strategy failed and it sends nothing
// more (the node turns failed() into a risk event).
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "strategy/strategy.h"

namespace tradingd {

class LineTransport {
 public:
  virtual ~LineTransport() = default;
  // Sends one line; the transport adds the '\n'. False: the peer is gone.
  virtual bool write_line(std::string_view line) = 0;
  // Synchronous mode only: blocks until one whole line (without '\n'); nullopt on EOF, error or timeout.
  virtual std::optional<std::string> read_line() = 0;
};

enum class ExternalMode : std::uint8_t { Synchronous, Asynchronous };

struct ExternalStrategyStats {
  std::uint64_t lines_in = 0;
  std::uint64_t signals = 0;           // signal lines decoded
  std::uint64_t signals_rejected = 0;  // by to_signal (unknown instrument) or by ctx.submit
  std::uint64_t protocol_errors = 0;
  std::uint64_t logs = 0;
};

class ExternalStrategy final : public Strategy {
 public:
  // params are forwarded in the start line; max_lines_per_event bounds a synchronous answer so a program
  // stuck in a loop cannot hang a backtest.
  ExternalStrategy(std::unique_ptr<LineTransport> transport, ExternalMode mode,
                   std::map<std::string, std::string> params = {}, std::size_t max_lines_per_event = 100'000);

  void on_start(StrategyContext& ctx) override;
  void on_bar(StrategyContext& ctx, const Bar& bar) override;
  void on_trade(StrategyContext& ctx, const TradeTick& trade) override;
  void on_fill(StrategyContext& ctx, const Order& order, const Fill& fill) override;
  void on_stop(StrategyContext& ctx) override;
  // Quotes, books, order updates and timers are not forwarded (yet): the protocol carries bars, trades,
  // fills and positions.

  // Asynchronous mode, after the supervisor restarted the program: clears a failure and resends the start
  // line and every position.
  void resync();
  // Asynchronous mode: one line the program wrote. Ignored before on_start and after a failure.
  void handle_line(std::string_view line);

  bool failed() const { return failed_; }
  const std::string& failure() const { return failure_; }
  const ExternalStrategyStats& stats() const { return stats_; }

 private:
  void send(const std::string& line);
  void exchange(const std::string& line);  // one line out and, synchronously, its whole answer in
  void sync_position(const InstrumentId& id);
  void fail(std::string why);
  bool is_mine(const InstrumentId& id) const;

  std::unique_ptr<LineTransport> transport_;
  ExternalMode mode_;
  std::map<std::string, std::string> params_;
  std::size_t max_lines_per_event_;
  StrategyContext* ctx_ = nullptr;  // valid from on_start until on_stop returns (the contract in strategy.h)
  bool done_ = false;
  bool in_exchange_ = false;
  std::deque<std::string> pending_;
  bool failed_ = false;
  std::string failure_;
  std::unordered_map<InstrumentId, Quantity> sent_position_;
  std::unordered_map<InstrumentId, Price> last_price_;  // reference price for the program's market orders
  ExternalStrategyStats stats_;
};

}  // namespace tradingd
