// InlineString<N>: a short string stored in place (no heap), for symbols and order/trade ids that are
// copied on every event. Construction from longer text fails explicitly instead of truncating.
// Every byte past the length is zero (the storage is zero-initialised and only make(), from() and compose()
// write it), so equality and the hash work on whole 8-byte words: they key the hot hash maps (client order
// ids, venue order ids, instruments, trade ids), where a libc memcmp and std::_Hash_bytes per probe were
// measurable.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>

namespace tradingd {

template <std::size_t N>
class InlineString {
  static_assert(N < 256);

 public:
  constexpr InlineString() noexcept = default;
  // Text longer than N yields nullopt. Built inside the optional: no temporary copied in.
  static std::optional<InlineString> make(std::string_view s) noexcept {
    std::optional<InlineString> r;
    if (s.size() <= N) r.emplace().assign_unchecked(s);
    return r;
  }
  // For literals and already-validated text; throws std::length_error when too long.
  static InlineString from(std::string_view s) {
    if (s.size() > N) throw std::length_error("string too long for InlineString<" + std::to_string(N) + ">: " + std::string(s));
    InlineString r;
    r.assign_unchecked(s);
    return r;
  }
  // Builds the text in place: write(char* out) stores exactly n bytes (n <= N) at out, the object's own
  // zeroed storage. For ids composed from parts on the hot path (client order ids): the bytes are written
  // once, where they stay, instead of into a buffer that is then copied (and read back) as a whole.
  template <class Write>
  static InlineString compose(std::size_t n, Write&& write) noexcept {
    InlineString r;
    write(r.data_);
    r.len_ = static_cast<std::uint8_t>(n);
    return r;
  }
  static constexpr std::size_t capacity() noexcept { return N; }

  std::string_view view() const noexcept { return {data_, len_}; }
  std::string str() const { return std::string(view()); }
  std::size_t size() const noexcept { return len_; }
  bool empty() const noexcept { return len_ == 0; }

  friend bool operator==(const InlineString& a, const InlineString& b) noexcept {
    if (a.len_ != b.len_) return false;
    if constexpr (N < 8) {
      return a.view() == b.view();
    } else {
      const std::size_t n = a.len_;
      if (n <= 8) return word(a.data_) == word(b.data_);  // the zero tail makes the rest equal
      std::uint64_t diff = 0;
      for (std::size_t i = 0; i + 8 < n; i += 8) diff |= word(a.data_ + i) ^ word(b.data_ + i);
      // The last word ends at the length (it may overlap the previous one): never reads past the storage.
      return (diff | (word(a.data_ + n - 8) ^ word(b.data_ + n - 8))) == 0;
    }
  }
  friend auto operator<=>(const InlineString& a, const InlineString& b) noexcept { return a.view() <=> b.view(); }
  friend std::ostream& operator<<(std::ostream& os, const InlineString& s) { return os << s.view(); }

  // A 64-bit hash of the text (wyhash-style multiply-fold over 8-byte words). Stable for the process
  // only: nothing may store it or depend on its value.
  std::size_t hash() const noexcept {
    if constexpr (N < 8) {
      return std::hash<std::string_view>{}(view());
    } else {
      const std::size_t n = len_;
      std::uint64_t h = kSeed ^ (n * kMul1);
      if (n <= 8) return fold(fold(word(data_) ^ kMul1, h ^ kMul2), n ^ kMul3);
      for (std::size_t i = 0; i + 8 < n; i += 8) h = fold(word(data_ + i) ^ kMul1, h ^ kMul2);
      return fold(fold(word(data_ + n - 8) ^ kMul3, h ^ kMul2), n ^ kMul1);
    }
  }

 private:
  static constexpr std::uint64_t kSeed = 0xa0761d6478bd642fULL;
  static constexpr std::uint64_t kMul1 = 0xe7037ed1a0b428dbULL;
  static constexpr std::uint64_t kMul2 = 0x8ebc6af09c88c6e3ULL;
  static constexpr std::uint64_t kMul3 = 0x589965cc75374cc3ULL;

  void assign_unchecked(std::string_view s) noexcept {
    if (!s.empty()) std::memcpy(data_, s.data(), s.size());  // an empty view may hold a null pointer
    len_ = static_cast<std::uint8_t>(s.size());
  }
  static std::uint64_t word(const char* p) noexcept {
    std::uint64_t w;
    std::memcpy(&w, p, 8);
    return w;
  }
  static std::uint64_t fold(std::uint64_t a, std::uint64_t b) noexcept {
    __extension__ using U128 = unsigned __int128;
    const U128 r = static_cast<U128>(a) * b;
    return static_cast<std::uint64_t>(r) ^ static_cast<std::uint64_t>(r >> 64);
  }

  char data_[N]{};
  std::uint8_t len_ = 0;
};

}  // namespace tradingd

template <std::size_t N>
struct std::hash<tradingd::InlineString<N>> {
  std::size_t operator()(const tradingd::InlineString<N>& s) const noexcept {
    return s.hash();
  }
};
