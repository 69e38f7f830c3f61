// HttpsClient's implementation: the only translation unit instantiating Beast's HTTP client over TLS.
// One operation is outstanding at a time (resolve, connect, handshake, write or read), so the stream is
// only replaced from that operation's own completion; the per-request deadline closes the socket, which
// makes the outstanding operation complete, and the failure path decides the outcome from `written_`.
#include "exchange/net/https_client.h"

#include <poll.h>

#include <chrono>
#include <deque>
#include <exception>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <spdlog/spdlog.h>

#include "exchange/net/detail/tls_native.h"

namespace tradingd::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;
using steady = std::chrono::steady_clock;

std::string_view to_string(HttpMethod m) {
  switch (m) {
    case HttpMethod::Get: return "GET";
    case HttpMethod::Post: return "POST";
    case HttpMethod::Put: return "PUT";
    case HttpMethod::Delete: return "DELETE";
  }
  return "GET";
}

std::string_view to_string(HttpFailure f) {
  switch (f) {
    case HttpFailure::NotSent: return "not_sent";
    case HttpFailure::UnknownOutcome: return "unknown_outcome";
    case HttpFailure::QueueFull: return "queue_full";
    case HttpFailure::Closed: return "closed";
  }
  return "unknown";
}

std::string HttpError::to_string() const {
  return std::string(tradingd::net::to_string(kind)) + " (" + net.to_string() + ")";
}

std::optional<std::string_view> HttpResponse::header(std::string_view name) const {
  auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
  for (const auto& h : headers) {
    if (h.name.size() != name.size()) continue;
    bool eq = true;
    for (std::size_t i = 0; i < name.size() && eq; ++i) eq = lower(h.name[i]) == lower(name[i]);
    if (eq) return std::string_view(h.value);
  }
  return std::nullopt;
}

namespace {

http::verb to_verb(HttpMethod m) {
  switch (m) {
    case HttpMethod::Get: return http::verb::get;
    case HttpMethod::Post: return http::verb::post;
    case HttpMethod::Put: return http::verb::put;
    case HttpMethod::Delete: return http::verb::delete_;
  }
  return http::verb::get;
}

// The path without its query: the query of a signed request carries the signature, so logs omit it.
std::string_view path_of(std::string_view target) { return target.substr(0, target.find('?')); }

// Errors meaning "the peer had closed this connection", as seen when reusing a kept-alive one.
bool is_connection_gone(const error_code& ec) {
  return ec == http::error::end_of_stream || ec == asio::error::eof || ec == asio::error::connection_reset ||
         ec == asio::error::broken_pipe || ec == asio::ssl::error::stream_truncated;
}

}  // namespace

class HttpsClient::Impl : public std::enable_shared_from_this<HttpsClient::Impl> {
 public:
  Impl(asio::io_context& io, std::shared_ptr<TlsContext> tls, Url base, HttpsOptions options,
       std::shared_ptr<HttpStats> stats)
      : io_(io),
        tls_(std::move(tls)),
        base_(std::move(base)),
        options_(std::move(options)),
        stats_(stats ? std::move(stats) : std::make_shared<HttpStats>()),
        resolver_(io),
        deadline_timer_(io),
        idle_timer_(io) {}

  void request(HttpRequest req, HttpCallback cb) {
    stats_->requests.add();
    if (closed_ || queue_.size() >= options_.max_queue) {
      if (!closed_) stats_->queue_full.add();
      HttpError e;
      e.kind = closed_ ? HttpFailure::Closed : HttpFailure::QueueFull;
      e.net.stage = NetStage::Local;
      e.net.message = closed_ ? "client closed" : "request queue full";
      asio::post(io_, [self = shared_from_this(), cb = std::move(cb), e]() mutable {
        self->invoke_callback(cb, HttpResult(Err{e}));
      });
      return;
    }
    const std::int64_t timeout = req.timeout_ms > 0 ? req.timeout_ms : options_.request_timeout_ms;
    const auto now = steady::now();
    queue_.push_back(Pending{std::move(req), std::move(cb), now, now + std::chrono::milliseconds(timeout)});
    pump();
  }

