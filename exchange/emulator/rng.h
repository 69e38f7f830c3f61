// A small deterministic random generator (SplitMix64) for the emulator's market walk. Its output depends
// only on the seed and the number of draws, on every platform, unlike std:: distributions.
#pragma once

#include <cstdint>
#include <string_view>

namespace tradingd::emulator {

class Rng {
 public:
  explicit Rng(std::uint64_t seed = 0) : state_(seed) {}

  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  // Uniform in [lo, hi] (inclusive); the modulo bias is irrelevant for a simulated market.
  std::int64_t uniform(std::int64_t lo, std::int64_t hi) {
    if (hi <= lo) return lo;
    const auto span = static_cast<std::uint64_t>(hi - lo) + 1;
    return lo + static_cast<std::int64_t>(next() % span);
  }
  // True with probability per_mille / 1000.
  bool chance(int per_mille) { return static_cast<int>(next() % 1000) < per_mille; }

 private:
  std::uint64_t state_;
};

// FNV-1a, to derive a per-market seed from the global seed and the market's name.
inline std::uint64_t seed_for(std::uint64_t seed, std::string_view name) {
  std::uint64_t h = 1469598103934665603ULL ^ seed;
  for (char c : name) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ULL;
  }
  return h;
}

}  // namespace tradingd::emulator
