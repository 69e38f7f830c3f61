// See api_wire_client.h.
#include "tests/daemon/api_wire_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>

namespace tradingd::test {
namespace {

using Clock = std::chrono::steady_clock;

int connect_loopback(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
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

bool send_all(int fd, const std::string& s) {
  std::size_t sent = 0;
  while (sent < s.size()) {
    const auto n = ::send(fd, s.data() + sent, s.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return false;
    sent += static_cast<std::size_t>(n);
  }
  return true;
}

// Reads into out until EOF, the deadline, or (when stop is set) until stop(out) holds.
template <class Stop>
void read_until(int fd, std::string& out, Clock::time_point deadline, Stop stop) {
  char buf[16384];
  while (!stop(out)) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    pollfd p{fd, POLLIN, 0};
    if (left <= 0 || ::poll(&p, 1, static_cast<int>(left)) <= 0) return;
    const auto n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) return;
    out.append(buf, static_cast<std::size_t>(n));
  }
}

WireResponse parse(const std::string& response) {
  WireResponse r;
  const auto head_end = response.find("\r\n\r\n");
  if (head_end == std::string::npos || response.size() < 12) return r;
  r.status = std::atoi(response.substr(9, 3).c_str());
  r.head = response.substr(0, head_end);
  r.body = response.substr(head_end + 4);
  return r;
}

}  // namespace

WireResponse raw_request(int port, const std::string& bytes, std::chrono::milliseconds timeout) {
  const int fd = connect_loopback(port);
  if (fd < 0) return {};
  const auto deadline = Clock::now() + timeout;
  std::string response;
  if (send_all(fd, bytes)) read_until(fd, response, deadline, [](const std::string&) { return false; });
  ::close(fd);
  return parse(response);
}

WireResponse api_request(int port, const std::string& method, const std::string& target, const std::string& token,
                         const std::string& body, std::chrono::milliseconds timeout) {
  std::string req = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
  if (!token.empty()) req += "Authorization: Bearer " + token + "\r\n";
  if (!body.empty() || method == "POST")
    req += "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
  req += "\r\n" + body;
  return raw_request(port, req, timeout);
}

WsClient::~WsClient() {
  if (fd_ >= 0) ::close(fd_);
}

int WsClient::connect(int port, const std::string& target, const std::string& token, std::chrono::milliseconds timeout) {
  fd_ = connect_loopback(port);
  if (fd_ < 0) return 0;
  std::string req = "GET " + target +
                    " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n";
  if (!token.empty()) req += "Authorization: Bearer " + token + "\r\n";
  req += "\r\n";
  if (!send_all(fd_, req)) return 0;
  read_until(fd_, buf_, Clock::now() + timeout, [](const std::string& s) { return s.find("\r\n\r\n") != std::string::npos; });
  const auto end = buf_.find("\r\n\r\n");
  if (end == std::string::npos || buf_.size() < 12) return 0;
  const int status = std::atoi(buf_.substr(9, 3).c_str());
  buf_.erase(0, end + 4);
  if (status != 101) closed_ = true;
  return status;
}

bool WsClient::fill(std::size_t n, Clock::time_point deadline) {
  const std::size_t before = buf_.size();
  read_until(fd_, buf_, deadline, [n](const std::string& s) { return s.size() >= n; });
  if (buf_.size() < n && buf_.size() == before && Clock::now() < deadline) closed_ = true;  // EOF
  return buf_.size() >= n;
}

void WsClient::send_frame(int opcode, const std::string& payload) {
  std::string f;
  f += static_cast<char>(0x80 | opcode);
  f += static_cast<char>(0x80 | static_cast<int>(payload.size() & 0x7F));
  const char mask[4] = {1, 2, 3, 4};
  f.append(mask, 4);
  for (std::size_t i = 0; i < payload.size(); ++i) f += static_cast<char>(payload[i] ^ mask[i % 4]);
  (void)send_all(fd_, f);
}

std::optional<std::string> WsClient::next(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  std::string message;
  while (!closed_) {
    if (!fill(2, deadline)) return std::nullopt;
    const auto b0 = static_cast<unsigned char>(buf_[0]);
    const auto b1 = static_cast<unsigned char>(buf_[1]);
    std::size_t header = 2;
    std::uint64_t len = b1 & 0x7F;
    if (len == 126) {
      if (!fill(4, deadline)) return std::nullopt;
      len = (static_cast<unsigned char>(buf_[2]) << 8) | static_cast<unsigned char>(buf_[3]);
      header = 4;
    } else if (len == 127) {
      if (!fill(10, deadline)) return std::nullopt;
      len = 0;
      for (int i = 2; i < 10; ++i) len = (len << 8) | static_cast<unsigned char>(buf_[static_cast<std::size_t>(i)]);
      header = 10;
    }
    if (!fill(header + len, deadline)) return std::nullopt;
    const std::string payload = buf_.substr(header, len);
    buf_.erase(0, header + len);
    const int opcode = b0 & 0x0F;
    if (opcode == 0x8) {
      closed_ = true;
      return std::nullopt;
    }
    if (opcode == 0x9) {
      send_frame(0xA, payload.substr(0, 125));
      continue;
    }
    if (opcode == 0x1 || opcode == 0x0) {
      message += payload;
      if (b0 & 0x80) return message;
    }
  }
  return std::nullopt;
}

}  // namespace tradingd::test