  void close() {
    if (closed_) return;
    closed_ = true;
    fail_queued("client closed");
    if (current_) {
      abort_current_ = true;
      drop_socket();
    } else {
      reset_connection();
    }
  }

  void defer(std::function<void()> f) {
    asio::post(io_, [self = shared_from_this(), f = std::move(f)] {
      if (self->detached_) return;
      try {
        f();
      } catch (const std::exception& ex) {
        spdlog::error("HTTPS deferred callback threw host={} error={}", self->base_.host, ex.what());
      }
    });
  }

  // The owner is gone: no callbacks any more.
  void detach() {
    detached_ = true;
    close();
  }

  std::size_t queued() const { return queue_.size(); }
  bool connected() const { return connected_; }
  const Url& base() const { return base_; }
  const HttpStats& stats() const { return *stats_; }

 private:
  struct Pending {
    HttpRequest req;
    HttpCallback cb;
    steady::time_point submitted;
    steady::time_point deadline;
  };
  using Stream = beast::ssl_stream<beast::tcp_stream>;

  void pump() {
    while (!current_ && !queue_.empty() && !closed_) {
      Pending p = std::move(queue_.front());
      queue_.pop_front();
      if (steady::now() >= p.deadline) {
        NetError n;
        n.stage = NetStage::Local;
        n.timeout = true;
        n.message = "timed out waiting in the queue";
        stats_->timeouts.add();
        deliver(p, HttpResult(Err{HttpError{HttpFailure::NotSent, n}}));
        continue;
      }
      current_ = std::move(p);
      written_ = false;
      retried_ = false;
      timed_out_ = false;
      abort_current_ = false;
      idle_timer_.cancel();
      deadline_timer_.expires_at(current_->deadline);
      // The serial guards against a deadline that fired just as its request completed.
      deadline_timer_.async_wait([self = shared_from_this(), serial = ++request_serial_](error_code ec) {
        if (ec || !self->current_ || self->request_serial_ != serial) return;
        self->timed_out_ = true;
        self->drop_socket();  // the outstanding operation completes with an error
      });
      if (connected_ && stream_ && !peer_closed()) {
        stats_->connections_reused.add();
        reused_ = true;
        do_write();
      } else {
        reset_connection();
        do_connect();
      }
    }
    if (!current_ && connected_) arm_idle_close();
  }

  // While idle no read is outstanding, so a peer's close (FIN or TLS close_notify) is only visible as
  // readable data on the socket: check before reusing it, so most stale connections are never written to.
  bool peer_closed() {
    pollfd pfd{};
    pfd.fd = beast::get_lowest_layer(*stream_).socket().native_handle();
    pfd.events = POLLIN | POLLRDHUP;
    return ::poll(&pfd, 1, 0) != 0;
  }

  void do_connect() {
    reused_ = false;
    stream_.emplace(io_, tls_->impl().ctx);
    resolver_.async_resolve(base_.host, std::to_string(base_.port),
                            [self = shared_from_this()](error_code ec, tcp::resolver::results_type r) {
                              self->on_resolve(ec, std::move(r));
                            });
  }

  void on_resolve(error_code ec, tcp::resolver::results_type results) {
    if (ec) return fail(ec, NetStage::Resolve);
    if (!current_ || !stream_) return;
    beast::get_lowest_layer(*stream_).expires_after(std::chrono::milliseconds(options_.connect_timeout_ms));
    beast::get_lowest_layer(*stream_).async_connect(
        results, [self = shared_from_this()](error_code ec2, const tcp::endpoint&) { self->on_connect(ec2); });
  }

  void on_connect(error_code ec) {
    if (ec) return fail(ec, NetStage::Connect);
    if (auto e = detail::configure_tls_client(stream_->native_handle(), base_.host)) return fail(e, NetStage::TlsHandshake);
    beast::get_lowest_layer(*stream_).expires_after(std::chrono::milliseconds(options_.connect_timeout_ms));
    stream_->async_handshake(asio::ssl::stream_base::client,
                             [self = shared_from_this()](error_code ec2) { self->on_handshake(ec2); });
  }

  void on_handshake(error_code ec) {
    if (ec) return fail(ec, NetStage::TlsHandshake);
    connected_ = true;
    stats_->connections_opened.add();
    do_write();
  }

