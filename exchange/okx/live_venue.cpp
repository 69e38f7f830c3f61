// The OKX v5 live adapter (ExecutionVenue) for SPOT and USDT SWAP: signed REST over one kept-alive
// HttpsClient, paced by OKX's documented per-endpoint budgets (a request over budget waits, it is never
// sent to be refused), timestamps from a ServerTime synced with /api/v5/public/time (a 50102 resyncs and
// the refused request - refused before execution - goes once more), the private WebSocket (login,
// orders/positions/account, "ping" after 20 s of silence, reconnect → VenueConnectionChanged false/true),
// events de-duplicated (fills by tradeId, stream vs REST), and the dead-man switch (cancel-all-after,
// refreshed while running). The rule that matters most: a submit whose answer never came (transport
// failure after sending, 5xx, OKX 50004/51149) is OrderSubmitUnknown, resolved by the engine's query and
// never resent. State lives on the io_context; handlers hold a weak reference and do nothing once the
// adapter is gone. Secrets stay in the signer; logs show the masked key only.
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <spdlog/spdlog.h>

#include "exchange/live/live_venue.h"
#include "exchange/live/request_pacer.h"
#include "exchange/live/server_time.h"
#include "exchange/net/https_client.h"
#include "exchange/net/log_limiter.h"
#include "exchange/net/reconnecting_ws.h"
#include "exchange/okx/trading_dedup.h"
#include "exchange/okx/trading_errors.h"
#include "exchange/okx/trading_parse.h"
#include "exchange/okx/trading_requests.h"
#include "exchange/okx/trading_sign.h"
#include "exchange/okx/trading_stream.h"
#include "exchange/okx/urls.h"

namespace tradingd::live::okx {
namespace {

namespace asio = boost::asio;
namespace tok = tradingd::okx;

constexpr std::int64_t kRateLimitHoldNs = kNanosPerSecond;  // OKX sends no Retry-After: hold one second
constexpr int kMaxAuthRetries = 1;                           // a 50102 resyncs and retries once
constexpr int kMaxRateRetries = 3;

struct Endpoints {
  net::Url rest;
  net::Url ws_private;
  bool simulated_trading = false;
};

Result<Endpoints, std::string> resolve_endpoints(const config::VenueConfig& v) {
  const bool prod = v.environment == config::VenueEnvironment::Production;
  const tok::OkxEndpoints& d = prod ? tok::kProduction : tok::kDemo;
  Endpoints e;
  e.simulated_trading = d.simulated_trading_header;
  auto rest = net::parse_url(v.rest_url.empty() ? std::string(d.rest) : v.rest_url);
  if (!rest) return Err{"okx REST URL: " + rest.error()};
  e.rest = *rest;
  std::string ws = v.ws_private_url.empty() ? v.ws_url : v.ws_private_url;
  if (ws.empty()) {
    ws = std::string(prod ? tok::kProductionWsPrivate : tok::kDemoWsPrivate);
  }
  auto url = net::parse_url(ws);
  if (!url) return Err{"okx private stream URL: " + url.error()};
  // An origin (the emulator's URLs) gets OKX's private path.
  if (url->target == "/" || url->target.empty()) *url = url->with_target(std::string(tok::kWsPrivatePath));
  e.ws_private = *url;
  return e;
}

class Core : public std::enable_shared_from_this<Core> {
 public:
  Core(const LiveVenueContext& ctx, tok::OkxSigner signer, Endpoints endpoints)
      : io_(ctx.io),
        tls_(ctx.tls),
        clock_(ctx.clock),
        cfg_(ctx.config.venues.okx),
        signer_(std::move(signer)),
        endpoints_(std::move(endpoints)),
        pacer_(tok::okx_rate_windows()),
        instruments_(ctx.instruments),
        masked_key_(config::mask_api_key(ctx.credentials.api_key)) {
    net::HttpsOptions http;
    http.request_timeout_ms = cfg_.http_timeout_ms;
    http.connect_timeout_ms = cfg_.http_timeout_ms;
    http_ = std::make_unique<net::HttpsClient>(io_, tls_, endpoints_.rest, http);
  }

