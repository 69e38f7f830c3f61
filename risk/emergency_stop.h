// EmergencyStop: the coordinator behind SIGUSR1 and POST /v1/emergency-stop. A pure state machine driven by
// start() and poll(now): trip the breaker → cancel every open order (the venue's cancel-all) → flatten
// every position with reduce-only market orders, retrying until flat or the timeout → an outcome report.
// It reaches the engine only through the three small interfaces below, so tests drive it with fakes.
// Invariants: at most one flatten order per instrument is in flight at any time; start() while a run is
// in progress changes nothing (a second signal never doubles the flatten orders).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/fixed_point.h"
#include "core/ids.h"
#include "risk/circuit_breaker.h"

namespace tradingd {

struct OpenOrderRef {
  InstrumentId instrument;
  ClientOrderId client_order_id;
  friend bool operator==(const OpenOrderRef&, const OpenOrderRef&) = default;
  friend auto operator<=>(const OpenOrderRef&, const OpenOrderRef&) = default;
};

class OrderCanceller {
 public:
  virtual ~OrderCanceller() = default;
  // Orders the venue may still fill (the OrderManager's open orders).
  virtual std::vector<OpenOrderRef> open_orders() const = 0;
  // Cancels every open order on the venue: its cancel-all endpoint where it has one, else one by one.
  virtual void cancel_all(Venue venue) = 0;
};

struct FlattenTarget {
  InstrumentId instrument;
  Quantity quantity;            // signed position
  Quantity max_order_quantity;  // the venue's maximum market order size; zero: none
};

class PositionSource {
 public:
  virtual ~PositionSource() = default;
  // Every non-flat position (the PositionTracker's, as fills arrive).
  virtual std::vector<FlattenTarget> open_positions() const = 0;
};

class FlattenSubmitter {
 public:
  virtual ~FlattenSubmitter() = default;
  // Sends a reduce-only market order; nullopt when it could not be sent at all (venue down, rejected
  // before sending). The order then reports through the engine as usual.
  virtual std::optional<ClientOrderId> submit_flatten(const InstrumentId& instrument, Side side, Quantity quantity) = 0;
  // False once the order is terminal (filled, canceled, rejected, expired).
  virtual bool is_order_open(const ClientOrderId& id) const = 0;
};

struct EmergencyStopConfig {
  std::int64_t cancel_wait_ns = 2 * kNanosPerSecond;        // then flatten even if some cancels are pending
  std::int64_t retry_interval_ns = 500 * kNanosPerMilli;     // between cancel-all resends / flatten retries
  std::int64_t timeout_ns = 30 * kNanosPerSecond;            // the whole run
  static EmergencyStopConfig from(const config::RiskConfig& risk);
};

struct EmergencyStopOptions {
  bool cancel_orders = true;
  bool flatten = true;
  std::string reason = "emergency stop";
};

enum class EmergencyPhase : std::uint8_t { Idle, Canceling, Flattening, Done };
std::string_view to_string(EmergencyPhase p);

struct EmergencyStopReport {
  std::string reason;
  UnixNanos started_ns = 0;
  UnixNanos finished_ns = 0;
  std::vector<OpenOrderRef> canceled;       // open at the start, gone at the end
  std::vector<OpenOrderRef> cancel_failed;  // still open at the end
  struct Closed {
    InstrumentId instrument;
    Quantity quantity;  // the signed position that was closed
  };
  struct Failed {
    InstrumentId instrument;
    Quantity remaining;  // signed
    std::uint32_t attempts = 0;
  };
  std::vector<Closed> closed;
  std::vector<Failed> failed;
  std::uint32_t flatten_orders = 0;   // reduce-only orders sent
  std::uint32_t submit_failures = 0;  // sends that failed outright
  std::uint32_t cancel_all_requests = 0;
  bool timed_out = false;
  bool success() const { return cancel_failed.empty() && failed.empty() && !timed_out; }
};

enum class StartResult : std::uint8_t { Started, AlreadyRunning };

class EmergencyStop {
 public:
  EmergencyStop(EmergencyStopConfig config, CircuitBreaker& breaker, OrderCanceller& canceller, PositionSource& positions,
                FlattenSubmitter& submitter);

  // Trips the breaker and begins; a request while a run is in progress returns AlreadyRunning and does
  // nothing else. A request after a finished run starts a new one.
  StartResult start(UnixNanos now_ns, EmergencyStopOptions options = {});
  // Advances the run: call on every order/fill event and on a timer (100 ms). Returns the phase after.
  EmergencyPhase poll(UnixNanos now_ns);

  EmergencyPhase phase() const { return phase_; }
  bool running() const { return phase_ == EmergencyPhase::Canceling || phase_ == EmergencyPhase::Flattening; }
  // The report of the last finished run.
  const std::optional<EmergencyStopReport>& last_report() const { return last_report_; }

 private:
  struct Flattening {
    Quantity initial;  // signed, when flattening began (or when the position first appeared)
    std::optional<ClientOrderId> in_flight;
    Quantity sent_at;  // the position when in_flight was sent: unchanged at its end = no progress
    UnixNanos next_attempt_ns = 0;
    std::uint32_t attempts = 0;
  };
  void send_cancels(UnixNanos now_ns, const std::vector<OpenOrderRef>& open);
  void begin_flatten(UnixNanos now_ns);
  void step_flatten(UnixNanos now_ns);
  void finish(UnixNanos now_ns, bool timed_out);

  EmergencyStopConfig config_;
  CircuitBreaker& breaker_;
  OrderCanceller& canceller_;
  PositionSource& positions_;
  FlattenSubmitter& submitter_;

  EmergencyPhase phase_ = EmergencyPhase::Idle;
  EmergencyStopOptions options_;
  EmergencyStopReport report_;
  std::vector<OpenOrderRef> initial_orders_;
  UnixNanos last_cancel_ns_ = 0;
  // poll() re-entered from inside a submit or cancel (the order's events reach the node synchronously,
  // which polls again) returns at once: a flatten order's id is not recorded until its submit returns,
  // and a nested step would send a second one alongside it.
  bool polling_ = false;
  std::map<InstrumentId, Flattening> flattening_;
  std::optional<EmergencyStopReport> last_report_;
};

}  // namespace tradingd
