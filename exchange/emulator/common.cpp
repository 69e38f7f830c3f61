// See common.h. The target parser uses Boost.URL so percent-encoding and odd queries are handled as a real
// server would; a malformed target is an error value, never an exception.
#include "exchange/emulator/common.h"

#include <algorithm>
#include <charconv>
#include <map>

#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

namespace tradingd::emulator {

VenueMarkets::VenueMarkets(Venue venue, const MarketOptions& opts) {
  const std::int64_t warmup_ms = static_cast<std::int64_t>(opts.warmup_minutes) * 60'000;
  const std::int64_t begin = opts.start_ms - warmup_ms;
  for (auto& spec : default_instruments(venue)) markets_.emplace_back(spec, opts.seed, begin);
  // Warm-up: one tick per simulated second, so klines and trade history exist from the first request.
  for (std::int64_t t = begin + 1000; t <= opts.start_ms; t += 1000)
    for (auto& m : markets_) (void)m.tick(t);
}

const MarketSim* VenueMarkets::find(MarketKind kind, std::string_view symbol) const {
  const int i = index_of(kind, symbol);
  return i < 0 ? nullptr : &markets_[static_cast<std::size_t>(i)];
}

int VenueMarkets::index_of(MarketKind kind, std::string_view symbol) const {
  for (std::size_t i = 0; i < markets_.size(); ++i)
    if (markets_[i].spec().kind == kind && markets_[i].spec().symbol == symbol) return static_cast<int>(i);
  return -1;
}

VenueTick VenueMarkets::tick(std::int64_t now_ms, FaultState& faults) {
  VenueTick t;
  t.ts_ms = now_ms;
  t.events.reserve(markets_.size());
  for (auto& m : markets_) t.events.push_back(m.tick(now_ms));
  if (faults.skip_seq_pending > 0) {
    --faults.skip_seq_pending;
    t.suppress_book = true;
  }
  if (faults.corrupt_checksum_pending > 0) {
    --faults.corrupt_checksum_pending;
    t.corrupt_checksum = true;
  }
  return t;
}

std::optional<std::string> Query::get(std::string_view name) const {
  for (const auto& [k, v] : params)
    if (k == name) return v;
  return std::nullopt;
}

Result<Query, std::string> parse_target(std::string_view target) {
  auto r = boost::urls::parse_origin_form(target);
  if (!r) return Err{std::string("malformed request target")};
  Query q;
  q.path = std::string(r->path());
  for (auto p : r->params()) q.params.emplace_back(std::string(p.key), std::string(p.value));
  return q;
}

std::optional<std::int64_t> parse_int(std::string_view text) {
  std::int64_t v = 0;
  const auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc{} || p != text.data() + text.size() || text.empty()) return std::nullopt;
  return v;
}

std::string fmt(std::int64_t raw, int decimals) {
  std::string s = fixed::format_raw(raw, decimals);
  return s;
}

std::string ms_str(std::int64_t ms) { return std::to_string(ms); }

std::vector<LevelChange> DepthView::refresh(const MarketSim& m) {
  std::vector<BookLevel> nb = m.bids(depth_), na = m.asks(depth_);
  std::vector<LevelChange> out;
  auto diff = [&out](const std::vector<BookLevel>& old_levels, const std::vector<BookLevel>& new_levels, bool bid) {
    std::map<std::int64_t, std::int64_t> before, after;
    for (const auto& l : old_levels) before[l.price.raw()] = l.qty.raw();
    for (const auto& l : new_levels) after[l.price.raw()] = l.qty.raw();
    std::vector<LevelChange> side;
    for (const auto& [p, q] : after) {
      auto it = before.find(p);
      if (it == before.end() || it->second != q) side.push_back({bid, Price::from_raw(p), Quantity::from_raw(q)});
    }
    for (const auto& [p, q] : before)
      if (!after.contains(p)) side.push_back({bid, Price::from_raw(p), Quantity::zero()});
    // Best first, as the venues send them.
    std::sort(side.begin(), side.end(), [bid](const LevelChange& a, const LevelChange& b) {
      return bid ? a.price > b.price : a.price < b.price;
    });
    out.insert(out.end(), side.begin(), side.end());
  };
  diff(bids_, nb, true);
  diff(asks_, na, false);
  bids_ = std::move(nb);
  asks_ = std::move(na);
  return out;
}

