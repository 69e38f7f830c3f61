// FeedClient's implementation (see feed_client.h). Frames flow: ReconnectingWs → recorder → FeedDecoder
// → Listener (one per connection) → the sink, with staleness, latency and status bookkeeping per event.
// Instruments are stored as unique_ptrs so callbacks (REST snapshots) can find them by id later.
#include "exchange/net/feed_client.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <exception>
#include <random>
#include <unordered_map>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <spdlog/spdlog.h>

#include "exchange/decoder.h"
#include "exchange/instrument_lookup.h"
#include "exchange/net/frame_recorder.h"
#include "exchange/net/instrument_cache.h"
#include "exchange/net/log_limiter.h"
#include "exchange/net/reconnecting_ws.h"
#include "exchange/net/staleness.h"
#include "exchange/parse_types.h"

namespace tradingd::net {

static_assert(kWsReadPadding >= kParsePadding, "frames must carry the parser's padding");

FeedClientOptions feed_client_options(const config::Config& config, Venue venue) {
  const auto& md = config.market_data;
  const auto& vc = config.venues.get(venue);
  FeedClientOptions o;
  o.stale_after_ms = md.stale_after_ms;
  o.book_depth = md.book_depth;
  o.record_dir = md.record_dir;
  o.instrument_cache_dir = md.instrument_cache_dir.empty() ? config.state_dir + "/instruments" : md.instrument_cache_dir;
  o.reconnect.initial_ms = md.reconnect_initial_ms;
  o.reconnect.max_ms = md.reconnect_max_ms;
  o.ws.connect_timeout_ms = vc.ws_connect_timeout_ms;
  o.ws.tls_handshake_timeout_ms = vc.ws_connect_timeout_ms;
  o.ws.ws_handshake_timeout_ms = vc.ws_connect_timeout_ms;
  o.ws.resolve_timeout_ms = vc.ws_connect_timeout_ms;
  // Different daemons (and restarts) must not reconnect in lockstep after a venue outage.
  o.seed = std::random_device{}() ^ (static_cast<std::uint64_t>(venue) << 32);
  return o;
}

namespace {
std::string_view market_name(MarketKind k) { return k == MarketKind::Spot ? "spot" : "linear_perp"; }
}  // namespace

class FeedClient::Impl : public std::enable_shared_from_this<FeedClient::Impl> {
 public:
  struct Conn;
  struct Inst;

  // Receives one connection's decoded events; forwards them to the sink with the bookkeeping.
  struct Listener final : DecoderListener {
    Listener(Impl& impl, std::size_t conn) : self(impl), ci(conn) {}
    void on_trade(const TradeTick& t) override { self.deliver(t.instrument, t.ts_event_ns, t.ts_recv_ns, [&](auto& s) { s.on_trade(t); }); }
    void on_quote(const QuoteTick& q) override { self.deliver(q.instrument, q.ts_event_ns, q.ts_recv_ns, [&](auto& s) { s.on_quote(q); }); }
    void on_book(const BookUpdate& b) override {
      self.on_book_applied(b);
      self.deliver(b.instrument, b.ts_event_ns, b.ts_recv_ns, [&](auto& s) { s.on_book(b); });
    }
    void on_bar(const Bar& b) override { self.deliver(b.instrument, 0, b.ts_recv_ns, [&](auto& s) { s.on_bar(b); }); }
    void on_mark_price(const MarkPriceUpdate& m) override {
      self.deliver(m.instrument, m.ts_event_ns, m.ts_recv_ns, [&](auto& s) { s.on_mark_price(m); });
    }
    void on_funding_rate(const FundingRateUpdate& f) override {
      self.deliver(f.instrument, f.ts_event_ns, f.ts_recv_ns, [&](auto& s) { s.on_funding_rate(f); });
    }
    void on_control(const ControlMessage& m, UnixNanos) override { self.on_control(ci, m); }
    void on_rejected(const ParseError& e, std::string_view frame, UnixNanos) override { self.on_rejected(ci, e, frame); }
    void on_book_sync(const InstrumentId& id, const SyncResult& r, UnixNanos) override { self.on_book_sync(id, r); }
    Impl& self;
    std::size_t ci;
  };

