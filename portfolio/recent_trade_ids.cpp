// Ring + linear-probing table. A slot keeps the low 32 bits of the key's hash: its home slot (table sizes
// stay below 2^32) and a tag that spares most key comparisons. Venues number their trades with a counter
// (the simulated venue: "1", "2", ...), so the hash keeps ids that differ only in the last character's low
// two bits in runs of four adjacent slots (half a cache line): successive fills share lines instead of each
// missing. Runs of four, not whole prefixes: long runs of occupied slots make every probe walk them. Deletion shifts the following run back
// (no tombstones), so lookups stay short however many ids were forgotten.
#include "portfolio/recent_trade_ids.h"

#include <algorithm>
#include <bit>
#include <cstring>

namespace tradingd {
namespace {

constexpr std::size_t kMaxCapacity = std::size_t{1} << 30;  // ring positions + 1 fit the slot's 32 bits
constexpr std::size_t kNotFound = ~std::size_t{0};
static_assert(TradeId::capacity() >= 8);  // hash() reads a short id's whole first word
constexpr std::size_t kInitialSlots = 4096;  // 32 KiB of table, 2,048 ring entries

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
  if (v.empty()) return mix(h);
  if (v.size() <= 8) {
    // One word: the id's bytes and the zeros InlineString keeps after them; the last character apart.
    std::uint64_t w;
    std::memcpy(&w, v.data(), 8);
    const unsigned shift = 8 * static_cast<unsigned>(v.size() - 1);
    const std::uint64_t last = (w >> shift) & 0xff;
    const std::uint64_t run = mix(h ^ ((w ^ (last << shift)) + ((last >> 2) << 56)));
    return (run & ~std::uint64_t{3}) | (last & 3);
  }
  // All but the last character, eight at a time.
  const std::size_t n = v.size() - 1;
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    std::uint64_t w;
    std::memcpy(&w, v.data() + i, 8);
    h = (h ^ w) * 0x9e3779b97f4a7c15ULL;
    h ^= h >> 29;
  }
  if (i < n) {
    std::uint64_t w = 0;
    std::memcpy(&w, v.data() + i, n - i);
    h = (h ^ w) * 0x9e3779b97f4a7c15ULL;
  }
  // The last character: its upper bits pick the run's place, its low two bits the place within the run.
  const auto last = static_cast<std::uint64_t>(static_cast<unsigned char>(v[n]));
  const std::uint64_t run = mix((h ^ (last >> 2)) * 0x9e3779b97f4a7c15ULL);
  return (run & ~std::uint64_t{3}) | (last & 3);
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
  if (table_.empty()) {
    // The first insert sizes for a few thousand fills at once (or the whole capacity, when smaller): a
    // live session or a backtest gets there soon, and each doubling touches fresh pages again.
    const std::size_t slots = std::min(kInitialSlots, std::bit_ceil(2 * capacity_));
    ring_.reserve(std::min(capacity_, slots / 2));
    table_.assign(std::max<std::size_t>(16, slots), Slot{});
    mask_ = table_.size() - 1;
    return;  // the ring is empty
  }
  table_.assign(table_.size() * 2, Slot{});
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
