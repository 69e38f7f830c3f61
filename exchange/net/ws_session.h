// One WebSocket-over-TLS connection on the daemon's io_context (Beast, callback style as in its
// async-ssl example: resolve → connect → TLS handshake → WebSocket handshake → read loop, each step with
// its own timeout). Invariants: exactly one write in flight and one bounded FIFO write queue (text and
// ping frames share it, so order is preserved); handlers are called on the io_context thread, never
// from inside a public method, and never after on_closed or after the WsSession is destroyed; a handler
// that throws is caught, counted and logged. This header includes no Asio/Beast (pimpl).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "exchange/net/net_error.h"
#include "exchange/net/stats.h"
#include "exchange/net/tls_context.h"
#include "exchange/net/url.h"

namespace boost::asio {
class io_context;
}

namespace tradingd::net {

// Every text frame handed to on_text is followed in memory by at least this many readable bytes, so a
// simdjson parser can read it in place (exchange/parse_types.h kParsePadding).
inline constexpr std::size_t kWsReadPadding = 64;

struct WsOptions {
  std::int64_t resolve_timeout_ms = 10'000;
  std::int64_t connect_timeout_ms = 10'000;
  std::int64_t tls_handshake_timeout_ms = 10'000;
  std::int64_t ws_handshake_timeout_ms = 10'000;  // also bounds the closing handshake
  // No frame at all (data, ping, pong) for this long closes the connection: the safety net under the
  // venue heartbeat, which detects a dead peer sooner. 0 disables it.
  std::int64_t idle_timeout_ms = 120'000;
  std::int64_t close_timeout_ms = 3'000;  // a graceful close that takes longer is cut
  bool permessage_deflate = false;        // offered in the handshake; used if the server accepts
  std::size_t max_message_bytes = 16u << 20;
  std::size_t max_queued_writes = 256;
  std::string user_agent = "tradingd";
  // How logs name this connection. Empty: the URL without its query. A URL carrying a secret in its path
  // (a Binance listen key) must set this, since logs never contain secrets.
  std::string log_name;
};

// The name logs use for a connection (see WsOptions::log_name).
std::string log_name(const WsOptions& options, const Url& url);

enum class WsControlFrame : std::uint8_t { Ping, Pong };

struct WsHandlers {
  std::function<void()> on_open;
  // A text frame; the view is valid only during the call (and padded, see kWsReadPadding).
  std::function<void(std::string_view text)> on_text;
  // A control frame was received (a ping is answered automatically).
  std::function<void(WsControlFrame kind)> on_control;
  // Called once when the session ends, whether it ever opened or not; nothing is called after it.
  std::function<void(const NetError& error)> on_closed;
};

class WsSession {
 public:
  class Impl;

  // stats may be shared by several sessions (a reconnecting connection adds them up); null: private.
  WsSession(boost::asio::io_context& io, std::shared_ptr<TlsContext> tls, Url url, WsOptions options,
            WsHandlers handlers, std::shared_ptr<WsStats> stats = nullptr);
  // Detaches the handlers and closes the connection gracefully in the background.
  ~WsSession();
  WsSession(const WsSession&) = delete;
  WsSession& operator=(const WsSession&) = delete;

  void start();
  // Queue a text frame / a ping control frame. False (and nothing queued) when the session is not open,
  // is closing, or the queue is full (counted in write_queue_full).
  bool send_text(std::string text);
  bool send_ping();
  // Graceful close (close frame, bounded by close_timeout_ms); on_closed(stage Local) follows.
  void close();

  bool is_open() const;
  std::size_t queued_writes() const;
  const Url& url() const;
  const WsStats& stats() const;

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace tradingd::net
