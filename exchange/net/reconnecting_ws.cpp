// ReconnectingWs: the connection manager around WsSession (Asio timers only; Beast stays in
// ws_session.cpp). Session callbacks carry the session's serial number, so a late callback from a
// replaced session is recognised and ignored; the Impl is reached through a weak pointer, so nothing
// runs after the owner is gone.
#include "exchange/net/reconnecting_ws.h"

#include <chrono>
#include <exception>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <spdlog/spdlog.h>

namespace tradingd::net {

namespace asio = boost::asio;
using error_code = boost::system::error_code;

namespace {
std::int64_t steady_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}
}  // namespace

class ReconnectingWs::Impl : public std::enable_shared_from_this<ReconnectingWs::Impl> {
 public:
  Impl(asio::io_context& io, std::shared_ptr<TlsContext> tls, Url url, WsOptions ws_options, HeartbeatConfig hb,
       ReconnectOptions options, ReconnectingWsHandlers handlers, std::shared_ptr<WsStats> stats)
      : io_(io),
        tls_(std::move(tls)),
        url_(std::move(url)),
        ws_options_(std::move(ws_options)),
        heartbeat_(std::move(hb)),
        options_(options),
        handlers_(std::move(handlers)),
        stats_(stats ? std::move(stats) : std::make_shared<WsStats>()),
        name_(log_name(ws_options_, url_)),
        backoff_(options.backoff, options.seed),
        reconnect_timer_(io),
        tick_timer_(io) {}

  void start() {
    if (running_) return;
    running_ = true;
    connect();
    schedule_tick();
  }

  void stop() {
    running_ = false;
    reconnect_timer_.cancel();
    tick_timer_.cancel();
    active_.reset();  // graceful close in the background; no callbacks reach us any more
    standby_.reset();
    active_open_ = false;
    set_state(ConnectionState::Idle);
  }

  bool send_text(std::string text) {
    if (!active_ || !active_open_) return false;
    return active_->send_text(std::move(text));
  }

  void rotate() {
    if (!running_ || !active_open_ || standby_) return;
    open_standby();
  }

  void reconnect() {
    if (!running_) return;
    standby_.reset();
    if (active_) {
      NetError e;
      e.stage = NetStage::Local;
      e.message = "reconnect requested";
      lose_active(e);
    }
  }

  ConnectionState state() const { return static_cast<ConnectionState>(stats_->state.value()); }
  bool is_open() const { return active_open_; }
  const WsStats& stats() const { return *stats_; }
  std::shared_ptr<WsStats> shared_stats() const { return stats_; }
  const Url& url() const { return url_; }

 private:
  void set_state(ConnectionState s) { stats_->state.set(static_cast<std::int64_t>(s)); }

  Url next_url() {
    if (!handlers_.target) return url_;
    std::string t;
    invoke("target", [&] { t = handlers_.target(); });
    return t.empty() ? url_ : url_.with_target(std::move(t));
  }

  std::unique_ptr<WsSession> make_session(std::uint64_t serial) {
    std::weak_ptr<Impl> weak = weak_from_this();
    WsHandlers h;
    h.on_open = [weak, serial] {
      if (auto self = weak.lock()) self->on_session_open(serial);
    };
    h.on_text = [weak, serial](std::string_view text) {
      if (auto self = weak.lock()) self->on_session_text(serial, text);
    };
    h.on_control = [weak, serial](WsControlFrame) {
      if (auto self = weak.lock()) self->on_session_control(serial);
    };
    h.on_closed = [weak, serial](const NetError& e) {
      if (auto self = weak.lock()) self->on_session_closed(serial, e);
    };
    return std::make_unique<WsSession>(io_, tls_, next_url(), ws_options_, std::move(h), stats_);
  }

  void connect() {
    if (!running_) return;
    set_state(ConnectionState::Connecting);
    active_serial_ = ++serial_;
    active_open_ = false;
    active_ = make_session(active_serial_);
    active_->start();
  }

  void open_standby() {
    standby_serial_ = ++serial_;
    standby_started_ms_ = steady_ms();
    standby_ = make_session(standby_serial_);
    standby_->start();
  }

