// A deterministic sample backtest for the writer and report tests: a seeded random walk of hourly BTCUSDT
// bars and a moving-average crossover that flips long/short at bar closes, with fees, orders, fills and an
// equity sample per bar — exact fixed point throughout, so every byte of the output is reproducible.
#pragma once

#include <cstdint>
#include <deque>

#include "backtest/results.h"

namespace tradingd::backtest::test {

inline BacktestResults sample_results(int bars = 45 * 24, int fast = 12, int slow = 48) {
  const InstrumentId btc{Venue::Binance, MarketKind::Spot, Symbol::from("BTCUSDT")};
  const UnixNanos t0 = 1'704'067'200LL * kNanosPerSecond;  // 2024-01-01
  const std::int64_t hour = 3600 * kNanosPerSecond;
  const Quantity size = Quantity::from_string("0.5");
  const Rate fee_rate = Rate::from_string("0.0004");

  BacktestResults r;
  r.title = "MA crossover " + std::to_string(fast) + "/" + std::to_string(slow) + " on BTCUSDT 1h";
  r.parameters = {{"fast", std::to_string(fast)}, {"slow", std::to_string(slow)}, {"seed", "7"}};
  PriceSeries series{btc, {}};

  std::uint64_t state = 7;  // xorshift: the same walk on every machine
  auto next = [&] {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
  };
  std::int64_t cents = 4'200'000;  // 42,000.00
  std::deque<std::int64_t> window;
  std::int64_t sum_fast = 0, sum_slow = 0;
  Quantity position;
  Money cash = Money::from_units(100'000);
  OrderId next_id = 1;
  for (int i = 0; i < bars; ++i) {
    // A drift that turns every ~10 days plus noise of up to +-0.6 %.
    const std::int64_t drift = ((i / 240) % 2 == 0 ? 6 : -5) * cents / 100'000;
    const std::int64_t noise = static_cast<std::int64_t>(next() % 1201) - 600;
    cents += drift + noise * cents / 100'000;
    const Price close = Price::from_raw(cents * 10'000'000);  // cents -> 1e-9 units
    const UnixNanos ts = t0 + (i + 1) * hour;                 // bar close
    series.points.push_back({ts, close});

    window.push_back(cents);
    sum_slow += cents;
    if (window.size() > static_cast<std::size_t>(slow)) {
      sum_slow -= window.front();
      window.pop_front();
    }
    sum_fast = 0;
    for (std::size_t k = window.size() > static_cast<std::size_t>(fast) ? window.size() - fast : 0; k < window.size();
         ++k)
      sum_fast += window[k];
    if (window.size() == static_cast<std::size_t>(slow)) {
      const bool want_long = sum_fast * slow > sum_slow * fast;
      const Quantity target = want_long ? size : -size;
      if (target != position) {
        const Quantity delta = target - position;
        const Side side = delta.is_positive() ? Side::Buy : Side::Sell;
        const Quantity qty = delta.abs();
        const Money notional_value = notional(close, qty);
        const Money fee = apply_rate(notional_value, fee_rate, Rounding::Nearest);
        cash += side == Side::Buy ? -notional_value : notional_value;
        cash -= fee;
        position = target;
        const OrderId id = next_id++;
        const auto coid = ClientOrderId::from("ma-" + std::to_string(id));
        r.fills.push_back({ts, btc, id, coid, TradeId::from("t" + std::to_string(id)), side, qty, close, fee,
                           LiquiditySide::Taker, OrderType::Market});
        OrderRecord o;
        o.order_id = id;
        o.client_order_id = coid;
        o.instrument = btc;
        o.side = side;
        o.type = OrderType::Market;
        o.time_in_force = TimeInForce::Ioc;
        o.quantity = qty;
        o.status = OrderStatus::Filled;
        o.filled_quantity = qty;
        o.avg_fill_price = close;
        o.fees = fee;
        o.ts_created_ns = ts;
        o.ts_last_ns = ts;
        r.orders.push_back(o);
      }
    }
    const Money marked = notional(close, position.abs());
    const Money equity = cash + (position.is_negative() ? -marked : marked);
    r.equity.push_back({ts, equity, cash, marked});
  }
  r.prices.push_back(std::move(series));
  finalize_results(r, Money::zero());
  return r;
}

}  // namespace tradingd::backtest::test