  // --- lifecycle ------------------------------------------------------------------------------------
  void start() {
    if (running_) return;
    running_ = true;
    spdlog::info("OKX live venue starting key={} rest={} demo={}", masked_key_, endpoints_.rest.to_log_string(),
                 endpoints_.simulated_trading);
    sync_time([](bool) {});
    start_stream();
    if (cfg_.dead_man_switch && cfg_.dead_man_switch_timeout_s > 0) refresh_dead_man();
  }

  void stop() {
    running_ = false;
    if (ws_) ws_->stop();
    ws_.reset();
    // The dead-man switch is left armed on purpose: a daemon that stops and does not come back leaves no
    // live orders behind once the countdown ends (stop() itself cancels nothing).
  }

  void set_sink(VenueEventSink* sink) { sink_ = sink; }
  const LiveVenueStats& stats() {
    stats_.server_time_offset_ms = time_.offset_ns() / kNanosPerMilli;
    stats_.duplicate_fills_dropped = filter_.duplicates();
    return stats_;
  }

  // --- operations -----------------------------------------------------------------------------------
  void submit(const OrderRequest& o) {
    auto req = tok::place_order(o, tok::OkxOrderOptions{});
    if (!req) {
      emit(OrderRejected{o.instrument, o.client_order_id, VenueError{VenueErrorReason::Other, "local", req.error()}, now()});
      return;
    }
    const OrderRequest order = o;
    send(std::move(*req), false, [self = weak_from_this(), order](const Outcome& out) {
      auto s = self.lock();
      if (!s) return;
      s->on_submit_answer(order, out);
    });
  }

  void cancel(const CancelRequest& c) {
    send(tok::cancel_order(c), true, [self = weak_from_this(), c](const Outcome& out) {
      auto s = self.lock();
      if (!s) return;
      s->on_cancel_answer({c}, out);
    });
  }

  void cancel_all(const std::optional<InstrumentId>& inst) {
    open_orders(inst, [self = weak_from_this()](Result<std::vector<OrderStatusReport>, VenueError> r) {
      auto s = self.lock();
      if (!s) return;
      if (!r) {
        spdlog::warn("OKX cancel-all could not list open orders code={} reason={}", r.error().code, to_string(r.error().reason));
        return;
      }
      std::vector<CancelRequest> cs;
      for (const auto& o : *r) cs.push_back(CancelRequest{o.instrument, o.client_order_id, o.venue_order_id});
      auto batches = tok::cancel_batch(cs);
      for (std::size_t i = 0; i < batches.size(); ++i) {
        std::vector<CancelRequest> part(cs.begin() + static_cast<std::ptrdiff_t>(i * 20),
                                        cs.begin() + static_cast<std::ptrdiff_t>(std::min(cs.size(), (i + 1) * 20)));
        s->send(std::move(batches[i]), true, [self2 = s->weak_from_this(), part](const Outcome& out) {
          if (auto s2 = self2.lock()) s2->on_cancel_answer(part, out);
        });
      }
    });
  }

  void query_order(const InstrumentId& inst, const ClientOrderId& id, VenueCallback<OrderStatusReport> done) {
    send(tok::query_order(inst, id), true, [done = std::move(done)](const Outcome& out) {
      if (!out.ok) return done(Err{out.error});
      auto r = tok::parse_orders(out.status, out.body);
      if (!r) return done(Err{r.error()});
      if (r->empty()) return done(Err{VenueError{VenueErrorReason::UnknownOrder, "51603", "Order does not exist"}});
      done(std::move(r->front()));
    });
  }

  void open_orders(const std::optional<InstrumentId>& inst, VenueCallback<std::vector<OrderStatusReport>> done) {
    std::vector<MarketKind> kinds;
    if (inst) kinds.push_back(inst->kind);
    else kinds = {MarketKind::Spot, MarketKind::LinearPerp};
    auto acc = std::make_shared<std::vector<OrderStatusReport>>();
    list_pending(std::move(kinds), 0, inst, {}, acc, std::move(done));
  }

