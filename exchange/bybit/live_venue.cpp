// The Bybit v5 live adapter (spot + USDT linear perpetuals): ExecutionVenue over signed REST (HttpsClient)
// and the private stream (ReconnectingWs), on the daemon's io_context. Protocol details are the pure
// trading_protocol / trading_parse modules; this file is the plumbing and the rules:
//   - every signed request passes the RequestPacer (Bybit's documented windows, corrected by the
//     X-Bapi-Limit-Status header); a 10006/429/403 blocks the pacer until the venue's reset and the request
//     waits in the queue for it (it was refused, so sending it again later is safe);
//   - timestamps are the venue's clock (ServerTime, synced at start); a 10002 invalidates it, resyncs and
//     signs the request again, once;
//   - a create/cancel whose answer never came (timeout, reset, 5xx, 10000/10016) is OrderSubmitUnknown /
//     a cancel rejection with UnknownOutcome: never resent, the engine queries by orderLinkId;
//   - the private stream authenticates, subscribes, pings every 20 s and reconnects; each disconnect and
//     resubscription is a VenueConnectionChanged, and after a reconnect the executions of the gap are
//     fetched over REST; fills are de-duplicated by execId (stream and REST), order acks and terminal
//     states by client order id;
//   - Disconnect-Cancel-All (DCP) when dead_man_switch is on: Bybit cancels the product's orders when every
//     DCP-subscribed private connection has been gone for the window (institutional accounts only: a
//     refusal is logged, counted, and capabilities() then says there is no dead-man switch).
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <deque>
#include <map>
#include <memory>
#include <unordered_set>

#include "exchange/bybit/trading_parse.h"
#include "exchange/bybit/trading_protocol.h"
#include "exchange/bybit/urls.h"
#include "exchange/live/live_venue.h"
#include "exchange/live/request_pacer.h"
#include "exchange/live/server_time.h"
#include "exchange/net/https_client.h"
#include "exchange/net/log_limiter.h"
#include "exchange/net/reconnecting_ws.h"

namespace tradingd::live::bybit {
namespace {

using namespace tradingd::bybit;
namespace asio = boost::asio;

// A bounded set of ids (execIds, client order ids): the oldest are forgotten first.
class RecentIds {
 public:
  explicit RecentIds(std::size_t capacity) : capacity_(capacity) {}
  // True when the id was new (and is now remembered).
  bool insert(std::string_view id) {
    std::string s(id);
    if (set_.contains(s)) return false;
    set_.insert(s);
    order_.push_back(std::move(s));
    if (order_.size() > capacity_) {
      set_.erase(order_.front());
      order_.pop_front();
    }
    return true;
  }
  bool contains(std::string_view id) const { return set_.contains(std::string(id)); }

 private:
  std::size_t capacity_;
  std::unordered_set<std::string> set_;
  std::deque<std::string> order_;
};

// The outcome of one signed request: the body of a retCode-0-or-error envelope, or a transport failure.
using Reply = Result<std::string, VenueError>;

class BybitLiveVenue final : public LiveVenue {
 public:
  BybitLiveVenue(const LiveVenueContext& ctx, const config::VenueConfig& cfg, BybitSigner signer, net::Url rest_url,
                 net::Url ws_url)
      : io_(ctx.io), clock_(ctx.clock), cfg_(cfg), tls_(ctx.tls), table_(ctx.instruments), signer_(std::move(signer)),
        http_(ctx.io, ctx.tls, rest_url, http_options(cfg)), ws_url_(std::move(ws_url)), parser_(table_),
        pacer_(rate_windows()) {
    for (const auto& i : table_.all()) (i.id.kind == MarketKind::Spot ? has_spot_ : has_linear_) = true;
  }

  ~BybitLiveVenue() override {
    *alive_ = false;
    stop();
  }

  Venue venue() const override { return Venue::Bybit; }
  VenueCapabilities capabilities() const override {
    VenueCapabilities c;
    c.native_stop_orders = true;
    c.native_sl_tp = false;
    c.cancel_all = true;
    c.dead_man_switch = cfg_.dead_man_switch && !dcp_refused_;
    c.amend = false;
    return c;
  }
  void set_event_sink(VenueEventSink* sink) override { sink_ = sink; }
  const LiveVenueStats& stats() const override { return stats_; }

