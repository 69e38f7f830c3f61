// Book-update messages per second, decoded and applied to a book by each venue's feed decoder (parse +
// sequencing + OrderBook), next to the baseline: plain simdjson on-demand iterating every field of the
// same bytes in the same run. The updates are the real SUSHIUSDT diffs of the cryptofeed Binance USD-M
// capture (levels as the venue sent them) on its real 1000-level REST snapshot, chained with fresh ids
// into a long stream and written in each venue's wire format, so the three venues apply the same updates.
// Frames sit in buffers with simdjson's padding to spare, as a network read buffer would, so neither side
// copies. Needs the shared fixtures (TRADINGD_FIXTURES_DIR).
#include <benchmark/benchmark.h>

#include <simdjson.h>

#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "exchange/binance/parse.h"
#include "exchange/book/okx_book_sync.h"
#include "exchange/decoder.h"

namespace tradingd {
namespace {

namespace od = simdjson::ondemand;

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::filesystem::path fixtures() {
  const char* env = std::getenv("TRADINGD_FIXTURES_DIR");
  return env && *env ? env : TRADINGD_DEFAULT_FIXTURES_DIR;
}

// One real diff: its levels as the venue's strings.
struct Diff {
  std::vector<std::pair<std::string, std::string>> bids, asks;
};

struct Corpus {
  std::vector<Diff> diffs;
  std::string snapshot;  // SUSHIUSDT REST depth body
  std::string error;
};

// The string value of "raw" entries: minimal JSON-string unescaping (the capture escapes only quotes).
std::vector<std::string> raw_entries(const std::string& file, const std::string& dir) {
  std::vector<std::string> out;
  od::parser parser;
  simdjson::padded_string json(file);
  od::document doc;
  if (parser.iterate(json).get(doc)) return out;
  od::array entries;
  if (doc["entries"].get_array().get(entries)) return out;
  for (auto e : entries) {
    od::object o;
    if (std::move(e).get_object().get(o)) continue;
    std::string_view d, raw;
    if (o["dir"].get_string().get(d) || d != dir) continue;
    if (o["raw"].get_string().get(raw)) continue;
    out.emplace_back(raw);
  }
  return out;
}

const Corpus& corpus() {
  static const Corpus c = [] {
    Corpus c;
    const auto dir = fixtures();
    const auto capture = dir / "binance/ws_public/cryptofeed_usdm_stream_capture_2021-07-22.json";
    const auto snapshots = dir / "binance/rest_response/cryptofeed_usdm_depth_snapshots_2021-07-22.json";
    if (!std::filesystem::exists(capture) || !std::filesystem::exists(snapshots)) {
      c.error = "shared fixtures not found: set TRADINGD_FIXTURES_DIR";
      return c;
    }
    for (const auto& raw : raw_entries(read_file(snapshots), "http_response"))
      if (raw.find("\"7.6110\"") != std::string::npos) c.snapshot = raw;  // SUSHIUSDT's (top bid 7.6110)
    od::parser parser;
    for (const auto& raw : raw_entries(read_file(capture), "recv")) {
      if (raw.find("sushiusdt@depth") == std::string::npos) continue;
      simdjson::padded_string json(raw);
      od::document doc;
      if (parser.iterate(json).get(doc)) continue;
      Diff d;
      for (auto [key, dest] : {std::pair{"b", &d.bids}, std::pair{"a", &d.asks}}) {
        od::array levels;
        if (doc["data"][key].get_array().get(levels)) continue;
        for (auto l : levels) {
          std::vector<std::string> pq;
          for (auto v : l.get_array()) pq.emplace_back(std::string_view(v.get_string()));
          dest->emplace_back(pq[0], pq[1]);
        }
        doc.rewind();
      }
      c.diffs.push_back(std::move(d));
    }
    if (c.diffs.empty() || c.snapshot.empty()) c.error = "capture has no SUSHIUSDT diffs";
    return c;
  }();
  return c;
}

std::string levels_json(const std::vector<std::pair<std::string, std::string>>& levels, bool okx) {
  std::string s = "[";
  for (const auto& [p, q] : levels) {
    if (s.size() > 1) s += ',';
    // OKX sends canonical numbers ("7.611", not Binance's "7.6110").
    const std::string price = okx ? Price::from_string(p).to_string() : p;
    const std::string size = okx ? Quantity::from_string(q).to_string() : q;
    s += "[\"" + price + "\",\"" + size + (okx ? "\",\"0\",\"1\"]" : "\"]");
  }
  return s + "]";
}

enum class Format { Binance, Bybit, Okx, OkxChecksum };
constexpr std::size_t kFrames = 20000;

// The stream: kFrames diffs cycling over the real ones, with chained ids, in a venue's format. Each frame
// is stored with kParsePadding spare bytes.
struct Stream {
  std::vector<std::string> frames;
  std::string snapshot;  // in the venue's snapshot format
  std::size_t bytes = 0;
};

Stream make_stream(Format f) {
  const Corpus& c = corpus();
  Stream s;
  OrderBook shadow;  // for the OKX checksum variant: the book the venue would checksum
  // The Bybit and OKX snapshots carry the same 1000 levels as the Binance REST body, in their own format.
  {
    BinanceParser p(MarketKind::LinearPerp);
    auto snap = p.parse_depth_snapshot(c.snapshot, InstrumentId{}, 0);
    std::vector<std::pair<std::string, std::string>> bids, asks;
    for (const auto& l : snap->bids) bids.emplace_back(l.price.to_string(), l.size.to_string());
    for (const auto& l : snap->asks) asks.emplace_back(l.price.to_string(), l.size.to_string());
    shadow.apply_snapshot(snap->bids, snap->asks);
    if (f == Format::Binance) s.snapshot = c.snapshot;
    if (f == Format::Bybit)
      s.snapshot = R"({"topic":"orderbook.1000.SUSHIUSDT","type":"snapshot","ts":1,"data":{"s":"SUSHIUSDT","b":)" +
                   levels_json(bids, false) + R"(,"a":)" + levels_json(asks, false) + R"(,"u":1,"seq":1},"cts":1})";
    if (f == Format::Okx || f == Format::OkxChecksum)
      s.snapshot = R"({"arg":{"channel":"books","instId":"SUSHI-USDT-SWAP"},"action":"snapshot","data":[{"asks":)" +
                   levels_json(asks, true) + R"(,"bids":)" + levels_json(bids, true) + R"(,"ts":"1","checksum":)" +
                   std::to_string(f == Format::OkxChecksum ? okx_checksum(shadow) : 0) + R"(,"prevSeqId":-1,"seqId":1}]})";
  }
  std::uint64_t id = 600859605926;  // the snapshot's lastUpdateId
  for (std::size_t k = 0; k < kFrames; ++k) {
    const Diff& d = c.diffs[k % c.diffs.size()];
    const std::uint64_t first = id + 1, last = id + 1 + k % 7;
    std::string frame;
    switch (f) {
      case Format::Binance:
        frame = R"({"stream":"sushiusdt@depth@100ms","data":{"e":"depthUpdate","E":1626992741037,"T":1626992741024,"s":"SUSHIUSDT","U":)" +
                std::to_string(first) + R"(,"u":)" + std::to_string(last) + R"(,"pu":)" + std::to_string(id) +
                R"(,"b":)" + levels_json(d.bids, false) + R"(,"a":)" + levels_json(d.asks, false) + "}}";
        break;
      case Format::Bybit:
        frame = R"({"topic":"orderbook.1000.SUSHIUSDT","type":"delta","ts":1626992741037,"data":{"s":"SUSHIUSDT","b":)" +
                levels_json(d.bids, false) + R"(,"a":)" + levels_json(d.asks, false) + R"(,"u":)" +
                std::to_string(k + 2) + R"(,"seq":)" + std::to_string(last) + R"(},"cts":1626992741024})";
        break;
      case Format::Okx:
      case Format::OkxChecksum: {
        std::int32_t checksum = 0;
        if (f == Format::OkxChecksum) {
          for (const auto& [p, q] : d.bids) shadow.set_level(Side::Buy, Price::from_string(p), Quantity::from_string(q));
          for (const auto& [p, q] : d.asks) shadow.set_level(Side::Sell, Price::from_string(p), Quantity::from_string(q));
          shadow.truncate(Side::Buy, 400);
          shadow.truncate(Side::Sell, 400);
          checksum = okx_checksum(shadow);
        }
        frame = R"({"arg":{"channel":"books","instId":"SUSHI-USDT-SWAP"},"action":"update","data":[{"asks":)" +
                levels_json(d.asks, true) + R"(,"bids":)" + levels_json(d.bids, true) + R"(,"ts":"1626992741024","checksum":)" +
                std::to_string(checksum) + R"(,"prevSeqId":)" + std::to_string(k + 1) + R"(,"seqId":)" + std::to_string(k + 2) + "}]}";
        break;
      }
    }
    id = last;
    s.bytes += frame.size();
    frame.reserve(frame.size() + kParsePadding);
    s.frames.push_back(std::move(frame));
  }
  return s;
}

const Stream& stream(Format f) {
  static const Stream streams[] = {make_stream(Format::Binance), make_stream(Format::Bybit), make_stream(Format::Okx),
                                   make_stream(Format::OkxChecksum)};
  return streams[static_cast<int>(f)];
}

// The baseline: visit every key and every value of the document, touching scalars' tokens.
std::size_t visit(od::value v) {
  od::json_type type;
  if (v.type().get(type)) return 0;
  std::size_t n = 1;
  if (type == od::json_type::object) {
    od::object o;
    if (v.get_object().get(o)) return n;
    for (auto field : o) {
      std::string_view key;
      if (field.unescaped_key().get(key)) return n;
      n += key.size() + visit(field.value());
    }
  } else if (type == od::json_type::array) {
    od::array a;
    if (v.get_array().get(a)) return n;
    for (auto item : a) {
      od::value child;
      if (std::move(item).get(child)) return n;
      n += visit(child);
    }
  } else {
    n += v.raw_json_token().size();
  }
  return n;
}

void plain_simdjson(benchmark::State& state, Format f) {
  if (!corpus().error.empty()) return state.SkipWithError(corpus().error.c_str());
  const Stream& s = stream(f);
  od::parser parser;
  std::size_t i = 0, bytes = 0;
  for (auto _ : state) {
    const std::string& frame = s.frames[i];
    od::document doc;
    if (parser.iterate(frame.data(), frame.size(), frame.capacity()).get(doc)) return state.SkipWithError("parse");
    od::object o;
    if (doc.get_object().get(o)) return state.SkipWithError("object");
    std::size_t n = 0;
    for (auto field : o) {
      std::string_view key;
      if (field.unescaped_key().get(key)) break;
      n += visit(field.value());
    }
    benchmark::DoNotOptimize(n);
    bytes += frame.size();
    if (++i == s.frames.size()) i = 0;
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
}

struct NullListener final : DecoderListener {
  std::uint64_t updates = 0;
  void on_book(const BookUpdate& u) override { updates += u.bids.size() + u.asks.size(); }
};

void decode_apply(benchmark::State& state, Format f) {
  if (!corpus().error.empty()) return state.SkipWithError(corpus().error.c_str());
  const Stream& s = stream(f);
  const Venue venue = f == Format::Binance ? Venue::Binance : f == Format::Bybit ? Venue::Bybit : Venue::Okx;
  const InstrumentId id{venue, MarketKind::LinearPerp,
                        Symbol::from(venue == Venue::Okx ? "SUSHI-USDT-SWAP" : "SUSHIUSDT")};
  InstrumentLookup lookup(venue);
  lookup.add(id);
  NullListener listener;
  std::unique_ptr<FeedDecoder> decoder;
  auto restart = [&] {
    // A fresh decoder on the snapshot: the stream's ids chain from it.
    decoder = make_feed_decoder(venue, MarketKind::LinearPerp, lookup, listener);
    if (venue == Venue::Binance) {
      decoder->on_frame(s.frames[0], 0, s.frames[0].capacity());  // buffered; asks for the snapshot
      decoder->on_book_snapshot(s.snapshot, id, 0);
    } else {
      decoder->on_frame(s.snapshot, 0);
    }
  };
  restart();
  std::size_t i = venue == Venue::Binance ? 1 : 0, bytes = 0;
  for (auto _ : state) {
    const std::string& frame = s.frames[i];
    decoder->on_frame(frame, 0, frame.capacity());
    bytes += frame.size();
    if (++i == s.frames.size()) {
      state.PauseTiming();
      restart();
      i = venue == Venue::Binance ? 1 : 0;
      state.ResumeTiming();
    }
  }
  if (decoder->stats().rejected || decoder->stats().resyncs_requested > 1 || !decoder->book(id)->valid())
    state.SkipWithError("the stream did not apply cleanly");
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
  state.counters["levels/msg"] = static_cast<double>(listener.updates) / static_cast<double>(state.iterations());
  state.counters["book_levels"] = static_cast<double>(decoder->book(id)->depth(Side::Buy) + decoder->book(id)->depth(Side::Sell));
}

// Both in one loop over the same frames, in alternating chunks timed by this thread's CPU clock: on a
// shared, loaded machine the two sides then see the same conditions, so their ratio is what to read.
double thread_cpu_ns() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e9 + static_cast<double>(ts.tv_nsec);
}

void side_by_side(benchmark::State& state, Format f) {
  if (!corpus().error.empty()) return state.SkipWithError(corpus().error.c_str());
  const Stream& s = stream(f);
  const Venue venue = f == Format::Binance ? Venue::Binance : f == Format::Bybit ? Venue::Bybit : Venue::Okx;
  const InstrumentId id{venue, MarketKind::LinearPerp, Symbol::from(venue == Venue::Okx ? "SUSHI-USDT-SWAP" : "SUSHIUSDT")};
  InstrumentLookup lookup(venue);
  lookup.add(id);
  NullListener listener;
  od::parser parser;
  std::unique_ptr<FeedDecoder> decoder;
  std::size_t i = 0;
  auto restart = [&] {
    decoder = make_feed_decoder(venue, MarketKind::LinearPerp, lookup, listener);
    if (venue == Venue::Binance) {
      decoder->on_frame(s.frames[0], 0, s.frames[0].capacity());
      decoder->on_book_snapshot(s.snapshot, id, 0);
    } else {
      decoder->on_frame(s.snapshot, 0);
    }
    i = venue == Venue::Binance ? 1 : 0;
  };
  restart();
  constexpr std::size_t kChunk = 250;
  double plain_ns = 0, decode_ns = 0;
  std::size_t messages = 0;
  for (auto _ : state) {
    if (i + kChunk > s.frames.size()) restart();
    double t0 = thread_cpu_ns();
    std::size_t n = 0;
    for (std::size_t k = i; k < i + kChunk; ++k) {
      const std::string& frame = s.frames[k];
      od::document doc;
      od::object o;
      if (parser.iterate(frame.data(), frame.size(), frame.capacity()).get(doc) || doc.get_object().get(o)) continue;
      for (auto field : o) {
        std::string_view key;
        if (field.unescaped_key().get(key)) break;
        n += visit(field.value());
      }
    }
    benchmark::DoNotOptimize(n);
    double t1 = thread_cpu_ns();
    for (std::size_t k = i; k < i + kChunk; ++k) decoder->on_frame(s.frames[k], 0, s.frames[k].capacity());
    double t2 = thread_cpu_ns();
    plain_ns += t1 - t0;
    decode_ns += t2 - t1;
    messages += kChunk;
    i += kChunk;
  }
  if (decoder->stats().rejected) state.SkipWithError("rejected frames");
  state.counters["plain_msgs_per_s"] = static_cast<double>(messages) / plain_ns * 1e9;
  state.counters["decode_apply_msgs_per_s"] = static_cast<double>(messages) / decode_ns * 1e9;
  state.counters["ratio_pct"] = 100.0 * plain_ns / decode_ns;
}

BENCHMARK_CAPTURE(side_by_side, binance, Format::Binance)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(side_by_side, bybit, Format::Bybit)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(side_by_side, okx, Format::Okx)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(side_by_side, okx_checksum, Format::OkxChecksum)->Unit(benchmark::kMicrosecond);

BENCHMARK_CAPTURE(plain_simdjson, binance, Format::Binance);
BENCHMARK_CAPTURE(decode_apply, binance, Format::Binance);
BENCHMARK_CAPTURE(plain_simdjson, bybit, Format::Bybit);
BENCHMARK_CAPTURE(decode_apply, bybit, Format::Bybit);
BENCHMARK_CAPTURE(plain_simdjson, okx, Format::Okx);
BENCHMARK_CAPTURE(decode_apply, okx, Format::Okx);
BENCHMARK_CAPTURE(plain_simdjson, okx_checksum, Format::OkxChecksum);
BENCHMARK_CAPTURE(decode_apply, okx_checksum, Format::OkxChecksum);

}  // namespace
}  // namespace tradingd

BENCHMARK_MAIN();
