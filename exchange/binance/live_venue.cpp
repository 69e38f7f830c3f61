// The Binance live adapter (spot and USD-M): ExecutionVenue over two HttpsClients (the spot and futures
// REST hosts), each with its RequestPacer (Binance's documented windows) and ServerTime; the private
// streams (spot: the WebSocket API's userDataStream.subscribe.signature; USD-M: a listen key, kept alive
// and renewed on expiry); the USD-M dead-man switch (countdownCancelAll, refreshed while the adapter runs).
// Rules it keeps (exchange/live/live_venue.h): an answer that never came is OrderSubmitUnknown (never
// resent); -1021 invalidates the clock offset, resyncs and retries once (the venue refused the request, so
// nothing was executed); 429 blocks the host until Retry-After; 418 stops sending to Binance (banned, alert);
// fills are de-duplicated by trade id across the REST answers and the streams; every stream loss and
// recovery is a VenueConnectionChanged so the engine reconciles.
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <spdlog/spdlog.h>

#include <deque>
#include <unordered_map>
#include <unordered_set>

#include "config/credentials.h"
#include "exchange/binance/live_endpoints.h"
#include "exchange/binance/trading_parse.h"
#include "exchange/binance/trading_requests.h"
#include "exchange/live/live_venue.h"
#include "exchange/live/request_pacer.h"
#include "exchange/live/server_time.h"
#include "exchange/net/https_client.h"
#include "exchange/net/reconnecting_ws.h"

namespace tradingd::live::binance {
namespace {

namespace asio = boost::asio;
using tradingd::binance::Host;
using tradingd::binance::RestRequest;
using tradingd::binance::StreamMessageKind;

struct Outcome {
  bool ok = false;
  net::HttpResponse response;
  VenueError error;
};

constexpr std::int64_t kListenKeyKeepAliveMs = 30 * 60'000;  // the key lives 60 min after the last keep-alive
constexpr std::size_t kMaxRemembered = 100'000;

class BinanceLiveVenue final : public LiveVenue {
 public:
  BinanceLiveVenue(const LiveVenueContext& ctx, tradingd::binance::BinanceSigner signer, tradingd::binance::LiveEndpoints ep,
                   net::Url spot_url, net::Url fut_url, net::Url ws_api_url, net::Url fut_ws_url)
      : io_(ctx.io),
        tls_(ctx.tls),
        clock_(ctx.clock),
        cfg_(ctx.config.venues.binance),
        instruments_(ctx.instruments),
        signer_(std::move(signer)),
        builder_(signer_, cfg_.recv_window_ms),
        endpoints_(std::move(ep)),
        ws_api_url_(std::move(ws_api_url)),
        fut_ws_url_(std::move(fut_ws_url)),
        alive_(std::make_shared<bool>(true)) {
    net::HttpsOptions http;
    http.request_timeout_ms = cfg_.http_timeout_ms;
    http.connect_timeout_ms = cfg_.ws_connect_timeout_ms;
    hosts_[0].http = std::make_unique<net::HttpsClient>(io_, tls_, std::move(spot_url), http);
    hosts_[1].http = std::make_unique<net::HttpsClient>(io_, tls_, std::move(fut_url), http);
    hosts_[0].pacer = RequestPacer(tradingd::binance::pacer_windows(Host::Spot));
    hosts_[1].pacer = RequestPacer(tradingd::binance::pacer_windows(Host::Futures));
    for (const auto& i : instruments_) (i.id.kind == MarketKind::Spot ? has_spot_ : has_futures_) = true;
  }

  ~BinanceLiveVenue() override {
    *alive_ = false;
    stop();
  }

  Venue venue() const override { return Venue::Binance; }
  VenueCapabilities capabilities() const override {
    VenueCapabilities c;
    c.native_stop_orders = true;  // spot STOP_LOSS[_LIMIT]; USD-M through the algo-order API
    c.native_sl_tp = false;
    c.cancel_all = true;
    // countdownCancelAll exists on USD-M only; spot has no dead-man switch.
    c.dead_man_switch = has_futures_ && cfg_.dead_man_switch;
    c.amend = false;
    return c;
  }
  void set_event_sink(VenueEventSink* sink) override { sink_ = sink; }
  const LiveVenueStats& stats() const override { return stats_; }

  void start() override {
    if (started_) return;
    started_ = true;
    // Clock first: the user-data subscription is signed with the venue's time.
    if (has_spot_) sync_time(Host::Spot);
    if (has_futures_) sync_time(Host::Futures);
    if (has_spot_) start_spot_stream();
    if (has_futures_) {
      create_listen_key(false);
      if (cfg_.dead_man_switch) refresh_dead_man();
    }
  }

  void stop() override {
    if (!started_) return;
    started_ = false;
    if (spot_ws_) spot_ws_->stop();
    if (fut_ws_) fut_ws_->stop();
    for (auto& t : timers_) t->cancel();
    timers_.clear();
  }

