// Fault injection at the protocol level: request parsing (admin JSON, --fault flags), the state they set,
// and their visible effect on the streams: skip_seq leaves a sequence gap every venue's rule detects,
// corrupt_checksum sends a wrong OKX checksum, ignore_pings leaves pings unanswered. (drop, stall and
// malformed act on sockets: see server_test.cpp.)
#include <gtest/gtest.h>

#include "exchange/emulator/binance/service.h"
#include "exchange/emulator/bybit/service.h"
#include "exchange/emulator/faults.h"
#include "exchange/emulator/okx/service.h"
#include "tests/emulator/shape.h"

namespace tradingd::emulator {
namespace {
namespace json = boost::json;
using test::parse;

constexpr std::int64_t kNow = 1'700'000'000'000;

ServiceOptions options() {
  ServiceOptions o;
  o.market = {31, kNow, 2};
  return o;
}

TEST(Faults, ParsesAdminRequests) {
  auto r = parse_fault_request(R"({"fault":"stall","duration_ms":2500})");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->kind, FaultKind::Stall);
  EXPECT_EQ(r->duration_ms, 2500);
  r = parse_fault_request(R"({"fault":"skip_seq","count":3})");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->count, 3);
  EXPECT_FALSE(parse_fault_request("nope"));
  EXPECT_FALSE(parse_fault_request(R"({"fault":"explode"})"));
  EXPECT_FALSE(parse_fault_request(R"({"fault":"drop","count":0})"));
  EXPECT_FALSE(parse_fault_request(R"({"fault":"drop","extra":1})"));
}

TEST(Faults, ParsesFlags) {
  auto r = parse_fault_flag("ignore_pings");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->duration_ms, -1) << "a startup flag without a duration lasts until cleared";
  r = parse_fault_flag("malformed:4");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->count, 4);
  EXPECT_FALSE(parse_fault_flag("stall:x"));
  EXPECT_FALSE(parse_fault_flag("boom"));
}

