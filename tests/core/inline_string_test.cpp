// InlineString's word-wise equality and hash: they must agree with the text for every length, including
// lengths that straddle the 8-byte words and the full capacity.
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <unordered_set>

#include "core/ids.h"

namespace tradingd {
namespace {

template <std::size_t N>
void check_all_lengths() {
  using S = InlineString<N>;
  for (std::size_t len = 0; len <= N; ++len) {
    std::string a(len, 'x');
    for (std::size_t i = 0; i < len; ++i) a[i] = static_cast<char>('a' + (i * 7) % 26);
    const S sa = S::from(a);
    EXPECT_EQ(sa, S::from(a)) << len;
    EXPECT_EQ(sa.hash(), S::from(a).hash()) << len;
    // A difference in any single byte is seen by equality and (for these inputs) by the hash.
    for (std::size_t i = 0; i < len; ++i) {
      std::string b = a;
      b[i] = static_cast<char>(b[i] == 'Z' ? 'Y' : 'Z');
      const S sb = S::from(b);
      EXPECT_NE(sa, sb) << len << " at " << i;
      EXPECT_NE(sa.hash(), sb.hash()) << len << " at " << i;
    }
    // Same bytes, one shorter: different lengths are different strings.
    if (len > 0) {
      const S shorter = S::from(a.substr(0, len - 1));
      EXPECT_NE(sa, shorter) << len;
      EXPECT_NE(sa.hash(), shorter.hash()) << len;
    }
  }
}

TEST(InlineStringWords, EqualityAndHashFollowTheTextAtEveryLength) {
  check_all_lengths<15>();
  check_all_lengths<31>();
  check_all_lengths<32>();
  check_all_lengths<47>();
  check_all_lengths<95>();
}

TEST(InlineStringWords, EmbeddedNulIsPartOfTheText) {
  using S = InlineString<32>;
  const S a = S::from(std::string_view("ab", 2));
  const S b = S::from(std::string_view("ab\0", 3));
  EXPECT_NE(a, b);
  EXPECT_NE(a.hash(), b.hash());
  EXPECT_EQ(b.view(), std::string_view("ab\0", 3));
}

TEST(InlineStringWords, CopiesAndReassignmentKeepTheZeroTail) {
  using S = InlineString<32>;
  S s = S::from("a-long-client-order-id-000000001");
  s = S::from("short");
  EXPECT_EQ(s, S::from("short"));
  EXPECT_EQ(s.hash(), S::from("short").hash());
  EXPECT_EQ(S(), S::from(""));
  EXPECT_EQ(S().hash(), S::from("").hash());
}

TEST(InlineStringWords, ComposeWritesInPlaceAndKeepsTheZeroTail) {
  using S = InlineString<32>;
  for (std::size_t len = 0; len <= 32; ++len) {
    const std::string text(len, 'q');
    const S s = S::compose(len, [&](char* out) {
      for (std::size_t i = 0; i < len; ++i) out[i] = 'q';
    });
    EXPECT_EQ(s, S::from(text)) << len;
    EXPECT_EQ(s.hash(), S::from(text).hash()) << len;
    EXPECT_EQ(s.view(), text);
  }
  EXPECT_EQ(S::make("abc")->view(), "abc");
  EXPECT_FALSE(S::make(std::string(33, 'x')));
  EXPECT_THROW(S::from(std::string(33, 'x')), std::length_error);
}

TEST(InlineStringWords, SpreadsSequentialIdsOverBuckets) {
  // Client order ids differ only in their last base-36 digits: the hash must still spread them.
  std::unordered_set<std::size_t> low_bits;
  for (int i = 0; i < 4096; ++i) {
    const auto id = ClientOrderId::from("tdabc123" + std::string(13 - std::to_string(i).size(), '0') + std::to_string(i));
    low_bits.insert(id.hash() & 4095);
  }
  EXPECT_GT(low_bits.size(), 2400u);  // a uniform hash fills ~63% of 4096 buckets with 4096 keys
}

TEST(InlineStringWords, InstrumentIdsHashBySymbolVenueAndKind) {
  const InstrumentId a{Venue::Binance, MarketKind::Spot, Symbol::from("BTCUSDT")};
  const InstrumentId b{Venue::Bybit, MarketKind::Spot, Symbol::from("BTCUSDT")};
  const InstrumentId c{Venue::Binance, MarketKind::Spot, Symbol::from("ETHUSDT")};
  std::unordered_set<InstrumentId> set{a, b, c, a};
  EXPECT_EQ(set.size(), 3u);
  EXPECT_TRUE(set.count(InstrumentId{Venue::Binance, MarketKind::Spot, Symbol::from("BTCUSDT")}));
}

}  // namespace
}  // namespace tradingd