  // --- orders ---------------------------------------------------------------------------------------------
  void submit(const OrderRequest& r) override {
    const Host host = tradingd::binance::host_of(r.instrument.kind);
    call(host, [this, r](std::int64_t ts) { return builder_.new_order(r, ts); }, false, [this, r](Outcome o) {
      if (!o.ok) {
        if (o.error.reason == VenueErrorReason::UnknownOutcome) {
          emit(OrderSubmitUnknown{r.instrument, r.client_order_id, now()});
        } else {
          emit(OrderRejected{r.instrument, r.client_order_id, o.error, now()});
        }
        return;
      }
      auto parsed = tradingd::binance::parse_order(o.response.body, r.instrument.kind);
      if (!parsed) {
        // The venue took the order (2xx) but the answer is unreadable: the engine resolves it by query.
        count_parse_error("order answer", parsed.error());
        emit(OrderSubmitUnknown{r.instrument, r.client_order_id, now()});
        return;
      }
      apply_report(parsed->report);
      for (auto& f : parsed->fills) emit_fill(f);
    });
  }

  void cancel(const CancelRequest& c) override {
    call(tradingd::binance::host_of(c.instrument.kind), [this, c](std::int64_t ts) { return builder_.cancel_order(c, ts); }, true,
         [this, c](Outcome o) {
           if (!o.ok) {
             // A USD-M conditional order lives in the algo book: cancel it there before calling it unknown.
             if (o.error.reason == VenueErrorReason::UnknownOrder && c.instrument.kind == MarketKind::LinearPerp)
               return cancel_algo(c, o.error);
             return emit(OrderCancelRejected{c.instrument, c.client_order_id, o.error, now()});
           }
           auto parsed = tradingd::binance::parse_order(o.response.body, c.instrument.kind);
           if (!parsed) return count_parse_error("cancel answer", parsed.error());
           apply_report(parsed->report);
         });
  }

  void cancel_all(const std::optional<InstrumentId>& instrument) override {
    std::vector<InstrumentId> targets;
    if (instrument) targets.push_back(*instrument);
    else
      for (const auto& i : instruments_) targets.push_back(i.id);
    for (const auto& id : targets) {
      if (id.kind == MarketKind::LinearPerp) {
        // Conditional orders are canceled apart (DELETE /fapi/v1/algoOpenOrders).
        call(Host::Futures, [this, id](std::int64_t ts) { return builder_.cancel_all_algo(id.symbol, ts); }, true, [id](Outcome o) {
          if (!o.ok && o.error.reason != VenueErrorReason::UnknownOrder)
            spdlog::warn("binance: algo cancel-all failed instrument={} code={}", id.to_string(), o.error.code);
        });
      }
      call(tradingd::binance::host_of(id.kind), [this, id](std::int64_t ts) { return builder_.cancel_all(id, ts); }, true,
           [this, id](Outcome o) {
             if (!o.ok) {
               // Spot answers -2011 when there was nothing to cancel.
               if (o.error.reason != VenueErrorReason::UnknownOrder)
                 spdlog::warn("binance: cancel-all failed instrument={} code={} reason={}", id.to_string(), o.error.code,
                              to_string(o.error.reason));
               return;
             }
             if (id.kind != MarketKind::Spot) return;  // USD-M answers {"code":200}; the stream reports each cancel
             auto list = tradingd::binance::parse_orders(o.response.body, id.kind);
             if (!list) return count_parse_error("cancel-all answer", list.error());
             for (const auto& r : *list) apply_report(r);
           });
    }
  }

  // --- queries --------------------------------------------------------------------------------------------
  void query_order(const InstrumentId& instrument, const ClientOrderId& id, VenueCallback<OrderStatusReport> done) override {
    call(tradingd::binance::host_of(instrument.kind), [this, instrument, id](std::int64_t ts) { return builder_.query_order(instrument, id, ts); },
         true, [this, instrument, id, done = std::move(done)](Outcome o) mutable {
           if (!o.ok) {
             // USD-M conditional orders live in the algo book: ask there before calling it unknown.
             if (o.error.reason == VenueErrorReason::UnknownOrder && instrument.kind == MarketKind::LinearPerp) {
               return call(Host::Futures, [this, id](std::int64_t ts) { return builder_.query_algo_order(id, ts); }, true,
                           [this, done = std::move(done), err = o.error](Outcome a) {
                             if (!a.ok) return done(Err{err});
                             auto p = tradingd::binance::parse_order(a.response.body, MarketKind::LinearPerp);
                             if (!p) return done(Err{VenueError{VenueErrorReason::Other, "parse", p.error()}});
                             done(p->report);
                           });
             }
             return done(Err{o.error});
           }
           auto p = tradingd::binance::parse_order(o.response.body, instrument.kind);
           if (!p) {
             count_parse_error("order query", p.error());
             return done(Err{VenueError{VenueErrorReason::Other, "parse", p.error()}});
           }
           remember_order(p->report.venue_order_id, p->report.client_order_id);
           done(p->report);
         });
  }