std::string error_body_internal(Venue venue, std::string_view what) {
  switch (venue) {
    case Venue::Binance: return R"({"code":-1000,"msg":"An unknown error occurred while processing the request."})";
    case Venue::Bybit: return R"({"retCode":10016,"retMsg":"Internal server error.","result":{},"retExtInfo":{},"time":0})";
    case Venue::Okx: return R"({"code":"50026","msg":"System error. Try again later.","data":[]})";
    default: return std::string(what);
  }
}

}  // namespace tradingd::emulator

namespace tradingd::emulator {

std::vector<Kline> aggregate_klines(const std::vector<Kline>& minute_bars, std::int64_t interval_ms) {
  if (interval_ms <= 60'000) return minute_bars;
  std::vector<Kline> out;
  for (const auto& b : minute_bars) {
    const std::int64_t start = b.open_ms - b.open_ms % interval_ms;
    if (out.empty() || out.back().open_ms != start) {
      Kline k = b;
      k.open_ms = start;
      out.push_back(k);
      continue;
    }
    Kline& k = out.back();
    if (b.trade_count > 0) {
      if (k.trade_count == 0) {
        k.open = b.open;
        k.high = b.high;
        k.low = b.low;
        k.first_trade_id = b.first_trade_id;
      }
      k.high = std::max(k.high, b.high);
      k.low = std::min(k.low, b.low);
      k.last_trade_id = b.last_trade_id;
    }
    k.close = b.close;
    k.volume += b.volume;
    k.quote_volume += b.quote_volume;
    k.taker_buy_volume += b.taker_buy_volume;
    k.taker_buy_quote_volume += b.taker_buy_quote_volume;
    k.trade_count += b.trade_count;
  }
  return out;
}

std::vector<Kline> select_klines(const std::vector<Kline>& bars, std::optional<std::int64_t> start_ms,
                                 std::optional<std::int64_t> end_ms, std::size_t limit) {
  std::vector<Kline> in;
  for (const auto& b : bars) {
    if (start_ms && b.open_ms < *start_ms) continue;
    if (end_ms && b.open_ms > *end_ms) continue;
    in.push_back(b);
  }
  if (in.size() <= limit) return in;
  if (start_ms && !end_ms) return {in.begin(), in.begin() + static_cast<std::ptrdiff_t>(limit)};
  return {in.end() - static_cast<std::ptrdiff_t>(limit), in.end()};
}

}  // namespace tradingd::emulator

namespace tradingd::emulator {

Stats24h stats_24h(const MarketSim& m, std::int64_t now_ms) {
  const auto bars = m.klines();
  Stats24h s;
  bool first = true;
  for (const auto& b : bars) {
    if (b.open_ms < now_ms - 86'400'000) continue;
    if (first) {
      s.open = b.open;
      s.high = b.high;
      s.low = b.low;
      first = false;
    }
    s.high = std::max(s.high, b.high);
    s.low = std::min(s.low, b.low);
    s.volume += b.volume;
    s.quote_volume += b.quote_volume;
    s.trade_count += b.trade_count;
    if (s.first_trade_id < 0 && b.first_trade_id >= 0) s.first_trade_id = b.first_trade_id;
    if (b.last_trade_id >= 0) s.last_trade_id = b.last_trade_id;
  }
  const auto last = m.last_trade();
  s.last = last ? last->price : m.mid_price();
  if (first) s.open = s.high = s.low = s.last;
  s.close_1h_ago = bars.size() > 60 ? bars[bars.size() - 61].close : s.open;
  return s;
}

}  // namespace tradingd::emulator
