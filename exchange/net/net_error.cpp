// Names for the network layer's enums, for logs and metric labels.
#include "exchange/net/net_error.h"

#include "exchange/net/stats.h"

namespace tradingd::net {

std::string_view to_string(NetStage s) {
  switch (s) {
    case NetStage::Resolve: return "resolve";
    case NetStage::Connect: return "connect";
    case NetStage::TlsHandshake: return "tls_handshake";
    case NetStage::WsHandshake: return "ws_handshake";
    case NetStage::Read: return "read";
    case NetStage::Write: return "write";
    case NetStage::Close: return "close";
    case NetStage::Heartbeat: return "heartbeat";
    case NetStage::Local: return "local";
  }
  return "unknown";
}

std::string NetError::to_string() const {
  std::string s(tradingd::net::to_string(stage));
  s += ": ";
  s += message;
  if (timeout && message.find("timed out") == std::string::npos) s += " (timeout)";
  return s;
}

std::string_view to_string(ConnectionState s) {
  switch (s) {
    case ConnectionState::Idle: return "idle";
    case ConnectionState::Connecting: return "connecting";
    case ConnectionState::Open: return "open";
    case ConnectionState::Backoff: return "backoff";
  }
  return "unknown";
}

}  // namespace tradingd::net