  void open_orders(const std::optional<InstrumentId>& instrument, VenueCallback<std::vector<OrderStatusReport>> done) override {
    std::vector<Host> hosts;
    if (instrument) hosts.push_back(tradingd::binance::host_of(instrument->kind));
    else {
      if (has_spot_) hosts.push_back(Host::Spot);
      if (has_futures_) hosts.push_back(Host::Futures);
    }
    if (hosts.empty()) return defer([done = std::move(done)] { done(std::vector<OrderStatusReport>{}); });
    struct Gather {
      std::size_t left;
      std::vector<OrderStatusReport> all;
      std::optional<VenueError> error;
      VenueCallback<std::vector<OrderStatusReport>> done;
    };
    auto g = std::make_shared<Gather>(Gather{hosts.size(), {}, std::nullopt, std::move(done)});
    std::optional<Symbol> symbol;
    if (instrument) symbol = instrument->symbol;
    for (Host h : hosts) {
      call(h, [this, h, symbol](std::int64_t ts) { return builder_.open_orders(h, symbol, ts); }, true, [this, g, h](Outcome o) {
        if (!o.ok) g->error = o.error;
        else if (auto list = tradingd::binance::parse_orders(o.response.body, h == Host::Spot ? MarketKind::Spot : MarketKind::LinearPerp)) {
          for (auto& r : *list) {
            remember_order(r.venue_order_id, r.client_order_id);
            g->all.push_back(r);
          }
        } else {
          count_parse_error("open orders", list.error());
          g->error = VenueError{VenueErrorReason::Other, "parse", list.error()};
        }
        if (--g->left == 0) {
          if (g->error) g->done(Err{*g->error});
          else g->done(std::move(g->all));
        }
      });
    }
  }

  void fills_since(const InstrumentId& instrument, UnixNanos since_ns, VenueCallback<std::vector<OrderFilled>> done) override {
    const std::int64_t since_ms = since_ns / kNanosPerMilli;
    call(tradingd::binance::host_of(instrument.kind), [this, instrument, since_ms](std::int64_t ts) { return builder_.trades(instrument, since_ms, ts); },
         true, [this, instrument, done = std::move(done)](Outcome o) {
           if (!o.ok) return done(Err{o.error});
           auto list = tradingd::binance::parse_trades(o.response.body, instrument.kind);
           if (!list) {
             count_parse_error("trades", list.error());
             return done(Err{VenueError{VenueErrorReason::Other, "parse", list.error()}});
           }
           for (auto& f : *list) {
             f.instrument.venue = Venue::Binance;
             // The REST trade lists name the order by venue id only.
             if (auto it = client_by_venue_.find(std::string(f.venue_order_id.view())); it != client_by_venue_.end())
               f.client_order_id = it->second;
           }
           done(std::move(*list));
         });
  }

  void account(VenueCallback<AccountReport> done) override {
    struct Gather {
      int left = 0;
      AccountReport report;
      std::optional<VenueError> error;
      VenueCallback<AccountReport> done;
    };
    auto g = std::make_shared<Gather>();
    g->done = std::move(done);
    g->report.venue = Venue::Binance;
    // Without configured instruments the spot wallet is what there is to report.
    const bool want_spot = has_spot_ || !has_futures_;
    g->left = (want_spot ? 1 : 0) + (has_futures_ ? 1 : 0);
    auto finish = [g] {
      if (--g->left > 0) return;
      if (g->error) return g->done(Err{*g->error});
      g->done(std::move(g->report));
    };
    if (want_spot) {
      call(Host::Spot, [this](std::int64_t ts) { return builder_.account(Host::Spot, ts); }, true, [this, g, finish](Outcome o) {
        if (!o.ok) g->error = o.error;
        else if (auto a = tradingd::binance::parse_spot_account(o.response.body)) {
          for (auto& b : a->balances) g->report.balances.push_back(b);
          g->report.ts_event_ns = std::max(g->report.ts_event_ns, a->ts_event_ns);
        } else {
          count_parse_error("spot account", a.error());
          g->error = VenueError{VenueErrorReason::Other, "parse", a.error()};
        }
        finish();
      });
    }
    if (has_futures_) {
      call(Host::Futures, [this](std::int64_t ts) { return builder_.position_risk(ts); }, true, [this, g, finish](Outcome o) {
        if (!o.ok) g->error = o.error;
        else if (auto p = tradingd::binance::parse_position_risk(o.response.body)) {
          for (auto& pos : *p)
            if (!pos.quantity.is_zero()) g->report.positions.push_back(pos);
        } else {
          count_parse_error("positionRisk", p.error());
          g->error = VenueError{VenueErrorReason::Other, "parse", p.error()};
        }
        // The futures wallet's balances only when no spot wallet is reported (one balance per asset).
        if (has_spot_) return finish();
        call(Host::Futures, [this](std::int64_t ts) { return builder_.account(Host::Futures, ts); }, true, [this, g, finish](Outcome a) {
          if (!a.ok) g->error = a.error;
          else if (auto acc = tradingd::binance::parse_futures_account(a.response.body)) {
            for (auto& b : acc->balances) g->report.balances.push_back(b);
          } else {
            count_parse_error("futures account", acc.error());
            g->error = VenueError{VenueErrorReason::Other, "parse", acc.error()};
          }
          finish();
        });
      });
    }
  }

