// OrderStore: the OrderManager's orders, by id. Order ids are handed out in increasing order (create()
// takes the next one; restore() adds the journal's intents by id), so an order's place is its id: lookup
// is an index, iteration in id order needs no sort, and the orders live in chunks of kChunk, so adding
// one allocates at most once per chunk and addresses never move. The open orders form a list through
// the slots in id order: adding and closing are O(1), and walking the open orders touches only them.
// Ids skipped by the journal (an order created but never journaled) leave empty slots.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <vector>

#include "execution/order.h"

namespace tradingd {

class OrderStore {
 public:
  OrderStore() = default;
  ~OrderStore();
  OrderStore(const OrderStore&) = delete;
  OrderStore& operator=(const OrderStore&) = delete;

  // A new open order. id must be greater than every id added before (std::invalid_argument otherwise).
  Order& add(OrderId id, const ClientOrderId& client_order_id, const OrderSpec& spec, UnixNanos ts_init_ns);

  Order* find(OrderId id) const noexcept {
    Slot* s = slot_of(id);
    return s ? &s->order() : nullptr;
  }
  std::size_t size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }

  // Takes the order off the open list (it went terminal). Idempotent.
  void close(OrderId id) noexcept;
  bool is_listed_open(OrderId id) const noexcept;
  std::size_t open_count() const noexcept { return open_count_; }

  // Per-order flag for the manager's lazy venue-order-id index: whether the order's venue id is queued.
  bool venue_id_queued(OrderId id) const noexcept {
    const Slot* s = slot_of(id);
    return s && s->venue_id_queued;
  }
  void set_venue_id_queued(OrderId id) noexcept {
    if (Slot* s = slot_of(id)) s->venue_id_queued = true;
  }
  // Sets the flag; true when it was not set before (one slot lookup where the two calls above take two).
  bool queue_venue_id(OrderId id) noexcept {
    Slot* s = slot_of(id);
    if (!s || s->venue_id_queued) return false;
    s->venue_id_queued = true;
    return true;
  }

  // f(Order&) for every order, in id order.
  template <class F>
  void for_each(F&& f) const {
    if (size_ == 0) return;
    const std::uint64_t n = last_ - base_ + 1;
    for (std::uint64_t i = 0; i < n; ++i)
      if (Slot* s = slot_at(i); s && s->live) f(s->order());
  }
  // f(Order&) for every open order, in id order. f may close the order it is given (not others).
  template <class F>
  void for_each_open(F&& f) const {
    for (Slot* s = open_head_; s != nullptr;) {
      Slot* next = s->next_open;
      f(s->order());
      s = next;
    }
  }

 private:
  static constexpr std::size_t kChunk = 64;  // ~40 KB of orders: below malloc's mmap threshold

  struct Slot {
    alignas(Order) unsigned char storage[sizeof(Order)];
    Slot* prev_open = nullptr;
    Slot* next_open = nullptr;
    bool live = false;
    bool open = false;
    bool venue_id_queued = false;
    Order& order() noexcept { return *std::launder(reinterpret_cast<Order*>(storage)); }
  };
  struct Chunk {
    Slot slots[kChunk];
  };

  Slot* slot_at(std::uint64_t index) const noexcept {
    const std::uint64_t c = index / kChunk;
    if (c >= chunks_.size() || !chunks_[c]) return nullptr;
    return &chunks_[c]->slots[index % kChunk];
  }
  Slot* slot_of(OrderId id) const noexcept {
    if (size_ == 0 || id < base_ || id > last_) return nullptr;
    Slot* s = slot_at(id - base_);
    return s && s->live ? s : nullptr;
  }

  std::vector<std::unique_ptr<Chunk>> chunks_;
  OrderId base_ = 0;  // the id in slot 0: the first id added
  OrderId last_ = 0;  // the highest id added
  std::size_t size_ = 0;
  Slot* open_head_ = nullptr;
  Slot* open_tail_ = nullptr;
  std::size_t open_count_ = 0;
};

}  // namespace tradingd
