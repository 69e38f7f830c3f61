// Blocking loopback clients for the control API process test: one HTTP/1.1 request per connection
// (any method, headers, body), and a minimal WebSocket client (handshake, text frames, pings answered).
// Every read polls against a deadline; nothing sleeps blindly.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace tradingd::test {

struct WireResponse {
  int status = 0;  // 0: no answer
  std::string head;
  std::string body;
};

// Sends raw bytes as the request (tests of malformed or oversized requests) and reads to EOF.
WireResponse raw_request(int port, const std::string& bytes, std::chrono::milliseconds timeout = std::chrono::seconds(5));
// A well-formed request with Connection: close; token empty: no Authorization header.
WireResponse api_request(int port, const std::string& method, const std::string& target, const std::string& token,
                         const std::string& body = {}, std::chrono::milliseconds timeout = std::chrono::seconds(5));

class WsClient {
 public:
  WsClient() = default;
  ~WsClient();
  WsClient(const WsClient&) = delete;
  WsClient& operator=(const WsClient&) = delete;

  // The HTTP status of the handshake answer (101 on success), 0 when there was none.
  int connect(int port, const std::string& target, const std::string& token,
              std::chrono::milliseconds timeout = std::chrono::seconds(5));
  // The next text message; nullopt on timeout or close.
  std::optional<std::string> next(std::chrono::milliseconds timeout);
  bool closed() const { return closed_; }

 private:
  bool fill(std::size_t n, std::chrono::steady_clock::time_point deadline);
  void send_frame(int opcode, const std::string& payload);

  int fd_ = -1;
  std::string buf_;
  bool closed_ = false;
};

}  // namespace tradingd::test