  void set_leverage(const InstrumentId& instrument, int leverage, VenueCallback<int> done) override {
    if (instrument.kind != MarketKind::LinearPerp)
      return defer([done = std::move(done)] { done(Err{VenueError{VenueErrorReason::Other, "", "spot has no leverage"}}); });
    call(Host::Futures, [this, instrument, leverage](std::int64_t ts) { return builder_.set_leverage(instrument.symbol, leverage, ts); }, true,
         [this, done = std::move(done)](Outcome o) {
           if (!o.ok) return done(Err{o.error});
           auto l = tradingd::binance::parse_leverage(o.response.body);
           if (!l) return done(Err{VenueError{VenueErrorReason::Other, "parse", l.error()}});
           done(*l);
         });
  }

 private:
  struct HostState {
    std::unique_ptr<net::HttpsClient> http;
    RequestPacer pacer{{}};
    ServerTime time;
    bool syncing = false;
    std::vector<std::function<void()>> waiting_for_time;
  };
  using Factory = std::function<RestRequest(std::int64_t ts_ms)>;

  UnixNanos now() const { return clock_.now_ns(); }
  HostState& host(Host h) { return hosts_[h == Host::Spot ? 0 : 1]; }

  template <class F>
  void defer(F&& f) {
    hosts_[0].http->defer([w = std::weak_ptr<bool>(alive_), f = std::forward<F>(f)]() mutable {
      if (w.lock()) f();
    });
  }
  template <class F>
  void after_ms(std::int64_t ms, F&& f) {
    auto t = std::make_shared<asio::steady_timer>(io_, std::chrono::milliseconds(std::max<std::int64_t>(0, ms)));
    timers_.push_back(t);
    if (timers_.size() > 64) std::erase_if(timers_, [](const auto& p) { return p.use_count() == 1; });
    t->async_wait([w = std::weak_ptr<bool>(alive_), t, f = std::forward<F>(f)](const boost::system::error_code& ec) mutable {
      if (ec || !w.lock()) return;
      f();
    });
  }

  // Clock sync for one host: GET /time, the sample goes to ServerTime; waiting requests resume either way
  // (a failed sync keeps the last offset rather than blocking trading on it).
  void sync_time(Host h) {
    HostState& s = host(h);
    if (s.syncing) return;
    s.syncing = true;
    const RestRequest r = tradingd::binance::RequestBuilder::server_time(h);
    const UnixNanos sent = now();
    net::HttpRequest req;
    req.method = net::HttpMethod::Get;
    req.target = r.target;
    req.timeout_ms = cfg_.http_timeout_ms;
    s.http->request(std::move(req), [this, h, sent](net::HttpResult res) {
      HostState& st = host(h);
      st.syncing = false;
      const UnixNanos received = now();
      bool ok = false;
      if (res && res->status == 200) {
        if (auto ms = tradingd::binance::parse_server_time(res->body)) {
          ok = st.time.on_sample(*ms, sent, received);
          stats_.server_time_offset_ms = st.time.offset_ns() / kNanosPerMilli;
        }
      }
      if (!ok) spdlog::warn("binance: server time sync failed host={}", h == Host::Spot ? "spot" : "usdm");
      auto waiting = std::move(st.waiting_for_time);
      st.waiting_for_time.clear();
      for (auto& f : waiting) f();
    });
  }