  struct Conn {
    FeedConnectionSpec spec;
    std::shared_ptr<WsStats> stats = std::make_shared<WsStats>();
    std::unique_ptr<InstrumentLookup> lookup;
    std::unique_ptr<Listener> listener;
    std::unique_ptr<FeedDecoder> decoder;
    std::unique_ptr<ReconnectingWs> ws;
    std::vector<std::string> topics;
    std::size_t topics_in_url = 0;  // how many of topics the current connection's URL carried
    bool open = false;
    bool ever_open = false;
    std::unique_ptr<FrameRecorder> recorder;
    std::unique_ptr<FrameRecorder> snapshots;
  };

  struct Inst {
    InstrumentId id;
    std::uint32_t channels = 0;
    std::vector<FeedTopic> topics;      // every topic wanted; `active` ones are on their connections
    std::vector<std::size_t> conns;     // connections carrying them (unique)
    std::optional<std::size_t> book_conn;
    std::string book_topic;
    std::optional<Instrument> rules;
    std::size_t stale_idx = 0;
    bool active = false;
    bool missing = false;
    bool got_data = false;
    bool book_ever_valid = false;
    bool resubscribe_pending = false;
    std::int64_t resync_started_ms = 0;
    bool snapshot_in_flight = false;
    int snapshot_attempts = 0;
    std::int64_t snapshot_retry_at_ms = -1;
    Backoff snapshot_backoff;
    std::optional<FeedStatus> reported;
    Inst(const InstrumentId& i, const BackoffOptions& b, std::uint64_t seed) : id(i), snapshot_backoff(b, seed) {}
  };

  struct KindLoad {
    enum class State : std::uint8_t { Idle, Loading, Loaded, Failed } state = State::Idle;
    std::int64_t retry_at_ms = -1;
    std::vector<Instrument> instruments;
  };

  Impl(boost::asio::io_context& io, std::shared_ptr<TlsContext> tls, std::unique_ptr<FeedSpec> spec,
       std::unique_ptr<MarketDataRest> rest, MarketDataSink& sink, const Clock& clock, FeedClientOptions options,
       InstrumentCallback on_instruments)
      : io_(io),
        tls_(std::move(tls)),
        spec_(std::move(spec)),
        rest_(std::move(rest)),
        sink_(sink),
        clock_(clock),
        options_(std::move(options)),
        on_instruments_(std::move(on_instruments)),
        staleness_(options_.stale_after_ms),
        load_backoff_(options_.reconnect, options_.seed ^ 0x5bd1e995u),
        tick_timer_(io) {
    for (const auto& cs : spec_->connections()) {
      auto c = std::make_unique<Conn>();
      c->spec = cs;
      c->lookup = std::make_unique<InstrumentLookup>(spec_->venue());
      c->listener = std::make_unique<Listener>(*this, conns_.size());
      c->decoder = make_feed_decoder(spec_->venue(), cs.kind, *c->lookup, *c->listener);
      stats_.connections.emplace_back(cs.name, c->stats);
      conns_.push_back(std::move(c));
    }
    stats_.rest = rest_->http_stats();
  }

  Venue venue() const { return spec_->venue(); }

