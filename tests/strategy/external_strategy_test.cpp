// ExternalStrategy over an in-memory transport: what it sends, how it turns answers into submits, the
// synchronous read-until-done rule, protocol errors, a dying program, and asynchronous lines.
#include <gtest/gtest.h>

#include <deque>
#include <functional>

#include "strategy/external_strategy.h"
#include "strategy/protocol.h"
#include "tests/strategy/fake_context.h"

namespace tradingd {
namespace {

using test::FakeContext;
using test::make_bar;

// Answers each written line with whatever the responder returns (the program's reply lines).
class MemoryTransport : public LineTransport {
 public:
  using Responder = std::function<std::vector<std::string>(std::string_view)>;
  explicit MemoryTransport(std::vector<std::string>& written, Responder responder)
      : written_(written), responder_(std::move(responder)) {}
  bool write_line(std::string_view line) override {
    if (closed) return false;
    written_.emplace_back(line);
    for (auto& l : responder_(line)) replies_.push_back(std::move(l));
    return true;
  }
  std::optional<std::string> read_line() override {
    if (replies_.empty()) return std::nullopt;  // a real program would block; here: it has nothing more
    auto l = std::move(replies_.front());
    replies_.pop_front();
    return l;
  }
  bool closed = false;

 private:
  std::vector<std::string>& written_;
  Responder responder_;
  std::deque<std::string> replies_;
};

const std::string kDone = R"({"type":"done"})";
const std::string kBuy =
    R"({"type":"signal","signal":{"venue":"binance","symbol":"BTCUSDT","side":"buy","type":"market","quantity":"0.5","strategy_id":"other","tag":"py"}})";

std::vector<std::string> done_only(std::string_view) { return {kDone}; }

TEST(ExternalStrategy, StartSendsParamsAndPositions) {
  std::vector<std::string> written;
  FakeContext ctx;
  ctx.set_position(ctx.id(), Quantity::from_string("2"));
  ExternalStrategy s(std::make_unique<MemoryTransport>(written, done_only), ExternalMode::Synchronous, {{"fast", "3"}});
  s.on_start(ctx);
  ASSERT_EQ(written.size(), 2u);
  EXPECT_EQ(written[0], protocol::encode_start(StrategyId::from("test"), TradingMode::Backtest, ctx.instruments(), {{"fast", "3"}}));
  EXPECT_EQ(written[1], protocol::encode_position(ctx.id(), Quantity::from_string("2")));
  EXPECT_FALSE(s.failed());
}

TEST(ExternalStrategy, BarAnswerBecomesASubmitStampedWithOurId) {
  std::vector<std::string> written;
  FakeContext ctx;
  auto responder = [](std::string_view line) -> std::vector<std::string> {
    if (line.find(R"("type":"bar")") != std::string_view::npos)
      return {R"({"type":"log","level":"info","message":"crossed"})", kBuy, kDone};
    return {kDone};
  };
  ExternalStrategy s(std::make_unique<MemoryTransport>(written, responder), ExternalMode::Synchronous);
  s.on_start(ctx);
  s.on_bar(ctx, make_bar(ctx.id(), 1, "100.5"));
  ASSERT_EQ(ctx.signals.size(), 1u);
  const Signal& sig = ctx.signals[0];
  EXPECT_EQ(sig.instrument, ctx.id());
  EXPECT_EQ(sig.side, Side::Buy);
  EXPECT_EQ(sig.quantity, Quantity::from_string("0.5"));
  EXPECT_EQ(sig.strategy_id.view(), "test");  // not "other": a program cannot trade as another strategy
  EXPECT_EQ(sig.tag.view(), "py");
  EXPECT_EQ(sig.reference_price, Price::from_string("100.5"));  // the last close
  ASSERT_EQ(ctx.logs.size(), 1u);
  EXPECT_EQ(ctx.logs[0], std::make_pair(StrategyLogLevel::Info, std::string("crossed")));
  EXPECT_EQ(s.stats().signals, 1u);
  EXPECT_EQ(s.stats().logs, 1u);
}

TEST(ExternalStrategy, PositionIsResentOnlyWhenItChanged) {
  std::vector<std::string> written;
  FakeContext ctx;
  ExternalStrategy s(std::make_unique<MemoryTransport>(written, done_only), ExternalMode::Synchronous);
  s.on_start(ctx);  // start, position 0
  s.on_bar(ctx, make_bar(ctx.id(), 1, "1"));
  s.on_bar(ctx, make_bar(ctx.id(), 2, "1"));
  ctx.set_position(ctx.id(), Quantity::from_string("1"));
  s.on_bar(ctx, make_bar(ctx.id(), 3, "1"));
  ASSERT_EQ(written.size(), 6u);
  EXPECT_EQ(written[4], protocol::encode_position(ctx.id(), Quantity::from_string("1")));
  EXPECT_EQ(written[5], protocol::encode_bar(make_bar(ctx.id(), 3, "1")));
}

TEST(ExternalStrategy, FillSentWhileAnsweringWaitsForTheAnswerToEnd) {
  // A submit that fills at once (as in a backtest) triggers on_fill from inside the answer's handling; the
  // fill line must go out after the program's done, not in the middle of its answer.
  std::vector<std::string> written;
  FakeContext ctx;
  ExternalStrategy* self = nullptr;
  auto responder = [](std::string_view line) -> std::vector<std::string> {
    if (line.find(R"("type":"bar")") != std::string_view::npos) return {kBuy, kDone};
    return {kDone};
  };
  struct FillingContext : FakeContext {
    ExternalStrategy** strategy = nullptr;
    SubmitResult submit(const Signal& s) override {
      auto r = FakeContext::submit(s);
      OrderSpec spec;
      spec.instrument = s.instrument;
      spec.quantity = *s.quantity;
      Order order(*r, ClientOrderId::from("c1"), spec, 0);
      Fill f;
      f.trade_id = TradeId::from("t1");
      f.quantity = *s.quantity;
      f.price = Price::from_string("100");
      set_position(s.instrument, *s.quantity);
      (*strategy)->on_fill(*this, order, f);
      return r;
    }
  } fctx;
  fctx.strategy = &self;
  ExternalStrategy s(std::make_unique<MemoryTransport>(written, responder), ExternalMode::Synchronous);
  self = &s;
  s.on_start(fctx);
  s.on_bar(fctx, make_bar(fctx.id(), 1, "100"));
  EXPECT_FALSE(s.failed()) << s.failure();
  ASSERT_EQ(written.size(), 5u);  // start, position, bar, then fill and position after the bar's done
  EXPECT_NE(written[3].find(R"("type":"fill")"), std::string::npos);
  EXPECT_EQ(written[4], protocol::encode_position(fctx.id(), Quantity::from_string("0.5")));
  EXPECT_EQ(fctx.signals.size(), 1u);
}

TEST(ExternalStrategy, ProtocolErrorsAreLoggedNotFatal) {
  std::vector<std::string> written;
  FakeContext ctx;
  auto responder = [](std::string_view line) -> std::vector<std::string> {
    if (line.find(R"("type":"bar")") != std::string_view::npos)
      return {"not json", R"({"type":"signal","signal":{"venue":"binance","symbol":"ETHUSDT","side":"buy","type":"market"}})", kDone};
    return {kDone};
  };
  ExternalStrategy s(std::make_unique<MemoryTransport>(written, responder), ExternalMode::Synchronous);
  s.on_start(ctx);
  s.on_bar(ctx, make_bar(ctx.id(), 1, "1"));
  EXPECT_FALSE(s.failed());
  EXPECT_TRUE(ctx.signals.empty());
  EXPECT_EQ(s.stats().protocol_errors, 1u);
  EXPECT_EQ(s.stats().signals_rejected, 1u);
  ASSERT_EQ(ctx.logs.size(), 2u);
  EXPECT_EQ(ctx.logs[0].second, "External strategy protocol error error=\"invalid_json: not JSON\"");
  EXPECT_EQ(ctx.logs[1].second,
            "External signal refused error=\"signal.symbol: unknown_instrument: binance ETHUSDT is not one of the strategy's instruments\"");
}

TEST(ExternalStrategy, SubmitRejectionIsLogged) {
  std::vector<std::string> written;
  FakeContext ctx;
  ctx.reject_all = true;
  auto responder = [](std::string_view line) -> std::vector<std::string> {
    return line.find(R"("type":"bar")") != std::string_view::npos ? std::vector<std::string>{kBuy, kDone}
                                                                  : std::vector<std::string>{kDone};
  };
  ExternalStrategy s(std::make_unique<MemoryTransport>(written, responder), ExternalMode::Synchronous);
  s.on_start(ctx);
  s.on_bar(ctx, make_bar(ctx.id(), 1, "1"));
  EXPECT_EQ(s.stats().signals_rejected, 1u);
  EXPECT_EQ(ctx.logs.back().second, "External signal rejected kind=risk_denied detail=\"max_position\"");
}

TEST(ExternalStrategy, SilentProgramFailsTheStrategy) {
  std::vector<std::string> written;
  FakeContext ctx;
  auto silent = [](std::string_view) { return std::vector<std::string>{}; };
  ExternalStrategy s(std::make_unique<MemoryTransport>(written, silent), ExternalMode::Synchronous);
  s.on_start(ctx);
  EXPECT_TRUE(s.failed());
  EXPECT_EQ(s.failure(), "no answer: the program closed its output or timed out");
  s.on_bar(ctx, make_bar(ctx.id(), 1, "1"));
  EXPECT_EQ(written.size(), 1u);  // nothing more is sent
  EXPECT_EQ(ctx.logs.back().first, StrategyLogLevel::Error);
}

TEST(ExternalStrategy, EndlessAnswerIsBounded) {
  std::vector<std::string> written;
  FakeContext ctx;
  auto chatty = [](std::string_view) {
    return std::vector<std::string>(10, R"({"type":"log","message":"x"})");
  };
  ExternalStrategy s(std::make_unique<MemoryTransport>(written, chatty), ExternalMode::Synchronous, {}, 5);
  s.on_start(ctx);
  EXPECT_TRUE(s.failed());
  EXPECT_EQ(s.failure(), "no done line after 5 lines");
}

TEST(ExternalStrategy, ClosedPipeFailsTheStrategy) {
  std::vector<std::string> written;
  FakeContext ctx;
  auto transport = std::make_unique<MemoryTransport>(written, done_only);
  auto* raw = transport.get();
  ExternalStrategy s(std::move(transport), ExternalMode::Synchronous);
  s.on_start(ctx);
  raw->closed = true;
  s.on_bar(ctx, make_bar(ctx.id(), 1, "1"));
  EXPECT_TRUE(s.failed());
  EXPECT_EQ(s.failure(), "write failed: the program is gone");
}

TEST(ExternalStrategy, AsynchronousModeOnlyWritesAndTakesLinesLater) {
  std::vector<std::string> written;
  FakeContext ctx;
  auto never_read = [](std::string_view) { return std::vector<std::string>{kDone}; };
  ExternalStrategy s(std::make_unique<MemoryTransport>(written, never_read), ExternalMode::Asynchronous);
  s.handle_line(kBuy);  // before on_start: ignored
  EXPECT_TRUE(ctx.signals.empty());
  s.on_start(ctx);
  s.on_bar(ctx, make_bar(ctx.id(), 1, "7"));
  EXPECT_EQ(written.size(), 3u);
  s.handle_line(kBuy);
  ASSERT_EQ(ctx.signals.size(), 1u);
  EXPECT_EQ(ctx.signals[0].reference_price, Price::from_string("7"));
  s.on_stop(ctx);
  EXPECT_EQ(written.back(), protocol::encode_stop());
  s.handle_line(kBuy);  // after on_stop: ignored
  EXPECT_EQ(ctx.signals.size(), 1u);
}

}  // namespace
}  // namespace tradingd
