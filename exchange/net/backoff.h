// Reconnect delays: exponential growth with full jitter, bounded, and reset only after a connection has
// stayed up for a stable period, so a server that accepts and immediately drops us cannot cause a
// reconnect storm. Pure: time comes in as arguments, randomness from a seeded generator (tests pin it).
#pragma once

#include <cstdint>

namespace tradingd::net {

struct BackoffOptions {
  std::int64_t initial_ms = 500;         // ceiling of the first delay
  std::int64_t max_ms = 30'000;          // the ceiling never exceeds this
  std::int64_t min_ms = 50;              // floor of every delay: never reconnect in a tight loop
  double multiplier = 2.0;               // ceiling growth per consecutive failure
  std::int64_t stable_after_ms = 30'000; // a connection up this long resets the schedule
};

// splitmix64: tiny, fast, and the same sequence on every platform (std distributions are not).
class SplitMix64 {
 public:
  explicit SplitMix64(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  // Uniform in [0, bound] (inclusive); the modulo bias is below 2^-40 for the bounds used here.
  std::uint64_t uniform(std::uint64_t bound) { return bound == UINT64_MAX ? next() : next() % (bound + 1); }

 private:
  std::uint64_t state_;
};

class Backoff {
 public:
  Backoff(BackoffOptions options, std::uint64_t seed);

  // The delay before the next attempt: uniform in [min_ms, ceiling], then the ceiling grows.
  std::int64_t next_delay_ms();
  // The ceiling the next delay will be drawn under.
  std::int64_t ceiling_ms() const;
  // Consecutive failed attempts since the last reset.
  int attempts() const { return attempts_; }
  void reset() { attempts_ = 0; }

  // Connection lifecycle: a connection that lasted stable_after_ms resets the schedule when it ends.
  void on_connected(std::int64_t now_ms) { connected_at_ms_ = now_ms; }
  void on_disconnected(std::int64_t now_ms);

  const BackoffOptions& options() const { return options_; }

 private:
  BackoffOptions options_;
  SplitMix64 rng_;
  int attempts_ = 0;
  std::int64_t connected_at_ms_ = -1;
};

}  // namespace tradingd::net