  // One signed request through pacing, clock sync and the error rules; done gets the 2xx answer or the
  // mapped error. A -1021 resyncs the clock and retries once (the venue refused it: nothing executed).
  void call(Host h, Factory make, bool priority, std::function<void(Outcome)> done, int attempt = 0, bool time_checked = false) {
    HostState& s = host(h);
    const UnixNanos t = now();
    if (s.pacer.banned(t)) {
      stats_.banned = true;
      return defer([done = std::move(done)] {
        done(Outcome{false, {}, VenueError{VenueErrorReason::IpBanned, "418", "IP banned by Binance: nothing is sent until the ban ends"}});
      });
    }
    stats_.banned = false;
    if (!time_checked && s.time.needs_resync(t)) {
      s.waiting_for_time.push_back([this, h, make = std::move(make), priority, done = std::move(done), attempt]() mutable {
        call(h, std::move(make), priority, std::move(done), attempt, true);
      });
      sync_time(h);
      return;
    }
    RestRequest r = make(s.time.server_ms(t));
    const auto costs = tradingd::binance::costs_of(r);
    if (const std::int64_t wait_ns = s.pacer.admit(costs, t, priority); wait_ns > 0) {
      ++stats_.queued_for_rate_limit;
      after_ms((wait_ns + kNanosPerMilli - 1) / kNanosPerMilli, [this, h, make = std::move(make), priority, done = std::move(done), attempt]() mutable {
        call(h, std::move(make), priority, std::move(done), attempt, true);
      });
      return;
    }
    net::HttpRequest req;
    req.method = r.method == "POST" ? net::HttpMethod::Post : r.method == "PUT" ? net::HttpMethod::Put
                 : r.method == "DELETE" ? net::HttpMethod::Delete : net::HttpMethod::Get;
    req.target = std::move(r.target);
    if (!r.api_key.empty()) req.headers.push_back({"X-MBX-APIKEY", r.api_key});
    req.timeout_ms = cfg_.http_timeout_ms;
    req.idempotent = r.idempotent;
    ++stats_.requests;
    s.http->request(std::move(req), [this, h, make = std::move(make), priority, done = std::move(done), attempt](net::HttpResult res) mutable {
      HostState& st = host(h);
      const UnixNanos at = now();
      if (!res) {
        ++stats_.request_failures;
        Outcome o;
        if (res.error().kind == net::HttpFailure::UnknownOutcome) {
          ++stats_.unknown_outcomes;
          o.error = VenueError{VenueErrorReason::UnknownOutcome, "", res.error().to_string()};
        } else {
          o.error = VenueError{VenueErrorReason::Network, "", res.error().to_string()};
        }
        return done(std::move(o));
      }
      const auto hdr = tradingd::binance::read_rate_headers(h, [&](std::string_view name) {
        auto v = res->header(name);
        return v ? *v : std::string_view{};
      });
      if (hdr.used_weight_1m >= 0) st.pacer.observe_used(tradingd::binance::kWeight1m, hdr.used_weight_1m, at);
      if (hdr.order_count_10s >= 0) st.pacer.observe_used(tradingd::binance::kOrders10s, hdr.order_count_10s, at);
      if (hdr.order_count_long >= 0) st.pacer.observe_used(tradingd::binance::kOrdersLong, hdr.order_count_long, at);
      const int status = res->status;
      if (status >= 200 && status < 300 && !tradingd::binance::is_error_body(res->body)) {
        return done(Outcome{true, std::move(*res), {}});
      }
      VenueError err = tradingd::binance::parse_error(status, res->body);
      const std::int64_t retry_ns = (hdr.retry_after_s > 0 ? hdr.retry_after_s : 60) * kNanosPerSecond;
      if (status == 418 || err.reason == VenueErrorReason::IpBanned) {
        // Every host of this venue shares the IP: stop sending to Binance until the ban ends.
        for (auto& hs : hosts_) hs.pacer.ban_until(at + retry_ns);
        stats_.banned = true;
        spdlog::critical("ALERT binance: IP banned (HTTP {}), nothing is sent for {} s code={} msg=\"{}\"", status,
                         retry_ns / kNanosPerSecond, err.code, err.message);
      } else if (status == 429 || err.reason == VenueErrorReason::RateLimited) {
        ++stats_.rate_limited;
        // Spot and USD-M count weight apart: only this host waits.
        st.pacer.block_until(at + retry_ns);
        spdlog::warn("binance: rate limited (HTTP {}), holding requests for {} s code={}", status, retry_ns / kNanosPerSecond, err.code);
      } else if (err.reason == VenueErrorReason::Timestamp && attempt == 0) {
        ++stats_.timestamp_resyncs;
        st.time.invalidate();
        spdlog::warn("binance: timestamp outside recvWindow, resyncing the clock code={}", err.code);
        return call(h, std::move(make), priority, std::move(done), attempt + 1, false);
      }
      done(Outcome{false, {}, std::move(err)});
    });
  }

  void cancel_algo(const CancelRequest& c, VenueError first) {
    call(Host::Futures, [this, c](std::int64_t ts) { return builder_.cancel_algo_order(c.client_order_id, ts); }, true,
         [this, c, first = std::move(first)](Outcome o) {
           if (!o.ok) return emit(OrderCancelRejected{c.instrument, c.client_order_id, o.error.reason == VenueErrorReason::UnknownOrder ? first : o.error, now()});
           // The answer is {"algoId","clientAlgoId","code":"200","msg":"success"}: the cancel took effect.
           OrderFlags& f = flags(c.client_order_id);
           if (f.final_sent) return;
           f.final_sent = true;
           emit(OrderCanceled{c.instrument, c.client_order_id, c.venue_order_id, now()});
         });
  }

