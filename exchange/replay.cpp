// The replay driver: frames through the venue's FeedDecoder into JSON lines (Boost.JSON). Snapshots are
// held per symbol and handed to the decoder when it asks for one (Binance) or up front (Bybit, OKX); a
// request that cannot be served leaves the book invalid, which the output shows.
#include "exchange/replay.h"

#include <boost/json.hpp>

#include <istream>
#include <map>
#include <ostream>
#include <string_view>
#include <vector>

#include "exchange/decoder.h"

namespace tradingd {
namespace {

namespace json = boost::json;

std::string decimal(std::int64_t raw) { return fixed::format_raw(raw); }

json::array levels_json(const OrderBook& book, Side side, std::size_t depth) {
  json::array out;
  book.for_each_level(side, [&](const BookLevel& l) {
    if (out.size() >= depth) return false;
    out.push_back(json::array{json::string(decimal(l.price.raw())), json::string(decimal(l.size.raw()))});
    return true;
  });
  return out;
}

class ReplayWriter final : public DecoderListener {
 public:
  ReplayWriter(std::ostream& out, std::size_t depth, ReplaySummary& summary) : out_(out), depth_(depth), summary_(summary) {}

  void set_line(std::uint64_t line) { line_ = line; }
  // Instruments whose synchroniser asked for a snapshot during the last frame (served after it returns,
  // never from inside the decoder).
  std::vector<InstrumentId>& snapshot_requests() { return snapshot_requests_; }

  void on_trade(const TradeTick& t) override {
    json::object o = head("trade", t.instrument);
    o["price"] = decimal(t.price.raw());
    o["size"] = decimal(t.size.raw());
    o["aggressor"] = to_string(t.aggressor);
    o["trade_id"] = t.trade_id.view();
    o["ts_event_ns"] = t.ts_event_ns;
    event(o);
  }
  void on_quote(const QuoteTick& q) override {
    json::object o = head("quote", q.instrument);
    o["bid_price"] = decimal(q.bid_price.raw());
    o["bid_size"] = decimal(q.bid_size.raw());
    o["ask_price"] = decimal(q.ask_price.raw());
    o["ask_size"] = decimal(q.ask_size.raw());
    o["ts_event_ns"] = q.ts_event_ns;
    event(o);
  }
  void on_book(const BookUpdate& u) override {
    ++summary_.book_updates;
    json::object o = head("book", u.instrument);
    o["snapshot"] = u.is_snapshot;
    o["sequence"] = u.sequence;
    o["valid"] = u.book && u.book->valid();
    o["ts_event_ns"] = u.ts_event_ns;
    if (u.book) {
      o["bids"] = levels_json(*u.book, Side::Buy, depth_);
      o["asks"] = levels_json(*u.book, Side::Sell, depth_);
    }
    event(o);
  }
  void on_bar(const Bar& b) override {
    json::object o = head("bar", b.instrument);
    o["interval_s"] = b.interval_s;
    o["ts_open_ns"] = b.ts_open_ns;
    o["open"] = decimal(b.open.raw());
    o["high"] = decimal(b.high.raw());
    o["low"] = decimal(b.low.raw());
    o["close"] = decimal(b.close.raw());
    o["volume"] = decimal(b.volume.raw());
    o["closed"] = b.closed;
    event(o);
  }
  void on_mark_price(const MarkPriceUpdate& m) override {
    json::object o = head("mark_price", m.instrument);
    o["mark_price"] = decimal(m.mark_price.raw());
    o["index_price"] = decimal(m.index_price.raw());
    o["ts_event_ns"] = m.ts_event_ns;
    event(o);
  }
  void on_funding_rate(const FundingRateUpdate& f) override {
    json::object o = head("funding_rate", f.instrument);
    o["rate"] = decimal(f.rate.raw());
    o["next_funding_ns"] = f.next_funding_ns;
    o["ts_event_ns"] = f.ts_event_ns;
    event(o);
  }
  void on_control(const ControlMessage&, UnixNanos) override { ++summary_.controls; }
  void on_rejected(const ParseError& e, std::string_view, UnixNanos) override {
    ++summary_.rejected;
    json::object o;
    o["type"] = "rejected";
    o["line"] = line_;
    o["error"] = to_string(e.code);
    o["field"] = e.field;
    write(o);
  }
  void on_book_sync(const InstrumentId& instrument, const SyncResult& r, UnixNanos) override {
    ++summary_.resyncs;
    if (r.status == SyncStatus::Gap) ++summary_.gaps;
    if (r.status == SyncStatus::ChecksumMismatch) ++summary_.checksum_failures;
    if (r.status == SyncStatus::NeedSnapshot || r.status == SyncStatus::NotSynced) snapshot_requests_.push_back(instrument);
    json::object o = head(to_string(r.status), instrument);
    if (r.status == SyncStatus::Gap || r.status == SyncStatus::NeedSnapshot) {
      o["expected"] = r.expected;
      o["received"] = r.received;
    }
    if (r.status == SyncStatus::ChecksumMismatch) {
      o["checksum_expected"] = r.checksum_expected;
      o["checksum_computed"] = r.checksum_computed;
    }
    write(o);
  }

  void write(const json::object& o) { out_ << json::serialize(o) << '\n'; }

 private:
  json::object head(std::string_view type, const InstrumentId& instrument) {
    json::object o;
    o["type"] = type;
    o["line"] = line_;
    o["instrument"] = instrument.to_string();
    return o;
  }
  void event(const json::object& o) {
    ++summary_.events;
    write(o);
  }

