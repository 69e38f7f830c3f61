// The random walk. Every random decision draws from rng_ in a fixed order, so a seed and a tick schedule
// reproduce the same market byte for byte. Prices move by cancelling the best level or by quoting inside
// the spread, with a gentle pull back toward the starting price so a long run stays plausible.
#include "exchange/emulator/market.h"

#include <algorithm>
#include <utility>

namespace tradingd::emulator {
namespace {
using Touched = std::map<std::pair<bool, std::int64_t>, std::int64_t>;  // (is_bid, price) -> original qty
constexpr std::int64_t kMinuteMs = 60'000;

std::int64_t floor_to(std::int64_t v, std::int64_t unit) { return v - ((v % unit) + unit) % unit; }
}  // namespace

MarketSim::MarketSim(InstrumentSpec spec, std::uint64_t seed, std::int64_t start_ms)
    : spec_(std::move(spec)), rng_(seed_for(seed, spec_.symbol + (spec_.is_perp() ? "/perp" : "/spot"))) {
  tick_ = spec_.tick_size.raw();
  anchor_ticks_ = spec_.start_price.raw() / tick_;
  now_ms_ = start_ms;
  next_trade_id_ = 100'000 + rng_.uniform(0, 900'000);
  update_id_ = 1'000'000 + rng_.uniform(0, 9'000'000);
  // Initial book: a one-tick-to-few-ticks spread around the start price, levels 1-3 ticks apart.
  const std::int64_t mid = anchor_ticks_;
  std::int64_t p = mid - 1;
  for (int i = 0; i < kLevelsPerSide && p > 0; ++i, p -= rng_.uniform(1, 3)) bids_[p * tick_] = random_qty();
  p = mid + 1;
  for (int i = 0; i < kLevelsPerSide; ++i, p += rng_.uniform(1, 3)) asks_[p * tick_] = random_qty();
  current_.open_ms = floor_to(start_ms, kMinuteMs);
  const Price m = mid_price();
  current_.open = current_.high = current_.low = current_.close = m;
  index_ = m;
  mark_ = m;
  funding_rate_ = Rate::from_string("0.0001");
  // Funding history: the previous 20 settlements, so fundingRate/funding-history have rows from the start.
  last_funding_ms_ = floor_to(start_ms, kFundingIntervalMs);
  for (int i = 20; i >= 1; --i) {
    const Rate r = Rate::from_raw(Rate::from_string("0.0001").raw() + rng_.uniform(-50, 50) * 1000);
    funding_history_.push_back({last_funding_ms_ - (i - 1) * kFundingIntervalMs, r, m});
  }
}

std::int64_t MarketSim::random_qty() {
  const std::int64_t step = spec_.step_size.raw();
  const std::int64_t q = spec_.level_qty.raw() / 10 * rng_.uniform(1, 40);
  return std::max(step, floor_to(q, step));
}

void MarketSim::set_level(bool bid, std::int64_t price, std::int64_t qty, Touched& touched) {
  Side& side = bid ? bids_ : asks_;
  auto it = side.find(price);
  const std::int64_t before = it == side.end() ? 0 : it->second;
  touched.try_emplace({bid, price}, before);
  if (qty <= 0) {
    if (it != side.end()) side.erase(it);
  } else {
    side[price] = qty;
  }
}

void MarketSim::trade_once(std::int64_t ts_ms, TickEvents& ev, Touched& touched) {
  const bool taker_buy = rng_.chance(500);
  Side& side = taker_buy ? asks_ : bids_;
  if (side.empty()) return;
  const auto level = taker_buy ? *side.begin() : *side.rbegin();
  const std::int64_t step = spec_.step_size.raw();
  std::int64_t q = std::max(step, floor_to(spec_.level_qty.raw() / 20 * rng_.uniform(1, 10), step));
  q = std::min(q, level.second);
  set_level(!taker_buy, level.first, level.second - q, touched);
  SimTrade t{next_trade_id_++, Price::from_raw(level.first), Quantity::from_raw(q), taker_buy, ts_ms};
  trades_.push_back(t);
  if (trades_.size() > kMaxTrades) trades_.pop_front();
  apply_trade_to_kline(t);
  ev.trades.push_back(t);
}

void MarketSim::apply_trade_to_kline(const SimTrade& t) {
  Kline& k = current_;
  if (k.trade_count == 0 && k.volume.is_zero()) {
    k.open = k.high = k.low = t.price;
    k.first_trade_id = t.id;
  }
  k.high = std::max(k.high, t.price);
  k.low = std::min(k.low, t.price);
  k.close = t.price;
  k.volume += t.qty;
  const Money quote = fixed_mul<Money>(fixed_mul<Money>(t.price, t.qty, Rounding::Nearest), spec_.contract_value,
                                       Rounding::Nearest);
  k.quote_volume += quote;
  if (t.taker_is_buy) {
    k.taker_buy_volume += t.qty;
    k.taker_buy_quote_volume += quote;
  }
  ++k.trade_count;
  k.last_trade_id = t.id;
}

