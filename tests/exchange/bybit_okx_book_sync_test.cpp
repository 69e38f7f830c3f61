// Bybit and OKX book synchronisers. Bybit: the fixtures' snapshot + delta build the expected book; a
// delta before any snapshot, an out-of-order u, a restart snapshot and depth truncation. OKX: the real
// checksum vectors (a complete books-l2-tbt book; a 400-level UNI-USD-SWAP snapshot and its first update,
// whose merged top 25 must equal the vector's) verify, a corrupted one fails; the docs' check strings;
// seqId/prevSeqId continuity with the heartbeat and reset exceptions; non-canonical strings ("41007.0").
#include <gtest/gtest.h>

#include <zlib.h>

#include "exchange/book/bybit_book_sync.h"
#include "exchange/book/okx_book_sync.h"
#include "exchange/bybit/parse.h"
#include "exchange/okx/parse.h"
#include "tests/exchange/fixture_frames.h"
#include "tests/support/fixtures.h"

namespace tradingd {
namespace {

Price P(const char* s) { return Price::from_string(s); }
Quantity Q(const char* s) { return Quantity::from_string(s); }

// ---- Bybit -----------------------------------------------------------------------------------------------

BybitOrderbook bybit(bool snapshot, std::uint64_t u, const std::vector<BookLevel>& bids,
                     const std::vector<BookLevel>& asks, std::uint32_t depth = 50) {
  BybitOrderbook m;
  m.instrument = InstrumentId{Venue::Bybit, MarketKind::LinearPerp, Symbol::from("BTCUSDT")};
  m.depth = depth;
  m.is_snapshot = snapshot;
  m.update_id = u;
  m.bids = bids;
  m.asks = asks;
  return m;
}

TEST(BybitBookSync, FixtureSnapshotThenDelta) {
  TRADINGD_REQUIRE_FIXTURES();
  InstrumentLookup lookup(Venue::Bybit, true);
  BybitParser parser(MarketKind::LinearPerp);
  const std::string snap = test::fixture_frame("bybit/ws_public/ws_orderbook_snapshot.json");
  const std::string delta = test::fixture_frame("bybit/ws_public/ws_orderbook_delta.json");
  auto s = parser.parse(snap, lookup, 0);
  ASSERT_TRUE(s.ok());
  BybitBookSync sync(std::get<BybitOrderbook>(*s).instrument);
  EXPECT_EQ(sync.on_message(std::get<BybitOrderbook>(*s), nullptr).status, SyncStatus::Applied);
  auto d = parser.parse(delta, lookup, 0);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(sync.on_message(std::get<BybitOrderbook>(*d), nullptr).status, SyncStatus::Applied);
  // The sample is an orderbook.1 topic carrying two levels per side: the book keeps the subscribed depth
  // (one level), the delta resizes bid 27450.00 to 0.400 and deletes the only ask, 27451.00.
  const OrderBook& book = sync.book();
  EXPECT_TRUE(book.valid());
  EXPECT_EQ(book.sequence(), 123456790u);
  ASSERT_EQ(book.depth(Side::Buy), 1u);
  EXPECT_EQ(book.level(Side::Buy, 0), (BookLevel{P("27450.00"), Q("0.400")}));
  EXPECT_EQ(book.depth(Side::Sell), 0u);
  EXPECT_EQ(sync.stats().gaps, 0u);
}

TEST(BybitBookSync, DeltaBeforeSnapshotOutOfOrderUAndRestart) {
  const std::vector<BookLevel> b{{P("100"), Q("1")}, {P("99"), Q("2")}}, a{{P("101"), Q("1")}}, none;
  BybitBookSync sync(bybit(true, 1, b, a).instrument);
  EXPECT_EQ(sync.on_message(bybit(false, 5, b, none), nullptr).status, SyncStatus::NotSynced);
  EXPECT_EQ(sync.on_message(bybit(false, 6, b, none), nullptr).status, SyncStatus::Dropped);  // reported once
  EXPECT_EQ(sync.on_message(bybit(true, 10, b, a), nullptr).status, SyncStatus::Applied);
  EXPECT_EQ(sync.on_message(bybit(false, 11, {{P("99"), Quantity::zero()}}, none), nullptr).status, SyncStatus::Applied);
  EXPECT_EQ(sync.on_message(bybit(false, 15, none, {{P("102"), Q("4")}}), nullptr).status, SyncStatus::Applied);  // u jumps are normal
  const SyncResult r = sync.on_message(bybit(false, 15, b, none), nullptr);
  EXPECT_EQ(r.status, SyncStatus::Gap);
  EXPECT_EQ(r.expected, 16u);
  EXPECT_FALSE(sync.book().valid());
  EXPECT_EQ(sync.on_message(bybit(false, 16, b, none), nullptr).status, SyncStatus::Dropped);
  // "If you receive a new snapshot message, you will have to reset your local orderbook"; u == 1 restart.
  EXPECT_EQ(sync.on_message(bybit(true, 1, b, a), nullptr).status, SyncStatus::Applied);
  EXPECT_TRUE(sync.book().valid());
  EXPECT_EQ(sync.book().depth(Side::Buy), 2u);
  EXPECT_EQ(sync.stats().sequence_resets, 1u);
  EXPECT_EQ(sync.stats().resyncs_requested, 2u);
}

TEST(BybitBookSync, KeepsTheSubscribedDepthAndRejectsCrossedBooks) {
  std::vector<BookLevel> bids, asks;
  for (int i = 0; i < 3; ++i) {
    bids.push_back({Price::from_raw((100 - i) * fixed::kScale), Q("1")});
    asks.push_back({Price::from_raw((101 + i) * fixed::kScale), Q("1")});
  }
  BybitBookSync sync(bybit(true, 1, bids, asks).instrument);
  ASSERT_EQ(sync.on_message(bybit(true, 1, bids, asks, 3), nullptr).status, SyncStatus::Applied);
  ASSERT_EQ(sync.on_message(bybit(false, 2, {{P("100.5"), Q("1")}}, {}, 3), nullptr).status, SyncStatus::Applied);
  EXPECT_EQ(sync.book().depth(Side::Buy), 3u);
  EXPECT_EQ(sync.book().level(Side::Buy, 2).price, P("99"));  // 98 fell out of the 3-level window
  EXPECT_EQ(sync.on_message(bybit(false, 3, {{P("105"), Q("1")}}, {}, 3), nullptr).status, SyncStatus::Crossed);
  EXPECT_FALSE(sync.book().valid());
}

// ---- OKX -------------------------------------------------------------------------------------------------

class OkxChecksumTest : public ::testing::Test {
 protected:
  void SetUp() override {
    TRADINGD_REQUIRE_FIXTURES();
    vectors_ = test::okx_checksum_vectors();
  }
  const test::OkxChecksumVector& vector(const std::string& id) {
    for (const auto& v : vectors_)
      if (v.id == id) return v;
    throw std::runtime_error("no vector " + id);
  }
  OkxBook parse(const std::string& frame) {
    frame_ = frame;
    auto r = parser_.parse(frame_, lookup_, 0);
    EXPECT_TRUE(r.ok());
    return std::get<OkxBook>(*r);
  }

