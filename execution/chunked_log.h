// ChunkedLog<T, K>: an append-only sequence stored in chunks of K elements. Appending never moves what is
// stored (no doubling copies, no pause) and allocates once per K elements; std::deque would allocate per
// element for records as large as the journal's (its blocks are 512 bytes).
#pragma once

#include <cstddef>
#include <memory>
#include <new>
#include <type_traits>
#include <utility>
#include <vector>

namespace tradingd {

template <class T, std::size_t K>
class ChunkedLog {
  static_assert(K > 0);

 public:
  ChunkedLog() = default;
  ChunkedLog(const ChunkedLog&) = delete;
  ChunkedLog& operator=(const ChunkedLog&) = delete;
  ~ChunkedLog() { clear(); }

  template <class... Args>
  T& emplace_back(Args&&... args) {
    const std::size_t c = size_ / K;
    if (c == chunks_.size()) chunks_.push_back(std::unique_ptr<Chunk>(new Chunk));  // storage left uninitialised
    T* p = new (chunks_[c]->at(size_ % K)) T(std::forward<Args>(args)...);
    ++size_;
    return *p;
  }
  std::size_t size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }
  const T& operator[](std::size_t i) const noexcept { return *chunks_[i / K]->get(i % K); }
  T& operator[](std::size_t i) noexcept { return *chunks_[i / K]->get(i % K); }

  template <class F>
  void for_each(F&& f) const {
    for (std::size_t i = 0; i < size_; ++i) f((*this)[i]);
  }

  // Destroys the elements; keeps the first chunk for reuse.
  void clear() noexcept {
    if constexpr (!std::is_trivially_destructible_v<T>)
      for (std::size_t i = 0; i < size_; ++i) (*this)[i].~T();
    if (chunks_.size() > 1) chunks_.resize(1);
    size_ = 0;
  }

 private:
  struct Chunk {
    alignas(T) unsigned char storage[K * sizeof(T)];
    void* at(std::size_t i) noexcept { return storage + i * sizeof(T); }
    T* get(std::size_t i) noexcept { return std::launder(reinterpret_cast<T*>(storage + i * sizeof(T))); }
    const T* get(std::size_t i) const noexcept {
      return std::launder(reinterpret_cast<const T*>(storage + i * sizeof(T)));
    }
  };

  std::vector<std::unique_ptr<Chunk>> chunks_;
  std::size_t size_ = 0;
};

}  // namespace tradingd