  std::ostream& out_;
  std::size_t depth_;
  ReplaySummary& summary_;
  std::uint64_t line_ = 0;
  std::vector<InstrumentId> snapshot_requests_;
};

// Snapshot bodies by symbol; "" holds a body that names no symbol.
using SnapshotMap = std::map<std::string, std::vector<std::string>, std::less<>>;

bool is_body(const json::object& o) {
  return o.contains("lastUpdateId") || o.contains("retCode") || o.contains("data") || o.contains("result");
}

Result<SnapshotMap, std::string> read_snapshots(std::istream& in) {
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  SnapshotMap out;
  auto add_value = [&](const json::value& v) -> bool {
    if (!v.is_object()) return false;
    const auto& o = v.as_object();
    if (is_body(o)) {
      // A Bybit body names its symbol (result.s); others are for whichever instrument asks first.
      std::string symbol;
      if (const auto* result = o.if_contains("result"); result && result->is_object())
        if (const auto* s = result->as_object().if_contains("s"); s && s->is_string()) symbol = std::string(s->as_string());
      out[symbol].push_back(json::serialize(o));
      return true;
    }
    for (const auto& [symbol, body] : o) {
      if (!body.is_object()) return false;
      out[std::string(symbol)].push_back(json::serialize(body));
    }
    return true;
  };
  boost::system::error_code ec;
  json::value whole = json::parse(text, ec);
  if (!ec) {
    if (!add_value(whole)) return Err{std::string("snapshot file: expected a JSON object")};
    return out;
  }
  // JSON lines: one body or symbol map per line.
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string_view line(text.data() + start, end - start);
    start = end + 1;
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    json::value v = json::parse(line, ec);
    if (ec || !add_value(v)) return Err{std::string("snapshot file: a line is not a JSON object")};
  }
  return out;
}

// Binance's market from the first frame that tells: USD-M depth diffs carry "pu"; mark price is USD-M only.
MarketKind infer_binance_kind(std::istream& frames, std::vector<std::string>& lookahead) {
  std::string line;
  while (lookahead.size() < 100000 && std::getline(frames, line)) {
    lookahead.push_back(line);
    if (line.find("markPriceUpdate") != std::string::npos) return MarketKind::LinearPerp;
    if (line.find("depthUpdate") != std::string::npos)
      return line.find("\"pu\"") != std::string::npos ? MarketKind::LinearPerp : MarketKind::Spot;
  }
  return MarketKind::Spot;
}

}  // namespace

Result<ReplaySummary, std::string> replay(std::istream& frames, std::istream* snapshots, std::ostream& out,
                                          const ReplayOptions& options) try {
  if (options.venue == Venue::Simulated) return Err{std::string("replay: the simulated venue records no frames")};
  SnapshotMap pending;
  if (snapshots) {
    auto s = read_snapshots(*snapshots);
    if (!s) return Err{s.error()};
    pending = std::move(*s);
  }
  std::vector<std::string> lookahead;
  MarketKind kind = options.market_kind.value_or(MarketKind::LinearPerp);
  if (options.venue == Venue::Binance && !options.market_kind) kind = infer_binance_kind(frames, lookahead);

  ReplaySummary summary;
  ReplayWriter writer(out, options.depth, summary);
  InstrumentLookup lookup(options.venue, /*accept_unknown=*/true);
  auto decoder = make_feed_decoder(options.venue, kind, lookup, writer);

  auto take = [&](std::string_view symbol) -> std::optional<std::string> {
    for (std::string_view key : {symbol, std::string_view{}}) {
      auto it = pending.find(key);
      if (it == pending.end() || it->second.empty()) continue;
      std::string body = std::move(it->second.front());
      it->second.erase(it->second.begin());
      return body;
    }
    return std::nullopt;
  };

  auto handle = [&](const std::string& line) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) return;
    ++summary.lines;
    writer.set_line(summary.lines);
    std::string_view frame(line);
    if (!frame.empty() && frame.back() == '\r') frame.remove_suffix(1);
    decoder->on_frame(frame, 0);
    // Serve the snapshots the synchronisers asked for, as the live feed would fetch them now (Bybit and
    // OKX normally push their own; a REST body given for them is used the same way, on request).
    auto& requests = writer.snapshot_requests();
    while (!requests.empty()) {
      const InstrumentId id = requests.front();
      requests.erase(requests.begin());
      if (auto body = take(id.symbol.view())) {
        ++summary.snapshots_used;
        decoder->on_book_snapshot(*body, id, 0);
      }
    }
  };
  for (const auto& line : lookahead) handle(line);
  std::string line;
  while (std::getline(frames, line)) handle(line);

  json::object s;
  s["type"] = "summary";
  s["venue"] = to_string(options.venue);
  s["market"] = to_string(kind);
  s["lines"] = summary.lines;
  s["events"] = summary.events;
  s["book_updates"] = summary.book_updates;
  s["rejected"] = summary.rejected;
  s["controls"] = summary.controls;
  s["gaps"] = summary.gaps;
  s["checksum_failures"] = summary.checksum_failures;
  s["resyncs"] = summary.resyncs;
  s["snapshots_used"] = summary.snapshots_used;
  writer.write(s);
  return summary;
} catch (const std::exception& e) {
  return Err{std::string("replay: ") + e.what()};
}

}  // namespace tradingd