  // --- events ---------------------------------------------------------------------------------------------
  void emit(const VenueEvent& e) {
    if (sink_) sink_->on_venue_event(e);
  }

  struct OrderFlags {
    bool accepted = false;
    bool final_sent = false;
  };
  OrderFlags& flags(const ClientOrderId& id) {
    auto [it, inserted] = orders_.try_emplace(std::string(id.view()));
    if (inserted) {
      order_keys_.push_back(it->first);
      if (order_keys_.size() > kMaxRemembered) {
        orders_.erase(order_keys_.front());
        order_keys_.pop_front();
      }
    }
    return it->second;
  }
  void remember_order(const VenueOrderId& v, const ClientOrderId& c) {
    if (v.empty() || c.empty()) return;
    if (client_by_venue_.size() > kMaxRemembered) client_by_venue_.clear();
    client_by_venue_[std::string(v.view())] = c;
  }

  // A REST view of an order → the events it implies, each once (the stream may report the same).
  void apply_report(const OrderStatusReport& r) {
    remember_order(r.venue_order_id, r.client_order_id);
    OrderFlags& f = flags(r.client_order_id);
    if (r.status == OrderStatus::Rejected) {
      if (!f.final_sent) emit(OrderRejected{r.instrument, r.client_order_id, VenueError{VenueErrorReason::Other, "REJECTED", "rejected"}, r.ts_event_ns});
      f.final_sent = true;
      return;
    }
    if (!f.accepted) {
      f.accepted = true;
      emit(OrderAccepted{r.instrument, r.client_order_id, r.venue_order_id, r.ts_event_ns});
    }
    if (f.final_sent) return;
    if (r.status == OrderStatus::Canceled) {
      f.final_sent = true;
      emit(OrderCanceled{r.instrument, r.client_order_id, r.venue_order_id, r.ts_event_ns});
    } else if (r.status == OrderStatus::Expired) {
      f.final_sent = true;
      emit(OrderExpired{r.instrument, r.client_order_id, r.venue_order_id, r.ts_event_ns});
    }
  }

  void emit_fill(OrderFilled f) {
    f.instrument.venue = Venue::Binance;
    std::string key = f.instrument.to_string() + "#" + std::string(f.trade_id.view());
    if (!seen_trades_.insert(key).second) {
      ++stats_.duplicate_fills_dropped;
      return;
    }
    trade_keys_.push_back(std::move(key));
    if (trade_keys_.size() > kMaxRemembered) {
      seen_trades_.erase(trade_keys_.front());
      trade_keys_.pop_front();
    }
    emit(f);
  }

  void on_stream_event(const VenueEvent& e) {
    if (const auto* f = std::get_if<OrderFilled>(&e)) return emit_fill(*f);
    if (const auto* a = std::get_if<OrderAccepted>(&e)) {
      remember_order(a->venue_order_id, a->client_order_id);
      OrderFlags& fl = flags(a->client_order_id);
      // Already accepted, or already final (an out-of-order NEW after the CANCELED): nothing new.
      if (fl.accepted || fl.final_sent) return;
      fl.accepted = true;
      return emit(e);
    }
    auto final_once = [&](const ClientOrderId& id) {
      OrderFlags& fl = flags(id);
      if (fl.final_sent) return;
      fl.final_sent = true;
      emit(e);
    };
    if (const auto* c = std::get_if<OrderCanceled>(&e)) return final_once(c->client_order_id);
    if (const auto* x = std::get_if<OrderExpired>(&e)) return final_once(x->client_order_id);
    if (const auto* r = std::get_if<OrderRejected>(&e)) return final_once(r->client_order_id);
    emit(e);
  }

  void count_parse_error(std::string_view what, const std::string& err) {
    ++stats_.private_stream_parse_errors;
    // Rate-limited: the first ten, then every hundredth.
    if (stats_.private_stream_parse_errors <= 10 || stats_.private_stream_parse_errors % 100 == 0)
      spdlog::warn("binance: unreadable {} error=\"{}\" count={}", what, err, stats_.private_stream_parse_errors);
  }

  void on_private_text(std::string_view text, MarketKind kind) {
    ++stats_.private_stream_messages;
    auto m = tradingd::binance::parse_user_stream(text, kind);
    if (!m) return count_parse_error("private-stream frame", m.error());
    switch (m->kind) {
      case StreamMessageKind::Events:
        for (const auto& e : m->events) on_stream_event(e);
        break;
      case StreamMessageKind::ListenKeyExpired:
        spdlog::warn("binance: USD-M listen key expired, renewing");
        set_stream_connected(1, false);
        create_listen_key(true);
        break;
      case StreamMessageKind::StreamTerminated:
        set_stream_connected(0, false);
        if (spot_ws_) spot_ws_->reconnect();
        break;
      case StreamMessageKind::WsApiResponse:
        if (m->response.error_code != 0) {
          spdlog::warn("binance: user-data subscription refused code={} msg=\"{}\"", m->response.error_code, m->response.error_msg);
          if (m->response.error_code == -1021) host(Host::Spot).time.invalidate(), sync_time(Host::Spot);
          if (spot_ws_) spot_ws_->reconnect();
        } else if (m->response.subscription_id >= 0) {
          set_stream_connected(0, true);
        }
        break;
      case StreamMessageKind::Ignored: break;
    }
  }

