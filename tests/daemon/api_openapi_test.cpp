// daemon/api/openapi.yaml documents exactly the routes the router knows: every route is in the file and
// every operation in the file is a route, each with its 401 answer and a success answer.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <set>
#include <string>

#include "daemon/api/router.h"
#include "tests/support/fixtures.h"

namespace tradingd::daemon::api {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

class OpenApiTest : public ::testing::Test {
 protected:
  void SetUp() override { doc = YAML::LoadFile((test::source_dir() / "daemon/api/openapi.yaml").string()); }
  YAML::Node doc;
};

TEST_F(OpenApiTest, EveryRouteIsDocumentedAndEveryDocumentedOperationIsARoute) {
  std::set<std::string> routes, documented;
  for (const auto& r : ApiRouter::routes()) routes.insert(lower(r.method) + " " + std::string(r.path));
  ASSERT_TRUE(doc["paths"].IsMap());
  for (const auto& path : doc["paths"]) {
    for (const auto& op : path.second) documented.insert(op.first.as<std::string>() + " " + path.first.as<std::string>());
  }
  EXPECT_EQ(routes, documented);
}

TEST_F(OpenApiTest, EveryOperationDocumentsItsSuccessAndUnauthorizedAnswers) {
  for (const auto& path : doc["paths"]) {
    for (const auto& op : path.second) {
      const auto where = op.first.as<std::string>() + " " + path.first.as<std::string>();
      const auto responses = op.second["responses"];
      ASSERT_TRUE(responses.IsMap()) << where;
      EXPECT_TRUE(responses["401"]) << where << " lacks 401";
      bool success = false;
      for (const auto& r : responses) success = success || r.first.as<std::string>().starts_with("2") || r.first.as<std::string>() == "101";
      EXPECT_TRUE(success) << where << " lacks a success answer";
    }
  }
}

TEST_F(OpenApiTest, EveryReferencedComponentExists) {
  std::function<void(const YAML::Node&)> walk = [&](const YAML::Node& n) {
    if (n.IsMap()) {
      for (const auto& kv : n) {
        if (kv.first.as<std::string>() == "$ref") {
          const auto ref = kv.second.as<std::string>();  // "#/components/schemas/Order"
          ASSERT_TRUE(ref.starts_with("#/components/")) << ref;
          const auto rest = ref.substr(13);
          const auto slash = rest.find('/');
          EXPECT_TRUE(doc["components"][rest.substr(0, slash)][rest.substr(slash + 1)]) << "dangling " << ref;
        } else {
          walk(kv.second);
        }
      }
    } else if (n.IsSequence()) {
      for (const auto& item : n) walk(item);
    }
  };
  walk(doc);
}

}  // namespace
}  // namespace tradingd::daemon::api