  void start() override {
    if (started_) return;
    started_ = true;
    sync_time([this, alive = alive_](bool ok) {
      if (!*alive) return;
      if (!ok) spdlog::warn("bybit: initial server-time sync failed; requests will retry it");
      seed_account();
      if (cfg_.dead_man_switch) arm_dcp();
    });
    open_private_stream();
    schedule_resync();
  }

  void stop() override {
    if (ws_) {
      ws_->stop();
      ws_.reset();
    }
    for (auto& t : timers_) t->cancel();
    timers_.clear();
    // Requests still waiting for the pacer are dropped with the timers that would have released them.
    for (auto& q : queues_) q.clear();
    armed_.fill(false);
    stats_.private_stream_connected = false;
    started_ = false;
  }

  // --- Orders -------------------------------------------------------------------------------------------
  void submit(const OrderRequest& request) override {
    const Instrument* inst = table_.find(request.instrument);
    if (!inst) {
      emit(OrderRejected{request.instrument, request.client_order_id,
                         {VenueErrorReason::UnknownInstrument, "", "instrument not configured for bybit"}, now()});
      return;
    }
    const auto id = request.instrument;
    const auto cid = request.client_order_id;
    send(create_order(request), false, [this, id, cid](Reply r) {
      if (r) {
        auto vid = parse_create(*r);
        if (vid) {
          if (accepted_.insert(cid.view())) emit(OrderAccepted{id, cid, *vid, now()});
          return;
        }
        r = Err{vid.error()};
      }
      const VenueError& e = r.error();
      if (e.reason == VenueErrorReason::UnknownOutcome) {
        emit(OrderSubmitUnknown{id, cid, now()});
        return;
      }
      if (terminal_.insert(cid.view())) emit(OrderRejected{id, cid, e, now()});
    });
  }

  void cancel(const CancelRequest& request) override {
    const auto req = request;
    send(cancel_order(request), true, [this, req](Reply r) {
      if (r) {
        auto vid = parse_cancel(*r);
        // The venue took the cancel request; the order's end comes on the stream ("Cancelled", or "Filled"
        // when a fill won the race), or from the engine's reconciliation if the stream is down.
        if (vid) return;
        r = Err{vid.error()};
      }
      VenueError e = r.error();
      if (cancel_means_done(std::strtoll(e.code.c_str(), nullptr, 10))) e.reason = VenueErrorReason::UnknownOrder;
      emit(OrderCancelRejected{req.instrument, req.client_order_id, e, now()});
    });
  }

  void cancel_all(const std::optional<InstrumentId>& instrument) override {
    auto one = [this](MarketKind kind, std::optional<std::string_view> symbol) {
      send(tradingd::bybit::cancel_all(kind, symbol), true, [this](Reply r) {
        // Each cancelled order arrives on the private stream (and in the engine's reconciliation).
        if (r) {
          if (auto n = parse_cancel_all(*r); !n) r = Err{n.error()};
        }
        if (!r) spdlog::warn("bybit: cancel-all failed code={} reason={} message={}", r.error().code,
                             to_string(r.error().reason), r.error().message);
      });
    };
    if (instrument) {
      one(instrument->kind, instrument->symbol.view());
      return;
    }
    if (has_spot_) one(MarketKind::Spot, std::nullopt);
    if (has_linear_) one(MarketKind::LinearPerp, std::nullopt);
  }

  // --- Queries ------------------------------------------------------------------------------------------
  void query_order(const InstrumentId& instrument, const ClientOrderId& id, VenueCallback<OrderStatusReport> done) override {
    const auto kind = instrument.kind;
    const std::string symbol(instrument.symbol.view()), cid(id.view());
    // Realtime lists open and recently closed orders; history covers the rest (7 days).
    send(tradingd::bybit::query_order(kind, symbol, cid), true, [this, kind, symbol, cid, done](Reply r) {
      if (auto found = first_order(r, kind)) return done(std::move(*found));
      if (!r) return done(Err{r.error()});
      send(order_history(kind, symbol, cid), true, [this, kind, done](Reply h) {
        if (auto found = first_order(h, kind)) return done(std::move(*found));
        if (!h) return done(Err{h.error()});
        done(Err{VenueError{VenueErrorReason::UnknownOrder, "110001", "order not found on bybit"}});
      });
    });
  }

