// The seam between the emulator's pure venue logic and its network shell. A VenueService answers REST
// requests and opens WsProtocol objects (one per WebSocket connection); both only turn inputs into output
// strings, so they are tested without sockets. The Beast server (server.cpp) owns sockets, timers and TLS.
// Invariant: nothing here throws into the server: handlers catch and answer with the venue's error shape.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/enums.h"
#include "exchange/emulator/faults.h"
#include "exchange/emulator/market.h"

namespace tradingd::emulator {

struct HttpRequest {
  std::string method;  // "GET", "POST"...
  std::string target;  // path and query, as sent
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // for the trading side (signatures) later
};

struct HttpResponse {
  int status = 200;
  std::string body;
  std::string content_type = "application/json;charset=UTF-8";
  std::vector<std::pair<std::string, std::string>> headers;
  // Fault accept_no_reply: the request was executed but the server closes the connection without
  // answering (the client cannot know the outcome). Also Binance's rest_no_reply.
  bool no_reply = false;

  static HttpResponse json(int status, std::string body) {
    HttpResponse r;
    r.status = status;
    r.body = std::move(body);
    return r;
  }
};

// How the server keeps a connection alive or ends it, per the venue's rules.
struct HeartbeatPolicy {
  std::int64_t server_ping_interval_ms = 0;  // Binance: a WebSocket ping every 20 s
  std::int64_t pong_timeout_ms = 0;          // close when no pong arrives within this (0: never)
  std::int64_t idle_timeout_ms = 0;          // OKX: close after 30 s without any inbound message
  int idle_close_code = 1000;                // OKX closes with 4004 ("no data received in 30s")
};

// One tick of a whole venue: events per market (aligned with the venue's markets()), plus fault marks.
struct VenueTick {
  std::int64_t ts_ms = 0;
  std::vector<TickEvents> events;
  bool suppress_book = false;     // fault skip_seq: this tick's book updates are withheld (a gap)
  bool corrupt_checksum = false;  // fault corrupt_checksum: OKX checksum deliberately wrong
};

class WsProtocol {
 public:
  virtual ~WsProtocol() = default;
  // A text frame from the client; appends reply frames.
  virtual void on_text(std::string_view text, std::int64_t now_ms, std::vector<std::string>& out) = 0;
  // The venue ticked; appends the frames this connection's subscriptions produce.
  virtual void on_tick(const VenueTick& tick, std::vector<std::string>& out) = 0;
  virtual HeartbeatPolicy heartbeat() const = 0;
  // Private-stream placeholders get no replayed public frames.
  virtual bool is_private() const { return false; }
  // Replay mode (--replay): stream data comes from the recording, so the protocol still answers requests
  // (acks, pongs, errors) but sends no market data of its own, not even subscription snapshots.
  void set_replay_mode(bool on) { replay_mode_ = on; }

 protected:
  bool replay_mode_ = false;
};

class VenueService {
 public:
  virtual ~VenueService() = default;
  virtual Venue venue() const = 0;
  virtual HttpResponse handle_rest(const HttpRequest& req, std::int64_t now_ms) = 0;
  // The protocol for a WebSocket upgrade to `target`, or nullptr when the venue has no such path (404).
  virtual std::unique_ptr<WsProtocol> open_ws(std::string_view target) = 0;
  // Advances every market of this venue to now_ms.
  virtual VenueTick tick(std::int64_t now_ms) = 0;
  virtual FaultState& faults() = 0;
};

// A JSON value for the venue's REST/WS replies that cannot be built (should not happen): logged upstream.
std::string error_body_internal(Venue venue, std::string_view what);

}  // namespace tradingd::emulator