  void do_write() {
    const HttpRequest& r = current_->req;
    wire_req_ = {};
    wire_req_.method(to_verb(r.method));
    wire_req_.target(base_.target == "/" ? r.target : join_path(base_.target, r.target));
    wire_req_.version(11);
    wire_req_.set(http::field::host, base_.host_header());
    wire_req_.set(http::field::user_agent, options_.user_agent);
    for (const auto& h : r.headers) wire_req_.set(h.name, h.value);
    if (!r.body.empty()) {
      if (!r.content_type.empty()) wire_req_.set(http::field::content_type, r.content_type);
      wire_req_.body() = r.body;
    }
    wire_req_.prepare_payload();
    // The deadline timer owns the request's time budget from here on, not the stream's own timer.
    beast::get_lowest_layer(*stream_).expires_never();
    written_ = true;  // from the first byte on, the server may act on it
    http::async_write(*stream_, wire_req_, [self = shared_from_this()](error_code ec, std::size_t n) {
      self->on_write(ec, n);
    });
  }

  void on_write(error_code ec, std::size_t n) {
    if (ec) return fail(ec, NetStage::Write);
    stats_->bytes_out.add(n);
    parser_.emplace();
    parser_->body_limit(options_.max_body_bytes);
    http::async_read(*stream_, buffer_, *parser_,
                     [self = shared_from_this()](error_code ec2, std::size_t m) { self->on_read(ec2, m); });
  }

  void on_read(error_code ec, std::size_t n) {
    if (ec) return fail(ec, NetStage::Read);
    stats_->bytes_in.add(n);
    auto res = parser_->release();
    parser_.reset();
    HttpResponse out;
    out.status = static_cast<int>(res.result_int());
    out.connection_reused = reused_;
    out.headers.reserve(static_cast<std::size_t>(std::distance(res.begin(), res.end())));
    for (const auto& f : res) out.headers.push_back(HttpHeader{std::string(f.name_string()), std::string(f.value())});
    out.body = std::move(res.body());
    if (!res.keep_alive()) reset_connection();
    stats_->responses.add();
    if (out.status >= 200 && out.status < 300) stats_->status_2xx.add();
    if (out.status >= 400 && out.status < 500) stats_->status_4xx.add();
    if (out.status == 429) stats_->status_429.add();
    if (out.status >= 500) stats_->status_5xx.add();
    finish_current(HttpResult(std::move(out)));
  }

  void fail(error_code ec, NetStage stage) {
    if (!current_) return;
    // A reused keep-alive connection the server had already closed: nothing was processed, but only an
    // idempotent request may be sent again (a signed order might have been read before the close).
    const bool nothing_back = !parser_ || !parser_->got_some();
    const bool idempotent = current_->req.idempotent.value_or(current_->req.method == HttpMethod::Get);
    if (!timed_out_ && !abort_current_ && reused_ && !retried_ && idempotent && nothing_back &&
        (stage == NetStage::Read || stage == NetStage::Write) && is_connection_gone(ec)) {
      retried_ = true;
      written_ = false;
      stats_->retries.add();
      reset_connection();
      do_connect();
      return;
    }
    NetError n;
    n.stage = stage;
    n.timeout = timed_out_ || ec == beast::error::timeout;
    n.message = n.timeout ? "timed out" : abort_current_ ? "client closed" : ec.message();
    if (stage == NetStage::TlsHandshake && stream_) {
      std::string why;
      if (detail::is_verify_failure(ec, stream_->native_handle(), why)) {
        n.tls_verify = true;
        n.message = "certificate rejected: " + why;
        stats_->tls_verify_failures.add();
      }
    }
    if (n.timeout) stats_->timeouts.add();
    reset_connection();
    HttpError e;
    e.kind = written_ ? HttpFailure::UnknownOutcome : abort_current_ ? HttpFailure::Closed : HttpFailure::NotSent;
    e.net = std::move(n);
    finish_current(HttpResult(Err{std::move(e)}));
  }

  void finish_current(HttpResult result) {
    deadline_timer_.cancel();
    Pending p = std::move(*current_);
    current_.reset();
    deliver(p, std::move(result));
    pump();
  }