  void fills_since(const InstrumentId& inst, UnixNanos since_ns, VenueCallback<std::vector<OrderFilled>> done) {
    // fills covers three days; older starts need fills-history (3 months, a smaller budget).
    const bool history = now() - since_ns > 3 * kNanosPerDay - kNanosPerDay / 24;
    send(tok::fills(inst, since_ns / kNanosPerMilli, history), true,
         [self = weak_from_this(), done = std::move(done)](const Outcome& out) {
           if (!out.ok) return done(Err{out.error});
           auto r = tok::parse_fills(out.status, out.body);
           if (!r) return done(Err{r.error()});
           // The engine applies what it gets here: remember the trade ids so a stream replay of the same
           // fills is not reported a second time.
           if (auto s = self.lock())
             for (const auto& f : *r) (void)s->filter_.remember_fill(f);
           std::reverse(r->begin(), r->end());  // OKX lists newest first; the engine wants time order
           done(std::move(*r));
         });
  }

  void account(VenueCallback<AccountReport> done) {
    send(tok::balance(), true, [self = weak_from_this(), done = std::move(done)](const Outcome& out) mutable {
      if (!out.ok) return done(Err{out.error});
      auto b = tok::parse_balance(out.status, out.body);
      if (!b) return done(Err{b.error()});
      auto s = self.lock();
      if (!s) return;
      AccountReport report;
      report.venue = Venue::Okx;
      report.balances = std::move(*b);
      report.ts_event_ns = s->now();
      s->send(tok::positions(), true, [report = std::move(report), done = std::move(done)](const Outcome& out2) mutable {
        if (!out2.ok) return done(Err{out2.error});
        auto p = tok::parse_positions(out2.status, out2.body);
        if (!p) return done(Err{p.error()});
        report.positions = std::move(*p);
        done(std::move(report));
      });
    });
  }

  void set_leverage(const InstrumentId& inst, int leverage, VenueCallback<int> done) {
    send(tok::set_leverage(inst, leverage), false, [done = std::move(done)](const Outcome& out) {
      if (!out.ok) return done(Err{out.error});
      auto r = tok::parse_leverage(out.status, out.body);
      if (!r) return done(Err{r.error()});
      done(*r);
    });
  }

 private:
  // The answer to one request after pacing, signing and the retries that are safe (auth/timestamp and
  // rate-limit refusals happen before OKX executes anything).
  struct Outcome {
    bool ok = false;
    int status = 0;
    std::string body;
    VenueError error;  // !ok: Network (not sent), UnknownOutcome (sent, no answer)
  };
  using OutcomeFn = std::function<void(const Outcome&)>;

  UnixNanos now() const { return clock_.now_ns(); }

  void emit(const VenueEvent& e) {
    if (!filter_.admit(e)) return;
    if (sink_) sink_->on_venue_event(e);
  }

  void after(std::int64_t delay_ns, std::function<void()> fn) {
    auto t = std::make_shared<asio::steady_timer>(io_);
    t->expires_after(std::chrono::nanoseconds(std::max<std::int64_t>(delay_ns, 0)));
    t->async_wait([t, self = weak_from_this(), fn = std::move(fn)](const boost::system::error_code& ec) {
      if (ec || self.expired()) return;
      fn();
    });
  }

  // /api/v5/public/time: unsigned, paced; done(true) once synced.
  void sync_time(std::function<void(bool)> done) {
    sync_waiters_.push_back(std::move(done));
    if (syncing_) return;
    syncing_ = true;
    const std::int64_t wait = pacer_.admit(std::array{RateCost{static_cast<std::size_t>(tok::OkxEndpoint::PublicTime), 1}}, now(), true);
    if (wait > 0) {
      syncing_ = false;
      auto waiters = std::move(sync_waiters_);
      sync_waiters_.clear();
      after(wait, [this, waiters = std::move(waiters)]() mutable {
        for (auto& w : waiters) sync_time(std::move(w));
      });
      return;
    }
    net::HttpRequest r;
    r.method = net::HttpMethod::Get;
    r.target = tok::server_time().path;
    r.timeout_ms = cfg_.http_timeout_ms;
    const UnixNanos sent = now();
    http_->request(std::move(r), [self = weak_from_this(), sent](net::HttpResult res) {
      auto s = self.lock();
      if (!s) return;
      bool ok = false;
      if (res) {
        auto ts = tok::parse_server_time(res->status, res->body);
        if (ts) ok = s->time_.on_sample(*ts, sent, s->now()) || s->time_.synced();
      }
      if (!ok) spdlog::warn("OKX server time sync failed");
      s->syncing_ = false;
      auto waiters = std::move(s->sync_waiters_);
      s->sync_waiters_.clear();
      for (auto& w : waiters) w(ok);
    });
  }

