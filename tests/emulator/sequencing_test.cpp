// Depth streams against the REST snapshots, following each venue's documented book-building rules:
// Binance spot (U == previous u + 1, first event spans lastUpdateId + 1) and USD-M (pu == previous u),
// Bybit orderbook.N (snapshot, then deltas with u + 1), OKX books (prevSeqId == previous seqId, and the
// CRC32 checksum of the top 25 levels). The book built from the stream must equal a fresh REST snapshot.
#include <map>

#include <gtest/gtest.h>

#include "exchange/emulator/binance/service.h"
#include "exchange/emulator/bybit/service.h"
#include "exchange/emulator/okx/service.h"
#include "tests/emulator/shape.h"

namespace tradingd::emulator {
namespace {
namespace json = boost::json;
using test::parse;

constexpr std::int64_t kNow = 1'700'000'000'000;
using Side = std::map<std::string, std::string>;  // exact price string -> size string

ServiceOptions options() {
  ServiceOptions o;
  o.market = {21, kNow, 3};
  return o;
}

json::value rest(VenueService& svc, const std::string& target, std::int64_t now) {
  return parse(svc.handle_rest(HttpRequest{"GET", target, "", {}}, now).body);
}

void apply(Side& side, const json::value& levels) {
  for (const auto& l : levels.as_array()) {
    const std::string p(l.at(0).as_string()), q(l.at(1).as_string());
    if (Quantity::from_string(q).is_zero()) side.erase(p);
    else side[p] = q;
  }
}

Side to_side(const json::value& levels) {
  Side s;
  apply(s, levels);
  return s;
}

void run_binance(bool futures) {
  binance::BinanceService svc(options());
  const std::string sym = "btcusdt";
  auto ws = svc.open_ws(futures ? "/public/ws" : "/ws");
  std::vector<std::string> out;
  ws->on_text(R"({"method":"SUBSCRIBE","params":[")" + sym + R"(@depth@100ms"],"id":1})", kNow, out);
  out.clear();
  std::int64_t t = kNow;
  for (int i = 0; i < 3; ++i) ws->on_tick(svc.tick(t += 100), out);  // buffered before the snapshot
  const std::string prefix = futures ? "/fapi/v1/depth?symbol=BTCUSDT&limit=1000" : "/api/v3/depth?symbol=BTCUSDT&limit=5000";
  const auto snap = rest(svc, prefix, t);
  for (int i = 0; i < 200; ++i) ws->on_tick(svc.tick(t += 100), out);
  Side bids = to_side(snap.at("bids")), asks = to_side(snap.at("asks"));
  std::int64_t book_id = snap.at("lastUpdateId").as_int64();
  bool first = true;
  std::int64_t prev_u = -1;
  int applied = 0;
  for (const auto& f : out) {
    const auto ev = parse(f);
    const std::int64_t U = ev.at("U").as_int64(), u = ev.at("u").as_int64();
    if (prev_u >= 0) {
      if (futures) {
        ASSERT_EQ(ev.at("pu").as_int64(), prev_u) << "pu chains to the previous u";
      } else {
        ASSERT_EQ(U, prev_u + 1) << "U follows the previous u";
      }
    }
    prev_u = u;
    if (u <= book_id) continue;  // older than the snapshot
    if (first) {
      ASSERT_LE(U, book_id + 1);
      ASSERT_GE(u, book_id + 1);
      first = false;
    }
    apply(bids, ev.at("b"));
    apply(asks, ev.at("a"));
    book_id = u;
    ++applied;
  }
  ASSERT_GT(applied, 100);
  const auto now = rest(svc, prefix, t);
  EXPECT_EQ(now.at("lastUpdateId").as_int64(), book_id);
  EXPECT_EQ(bids, to_side(now.at("bids")));
  EXPECT_EQ(asks, to_side(now.at("asks")));
}

TEST(Sequencing, BinanceSpotDiffDepthMatchesSnapshots) { run_binance(false); }
TEST(Sequencing, BinanceUsdmDiffDepthMatchesSnapshots) { run_binance(true); }

TEST(Sequencing, BybitOrderbookSnapshotThenDeltas) {
  for (const char* depth : {"50", "200"}) {
    bybit::BybitService svc(options());
    auto ws = svc.open_ws("/v5/public/linear");
    std::vector<std::string> out;
    ws->on_text(std::string(R"({"op":"subscribe","args":["orderbook.)") + depth + R"(.ETHUSDT"]})", kNow, out);
    std::int64_t t = kNow;
    for (int i = 0; i < 200; ++i) ws->on_tick(svc.tick(t += 100), out);
    Side bids, asks;
    std::int64_t last_u = -1;
    int deltas = 0;
    for (std::size_t i = 1; i < out.size(); ++i) {
      const auto m = parse(out[i]);
      const auto& d = m.at("data");
      if (m.at("type") == "snapshot") {
        bids = to_side(d.at("b"));
        asks = to_side(d.at("a"));
      } else {
        ASSERT_EQ(d.at("u").as_int64(), last_u + 1) << "u rises by one per delta";
        apply(bids, d.at("b"));
        apply(asks, d.at("a"));
        ++deltas;
      }
      last_u = d.at("u").as_int64();
    }
    ASSERT_GT(deltas, 100);
    const auto snap = rest(svc, std::string("/v5/market/orderbook?category=linear&symbol=ETHUSDT&limit=") + depth, t);
    EXPECT_EQ(bids, to_side(snap.at("result").at("b"))) << depth;
    EXPECT_EQ(asks, to_side(snap.at("result").at("a"))) << depth;
    if (std::string(depth) == "200") {
      EXPECT_EQ(snap.at("result").at("u").as_int64(), last_u);
    }
  }
}

std::int32_t local_checksum(const Side& bids, const Side& asks) {
  std::vector<std::pair<std::string, std::string>> b, a;
  // Best first: bids by descending price, asks ascending (compare as decimals, not as strings).
  std::vector<std::pair<Price, std::pair<std::string, std::string>>> vb, va;
  for (const auto& [p, q] : bids) vb.push_back({Price::from_string(p), {p, q}});
  for (const auto& [p, q] : asks) va.push_back({Price::from_string(p), {p, q}});
  std::sort(vb.begin(), vb.end(), [](const auto& x, const auto& y) { return x.first > y.first; });
  std::sort(va.begin(), va.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
  for (const auto& x : vb) b.push_back(x.second);
  for (const auto& x : va) a.push_back(x.second);
  return okx::checksum(b, a);
}

TEST(Sequencing, OkxBooksSeqIdChainAndChecksum) {
  okx::OkxService svc(options());
  auto ws = svc.open_ws("/ws/v5/public");
  std::vector<std::string> out;
  ws->on_text(R"({"op":"subscribe","args":[{"channel":"books","instId":"BTC-USDT-SWAP"}]})", kNow, out);
  std::int64_t t = kNow;
  for (int i = 0; i < 200; ++i) ws->on_tick(svc.tick(t += 100), out);
  Side bids, asks;
  std::int64_t last_seq = -2;
  int updates = 0;
  for (std::size_t i = 1; i < out.size(); ++i) {
    const auto m = parse(out[i]);
    const auto& d = m.at("data").at(0);
    if (m.at("action") == "snapshot") {
      ASSERT_EQ(d.at("prevSeqId").as_int64(), -1);
      bids = to_side(d.at("bids"));
      asks = to_side(d.at("asks"));
    } else {
      ASSERT_EQ(d.at("prevSeqId").as_int64(), last_seq) << "prevSeqId chains to the previous seqId";
      apply(bids, d.at("bids"));
      apply(asks, d.at("asks"));
      ++updates;
    }
    last_seq = d.at("seqId").as_int64();
    ASSERT_NE(d.at("checksum").as_int64(), 0);
    ASSERT_EQ(d.at("checksum").as_int64(), local_checksum(bids, asks)) << "message " << i;
  }
  ASSERT_GT(updates, 100);
  const auto snap = rest(svc, "/api/v5/market/books?instId=BTC-USDT-SWAP&sz=400", t);
  EXPECT_EQ(bids, to_side(snap.at("data").at(0).at("bids")));
  EXPECT_EQ(asks, to_side(snap.at("data").at(0).at("asks")));
  EXPECT_EQ(snap.at("data").at(0).at("seqId").as_int64(), last_seq);
}

TEST(Sequencing, OkxChecksumMatchesTheDocumentedExample) {
  // The docs' example: bids [3366.1,7],[3366,6]; asks [3366.8,9],[3368,8] -> -1881014294.
  EXPECT_EQ(okx::checksum({{"3366.1", "7"}, {"3366", "6"}}, {{"3366.8", "9"}, {"3368", "8"}}), -1881014294);
}

TEST(Sequencing, OkxChecksumZeroMode) {
  auto o = options();
  o.okx_checksum_zero = true;
  okx::OkxService svc(o);
  auto ws = svc.open_ws("/ws/v5/public");
  std::vector<std::string> out;
  ws->on_text(R"({"op":"subscribe","args":[{"channel":"books","instId":"BTC-USDT"}]})", kNow, out);
  for (int i = 1; i <= 20; ++i) ws->on_tick(svc.tick(kNow + i * 100), out);
  for (std::size_t i = 1; i < out.size(); ++i) EXPECT_EQ(parse(out[i]).at("data").at(0).at("checksum"), 0);
}

}  // namespace
}  // namespace tradingd::emulator
