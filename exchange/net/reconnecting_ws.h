// A WebSocket connection that stays up: reconnects with Backoff after any loss, lets the owner re-send
// its subscriptions on every new connection (on_open), runs the venue Heartbeat, and rotates
// make-before-break (Binance's 24 h limit, a `serverShutdown` notice): a standby connection is opened
// and subscribed while the old one still delivers, and replaces it at the standby's first frame, so the
// owner sees one continuous stream (on_switched tells it the source changed, to check continuity).
// Invariants: at most one active and one standby session; frames are delivered only from the active one;
// venue heartbeat replies are consumed here; callbacks come from the io_context thread, never after stop().
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "exchange/net/backoff.h"
#include "exchange/net/heartbeat.h"
#include "exchange/net/net_error.h"
#include "exchange/net/stats.h"
#include "exchange/net/tls_context.h"
#include "exchange/net/url.h"
#include "exchange/net/ws_session.h"

namespace boost::asio {
class io_context;
}

namespace tradingd::net {

struct ReconnectOptions {
  BackoffOptions backoff;
  std::uint64_t seed = 1;                     // jitter seed (tests pin it; the daemon varies it per connection)
  std::int64_t tick_ms = 250;                 // how often the heartbeat and rotation are checked
  std::int64_t max_connection_age_ms = 0;     // > 0: rotate at this age (Binance: just under 24 h)
  std::int64_t rotation_timeout_ms = 30'000;  // a standby that has not delivered by then is abandoned
  std::int64_t rotation_retry_ms = 10'000;    // wait before another rotation attempt after a failed one
};

struct ReconnectingWsHandlers {
  // The URL target for the next connection (Binance puts its stream list there); empty function: the
  // URL's own target.
  std::function<std::string()> target;
  // A new connection is open (first, reconnect or rotation standby): send the subscriptions on it.
  std::function<void(WsSession& session)> on_open;
  // A data frame from the active connection (venue pongs are filtered out).
  std::function<void(std::string_view text)> on_text;
  // The active connection was lost (or failed to open); a reconnect is already scheduled.
  std::function<void(const NetError& error)> on_disconnected;
  // A rotation replaced the active connection; frames now come from the new one.
  std::function<void()> on_switched;
};

class ReconnectingWs {
 public:
  class Impl;

  ReconnectingWs(boost::asio::io_context& io, std::shared_ptr<TlsContext> tls, Url url, WsOptions ws_options,
                 HeartbeatConfig heartbeat, ReconnectOptions options, ReconnectingWsHandlers handlers,
                 std::shared_ptr<WsStats> stats = nullptr);
  ~ReconnectingWs();  // stop()
  ReconnectingWs(const ReconnectingWs&) = delete;
  ReconnectingWs& operator=(const ReconnectingWs&) = delete;

  void start();
  void stop();
  // Sends on the active connection; false when there is none open or its queue is full.
  bool send_text(std::string text);
  // Make-before-break now (e.g. the venue announced a shutdown of this connection).
  void rotate();
  // Drops the active connection and reconnects after the backoff delay (e.g. a subscription failed).
  void reconnect();

  ConnectionState state() const;
  bool is_open() const;
  const WsStats& stats() const;
  std::shared_ptr<WsStats> shared_stats() const;
  const Url& url() const;

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace tradingd::net
