// Shared by the adapter tests against the in-process emulator: start-up requests (server time, account
// snapshot, listen key, dead-man switch) go out on the adapter's own schedule, and a test that injects a
// one-shot fault must not have it consumed by one of them. settle() runs the loop until no request has been
// sent for 300 ms (bounded at 5 s).
#pragma once

#include <boost/asio/io_context.hpp>

#include <chrono>
#include <cstdint>

#include "exchange/live/live_venue.h"

namespace tradingd::live::testing {

inline void settle(boost::asio::io_context& io, const LiveVenue& venue) {
  using namespace std::chrono_literals;
  const auto end = std::chrono::steady_clock::now() + 5s;
  std::uint64_t seen = ~std::uint64_t{0};
  while (std::chrono::steady_clock::now() < end) {
    const std::uint64_t now = venue.stats().requests + venue.stats().request_failures;
    if (now == seen) return;
    seen = now;
    io.run_for(300ms);
  }
}

}  // namespace tradingd::live::testing