  void deliver(Pending& p, HttpResult result) {
    const auto elapsed = std::chrono::duration_cast<std::chrono::nanoseconds>(steady::now() - p.submitted).count();
    if (result.ok()) {
      stats_->latency.observe_ns(elapsed);
    } else {
      const HttpError& e = result.error();
      if (e.kind == HttpFailure::UnknownOutcome) stats_->unknown_outcome.add();
      if (e.kind == HttpFailure::NotSent) stats_->not_sent.add();
      spdlog::warn("HTTPS request failed host={} method={} path={} outcome={} error=\"{}\"", base_.host,
                   to_string(p.req.method), path_of(p.req.target), to_string(e.kind), e.net.to_string());
    }
    invoke_callback(p.cb, std::move(result));
  }

  void invoke_callback(HttpCallback& cb, HttpResult result) {
    if (detached_ || !cb) return;
    try {
      cb(std::move(result));
    } catch (const std::exception& ex) {
      spdlog::error("HTTPS callback threw host={} error={}", base_.host, ex.what());
    } catch (...) {
      spdlog::error("HTTPS callback threw host={} error=unknown", base_.host);
    }
  }

  void fail_queued(const char* why) {
    std::deque<Pending> q;
    q.swap(queue_);
    for (auto& p : q) {
      NetError n;
      n.stage = NetStage::Local;
      n.message = why;
      asio::post(io_, [self = shared_from_this(), p = std::move(p), n]() mutable {
        self->deliver(p, HttpResult(Err{HttpError{HttpFailure::Closed, n}}));
      });
    }
  }

  void arm_idle_close() {
    if (options_.idle_close_ms <= 0) return;
    idle_timer_.expires_after(std::chrono::milliseconds(options_.idle_close_ms));
    idle_timer_.async_wait([self = shared_from_this()](error_code ec) {
      if (ec || self->current_) return;
      self->reset_connection();
    });
  }

  // Cancels whatever operation is outstanding (it completes with an error) but keeps the stream object.
  void drop_socket() {
    resolver_.cancel();
    if (stream_) {
      error_code ignored;
      beast::get_lowest_layer(*stream_).socket().close(ignored);
    }
    connected_ = false;
  }

  // Only called when no operation on the stream is outstanding.
  void reset_connection() {
    drop_socket();
    stream_.reset();
    buffer_.clear();
    parser_.reset();
  }

  asio::io_context& io_;
  std::shared_ptr<TlsContext> tls_;
  Url base_;
  HttpsOptions options_;
  std::shared_ptr<HttpStats> stats_;
  tcp::resolver resolver_;
  asio::steady_timer deadline_timer_;
  asio::steady_timer idle_timer_;
  std::optional<Stream> stream_;
  beast::flat_buffer buffer_;
  http::request<http::string_body> wire_req_;
  std::optional<http::response_parser<http::string_body>> parser_;
  std::deque<Pending> queue_;
  std::optional<Pending> current_;
  std::uint64_t request_serial_ = 0;
  bool connected_ = false;
  bool reused_ = false;
  bool written_ = false;
  bool retried_ = false;
  bool timed_out_ = false;
  bool abort_current_ = false;
  bool closed_ = false;
  bool detached_ = false;
};

HttpsClient::HttpsClient(asio::io_context& io, std::shared_ptr<TlsContext> tls, Url base, HttpsOptions options,
                         std::shared_ptr<HttpStats> stats)
    : impl_(std::make_shared<Impl>(io, std::move(tls), std::move(base), std::move(options), std::move(stats))) {}

HttpsClient::~HttpsClient() { impl_->detach(); }

void HttpsClient::request(HttpRequest request, HttpCallback callback) {
  impl_->request(std::move(request), std::move(callback));
}
void HttpsClient::close() { impl_->close(); }
void HttpsClient::defer(std::function<void()> f) { impl_->defer(std::move(f)); }
std::size_t HttpsClient::queued() const { return impl_->queued(); }
bool HttpsClient::connected() const { return impl_->connected(); }
const Url& HttpsClient::base() const { return impl_->base(); }
const HttpStats& HttpsClient::stats() const { return impl_->stats(); }

}  // namespace tradingd::net