void MarketSim::roll_klines(std::int64_t now_ms, TickEvents* ev) {
  const std::int64_t bucket = floor_to(now_ms, kMinuteMs);
  if (bucket - current_.open_ms > static_cast<std::int64_t>(kMaxKlines) * kMinuteMs) {
    current_.open_ms = bucket - static_cast<std::int64_t>(kMaxKlines) * kMinuteMs;  // a long pause: skip ahead
  }
  while (current_.open_ms < bucket) {
    closed_.push_back(current_);
    if (ev) ev->closed_klines.push_back(current_);
    if (closed_.size() > kMaxKlines) closed_.pop_front();
    Kline next;
    next.open_ms = current_.open_ms + kMinuteMs;
    next.open = next.high = next.low = next.close = current_.close;  // a bar with no trades is flat
    current_ = next;
  }
}

void MarketSim::update_mark_and_funding(std::int64_t now_ms) {
  index_ = mid_price();
  mark_ = Price::from_raw(index_.raw() + rng_.uniform(-2, 2) * tick_);
  if (!spec_.is_perp()) return;
  const std::int64_t step = Rate::from_string("0.000001").raw();
  std::int64_t r = funding_rate_.raw() + rng_.uniform(-3, 3) * step;
  const std::int64_t cap = Rate::from_string("0.00075").raw();
  funding_rate_ = Rate::from_raw(std::clamp(r, -cap, cap));
  while (last_funding_ms_ + kFundingIntervalMs <= now_ms) {
    last_funding_ms_ += kFundingIntervalMs;
    funding_history_.push_back({last_funding_ms_, funding_rate_, mark_});
    if (funding_history_.size() > 200) funding_history_.pop_front();
  }
}

TickEvents MarketSim::tick(std::int64_t now_ms) {
  now_ms = std::max(now_ms, now_ms_);
  now_ms_ = now_ms;
  TickEvents ev;
  ev.ts_ms = now_ms;
  ev.prev_update_id = update_id_;
  roll_klines(now_ms, &ev);
  Touched touched;

  const int n_trades = static_cast<int>(rng_.uniform(0, 3)) - 1;  // -1..2: about half the ticks trade
  for (int i = 0; i < n_trades; ++i) trade_once(now_ms, ev, touched);

  // Price moves. bias > 0 means "the price is above its anchor: prefer moving down".
  const auto bb = bids_.empty() ? 0 : bids_.rbegin()->first / tick_;
  const auto ba = asks_.empty() ? 0 : asks_.begin()->first / tick_;
  const std::int64_t dev = (bb + ba) / 2 - anchor_ticks_;
  const std::int64_t scale = std::max<std::int64_t>(1, anchor_ticks_ / 200);
  const int bias = static_cast<int>(std::clamp<std::int64_t>(dev * 150 / scale, -300, 300));
  const int move = static_cast<int>(rng_.uniform(0, 99));
  const bool down = rng_.chance(500 + bias / 2);
  if (move < 25) {
    // Cancel the best level on one side: a bid cancel moves the price down, an ask cancel up.
    Side& side = down ? bids_ : asks_;
    if (side.size() > 10) {
      const auto best = down ? *side.rbegin() : *side.begin();
      set_level(down, best.first, 0, touched);
    }
  } else if (move < 55 && ba - bb > 1) {
    // Quote inside the spread: a new ask moves the price down, a new bid up.
    const std::int64_t p = rng_.uniform(bb + 1, ba - 1);
    set_level(!down, p * tick_, random_qty(), touched);
  }

  // Size changes near the touch (where real books churn most).
  const int n_changes = static_cast<int>(rng_.uniform(1, 4));
  for (int i = 0; i < n_changes; ++i) {
    const bool bid = rng_.chance(500);
    Side& side = bid ? bids_ : asks_;
    if (side.empty()) continue;
    const auto idx = rng_.uniform(0, std::min<std::int64_t>(static_cast<std::int64_t>(side.size()) - 1, 19));
    auto it = bid ? std::prev(side.end(), idx + 1) : std::next(side.begin(), idx);
    const std::int64_t price = it->first;
    const bool remove = rng_.chance(150) && side.size() > 10;
    set_level(bid, price, remove ? 0 : random_qty(), touched);
  }

  // Keep the spread tight and each side near kLevelsPerSide levels.
  if (!bids_.empty() && !asks_.empty() && asks_.begin()->first - bids_.rbegin()->first > 10 * tick_) {
    const std::int64_t p = asks_.begin()->first / tick_ - rng_.uniform(1, 4);
    set_level(rng_.chance(500), p * tick_, random_qty(), touched);
  }
  // Fill holes near the touch: levels stay 1-3 ticks apart, as in a liquid book.
  for (const bool bid : {true, false}) {
    std::vector<std::int64_t> prices;
    for (const auto& l : bid ? this->bids(kLevelsPerSide) : this->asks(kLevelsPerSide)) prices.push_back(l.price.raw() / tick_);
    for (std::size_t i = 1; i < prices.size(); ++i) {
      std::int64_t prev = prices[i - 1];
      while ((bid ? prev - prices[i] : prices[i] - prev) > 3) {
        prev += (bid ? -1 : 1) * rng_.uniform(1, 3);
        if (prev <= 0) break;
        set_level(bid, prev * tick_, random_qty(), touched);
      }
    }
  }
  while (bids_.size() < static_cast<std::size_t>(kLevelsPerSide)) {
    const std::int64_t worst = bids_.empty() ? (asks_.begin()->first / tick_ - 1) : bids_.begin()->first / tick_;
    const std::int64_t p = bids_.empty() ? worst : worst - rng_.uniform(1, 3);
    if (p <= 0) break;
    set_level(true, p * tick_, random_qty(), touched);
  }
  while (asks_.size() < static_cast<std::size_t>(kLevelsPerSide)) {
    const std::int64_t worst = asks_.empty() ? (bids_.rbegin()->first / tick_ + 1) : asks_.rbegin()->first / tick_;
    const std::int64_t p = asks_.empty() ? worst : worst + rng_.uniform(1, 3);
    set_level(false, p * tick_, random_qty(), touched);
  }
  while (bids_.size() > static_cast<std::size_t>(kLevelsPerSide) + 20) set_level(true, bids_.begin()->first, 0, touched);
  while (asks_.size() > static_cast<std::size_t>(kLevelsPerSide) + 20) set_level(false, asks_.rbegin()->first, 0, touched);

  // Net changes, bids best-first then asks best-first; a level touched and restored is no change.
  for (auto it = touched.rbegin(); it != touched.rend(); ++it) {
    if (!it->first.first) continue;
    auto cur = bids_.find(it->first.second);
    const std::int64_t now_qty = cur == bids_.end() ? 0 : cur->second;
    if (now_qty != it->second) ev.changes.push_back({true, Price::from_raw(it->first.second), Quantity::from_raw(now_qty)});
  }
  for (const auto& [key, before] : touched) {
    if (key.first) continue;
    auto cur = asks_.find(key.second);
    const std::int64_t now_qty = cur == asks_.end() ? 0 : cur->second;
    if (now_qty != before) ev.changes.push_back({false, Price::from_raw(key.second), Quantity::from_raw(now_qty)});
  }
  if (!ev.changes.empty()) {
    ev.first_update_id = update_id_ + 1;
    update_id_ += static_cast<std::int64_t>(ev.changes.size());
  } else {
    ev.first_update_id = update_id_;
  }
  ev.last_update_id = update_id_;
  update_mark_and_funding(now_ms);
  return ev;
}

