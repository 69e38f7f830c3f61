// Malformed input never crashes and never passes: every real message of every venue's fixtures (WebSocket
// samples, REST responses, capture frames, checksum-vector messages) truncated at every byte offset must
// be refused with a typed error; seeded random byte mutations must not crash the parsers or the decoders.
// Run it under the asan preset for memory errors too.
#include <gtest/gtest.h>

#include <random>

#include "exchange/binance/parse.h"
#include "exchange/bybit/parse.h"
#include "exchange/decoder.h"
#include "exchange/okx/parse.h"
#include "tests/exchange/fixture_frames.h"
#include "tests/support/fixtures.h"

namespace tradingd {
namespace {

// Parses text with whichever entry point fits the file; ok() when any accepts it.
class AnyParser {
 public:
  explicit AnyParser(Venue venue) : venue_(venue), lookup_(venue, true) {}

  bool parse(const std::string& text, bool rest) {
    const InstrumentId id{venue_, MarketKind::LinearPerp, Symbol::from("BTCUSDT")};
    switch (venue_) {
      case Venue::Binance:
        if (rest)
          return binance_.parse_depth_snapshot(text, id, 0).ok() ||
                 parse_binance_exchange_info(text, MarketKind::LinearPerp).ok();
        return binance_.parse(text, lookup_, 0).ok();
      case Venue::Bybit:
        if (rest)
          return bybit_.parse_orderbook_snapshot(text, lookup_, 0).ok() ||
                 parse_bybit_instruments(text, MarketKind::LinearPerp).ok();
        return bybit_.parse(text, lookup_, 0).ok();
      case Venue::Okx:
        if (rest) return okx_.parse_books_snapshot(text, id, 0).ok() || parse_okx_instruments(text).ok();
        return okx_.parse(text, lookup_, 0).ok();
      case Venue::Simulated: break;
    }
    return false;
  }

 private:
  Venue venue_;
  InstrumentLookup lookup_;
  BinanceParser binance_{MarketKind::LinearPerp};
  BybitParser bybit_{MarketKind::LinearPerp};
  OkxParser okx_;
};

struct Sample {
  Venue venue;
  std::string text;
  bool rest;
  std::string name;
};

std::vector<Sample> samples() {
  std::vector<Sample> out;
  for (auto [venue, folder] : {std::pair{Venue::Binance, "binance"}, std::pair{Venue::Bybit, "bybit"}, std::pair{Venue::Okx, "okx"}}) {
    for (const auto& path : test::fixture_files(folder)) {
      const std::string rel = std::string(folder) + "/" + path.parent_path().filename().string() + "/" + path.filename().string();
      if (rel.find("cryptofeed") != std::string::npos || rel.find("checksum_vectors") != std::string::npos) continue;
      out.push_back(Sample{venue, test::fixture_frame(rel), rel.find("rest_response") != std::string::npos, rel});
    }
  }
  const auto capture = test::capture_frames("binance/ws_public/cryptofeed_usdm_stream_capture_2021-07-22.json");
  for (std::size_t i = 0; i < capture.size(); i += 97) out.push_back(Sample{Venue::Binance, capture[i], false, "capture"});
  for (const auto& v : test::okx_checksum_vectors())
    if (!v.raw_message.empty()) out.push_back(Sample{Venue::Okx, v.raw_message, false, v.id});
  return out;
}

TEST(Robustness, EveryTruncationOfEveryRealMessageIsRefused) {
  TRADINGD_REQUIRE_FIXTURES();
  AnyParser binance(Venue::Binance), bybit(Venue::Bybit), okx(Venue::Okx);
  std::size_t parsed_whole = 0, prefixes = 0;
  for (const Sample& s : samples()) {
    AnyParser& p = s.venue == Venue::Binance ? binance : s.venue == Venue::Bybit ? bybit : okx;
    if (p.parse(s.text, s.rest)) ++parsed_whole;
    for (std::size_t n = 0; n < s.text.size(); ++n) {
      ++prefixes;
      ASSERT_FALSE(p.parse(s.text.substr(0, n), s.rest)) << s.name << " accepted a " << n << "-byte prefix";
    }
  }
  EXPECT_GT(prefixes, 100000u);
  EXPECT_GT(parsed_whole, 60u);  // most samples are messages we handle; the rest are refused whole too
}

TEST(Robustness, RandomMutationsNeverCrashDecoders) {
  TRADINGD_REQUIRE_FIXTURES();
  std::mt19937_64 rng(1234);
  const std::string noise = "{}[]\",:0123456789.-eE \\u\nxtrufalsn";
  struct Null : DecoderListener {} listener;
  for (Venue venue : {Venue::Binance, Venue::Bybit, Venue::Okx}) {
    InstrumentLookup lookup(venue, true);
    auto decoder = make_feed_decoder(venue, MarketKind::LinearPerp, lookup, listener);
    std::vector<std::string> seeds;
    for (const Sample& s : samples())
      if (s.venue == venue && !s.rest) seeds.push_back(s.text);
    ASSERT_FALSE(seeds.empty());
    for (int i = 0; i < 20000; ++i) {
      std::string m = seeds[rng() % seeds.size()];
      const int edits = 1 + static_cast<int>(rng() % 4);
      for (int e = 0; e < edits && !m.empty(); ++e) {
        const std::size_t at = rng() % m.size();
        switch (rng() % 4) {
          case 0: m[at] = noise[rng() % noise.size()]; break;
          case 1: m.erase(at, 1 + rng() % 8); break;
          case 2: m.insert(at, 1, noise[rng() % noise.size()]); break;
          case 3: m.insert(at, m.substr(rng() % m.size(), rng() % 16)); break;
        }
      }
      decoder->on_frame(m, 0);
    }
    EXPECT_EQ(decoder->stats().frames, 20000u);
    EXPECT_GT(decoder->stats().rejected, 0u);
  }
}

}  // namespace
}  // namespace tradingd