  void subscribe(const InstrumentId& id, std::uint32_t channels) {
    if (id.venue != venue()) {
      spdlog::error("Subscription for another venue ignored venue={} instrument={}", to_string(venue()), id.to_string());
      return;
    }
    Inst* in = find(id);
    if (in == nullptr) {
      insts_.push_back(std::make_unique<Inst>(id, options_.reconnect, options_.seed + insts_.size() * 7919));
      in = insts_.back().get();
      index_.emplace(id, insts_.size() - 1);
      in->stale_idx = staleness_.add(now_ms());
      stale_owner_.push_back(in);
    }
    const std::uint32_t added = channels & ~in->channels;
    if (added == 0) return;
    in->channels |= added;
    for (auto& t : spec_->topics(id, added)) {
      if (t.connection >= conns_.size()) continue;
      if (t.is_book) {
        in->book_conn = t.connection;
        in->book_topic = t.topic;
      }
      in->topics.push_back(t);
      if (in->active) add_topic(*in, in->topics.back());
    }
    for (const auto& t : in->topics)
      if (std::find(in->conns.begin(), in->conns.end(), t.connection) == in->conns.end()) in->conns.push_back(t.connection);
    if (!running_) return;
    if (in->active) {
      ensure_connections();
    } else {
      on_new_instrument(*in);
    }
  }

  void start() {
    if (running_) return;
    running_ = true;
    schedule_tick();
    for (auto& in : insts_) {
      if (in->active || in->missing) continue;
      on_new_instrument(*in);
    }
    ensure_connections();
  }

  // report=false: the owner is being destroyed (its sink may be gone): no more callbacks.
  void stop(bool report_status = true) {
    if (!running_) return;
    running_ = false;
    tick_timer_.cancel();
    for (auto& c : conns_) {
      c->ws.reset();
      c->open = false;
      if (c->recorder) c->recorder->flush();
      if (c->snapshots) c->snapshots->flush();
    }
    if (report_status) {
      for (auto& in : insts_) report(*in, FeedStatus::Disconnected);
    }
  }

  const Instrument* instrument(const InstrumentId& id) const {
    const Inst* in = find(id);
    return in && in->rules ? &*in->rules : nullptr;
  }
  FeedStatus status(const InstrumentId& id) const {
    const Inst* in = find(id);
    return in && in->reported ? *in->reported : FeedStatus::Disconnected;
  }
  const OrderBook* book(const InstrumentId& id) const {
    const Inst* in = find(id);
    if (in == nullptr || !in->book_conn) return nullptr;
    return conns_[*in->book_conn]->decoder->book(id);
  }
  const MarketDataStats& stats() const { return stats_; }

  void resync(const InstrumentId& id) {
    if (Inst* in = find(id); in && in->active && in->book_conn) start_resync(*in);
  }

 private:
  std::int64_t now_ms() const { return clock_.monotonic_ns() / kNanosPerMilli; }

  Inst* find(const InstrumentId& id) const {
    auto it = index_.find(id);
    return it == index_.end() ? nullptr : insts_[it->second].get();
  }

  // ---- instruments -------------------------------------------------------------------------------------

  KindLoad& load_state(MarketKind k) { return loads_[static_cast<std::size_t>(k)]; }

  void on_new_instrument(Inst& in) {
    KindLoad& kl = load_state(in.id.kind);
    if (kl.state == KindLoad::State::Loaded) {
      validate(in, kl);
      ensure_connections();
    } else if (kl.state == KindLoad::State::Idle) {
      load_kind(in.id.kind);
    }
    recompute(in);
  }

  void load_kind(MarketKind kind) {
    load_state(kind).state = KindLoad::State::Loading;
    rest_->fetch_instrument_pages(kind, [weak = weak_from_this(), kind](Result<std::vector<std::string>, std::string> r) {
      if (auto self = weak.lock()) self->on_instrument_pages(kind, std::move(r));
    });
  }

