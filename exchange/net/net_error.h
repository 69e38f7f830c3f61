// How a network operation failed: the stage, whether it was a timeout or a rejected certificate, and
// OpenSSL's/Asio's message. Values, not exceptions: they are handed to the owner's callback.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace tradingd::net {

enum class NetStage : std::uint8_t {
  Resolve,
  Connect,
  TlsHandshake,
  WsHandshake,
  Read,
  Write,
  Close,
  Heartbeat,  // the venue stopped answering our pings
  Local,      // we closed it (stop, rotation, reconnect request)
};
std::string_view to_string(NetStage s);

struct NetError {
  NetStage stage = NetStage::Local;
  bool timeout = false;
  bool tls_verify = false;    // the peer certificate or its hostname was rejected
  bool remote_close = false;  // the peer sent a WebSocket close frame
  int close_code = 0;         // its code (1000 normal, 1001 going away, ...)
  int http_status = 0;        // a refused WebSocket upgrade's HTTP status
  std::string message;

  // "tls_handshake: certificate verify failed (hostname mismatch)", for logs.
  std::string to_string() const;
};

}  // namespace tradingd::net
