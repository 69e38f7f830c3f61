// RecentTradeIds: the last `capacity` (instrument, trade id) pairs applied, for the tracker's exactly-once
// fills. Oldest forgotten first. Flat storage: the keys in a ring in insertion order and an open-addressing
// table of their positions, so remembering a fill allocates nothing once the ring is full (until then the
// two arrays grow geometrically) and dropping the tracker frees two blocks instead of one node per fill.
// The instrument is the tracker's dense position index (registration order; positions are never removed).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/ids.h"

namespace tradingd {

class RecentTradeIds {
 public:
  explicit RecentTradeIds(std::size_t capacity);

  bool contains(std::uint32_t instrument, const TradeId& trade_id) const { return contains(instrument, trade_id, hash(instrument, trade_id)); }
  // The pair must not be present (the tracker checks first); when full, the oldest pair is forgotten.
  void insert(std::uint32_t instrument, const TradeId& trade_id) { insert(instrument, trade_id, hash(instrument, trade_id)); }

  // The same with the pair's hash() computed once by the caller, and a prefetch of the table slots a
  // check and insert of that hash will touch (its home slot, and the oldest pair's when full): a fill
  // issues it first and checks after its arithmetic, so the cache misses overlap the work.
  bool contains(std::uint32_t instrument, const TradeId& trade_id, std::uint64_t h) const;
  void insert(std::uint32_t instrument, const TradeId& trade_id, std::uint64_t h);
  void prefetch(std::uint64_t h) const;

  std::size_t size() const { return size_; }
  std::size_t capacity() const { return capacity_; }

  // The hash of a pair: the trade id's bytes eight at a time (an id of up to 8 characters in one word,
  // with the zeros InlineString keeps after its characters), mixed with the instrument index, except the
  // last character's low two bits, which are the hash's: ids from a counter sit in runs of four adjacent
  // slots.
  static std::uint64_t hash(std::uint32_t instrument, const TradeId& trade_id);

 private:
  struct Key {
    std::uint32_t instrument = 0;
    std::uint32_t tag = 0;  // the low half of the pair's hash, as in its slot: finds the slot when evicted
    TradeId trade_id;
  };
  // One table slot: the key's ring position + 1 (0 = empty) and the high half of its hash, so a probe
  // compares keys only on a likely match.
  struct Slot {
    std::uint32_t ring_pos1 = 0;
    std::uint32_t tag = 0;
  };

  std::size_t find_slot(std::uint32_t instrument, const TradeId& trade_id, std::uint64_t h) const;
  void place(std::uint32_t ring_pos, std::uint64_t h);
  void erase_ring_pos(std::uint32_t ring_pos);  // the slot pointing at ring_pos, found by its tag
  void grow_table();

  std::size_t capacity_;
  std::vector<Key> ring_;      // insertion order once full: ring_[head_] is the oldest
  std::size_t head_ = 0;
  std::size_t size_ = 0;
  std::vector<Slot> table_;    // power-of-two size, at most half full
  std::size_t mask_ = 0;
};

}  // namespace tradingd