  void on_instrument_pages(MarketKind kind, Result<std::vector<std::string>, std::string> pages) {
    if (!running_) {
      load_state(kind).state = KindLoad::State::Idle;
      return;
    }
    InstrumentReport report;
    report.venue = venue();
    report.kind = kind;
    const auto cache = options_.instrument_cache_dir.empty()
                           ? std::filesystem::path{}
                           : instrument_cache_path(options_.instrument_cache_dir, to_string(venue()), market_name(kind));
    std::optional<std::vector<Instrument>> list;
    std::string rest_error = pages.ok() ? std::string{} : pages.error();
    if (pages.ok()) {
      auto parsed = rest_->parse_instruments(kind, *pages);
      if (parsed.ok()) {
        list = std::move(*parsed);
        if (!cache.empty()) {
          if (auto w = write_instrument_cache(cache, *pages); !w.ok())
            spdlog::warn("Cannot write the instrument cache venue={} error=\"{}\"", to_string(venue()), w.error());
        }
      } else {
        rest_error = "the instrument list did not parse: " + parsed.error();
      }
    }
    if (!list && !cache.empty()) {
      auto cached = read_instrument_cache(cache);
      if (cached.ok()) {
        auto parsed = rest_->parse_instruments(kind, *cached);
        if (parsed.ok()) {
          list = std::move(*parsed);
          report.from_cache = true;
          stats_.instruments_from_cache.add();
          spdlog::warn("Instrument list from the cache, the venue is unreachable venue={} market={} error=\"{}\" cache={}",
                       to_string(venue()), market_name(kind), rest_error, cache.string());
        }
      }
    }
    KindLoad& kl = load_state(kind);
    if (!list) {
      stats_.instrument_load_failures.add();
      kl.state = KindLoad::State::Failed;
      kl.retry_at_ms = now_ms() + load_backoff_.next_delay_ms();
      report.error = rest_error.empty() ? "no instrument list" : rest_error;
      spdlog::error("Cannot load instruments venue={} market={} error=\"{}\" (no usable cache); retrying",
                    to_string(venue()), market_name(kind), report.error);
      notify(report);
      return;
    }
    load_backoff_.reset();
    kl.state = KindLoad::State::Loaded;
    kl.instruments = std::move(*list);
    report.ok = true;
    for (auto& in : insts_) {
      if (in->id.kind != kind || in->active || in->missing) continue;
      validate(*in, kl);
      if (in->missing) report.missing.push_back(in->id);
    }
    spdlog::info("Instruments loaded venue={} market={} listed={} missing={} from_cache={}", to_string(venue()),
                 market_name(kind), kl.instruments.size(), report.missing.size(), report.from_cache);
    notify(report);
    ensure_connections();
  }

  void notify(const InstrumentReport& r) {
    if (!on_instruments_) return;
    try {
      on_instruments_(r);
    } catch (const std::exception& e) {
      spdlog::error("Instrument callback threw error={}", e.what());
    }
  }

  void validate(Inst& in, const KindLoad& kl) {
    for (const auto& i : kl.instruments) {
      if (i.id == in.id) {
        in.rules = i;
        activate(in);
        return;
      }
    }
    in.missing = true;
    spdlog::error("Instrument not listed by the venue, not subscribed instrument={}", in.id.to_string());
    recompute(in);
  }

  void activate(Inst& in) {
    in.active = true;
    staleness_.on_message(in.stale_idx, now_ms());
    for (const auto& t : in.topics) add_topic(in, t);
    recompute(in);
  }

  void add_topic(Inst& in, const FeedTopic& t) {
    Conn& c = *conns_[t.connection];
    c.lookup->add(in.id);
    if (std::find(c.topics.begin(), c.topics.end(), t.topic) != c.topics.end()) return;
    c.topics.push_back(t.topic);
    if (c.open) send_subscriptions(t.connection, std::span<const std::string>(&c.topics.back(), 1), true);
  }

  // ---- connections -------------------------------------------------------------------------------------

