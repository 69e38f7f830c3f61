// ApiServer's abuse limits on a real socket and io_context (run on a test thread; the test only talks to it
// through sockets and posted work): the connection cap, the request timeout against slow clients while
// others are served, and a WebSocket client that does not read being dropped instead of stalling the loop.
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <future>
#include <thread>

#include "daemon/api/api_server.h"
#include "tests/daemon/api_test_backend.h"
#include "tests/daemon/api_wire_client.h"
#include "tests/daemon/daemon_process.h"

namespace tradingd::daemon::api {
namespace {

using namespace std::chrono_literals;

int open_socket(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

// True when the peer closed the connection within the timeout (recv returns 0 or an error).
bool closed_by_peer(int fd, std::chrono::milliseconds timeout) {
  pollfd p{fd, POLLIN, 0};
  if (::poll(&p, 1, static_cast<int>(timeout.count())) <= 0) return false;
  char c;
  return ::recv(fd, &c, 1, 0) <= 0;
}

class ServerTest : public ::testing::Test {
 protected:
  void start(ApiServerOptions o) {
    o.listen = "127.0.0.1:0";
    server = std::make_unique<ApiServer>(io, router, stats, o, [] { return std::string(R"({"type":"subscribed"})"); },
                                         [] {});
    port = server->port();
    thread = std::thread([this] { io.run(); });
  }
  void TearDown() override {
    std::promise<void> stopped;
    boost::asio::post(io, [&] {
      server->stop();
      stopped.set_value();
    });
    stopped.get_future().wait();
    work.reset();
    io.stop();
    thread.join();
    server.reset();
  }
  template <class F>
  void on_loop(F f) {
    std::promise<void> done;
    boost::asio::post(io, [&] {
      f();
      done.set_value();
    });
    done.get_future().wait();
  }

  test::NodeHarness h;  // never started: the events route only needs a node to exist
  test::HarnessBackend backend{h};
  ApiRouter router{backend, RouterOptions{test::kToken, 1024}};
  prometheus::Registry registry;
  ApiStats stats{registry};
  boost::asio::io_context io{1};
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work{io.get_executor()};
  std::unique_ptr<ApiServer> server;
  std::thread thread;
  int port = 0;
};

TEST_F(ServerTest, ConnectionsOverTheCapAreClosedAtOnce) {
  start(ApiServerOptions{.request_timeout = 5s, .max_connections = 2});
  const int a = open_socket(port), b = open_socket(port);
  ASSERT_GE(a, 0);
  ASSERT_GE(b, 0);
  ASSERT_TRUE(test::eventually([&] { return stats.connections.Value() == 2; }, 2s));
  const int c = open_socket(port);
  ASSERT_GE(c, 0);
  EXPECT_TRUE(closed_by_peer(c, 2s));
  EXPECT_EQ(stats.connections_refused.Value(), 1);
  ::close(a);
  ::close(c);
  // A slot came free: a request is served again.
  EXPECT_TRUE(test::eventually([&] { return test::api_request(port, "GET", "/v1/status", test::kToken).status == 200; }, 3s));
  ::close(b);
}

TEST_F(ServerTest, ASlowClientIsCutOffAtTheRequestTimeoutWhileOthersAreServed) {
  start(ApiServerOptions{.request_timeout = 300ms});
  const int slow = open_socket(port);
  ASSERT_GE(slow, 0);
  const std::string partial = "GET /v1/status HTTP/1.1\r\nHost: x\r\n";  // never finishes its headers
  ASSERT_EQ(::send(slow, partial.data(), partial.size(), MSG_NOSIGNAL), static_cast<ssize_t>(partial.size()));
  EXPECT_EQ(test::api_request(port, "GET", "/v1/status", test::kToken).status, 200);
  EXPECT_TRUE(closed_by_peer(slow, 3s));
  ::close(slow);
  // An idle keep-alive connection is closed the same way.
  const int idle = open_socket(port);
  EXPECT_TRUE(closed_by_peer(idle, 3s));
  ::close(idle);
}

TEST_F(ServerTest, AnEventsClientThatDoesNotReadIsDropped) {
  start(ApiServerOptions{.events_queue = 4});
  test::WsClient ws;
  ASSERT_EQ(ws.connect(port, "/v1/events", test::kToken), 101);
  ASSERT_TRUE(test::eventually([&] { return stats.events_clients.Value() == 1; }, 2s));
  // 1 MiB events, never read: the socket buffers fill, the queue passes 4, the client is dropped.
  const auto big = std::make_shared<const std::string>(std::string(1 << 20, 'x'));
  for (int i = 0; i < 64 && stats.events_clients_dropped.Value() == 0; ++i) on_loop([&] { server->broadcast(big); });
  EXPECT_EQ(stats.events_clients_dropped.Value(), 1);
  // The loop is not stalled: requests are still answered.
  EXPECT_EQ(test::api_request(port, "GET", "/v1/status", test::kToken).status, 200);
}

TEST_F(ServerTest, RequestsAreCountedByRouteAndCode) {
  start(ApiServerOptions{});
  EXPECT_EQ(test::api_request(port, "GET", "/v1/status", test::kToken).status, 200);
  EXPECT_EQ(test::api_request(port, "GET", "/v1/status", "").status, 401);
  EXPECT_EQ(test::api_request(port, "GET", "/nope", test::kToken).status, 404);
  auto value = [&](const char* endpoint, const char* code) {
    return stats.requests.Add({{"endpoint", endpoint}, {"code", code}}).Value();
  };
  EXPECT_TRUE(test::eventually([&] { return value("GET /v1/status", "200") == 1; }, 2s));
  EXPECT_EQ(value("GET /v1/status", "401"), 1);
  EXPECT_EQ(value("other", "404"), 1);
}

}  // namespace
}  // namespace tradingd::daemon::api
