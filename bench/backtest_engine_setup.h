// The benchmark's backtest: the moving-average crossover (fast 10, slow 30, 0.001 BTC, long only) on one
// Binance spot instrument with the default paper fill model (50 ms latency, 1 bps slippage, base-tier fees)
// and the default RiskGuard limits.
#pragma once

#include <deque>

#include "backtest/backtest_run.h"

namespace tradingd::bench {

inline backtest::BacktestSpec ma_spec(const InstrumentId& id) {
  backtest::BacktestSpec spec;
  Instrument i;
  i.id = id;
  i.base = Asset::from("BTC");
  i.quote = Asset::from("USDT");
  i.settle = Asset::from("USDT");
  i.tick_size = Price::from_string("0.01");
  i.step_size = Quantity::from_string("0.00001");
  i.min_quantity = Quantity::from_string("0.00001");
  spec.instruments = {i};
  spec.bar_interval_s = 60;
  config::InstrumentConfig ic;
  ic.id = id;
  spec.config.instruments = {ic};
  config::StrategyConfig s;
  s.name = "ma";
  s.type = "ma_crossover";
  s.instruments = {id};
  s.params = {{"fast", "10"}, {"slow", "30"}, {"quantity", "0.001"}};
  spec.config.strategies = {s};
  spec.config.risk.max_orders_per_day = 100'000;
  return spec;
}

// Interim: a minimal crossover calling the node directly, until the StrategyHost is on this branch.
class DirectMa final : public MarketDataSink, public backtest::AttachedStrategies {
 public:
  explicit DirectMa(TradingNode& node) : node_(node) { node_.add_market_listener(*this); }
  void start() override {}
  void stop() override {}
  void on_bar(const Bar& b) override {
    closes_.push_back(b.close.raw());
    fast_ += b.close.raw();
    slow_ += b.close.raw();
    const auto n = closes_.size();
    if (n > 10) fast_ -= closes_[n - 11];
    if (n > 30) {
      slow_ -= closes_.front();
      closes_.pop_front();
    }
    if (closes_.size() < 30) return;
    const Int128 d = fast_ * 30 - slow_ * 10;
    const int sign = d > 0 ? 1 : d < 0 ? -1 : 0;
    if (sign != 0 && last_ != 0 && sign != last_) {
      Signal s;
      s.instrument = b.instrument;
      s.side = sign > 0 ? Side::Buy : Side::Sell;
      s.quantity = Quantity::from_string("0.001");
      s.reference_price = b.close;
      s.strategy_id = StrategyId::from("ma");
      if (sign > 0 || long_) (void)node_.submit_signal(s);
      long_ = sign > 0;
    }
    if (sign != 0) last_ = sign;
  }

 private:
  TradingNode& node_;
  std::deque<std::int64_t> closes_;
  __extension__ using Int128 = __int128;
  Int128 fast_ = 0, slow_ = 0;
  int last_ = 0;
  bool long_ = false;
};

inline backtest::StrategyAttacher ma_attacher() {
  return [](backtest::NodeDriver& d, const config::Config&)
             -> Result<std::unique_ptr<backtest::AttachedStrategies>, std::string> {
    return std::unique_ptr<backtest::AttachedStrategies>(std::make_unique<DirectMa>(d.node()));
  };
}

}  // namespace tradingd::bench