  // Stream 0: spot user data; 1: USD-M user data. The venue is "connected" when every needed one is up.
  void set_stream_connected(int which, bool up) {
    const bool before = aggregate_connected();
    stream_up_[which] = up;
    const bool after = aggregate_connected();
    stats_.private_stream_connected = after;
    if (before != after) emit(VenueConnectionChanged{Venue::Binance, after, now()});
  }
  bool aggregate_connected() const { return (!has_spot_ || stream_up_[0]) && (!has_futures_ || stream_up_[1]); }

  net::WsOptions ws_options(std::string log_name) const {
    net::WsOptions o;
    o.connect_timeout_ms = cfg_.ws_connect_timeout_ms;
    o.log_name = std::move(log_name);
    return o;
  }
  net::ReconnectOptions reconnect_options() const {
    net::ReconnectOptions r;
    r.max_connection_age_ms = 23 * 3600'000LL;  // Binance cuts connections at 24 h
    r.seed = static_cast<std::uint64_t>(now());
    r.backoff.initial_ms = 200;
    return r;
  }

  void start_spot_stream() {
    net::ReconnectingWsHandlers hd;
    hd.on_open = [this](net::WsSession& session) {
      // The subscription is signed per connection (re-subscribe on every reconnect).
      const std::int64_t ts = host(Host::Spot).time.server_ms(now());
      session.send_text(builder_.ws_subscribe_signature("sub-" + std::to_string(++ws_request_id_), ts));
    };
    hd.on_text = [this](std::string_view text) { on_private_text(text, MarketKind::Spot); };
    hd.on_disconnected = [this](const net::NetError&) {
      if (stream_up_[0]) ++stats_.private_stream_reconnects;
      set_stream_connected(0, false);
    };
    spot_ws_ = std::make_unique<net::ReconnectingWs>(io_, tls_, ws_api_url_, ws_options("binance-ws-api"), net::binance_heartbeat(),
                                                    reconnect_options(), std::move(hd));
    spot_ws_->start();
  }

  void start_futures_stream() {
    net::ReconnectingWsHandlers hd;
    const std::string prefix = tradingd::binance::futures_user_stream_prefix(fut_ws_url_.target.substr(0, fut_ws_url_.target.find('?')));
    hd.target = [this, prefix] { return prefix + listen_key_; };
    hd.on_open = [this](net::WsSession&) { set_stream_connected(1, true); };
    hd.on_text = [this](std::string_view text) { on_private_text(text, MarketKind::LinearPerp); };
    hd.on_disconnected = [this](const net::NetError&) {
      if (stream_up_[1]) ++stats_.private_stream_reconnects;
      set_stream_connected(1, false);
      // The key may have expired unnoticed (a missed keep-alive, an expiry notice lost with the connection):
      // POST returns the active key or a new one, which the scheduled reconnect then uses.
      refresh_listen_key();
    };
    // The listen key is in the URL: the log name must not carry it.
    fut_ws_ = std::make_unique<net::ReconnectingWs>(io_, tls_, fut_ws_url_, ws_options("binance-usdm-user-data"),
                                                   net::binance_heartbeat(), reconnect_options(), std::move(hd));
    fut_ws_->start();
  }

