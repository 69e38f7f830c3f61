// InlineString<N>: a short string stored in place (no heap), for symbols and order/trade ids that are
// copied on every event. Construction from longer text fails explicitly instead of truncating.
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
  // Text longer than N yields nullopt.
  static std::optional<InlineString> make(std::string_view s) noexcept {
    if (s.size() > N) return std::nullopt;
    InlineString r;
    if (!s.empty()) std::memcpy(r.data_, s.data(), s.size());  // an empty view may hold a null pointer
    r.len_ = static_cast<std::uint8_t>(s.size());
    return r;
  }
  // For literals and already-validated text; throws std::length_error when too long.
  static InlineString from(std::string_view s) {
    auto r = make(s);
    if (!r) throw std::length_error("string too long for InlineString<" + std::to_string(N) + ">: " + std::string(s));
    return *r;
  }
  static constexpr std::size_t capacity() noexcept { return N; }

  std::string_view view() const noexcept { return {data_, len_}; }
  std::string str() const { return std::string(view()); }
  std::size_t size() const noexcept { return len_; }
  bool empty() const noexcept { return len_ == 0; }

  friend bool operator==(const InlineString& a, const InlineString& b) noexcept { return a.view() == b.view(); }
  friend auto operator<=>(const InlineString& a, const InlineString& b) noexcept { return a.view() <=> b.view(); }
  friend std::ostream& operator<<(std::ostream& os, const InlineString& s) { return os << s.view(); }

 private:
  char data_[N]{};
  std::uint8_t len_ = 0;
};

}  // namespace tradingd

template <std::size_t N>
struct std::hash<tradingd::InlineString<N>> {
  std::size_t operator()(const tradingd::InlineString<N>& s) const noexcept {
    return std::hash<std::string_view>{}(s.view());
  }
};
