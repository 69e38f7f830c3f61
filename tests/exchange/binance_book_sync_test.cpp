// Binance book synchronisers. On the real cryptofeed USD-M capture (4 symbols, 1000-level REST
// snapshots, unbroken pu chains): every book is built with no gap, matches an independent std::map model
// after every update, and ends at the top levels computed separately (Python decimal replay of the same
// files). Then injected skips, stale and too-old snapshots, spot-rule sequences and buffering limits.
#include <gtest/gtest.h>

#include <map>
#include <vector>

#include "exchange/binance/parse.h"
#include "exchange/book/binance_book_sync.h"
#include "tests/exchange/fixture_frames.h"
#include "tests/support/fixtures.h"

namespace tradingd {
namespace {

const char* kCapture = "binance/ws_public/cryptofeed_usdm_stream_capture_2021-07-22.json";
const char* kSnapshots = "binance/rest_response/cryptofeed_usdm_depth_snapshots_2021-07-22.json";

Price P(const char* s) { return Price::from_string(s); }
Quantity Q(const char* s) { return Quantity::from_string(s); }

// The model: plain maps, the documented procedure written out in the most direct way.
struct ModelBook {
  std::map<std::int64_t, std::int64_t> bids, asks;
  void load(std::span<const BookLevel> b, std::span<const BookLevel> a) {
    bids.clear();
    asks.clear();
    set(b, a);
  }
  void set(std::span<const BookLevel> b, std::span<const BookLevel> a) {
    for (const auto& l : b) l.size.is_zero() ? (void)bids.erase(l.price.raw()) : (void)(bids[l.price.raw()] = l.size.raw());
    for (const auto& l : a) l.size.is_zero() ? (void)asks.erase(l.price.raw()) : (void)(asks[l.price.raw()] = l.size.raw());
  }
};

void expect_same_top(const OrderBook& book, const ModelBook& model, std::size_t n) {
  ASSERT_EQ(book.depth(Side::Buy), model.bids.size());
  ASSERT_EQ(book.depth(Side::Sell), model.asks.size());
  std::size_t i = 0;
  for (auto it = model.bids.rbegin(); it != model.bids.rend() && i < n; ++it, ++i) {
    ASSERT_EQ(book.level(Side::Buy, i).price.raw(), it->first);
    ASSERT_EQ(book.level(Side::Buy, i).size.raw(), it->second);
  }
  i = 0;
  for (auto it = model.asks.begin(); it != model.asks.end() && i < n; ++it, ++i) {
    ASSERT_EQ(book.level(Side::Sell, i).price.raw(), it->first);
    ASSERT_EQ(book.level(Side::Sell, i).size.raw(), it->second);
  }
}

class CountingSink : public MarketDataSink {
 public:
  void on_book(const BookUpdate& u) override {
    ++updates;
    if (u.is_snapshot) ++snapshots;
    last_sequence = u.sequence;
    EXPECT_TRUE(u.book && u.book->valid());
  }
  int updates = 0, snapshots = 0;
  std::uint64_t last_sequence = 0;
};

// The capture's depth diffs, parsed once (levels copied out of the parser's buffers).
struct Diff {
  std::string symbol;
  std::uint64_t U, u, pu;
  std::vector<BookLevel> bids, asks;
  BinanceDepthUpdate view(const InstrumentId& id) const {
    BinanceDepthUpdate d;
    d.instrument = id;
    d.first_update_id = U;
    d.final_update_id = u;
    d.prev_final_update_id = pu;
    d.bids = bids;
    d.asks = asks;
    return d;
  }
};

class BinanceCaptureTest : public ::testing::Test {
 protected:
  void SetUp() override {
    TRADINGD_REQUIRE_FIXTURES();
    InstrumentLookup lookup(Venue::Binance, true);
    BinanceParser parser(MarketKind::LinearPerp);
    for (const auto& frame : test::capture_frames(kCapture)) {
      auto r = parser.parse(frame, lookup, 0);
      ASSERT_TRUE(r.ok()) << frame;
      if (auto* d = std::get_if<BinanceDepthUpdate>(&*r)) {
        diffs_.push_back(Diff{std::string(d->instrument.symbol.view()), d->first_update_id, d->final_update_id,
                              *d->prev_final_update_id, {d->bids.begin(), d->bids.end()}, {d->asks.begin(), d->asks.end()}});
      }
    }
    ASSERT_EQ(diffs_.size(), 764u);
    snapshot_bodies_ = test::capture_snapshots(kSnapshots);
  }

