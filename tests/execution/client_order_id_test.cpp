// Client order ids: round trip, uniqueness, and every venue's rule.
#include <gtest/gtest.h>

#include <cctype>
#include <limits>
#include <string_view>
#include <set>
#include <string>
#include <vector>

#include "execution/client_order_id.h"

namespace tradingd {
namespace {

// The venues' documented rules, spelled out (std::regex trips GCC 12's -Wmaybe-uninitialized under ASan).
bool binance_ok(std::string_view s) {  // ^[\.A-Z\:/a-z0-9_-]{1,36}$
  if (s.empty() || s.size() > 36) return false;
  for (char c : s)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == ':' || c == '/' || c == '_' || c == '-')) return false;
  return true;
}
bool okx_ok(std::string_view s) {  // 1..32 alphanumerics
  if (s.empty() || s.size() > 32) return false;
  for (char c : s)
    if (!std::isalnum(static_cast<unsigned char>(c))) return false;
  return true;
}

TEST(ClientOrderId, RoundTripsAndFitsEveryVenue) {
  const auto codec = *ClientOrderIdCodec::make(make_client_id_prefix("td", make_journal_epoch(123456789)));
  for (OrderId id : {OrderId{1}, OrderId{35}, OrderId{36}, OrderId{123456789}, std::numeric_limits<OrderId>::max()}) {
    const ClientOrderId cid = codec.encode(id);
    EXPECT_TRUE(binance_ok(cid.view())) << cid;
    EXPECT_TRUE(okx_ok(cid.view())) << cid;
    EXPECT_LE(cid.size(), 32u);  // OKX 32, Bybit 36
    EXPECT_TRUE(is_portable_client_order_id(cid.view()));
    EXPECT_EQ(codec.decode(cid.view()), id);
  }
}

TEST(ClientOrderId, EncodesEveryDigitPlace) {
  // encode() works in groups of 6 digits: the group edges, against a plain base-36 conversion.
  const auto codec = *ClientOrderIdCodec::make("td");
  auto reference = [](OrderId id) {
    std::string s(13, '0');
    for (std::size_t i = 13; i-- > 0; id /= 36) s[i] = "0123456789abcdefghijklmnopqrstuvwxyz"[id % 36];
    return "td" + s;
  };
  const OrderId e6 = 2176782336ull;  // 36^6
  const OrderId e12 = e6 * e6;
  std::vector<OrderId> ids = {0, 1, 35, 36, e6 - 1, e6, e6 + 1, e12 - 1, e12, e12 + 1, 3 * e12 + 7 * e6 + 5,
                              std::numeric_limits<OrderId>::max() - 1, std::numeric_limits<OrderId>::max()};
  for (OrderId x = 0x9e3779b97f4a7c15ull, i = 0; i < 1000; ++i, x = x * 6364136223846793005ull + 1442695040888963407ull)
    ids.push_back(x >> (i % 64));
  for (OrderId id : ids) {
    EXPECT_EQ(codec.encode(id).view(), reference(id)) << id;
    EXPECT_EQ(codec.decode(codec.encode(id).view()), id);
  }
}

TEST(ClientOrderId, LongestPrefixStillFits) {
  const auto codec = ClientOrderIdCodec::make(std::string(ClientOrderIdCodec::kMaxPrefixLen, 'a'));
  ASSERT_TRUE(codec);
  EXPECT_EQ(codec->encode(std::numeric_limits<OrderId>::max()).size(), 32u);
  EXPECT_FALSE(ClientOrderIdCodec::make(std::string(ClientOrderIdCodec::kMaxPrefixLen + 1, 'a')));
  EXPECT_FALSE(ClientOrderIdCodec::make("td-1"));
  EXPECT_FALSE(ClientOrderIdCodec::make(""));
}

TEST(ClientOrderId, DistinctIdsAndDistinctJournalsNeverCollide) {
  const auto a = *ClientOrderIdCodec::make(make_client_id_prefix("td", make_journal_epoch(1)));
  const auto b = *ClientOrderIdCodec::make(make_client_id_prefix("td", make_journal_epoch(2)));
  std::set<std::string> seen;
  for (OrderId id = 1; id <= 2000; ++id) {
    EXPECT_TRUE(seen.insert(a.encode(id).str()).second);
    EXPECT_TRUE(seen.insert(b.encode(id).str()).second);  // a recreated journal restarts ids at 1
  }
}

