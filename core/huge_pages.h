// prefer_huge_pages: asks the kernel to back a large, freshly reserved buffer with transparent huge pages.
// A backtest's equity curve and price series are tens of megabytes written once, front to back: in 4 KiB
// pages that is thousands of page faults (each a trap into the kernel), in 2 MiB pages a dozen. Advice
// only: where the kernel or the platform does not support it, nothing changes, and memory contents never do.
#pragma once

#include <cstddef>

namespace tradingd {

// Below this a buffer cannot hold a whole huge page: not worth a system call.
inline constexpr std::size_t kHugePageBytes = std::size_t{2} << 20;

// Advises the whole 2 MiB-aligned pages inside [data, data + bytes). Returns whether advice was given.
bool prefer_huge_pages(const void* data, std::size_t bytes);

// For a vector whose capacity was just reserved.
template <class Vector>
bool prefer_huge_pages(const Vector& v) {
  return prefer_huge_pages(v.data(), v.capacity() * sizeof(typename Vector::value_type));
}

}  // namespace tradingd
