// A scripted StrategyContext for strategy tests: records submits, cancels, timers and logs; positions and
// instruments are set by the test. With fill_market_signals on, a market signal changes the position at
// once (a sized one by its quantity, an unsized one by sizer_quantity), like a backtest's instant fill.
#pragma once

#include <map>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "config/config.h"
#include "strategy/strategy.h"

namespace tradingd::test {

inline Instrument make_instrument(std::string_view symbol = "BTCUSDT", std::string_view tick = "0.1") {
  Instrument i;
  i.id = InstrumentId{Venue::Binance, MarketKind::Spot, Symbol::from(symbol)};
  i.base = Asset::from("BTC");
  i.quote = Asset::from("USDT");
  i.settle = i.quote;
  i.tick_size = Price::from_string(tick);
  i.step_size = Quantity::from_string("0.001");
  return i;
}

class FakeContext : public StrategyContext {
 public:
  explicit FakeContext(std::vector<Instrument> instruments = {make_instrument()}) {
    for (const auto& i : instruments) {
      ids_.push_back(i.id);
      instruments_.emplace(i.id, i);
    }
  }

  const StrategyId& strategy_id() const override { return id_; }
  TradingMode mode() const override { return TradingMode::Backtest; }
  UnixNanos now_ns() const override { return now_ns_; }
  const std::vector<InstrumentId>& instruments() const override { return ids_; }
  const Instrument* instrument(const InstrumentId& id) const override {
    const auto it = instruments_.find(id);
    return it == instruments_.end() ? nullptr : &it->second;
  }
  Quantity position(const InstrumentId& id) const override {
    const auto it = positions_.find(id);
    return it == positions_.end() ? Quantity::zero() : it->second;
  }
  std::vector<const Order*> open_orders(const InstrumentId&) const override { return {}; }

  SubmitResult submit(const Signal& s) override {
    signals.push_back(s);
    if (reject_all) return Err{SubmitRejection{SubmitRejectKind::RiskDenied, std::nullopt, "max_position"}};
    if (fill_market_signals && s.type == OrderType::Market) {
      const Quantity q = s.quantity.value_or(sizer_quantity);
      positions_[s.instrument] += s.side == Side::Buy ? q : -q;
    }
    return ++next_id_;
  }
  CancelOutcome cancel(OrderId id) override {
    cancels.push_back(id);
    return cancel_outcome;
  }
  void set_timer(std::string_view name, UnixNanos at_ns) override { timers[std::string(name)] = at_ns; }
  void log(StrategyLogLevel level, std::string_view message) override { logs.emplace_back(level, std::string(message)); }

  void set_position(const InstrumentId& id, Quantity q) { positions_[id] = q; }
  const InstrumentId& id(std::size_t i = 0) const { return ids_.at(i); }

  UnixNanos now_ns_ = 0;
  bool reject_all = false;
  bool fill_market_signals = false;
  Quantity sizer_quantity = Quantity::from_string("0.5");
  CancelOutcome cancel_outcome = CancelOutcome::Requested;
  std::vector<Signal> signals;
  std::vector<OrderId> cancels;
  std::map<std::string, UnixNanos> timers;
  std::vector<std::pair<StrategyLogLevel, std::string>> logs;

 private:
  StrategyId id_ = StrategyId::from("test");
  std::vector<InstrumentId> ids_;
  std::unordered_map<InstrumentId, Instrument> instruments_;
  std::unordered_map<InstrumentId, Quantity> positions_;
  OrderId next_id_ = 0;
};

inline Bar make_bar(const InstrumentId& id, std::int64_t index, std::string_view close) {
  Bar b;
  b.instrument = id;
  b.interval_s = 60;
  b.ts_open_ns = index * 60 * kNanosPerSecond;
  b.open = b.high = b.low = b.close = Price::from_string(close);
  b.volume = Quantity::from_string("1");
  return b;
}

inline config::StrategyConfig make_config(std::string name, std::string type, std::map<std::string, std::string> params,
                                          std::vector<InstrumentId> instruments) {
  config::StrategyConfig c;
  c.name = std::move(name);
  c.type = std::move(type);
  c.params = std::move(params);
  c.instruments = std::move(instruments);
  return c;
}

}  // namespace tradingd::test
