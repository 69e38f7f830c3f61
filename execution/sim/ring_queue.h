// RingQueue<T>: a FIFO in one power-of-two array that is reused, for the venue's request, response and
// finished-order queues and its fill log. Unlike std::deque it allocates nothing in the steady state (a
// deque of large elements allocates a block every few pushes and frees it on the pops) and frees in one
// go; unlike a vector trimmed at the front it never moves the elements it keeps.
// pop_front() and drop_front() leave the elements in place to be overwritten by later pushes (their
// resources, if any, are released then or when the queue dies), so T must be move-assignable and
// default-constructible. Iteration runs front to back.
#pragma once

#include <cstddef>
#include <iterator>
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
  // The last element pushed (the queue is not empty).
  T& back() noexcept { return items_[(head_ + size_ - 1) & (items_.size() - 1)]; }
  const T& back() const noexcept { return items_[(head_ + size_ - 1) & (items_.size() - 1)]; }
  // i-th element from the front.
  const T& operator[](std::size_t i) const noexcept { return items_[(head_ + i) & (items_.size() - 1)]; }

  // Front to back; invalidated by any push (it may reallocate) and by pops of the elements it points at.
  class const_iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = T;
    using difference_type = std::ptrdiff_t;
    using pointer = const T*;
    using reference = const T&;
    const_iterator() noexcept = default;
    const_iterator(const RingQueue* queue, std::size_t index) noexcept : queue_(queue), index_(index) {}
    reference operator*() const noexcept { return (*queue_)[index_]; }
    pointer operator->() const noexcept { return &(*queue_)[index_]; }
    const_iterator& operator++() noexcept {
      ++index_;
      return *this;
    }
    const_iterator operator++(int) noexcept {
      const_iterator old = *this;
      ++index_;
      return old;
    }
    friend bool operator==(const const_iterator& a, const const_iterator& b) noexcept { return a.index_ == b.index_; }

   private:
    const RingQueue* queue_ = nullptr;
    std::size_t index_ = 0;
  };
  const_iterator begin() const noexcept { return const_iterator(this, 0); }
  const_iterator end() const noexcept { return const_iterator(this, size_); }

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
  // Drops the n oldest elements (n <= size()) in one step.
  void drop_front(std::size_t n) noexcept {
    if (n == 0) return;
    head_ = (head_ + n) & (items_.size() - 1);
    size_ -= n;
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
