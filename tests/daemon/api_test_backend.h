// The control API's ApiBackend over a NodeHarness (a real TradingNode on the simulated venue, simulated
// clock): router and events tests run every handler with no socket.
#pragma once

#include <boost/json/parse.hpp>

#include "daemon/api/api_backend.h"
#include "daemon/api/router.h"
#include "tests/execution/node/node_harness.h"

namespace tradingd::test {

class HarnessBackend final : public daemon::api::ApiBackend {
 public:
  explicit HarnessBackend(NodeHarness& h) : h_(h) {}
  daemon::api::DaemonStatus status() const override {
    return {"9.9.9", "paper", "running", 12, true, {{"state", true, "reconciled"}}};
  }
  TradingNode* node() override { return with_node ? &h_.node() : nullptr; }
  void request_emergency_stop(const std::string& source) override {
    ++emergency_stops;
    last_source = source;
    (void)h_.node().emergency_stop("emergency stop (" + source + ")");
  }

  bool with_node = true;
  int emergency_stops = 0;
  std::string last_source;

 private:
  NodeHarness& h_;
};

inline constexpr const char* kToken = "s3cret-token";

inline daemon::api::ApiRequest req(std::string method, std::string target, std::string body = {},
                                   std::string auth = std::string("Bearer ") + kToken) {
  return daemon::api::ApiRequest{std::move(method), std::move(target), std::move(auth), std::move(body)};
}

inline boost::json::object body_of(const daemon::api::ApiResponse& r) {
  return boost::json::parse(r.body).as_object();
}

}  // namespace tradingd::test