  void open_orders(const std::optional<InstrumentId>& instrument, VenueCallback<std::vector<OrderStatusReport>> done) override {
    std::vector<std::pair<MarketKind, std::optional<std::string>>> asks;
    if (instrument) asks.emplace_back(instrument->kind, std::string(instrument->symbol.view()));
    else {
      if (has_spot_) asks.emplace_back(MarketKind::Spot, std::nullopt);
      if (has_linear_) asks.emplace_back(MarketKind::LinearPerp, std::nullopt);
    }
    auto acc = std::make_shared<std::vector<OrderStatusReport>>();
    auto remaining = std::make_shared<std::size_t>(asks.size());
    auto failed = std::make_shared<bool>(false);
    if (asks.empty()) return done(std::move(*acc));
    for (const auto& [kind, symbol] : asks) {
      order_pages(kind, symbol, "", 0, acc, [remaining, failed, acc, done](std::optional<VenueError> err) {
        if (*failed) return;
        if (err) {
          *failed = true;
          return done(Err{std::move(*err)});
        }
        if (--*remaining == 0) done(std::move(*acc));
      });
    }
  }

  void fills_since(const InstrumentId& instrument, UnixNanos since_ns, VenueCallback<std::vector<OrderFilled>> done) override {
    auto acc = std::make_shared<std::vector<OrderFilled>>();
    fill_pages(instrument, since_ns / kNanosPerMilli, "", 0, acc, [this, acc, done](std::optional<VenueError> err) {
      if (err) return done(Err{std::move(*err)});
      std::reverse(acc->begin(), acc->end());  // the venue lists newest first
      // Remember them: the same execution arriving later on the stream is not applied twice.
      for (const auto& f : *acc) seen_fills_.insert(f.trade_id.view());
      done(std::move(*acc));
    });
  }

  // Executions since start_ms, following nextPageCursor (100 per page) up to kMaxPages.
  void fill_pages(const InstrumentId& instrument, std::int64_t start_ms, std::string cursor, int page,
                  std::shared_ptr<std::vector<OrderFilled>> acc, std::function<void(std::optional<VenueError>)> done) {
    const auto kind = instrument.kind;
    send(executions(kind, instrument.symbol.view(), start_ms, cursor), true,
         [this, instrument, start_ms, page, acc, done, kind](Reply r) {
           if (!r) return done(r.error());
           auto p = parse_executions(*r, kind, table_);
           if (!p) return done(p.error());
           acc->insert(acc->end(), p->fills.begin(), p->fills.end());
           if (p->next_cursor.empty() || page + 1 >= kMaxPages) return done(std::nullopt);
           fill_pages(instrument, start_ms, p->next_cursor, page + 1, acc, done);
         });
  }

  void account(VenueCallback<AccountReport> done) override {
    send(wallet_balance(), true, [this, done](Reply r) {
      if (!r) return done(Err{r.error()});
      auto balances = parse_wallet(*r);
      if (!balances) return done(Err{balances.error()});
      balances_ = *balances;
      if (!has_linear_) return done(report());
      send(tradingd::bybit::positions(), true, [this, done](Reply p) {
        if (!p) return done(Err{p.error()});
        auto pos = parse_positions(*p, table_);
        if (!pos) return done(Err{pos.error()});
        positions_.clear();
        for (const auto& x : *pos) positions_[x.instrument.to_string()] = x;
        done(report());
      });
    });
  }

  void set_leverage(const InstrumentId& instrument, int leverage, VenueCallback<int> done) override {
    if (instrument.kind != MarketKind::LinearPerp) {
      asio::post(io_, [done] { done(Err{VenueError{VenueErrorReason::Other, "", "spot has no leverage"}}); });
      return;
    }
    send(tradingd::bybit::set_leverage(instrument.symbol.view(), leverage), true, [done, leverage](Reply r) {
      if (!r) return done(Err{r.error()});
      done(parse_set_leverage(*r, leverage));
    });
  }

 private:
  static net::HttpsOptions http_options(const config::VenueConfig& cfg) {
    net::HttpsOptions o;
    o.request_timeout_ms = cfg.http_timeout_ms;
    o.connect_timeout_ms = cfg.http_timeout_ms;
    o.user_agent = "tradingd";
    return o;
  }