std::vector<BookLevel> MarketSim::bids(std::size_t limit) const {
  std::vector<BookLevel> out;
  for (auto it = bids_.rbegin(); it != bids_.rend() && (limit == 0 || out.size() < limit); ++it)
    out.push_back({Price::from_raw(it->first), Quantity::from_raw(it->second)});
  return out;
}

std::vector<BookLevel> MarketSim::asks(std::size_t limit) const {
  std::vector<BookLevel> out;
  for (auto it = asks_.begin(); it != asks_.end() && (limit == 0 || out.size() < limit); ++it)
    out.push_back({Price::from_raw(it->first), Quantity::from_raw(it->second)});
  return out;
}

std::optional<BookLevel> MarketSim::best_bid() const {
  if (bids_.empty()) return std::nullopt;
  return BookLevel{Price::from_raw(bids_.rbegin()->first), Quantity::from_raw(bids_.rbegin()->second)};
}

std::optional<BookLevel> MarketSim::best_ask() const {
  if (asks_.empty()) return std::nullopt;
  return BookLevel{Price::from_raw(asks_.begin()->first), Quantity::from_raw(asks_.begin()->second)};
}

Price MarketSim::mid_price() const {
  if (bids_.empty() || asks_.empty()) return spec_.start_price;
  const std::int64_t mid = (bids_.rbegin()->first + asks_.begin()->first) / 2;
  return Price::from_raw(floor_to(mid, tick_));
}

std::vector<Kline> MarketSim::klines() const {
  std::vector<Kline> out(closed_.begin(), closed_.end());
  out.push_back(current_);
  return out;
}

std::optional<SimTrade> MarketSim::last_trade() const {
  if (trades_.empty()) return std::nullopt;
  return trades_.back();
}

std::int64_t MarketSim::next_funding_ms() const { return last_funding_ms_ + kFundingIntervalMs; }

}  // namespace tradingd::emulator
