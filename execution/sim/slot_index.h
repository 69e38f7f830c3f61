// SlotIndex: a flat hash index from a key to the slot (a uint32 position in the venue's order storage)
// where the key itself is kept. The table holds only 8-byte entries (32 bits of the key's hash and the
// slot) in one array: no node per entry, no allocation once grown, one probe sequence in one or two cache
// lines, and a table that is freed in one go. The key is compared by the caller's predicate on the slot,
// so the index never copies keys (the order holds its ids).
// Open addressing with linear probing at load <= 1/2; erase shifts the following entries back (no
// tombstones), so lookups stay short however many orders come and go. The hashes below keep ids made from
// a counter adjacent (the table is indexed by the hash's low bits), which linear probing rewards with
// nearby memory access; equal hashes are told apart by the caller's key comparison, so any hash is
// correct and only speed depends on its spread.
#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

namespace tradingd::sim {

// The splitmix64 finaliser: every input bit reaches every output bit.
inline std::uint64_t mix64(std::uint64_t x) noexcept {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// A fast 64-bit hash of short text, 8 bytes at a time.
inline std::uint64_t hash_bytes(const char* p, std::size_t n) noexcept {
  std::uint64_t h = 0x9e3779b97f4a7c15ULL * (n + 1);
  for (; n >= 8; p += 8, n -= 8) {
    std::uint64_t w;
    std::memcpy(&w, p, 8);
    h = (h ^ w) * 0x9e3779b97f4a7c15ULL;
    h ^= h >> 32;
  }
  if (n > 0) {
    std::uint64_t w = 0;
    std::memcpy(&w, p, n);
    h = (h ^ w) * 0x9e3779b97f4a7c15ULL;
  }
  return mix64(h);
}

// Order ids: the hash of all but the last character, with that character's low two bits kept as the
// hash's low bits. Ids made from a counter (ours: a prefix and base-36 digits) then sit in runs of four
// adjacent entries (half a cache line), so successive orders' lookups share lines, while each run lands at
// its own random place: longer runs (a whole prefix's ids side by side) merged into long clusters that
// every insert and lookup had to walk (tens of probes per order). Unrelated ids still scatter.
inline std::uint64_t hash_text(std::string_view s) noexcept {
  if (s.empty()) return hash_bytes(s.data(), 0);
  const auto last = static_cast<std::uint64_t>(static_cast<unsigned char>(s.back()));
  const std::uint64_t run = hash_bytes(s.data(), s.size() - 1) ^ ((last >> 2) * 0x9e3779b97f4a7c15ULL);
  return (run & ~std::uint64_t{3}) | (last & 3);
}

// Our venue order numbers are consecutive: each run of 4 shares one random 4-entry block (half a cache
// line), so successive orders sit side by side. Not the number itself, nor longer runs: long runs of
// occupied entries make every insert, lookup and erase walk them.
inline std::uint64_t hash_number(std::uint64_t x) noexcept { return (mix64(x >> 2) & ~std::uint64_t{3}) | (x & 3); }

class SlotIndex {
 public:
  static constexpr std::uint32_t npos = ~std::uint32_t{0};

  std::size_t size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }
  // Entries it holds before it next grows.
  std::size_t capacity() const noexcept { return table_.size() / 2; }
  // Room for n entries without growing: the size doubling would reach, rehashed into once.
  void reserve(std::size_t n) {
    if (table_.size() >= 2 * n) return;
    std::size_t size = table_.size() < 16 ? 32 : table_.size() * 2;
    while (size < 2 * n) size *= 2;
    rehash(size);
  }
  void clear() noexcept {
    table_.clear();
    size_ = 0;
    mask_ = 0;
  }

  // The slot whose key has this hash and satisfies is_key(slot), or npos.
  template <class IsKey>
  std::uint32_t find(std::uint64_t hash, IsKey&& is_key) const {
    if (table_.empty()) return npos;
    const std::uint32_t h = fold(hash);
    for (std::size_t i = h & mask_;; i = (i + 1) & mask_) {
      const Entry& e = table_[i];
      if (e.slot == npos) return npos;
      if (e.hash == h && is_key(e.slot)) return e.slot;
    }
  }

  // Points the key at slot: replaces the entry of the same key (is_key), else adds one.
  template <class IsKey>
  void assign(std::uint64_t hash, std::uint32_t slot, IsKey&& is_key) {
    if ((size_ + 1) * 2 > table_.size()) grow();
    const std::uint32_t h = fold(hash);
    for (std::size_t i = h & mask_;; i = (i + 1) & mask_) {
      Entry& e = table_[i];
      if (e.slot == npos) {
        e = Entry{h, slot};
        ++size_;
        return;
      }
      if (e.hash == h && is_key(e.slot)) {
        e.slot = slot;
        return;
      }
    }
  }

  // Removes the entry of this hash that points at slot (another slot holding the same key stays).
  bool erase(std::uint64_t hash, std::uint32_t slot) noexcept {
    if (table_.empty()) return false;
    const std::uint32_t h = fold(hash);
    std::size_t i = h & mask_;
    for (;; i = (i + 1) & mask_) {
      const Entry& e = table_[i];
      if (e.slot == npos) return false;
      if (e.hash == h && e.slot == slot) break;
    }
    // Backward shift: pull each following entry into the hole unless that would move it before its home.
    for (std::size_t j = (i + 1) & mask_;; j = (j + 1) & mask_) {
      const Entry& e = table_[j];
      if (e.slot == npos) break;
      const std::size_t home = e.hash & mask_;
      // e may move to i when i lies cyclically in [home, j).
      if (((j - home) & mask_) >= ((j - i) & mask_)) {
        table_[i] = e;
        i = j;
      }
    }
    table_[i] = Entry{};
    --size_;
    return true;
  }

 private:
  struct Entry {
    std::uint32_t hash = 0;
    std::uint32_t slot = npos;
  };
  // The low bits: they carry both the hashes' spread and the ids' adjacency (see hash_text).
  static std::uint32_t fold(std::uint64_t hash) noexcept { return static_cast<std::uint32_t>(hash); }

  void grow() { rehash(table_.size() < 16 ? 32 : table_.size() * 2); }
  void rehash(std::size_t size) {
    std::vector<Entry> old(size);
    old.swap(table_);
    mask_ = table_.size() - 1;
    for (const Entry& e : old) {
      if (e.slot == npos) continue;
      std::size_t i = e.hash & mask_;
      while (table_[i].slot != npos) i = (i + 1) & mask_;
      table_[i] = e;
    }
  }

  std::vector<Entry> table_;
  std::size_t mask_ = 0;
  std::size_t size_ = 0;
};

}  // namespace tradingd::sim