  UnixNanos now() const { return clock_.now_ns(); }
  void emit(VenueEvent e) {
    if (sink_) sink_->on_venue_event(e);
  }
  AccountReport report() const {
    AccountReport a;
    a.venue = Venue::Bybit;
    a.balances = balances_;
    for (const auto& [k, p] : positions_) a.positions.push_back(p);
    a.ts_event_ns = now();
    return a;
  }

  // Open orders of one category (and symbol), following nextPageCursor (50 per page) up to kMaxPages.
  static constexpr int kMaxPages = 20;
  void order_pages(MarketKind kind, std::optional<std::string> symbol, std::string cursor, int page,
                   std::shared_ptr<std::vector<OrderStatusReport>> acc, std::function<void(std::optional<VenueError>)> done) {
    std::optional<std::string_view> sym;
    if (symbol) sym = *symbol;
    send(tradingd::bybit::open_orders(kind, sym, cursor), true, [this, kind, symbol, page, acc, done](Reply r) {
      if (!r) return done(r.error());
      auto p = parse_orders(*r, kind, table_);
      if (!p) return done(p.error());
      acc->insert(acc->end(), p->orders.begin(), p->orders.end());
      if (p->next_cursor.empty() || page + 1 >= kMaxPages) return done(std::nullopt);
      order_pages(kind, symbol, p->next_cursor, page + 1, acc, done);
    });
  }

  std::optional<OrderStatusReport> first_order(const Reply& r, MarketKind kind) const {
    if (!r) return std::nullopt;
    auto page = parse_orders(*r, kind, table_);
    if (!page || page->orders.empty()) return std::nullopt;
    return page->orders.front();
  }

  void after(std::int64_t delay_ns, std::function<void()> f) {
    auto t = std::make_shared<asio::steady_timer>(io_);
    t->expires_after(std::chrono::nanoseconds(std::max<std::int64_t>(delay_ns, 0)));
    timers_.push_back(t);
    t->async_wait([this, t, f = std::move(f), alive = alive_](const boost::system::error_code& ec) {
      if (!*alive) return;
      std::erase(timers_, t);
      if (!ec) f();
    });
  }

  // --- Server time ----------------------------------------------------------------------------------------
  void sync_time(std::function<void(bool)> done) {
    waiting_for_time_.push_back(std::move(done));
    if (syncing_) return;
    syncing_ = true;
    const UnixNanos sent = now();
    net::HttpRequest req;
    req.method = net::HttpMethod::Get;
    req.target = std::string(path::kTime);
    req.timeout_ms = cfg_.http_timeout_ms;
    http_.request(std::move(req), [this, sent, alive = alive_](net::HttpResult r) {
      if (!*alive) return;
      bool ok = false;
      if (r && r->status == 200) {
        if (auto ms = parse_server_time(r->body)) ok = server_time_.on_sample(*ms, sent, now());
      }
      if (ok) stats_.server_time_offset_ms = server_time_.offset_ns() / kNanosPerMilli;
      syncing_ = false;
      auto waiting = std::move(waiting_for_time_);
      waiting_for_time_.clear();
      for (auto& w : waiting) w(ok);
    });
  }

  // --- Signed requests --------------------------------------------------------------------------------------
  struct Pending {
    BybitRequest request;
    bool priority = false;
    int timestamp_retries = 0;
    int throttle_retries = 0;
    std::function<void(Reply)> done;
  };

  void send(BybitRequest request, bool priority, std::function<void(Reply)> done) {
    auto p = std::make_shared<Pending>();
    p->request = std::move(request);
    p->priority = priority || !p->request.is_order_entry;
    p->done = std::move(done);
    dispatch(p);
  }

  // Requests wait in FIFO order per (endpoint window, priority): a request the pacer holds back holds back
  // those behind it on the same endpoint (submits stay in order; cancels keep their reserved headroom).
  static std::size_t queue_of(const Pending& p) { return rate_window_for(p.request) * 2 + (p.priority ? 1 : 0); }

  void dispatch(const std::shared_ptr<Pending>& p, bool front = false) {
    auto& q = queues_[queue_of(*p)];
    if (front) q.push_front(p);
    else q.push_back(p);
    pump(queue_of(*p));
  }

