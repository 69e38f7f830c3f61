// RingQueue<T>: a FIFO in one power-of-two array that is reused, for the venue's request, response and
// finished-order queues. Unlike std::deque it allocates nothing in the steady state (a deque of large
// elements allocates a block every few pushes and frees it on the pops) and frees in one go.
// pop_front() leaves the element in place to be overwritten by a later push (its resources, if any, are
// released then or when the queue dies), so T must be move-assignable and default-constructible.
#pragma once

#include <cstddef>
#include <utility>
#include <vector>

namespace tradingd::sim {

template <class T>
class RingQueue {
 public:
  bool empty() const noexcept { return size_ == 0; }
  std::size_t size() const noexcept { return size_; }
  T& front() noexcept { return items_[head_]; }
  const T& front() const noexcept { return items_[head_]; }
  // i-th element from the front.
  const T& operator[](std::size_t i) const noexcept { return items_[(head_ + i) & (items_.size() - 1)]; }

  void push_back(T&& v) {
    if (size_ == items_.size()) grow();
    items_[(head_ + size_) & (items_.size() - 1)] = std::move(v);
    ++size_;
  }
  void push_back(const T& v) { push_back(T(v)); }
  // A new last element, built in place: the slot still holds what an earlier element left there, so the
  // caller assigns every field (no temporary moved in).
  T& push_slot() {
    if (size_ == items_.size()) grow();
    T& slot = items_[(head_ + size_) & (items_.size() - 1)];
    ++size_;
    return slot;
  }
  void pop_front() noexcept {
    head_ = (head_ + 1) & (items_.size() - 1);
    --size_;
  }
  void clear() noexcept {
    head_ = 0;
    size_ = 0;
  }

 private:
  void grow() {
    std::vector<T> bigger(items_.empty() ? 8 : items_.size() * 2);
    for (std::size_t i = 0; i < size_; ++i) bigger[i] = std::move(items_[(head_ + i) & (items_.size() - 1)]);
    items_.swap(bigger);
    head_ = 0;
  }

  std::vector<T> items_;
  std::size_t head_ = 0;
  std::size_t size_ = 0;
};

}  // namespace tradingd::sim
