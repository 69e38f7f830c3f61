// FeedClient's instrument loading (REST, then the disk cache; missing instruments reported; retried with
// backoff) and book resynchronisation (REST snapshot with backoff between refetches on Binance; unsubscribe
// + subscribe on Bybit/OKX, once per incident until the book is valid again or the timeout passes).
#include <algorithm>
#include <chrono>
#include <filesystem>

#include "exchange/net/detail/feed_client_impl.h"
#include "exchange/net/instrument_cache.h"

namespace tradingd::net {

void FeedClient::Impl::on_new_instrument(Inst& in) {
  KindLoad& kl = load_state(in.id.kind);
  if (kl.state == KindLoad::State::Loaded) {
    validate(in, kl);
    ensure_connections();
  } else if (kl.state == KindLoad::State::Idle) {
    load_kind(in.id.kind);
  }
  recompute(in);
}

void FeedClient::Impl::load_kind(MarketKind kind) {
  load_state(kind).state = KindLoad::State::Loading;
  rest_->fetch_instrument_pages(kind, [weak = weak_from_this(), kind](Result<std::vector<std::string>, std::string> r) {
    if (auto self = weak.lock()) self->on_instrument_pages(kind, std::move(r));
  });
}

void FeedClient::Impl::on_instrument_pages(MarketKind kind, Result<std::vector<std::string>, std::string> pages) {
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
    // Only a fresh cache stands in for the venue: rules (tick, step, minimums) do change.
    std::error_code ec;
    const auto written = std::filesystem::last_write_time(cache, ec);
    const auto age_ms = ec ? std::int64_t{0}
                           : std::chrono::duration_cast<std::chrono::milliseconds>(
                                 std::filesystem::file_time_type::clock::now() - written)
                                 .count();
    auto cached = read_instrument_cache(cache);
    if (cached.ok() && age_ms > options_.instrument_cache_max_age_ms) {
      rest_error += "; the instrument cache " + cache.string() + " is " + std::to_string(age_ms / 3'600'000) +
                    " h old (limit " + std::to_string(options_.instrument_cache_max_age_ms / 3'600'000) + " h)";
    } else if (cached.ok()) {
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

void FeedClient::Impl::notify(const InstrumentReport& r) {
  if (!on_instruments_) return;
  try {
    on_instruments_(r);
  } catch (const std::exception& e) {
    spdlog::error("Instrument callback threw error={}", e.what());
  }
}

void FeedClient::Impl::validate(Inst& in, const KindLoad& kl) {
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

void FeedClient::Impl::activate(Inst& in) {
  in.active = true;
  staleness_.on_message(in.stale_idx, now_ms());
  for (const auto& t : in.topics) add_topic(in, t);
  recompute(in);
}

void FeedClient::Impl::add_topic(Inst& in, const FeedTopic& t) {
  Conn& c = *conns_[t.connection];
  c.lookup->add(in.id);
  if (std::find(c.topics.begin(), c.topics.end(), t.topic) != c.topics.end()) return;
  c.topics.push_back(t.topic);
  if (c.open) send_subscriptions(t.connection, std::span<const std::string>(&c.topics.back(), 1), true);
}

void FeedClient::Impl::on_book_applied(const BookUpdate& b) {
  Inst* in = find(b.instrument);
  if (in == nullptr || b.book == nullptr || !b.book->valid()) return;
  in->book_ever_valid = true;
  in->resubscribe_pending = false;
  in->resync_attempts = 0;
  in->resync_backoff.reset();
}

void FeedClient::Impl::on_book_sync(const InstrumentId& id, const SyncResult& r) {
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

// One resync per incident: the first at once, repeats (the book still invalid after the snapshot or the
// resubscription) spaced by the backoff, so a venue that keeps gapping cannot make us exceed its request
// limits (OKX: 480 subscribe requests per hour per connection).
void FeedClient::Impl::start_resync(Inst& in) {
  if (!in.book_conn || in.snapshot_in_flight || in.resubscribe_pending || in.resync_retry_at_ms >= 0) return;
  if (in.resync_attempts == 0) {
    resync_now(in);
  } else {
    in.resync_retry_at_ms = now_ms() + in.resync_backoff.next_delay_ms();
  }
}

void FeedClient::Impl::resync_now(Inst& in) {
  if (spec_->resync_by_snapshot()) return fetch_snapshot(in);
  Conn& c = *conns_[*in.book_conn];
  if (!c.open) return;  // the reconnect subscribes afresh
  ++in.resync_attempts;
  const std::string topic[1] = {in.book_topic};
  send_subscriptions(*in.book_conn, topic, false);
  send_subscriptions(*in.book_conn, topic, true);
  c.decoder->reset_book(in.id);
  in.resubscribe_pending = true;
  in.resync_started_ms = now_ms();
  stats_.resubscribes.add();
}

void FeedClient::Impl::fetch_snapshot(Inst& in) {
  in.snapshot_in_flight = true;
  ++in.resync_attempts;
  stats_.snapshot_requests.add();
  rest_->fetch_book_snapshot(in.id, options_.book_depth,
                             [weak = weak_from_this(), id = in.id](Result<std::string, std::string> r) {
                               if (auto self = weak.lock()) self->on_snapshot(id, std::move(r));
                             });
}

void FeedClient::Impl::on_snapshot(const InstrumentId& id, Result<std::string, std::string> body) {
  Inst* in = find(id);
  if (in == nullptr || !in->book_conn) return;
  in->snapshot_in_flight = false;
  if (!running_) return;
  if (!body.ok()) {
    stats_.snapshot_failures.add();
    in->resync_retry_at_ms = now_ms() + in->resync_backoff.next_delay_ms();
    spdlog::warn("Depth snapshot failed instrument={} error=\"{}\"", id.to_string(), body.error());
    return;
  }
  Conn& c = *conns_[*in->book_conn];
  if (!options_.record_dir.empty()) record_snapshot(c, id, *body);
  c.decoder->on_book_snapshot(*body, id, clock_.now_ns());
  recompute(*in);
}

void FeedClient::Impl::record_snapshot(Conn& c, const InstrumentId& id, std::string_view body) {
  // The replay's snapshot format: one {"SYMBOL": body} object per line.
  std::string line = "{\"" + id.symbol.str() + "\":";
  line += body;
  line += '}';
  record(c.snapshot_stream, c, ".snapshots.jsonl", line);
}

// One file per venue connection per UTC day ("binance-spot-20261123.jsonl"), written by the recording
// thread: a slow disk drops frames (counted) instead of stalling the feed.
void FeedClient::Impl::record(std::optional<std::size_t>& stream, const Conn& c, std::string_view suffix,
                              std::string_view text) {
  if (!recording_) {
    RecordingOptions ro;
    ro.dir = options_.record_dir;
    recording_ = std::make_unique<RecordingWriter>(ro);
    spdlog::info("Recording raw frames venue={} dir={}", to_string(venue()), options_.record_dir);
  }
  if (!stream) stream = recording_->open_stream(std::string(to_string(venue())) + "-" + c.spec.name, std::string(suffix));
  if (recording_->write(*stream, text, clock_.now_ns())) {
    stats_.recorded_frames.add();
    return;
  }
  stats_.record_errors.add();
  if (recording_->failed() && !record_failure_logged_) {
    record_failure_logged_ = true;
    spdlog::error("Frame recording stopped venue={} error=\"{}\"", to_string(venue()), recording_->error());
  }
}

}  // namespace tradingd::net
