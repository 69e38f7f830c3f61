// Seeded randomness and the latency model of the simulated venue. The generator is xoshiro256** seeded with
// splitmix64: its whole state is four integers, so a snapshot restores the exact sequence, and its output
// does not depend on the standard library's distributions (which differ between implementations).
// Invariant: the generator is only drawn from when jitter is configured, so enabling or disabling other
// features never shifts the random sequence.
#pragma once

#include <array>
#include <cstdint>

#include "execution/sim/sim_config.h"

namespace tradingd::sim {

class SimRng {
 public:
  using State = std::array<std::uint64_t, 4>;

  explicit SimRng(std::uint64_t seed = 1) { reseed(seed); }
  void reseed(std::uint64_t seed);
  std::uint64_t next();
  // Uniform in [0, bound] (bound >= 0). Lemire's multiply-shift: deterministic, negligible bias for the
  // bounds used here (nanosecond jitter far below 2^64).
  std::uint64_t uniform_inclusive(std::uint64_t bound);

  const State& state() const { return s_; }
  void set_state(const State& s) { s_ = s; }

 private:
  State s_{};
};

class LatencyModel {
 public:
  explicit LatencyModel(const LatencyConfig& cfg) : cfg_(cfg) {}
  // Time from our send to the matching engine: market-data age + order entry + jitter.
  std::int64_t request_ns(SimRng& rng) const { return cfg_.market_data_ns + cfg_.order_entry_ns + jitter(rng); }
  // Time from the matching engine to our event handler.
  std::int64_t response_ns(SimRng& rng) const { return cfg_.response_ns + jitter(rng); }
  const LatencyConfig& config() const { return cfg_; }

 private:
  std::int64_t jitter(SimRng& rng) const {
    return cfg_.jitter_ns > 0 ? static_cast<std::int64_t>(rng.uniform_inclusive(static_cast<std::uint64_t>(cfg_.jitter_ns))) : 0;
  }
  LatencyConfig cfg_;
};

}  // namespace tradingd::sim
