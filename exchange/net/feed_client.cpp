// FeedClient (see feed_client.h): construction, subscriptions, connections, frame and event paths,
// FeedStatus and housekeeping. Frames flow: ReconnectingWs → recorder → FeedDecoder → Listener (one per
// connection) → the sink, with staleness, latency and status bookkeeping per event. Instruments are held
// by unique_ptr so later callbacks (REST snapshots) find them by id. Loading and resyncs: feed_client_sync.cpp.
#include "exchange/net/feed_client.h"

#include <algorithm>
#include <chrono>
#include <random>

#include "exchange/net/detail/feed_client_impl.h"

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

FeedClient::Impl::Impl(boost::asio::io_context& io, std::shared_ptr<TlsContext> tls, std::unique_ptr<FeedSpec> spec,
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

void FeedClient::Impl::subscribe(const InstrumentId& id, std::uint32_t channels) {
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

void FeedClient::Impl::start() {
  if (running_) return;
  running_ = true;
  schedule_tick();
  for (auto& in : insts_) {
    if (in->active || in->missing) continue;
    on_new_instrument(*in);
  }
  ensure_connections();
}

void FeedClient::Impl::stop(bool report_status) {
  if (!running_) return;
  running_ = false;
  tick_timer_.cancel();
  for (auto& c : conns_) {
    c->ws.reset();
    c->open = false;
  }
  // Bounded: a stuck disk must not hold the shutdown (the writer's thread finishes on destruction).
  if (recording_ && !recording_->drain(2'000)) spdlog::warn("Frame recording still writing at stop venue={}", to_string(venue()));
  if (report_status) {
    for (auto& in : insts_) report(*in, FeedStatus::Disconnected);
  }
}

const Instrument* FeedClient::Impl::instrument(const InstrumentId& id) const {
  const Inst* in = find(id);
  return in && in->rules ? &*in->rules : nullptr;
}

FeedStatus FeedClient::Impl::status(const InstrumentId& id) const {
  const Inst* in = find(id);
  return in && in->reported ? *in->reported : FeedStatus::Disconnected;
}

const OrderBook* FeedClient::Impl::book(const InstrumentId& id) const {
  const Inst* in = find(id);
  if (in == nullptr || !in->book_conn) return nullptr;
  return conns_[*in->book_conn]->decoder->book(id);
}

void FeedClient::Impl::resync(const InstrumentId& id) {
  if (Inst* in = find(id); in && in->active && in->book_conn) start_resync(*in);
}

auto FeedClient::Impl::find(const InstrumentId& id) const -> Inst* {
  auto it = index_.find(id);
  return it == index_.end() ? nullptr : insts_[it->second].get();
}

void FeedClient::Impl::ensure_connections() {
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
    WsOptions wo = options_.ws;
    wo.log_name = std::string(to_string(venue())) + "/" + c.spec.name + " " + c.spec.url.to_log_string();
    c.ws = std::make_unique<ReconnectingWs>(io_, tls_, c.spec.url, std::move(wo), c.spec.heartbeat, ro, std::move(h), c.stats);
    c.ws->start();
  }
}

void FeedClient::Impl::send_subscriptions(std::size_t ci, std::span<const std::string> topics, bool subscribe) {
  Conn& c = *conns_[ci];
  for (auto& msg : spec_->subscription_messages(ci, topics, subscribe, next_request_id_)) {
    if (!c.ws || !c.ws->send_text(std::move(msg)))
      spdlog::error("Cannot send a subscription connection={} (not open or queue full)", c.spec.name);
  }
}

void FeedClient::Impl::on_open(std::size_t ci, WsSession& session) {
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

void FeedClient::Impl::on_lost(std::size_t ci, const NetError&) {
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

void FeedClient::Impl::on_frame(std::size_t ci, std::string_view text) {
  Conn& c = *conns_[ci];
  stats_.frames.add();
  if (!options_.record_dir.empty()) record(c.record_stream, c, ".jsonl", text);
  c.decoder->on_frame(text, clock_.now_ns(), text.size() + kWsReadPadding);
}

void FeedClient::Impl::on_control(std::size_t ci, const ControlMessage& m) {
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

void FeedClient::Impl::on_rejected(std::size_t ci, const ParseError& e, std::string_view frame) {
  stats_.rejected.add();
  const std::int64_t now = now_ms();
  if (reject_log_.allow(now)) {
    spdlog::warn("Frame rejected connection={} error={} field={} suppressed={} frame=\"{}\"", conns_[ci]->spec.name,
                 to_string(e.code), e.field, reject_log_.suppressed(), frame.substr(0, 200));
  }
}

FeedStatus FeedClient::Impl::compute(const Inst& in) const {
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

void FeedClient::Impl::report(Inst& in, FeedStatus s) {
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

void FeedClient::Impl::schedule_tick() {
  tick_timer_.expires_after(std::chrono::milliseconds(options_.tick_ms));
  tick_timer_.async_wait([weak = weak_from_this()](boost::system::error_code ec) {
    if (ec) return;
    if (auto self = weak.lock()) self->on_tick();
  });
}

void FeedClient::Impl::on_tick() {
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
    if (in->resync_retry_at_ms >= 0 && now >= in->resync_retry_at_ms) {
      in->resync_retry_at_ms = -1;
      resync_now(*in);
    }
    if (in->resubscribe_pending && now - in->resync_started_ms >= options_.resubscribe_timeout_ms) {
      in->resubscribe_pending = false;  // no snapshot came: try again (spaced by the backoff)
      start_resync(*in);
    }
  }
  for (std::size_t k = 0; k < loads_.size(); ++k) {
    KindLoad& kl = loads_[k];
    if (kl.state == KindLoad::State::Failed && now >= kl.retry_at_ms) load_kind(static_cast<MarketKind>(k));
  }
  if (now - last_flush_ms_ >= 1'000) {
    last_flush_ms_ = now;
    if (recording_) recording_->flush();
  }
  schedule_tick();
}

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