  void on_session_open(std::uint64_t serial) {
    const std::int64_t now = steady_ms();
    if (serial == active_serial_ && active_) {
      active_open_ = true;
      if (ever_opened_) stats_->reconnects.add();
      ever_opened_ = true;
      connected_at_ms_ = now;
      backoff_.on_connected(now);
      heartbeat_.on_open(now);
      set_state(ConnectionState::Open);
      spdlog::info("WebSocket connected connection={}", name_);
      invoke("on_open", [&] {
        if (handlers_.on_open) handlers_.on_open(*active_);
      });
    } else if (serial == standby_serial_ && standby_) {
      spdlog::info("WebSocket standby connected for rotation connection={}", name_);
      invoke("on_open", [&] {
        if (handlers_.on_open) handlers_.on_open(*standby_);
      });
    }
  }

  void on_session_text(std::uint64_t serial, std::string_view text) {
    const std::int64_t now = steady_ms();
    if (serial == standby_serial_ && standby_) {
      promote_standby(now);
    } else if (serial != active_serial_ || !active_) {
      return;  // a replaced session's last frames
    }
    heartbeat_.on_inbound(now);
    if (heartbeat_.is_pong(text)) {
      stats_->pongs_received.add();
      return;
    }
    invoke("on_text", [&] {
      if (handlers_.on_text) handlers_.on_text(text);
    });
  }

  void on_session_control(std::uint64_t serial) {
    if (serial == active_serial_) heartbeat_.on_inbound(steady_ms());
  }

  void on_session_closed(std::uint64_t serial, const NetError& e) {
    if (serial == standby_serial_) {
      standby_.reset();
      standby_serial_ = 0;
      next_rotation_ms_ = steady_ms() + options_.rotation_retry_ms;
      spdlog::warn("WebSocket rotation standby failed connection={} error=\"{}\"", name_, e.to_string());
      return;
    }
    if (serial != active_serial_) return;
    if (standby_ && standby_open()) {
      // The old connection ended first (the venue's scheduled disconnect): the standby takes over.
      promote_standby(steady_ms());
      return;
    }
    lose_active(e);
  }

  bool standby_open() const { return standby_ && standby_->is_open(); }

  void promote_standby(std::int64_t now) {
    auto old = std::move(active_);
    active_ = std::move(standby_);
    active_serial_ = standby_serial_;
    standby_serial_ = 0;
    active_open_ = true;
    connected_at_ms_ = now;
    backoff_.on_connected(now);
    heartbeat_.on_open(now);
    stats_->rotations.add();
    set_state(ConnectionState::Open);
    old.reset();  // graceful close of the old connection; its late frames are ignored
    spdlog::info("WebSocket rotated to the standby connection connection={}", name_);
    invoke("on_switched", [&] {
      if (handlers_.on_switched) handlers_.on_switched();
    });
  }

  void lose_active(const NetError& e) {
    const std::int64_t now = steady_ms();
    const bool was_open = active_open_;
    active_.reset();
    active_serial_ = 0;
    active_open_ = false;
    standby_.reset();
    standby_serial_ = 0;
    if (!running_) return;
    backoff_.on_disconnected(now);
    const std::int64_t delay = backoff_.next_delay_ms();
    set_state(ConnectionState::Backoff);
    if (was_open) {
      spdlog::warn("WebSocket disconnected connection={} error=\"{}\" reconnect_in_ms={}", name_, e.to_string(), delay);
    } else {
      spdlog::warn("WebSocket connect failed connection={} error=\"{}\" attempt={} retry_in_ms={}", name_,
                   e.to_string(), backoff_.attempts(), delay);
    }
    invoke("on_disconnected", [&] {
      if (handlers_.on_disconnected) handlers_.on_disconnected(e);
    });
    if (!running_ || active_) return;  // the handler stopped us or reconnected already
    reconnect_timer_.expires_after(std::chrono::milliseconds(delay));
    reconnect_timer_.async_wait([weak = weak_from_this()](error_code ec) {
      if (ec) return;
      if (auto self = weak.lock()) self->connect();
    });
  }

  void schedule_tick() {
    tick_timer_.expires_after(std::chrono::milliseconds(options_.tick_ms));
    tick_timer_.async_wait([weak = weak_from_this()](error_code ec) {
      if (ec) return;
      if (auto self = weak.lock()) self->on_tick();
    });
  }

