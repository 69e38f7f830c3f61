// Latest prices per instrument. Non-positive prices (a venue's "0" placeholder before the first trade)
// are ignored rather than stored, so every stored price can value a position.
#include "portfolio/market_prices.h"

#include <algorithm>

namespace tradingd {

std::string_view to_string(PriceSource s) {
  switch (s) {
    case PriceSource::Mark: return "mark";
    case PriceSource::Last: return "last";
    case PriceSource::Mid: return "mid";
  }
  return "unknown";
}

std::optional<PriceSource> parse_price_source(std::string_view s) {
  if (s == "mark") return PriceSource::Mark;
  if (s == "last") return PriceSource::Last;
  if (s == "mid") return PriceSource::Mid;
  return std::nullopt;
}

std::optional<Price> mid_price(const InstrumentPrices& p) {
  if (!p.has_quote || !p.bid.is_positive() || !p.ask.is_positive()) return std::nullopt;
  // (bid + ask) / 2 without the intermediate sum overflowing: both are below INT64_MAX / 1 but their sum
  // may not be, so halve each and add the remainders.
  const std::int64_t b = p.bid.raw(), a = p.ask.raw();
  const std::int64_t half = b / 2 + a / 2 + ((b % 2) + (a % 2) + 1) / 2;  // rounds .5 up (both positive)
  return Price::from_raw(half);
}

bool MarketPrices::store_quote(InstrumentPrices& p, Price bid, Price ask, UnixNanos ts_ns) {
  const bool changed = p.bid != bid || p.ask != ask || !p.has_quote;
  p.has_quote = true;
  p.bid = bid;
  p.ask = ask;
  p.quote_ts_ns = std::max(p.quote_ts_ns, ts_ns);
  return changed;
}

bool MarketPrices::store_mark(InstrumentPrices& p, Price mark, UnixNanos ts_ns) {
  const bool changed = p.mark != mark || !p.has_mark;
  p.has_mark = true;
  p.mark = mark;
  p.mark_ts_ns = std::max(p.mark_ts_ns, ts_ns);
  return changed;
}

bool MarketPrices::on_trade(const InstrumentId& id, Price price, UnixNanos ts_ns) {
  if (!price.is_positive()) return false;
  return store_trade(slots_[slot_of(id)], price, ts_ns);
}

bool MarketPrices::on_quote(const InstrumentId& id, Price bid, Price ask, UnixNanos ts_ns) {
  if (!bid.is_positive() || !ask.is_positive() || bid > ask) return false;  // one-sided or crossed: no mid
  return store_quote(slots_[slot_of(id)], bid, ask, ts_ns);
}

bool MarketPrices::on_mark(const InstrumentId& id, Price mark, UnixNanos ts_ns) {
  if (!mark.is_positive()) return false;
  return store_mark(slots_[slot_of(id)], mark, ts_ns);
}

std::uint32_t MarketPrices::find_slot(const InstrumentId& id) const {
  if (last_slot_ != kNone && same_bytes(last_id_, id)) return last_slot_;
  auto it = index_.find(id);
  if (it == index_.end()) return kNone;
  last_id_ = id;
  last_slot_ = it->second;
  return it->second;
}

std::uint32_t MarketPrices::slot_of(const InstrumentId& id) {
  if (const std::uint32_t s = find_slot(id); s != kNone) return s;
  const auto s = static_cast<std::uint32_t>(slots_.size());
  slots_.emplace_back();
  index_.emplace(id, s);
  last_id_ = id;
  last_slot_ = s;
  return s;
}

const InstrumentPrices* MarketPrices::find(const InstrumentId& id) const {
  const std::uint32_t s = find_slot(id);
  return s == kNone ? nullptr : &slots_[s];
}

std::int64_t MarketPrices::price_raw(const InstrumentPrices& p, PriceSource source) {
  const std::int64_t mark = p.has_mark ? p.mark.raw() : 0;
  const std::int64_t last = p.has_last ? p.last.raw() : 0;
  auto mid = [&]() -> std::int64_t {
    const auto m = mid_price(p);
    return m ? m->raw() : 0;
  };
  switch (source) {
    case PriceSource::Mark: return mark != 0 ? mark : last != 0 ? last : mid();
    case PriceSource::Last: {
      std::int64_t v = last;
      if (v == 0) v = mid();
      if (v == 0) v = mark;
      return v;
    }
    case PriceSource::Mid: {
      std::int64_t v = mid();
      if (v == 0) v = last;
      if (v == 0) v = mark;
      return v;
    }
  }
  return 0;
}

std::optional<Price> MarketPrices::price(const InstrumentId& id, PriceSource source) const {
  const InstrumentPrices* p = find(id);
  if (!p) return std::nullopt;
  const std::int64_t v = price_raw(*p, source);
  if (v == 0) return std::nullopt;
  return Price::from_raw(v);
}

std::optional<Price> MarketPrices::reference(const InstrumentId& id) const {
  return price(id, id.kind == MarketKind::LinearPerp ? PriceSource::Mark : PriceSource::Last);
}

std::optional<UnixNanos> MarketPrices::last_update_ns(const InstrumentId& id) const {
  const InstrumentPrices* p = find(id);
  if (!p) return std::nullopt;
  if (!p->has_last && !p->has_mark && !p->has_quote) return std::nullopt;
  return p->latest_ts_ns();
}

}  // namespace tradingd
