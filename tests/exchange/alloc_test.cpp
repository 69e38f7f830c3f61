// The hot path allocates nothing once warm: the real Binance USD-M capture and synthetic Bybit/OKX book
// streams go through the feed decoders (parse, synchronise, emit) while global operator new counts calls.
// Its own executable, since replacing operator new affects the whole program.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>
#include <string>

#include "exchange/binance/parse.h"
#include "exchange/decoder.h"
#include "tests/exchange/fixture_frames.h"
#include "tests/support/fixtures.h"

namespace {
std::atomic<long> g_allocations{0};
}

// Under AddressSanitizer, which owns operator new itself, the count is skipped (see SKIP_UNDER_ASAN).
#if defined(__SANITIZE_ADDRESS__)
#define SKIP_UNDER_ASAN() GTEST_SKIP() << "allocation counting is meaningless under AddressSanitizer"
#else
#define SKIP_UNDER_ASAN() (void)0
void* operator new(std::size_t n) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
#endif

namespace tradingd {
namespace {

struct Null : DecoderListener {};

TEST(HotPath, BinanceCaptureAllocatesNothingPerMessageOnceWarm) {
  SKIP_UNDER_ASAN();
  TRADINGD_REQUIRE_FIXTURES();
  const auto frames = test::capture_frames("binance/ws_public/cryptofeed_usdm_stream_capture_2021-07-22.json");
  const auto snapshots = test::capture_snapshots("binance/rest_response/cryptofeed_usdm_depth_snapshots_2021-07-22.json");
  Null listener;
  InstrumentLookup lookup(Venue::Binance);
  for (const char* s : {"SUSHIUSDT", "AKROUSDT", "KEEPUSDT", "CTKUSDT"})
    lookup.add(InstrumentId{Venue::Binance, MarketKind::LinearPerp, Symbol::from(s)});
  auto decoder = make_feed_decoder(Venue::Binance, MarketKind::LinearPerp, lookup, listener);
  // Warm up: the first third, including the snapshots (buffers and books size themselves here).
  const std::size_t warm = frames.size() / 3;
  for (std::size_t i = 0; i < warm; ++i) {
    decoder->on_frame(frames[i], 0);
    if (i == 40)
      for (const auto& [symbol, body] : snapshots)
        decoder->on_book_snapshot(body, InstrumentId{Venue::Binance, MarketKind::LinearPerp, Symbol::from(symbol)}, 0);
  }
  const long before = g_allocations.load();
  for (std::size_t i = warm; i < frames.size(); ++i) decoder->on_frame(frames[i], 0);
  const long during = g_allocations.load() - before;
  EXPECT_EQ(decoder->stats().rejected, 0u);
  EXPECT_EQ(decoder->stats().resyncs_requested, 4u);
  // Book sides keep headroom past their snapshot size, parser buffers and simdjson's capacity grow in
  // powers of two: a whole capture passes with none.
  EXPECT_EQ(during, 0) << "allocations over " << frames.size() - warm << " frames";
}

TEST(HotPath, BybitAndOkxBookDeltasAllocateNothingOnceWarm) {
  SKIP_UNDER_ASAN();
  Null listener;
  for (Venue venue : {Venue::Bybit, Venue::Okx}) {
    InstrumentLookup lookup(venue, /*accept_unknown=*/true);
    auto decoder = make_feed_decoder(venue, MarketKind::LinearPerp, lookup, listener);
    auto frame = [&](int i, bool snapshot) {
      const std::string px = std::to_string(20000 + i % 40) + "." + std::to_string(i % 10);
      const std::string ask = std::to_string(20100 + i % 40) + ".5";
      if (venue == Venue::Bybit)
        return std::string(R"({"topic":"orderbook.50.BTCUSDT","type":")") + (snapshot ? "snapshot" : "delta") +
               R"(","ts":1,"data":{"s":"BTCUSDT","b":[[")" + px + R"(","1.5"]],"a":[[")" + ask + R"(","2"]],"u":)" +
               std::to_string(i + 1) + R"(,"seq":1},"cts":1})";
      return std::string(R"({"arg":{"channel":"books","instId":"BTC-USDT-SWAP"},"action":")") +
             (snapshot ? "snapshot" : "update") + R"(","data":[{"asks":[[")" + ask + R"(","2","0","1"]],"bids":[[")" + px +
             R"(","1.5","0","1"]],"ts":"1","checksum":0,"prevSeqId":)" + std::to_string(snapshot ? -1 : i) +
             R"(,"seqId":)" + std::to_string(i + 1) + "}]}";
    };
    std::vector<std::string> frames;
    for (int i = 0; i < 2000; ++i) frames.push_back(frame(i, i == 0));
    for (int i = 0; i < 1000; ++i) decoder->on_frame(frames[static_cast<std::size_t>(i)], 0);
    const long before = g_allocations.load();
    for (int i = 1000; i < 2000; ++i) decoder->on_frame(frames[static_cast<std::size_t>(i)], 0);
    EXPECT_EQ(g_allocations.load() - before, 0) << to_string(venue);
    EXPECT_EQ(decoder->stats().rejected, 0u) << to_string(venue);
    EXPECT_EQ(decoder->stats().resyncs_requested, 0u) << to_string(venue);
  }
}

}  // namespace
}  // namespace tradingd