  void pump(std::size_t qi) {
    auto& q = queues_[qi];
    while (!q.empty() && !armed_[qi]) {
      const auto p = q.front();
      const UnixNanos t = now();
      if (server_time_.needs_resync(t)) {
        armed_[qi] = true;
        sync_time([this, qi](bool ok) {
          armed_[qi] = false;
          if (!ok && !queues_[qi].empty()) {
            auto failed = queues_[qi].front();
            queues_[qi].pop_front();
            ++stats_.request_failures;
            failed->done(Err{VenueError{VenueErrorReason::Network, "", "server time unavailable"}});
          }
          pump(qi);
        });
        return;
      }
      const RateCost costs[] = {{kWindowIp, 1}, {rate_window_for(p->request), 1}};
      const std::int64_t wait = pacer_.admit(costs, t, p->priority);
      if (wait > 0) {
        ++stats_.queued_for_rate_limit;
        armed_[qi] = true;
        after(wait, [this, qi] {
          armed_[qi] = false;
          pump(qi);
        });
        return;
      }
      q.pop_front();
      send_now(p, t);
    }
  }

  void send_now(const std::shared_ptr<Pending>& p, UnixNanos t) {
    const std::int64_t ts = server_time_.server_ms(t);
    net::HttpRequest req;
    req.method = p->request.post ? net::HttpMethod::Post : net::HttpMethod::Get;
    req.target = p->request.target();
    for (auto& h : signer_.headers(ts, p->request.payload)) req.headers.push_back({std::move(h.name), std::move(h.value)});
    if (p->request.post) {
      req.body = p->request.payload;
      req.content_type = "application/json";
    }
    req.timeout_ms = cfg_.http_timeout_ms;
    req.idempotent = !p->request.post;
    ++stats_.requests;
    http_.request(std::move(req), [this, p, alive = alive_](net::HttpResult r) {
      if (*alive) on_reply(p, std::move(r));
    });
  }

  void on_reply(const std::shared_ptr<Pending>& p, net::HttpResult r) {
    const UnixNanos t = now();
    if (!r) {
      ++stats_.request_failures;
      const bool unknown = r.error().kind == net::HttpFailure::UnknownOutcome;
      if (unknown) ++stats_.unknown_outcomes;
      return p->done(Err{VenueError{unknown ? VenueErrorReason::UnknownOutcome : VenueErrorReason::Network, "",
                                    r.error().to_string()}});
    }
    const net::HttpResponse& res = *r;
    const std::size_t window = rate_window_for(p->request);
    const auto limits = read_rate_limit(res.header("X-Bapi-Limit"), res.header("X-Bapi-Limit-Status"),
                                        res.header("X-Bapi-Limit-Reset-Timestamp"));
    if (limits.limit && limits.remaining) pacer_.observe_used(window, *limits.limit - *limits.remaining, t);

    std::optional<Envelope> env;
    if (auto e = parse_envelope(res.body)) env = *e;
    const bool throttled = res.status == 429 || res.status == 403 || (env && env->ret_code == 10006);
    if (throttled) {
      ++stats_.rate_limited;
      // The venue's reset time is on its clock; without one: 1 s (10006/429) or Bybit's 10 min IP ban (403).
      UnixNanos until = t + (res.status == 403 ? 600 * kNanosPerSecond : kNanosPerSecond);
      // The reset converted to our clock, plus a margin for the offset estimate's own error (half a round
      // trip at best): arriving a few ms early would only earn another refusal.
      const UnixNanos margin = std::max<std::int64_t>(100 * kNanosPerMilli, server_time_.best_rtt_ns());
      if (limits.reset_ms && *limits.reset_ms * kNanosPerMilli - server_time_.offset_ns() > t)
        until = *limits.reset_ms * kNanosPerMilli - server_time_.offset_ns() + margin;
      pacer_.block_until(until);
      if (res.status != 403 && ++p->throttle_retries <= 3) return dispatch(p, true);  // refused: safe to send again
      return p->done(Err{VenueError{VenueErrorReason::RateLimited, env ? std::to_string(env->ret_code) : std::to_string(res.status),
                                    env ? env->ret_msg : std::string("HTTP ") + std::to_string(res.status)}});
    }
    if (env && env->ret_code == 10002) {
      // Our clock drifted out of the receive window: resync and sign again (the request was refused).
      server_time_.invalidate();
      ++stats_.timestamp_resyncs;
      if (++p->timestamp_retries <= 1) return dispatch(p, true);
      return p->done(Err{error_from(*env)});
    }
    if (!env) {
      // A gateway error on an order entry says nothing about whether the matching engine got it.
      const auto reason = res.status >= 500 ? (p->request.is_order_entry ? VenueErrorReason::UnknownOutcome
                                                                         : map_http_status(res.status))
                                            : VenueErrorReason::Other;
      if (reason == VenueErrorReason::UnknownOutcome) ++stats_.unknown_outcomes;
      if (log_limit_.allow(clock_.monotonic_ns() / kNanosPerMilli))
        spdlog::warn("bybit: unexpected HTTP {} from {} (body not an envelope)", res.status, p->request.path);
      return p->done(Err{VenueError{reason, std::to_string(res.status), "unexpected response"}});
    }
    if (env->ret_code != 0) {
      auto e = error_from(*env);
      if (e.reason == VenueErrorReason::UnknownOutcome) ++stats_.unknown_outcomes;
      if (e.reason == VenueErrorReason::Authentication && log_limit_.allow(clock_.monotonic_ns() / kNanosPerMilli))
        spdlog::error("bybit: authentication refused code={} message={} key={}", e.code, e.message,
                      config::mask_api_key(signer_.api_key()));
      // set-leverage's 110043 is success: the parser decides.
      if (p->request.path == path::kSetLeverage && env->ret_code == 110043) return p->done(std::string(res.body));
      return p->done(Err{std::move(e)});
    }
    p->done(std::string(res.body));
  }

