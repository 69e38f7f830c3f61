// Base-36 encoding of order ids behind a fixed prefix. Fixed width (13 digits) lets decode() split the
// prefix from the id with no separator, since separators are not portable across venues.
#include "execution/client_order_id.h"

#include <array>
#include <cstring>

namespace tradingd {
namespace {

constexpr char kDigits[] = "0123456789abcdefghijklmnopqrstuvwxyz";

bool is_alnum(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// Digit values of [0-9a-z]; -1 for every other byte.
constexpr std::array<std::int8_t, 256> kDigitValue = [] {
  std::array<std::int8_t, 256> t{};
  for (auto& v : t) v = -1;
  for (int i = 0; i < 36; ++i) t[static_cast<unsigned char>(kDigits[i])] = static_cast<std::int8_t>(i);
  return t;
}();

// The two digits of every value below 36^2, for writing digits two at a time.
constexpr std::array<std::array<char, 2>, 36 * 36> kDigitPairs = [] {
  std::array<std::array<char, 2>, 36 * 36> t{};
  for (std::size_t i = 0; i < t.size(); ++i) t[i] = {kDigits[i / 36], kDigits[i % 36]};
  return t;
}();

// Writes the 6 digits of v (< 36^6) in base 36, most significant first: three divisions of a 32-bit value
// by a constant, two digits each.
void put_6_digits(char* out, std::uint32_t v) {
  std::memcpy(out + 4, kDigitPairs[v % 1296].data(), 2);
  v /= 1296;
  std::memcpy(out + 2, kDigitPairs[v % 1296].data(), 2);
  std::memcpy(out, kDigitPairs[v / 1296].data(), 2);
}

}  // namespace

std::optional<ClientOrderIdCodec> ClientOrderIdCodec::make(std::string_view prefix) {
  if (prefix.empty() || prefix.size() > kMaxPrefixLen) return std::nullopt;
  for (char c : prefix)
    if (!is_alnum(c)) return std::nullopt;
  return ClientOrderIdCodec(*InlineString<kMaxPrefixLen>::make(prefix));
}

ClientOrderIdCodec::ClientOrderIdCodec(InlineString<kMaxPrefixLen> prefix) : prefix_(prefix) {
  char bytes[kPrefixWords * 8] = {};
  char mask[kPrefixWords * 8] = {};
  std::memcpy(bytes, prefix_.view().data(), prefix_.size());
  std::memset(mask, 0xff, prefix_.size());
  std::memcpy(prefix_words_, bytes, sizeof bytes);
  std::memcpy(prefix_masks_, mask, sizeof mask);
}

ClientOrderId ClientOrderIdCodec::encode(OrderId id) const {
  // 13 digits = 1 + 6 + 6: the two 6-digit groups (< 36^6 < 2^32) are independent chains of 32-bit
  // divisions by a constant, instead of one chain of 13 64-bit ones.
  constexpr std::uint64_t k36e6 = 36ull * 36 * 36 * 36 * 36 * 36;
  static_assert(kPrefixWords * 8 <= ClientOrderId::capacity());
  const std::size_t n = prefix_.size();
  return ClientOrderId::compose(n + kIdDigits, [&](char* out) {
    // The whole prefix words (zero past the prefix, as the storage already is), then the digits after it.
    std::memcpy(out, prefix_words_, sizeof prefix_words_);
    const std::uint64_t high = id / k36e6;
    put_6_digits(out + n + 7, static_cast<std::uint32_t>(id % k36e6));
    put_6_digits(out + n + 1, static_cast<std::uint32_t>(high % k36e6));
    out[n] = kDigits[high / k36e6];  // < 36^13 / 36^12
  });
}

std::optional<OrderId> ClientOrderIdCodec::decode_digits(const char* d) const {
  // 12 digits stay below 36^12 < 2^63: only the last step can overflow 64 bits.
  OrderId v = 0;
  int bad = 0;
#pragma GCC unroll 12
  for (std::size_t i = 0; i + 1 < kIdDigits; ++i) {
    const int x = kDigitValue[static_cast<unsigned char>(d[i])];
    bad |= x;
    v = v * 36 + static_cast<OrderId>(x & 63);
  }
  const int last = kDigitValue[static_cast<unsigned char>(d[kIdDigits - 1])];
  if ((bad | last) < 0) return std::nullopt;
  if (__builtin_mul_overflow(v, OrderId{36}, &v) || __builtin_add_overflow(v, static_cast<OrderId>(last), &v))
    return std::nullopt;
  return v;
}

std::optional<OrderId> ClientOrderIdCodec::decode(std::string_view s) const {
  if (s.size() != prefix_.size() + kIdDigits || s.substr(0, prefix_.size()) != prefix_.view()) return std::nullopt;
  return decode_digits(s.data() + prefix_.size());
}

std::optional<OrderId> ClientOrderIdCodec::decode(const ClientOrderId& id) const {
  if (id.size() != prefix_.size() + kIdDigits) return std::nullopt;
  // The storage holds capacity() >= 24 bytes whatever the length: the prefix words are always readable.
  const char* p = id.view().data();
  std::uint64_t diff = 0;
  for (std::size_t i = 0; i < kPrefixWords; ++i) {
    std::uint64_t w;
    std::memcpy(&w, p + 8 * i, 8);
    diff |= (w & prefix_masks_[i]) ^ prefix_words_[i];
  }
  if (diff != 0) return std::nullopt;
  return decode_digits(p + prefix_.size());
}

std::string make_client_id_prefix(std::string_view instance_tag, std::string_view journal_epoch) {
  if (instance_tag.empty() || instance_tag.size() + journal_epoch.size() > ClientOrderIdCodec::kMaxPrefixLen) return "";
  std::string p;
  p.append(instance_tag).append(journal_epoch);
  for (char c : p)
    if (!is_alnum(c)) return "";
  return p;
}

std::string make_journal_epoch(std::uint64_t random) {
  std::string s(6, '0');
  for (auto& c : s) {
    c = kDigits[random % 36];
    random /= 36;
  }
  return s;
}

bool is_portable_client_order_id(std::string_view s) {
  if (s.empty() || s.size() > 32) return false;
  for (char c : s)
    if (!is_alnum(c)) return false;
  return true;
}

}  // namespace tradingd
