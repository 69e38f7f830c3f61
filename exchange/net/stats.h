// The metrics of the network layer, declared in one place: plain counters, gauges and fixed-bucket
// histograms that the daemon reads and exports (prometheus-cpp lives in daemon/, not here). Each value
// has ONE writer (the event-loop thread); relaxed atomics let a metrics thread read without locks and
// without a locked instruction on the hot path.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <string_view>

namespace tradingd::net {

// A monotonically increasing count, written by one thread, readable from any.
class Counter {
 public:
  void add(std::uint64_t n = 1) { v_.store(v_.load(std::memory_order_relaxed) + n, std::memory_order_relaxed); }
  std::uint64_t value() const { return v_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::uint64_t> v_{0};
};

class Gauge {
 public:
  void set(std::int64_t v) { v_.store(v, std::memory_order_relaxed); }
  std::int64_t value() const { return v_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::int64_t> v_{0};
};

// Latency samples in fixed buckets (upper bounds in microseconds, cumulative like Prometheus's `le`
// is computed by the reader). Negative samples (clock skew: the venue's event time ahead of ours) are
// counted separately and not bucketed, so skew is visible rather than hidden in the first bucket.
class LatencyHistogram {
 public:
  static constexpr std::array<std::int64_t, 14> kBoundsUs{100,    250,    500,     1'000,   2'500,   5'000,   10'000,
                                                          25'000, 50'000, 100'000, 250'000, 500'000, 1'000'000, 5'000'000};
  static constexpr std::size_t kBuckets = kBoundsUs.size() + 1;  // the last is +Inf

  void observe_ns(std::int64_t latency_ns) {
    if (latency_ns < 0) {
      negative_.add();
      return;
    }
    const std::int64_t us = latency_ns / 1'000;
    std::size_t i = 0;
    while (i < kBoundsUs.size() && us > kBoundsUs[i]) ++i;
    buckets_[i].add();
    count_.add();
    sum_us_.add(static_cast<std::uint64_t>(us));
  }
  // Non-cumulative count of bucket i (i == kBoundsUs.size(): above the last bound).
  std::uint64_t bucket(std::size_t i) const { return buckets_[i].value(); }
  std::uint64_t count() const { return count_.value(); }
  std::uint64_t sum_us() const { return sum_us_.value(); }
  std::uint64_t negative() const { return negative_.value(); }

 private:
  std::array<Counter, kBuckets> buckets_{};
  Counter count_;
  Counter sum_us_;
  Counter negative_;
};

enum class ConnectionState : std::uint8_t {
  Idle,          // not started or stopped
  Connecting,    // resolve / TCP / TLS / WebSocket handshake in progress
  Open,          // connected and subscribed
  Backoff,       // waiting before the next attempt
};
std::string_view to_string(ConnectionState s);

// One WebSocket connection (or a reconnecting connection: the counters add up over all its sessions).
struct WsStats {
  Gauge state;                 // ConnectionState
  Counter connects;            // successful opens
  Counter connect_failures;    // resolve/connect/TLS/handshake errors and timeouts
  Counter tls_verify_failures; // certificate or hostname rejected
  Counter reconnects;          // opens after the first one
  Counter disconnects;         // open connections lost (error, remote close, heartbeat)
  Counter heartbeat_timeouts;  // the venue stopped answering
  Counter rotations;           // planned make-before-break switches (Binance 24 h)
  Counter messages_in;         // text frames received
  Counter bytes_in;
  Counter messages_out;
  Counter bytes_out;
  Counter pings_sent;
  Counter pings_received;      // control pings from the server (answered automatically)
  Counter pongs_received;      // control pongs and venue text pongs
  Counter write_queue_full;    // sends refused because the write queue was full
  Counter binary_frames;       // unexpected binary frames (ignored)
  Counter handler_errors;      // exceptions caught at the handler boundary
  Counter errors;              // any error ending a session
};

struct HttpStats {
  Counter requests;            // submitted
  Counter responses;           // complete responses (any status)
  Counter status_2xx;
  Counter status_4xx;
  Counter status_429;          // also counted in 4xx
  Counter status_5xx;
  Counter not_sent;            // failed before any byte of the request was written: safe to retry
  Counter unknown_outcome;     // failed after the request was (possibly) sent
  Counter timeouts;
  Counter queue_full;
  Counter connections_opened;
  Counter connections_reused;
  Counter tls_verify_failures;
  Counter retries;             // idempotent requests retried once after a stale keep-alive connection
  Counter bytes_in;
  Counter bytes_out;
  LatencyHistogram latency;    // submit → response
};

}  // namespace tradingd::net
