// Control API access: the bearer check and the listen policy (never served without authentication).
#include <gtest/gtest.h>

#include "daemon/api/auth.h"

namespace tradingd::daemon::api {
namespace {

TEST(ApiAuth, BearerTokenMatchesOnlyTheExactToken) {
  EXPECT_TRUE(bearer_token_matches("Bearer abc", "abc"));
  EXPECT_TRUE(bearer_token_matches("bearer abc", "abc"));
  EXPECT_TRUE(bearer_token_matches("BEARER  abc ", "abc"));
  EXPECT_FALSE(bearer_token_matches("Bearer abcd", "abc"));
  EXPECT_FALSE(bearer_token_matches("Bearer ab", "abc"));
  EXPECT_FALSE(bearer_token_matches("Bearer ABC", "abc"));
  EXPECT_FALSE(bearer_token_matches("abc", "abc"));
  EXPECT_FALSE(bearer_token_matches("Basic abc", "abc"));
  EXPECT_FALSE(bearer_token_matches("", "abc"));
  EXPECT_FALSE(bearer_token_matches("Bearer ", ""));
  EXPECT_FALSE(bearer_token_matches("", ""));
}

TEST(ApiAuth, LoopbackHosts) {
  for (const char* h : {"127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost"}) EXPECT_TRUE(is_loopback_host(h)) << h;
  for (const char* h : {"0.0.0.0", "10.0.0.1", "::", "[::]", "example.org", "128.0.0.1"}) EXPECT_FALSE(is_loopback_host(h)) << h;
}

TEST(ApiAuth, NonLoopbackWithoutTokenIsRefusedNamingWhatToSet) {
  const auto d = decide_api_access("0.0.0.0:8787", false);
  EXPECT_EQ(d.access, ApiAccess::Refuse);
  EXPECT_NE(d.message.find("TRADINGD_API_TOKEN"), std::string::npos);
  EXPECT_EQ(decide_api_access("[::]:8787", false).access, ApiAccess::Refuse);
}

TEST(ApiAuth, LoopbackWithoutTokenIsDisabledAndATokenServesAnywhere) {
  const auto d = decide_api_access("127.0.0.1:8787", false);
  EXPECT_EQ(d.access, ApiAccess::Disabled);
  EXPECT_NE(d.message.find("TRADINGD_API_TOKEN"), std::string::npos);
  EXPECT_EQ(decide_api_access("[::1]:0", false).access, ApiAccess::Disabled);
  EXPECT_EQ(decide_api_access("127.0.0.1:8787", true).access, ApiAccess::Serve);
  EXPECT_EQ(decide_api_access("0.0.0.0:8787", true).access, ApiAccess::Serve);
}

}  // namespace
}  // namespace tradingd::daemon::api
