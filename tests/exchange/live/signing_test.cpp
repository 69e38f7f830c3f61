#include "exchange/live/signing.h"

#include <gtest/gtest.h>

namespace tradingd::live {
namespace {

// RFC 4231 test case 2 (HMAC-SHA256).
TEST(HmacSha256, MatchesRfc4231) {
  auto mac = HmacSha256::make("Jefe");
  ASSERT_TRUE(mac);
  EXPECT_EQ(mac->sign_hex("what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(HmacSha256, KeyedContextIsReusableAndPartsConcatenate) {
  auto mac = HmacSha256::make("Jefe");
  ASSERT_TRUE(mac);
  const auto whole = mac->sign("what do ya want for nothing?");
  EXPECT_EQ(mac->sign("what do ya ", "want for ", "nothing", "?"), whole);
  EXPECT_EQ(mac->sign("what do ya want for nothing?"), whole);  // the template is not consumed
  EXPECT_NE(mac->sign("what do ya want for nothing!"), whole);
}

TEST(HmacSha256, EmptyKeyAndMessageGiveTheKnownDigest) {
  auto mac = HmacSha256::make("");
  ASSERT_TRUE(mac);
  EXPECT_EQ(mac->sign_hex(""), "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
}

TEST(Encoding, Base64OfTheRfc4231Digest) {
  auto mac = HmacSha256::make("Jefe");
  ASSERT_TRUE(mac);
  EXPECT_EQ(mac->sign_base64("what do ya want for nothing?"), "W9zBRr9gdU5qBCQmCJV1x1oAPwidJzmDnexYuWTsOEM=");
  EXPECT_EQ(to_base64(std::string_view("f")), "Zg==");
  EXPECT_EQ(to_base64(std::string_view("fo")), "Zm8=");
  EXPECT_EQ(to_base64(std::string_view("foo")), "Zm9v");
  EXPECT_EQ(to_base64(std::string_view("")), "");
}

TEST(Encoding, PercentEncodeKeepsOnlyUnreserved) {
  EXPECT_EQ(percent_encode("BTCUSDT"), "BTCUSDT");
  EXPECT_EQ(percent_encode("a-b_c.d~e"), "a-b_c.d~e");
  EXPECT_EQ(percent_encode("a b=c&d/e+f"), "a%20b%3Dc%26d%2Fe%2Bf");
  EXPECT_EQ(percent_encode("\xE5\xB8\x81"), "%E5%B8%81");  // UTF-8 bytes, upper-case hex
}

}  // namespace
}  // namespace tradingd::live