  void send(tok::OkxRequest req, bool priority, OutcomeFn done, int auth_retries = 0, int rate_retries = 0) {
    if (time_.needs_resync(now())) {
      sync_time([self = weak_from_this(), req = std::move(req), priority, done = std::move(done), auth_retries,
                 rate_retries](bool ok) mutable {
        auto s = self.lock();
        if (!s) return;
        if (!ok && !s->time_.synced()) {
          Outcome out;
          out.error = VenueError{VenueErrorReason::Timestamp, "sync", "server time unavailable"};
          return done(out);
        }
        s->send_now(std::move(req), priority, std::move(done), auth_retries, rate_retries);
      });
      return;
    }
    send_now(std::move(req), priority, std::move(done), auth_retries, rate_retries);
  }

  void send_now(tok::OkxRequest req, bool priority, OutcomeFn done, int auth_retries, int rate_retries) {
    const RateCost cost{static_cast<std::size_t>(req.endpoint), req.cost};
    const std::int64_t wait = pacer_.admit(std::span<const RateCost>(&cost, 1), now(), priority);
    if (wait > 0) {
      ++stats_.queued_for_rate_limit;
      after(wait, [self = weak_from_this(), req = std::move(req), priority, done = std::move(done), auth_retries,
                   rate_retries]() mutable {
        if (auto s = self.lock()) s->send(std::move(req), priority, std::move(done), auth_retries, rate_retries);
      });
      return;
    }
    net::HttpRequest h;
    h.method = req.method == tok::OkxMethod::Get ? net::HttpMethod::Get : net::HttpMethod::Post;
    h.target = req.path;
    h.body = req.body;
    if (!h.body.empty()) h.content_type = "application/json";
    h.timeout_ms = cfg_.http_timeout_ms;
    const std::string_view method = tok::to_string(req.method);
    for (auto& [k, v] : signer_.headers(time_.server_ms(now()), method, req.path, req.body)) h.headers.push_back({k, v});
    ++stats_.requests;
    http_->request(std::move(h), [self = weak_from_this(), req = std::move(req), priority, done = std::move(done),
                                  auth_retries, rate_retries](net::HttpResult res) mutable {
      auto s = self.lock();
      if (!s) return;
      s->on_http(std::move(req), priority, std::move(done), auth_retries, rate_retries, std::move(res));
    });
  }

  void on_http(tok::OkxRequest req, bool priority, OutcomeFn done, int auth_retries, int rate_retries, net::HttpResult res) {
    Outcome out;
    if (!res) {
      ++stats_.request_failures;
      const bool unknown = res.error().kind == net::HttpFailure::UnknownOutcome;
      if (unknown) ++stats_.unknown_outcomes;
      out.error = VenueError{unknown ? VenueErrorReason::UnknownOutcome : VenueErrorReason::Network,
                             std::string(net::to_string(res.error().kind)), res.error().to_string()};
      return done(out);
    }
    // Envelope-level refusals that happen before execution: safe to send again.
    const auto envelope_code = [&]() -> std::string {
      auto acks = tok::parse_acks(res->status, res->body);
      return acks ? std::string() : acks.error().code;
    }();
    if (res->status == 429 || tok::is_rate_limit_error(envelope_code)) {
      ++stats_.rate_limited;
      pacer_.block_until(now() + kRateLimitHoldNs);
      if (rate_retries < kMaxRateRetries) return send(std::move(req), priority, std::move(done), auth_retries, rate_retries + 1);
    } else if (tok::is_timestamp_error(envelope_code)) {
      ++stats_.timestamp_resyncs;
      time_.invalidate();
      spdlog::warn("OKX rejected the request timestamp code={}: resyncing the clock", envelope_code);
      if (auth_retries < kMaxAuthRetries) return send(std::move(req), priority, std::move(done), auth_retries + 1, rate_retries);
    }
    out.ok = true;
    out.status = res->status;
    out.body = std::move(res->body);
    done(out);
  }