TEST(Faults, ApplyAndClear) {
  FaultState s;
  s.okx_checksum_zero = true;
  apply_fault({FaultKind::Stall, 1000, 1}, kNow, s);
  EXPECT_TRUE(s.stalled(kNow + 999));
  EXPECT_FALSE(s.stalled(kNow + 1000));
  apply_fault({FaultKind::IgnorePings, -1, 1}, kNow, s);
  EXPECT_TRUE(s.ignoring_pings(kNow + 1'000'000'000));
  apply_fault({FaultKind::Drop, 0, 2}, kNow, s);
  EXPECT_EQ(s.drop_pending, 2);
  const auto described = parse(describe_faults(s, kNow));
  EXPECT_EQ(described.at("ignore_pings_remaining_ms"), -1);
  apply_fault({FaultKind::Clear, 0, 1}, kNow, s);
  EXPECT_FALSE(s.stalled(kNow));
  EXPECT_EQ(s.drop_pending, 0);
  EXPECT_TRUE(s.okx_checksum_zero) << "clear keeps configuration";
}

// Ticks until a book update is sent, injects skip_seq, and returns the frames after it.
std::vector<json::value> frames_around_skip(VenueService& svc, WsProtocol& ws, const std::string& subscribe) {
  std::vector<std::string> out;
  ws.on_text(subscribe, kNow, out);
  std::int64_t t = kNow;
  for (int i = 0; i < 20; ++i) ws.on_tick(svc.tick(t += 100), out);
  apply_fault({FaultKind::SkipSeq, 0, 1}, t, svc.faults());
  for (int i = 0; i < 20; ++i) ws.on_tick(svc.tick(t += 100), out);
  EXPECT_EQ(svc.faults().skip_seq_pending, 0);
  std::vector<json::value> v;
  for (std::size_t i = 1; i < out.size(); ++i) v.push_back(parse(out[i]));
  return v;
}

TEST(Faults, SkipSeqMakesADetectableGapOnEveryVenue) {
  {
    binance::BinanceService svc(options());
    auto ws = svc.open_ws("/fstream/ws");
    const auto fs = frames_around_skip(svc, *ws, R"({"method":"SUBSCRIBE","params":["btcusdt@depth@100ms"],"id":1})");
    int gaps_pu = 0, gaps_u = 0;
    for (std::size_t i = 1; i < fs.size(); ++i) {
      gaps_pu += fs[i].at("pu") != fs[i - 1].at("u");
      gaps_u += fs[i].at("U").as_int64() != fs[i - 1].at("u").as_int64() + 1;
    }
    EXPECT_EQ(gaps_pu, 1);
    EXPECT_EQ(gaps_u, 1);
  }
  {
    bybit::BybitService svc(options());
    auto ws = svc.open_ws("/v5/public/spot");
    const auto fs = frames_around_skip(svc, *ws, R"({"op":"subscribe","args":["orderbook.50.BTCUSDT"]})");
    int gaps = 0;
    for (std::size_t i = 1; i < fs.size(); ++i)
      gaps += fs[i].at("data").at("u").as_int64() != fs[i - 1].at("data").at("u").as_int64() + 1;
    EXPECT_EQ(gaps, 1);
  }
  {
    okx::OkxService svc(options());
    auto ws = svc.open_ws("/ws/v5/public");
    auto fs = frames_around_skip(svc, *ws, R"({"op":"subscribe","args":[{"channel":"books","instId":"ETH-USDT"}]})");
    fs.erase(fs.begin());  // the subscribe ack; fs[0] is now the snapshot
    int gaps = 0;
    for (std::size_t i = 1; i < fs.size(); ++i)
      gaps += fs[i].at("data").at(0).at("prevSeqId") != fs[i - 1].at("data").at(0).at("seqId");
    EXPECT_EQ(gaps, 1);
  }
}

TEST(Faults, CorruptChecksumSendsAWrongOkxChecksumOnce) {
  okx::OkxService svc(options());
  auto ws = svc.open_ws("/ws/v5/public");
  std::vector<std::string> out;
  ws->on_text(R"({"op":"subscribe","args":[{"channel":"books","instId":"BTC-USDT"}]})", kNow, out);
  out.clear();
  std::int64_t t = kNow;
  apply_fault({FaultKind::CorruptChecksum, 0, 1}, t, svc.faults());
  int wrong = 0, right = 0;
  for (int i = 0; i < 20; ++i) {
    std::vector<std::string> tick_out;
    ws->on_tick(svc.tick(t += 100), tick_out);
    for (const auto& f : tick_out) {
      const auto cs = parse(f).at("data").at(0).at("checksum").as_int64();
      (cs == okx::book_checksum(svc.markets().all()[0]) ? right : wrong)++;
    }
  }
  EXPECT_EQ(wrong, 1);
  EXPECT_GT(right, 5);
}

TEST(Faults, IgnorePingsLeavesPingsUnanswered) {
  okx::OkxService okx_svc(options());
  bybit::BybitService bybit_svc(options());
  auto o = okx_svc.open_ws("/ws/v5/public");
  auto b = bybit_svc.open_ws("/v5/public/linear");
  apply_fault({FaultKind::IgnorePings, 5000, 1}, kNow, okx_svc.faults());
  apply_fault({FaultKind::IgnorePings, 5000, 1}, kNow, bybit_svc.faults());
  std::vector<std::string> out;
  o->on_text("ping", kNow + 1000, out);
  b->on_text(R"({"op":"ping"})", kNow + 1000, out);
  EXPECT_TRUE(out.empty());
  o->on_text("ping", kNow + 6000, out);
  b->on_text(R"({"op":"ping"})", kNow + 6000, out);
  EXPECT_EQ(out.size(), 2u) << "answered again once the fault expired";
}

}  // namespace
}  // namespace tradingd::emulator
