// OrderStore: the venue's SimOrders by slot number, in fixed blocks that never move. Growing copies
// nothing (a vector of 300-byte orders copied every order it ever held at each doubling and touched twice
// the memory), and a reference to an order stays valid while others are added.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "execution/sim/sim_order.h"

namespace tradingd::sim {

class OrderStore {
 public:
  static constexpr std::uint32_t kBlock = 256;

  std::uint32_t size() const noexcept { return size_; }
  SimOrder& operator[](std::uint32_t i) noexcept { return blocks_[i / kBlock][i % kBlock]; }
  const SimOrder& operator[](std::uint32_t i) const noexcept { return blocks_[i / kBlock][i % kBlock]; }

  // A new default order at slot size() (then size() grows by one).
  SimOrder& add() {
    if (size_ == blocks_.size() * kBlock) blocks_.push_back(std::make_unique<SimOrder[]>(kBlock));
    SimOrder& o = (*this)[size_++];
    o = SimOrder{};
    return o;
  }
  // Forgets every order; the blocks stay for reuse.
  void clear() noexcept { size_ = 0; }

 private:
  std::vector<std::unique_ptr<SimOrder[]>> blocks_;
  std::uint32_t size_ = 0;
};

}  // namespace tradingd::sim
