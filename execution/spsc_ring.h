// A bounded single-producer/single-consumer ring: the hand-off from the event loop (producer) to the
// journal's writer thread (consumer). Lock-free and wait-free for both sides: a full ring makes try_push
// fail (the caller applies back-pressure) instead of blocking the event loop.
#pragma once

#include <atomic>
#include <cstddef>
#include <memory>
#include <new>

namespace tradingd {

template <class T>
class SpscRing {
 public:
  // capacity: rounded up to a power of two.
  explicit SpscRing(std::size_t capacity) {
    std::size_t c = 2;
    while (c < capacity) c <<= 1;
    mask_ = c - 1;
    slots_ = std::make_unique<T[]>(c);
  }

  bool try_push(const T& value) {
    const std::size_t tail = tail_.load(std::memory_order_relaxed);
    if (tail - head_cache_ > mask_) {
      head_cache_ = head_.load(std::memory_order_acquire);
      if (tail - head_cache_ > mask_) return false;
    }
    slots_[tail & mask_] = value;
    tail_.store(tail + 1, std::memory_order_release);
    return true;
  }

  // Consumer: calls f(const T&) for up to max queued items, oldest first; returns how many.
  template <class F>
  std::size_t drain(F&& f, std::size_t max = static_cast<std::size_t>(-1)) {
    const std::size_t head = head_.load(std::memory_order_relaxed);
    const std::size_t tail = tail_.load(std::memory_order_acquire);
    std::size_t n = 0;
    for (std::size_t i = head; i != tail && n < max; ++i, ++n) f(slots_[i & mask_]);
    head_.store(head + n, std::memory_order_release);
    return n;
  }

  bool empty() const { return head_.load(std::memory_order_acquire) == tail_.load(std::memory_order_acquire); }
  std::size_t capacity() const { return mask_ + 1; }

 private:
  std::size_t mask_ = 0;
  std::unique_ptr<T[]> slots_;
  alignas(64) std::atomic<std::size_t> head_{0};  // consumer-owned
  alignas(64) std::atomic<std::size_t> tail_{0};  // producer-owned
  alignas(64) std::size_t head_cache_ = 0;         // producer's last view of head_
};

}  // namespace tradingd