  static InstrumentId id(const std::string& symbol) {
    return InstrumentId{Venue::Binance, MarketKind::LinearPerp, Symbol::from(symbol)};
  }

  std::vector<Diff> diffs_;
  std::map<std::string, std::string> snapshot_bodies_;
  BinanceParser snapshot_parser_{MarketKind::LinearPerp};
};

TEST_F(BinanceCaptureTest, BuildsEveryBookWithoutGapsAndMatchesTheModel) {
  std::map<std::string, std::unique_ptr<BinanceUsdmBookSync>> syncs;
  std::map<std::string, ModelBook> models;
  std::map<std::string, std::uint64_t> model_ids;
  CountingSink sink;
  for (const Diff& d : diffs_) {
    auto& sync = syncs[d.symbol];
    if (!sync) sync = std::make_unique<BinanceUsdmBookSync>(id(d.symbol));
    SyncResult r = sync->on_update(d.view(id(d.symbol)), &sink);
    if (r.status == SyncStatus::NeedSnapshot) {
      // As the live feed would: the first diff asks for the REST snapshot, fetched now.
      auto snap = snapshot_parser_.parse_depth_snapshot(snapshot_bodies_.at(d.symbol), id(d.symbol), 0);
      ASSERT_TRUE(snap.ok());
      models[d.symbol].load(snap->bids, snap->asks);
      model_ids[d.symbol] = snap->last_update_id;
      r = sync->on_snapshot(*snap, &sink);
      ASSERT_FALSE(r.needs_resync()) << d.symbol << " " << to_string(r.status);
      continue;
    }
    ASSERT_FALSE(r.needs_resync()) << d.symbol << " u=" << d.u << " " << to_string(r.status);
    // The model: drop u < lastUpdateId before the first applied event, then apply everything.
    if (d.u < model_ids[d.symbol]) {
      EXPECT_EQ(r.status, SyncStatus::Stale);
      continue;
    }
    model_ids[d.symbol] = 0;
    EXPECT_EQ(r.status, SyncStatus::Applied);
    models[d.symbol].set(d.bids, d.asks);
    expect_same_top(sync->book(), models[d.symbol], 20);
    EXPECT_EQ(sync->book().sequence(), d.u);
    EXPECT_FALSE(sync->book().is_crossed());
  }
  // Applied counts and final books from the independent Python replay of the same files.
  const std::map<std::string, std::uint64_t> applied{{"AKROUSDT", 188}, {"SUSHIUSDT", 252}, {"CTKUSDT", 180}, {"KEEPUSDT", 132}};
  for (const auto& [symbol, count] : applied) {
    const auto& s = syncs.at(symbol)->stats();
    EXPECT_EQ(s.updates_applied, count) << symbol;
    EXPECT_EQ(s.gaps, 0u) << symbol;
    EXPECT_EQ(s.snapshots_applied, 1u) << symbol;
    EXPECT_EQ(s.crossed, 0u) << symbol;
    EXPECT_EQ(s.resyncs_requested, 1u) << symbol;  // the initial snapshot request only
    EXPECT_TRUE(syncs.at(symbol)->book().valid());
  }
  EXPECT_EQ(sink.snapshots, 4);
  EXPECT_EQ(sink.updates, 4 + 188 + 252 + 180 + 132);

  struct Top {
    const char* symbol;
    std::uint64_t sequence;
    std::size_t bids, asks;
    std::vector<std::pair<const char*, const char*>> best_bids, best_asks;
  };
  const Top expected[] = {
      {"SUSHIUSDT", 600860425198, 1006, 1000,
       {{"7.6120", "303"}, {"7.6110", "105"}, {"7.6100", "178"}, {"7.6090", "294"}, {"7.6080", "1421"}},
       {{"7.6160", "267"}, {"7.6170", "261"}, {"7.6180", "1133"}, {"7.6190", "1038"}, {"7.6200", "2662"}}},
      {"AKROUSDT", 600860423964, 613, 761,
       {{"0.01734", "502"}, {"0.01733", "44695"}, {"0.01732", "795679"}, {"0.01731", "220319"}, {"0.01730", "539620"}},
       {{"0.01735", "50697"}, {"0.01736", "359660"}, {"0.01737", "771502"}, {"0.01738", "653449"}, {"0.01739", "450336"}}},
      {"KEEPUSDT", 600860420312, 401, 614,
       {{"0.2463", "249"}, {"0.2462", "339"}, {"0.2461", "339"}, {"0.2460", "1358"}, {"0.2459", "5103"}},
       {{"0.2467", "9047"}, {"0.2468", "406"}, {"0.2469", "1939"}, {"0.2470", "1573"}, {"0.2471", "13509"}}},
      {"CTKUSDT", 600860423222, 486, 742,
       {{"1.01100", "1698"}, {"1.01000", "78910"}, {"1.00900", "14632"}, {"1.00800", "17761"}, {"1.00700", "10499"}},
       {{"1.01200", "10123"}, {"1.01300", "13912"}, {"1.01400", "17280"}, {"1.01500", "15834"}, {"1.01600", "21350"}}},
  };
  for (const Top& t : expected) {
    const OrderBook& book = syncs.at(t.symbol)->book();
    EXPECT_EQ(book.sequence(), t.sequence) << t.symbol;
    EXPECT_EQ(book.depth(Side::Buy), t.bids) << t.symbol;
    EXPECT_EQ(book.depth(Side::Sell), t.asks) << t.symbol;
    for (std::size_t i = 0; i < t.best_bids.size(); ++i) {
      EXPECT_EQ(book.level(Side::Buy, i), (BookLevel{P(t.best_bids[i].first), Q(t.best_bids[i].second)})) << t.symbol << i;
      EXPECT_EQ(book.level(Side::Sell, i), (BookLevel{P(t.best_asks[i].first), Q(t.best_asks[i].second)})) << t.symbol << i;
    }
  }
}

TEST_F(BinanceCaptureTest, SnapshotBeforeAnyDiffWorksToo) {
  // Replay order: the snapshot is loaded first; diffs older than it are stale, the rest bridge.
  BinanceUsdmBookSync sync(id("CTKUSDT"));
  auto snap = snapshot_parser_.parse_depth_snapshot(snapshot_bodies_.at("CTKUSDT"), id("CTKUSDT"), 0);
  ASSERT_TRUE(snap.ok());
  EXPECT_EQ(sync.on_snapshot(*snap, nullptr).status, SyncStatus::Applied);
  for (const Diff& d : diffs_)
    if (d.symbol == "CTKUSDT") {
      ASSERT_FALSE(sync.on_update(d.view(id(d.symbol)), nullptr).needs_resync());
    }
  EXPECT_EQ(sync.stats().updates_applied, 180u);
  EXPECT_EQ(sync.book().sequence(), 600860423222u);
}

TEST_F(BinanceCaptureTest, InjectedSkipIsAGapThenANewSnapshotResyncs) {
  const std::string symbol = "SUSHIUSDT";
  std::vector<const Diff*> mine;
  for (const Diff& d : diffs_)
    if (d.symbol == symbol) mine.push_back(&d);
  auto snap = snapshot_parser_.parse_depth_snapshot(snapshot_bodies_.at(symbol), id(symbol), 0);
  ASSERT_TRUE(snap.ok());
  ModelBook full;  // the model over the complete stream
  full.load(snap->bids, snap->asks);
  BinanceUsdmBookSync sync(id(symbol));
  ASSERT_EQ(sync.on_snapshot(*snap, nullptr).status, SyncStatus::Applied);

  const std::size_t skipped = 100;
  ModelBook at_skip;
  bool gap_seen = false;
  std::size_t buffered = 0;
  for (std::size_t i = 0; i < mine.size(); ++i) {
    const Diff& d = *mine[i];
    if (d.u >= snap->last_update_id) full.set(d.bids, d.asks);
    if (i == skipped) {
      at_skip = full;  // the venue's book right after the event we never receive
      continue;
    }
    const SyncResult r = sync.on_update(d.view(id(symbol)), nullptr);
    if (i == skipped + 1) {
      ASSERT_EQ(r.status, SyncStatus::Gap);
      EXPECT_EQ(r.expected, mine[skipped - 1]->u);  // the book's id
      EXPECT_EQ(r.received, d.pu);                  // the skipped event's u
      EXPECT_FALSE(sync.book().valid());
      gap_seen = true;
    } else if (i > skipped + 1) {
      EXPECT_EQ(r.status, SyncStatus::Buffered);  // reported once; the rest wait for the snapshot
      ++buffered;
    }
  }
  ASSERT_TRUE(gap_seen);
  EXPECT_EQ(sync.stats().gaps, 1u);
  EXPECT_EQ(sync.buffered(), buffered + 1);

  // A snapshot as of the skipped event's u (in the REST snapshot's shape) bridges the buffer.
  std::vector<BookLevel> bids, asks;
  for (const auto& [p, q] : at_skip.bids) bids.push_back({Price::from_raw(p), Quantity::from_raw(q)});
  for (const auto& [p, q] : at_skip.asks) asks.push_back({Price::from_raw(p), Quantity::from_raw(q)});
  BinanceDepthSnapshot resnap{id(symbol), mine[skipped]->u, bids, asks, 0, 0};
  CountingSink sink;
  const SyncResult r = sync.on_snapshot(resnap, &sink);
  EXPECT_EQ(r.status, SyncStatus::Applied);
  EXPECT_TRUE(sync.book().valid());
  EXPECT_EQ(sink.snapshots, 1);
  EXPECT_EQ(sink.updates, static_cast<int>(buffered) + 2);
  expect_same_top(sync.book(), full, 1000);
  EXPECT_EQ(sync.book().sequence(), mine.back()->u);
}

TEST_F(BinanceCaptureTest, SnapshotOlderThanTheStreamIsRefetched) {
  const std::string symbol = "KEEPUSDT";
  BinanceUsdmBookSync sync(id(symbol));
  std::size_t fed = 0;
  for (const Diff& d : diffs_) {
    if (d.symbol != symbol) continue;
    if (fed++ == 40) break;  // by now the stream is well past the captured snapshot
    sync.on_update(d.view(id(symbol)), nullptr);
  }
  // Only the newest events are still buffered if we drop the early ones: simulate a late fetch.
  BinanceUsdmBookSync late(id(symbol));
  std::size_t i = 0;
  for (const Diff& d : diffs_) {
    if (d.symbol != symbol || i++ < 60) continue;
    late.on_update(d.view(id(symbol)), nullptr);
  }
  auto snap = snapshot_parser_.parse_depth_snapshot(snapshot_bodies_.at(symbol), id(symbol), 0);
  ASSERT_TRUE(snap.ok());
  const SyncResult r = late.on_snapshot(*snap, nullptr);
  EXPECT_EQ(r.status, SyncStatus::NeedSnapshot);
  EXPECT_EQ(r.expected, snap->last_update_id);
  EXPECT_GT(r.received, r.expected);  // the oldest buffered U, past the snapshot
  EXPECT_FALSE(late.book().valid());
  EXPECT_EQ(late.stats().snapshot_too_old, 1u);
  // The earlier-started one bridges fine.
  EXPECT_EQ(sync.on_snapshot(*snap, nullptr).status, SyncStatus::Applied);
}

// Synthetic spot sequences for the rules the capture does not exercise.
BinanceDepthUpdate spot(std::uint64_t U, std::uint64_t u, const std::vector<BookLevel>& bids,
                        const std::vector<BookLevel>& asks) {
  BinanceDepthUpdate d;
  d.instrument = InstrumentId{Venue::Binance, MarketKind::Spot, Symbol::from("BNBBTC")};
  d.first_update_id = U;
  d.final_update_id = u;
  d.bids = bids;
  d.asks = asks;
  return d;
}

TEST(BinanceSpotBookSync, FollowsTheDocumentedProcedure) {
  const InstrumentId id{Venue::Binance, MarketKind::Spot, Symbol::from("BNBBTC")};
  BinanceSpotBookSync sync(id);
  const std::vector<BookLevel> b1{{P("10"), Q("1")}}, a1{{P("11"), Q("1")}}, none;
  // Buffer; the first event asks for a snapshot once.
  EXPECT_EQ(sync.on_update(spot(100, 105, b1, none), nullptr).status, SyncStatus::NeedSnapshot);
  EXPECT_EQ(sync.on_update(spot(106, 110, {{P("10"), Q("2")}}, none), nullptr).status, SyncStatus::Buffered);
  EXPECT_EQ(sync.on_update(spot(111, 111, none, {{P("11"), Q("3")}}), nullptr).status, SyncStatus::Buffered);
  // "If the lastUpdateId from the snapshot is strictly less than the U from step 2, go back to step 3."
  const std::vector<BookLevel> sb{{P("9"), Q("5")}, {P("10"), Q("7")}}, sa{{P("11"), Q("9")}};
  BinanceDepthSnapshot old{id, 98, sb, sa, 0, 0};
  EXPECT_EQ(sync.on_snapshot(old, nullptr).status, SyncStatus::NeedSnapshot);
  // lastUpdateId 107: event 100-105 (u <= 107) is discarded, 106-110 contains 108, 111 follows.
  BinanceDepthSnapshot snap{id, 107, sb, sa, 0, 0};
  CountingSink sink;
  EXPECT_EQ(sync.on_snapshot(snap, &sink).status, SyncStatus::Applied);
  EXPECT_EQ(sink.snapshots, 1);
  EXPECT_EQ(sink.updates, 3);
  EXPECT_EQ(sync.stats().stale_dropped, 1u);
  EXPECT_EQ(sync.book().size_at(Side::Buy, P("10")), Q("2"));
  EXPECT_EQ(sync.book().size_at(Side::Sell, P("11")), Q("3"));
  EXPECT_EQ(sync.book().sequence(), 111u);
  // "If the event last update ID (u) is less than the update ID of your local order book, ignore."
  EXPECT_EQ(sync.on_update(spot(109, 111, {{P("10"), Q("99")}}, none), nullptr).status, SyncStatus::Stale);
  EXPECT_EQ(sync.book().size_at(Side::Buy, P("10")), Q("2"));
  // "U of the next event is equal to u + 1 of the previous event", and overlap is fine.
  EXPECT_EQ(sync.on_update(spot(110, 115, {{P("9"), Quantity::zero()}}, none), nullptr).status, SyncStatus::Applied);
  EXPECT_EQ(sync.book().depth(Side::Buy), 1u);
  // "If U is greater than the update ID of your local order book + 1, you have missed some events."
  const SyncResult gap = sync.on_update(spot(117, 120, b1, none), nullptr);
  EXPECT_EQ(gap.status, SyncStatus::Gap);
  EXPECT_EQ(gap.expected, 116u);
  EXPECT_EQ(gap.received, 117u);
  EXPECT_FALSE(sync.book().valid());
  EXPECT_TRUE(sync.awaiting_snapshot());
  EXPECT_EQ(sync.on_update(spot(121, 122, b1, none), nullptr).status, SyncStatus::Buffered);
  // The snapshot must bridge the gap-causing event, which started the new buffer.
  BinanceDepthSnapshot after{id, 118, sb, sa, 0, 0};
  EXPECT_EQ(sync.on_snapshot(after, nullptr).status, SyncStatus::Applied);
  EXPECT_TRUE(sync.book().valid());
  EXPECT_EQ(sync.book().sequence(), 122u);
  EXPECT_EQ(sync.stats().gaps, 1u);
  EXPECT_EQ(sync.stats().snapshot_too_old, 1u);
}

TEST(BinanceSpotBookSync, LateSnapshotDoesNotMoveALiveBookBack) {
  const InstrumentId id{Venue::Binance, MarketKind::Spot, Symbol::from("BNBBTC")};
  BinanceSpotBookSync sync(id);
  const std::vector<BookLevel> sb{{P("10"), Q("1")}}, sa{{P("11"), Q("1")}}, none;
  ASSERT_EQ(sync.on_snapshot(BinanceDepthSnapshot{id, 50, sb, sa, 0, 0}, nullptr).status, SyncStatus::Applied);
  ASSERT_EQ(sync.on_update(spot(51, 60, {{P("10"), Q("4")}}, none), nullptr).status, SyncStatus::Applied);
  EXPECT_EQ(sync.on_snapshot(BinanceDepthSnapshot{id, 55, sb, sa, 0, 0}, nullptr).status, SyncStatus::Stale);
  EXPECT_EQ(sync.book().size_at(Side::Buy, P("10")), Q("4"));
  EXPECT_EQ(sync.book().sequence(), 60u);
  EXPECT_TRUE(sync.book().valid());
}

TEST(BinanceSpotBookSync, FirstEventMustContainLastUpdateIdPlusOne) {
  const InstrumentId id{Venue::Binance, MarketKind::Spot, Symbol::from("BNBBTC")};
  BinanceSpotBookSync sync(id);
  const std::vector<BookLevel> sb{{P("10"), Q("1")}}, sa{{P("11"), Q("1")}}, none;
  EXPECT_EQ(sync.on_snapshot(BinanceDepthSnapshot{id, 50, sb, sa, 0, 0}, nullptr).status, SyncStatus::Applied);
  EXPECT_EQ(sync.on_update(spot(40, 50, sb, none), nullptr).status, SyncStatus::Stale);
  const SyncResult r = sync.on_update(spot(52, 60, sb, none), nullptr);
  EXPECT_EQ(r.status, SyncStatus::NeedSnapshot);  // 51 missing between the snapshot and the stream
  EXPECT_EQ(r.expected, 51u);
}

TEST(BinanceUsdmBookSync, PuMustChainAndFirstEventMustSpanTheSnapshot) {
  const InstrumentId id{Venue::Binance, MarketKind::LinearPerp, Symbol::from("BTCUSDT")};
  BinanceUsdmBookSync sync(id);
  const std::vector<BookLevel> sb{{P("10"), Q("1")}}, sa{{P("11"), Q("1")}}, none;
  auto ev = [&](std::uint64_t U, std::uint64_t u, std::uint64_t pu) {
    BinanceDepthUpdate d = spot(U, u, sb, none);
    d.instrument = id;
    d.prev_final_update_id = pu;
    return d;
  };
  ASSERT_EQ(sync.on_snapshot(BinanceDepthSnapshot{id, 1000, sb, sa, 0, 0}, nullptr).status, SyncStatus::Applied);
  EXPECT_EQ(sync.on_update(ev(990, 999, 980), nullptr).status, SyncStatus::Stale);   // u < lastUpdateId
  EXPECT_EQ(sync.on_update(ev(995, 1005, 999), nullptr).status, SyncStatus::Applied);  // U <= 1000 <= u
  EXPECT_EQ(sync.on_update(ev(1006, 1010, 1005), nullptr).status, SyncStatus::Applied);
  const SyncResult gap = sync.on_update(ev(1012, 1015, 1011), nullptr);
  EXPECT_EQ(gap.status, SyncStatus::Gap);
  EXPECT_EQ(gap.expected, 1010u);
  EXPECT_EQ(gap.received, 1011u);
  // A first event that starts after the snapshot is a too-old snapshot...
  BinanceUsdmBookSync other(id);
  ASSERT_EQ(other.on_snapshot(BinanceDepthSnapshot{id, 1000, sb, sa, 0, 0}, nullptr).status, SyncStatus::Applied);
  EXPECT_EQ(other.on_update(ev(1002, 1005, 1001), nullptr).status, SyncStatus::NeedSnapshot);
  // ...unless it chains right onto it (pu == lastUpdateId).
  BinanceUsdmBookSync chained(id);
  ASSERT_EQ(chained.on_snapshot(BinanceDepthSnapshot{id, 1000, sb, sa, 0, 0}, nullptr).status, SyncStatus::Applied);
  EXPECT_EQ(chained.on_update(ev(1001, 1005, 1000), nullptr).status, SyncStatus::Applied);
}

TEST(BinanceBookSync, CrossedBookIsInvalidatedAndBufferIsBounded) {
  const InstrumentId id{Venue::Binance, MarketKind::Spot, Symbol::from("BNBBTC")};
  BinanceSpotBookSync sync(id, /*max_buffered=*/4);
  const std::vector<BookLevel> sb{{P("10"), Q("1")}}, sa{{P("11"), Q("1")}}, none;
  ASSERT_EQ(sync.on_snapshot(BinanceDepthSnapshot{id, 10, sb, sa, 0, 0}, nullptr).status, SyncStatus::Applied);
  const SyncResult crossed = sync.on_update(spot(11, 11, {{P("12"), Q("1")}}, none), nullptr);
  EXPECT_EQ(crossed.status, SyncStatus::Crossed);
  EXPECT_FALSE(sync.book().valid());
  for (std::uint64_t k = 12; k < 22; ++k) sync.on_update(spot(k, k, sb, none), nullptr);
  EXPECT_LE(sync.buffered(), 4u);
  EXPECT_GE(sync.stats().buffer_overflows, 2u);
}

}  // namespace
}  // namespace tradingd
