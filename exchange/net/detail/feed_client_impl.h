// Internal to exchange/net: FeedClient's implementation class, shared by feed_client.cpp (connections,
// events, status, housekeeping) and feed_client_sync.cpp (instrument loading, book resyncs). Includes
// Asio's timer: only those two files include it.
#pragma once

#include <array>
#include <cstdint>
#include <exception>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <spdlog/spdlog.h>

#include "exchange/decoder.h"
#include "exchange/instrument_lookup.h"
#include "exchange/net/feed_client.h"
#include "exchange/net/recording_writer.h"
#include "exchange/net/log_limiter.h"
#include "exchange/net/reconnecting_ws.h"
#include "exchange/net/staleness.h"
#include "exchange/parse_types.h"

namespace tradingd::net {

inline std::string_view market_name(MarketKind k) { return k == MarketKind::Spot ? "spot" : "linear_perp"; }

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
    std::optional<std::size_t> record_stream;    // raw frames (RecordingWriter handle)
    std::optional<std::size_t> snapshot_stream;  // REST depth snapshots, the replay's --snapshot format
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
    int resync_attempts = 0;
    std::int64_t resync_retry_at_ms = -1;
    Backoff resync_backoff;
    std::optional<FeedStatus> reported;
    Inst(const InstrumentId& i, const BackoffOptions& b, std::uint64_t seed) : id(i), resync_backoff(b, seed) {}
  };

  struct KindLoad {
    enum class State : std::uint8_t { Idle, Loading, Loaded, Failed } state = State::Idle;
    std::int64_t retry_at_ms = -1;
    std::vector<Instrument> instruments;
  };

  Impl(boost::asio::io_context& io, std::shared_ptr<TlsContext> tls, std::unique_ptr<FeedSpec> spec,
       std::unique_ptr<MarketDataRest> rest, MarketDataSink& sink, const Clock& clock, FeedClientOptions options,
       InstrumentCallback on_instruments);

  Venue venue() const { return spec_->venue(); }

  void subscribe(const InstrumentId& id, std::uint32_t channels);
  void start();

  // report=false: the owner is being destroyed (its sink may be gone): no more callbacks.
  void stop(bool report_status = true);

  const Instrument* instrument(const InstrumentId& id) const;
  FeedStatus status(const InstrumentId& id) const;
  const OrderBook* book(const InstrumentId& id) const;
  const MarketDataStats& stats() const { return stats_; }

  void resync(const InstrumentId& id);

 private:
  std::int64_t now_ms() const { return clock_.monotonic_ns() / kNanosPerMilli; }

  Inst* find(const InstrumentId& id) const;

  // ---- instruments -------------------------------------------------------------------------------------

  KindLoad& load_state(MarketKind k) { return loads_[static_cast<std::size_t>(k)]; }
  void on_new_instrument(Inst& in);
  void load_kind(MarketKind kind);
  void on_instrument_pages(MarketKind kind, Result<std::vector<std::string>, std::string> pages);
  void notify(const InstrumentReport& r);
  void validate(Inst& in, const KindLoad& kl);
  void activate(Inst& in);
  void add_topic(Inst& in, const FeedTopic& t);

  // ---- connections -------------------------------------------------------------------------------------

  void ensure_connections();
  void send_subscriptions(std::size_t ci, std::span<const std::string> topics, bool subscribe);
  void on_open(std::size_t ci, WsSession& session);
  void on_lost(std::size_t ci, const NetError&);
  void on_frame(std::size_t ci, std::string_view text);

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

  void on_book_applied(const BookUpdate& b);
  void on_control(std::size_t ci, const ControlMessage& m);
  void on_rejected(std::size_t ci, const ParseError& e, std::string_view frame);
  void on_book_sync(const InstrumentId& id, const SyncResult& r);
  void start_resync(Inst& in);
  void resync_now(Inst& in);
  void fetch_snapshot(Inst& in);
  void on_snapshot(const InstrumentId& id, Result<std::string, std::string> body);
  void record_snapshot(Conn& c, const InstrumentId& id, std::string_view body);
  void record(std::optional<std::size_t>& stream, const Conn& c, std::string_view suffix, std::string_view text);

  // ---- status ------------------------------------------------------------------------------------------

  FeedStatus compute(const Inst& in) const;

  void recompute(Inst& in) { report(in, compute(in)); }

  void report(Inst& in, FeedStatus s);

  // ---- housekeeping ------------------------------------------------------------------------------------

  void schedule_tick();
  void on_tick();

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
  std::unique_ptr<RecordingWriter> recording_;  // record_dir set: raw frames to disk, off the loop
  bool record_failure_logged_ = false;
  LogLimiter control_log_;
  LogLimiter sync_log_;
  LogLimiter sink_log_;
};

}  // namespace tradingd::net