  void ensure_connections() {
    if (!running_) return;
    for (std::size_t ci = 0; ci < conns_.size(); ++ci) {
      Conn& c = *conns_[ci];
      if (c.ws || c.topics.empty()) continue;
      ReconnectingWsHandlers h;
      std::weak_ptr<Impl> weak = weak_from_this();
      if (c.spec.topics_in_url) {
        h.target = [weak, ci]() -> std::string {
          auto self = weak.lock();
          if (!self) return {};
          Conn& conn = *self->conns_[ci];
          conn.topics_in_url = conn.topics.size();
          return self->spec_->target(ci, conn.topics);
        };
      }
      h.on_open = [weak, ci](WsSession& s) {
        if (auto self = weak.lock()) self->on_open(ci, s);
      };
      h.on_text = [weak, ci](std::string_view text) {
        if (auto self = weak.lock()) self->on_frame(ci, text);
      };
      h.on_disconnected = [weak, ci](const NetError& e) {
        if (auto self = weak.lock()) self->on_lost(ci, e);
      };
      ReconnectOptions ro;
      ro.backoff = options_.reconnect;
      ro.seed = options_.seed + ci * 104729;
      ro.tick_ms = options_.reconnect_tick_ms;
      ro.max_connection_age_ms = c.spec.max_connection_age_ms;
      c.ws = std::make_unique<ReconnectingWs>(io_, tls_, c.spec.url, options_.ws, c.spec.heartbeat, ro, std::move(h), c.stats);
      if (!options_.record_dir.empty() && !c.recorder) {
        c.recorder = std::make_unique<FrameRecorder>(
            recording_path(options_.record_dir, to_string(venue()), c.spec.name, clock_.now_ns(), ".jsonl"));
        if (!c.recorder->ok()) spdlog::error("Frame recording disabled error=\"{}\"", c.recorder->error());
      }
      c.ws->start();
    }
  }

  void send_subscriptions(std::size_t ci, std::span<const std::string> topics, bool subscribe) {
    Conn& c = *conns_[ci];
    for (auto& msg : spec_->subscription_messages(ci, topics, subscribe, next_request_id_)) {
      if (!c.ws || !c.ws->send_text(std::move(msg)))
        spdlog::error("Cannot send a subscription connection={} (not open or queue full)", c.spec.name);
    }
  }

  void on_open(std::size_t ci, WsSession& session) {
    Conn& c = *conns_[ci];
    c.open = true;
    c.ever_open = true;
    // Topics not in the URL (added while connecting, or every topic on venues that subscribe by message).
    const std::size_t first = c.spec.topics_in_url ? std::min(c.topics_in_url, c.topics.size()) : 0;
    if (first < c.topics.size()) {
      for (auto& msg : spec_->subscription_messages(
               ci, std::span<const std::string>(c.topics.data() + first, c.topics.size() - first), true, next_request_id_))
        if (!session.send_text(std::move(msg))) spdlog::error("Cannot send a subscription connection={}", c.spec.name);
    }
    const std::int64_t now = now_ms();
    for (auto& in : insts_) {
      if (!in->active || std::find(in->conns.begin(), in->conns.end(), ci) == in->conns.end()) continue;
      staleness_.on_message(in->stale_idx, now);  // give the new subscription stale_after_ms to deliver
      if (in->book_conn == ci) in->resubscribe_pending = false;  // the fresh subscription brings a snapshot
      recompute(*in);
    }
  }

  void on_lost(std::size_t ci, const NetError&) {
    Conn& c = *conns_[ci];
    c.open = false;
    for (auto& in : insts_) {
      if (!in->active || std::find(in->conns.begin(), in->conns.end(), ci) == in->conns.end()) continue;
      in->got_data = false;
      // Bybit/OKX books restart from the snapshot the next subscription sends; until then they are invalid.
      if (in->book_conn == ci && !spec_->resync_by_snapshot()) c.decoder->reset_book(in->id);
      recompute(*in);
    }
  }

