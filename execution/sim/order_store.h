// OrderStore: the venue's SimOrders by slot number, in fixed blocks that never move. Growing copies
// nothing (a vector of 300-byte orders copied every order it ever held at each doubling and touched twice
// the memory), and a reference to an order stays valid while others are added.
// A block is 2 MB, asked for as one transparent huge page where the kernel offers them: a backtest's
// tens of thousands of orders then cost a few page faults instead of one per 4 KB (each one a kernel
// entry that showed up as a fifth of the cost of an order). Orders are constructed as they are added.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <new>
#include <type_traits>
#include <vector>

#if defined(__linux__)
#include <sys/mman.h>
#endif

#include "execution/sim/sim_order.h"

namespace tradingd::sim {

class OrderStore {
  static constexpr std::size_t kBlockBytes = std::size_t{2} << 20;
  static_assert(std::is_trivially_destructible_v<SimOrder>, "blocks are released without destructor calls");

 public:
  static constexpr std::uint32_t kBlock = kBlockBytes / sizeof(SimOrder);

  std::uint32_t size() const noexcept { return size_; }
  SimOrder& operator[](std::uint32_t i) noexcept { return blocks_[i / kBlock].get()[i % kBlock]; }
  const SimOrder& operator[](std::uint32_t i) const noexcept { return blocks_[i / kBlock].get()[i % kBlock]; }

  // A new default order at slot size() (then size() grows by one).
  SimOrder& add() {
    if (size_ == blocks_.size() * kBlock) blocks_.push_back(allocate_block());
    SimOrder* o = &blocks_[size_ / kBlock].get()[size_ % kBlock];
    ++size_;
    return *::new (static_cast<void*>(o)) SimOrder{};
  }
  // Forgets every order; the blocks stay for reuse.
  void clear() noexcept { size_ = 0; }

 private:
  struct Free {
    void operator()(SimOrder* p) const noexcept { std::free(p); }
  };
  using Block = std::unique_ptr<SimOrder, Free>;

  static Block allocate_block() {
    void* p = std::aligned_alloc(kBlockBytes, kBlockBytes);
    if (p == nullptr) throw std::bad_alloc();
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    ::madvise(p, kBlockBytes, MADV_HUGEPAGE);  // a hint: without huge pages the block is plain memory
#endif
    return Block(static_cast<SimOrder*>(p));
  }

  std::vector<Block> blocks_;
  std::uint32_t size_ = 0;
};

}  // namespace tradingd::sim
