// Ring + linear-probing table. A slot keeps the low 32 bits of the key's hash: its home slot (table sizes
// stay below 2^32) and a tag that spares most key comparisons. Deletion shifts the following run back
// (no tombstones), so lookups stay short however many ids were forgotten.
#include "portfolio/recent_trade_ids.h"

#include <algorithm>
#include <cstring>

namespace tradingd {
namespace {

constexpr std::size_t kMaxCapacity = std::size_t{1} << 30;  // ring positions + 1 fit the slot's 32 bits
constexpr std::size_t kNotFound = ~std::size_t{0};

std::uint64_t mix(std::uint64_t h) {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  h ^= h >> 33;
  return h;
}

}  // namespace

RecentTradeIds::RecentTradeIds(std::size_t capacity) : capacity_(std::clamp<std::size_t>(capacity, 1, kMaxCapacity)) {}

std::uint64_t RecentTradeIds::hash(std::uint32_t instrument, const TradeId& trade_id) {
  const std::string_view v = trade_id.view();
  std::uint64_t h = (static_cast<std::uint64_t>(instrument) << 8 | v.size()) * 0x9e3779b97f4a7c15ULL;
  std::size_t i = 0;
  for (; i + 8 <= v.size(); i += 8) {
    std::uint64_t w;
    std::memcpy(&w, v.data() + i, 8);
    h = (h ^ w) * 0x9e3779b97f4a7c15ULL;
    h ^= h >> 29;
  }
  if (i < v.size()) {
    std::uint64_t w = 0;
    std::memcpy(&w, v.data() + i, v.size() - i);
    h = (h ^ w) * 0x9e3779b97f4a7c15ULL;
  }
  return mix(h);
}

std::size_t RecentTradeIds::find_slot(std::uint32_t instrument, const TradeId& trade_id, std::uint64_t h) const {
  if (table_.empty()) return kNotFound;
  const auto tag = static_cast<std::uint32_t>(h);
  for (std::size_t i = tag & mask_;; i = (i + 1) & mask_) {
    const Slot& s = table_[i];
    if (s.ring_pos1 == 0) return kNotFound;
    if (s.tag != tag) continue;
    const Key& k = ring_[s.ring_pos1 - 1];
    if (k.instrument == instrument && k.trade_id == trade_id) return i;
  }
}

bool RecentTradeIds::contains(std::uint32_t instrument, const TradeId& trade_id, std::uint64_t h) const {
  return find_slot(instrument, trade_id, h) != kNotFound;
}

void RecentTradeIds::prefetch(std::uint64_t h) const {
  if (table_.empty()) return;
  __builtin_prefetch(&table_[static_cast<std::uint32_t>(h) & mask_]);
  if (size_ == capacity_) __builtin_prefetch(&table_[ring_[head_].tag & mask_]);  // the pair insert() evicts
}

void RecentTradeIds::place(std::uint32_t ring_pos, std::uint64_t h) {
  const auto tag = static_cast<std::uint32_t>(h);
  std::size_t i = tag & mask_;
  while (table_[i].ring_pos1 != 0) i = (i + 1) & mask_;
  table_[i] = Slot{ring_pos + 1, tag};
}

void RecentTradeIds::grow_table() {
  table_.assign(std::max<std::size_t>(16, table_.size() * 2), Slot{});
  mask_ = table_.size() - 1;
  for (std::size_t p = 0; p < ring_.size(); ++p) place(static_cast<std::uint32_t>(p), ring_[p].tag);
}

void RecentTradeIds::erase_ring_pos(std::uint32_t ring_pos) {
  // The slot naming this ring position lies on the probe run from the key's home slot.
  std::size_t hole = ring_[ring_pos].tag & mask_;
  while (table_[hole].ring_pos1 != ring_pos + 1) {
    if (table_[hole].ring_pos1 == 0) return;  // unreachable: every ring entry has its slot
    hole = (hole + 1) & mask_;
  }
  // Backward-shift: an entry after the hole moves into it unless its home lies cyclically in (hole, j].
  for (std::size_t j = (hole + 1) & mask_; table_[j].ring_pos1 != 0; j = (j + 1) & mask_) {
    const std::size_t home = table_[j].tag & mask_;
    if (((j - home) & mask_) >= ((j - hole) & mask_)) {
      table_[hole] = table_[j];
      hole = j;
    }
  }
  table_[hole] = Slot{};
}

void RecentTradeIds::insert(std::uint32_t instrument, const TradeId& trade_id, std::uint64_t h) {
  const auto tag = static_cast<std::uint32_t>(h);
  std::uint32_t pos;
  if (size_ < capacity_) {
    if (2 * (size_ + 1) > table_.size()) grow_table();
    pos = static_cast<std::uint32_t>(ring_.size());
    ring_.push_back(Key{instrument, tag, trade_id});
    ++size_;
  } else {
    pos = static_cast<std::uint32_t>(head_);
    erase_ring_pos(pos);
    ring_[pos] = Key{instrument, tag, trade_id};
    head_ = (head_ + 1) % capacity_;
  }
  place(pos, h);
}

}  // namespace tradingd
