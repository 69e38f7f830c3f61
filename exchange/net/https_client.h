// An HTTPS/1.1 client for one host on the daemon's io_context: one kept-alive TLS connection, a bounded
// FIFO queue (one request on the wire at a time), a deadline per request, the response's status, headers
// (rate-limit headers are read by the caller) and body. Used for REST snapshots and instrument lists, and
// for signed order requests (issue 7), hence the outcome rule: a request that fails after any byte of it
// may have been sent is UnknownOutcome (the caller must query, never resend); only requests marked
// idempotent are retried, once, when a reused keep-alive connection turns out to be closed.
// Callbacks run on the io_context thread, never inside request(), never after the client is destroyed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "exchange/net/net_error.h"
#include "exchange/net/stats.h"
#include "exchange/net/tls_context.h"
#include "exchange/net/url.h"

namespace boost::asio {
class io_context;
}

namespace tradingd::net {

enum class HttpMethod : std::uint8_t { Get, Post, Put, Delete };
std::string_view to_string(HttpMethod m);

struct HttpHeader {
  std::string name;
  std::string value;
};

struct HttpRequest {
  HttpMethod method = HttpMethod::Get;
  std::string target;  // path and query ("/api/v3/depth?symbol=BTCUSDT&limit=1000"), under the base URL's path
  std::vector<HttpHeader> headers;  // may carry API keys and signatures: never logged
  std::string body;
  std::string content_type;     // sent when body is non-empty ("application/json")
  std::int64_t timeout_ms = 0;  // submit → complete response; 0: the client's default
  std::optional<bool> idempotent;  // default: true for GET only
};

struct HttpResponse {
  int status = 0;
  std::vector<HttpHeader> headers;
  std::string body;
  bool connection_reused = false;  // sent on a kept-alive connection
  // The header's value (first match, name compared case-insensitively), or nullopt.
  std::optional<std::string_view> header(std::string_view name) const;
};

enum class HttpFailure : std::uint8_t {
  NotSent,         // nothing reached the server (resolve/connect/TLS failed, or timed out in the queue)
  UnknownOutcome,  // the request may have reached the server; no complete response
  QueueFull,       // refused: too many requests waiting
  Closed,          // the client was closed before the request was sent
};
std::string_view to_string(HttpFailure f);

struct HttpError {
  HttpFailure kind = HttpFailure::NotSent;
  NetError net;  // the stage and detail (timeout, tls_verify, message)
  std::string to_string() const;
};

using HttpResult = Result<HttpResponse, HttpError>;
using HttpCallback = std::function<void(HttpResult result)>;

struct HttpsOptions {
  std::int64_t connect_timeout_ms = 10'000;  // resolve + TCP + TLS
  std::int64_t request_timeout_ms = 10'000;  // default per request
  std::int64_t idle_close_ms = 30'000;       // close a kept-alive connection unused this long
  std::size_t max_queue = 256;
  std::size_t max_body_bytes = 64u << 20;    // Binance's exchangeInfo runs to megabytes
  std::string user_agent = "tradingd";
};

class HttpsClient {
 public:
  class Impl;

  // base: https://host[:port][/path-prefix]; request targets are appended to the prefix.
  HttpsClient(boost::asio::io_context& io, std::shared_ptr<TlsContext> tls, Url base, HttpsOptions options = {},
              std::shared_ptr<HttpStats> stats = nullptr);
  ~HttpsClient();
  HttpsClient(const HttpsClient&) = delete;
  HttpsClient& operator=(const HttpsClient&) = delete;

  void request(HttpRequest request, HttpCallback callback);
  // Runs f from the event loop (never inside this call; not at all once the client is destroyed): for
  // callers that must answer asynchronously without sending anything (a rate-limit gate).
  void defer(std::function<void()> f);
  // Fails every waiting request (Closed) and the one in flight, and drops the connection.
  void close();

  std::size_t queued() const;  // waiting, not counting the one in flight
  bool connected() const;
  const Url& base() const;
  const HttpStats& stats() const;

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace tradingd::net