  void on_submit_answer(const OrderRequest& o, const Outcome& out) {
    auto unknown = [&] {
      spdlog::warn("OKX submit outcome unknown clOrdId={}: the engine queries it", o.client_order_id.view());
      if (sink_) sink_->on_venue_event(OrderSubmitUnknown{o.instrument, o.client_order_id, now()});
    };
    if (!out.ok) {
      if (out.error.reason == VenueErrorReason::UnknownOutcome) return unknown();
      return emit(OrderRejected{o.instrument, o.client_order_id, out.error, now()});
    }
    if (out.status >= 500) return unknown();  // a gateway error: OKX may have executed it
    auto acks = tok::parse_acks(out.status, out.body);
    if (!acks || acks->empty()) {
      const VenueError e = acks ? VenueError{VenueErrorReason::Other, "shape", "empty answer"} : acks.error();
      if (e.reason == VenueErrorReason::UnknownOutcome || e.code == "parse") return unknown();
      return emit(OrderRejected{o.instrument, o.client_order_id, e, now()});
    }
    const auto& a = acks->front();
    if (a.ok()) {
      return emit(OrderAccepted{o.instrument, o.client_order_id, VenueOrderId::make(a.ord_id).value_or(VenueOrderId{}), now()});
    }
    const VenueError e = tok::ack_error(a);
    if (e.reason == VenueErrorReason::UnknownOutcome) return unknown();
    emit(OrderRejected{o.instrument, o.client_order_id, e, now()});
  }

  void on_cancel_answer(const std::vector<CancelRequest>& cs, const Outcome& out) {
    auto reject_all = [&](const VenueError& e) {
      for (const auto& c : cs) emit(OrderCancelRejected{c.instrument, c.client_order_id, e, now()});
    };
    if (!out.ok) return reject_all(out.error);
    auto acks = tok::parse_acks(out.status, out.body);
    if (!acks) return reject_all(acks.error());
    for (std::size_t i = 0; i < cs.size() && i < acks->size(); ++i) {
      const auto& a = (*acks)[i];
      if (a.ok())
        emit(OrderCanceled{cs[i].instrument, cs[i].client_order_id, VenueOrderId::make(a.ord_id).value_or(cs[i].venue_order_id), now()});
      else
        emit(OrderCancelRejected{cs[i].instrument, cs[i].client_order_id, tok::ack_error(a), now()});
    }
  }

  void list_pending(std::vector<MarketKind> kinds, std::size_t k, std::optional<InstrumentId> inst, std::string after,
                    std::shared_ptr<std::vector<OrderStatusReport>> acc, VenueCallback<std::vector<OrderStatusReport>> done) {
    if (k >= kinds.size()) return done(std::move(*acc));
    auto req = tok::orders_pending(kinds[k], inst, after);  // before `kinds` moves into the callback
    send(std::move(req), true,
         [self = weak_from_this(), kinds = std::move(kinds), k, inst, acc, done = std::move(done)](const Outcome& out) mutable {
           if (!out.ok) return done(Err{out.error});
           auto r = tok::parse_orders(out.status, out.body);
           if (!r) return done(Err{r.error()});
           const bool more = r->size() >= 100;
           const std::string last = r->empty() ? std::string() : r->back().venue_order_id.str();
           for (auto& o : *r) acc->push_back(std::move(o));
           auto s = self.lock();
           if (!s) return;
           if (more) return s->list_pending(std::move(kinds), k, inst, last, acc, std::move(done));
           s->list_pending(std::move(kinds), k + 1, inst, {}, acc, std::move(done));
         });
  }

