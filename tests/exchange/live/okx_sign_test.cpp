// OKX signing: the documented inputs (shared/fixtures/okx/rest_request/signing_vectors.json) reproduce the
// pinned signatures, the ISO-8601 timestamp form, and the header set (demo adds x-simulated-trading).
#include "exchange/okx/trading_sign.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "tests/support/fixtures.h"

namespace tradingd::okx {
namespace {

TEST(OkxSign, DocumentedVectorsFromTheFixture) {
  TRADINGD_REQUIRE_FIXTURES();
  const auto doc = boost::json::parse(test::read_file(*test::fixtures_dir() / "okx/rest_request/signing_vectors.json"));
  int checked = 0;
  for (const auto& v : doc.at("vectors").as_array()) {
    const auto& in = v.at("inputs").as_object();
    const std::string secret(in.at("secretKey").as_string());
    const std::string expected(v.at("locally_computed_signature").as_string());
    auto signer = OkxSigner::make("key", secret, "pass", false);
    ASSERT_TRUE(signer);
    if (in.contains("method")) {
      const std::string ts(in.at("timestamp").as_string()), method(in.at("method").as_string()),
          path(in.at("requestPath").as_string()), body(in.at("body").as_string());
      EXPECT_EQ(ts + method + path + body, std::string(in.at("prehash").as_string()));
      EXPECT_EQ(signer->sign(ts, method, path, body), expected) << v.at("id");
    } else {
      EXPECT_EQ(signer->ws_login_sign(std::string(in.at("timestamp").as_string())), expected) << v.at("id");
    }
    ++checked;
  }
  EXPECT_EQ(checked, 2);
}

TEST(OkxSign, Iso8601MillisecondsRoundTrips) {
  // 2020-12-08T09:08:57.715Z, the docs' example timestamp.
  EXPECT_EQ(iso8601_ms(1607418537715), "2020-12-08T09:08:57.715Z");
  EXPECT_EQ(iso8601_ms(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(iso8601_ms(951782400000), "2000-02-29T00:00:00.000Z");  // leap day
  EXPECT_EQ(parse_iso8601_ms("2020-12-08T09:08:57.715Z"), 1607418537715);
  for (std::int64_t ms : {1LL, 1700000000123LL, 4102444799999LL}) EXPECT_EQ(parse_iso8601_ms(iso8601_ms(ms)), ms);
  EXPECT_FALSE(parse_iso8601_ms("2020-12-08T09:08:57Z"));
  EXPECT_FALSE(parse_iso8601_ms("1607418537715"));
  EXPECT_FALSE(parse_iso8601_ms("2020-13-08T09:08:57.715Z"));
}

TEST(OkxSign, HeadersCarryKeyPassphraseTimestampAndSignature) {
  auto signer = OkxSigner::make("my-key", "22582BD0CFF14C41EDBF1AB98506286D", "my-pass", false);
  ASSERT_TRUE(signer);
  const auto h = signer->headers(1607418537715, "GET", "/api/v5/account/balance?ccy=BTC", "");
  ASSERT_EQ(h.size(), 4u);
  EXPECT_EQ(h[0], (std::pair<std::string, std::string>{"OK-ACCESS-KEY", "my-key"}));
  EXPECT_EQ(h[1], (std::pair<std::string, std::string>{"OK-ACCESS-SIGN", "HiZhvSfMtWJA3uUIVXV3a/bSXNPCWvYFXoGCVS8V4zY="}));
  EXPECT_EQ(h[2], (std::pair<std::string, std::string>{"OK-ACCESS-TIMESTAMP", "2020-12-08T09:08:57.715Z"}));
  EXPECT_EQ(h[3], (std::pair<std::string, std::string>{"OK-ACCESS-PASSPHRASE", "my-pass"}));

  auto demo = OkxSigner::make("my-key", "22582BD0CFF14C41EDBF1AB98506286D", "my-pass", true);
  ASSERT_TRUE(demo);
  const auto hd = demo->headers(1607418537715, "GET", "/api/v5/account/balance?ccy=BTC", "");
  ASSERT_EQ(hd.size(), 5u);
  EXPECT_EQ(hd[4], (std::pair<std::string, std::string>{"x-simulated-trading", "1"}));
}

TEST(OkxSign, PostSignsTheExactBody) {
  auto signer = OkxSigner::make("k", "secret", "p", false);
  ASSERT_TRUE(signer);
  const std::string ts = "2020-12-08T09:08:57.715Z";
  const auto a = signer->sign(ts, "POST", "/api/v5/trade/order", R"({"instId":"BTC-USDT"})");
  EXPECT_NE(a, signer->sign(ts, "POST", "/api/v5/trade/order", R"({"instId": "BTC-USDT"})"));
  EXPECT_NE(a, signer->sign(ts, "post", "/api/v5/trade/order", R"({"instId":"BTC-USDT"})"));
  auto mac = live::HmacSha256::make("secret");
  ASSERT_TRUE(mac);
  EXPECT_EQ(a, mac->sign_base64(ts + "POST/api/v5/trade/order{\"instId\":\"BTC-USDT\"}"));
}

TEST(OkxSign, WsLoginFrame) {
  auto signer = OkxSigner::make("k1", "22582BD0CFF14C41EDBF1AB98506286D", "pa\"ss", false);
  ASSERT_TRUE(signer);
  const auto frame = boost::json::parse(signer->ws_login(1538054050));
  EXPECT_EQ(frame.at("op"), "login");
  const auto& arg = frame.at("args").as_array().at(0);
  EXPECT_EQ(arg.at("apiKey"), "k1");
  EXPECT_EQ(arg.at("passphrase"), "pa\"ss");
  EXPECT_EQ(arg.at("timestamp"), "1538054050");
  EXPECT_EQ(arg.at("sign"), "+LdIr8lkkvhr5hoA3g9TMC0+uQJ849ftAcocA/ouu4M=");
}

}  // namespace
}  // namespace tradingd::okx