  // POST /fapi/v1/listenKey (returns the active key, or a new one), then (re)connect the stream with it.
  void create_listen_key(bool renewal) {
    call(Host::Futures, [this](std::int64_t) { return builder_.listen_key("POST"); }, true, [this, renewal](Outcome o) {
      if (!started_) return;
      auto key = o.ok ? tradingd::binance::parse_listen_key(o.response.body) : Result<std::string, std::string>(Err{o.error.message});
      if (!key) {
        spdlog::warn("binance: cannot get a listen key error=\"{}\", retrying in 5 s", key.error());
        return after_ms(5'000, [this, renewal] { if (started_) create_listen_key(renewal); });
      }
      listen_key_ = *key;
      if (!fut_ws_) start_futures_stream();
      else fut_ws_->reconnect();
      if (!keepalive_armed_) {
        keepalive_armed_ = true;
        after_ms(kListenKeyKeepAliveMs, [this] { keep_alive(); });
      }
    });
  }

  void refresh_listen_key() {
    if (refreshing_key_) return;
    refreshing_key_ = true;
    call(Host::Futures, [this](std::int64_t) { return builder_.listen_key("POST"); }, true, [this](Outcome o) {
      refreshing_key_ = false;
      if (!started_ || !o.ok) return;
      if (auto key = tradingd::binance::parse_listen_key(o.response.body)) listen_key_ = *key;
    });
  }

  void keep_alive() {
    keepalive_armed_ = false;
    if (!started_) return;
    call(Host::Futures, [this](std::int64_t) { return builder_.listen_key("PUT"); }, true, [this](Outcome o) {
      if (!started_) return;
      if (!o.ok) {
        // -1125: the key is gone; anything else: try a new one as well (POST returns the active key).
        spdlog::warn("binance: listen key keep-alive failed code={}, renewing", o.error.code);
        return create_listen_key(true);
      }
      keepalive_armed_ = true;
      after_ms(kListenKeyKeepAliveMs, [this] { keep_alive(); });
    });
  }

  // The USD-M dead-man switch: countdownCancelAll per configured perpetual, re-armed at a quarter of the
  // timeout so one lost refresh does not fire it.
  void refresh_dead_man() {
    if (!started_) return;
    const std::int64_t countdown_ms = std::max<std::int64_t>(cfg_.dead_man_switch_timeout_s, 1) * 1000;
    for (const auto& i : instruments_) {
      if (i.id.kind != MarketKind::LinearPerp) continue;
      const Symbol sym = i.id.symbol;
      call(Host::Futures, [this, sym, countdown_ms](std::int64_t ts) { return builder_.countdown_cancel_all(sym, countdown_ms, ts); }, true,
           [this, sym](Outcome o) {
             if (o.ok) {
               ++stats_.dead_man_refreshes;
             } else {
               ++stats_.dead_man_failures;
               spdlog::warn("binance: dead-man switch refresh failed symbol={} code={}", sym.view(), o.error.code);
             }
           });
    }
    after_ms(std::max<std::int64_t>(countdown_ms / 4, 250), [this] { refresh_dead_man(); });
  }

  asio::io_context& io_;
  std::shared_ptr<net::TlsContext> tls_;
  const Clock& clock_;
  config::VenueConfig cfg_;
  std::vector<Instrument> instruments_;
  tradingd::binance::BinanceSigner signer_;
  tradingd::binance::RequestBuilder builder_;
  tradingd::binance::LiveEndpoints endpoints_;
  net::Url ws_api_url_, fut_ws_url_;
  HostState hosts_[2];
  VenueEventSink* sink_ = nullptr;
  LiveVenueStats stats_;
  bool has_spot_ = false, has_futures_ = false, started_ = false, keepalive_armed_ = false, refreshing_key_ = false;
  bool stream_up_[2] = {false, false};
  std::unique_ptr<net::ReconnectingWs> spot_ws_, fut_ws_;
  std::string listen_key_;
  std::uint64_t ws_request_id_ = 0;
  std::unordered_map<std::string, OrderFlags> orders_;
  std::deque<std::string> order_keys_;
  std::unordered_map<std::string, ClientOrderId> client_by_venue_;
  std::unordered_set<std::string> seen_trades_;
  std::deque<std::string> trade_keys_;
  std::vector<std::shared_ptr<asio::steady_timer>> timers_;
  std::shared_ptr<bool> alive_;
};

}  // namespace

Result<std::unique_ptr<LiveVenue>, std::string> make_live_venue(const LiveVenueContext& ctx) {
  const auto& creds = ctx.credentials;
  if (!creds.has_key()) return Err{std::string("binance: API key and secret are required (TRADINGD_BINANCE_API_KEY/_API_SECRET)")};
  auto signer = tradingd::binance::BinanceSigner::make(creds.api_key, creds.api_secret.reveal());
  if (!signer) return Err{"binance: " + signer.error()};
  tradingd::binance::LiveEndpoints ep = tradingd::binance::live_endpoints(ctx.config.venues.binance);
  auto spot = net::parse_url(ep.spot_rest);
  if (!spot) return Err{"binance spot REST URL: " + spot.error()};
  auto fut = net::parse_url(ep.futures_rest);
  if (!fut) return Err{"binance USD-M REST URL: " + fut.error()};
  auto ws_api = net::parse_url(ep.ws_api);
  if (!ws_api) return Err{"binance WebSocket API URL: " + ws_api.error()};
  auto fut_ws = net::parse_url(ep.futures_ws);
  if (!fut_ws) return Err{"binance USD-M stream URL: " + fut_ws.error()};
  spdlog::info("binance: live adapter key={} spot={} usdm={} ws_api={} usdm_ws={}", config::mask_api_key(creds.api_key),
               spot->to_log_string(), fut->to_log_string(), ws_api->to_log_string(), fut_ws->to_log_string());
  return std::unique_ptr<LiveVenue>(new BinanceLiveVenue(ctx, std::move(*signer), std::move(ep), std::move(*spot), std::move(*fut),
                                                         std::move(*ws_api), std::move(*fut_ws)));
}

}  // namespace tradingd::live::binance