  // --- dead-man switch ------------------------------------------------------------------------------
  void refresh_dead_man() {
    if (!running_) return;
    const int timeout_s = static_cast<int>(std::clamp<std::int64_t>(cfg_.dead_man_switch_timeout_s, 10, 120));
    send(tok::cancel_all_after(timeout_s), true, [self = weak_from_this()](const Outcome& out) {
      auto s = self.lock();
      if (!s) return;
      auto r = out.ok ? tok::parse_cancel_all_after(out.status, out.body) : Result<std::int64_t, VenueError>(Err{out.error});
      if (r) {
        ++s->stats_.dead_man_refreshes;
      } else {
        ++s->stats_.dead_man_failures;
        spdlog::warn("OKX cancel-all-after refresh failed code={} reason={}", r.error().code, to_string(r.error().reason));
      }
    });
    // A quarter of the countdown: three refreshes may fail before the venue cancels.
    after(std::max<std::int64_t>(kNanosPerSecond, timeout_s * kNanosPerSecond / 4), [self = weak_from_this()] {
      if (auto s = self.lock()) s->refresh_dead_man();
    });
  }

  // --- private stream -------------------------------------------------------------------------------
  void start_stream() {
    net::WsOptions ws;
    ws.connect_timeout_ms = cfg_.ws_connect_timeout_ms;
    ws.idle_timeout_ms = 60'000;
    net::ReconnectOptions ro;
    ro.seed = static_cast<std::uint64_t>(now());
    net::ReconnectingWsHandlers h;
    std::weak_ptr<Core> weak = weak_from_this();
    h.on_open = [weak](net::WsSession& session) {
      auto s = weak.lock();
      if (!s) return;
      s->logged_in_ = false;
      s->subscribed_ = false;
      session.send_text(s->signer_.ws_login(s->time_.server_ms(s->now()) / 1000));
    };
    h.on_text = [weak](std::string_view text) {
      if (auto s = weak.lock()) s->on_stream_text(text);
    };
    h.on_disconnected = [weak](const net::NetError& e) {
      auto s = weak.lock();
      if (!s) return;
      s->logged_in_ = false;
      s->subscribed_ = false;
      if (s->stats_.private_stream_connected) {
        s->stats_.private_stream_connected = false;
        ++s->stats_.private_stream_reconnects;
        spdlog::warn("OKX private stream lost error={}: reconnecting", e.to_string());
        if (s->sink_) s->sink_->on_venue_event(VenueConnectionChanged{Venue::Okx, false, s->now()});
      }
    };
    ws_ = std::make_unique<net::ReconnectingWs>(io_, tls_, endpoints_.ws_private, ws, net::okx_heartbeat(), ro, std::move(h));
    ws_->start();
  }

  void on_stream_text(std::string_view text) {
    ++stats_.private_stream_messages;
    auto m = tok::parse_stream(text);
    if (!m) {
      ++stats_.private_stream_parse_errors;
      if (parse_log_.allow(clock_.monotonic_ns() / kNanosPerMilli))
        spdlog::warn("OKX private stream message not understood error={} suppressed={}", m.error(), parse_log_.suppressed());
      return;
    }
    using K = tok::OkxStreamMessage::Kind;
    switch (m->kind) {
      case K::Login:
        logged_in_ = true;
        ws_->send_text(tok::subscribe_private_frame());
        return;
      case K::Subscribed:
        if (m->channel == "orders" && !subscribed_) {
          subscribed_ = true;
          stats_.private_stream_connected = true;
          spdlog::info("OKX private stream logged in and subscribed key={}", masked_key_);
          if (sink_) sink_->on_venue_event(VenueConnectionChanged{Venue::Okx, true, now()});
        }
        return;
      case K::Error:
        spdlog::warn("OKX private stream error code={} msg={}", m->code, m->msg);
        if (tok::error_reason(m->code) == VenueErrorReason::Timestamp) time_.invalidate();
        if (!logged_in_) {
          // A refused login: resync the clock (a skewed clock is the usual cause) and reconnect.
          sync_time([weak = weak_from_this()](bool) {
            if (auto s = weak.lock(); s && s->ws_) s->ws_->reconnect();
          });
        }
        return;
      case K::Notice:
        spdlog::info("OKX private stream notice code={} msg={}: reconnecting", m->code, m->msg);
        ws_->rotate();
        return;
      case K::Orders:
      case K::Account:
      case K::Positions:
        for (const auto& e : m->events) emit(e);
        return;
      case K::Pong:
      case K::Other:
        return;
    }
  }