TEST(ClientOrderId, DecodeRejectsForeignIds) {
  const auto codec = *ClientOrderIdCodec::make("tdabc123");
  const std::string p = "tdabc123";
  EXPECT_FALSE(codec.decode("manual-order-1"));
  EXPECT_FALSE(codec.decode(p));
  EXPECT_FALSE(codec.decode(p + std::string(11, '0') + "1"));        // too short
  EXPECT_FALSE(codec.decode(p + std::string(13, '0') + "1"));        // too long
  EXPECT_FALSE(codec.decode(p + std::string(11, '0') + "A1"));       // uppercase is not our digit
  EXPECT_FALSE(codec.decode("xxabc123" + std::string(12, '0') + "1"));
  EXPECT_FALSE(codec.decode(p + std::string(13, 'z')));              // 36^13 - 1 overflows 64 bits
  EXPECT_FALSE(codec.decode(p + "3w5e11264sgsg"));                   // 2^64: overflows in the last step
  EXPECT_EQ(codec.decode(p + "3w5e11264sgsf"), std::numeric_limits<OrderId>::max());
  EXPECT_FALSE(codec.decode(p + std::string(12, '0') + "-"));        // a bad last digit
  EXPECT_FALSE(codec.decode(p + "-" + std::string(12, '0')));        // a bad first digit
  EXPECT_EQ(codec.decode(p + std::string(12, '0') + "1"), OrderId{1});
  EXPECT_EQ(codec.decode(p + std::string(11, '0') + "10"), OrderId{36});
  EXPECT_EQ(make_client_id_prefix("t-d", "abc"), "");
  EXPECT_EQ(make_journal_epoch(0), "000000");
}

TEST(ClientOrderId, InlineDecodeAgreesWithTextDecodeForEveryPrefixLength) {
  // decode(ClientOrderId) compares the prefix a word at a time: check it against decode(string_view) for
  // prefixes ending anywhere within the words, a difference at every byte, and lengths around the right one.
  for (std::size_t len = 1; len <= ClientOrderIdCodec::kMaxPrefixLen; ++len) {
    std::string prefix;
    for (std::size_t i = 0; i < len; ++i) prefix += "abcdefghijKLMNOPQRS0123456789"[i];
    const auto codec = *ClientOrderIdCodec::make(prefix);
    for (OrderId id : {OrderId{0}, OrderId{1}, OrderId{20'747}, std::numeric_limits<OrderId>::max()}) {
      const ClientOrderId cid = codec.encode(id);
      EXPECT_EQ(cid, ClientOrderId::from(cid.view())) << prefix;  // composed in place: the same bytes, zero tail
      EXPECT_EQ(cid.hash(), ClientOrderId::from(cid.view()).hash());
      EXPECT_EQ(codec.decode(cid), id) << prefix;
      EXPECT_EQ(codec.decode(cid.view()), id) << prefix;
      const std::string text = cid.str();
      for (std::size_t i = 0; i < text.size(); ++i) {
        std::string bad = text;
        bad[i] = bad[i] == 'Z' ? 'Y' : 'Z';
        EXPECT_EQ(codec.decode(ClientOrderId::from(bad)), codec.decode(std::string_view(bad))) << bad;
        if (i < len) {
          EXPECT_FALSE(codec.decode(ClientOrderId::from(bad))) << bad;
        }
      }
      if (text.size() < ClientOrderId::capacity()) {
        EXPECT_FALSE(codec.decode(ClientOrderId::from(text + "0"))) << text;
      }
      EXPECT_FALSE(codec.decode(ClientOrderId::from(text.substr(0, text.size() - 1)))) << text;
      EXPECT_FALSE(codec.decode(ClientOrderId::from(text.substr(1)))) << text;
    }
    EXPECT_FALSE(codec.decode(ClientOrderId{}));
  }
}

}  // namespace
}  // namespace tradingd
