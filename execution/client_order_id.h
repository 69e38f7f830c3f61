// Client order ids: <prefix><order id in base 36, 13 digits>. Only [0-9A-Za-z] and at most 32 characters,
// the intersection of every venue's rule (Binance ^[\.A-Z\:/a-z0-9_-]{1,36}$, Bybit orderLinkId <= 36, OKX
// clOrdId <= 32 alphanumerics). Unique across restarts because the order id is journaled and monotonic
// and the prefix carries the journal's epoch; decode() gives our order id back (and says "not ours").
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/ids.h"

namespace tradingd {

class ClientOrderIdCodec {
 public:
  static constexpr std::size_t kIdDigits = 13;                                   // 36^13 > 2^64
  static constexpr std::size_t kMaxPrefixLen = ClientOrderId::capacity() - kIdDigits;  // 19

  // prefix: 1..19 characters of [0-9A-Za-z]; nullopt otherwise.
  static std::optional<ClientOrderIdCodec> make(std::string_view prefix);

  ClientOrderId encode(OrderId id) const;
  // Our order id when client_order_id has our prefix and a well-formed id part; nullopt otherwise.
  std::optional<OrderId> decode(std::string_view client_order_id) const;
  // The same for an id already held inline (every venue event): the prefix is compared a word at a time.
  std::optional<OrderId> decode(const ClientOrderId& client_order_id) const;
  std::string_view prefix() const { return prefix_.view(); }

 private:
  static constexpr std::size_t kPrefixWords = (kMaxPrefixLen + 7) / 8;  // 3

  explicit ClientOrderIdCodec(InlineString<kMaxPrefixLen> prefix);
  std::optional<OrderId> decode_digits(const char* digits) const;

  InlineString<kMaxPrefixLen> prefix_;
  // The prefix as little-endian words, zero past its end, and masks keeping its bytes: encode() stores
  // these words whole and decode() compares against them, without a variable-length memcpy/memcmp.
  std::uint64_t prefix_words_[kPrefixWords]{};
  std::uint64_t prefix_masks_[kPrefixWords]{};
};

// The recommended prefix: an instance tag (default "td", alphanumeric, up to 13 characters) and the
// journal's epoch (6 base-36 characters drawn when the journal file was created, so a deleted journal
// never reuses an old id). Returns "" when the parts are invalid.
std::string make_client_id_prefix(std::string_view instance_tag, std::string_view journal_epoch);
// A fresh epoch from a random number: 6 characters of [0-9a-z].
std::string make_journal_epoch(std::uint64_t random);
// True when s satisfies every venue's client order id rule (alphanumeric, 1..32 characters).
bool is_portable_client_order_id(std::string_view s);

}  // namespace tradingd