  asio::io_context& io_;
  std::shared_ptr<net::TlsContext> tls_;
  const Clock& clock_;
  config::VenueConfig cfg_;
  tok::OkxSigner signer_;
  Endpoints endpoints_;
  RequestPacer pacer_;
  ServerTime time_;
  std::vector<Instrument> instruments_;
  std::string masked_key_;
  std::unique_ptr<net::HttpsClient> http_;
  std::unique_ptr<net::ReconnectingWs> ws_;
  VenueEventSink* sink_ = nullptr;
  tok::OkxEventFilter filter_;
  LiveVenueStats stats_;
  net::LogLimiter parse_log_;
  std::vector<std::function<void(bool)>> sync_waiters_;
  bool syncing_ = false, running_ = false, logged_in_ = false, subscribed_ = false;
};

class OkxLiveVenue final : public LiveVenue {
 public:
  explicit OkxLiveVenue(std::shared_ptr<Core> core) : core_(std::move(core)) {}
  ~OkxLiveVenue() override { core_->stop(); }

  Venue venue() const override { return Venue::Okx; }
  VenueCapabilities capabilities() const override {
    VenueCapabilities c;
    c.native_stop_orders = true;
    c.cancel_all = true;  // emulated by cancel-batch-orders over the open orders
    c.dead_man_switch = true;
    return c;
  }
  void set_event_sink(VenueEventSink* sink) override { core_->set_sink(sink); }
  void start() override { core_->start(); }
  void stop() override { core_->stop(); }
  void submit(const OrderRequest& r) override { core_->submit(r); }
  void cancel(const CancelRequest& r) override { core_->cancel(r); }
  void cancel_all(const std::optional<InstrumentId>& i) override { core_->cancel_all(i); }
  void query_order(const InstrumentId& i, const ClientOrderId& id, VenueCallback<OrderStatusReport> done) override {
    core_->query_order(i, id, std::move(done));
  }
  void open_orders(const std::optional<InstrumentId>& i, VenueCallback<std::vector<OrderStatusReport>> done) override {
    core_->open_orders(i, std::move(done));
  }
  void fills_since(const InstrumentId& i, UnixNanos since, VenueCallback<std::vector<OrderFilled>> done) override {
    core_->fills_since(i, since, std::move(done));
  }
  void account(VenueCallback<AccountReport> done) override { core_->account(std::move(done)); }
  void set_leverage(const InstrumentId& i, int lev, VenueCallback<int> done) override { core_->set_leverage(i, lev, std::move(done)); }
  const LiveVenueStats& stats() const override { return core_->stats(); }

 private:
  std::shared_ptr<Core> core_;
};

}  // namespace

Result<std::unique_ptr<LiveVenue>, std::string> make_live_venue(const LiveVenueContext& ctx) {
  const auto& c = ctx.credentials;
  if (!c.has_key()) return Err{std::string("okx: no API key/secret configured")};
  if (c.passphrase.empty()) return Err{std::string("okx: no API passphrase configured")};
  auto endpoints = resolve_endpoints(ctx.config.venues.okx);
  if (!endpoints) return Err{endpoints.error()};
  auto signer = tradingd::okx::OkxSigner::make(c.api_key, c.api_secret.reveal(), c.passphrase.reveal(), endpoints->simulated_trading);
  if (!signer) return Err{"okx: " + signer.error()};
  auto core = std::make_shared<Core>(ctx, std::move(*signer), std::move(*endpoints));
  return std::unique_ptr<LiveVenue>(std::make_unique<OkxLiveVenue>(std::move(core)));
}

}  // namespace tradingd::live::okx
