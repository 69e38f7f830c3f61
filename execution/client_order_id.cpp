// Base-36 encoding of order ids behind a fixed prefix. Fixed width (13 digits) lets decode() split the
// prefix from the id with no separator, since separators are not portable across venues.
#include "execution/client_order_id.h"

namespace tradingd {
namespace {

constexpr char kDigits[] = "0123456789abcdefghijklmnopqrstuvwxyz";

bool is_alnum(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

int digit_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'z') return c - 'a' + 10;
  return -1;
}

}  // namespace

std::optional<ClientOrderIdCodec> ClientOrderIdCodec::make(std::string_view prefix) {
  if (prefix.empty() || prefix.size() > kMaxPrefixLen) return std::nullopt;
  for (char c : prefix)
    if (!is_alnum(c)) return std::nullopt;
  return ClientOrderIdCodec(*InlineString<kMaxPrefixLen>::make(prefix));
}

ClientOrderId ClientOrderIdCodec::encode(OrderId id) const {
  char buf[ClientOrderId::capacity()];
  const std::size_t n = prefix_.size();
  for (std::size_t i = 0; i < n; ++i) buf[i] = prefix_.view()[i];
  for (std::size_t i = 0; i < kIdDigits; ++i) {
    buf[n + kIdDigits - 1 - i] = kDigits[id % 36];
    id /= 36;
  }
  return *ClientOrderId::make(std::string_view(buf, n + kIdDigits));
}

std::optional<OrderId> ClientOrderIdCodec::decode(std::string_view s) const {
  if (s.size() != prefix_.size() + kIdDigits || s.substr(0, prefix_.size()) != prefix_.view()) return std::nullopt;
  OrderId v = 0;
  for (char c : s.substr(prefix_.size())) {
    const int d = digit_value(c);
    if (d < 0) return std::nullopt;
    if (__builtin_mul_overflow(v, OrderId{36}, &v) || __builtin_add_overflow(v, static_cast<OrderId>(d), &v))
      return std::nullopt;
  }
  return v;
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
