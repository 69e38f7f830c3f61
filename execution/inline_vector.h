// InlineVector<T, N>: a contiguous vector whose first N elements live inside the object. An Order keeps
// its fills and fees in them: almost every order has one fill and one fee asset, so an order costs no
// allocation of its own and its teardown frees nothing. Only for trivially copyable T (ids, fixed-point
// amounts), which keeps copying and growing a memcpy.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <new>
#include <span>
#include <type_traits>

namespace tradingd {

template <class T, std::size_t N>
class InlineVector {
  static_assert(std::is_trivially_copyable_v<T> && std::is_trivially_destructible_v<T>);
  static_assert(N > 0);

 public:
  InlineVector() noexcept = default;
  InlineVector(const InlineVector& o) { assign(o); }
  InlineVector(InlineVector&& o) noexcept { take(o); }
  InlineVector& operator=(const InlineVector& o) {
    if (this != &o) {
      size_ = 0;
      assign(o);
    }
    return *this;
  }
  InlineVector& operator=(InlineVector&& o) noexcept {
    if (this != &o) {
      release();
      take(o);
    }
    return *this;
  }
  ~InlineVector() { release(); }

  std::size_t size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }
  std::size_t capacity() const noexcept { return heap_ ? cap_ : N; }
  T* data() noexcept { return heap_ ? heap_ : inline_data(); }
  const T* data() const noexcept { return heap_ ? heap_ : inline_data(); }
  T* begin() noexcept { return data(); }
  T* end() noexcept { return data() + size_; }
  const T* begin() const noexcept { return data(); }
  const T* end() const noexcept { return data() + size_; }
  T& operator[](std::size_t i) noexcept { return data()[i]; }
  const T& operator[](std::size_t i) const noexcept { return data()[i]; }
  operator std::span<const T>() const noexcept { return {data(), size_}; }

  // Throws std::bad_alloc; the contents are unchanged then.
  void reserve(std::size_t n) {
    if (n <= capacity()) return;
    std::size_t cap = capacity() * 2;
    if (cap < n) cap = n;
    T* p = static_cast<T*>(std::malloc(cap * sizeof(T)));
    if (!p) throw std::bad_alloc();
    if (size_) std::memcpy(static_cast<void*>(p), data(), size_ * sizeof(T));
    std::free(heap_);
    heap_ = p;
    cap_ = static_cast<std::uint32_t>(cap);
  }
  void push_back(const T& v) {
    if (size_ == capacity()) {
      const T copy = v;  // v may live in this vector
      reserve(size_ + 1);
      data()[size_++] = copy;
      return;
    }
    data()[size_++] = v;
  }
  void clear() noexcept { size_ = 0; }

 private:
  T* inline_data() noexcept { return reinterpret_cast<T*>(inline_); }
  const T* inline_data() const noexcept { return reinterpret_cast<const T*>(inline_); }
  void assign(const InlineVector& o) {
    reserve(o.size_);
    if (o.size_) std::memcpy(static_cast<void*>(data()), o.data(), o.size_ * sizeof(T));
    size_ = o.size_;
  }
  void take(InlineVector& o) noexcept {
    if (o.heap_) {
      heap_ = o.heap_;
      cap_ = o.cap_;
      o.heap_ = nullptr;
      o.cap_ = 0;
    } else if (o.size_) {
      std::memcpy(static_cast<void*>(inline_data()), o.inline_data(), o.size_ * sizeof(T));
    }
    size_ = o.size_;
    o.size_ = 0;
  }
  void release() noexcept {
    std::free(heap_);
    heap_ = nullptr;
    cap_ = 0;
    size_ = 0;
  }

  T* heap_ = nullptr;
  std::uint32_t size_ = 0;
  std::uint32_t cap_ = 0;
  alignas(T) unsigned char inline_[N * sizeof(T)];
};

}  // namespace tradingd