  void on_tick() {
    if (!running_) return;
    const std::int64_t now = steady_ms();
    if (active_ && active_open_) {
      switch (heartbeat_.poll(now)) {
        case Heartbeat::Action::None: break;
        case Heartbeat::Action::SendPing: {
          const auto& cfg = heartbeat_.config();
          const bool queued = cfg.frame == PingFrame::Control ? active_->send_ping() : active_->send_text(cfg.ping_text);
          if (queued && cfg.frame == PingFrame::Text) stats_->pings_sent.add();  // control pings count on write
          break;
        }
        case Heartbeat::Action::Dead: {
          stats_->heartbeat_timeouts.add();
          stats_->disconnects.add();
          NetError e;
          e.stage = NetStage::Heartbeat;
          e.timeout = true;
          e.message = "no reply to heartbeat within " + std::to_string(heartbeat_.config().pong_timeout_ms) + " ms";
          lose_active(e);
          break;
        }
      }
    }
    if (active_ && active_open_ && !standby_ && options_.max_connection_age_ms > 0 &&
        now - connected_at_ms_ >= options_.max_connection_age_ms && now >= next_rotation_ms_) {
      spdlog::info("WebSocket reached its planned lifetime, rotating connection={} age_ms={}", name_,
                   now - connected_at_ms_);
      open_standby();
    }
    if (standby_ && now - standby_started_ms_ >= options_.rotation_timeout_ms) {
      spdlog::warn("WebSocket rotation standby delivered nothing in time connection={}", name_);
      standby_.reset();
      standby_serial_ = 0;
      next_rotation_ms_ = now + options_.rotation_retry_ms;
    }
    if (running_) schedule_tick();
  }

  template <class F>
  void invoke(const char* what, F&& f) {
    try {
      f();
    } catch (const std::exception& ex) {
      stats_->handler_errors.add();
      spdlog::error("WebSocket owner callback threw callback={} connection={} error={}", what, name_, ex.what());
    } catch (...) {
      stats_->handler_errors.add();
      spdlog::error("WebSocket owner callback threw callback={} connection={} error=unknown", what, name_);
    }
  }

  asio::io_context& io_;
  std::shared_ptr<TlsContext> tls_;
  Url url_;
  WsOptions ws_options_;
  Heartbeat heartbeat_;
  ReconnectOptions options_;
  ReconnectingWsHandlers handlers_;
  std::shared_ptr<WsStats> stats_;
  std::string name_;  // for logs: never the full URL (it may carry a secret)
  Backoff backoff_;
  asio::steady_timer reconnect_timer_;
  asio::steady_timer tick_timer_;
  std::unique_ptr<WsSession> active_;
  std::unique_ptr<WsSession> standby_;
  std::uint64_t serial_ = 0;
  std::uint64_t active_serial_ = 0;
  std::uint64_t standby_serial_ = 0;
  bool running_ = false;
  bool active_open_ = false;
  bool ever_opened_ = false;
  std::int64_t connected_at_ms_ = 0;
  std::int64_t standby_started_ms_ = 0;
  std::int64_t next_rotation_ms_ = 0;
};

ReconnectingWs::ReconnectingWs(asio::io_context& io, std::shared_ptr<TlsContext> tls, Url url, WsOptions ws_options,
                               HeartbeatConfig heartbeat, ReconnectOptions options, ReconnectingWsHandlers handlers,
                               std::shared_ptr<WsStats> stats)
    : impl_(std::make_shared<Impl>(io, std::move(tls), std::move(url), std::move(ws_options), std::move(heartbeat),
                                   options, std::move(handlers), std::move(stats))) {}

ReconnectingWs::~ReconnectingWs() { impl_->stop(); }

void ReconnectingWs::start() { impl_->start(); }
void ReconnectingWs::stop() { impl_->stop(); }
bool ReconnectingWs::send_text(std::string text) { return impl_->send_text(std::move(text)); }
void ReconnectingWs::rotate() { impl_->rotate(); }
void ReconnectingWs::reconnect() { impl_->reconnect(); }
ConnectionState ReconnectingWs::state() const { return impl_->state(); }
bool ReconnectingWs::is_open() const { return impl_->is_open(); }
const WsStats& ReconnectingWs::stats() const { return impl_->stats(); }
std::shared_ptr<WsStats> ReconnectingWs::shared_stats() const { return impl_->shared_stats(); }
const Url& ReconnectingWs::url() const { return impl_->url(); }

}  // namespace tradingd::net