  // The clock offset is refreshed in the background so no order waits for a resync on its path.
  void schedule_resync() {
    after(5 * 60 * kNanosPerSecond, [this] {
      sync_time([](bool) {});
      schedule_resync();
    });
  }

  // --- Account cache, DCP ---------------------------------------------------------------------------------
  void seed_account() {
    account([](Result<AccountReport, VenueError> r) {
      if (!r) spdlog::warn("bybit: initial account snapshot failed: {}", r.error().message);
    });
  }

  void arm_dcp() {
    const int window = static_cast<int>(std::clamp<std::int64_t>(cfg_.dead_man_switch_timeout_s, 3, 300));
    std::vector<std::string_view> products;
    if (has_linear_) products.push_back("DERIVATIVES");
    if (has_spot_) products.push_back("SPOT");
    for (const auto product : products) {
      send(disconnect_cancel_all(product, window), true, [this, product](Reply r) {
        if (r) {
          ++stats_.dead_man_refreshes;
          dcp_armed_ = true;
          if (ws_) ws_->send_text(ws_subscribe_frame(true));
          return;
        }
        ++stats_.dead_man_failures;
        dcp_refused_ = true;
        spdlog::warn("bybit: disconnect-cancel-all ({}) refused code={} message={}: no dead-man switch on this account",
                     product, r.error().code, r.error().message);
      });
    }
  }

