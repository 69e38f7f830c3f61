// Chunked order slots and the open list through them.
#include "execution/order_store.h"

#include <new>
#include <stdexcept>
#include <string>
#include <type_traits>

namespace tradingd {

OrderStore::~OrderStore() {
  if constexpr (!std::is_trivially_destructible_v<Order>)
    for_each([](Order& o) { o.~Order(); });
}

Order& OrderStore::add(OrderId id, const ClientOrderId& client_order_id, const OrderSpec& spec, UnixNanos ts_init_ns) {
  if (size_ == 0) base_ = id;
  else if (id <= last_) throw std::invalid_argument("order " + std::to_string(id) + " added after order " + std::to_string(last_));
  const std::uint64_t index = id - base_;
  const std::uint64_t c = index / kChunk;
  if (c >= chunks_.size()) chunks_.resize(c + 1);
  if (!chunks_[c]) chunks_[c].reset(new Chunk);  // default-initialised: the order storage stays untouched
  Slot& s = chunks_[c]->slots[index % kChunk];
  new (s.storage) Order(id, client_order_id, spec, ts_init_ns);
  s.live = true;
  s.open = true;
  s.venue_id_queued = false;
  s.next_open = nullptr;
  s.prev_open = open_tail_;
  if (open_tail_) open_tail_->next_open = &s;
  else open_head_ = &s;
  open_tail_ = &s;
  ++open_count_;
  last_ = id;
  ++size_;
  return s.order();
}

void OrderStore::close(OrderId id) noexcept {
  Slot* s = slot_of(id);
  if (!s || !s->open) return;
  if (s->prev_open) s->prev_open->next_open = s->next_open;
  else open_head_ = s->next_open;
  if (s->next_open) s->next_open->prev_open = s->prev_open;
  else open_tail_ = s->prev_open;
  s->prev_open = s->next_open = nullptr;
  s->open = false;
  --open_count_;
}

bool OrderStore::is_listed_open(OrderId id) const noexcept {
  const Slot* s = slot_of(id);
  return s && s->open;
}

}  // namespace tradingd