  std::vector<test::OkxChecksumVector> vectors_;
  InstrumentLookup lookup_{Venue::Okx, true};
  OkxParser parser_;
  std::string frame_;
};

TEST_F(OkxChecksumTest, RealCompleteBookVerifies) {
  const auto& v = vector("real_books_l2_tbt_option_snapshot_complete_book");
  OkxBook m = parse(v.raw_message);
  OkxBookSync sync(m.instrument);
  EXPECT_EQ(sync.on_message(m, nullptr).status, SyncStatus::Applied);
  EXPECT_EQ(sync.stats().checksum_verified, 1u);
  EXPECT_EQ(okx_checksum(sync.book()), 971343753);
}

TEST_F(OkxChecksumTest, RealSnapshotAndFirstUpdateVerifyAndMatchTheVectorsBook) {
  const auto& snap = vector("real_books_snapshot_UNI-USD-SWAP_2022-05-13");
  const auto& update = vector("real_books_first_update_UNI-USD-SWAP_2022-05-13");
  OkxBook s = parse(snap.raw_message);
  OkxBookSync sync(s.instrument);
  ASSERT_EQ(sync.on_message(s, nullptr).status, SyncStatus::Applied);
  EXPECT_EQ(okx_checksum(sync.book()), 555605283);
  OkxBook u = parse(update.raw_message);
  ASSERT_EQ(sync.on_message(u, nullptr).status, SyncStatus::Applied);
  EXPECT_EQ(sync.stats().checksum_verified, 2u);
  EXPECT_EQ(sync.stats().checksum_failures, 0u);
  // The merged book's top 25 as the vector lists them (5.117 was deleted by the update).
  const std::string& check = update.check_string;
  std::string ours;
  for (std::size_t i = 0; i < 25; ++i) {
    for (Side side : {Side::Buy, Side::Sell}) {
      if (!ours.empty()) ours += ':';
      ours += sync.book().level(side, i).price.to_string() + ":" + sync.book().level(side, i).size.to_string();
    }
  }
  EXPECT_EQ(ours, check);
  EXPECT_EQ(sync.book().size_at(Side::Buy, P("5.117")), Quantity::zero());
}

TEST_F(OkxChecksumTest, CorruptedBookFails) {
  const auto& snap = vector("real_books_snapshot_UNI-USD-SWAP_2022-05-13");
  std::string corrupted = snap.raw_message;
  // One size in the top 25 changed by one unit: the venue's checksum no longer matches.
  const auto pos = corrupted.find("[\"5.149\",\"192\"");
  ASSERT_NE(pos, std::string::npos);
  corrupted.replace(pos, 14, "[\"5.149\",\"193\"");
  OkxBook m = parse(corrupted);
  OkxBookSync sync(m.instrument);
  const SyncResult r = sync.on_message(m, nullptr);
  EXPECT_EQ(r.status, SyncStatus::ChecksumMismatch);
  EXPECT_TRUE(r.needs_resync());
  EXPECT_EQ(r.checksum_expected, 555605283);
  EXPECT_NE(r.checksum_computed, r.checksum_expected);
  EXPECT_FALSE(sync.book().valid());
  EXPECT_EQ(sync.stats().checksum_failures, 1u);
  // Updates are refused quietly (the mismatch was the report) until a new snapshot.
  OkxBook u = parse(vector("real_books_first_update_UNI-USD-SWAP_2022-05-13").raw_message);
  EXPECT_EQ(sync.on_message(u, nullptr).status, SyncStatus::Dropped);
}

TEST_F(OkxChecksumTest, DocumentationCheckStrings) {
  for (const char* id : {"doc_example_more_than_25_levels_truncated", "doc_example_fewer_bids_than_asks"}) {
    const auto& v = vector(id);
    std::vector<BookLevel> bids, asks;
    for (const auto& l : v.bids) bids.push_back({P(l[0].c_str()), Q(l[1].c_str())});
    for (const auto& l : v.asks) asks.push_back({P(l[0].c_str()), Q(l[1].c_str())});
    OrderBook book;
    book.apply_snapshot(bids, asks);
    const uLong crc = crc32(0, reinterpret_cast<const Bytef*>(v.check_string.data()), static_cast<uInt>(v.check_string.size()));
    EXPECT_EQ(okx_checksum(book), static_cast<std::int32_t>(static_cast<std::uint32_t>(crc))) << id;
    EXPECT_EQ(okx_checksum(book), v.expected_checksum) << id;
  }
}

TEST_F(OkxChecksumTest, DocumentationBooksExampleIsKnownInconsistent) {
  // The docs' books push (as in the nautilus fixture) carries a checksum that does not match its levels:
  // verifying it must fail, which is what the vectors file warns about.
  OkxBook m = parse(test::fixture_frame("okx/ws_public/ws_books_snapshot.json"));
  OkxBookSync sync(m.instrument);
  const SyncResult r = sync.on_message(m, nullptr);
  EXPECT_EQ(r.status, SyncStatus::ChecksumMismatch);
  EXPECT_EQ(r.checksum_computed, -2102840145);
}

OkxBook okx(bool snapshot, std::optional<std::int64_t> prev, std::optional<std::int64_t> seq,
            const std::vector<BookLevel>& bids, const std::vector<BookLevel>& asks) {
  OkxBook m;
  m.instrument = InstrumentId{Venue::Okx, MarketKind::Spot, Symbol::from("BTC-USDT")};
  m.is_snapshot = snapshot;
  m.prev_seq_id = prev;
  m.seq_id = seq;
  m.bids = bids;
  m.asks = asks;
  return m;
}

TEST(OkxBookSync, SequenceRulesWithTheDocumentedExceptions) {
  const std::vector<BookLevel> b{{P("100"), Q("1")}}, a{{P("101"), Q("1")}}, none;
  OkxBookSync sync(okx(true, -1, 10, b, a).instrument);
  EXPECT_EQ(sync.on_message(okx(false, 5, 10, b, none), nullptr).status, SyncStatus::NotSynced);
  // The docs' example: -1 → 10, 10 → 15, 15 → 15 (no update), 15 → 3 (reset), 3 → 5.
  EXPECT_EQ(sync.on_message(okx(true, -1, 10, b, a), nullptr).status, SyncStatus::Applied);
  EXPECT_EQ(sync.on_message(okx(false, 10, 15, {{P("99"), Q("2")}}, none), nullptr).status, SyncStatus::Applied);
  EXPECT_EQ(sync.on_message(okx(false, 15, 15, none, none), nullptr).status, SyncStatus::Applied);
  EXPECT_EQ(sync.on_message(okx(false, 15, 3, none, {{P("102"), Q("1")}}), nullptr).status, SyncStatus::Applied);
  EXPECT_EQ(sync.on_message(okx(false, 3, 5, none, none), nullptr).status, SyncStatus::Applied);
  EXPECT_EQ(sync.stats().heartbeats, 1u);
  EXPECT_EQ(sync.stats().sequence_resets, 1u);
  EXPECT_EQ(sync.book().depth(Side::Buy), 2u);
  // Anything else is a gap.
  const SyncResult r = sync.on_message(okx(false, 6, 8, b, none), nullptr);
  EXPECT_EQ(r.status, SyncStatus::Gap);
  EXPECT_EQ(r.expected, 5u);
  EXPECT_EQ(r.received, 6u);
  EXPECT_FALSE(sync.book().valid());
  EXPECT_EQ(sync.on_message(okx(false, 8, 9, b, none), nullptr).status, SyncStatus::Dropped);
  EXPECT_EQ(sync.on_message(okx(true, -1, 20, b, a), nullptr).status, SyncStatus::Applied);
  EXPECT_TRUE(sync.book().valid());
  sync.reset();  // the caller resubscribed
  EXPECT_EQ(sync.on_message(okx(false, 20, 21, b, none), nullptr).status, SyncStatus::NotSynced);
}

TEST(OkxBookSync, ChecksumUsesTheOriginalStrings) {
  // "41007.0" and "0.10" format canonically as "41007" and "0.1": the checksum must use what OKX sent.
  const std::vector<BookLevel> b{{P("41006.7"), Q("0.48792100")}}, a{{P("41007.0"), Q("0.10")}};
  const std::vector<BookLevelText> bt{{0, "41006.7", "0.48792100"}}, at{{0, "41007.0", "0.10"}};
  const std::string check = "41006.7:0.48792100:41007.0:0.10";
  const auto crc = static_cast<std::int32_t>(static_cast<std::uint32_t>(
      crc32(0, reinterpret_cast<const Bytef*>(check.data()), static_cast<uInt>(check.size()))));
  OkxBook m = okx(true, -1, 1, b, a);
  m.bid_texts = bt;
  m.ask_texts = at;
  m.checksum = crc;
  OkxBookSync sync(m.instrument);
  EXPECT_EQ(sync.on_message(m, nullptr).status, SyncStatus::Applied);
  // A later update rewrites the ask in canonical form: the stored text must be forgotten.
  const std::vector<BookLevel> a2{{P("41007"), Q("0.2")}};
  const std::string check2 = "41006.7:0.48792100:41007:0.2";
  OkxBook u = okx(false, 1, 2, {}, a2);  // canonical strings: no texts
  u.checksum = static_cast<std::int32_t>(static_cast<std::uint32_t>(
      crc32(0, reinterpret_cast<const Bytef*>(check2.data()), static_cast<uInt>(check2.size()))));
  EXPECT_EQ(sync.on_message(u, nullptr).status, SyncStatus::Applied);
  EXPECT_EQ(sync.stats().checksum_verified, 2u);
}

}  // namespace
}  // namespace tradingd