  void on_frame(std::size_t ci, std::string_view text) {
    Conn& c = *conns_[ci];
    stats_.frames.add();
    if (c.recorder && c.recorder->ok()) {
      if (c.recorder->write(text)) {
        stats_.recorded_frames.add();
      } else {
        stats_.record_errors.add();
        spdlog::error("Frame recording stopped error=\"{}\"", c.recorder->error());
      }
    }
    c.decoder->on_frame(text, clock_.now_ns(), text.size() + kWsReadPadding);
  }

  // ---- events ------------------------------------------------------------------------------------------

  template <class F>
  void deliver(const InstrumentId& id, UnixNanos ts_event_ns, UnixNanos ts_recv_ns, F&& call) {
    stats_.events.add();
    if (ts_event_ns > 0) stats_.latency.observe_ns(ts_recv_ns - ts_event_ns);
    if (Inst* in = find(id)) {
      const bool was_stale = staleness_.on_message(in->stale_idx, now_ms());
      if (!in->got_data || was_stale || in->reported != FeedStatus::Live) {
        in->got_data = true;
        recompute(*in);
      }
    }
    try {
      call(sink_);
    } catch (const std::exception& e) {
      stats_.sink_errors.add();
      if (sink_log_.allow(now_ms())) spdlog::error("Market-data sink threw instrument={} error={}", id.to_string(), e.what());
    }
  }

  void on_book_applied(const BookUpdate& b) {
    Inst* in = find(b.instrument);
    if (in == nullptr || b.book == nullptr || !b.book->valid()) return;
    in->book_ever_valid = true;
    in->resubscribe_pending = false;
    in->snapshot_attempts = 0;
    in->snapshot_backoff.reset();
  }

  void on_control(std::size_t ci, const ControlMessage& m) {
    stats_.control_frames.add();
    Conn& c = *conns_[ci];
    if (m.kind == ControlKind::SubscribeError || !m.success) {
      stats_.subscribe_errors.add();
      if (control_log_.allow(now_ms()))
        spdlog::error("Venue refused a request connection={} code={} message=\"{}\"", c.spec.name, m.code.view(),
                      m.message.view());
    } else if (m.kind == ControlKind::Notice) {
      stats_.notices.add();
      spdlog::warn("Venue notice, rotating the connection connection={} message=\"{}\"", c.spec.name, m.message.view());
      if (c.ws) c.ws->rotate();
    }
  }

  void on_rejected(std::size_t ci, const ParseError& e, std::string_view frame) {
    stats_.rejected.add();
    const std::int64_t now = now_ms();
    if (reject_log_.allow(now)) {
      spdlog::warn("Frame rejected connection={} error={} field={} suppressed={} frame=\"{}\"", conns_[ci]->spec.name,
                   to_string(e.code), e.field, reject_log_.suppressed(), frame.substr(0, 200));
    }
  }

  void on_book_sync(const InstrumentId& id, const SyncResult& r) {
    Inst* in = find(id);
    if (in == nullptr) return;
    stats_.book_resyncs.add();
    if (r.status == SyncStatus::Gap) stats_.gaps.add();
    if (r.status == SyncStatus::ChecksumMismatch) stats_.checksum_failures.add();
    if (r.status != SyncStatus::NeedSnapshot && sync_log_.allow(now_ms()))
      spdlog::warn("Book out of sync, resyncing instrument={} status={} expected={} received={}", id.to_string(),
                   to_string(r.status), r.expected, r.received);
    start_resync(*in);
    recompute(*in);
  }

  void start_resync(Inst& in) {
    if (!in.book_conn) return;
    if (spec_->resync_by_snapshot()) {
      if (in.snapshot_in_flight || in.snapshot_retry_at_ms >= 0) return;
      if (in.snapshot_attempts == 0) {
        fetch_snapshot(in);
      } else {
        in.snapshot_retry_at_ms = now_ms() + in.snapshot_backoff.next_delay_ms();
      }
      return;
    }
    if (in.resubscribe_pending && now_ms() - in.resync_started_ms < options_.resubscribe_timeout_ms) return;
    Conn& c = *conns_[*in.book_conn];
    if (!c.open) return;  // the reconnect subscribes afresh
    const std::string topic[1] = {in.book_topic};
    send_subscriptions(*in.book_conn, topic, false);
    send_subscriptions(*in.book_conn, topic, true);
    c.decoder->reset_book(in.id);
    in.resubscribe_pending = true;
    in.resync_started_ms = now_ms();
    stats_.resubscribes.add();
  }

