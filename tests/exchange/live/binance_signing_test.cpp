// The Binance signer against the documented signing examples (shared fixtures), and Ed25519 against
// RFC 8032's first test vector wrapped as the PEM key a user would configure.
#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "exchange/binance/trading_requests.h"
#include "exchange/binance/trading_signer.h"
#include "tests/support/fixtures.h"

namespace tradingd::binance {
namespace {

namespace json = boost::json;

json::array vectors() {
  auto dir = test::fixtures_dir();
  auto v = json::parse(test::read_file(*dir / "binance/rest_request/signing_vectors.json"));
  return v.at("vectors").as_array();
}

TEST(BinanceSigner, ReproducesEveryDocumentedHmacVector) {
  TRADINGD_REQUIRE_FIXTURES();
  int checked = 0;
  for (const auto& v : vectors()) {
    const auto& in = v.at("inputs").as_object();
    auto signer = BinanceSigner::make(std::string(in.at("apiKey").as_string()), in.at("secretKey").as_string());
    ASSERT_TRUE(signer);
    EXPECT_EQ(signer->kind(), KeyKind::Hmac);
    const std::string expected(v.at("expected_signature").as_string());
    const std::string id(v.at("id").as_string());
    const std::string payload(in.at("payload").as_string());
    if (id.find("wsapi") != std::string::npos) {
      EXPECT_EQ(signer->sign_ws(payload), expected) << id;
    } else if (in.contains("queryString")) {
      // Mixed: the query then the body, no separator.
      EXPECT_EQ(signer->sign_rest(in.at("queryString").as_string(), in.at("requestBody").as_string()), expected) << id;
    } else {
      EXPECT_EQ(signer->sign_rest(payload), expected) << id;
    }
    ++checked;
  }
  EXPECT_EQ(checked, 6);
}

TEST(BinanceSigner, NonAsciiSymbolIsPercentEncodedBeforeSigning) {
  TRADINGD_REQUIRE_FIXTURES();
  for (const auto& v : vectors()) {
    const auto& in = v.at("inputs").as_object();
    if (!in.contains("params_before_encoding")) continue;
    // Encoding each value the way the request builder does gives the documented payload.
    std::string raw(in.at("params_before_encoding").as_string());
    std::string encoded;
    std::size_t pos = 0;
    while (pos <= raw.size()) {
      std::size_t amp = raw.find('&', pos);
      if (amp == std::string::npos) amp = raw.size();
      std::string kv = raw.substr(pos, amp - pos);
      std::size_t eq = kv.find('=');
      if (!encoded.empty()) encoded += '&';
      encoded += kv.substr(0, eq + 1) + live::percent_encode(kv.substr(eq + 1));
      pos = amp + 1;
    }
    EXPECT_EQ(encoded, std::string(in.at("payload").as_string()));
    auto signer = BinanceSigner::make("k", in.at("secretKey").as_string());
    ASSERT_TRUE(signer);
    EXPECT_EQ(signer->sign_rest(encoded), std::string(v.at("expected_signature").as_string()));
  }
}

TEST(BinanceSigner, AppendSignatureMakesItTheLastParameter) {
  auto signer = BinanceSigner::make("key", "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j");
  ASSERT_TRUE(signer);
  std::string q = "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559";
  signer->append_signature(q);
  EXPECT_EQ(q.substr(q.size() - 75), "&signature=c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71");
}

// RFC 8032 §7.1 TEST 1: secret key 9d61b1..7f60, empty message. PKCS#8 DER = 302e020100300506032b657004220420 || key.
constexpr const char* kRfc8032Pem =
    "-----BEGIN PRIVATE KEY-----\n"
    "MC4CAQAwBQYDK2VwBCIEIJ1hsZ3v/VpguoRK9JLsLMREScVpezJpGXA7rAMcrn9g\n"
    "-----END PRIVATE KEY-----\n";

TEST(BinanceSigner, Ed25519PemKeySignsLikeRfc8032) {
  auto signer = BinanceSigner::make("key", kRfc8032Pem);
  ASSERT_TRUE(signer) << signer.error();
  EXPECT_EQ(signer->kind(), KeyKind::Ed25519);
  // e5564300...a100b in base64.
  EXPECT_EQ(signer->sign_ws(""), "5VZDAMNgrHKQhuLMgG6CioSHfx645dl02HPgZSJJAVVfuIIVkKM7rMYeOXAc+bRr0lv18FlbviRlUUFDjnoQCw==");
  // REST: the same signature percent-encoded (+ / =).
  EXPECT_EQ(signer->sign_rest(""), live::percent_encode(signer->sign_ws("")));
  EXPECT_NE(signer->sign_rest("").find("%3D%3D"), std::string::npos);
}

TEST(BinanceSigner, RejectsUnreadablePem) {
  EXPECT_FALSE(BinanceSigner::make("key", "-----BEGIN PRIVATE KEY-----\ngarbage\n-----END PRIVATE KEY-----\n"));
}

}  // namespace
}  // namespace tradingd::binance