  // --- Private stream ------------------------------------------------------------------------------------
  void open_private_stream() {
    net::HeartbeatConfig hb;
    hb.frame = net::PingFrame::Text;
    hb.schedule = net::PingSchedule::Periodic;  // Bybit asks for a ping every 20 s, traffic or not
    hb.ping_text = std::string(kWsPing);
    hb.interval_ms = 20'000;
    hb.pong_timeout_ms = 10'000;
    hb.pong_contains = "\"op\":\"pong\"";
    net::WsOptions wo;
    wo.connect_timeout_ms = cfg_.ws_connect_timeout_ms;
    wo.log_name = "bybit-private";
    net::ReconnectOptions ro;
    ro.backoff.initial_ms = 250;
    ro.backoff.min_ms = 50;
    net::ReconnectingWsHandlers h;
    h.on_open = [this, alive = alive_](net::WsSession& s) {
      if (!*alive) return;
      authed_ = false;
      // expires: the venue's clock plus a margin for the connection's own latency.
      s.send_text(signer_.ws_auth_frame(server_time_.server_ms(now()) + 10'000));
    };
    h.on_text = [this, alive = alive_](std::string_view text) {
      if (*alive) on_private_text(text);
    };
    h.on_disconnected = [this, alive = alive_](const net::NetError&) {
      if (!*alive) return;
      authed_ = false;
      if (stats_.private_stream_connected) {
        stats_.private_stream_connected = false;
        emit(VenueConnectionChanged{Venue::Bybit, false, now()});
      }
    };
    ws_ = std::make_unique<net::ReconnectingWs>(io_, tls_, ws_url_, wo, hb, ro, std::move(h));
    ws_->start();
  }

  void on_private_text(std::string_view text) {
    ++stats_.private_stream_messages;
    auto m = parser_.parse(text);
    if (!m) {
      ++stats_.private_stream_parse_errors;
      if (log_limit_.allow(clock_.monotonic_ns() / kNanosPerMilli))
        spdlog::warn("bybit: private stream message not understood ({} {}), {} earlier suppressed",
                     to_string(m.error().code), m.error().field, log_limit_.suppressed());
      return;
    }
    switch (m->kind) {
      case PrivateKind::AuthAck:
        if (!m->success) {
          spdlog::error("bybit: private stream auth refused code={} message={} key={}", m->ret_code, m->ret_msg,
                        config::mask_api_key(signer_.api_key()));
          if (m->ret_code == 10002) {
            // `expires` was in the venue's past: our offset is stale. Resync before the next attempt.
            server_time_.invalidate();
            ++stats_.timestamp_resyncs;
            sync_time([this, alive = alive_](bool) {
              if (*alive && ws_) ws_->reconnect();
            });
            return;
          }
          if (ws_) ws_->reconnect();
          return;
        }
        authed_ = true;
        if (ws_) {
          ws_->send_text(ws_subscribe_frame(false));
          if (dcp_armed_) ws_->send_text(ws_subscribe_frame(true));
        }
        return;
      case PrivateKind::SubscribeAck:
        if (!m->success) {
          if (m->req_id == "dcp") {  // the account has no DCP: the main stream still works
            dcp_refused_ = true;
            ++stats_.dead_man_failures;
            spdlog::warn("bybit: dcp subscription refused: {}", m->ret_msg);
            return;
          }
          spdlog::error("bybit: private subscription refused: {}", m->ret_msg);
          if (ws_) ws_->reconnect();
          return;
        }
        if (m->req_id == "dcp") return;
        if (!stats_.private_stream_connected) on_stream_ready();
        return;
      case PrivateKind::Order:
      case PrivateKind::Execution:
        for (auto& e : m->events) on_stream_event(std::move(e));
        return;
      case PrivateKind::Position:
        for (const auto& p : m->positions) positions_[p.instrument.to_string()] = p;
        emit(report());
        return;
      case PrivateKind::Wallet:
        if (!m->balances.empty()) {
          // A wallet push lists the coins that changed: merge into the cached snapshot.
          for (const auto& b : m->balances) {
            auto it = std::find_if(balances_.begin(), balances_.end(), [&](const Balance& x) { return x.asset == b.asset; });
            if (it == balances_.end()) balances_.push_back(b);
            else *it = b;
          }
          emit(report());
        }
        return;
      case PrivateKind::Pong:
      case PrivateKind::Ignored:
        return;
    }
  }

  void on_stream_ready() {
    stats_.private_stream_connected = true;
    const bool reconnect = ever_connected_;
    ever_connected_ = true;
    if (reconnect) ++stats_.private_stream_reconnects;
    emit(VenueConnectionChanged{Venue::Bybit, true, now()});
    if (!reconnect) return;
    // Executions during the gap: fetched over REST; those already applied are dropped by execId.
    const UnixNanos since = (last_fill_ns_ > 0 ? last_fill_ns_ : now()) - 60 * kNanosPerSecond;
    for (const auto& inst : table_.all()) {
      const auto kind = inst.id.kind;
      send(executions(kind, inst.id.symbol.view(), since / kNanosPerMilli), true, [this, kind](Reply r) {
        if (!r) return;
        auto page = parse_executions(*r, kind, table_);
        if (!page) return;
        for (auto it = page->fills.rbegin(); it != page->fills.rend(); ++it) on_stream_event(*it);
      });
    }
  }

  void on_stream_event(VenueEvent e) {
    if (auto* f = std::get_if<OrderFilled>(&e)) {
      if (!seen_fills_.insert(f->trade_id.view())) {
        ++stats_.duplicate_fills_dropped;
        return;
      }
      last_fill_ns_ = std::max(last_fill_ns_, f->ts_event_ns);
    } else if (auto* a = std::get_if<OrderAccepted>(&e)) {
      if (!accepted_.insert(a->client_order_id.view())) return;  // the REST reply or an earlier push said so
    } else if (auto* c = std::get_if<OrderCanceled>(&e)) {
      if (!terminal_.insert(c->client_order_id.view())) return;
    } else if (auto* rj = std::get_if<OrderRejected>(&e)) {
      if (!terminal_.insert(rj->client_order_id.view())) return;
    }
    emit(e);
  }

  asio::io_context& io_;
  const Clock& clock_;
  config::VenueConfig cfg_;
  std::shared_ptr<net::TlsContext> tls_;
  InstrumentTable table_;
  BybitSigner signer_;
  net::HttpsClient http_;
  net::Url ws_url_;
  PrivateParser parser_;
  RequestPacer pacer_;
  ServerTime server_time_;
  LiveVenueStats stats_;
  VenueEventSink* sink_ = nullptr;
  std::unique_ptr<net::ReconnectingWs> ws_;
  std::vector<std::shared_ptr<asio::steady_timer>> timers_;
  std::array<std::deque<std::shared_ptr<Pending>>, kWindowCount * 2> queues_;
  std::array<bool, kWindowCount * 2> armed_{};
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
  std::vector<std::function<void(bool)>> waiting_for_time_;
  bool syncing_ = false, started_ = false, authed_ = false, ever_connected_ = false;
  bool has_spot_ = false, has_linear_ = false, dcp_armed_ = false, dcp_refused_ = false;
  RecentIds seen_fills_{100'000};
  RecentIds accepted_{100'000};
  RecentIds terminal_{100'000};
  UnixNanos last_fill_ns_ = 0;
  std::vector<Balance> balances_;
  std::map<std::string, PositionReport> positions_;
  net::LogLimiter log_limit_;
};

}  // namespace

Result<std::unique_ptr<LiveVenue>, std::string> make_live_venue(const LiveVenueContext& ctx) {
  const config::VenueConfig& cfg = ctx.config.venues.bybit;
  if (!ctx.credentials.has_key()) return Err{std::string("bybit: an API key and secret are required for live trading")};
  if (!ctx.tls) return Err{std::string("bybit: no TLS context")};
  std::string rest(cfg.rest_url), ws(cfg.ws_private_url);
  switch (cfg.environment) {
    case config::VenueEnvironment::Production:
      if (rest.empty()) rest = tradingd::bybit::kProduction.rest;
      if (ws.empty()) ws = tradingd::bybit::kPrivateWsProduction;
      break;
    case config::VenueEnvironment::Testnet:
      if (rest.empty()) rest = tradingd::bybit::kTestnet.rest;
      if (ws.empty()) ws = tradingd::bybit::kPrivateWsTestnet;
      break;
    case config::VenueEnvironment::Demo:
      if (rest.empty()) rest = tradingd::bybit::kDemo.rest;
      if (ws.empty()) ws = tradingd::bybit::kPrivateWsDemo;
      break;
  }
  auto rest_url = net::parse_url(rest);
  if (!rest_url) return Err{"bybit: rest_url: " + rest_url.error()};
  auto ws_url = net::parse_url(ws);
  if (!ws_url) return Err{"bybit: ws_private_url: " + ws_url.error()};
  // An origin (the emulator's URLs, TRADINGD_BYBIT_WS_PRIVATE_URL) gets Bybit's private path, as OKX's
  // adapter does; without it the handshake went to "/" and the private stream never connected.
  if (ws_url->target == "/" || ws_url->target.empty()) *ws_url = ws_url->with_target("/v5/private");
  auto signer = BybitSigner::make(ctx.credentials.api_key, ctx.credentials.api_secret.reveal(), cfg.recv_window_ms);
  if (!signer) return Err{"bybit: " + signer.error()};
  std::vector<Instrument> mine;
  for (const auto& i : ctx.instruments)
    if (i.id.venue == Venue::Bybit) mine.push_back(i);
  LiveVenueContext c{ctx.io, ctx.tls, ctx.config, ctx.credentials, ctx.clock, std::move(mine)};
  return std::unique_ptr<LiveVenue>(
      std::make_unique<BybitLiveVenue>(c, cfg, std::move(signer).value(), std::move(*rest_url), std::move(*ws_url)));
}

}  // namespace tradingd::live::bybit