  void fetch_snapshot(Inst& in) {
    in.snapshot_in_flight = true;
    ++in.snapshot_attempts;
    stats_.snapshot_requests.add();
    rest_->fetch_book_snapshot(in.id, options_.book_depth,
                               [weak = weak_from_this(), id = in.id](Result<std::string, std::string> r) {
                                 if (auto self = weak.lock()) self->on_snapshot(id, std::move(r));
                               });
  }

  void on_snapshot(const InstrumentId& id, Result<std::string, std::string> body) {
    Inst* in = find(id);
    if (in == nullptr || !in->book_conn) return;
    in->snapshot_in_flight = false;
    if (!running_) return;
    if (!body.ok()) {
      stats_.snapshot_failures.add();
      in->snapshot_retry_at_ms = now_ms() + in->snapshot_backoff.next_delay_ms();
      spdlog::warn("Depth snapshot failed instrument={} error=\"{}\"", id.to_string(), body.error());
      return;
    }
    Conn& c = *conns_[*in->book_conn];
    if (!options_.record_dir.empty()) record_snapshot(c, id, *body);
    c.decoder->on_book_snapshot(*body, id, clock_.now_ns());
    recompute(*in);
  }

  void record_snapshot(Conn& c, const InstrumentId& id, std::string_view body) {
    if (!c.snapshots) {
      c.snapshots = std::make_unique<FrameRecorder>(
          recording_path(options_.record_dir, to_string(venue()), c.spec.name, clock_.now_ns(), ".snapshots.jsonl"));
    }
    // The replay's snapshot format: one {"SYMBOL": body} object per line.
    std::string line = "{\"" + id.symbol.str() + "\":";
    line += body;
    line += '}';
    if (!c.snapshots->write(line)) stats_.record_errors.add();
  }

  // ---- status ------------------------------------------------------------------------------------------

  FeedStatus compute(const Inst& in) const {
    if (in.missing || !in.active || !running_) return in.missing ? FeedStatus::Disconnected : FeedStatus::Connecting;
    for (std::size_t ci : in.conns) {
      const Conn& c = *conns_[ci];
      if (!c.open) return c.ever_open ? FeedStatus::Disconnected : FeedStatus::Connecting;
    }
    if (in.book_conn) {
      const OrderBook* b = conns_[*in.book_conn]->decoder->book(in.id);
      if (b == nullptr || !b->valid()) return in.book_ever_valid ? FeedStatus::Resyncing : FeedStatus::Connecting;
    }
    if (!in.got_data) return FeedStatus::Connecting;
    if (staleness_.is_stale(in.stale_idx)) return FeedStatus::Stale;
    return FeedStatus::Live;
  }

  void recompute(Inst& in) { report(in, compute(in)); }

  void report(Inst& in, FeedStatus s) {
    if (in.reported == s) return;
    in.reported = s;
    stats_.status_changes.add();
    spdlog::info("Feed status instrument={} status={}", in.id.to_string(), to_string(s));
    try {
      sink_.on_feed_status(in.id, s, clock_.now_ns());
    } catch (const std::exception& e) {
      stats_.sink_errors.add();
      spdlog::error("Market-data sink threw in on_feed_status error={}", e.what());
    }
  }

  // ---- housekeeping ------------------------------------------------------------------------------------

  void schedule_tick() {
    tick_timer_.expires_after(std::chrono::milliseconds(options_.tick_ms));
    tick_timer_.async_wait([weak = weak_from_this()](boost::system::error_code ec) {
      if (ec) return;
      if (auto self = weak.lock()) self->on_tick();
    });
  }

  void on_tick() {
    if (!running_) return;
    const std::int64_t now = now_ms();
    staleness_.poll(now, [&](std::size_t i) {
      Inst& in = *stale_owner_[i];
      if (!in.active) return;
      stats_.stale_transitions.add();
      spdlog::warn("Feed stale instrument={} silent_ms={}", in.id.to_string(), now - staleness_.last_message_ms(i));
      recompute(in);
    });
    for (auto& in : insts_) {
      if (in->snapshot_retry_at_ms >= 0 && now >= in->snapshot_retry_at_ms && !in->snapshot_in_flight) {
        in->snapshot_retry_at_ms = -1;
        fetch_snapshot(*in);
      }
      if (in->resubscribe_pending && now - in->resync_started_ms >= options_.resubscribe_timeout_ms) start_resync(*in);
    }
    for (std::size_t k = 0; k < loads_.size(); ++k) {
      KindLoad& kl = loads_[k];
      if (kl.state == KindLoad::State::Failed && now >= kl.retry_at_ms) load_kind(static_cast<MarketKind>(k));
    }
    if (now - last_flush_ms_ >= 1'000) {
      last_flush_ms_ = now;
      for (auto& c : conns_) {
        if (c->recorder) c->recorder->flush();
        if (c->snapshots) c->snapshots->flush();
      }
    }
    schedule_tick();
  }

  boost::asio::io_context& io_;
  std::shared_ptr<TlsContext> tls_;
  std::unique_ptr<FeedSpec> spec_;
  std::unique_ptr<MarketDataRest> rest_;
  MarketDataSink& sink_;
  const Clock& clock_;
  FeedClientOptions options_;
  InstrumentCallback on_instruments_;
  MarketDataStats stats_;
  std::vector<std::unique_ptr<Conn>> conns_;
  std::vector<std::unique_ptr<Inst>> insts_;
  std::unordered_map<InstrumentId, std::size_t> index_;
  StalenessTracker staleness_;
  std::vector<Inst*> stale_owner_;
  std::array<KindLoad, 2> loads_{};
  Backoff load_backoff_;
  boost::asio::steady_timer tick_timer_;
  std::uint64_t next_request_id_ = 1;
  bool running_ = false;
  std::int64_t last_flush_ms_ = 0;
  LogLimiter reject_log_;
  LogLimiter control_log_;
  LogLimiter sync_log_;
  LogLimiter sink_log_;
};

FeedClient::FeedClient(boost::asio::io_context& io, std::shared_ptr<TlsContext> tls, std::unique_ptr<FeedSpec> spec,
                       std::unique_ptr<MarketDataRest> rest, MarketDataSink& sink, const Clock& clock,
                       FeedClientOptions options, InstrumentCallback on_instruments)
    : impl_(std::make_shared<Impl>(io, std::move(tls), std::move(spec), std::move(rest), sink, clock, std::move(options),
                                   std::move(on_instruments))) {}

FeedClient::~FeedClient() { impl_->stop(false); }

Venue FeedClient::venue() const { return impl_->venue(); }
void FeedClient::subscribe(const InstrumentId& instrument, std::uint32_t channels) { impl_->subscribe(instrument, channels); }
void FeedClient::start() { impl_->start(); }
void FeedClient::stop() { impl_->stop(); }
const Instrument* FeedClient::instrument(const InstrumentId& id) const { return impl_->instrument(id); }
FeedStatus FeedClient::status(const InstrumentId& id) const { return impl_->status(id); }
const OrderBook* FeedClient::book(const InstrumentId& id) const { return impl_->book(id); }
const MarketDataStats& FeedClient::stats() const { return impl_->stats(); }
void FeedClient::resync(const InstrumentId& id) { impl_->resync(id); }

}  // namespace tradingd::net
