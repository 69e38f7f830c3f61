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

UnixNanos InstrumentPrices::latest_ts_ns() const { return std::max({last_ts_ns, mark_ts_ns, quote_ts_ns}); }

std::optional<Price> mid_price(const InstrumentPrices& p) {
  if (!p.has_quote || !p.bid.is_positive() || !p.ask.is_positive()) return std::nullopt;
  // (bid + ask) / 2 without the intermediate sum overflowing: both are below INT64_MAX / 1 but their sum
  // may not be, so halve each and add the remainders.
  const std::int64_t b = p.bid.raw(), a = p.ask.raw();
  const std::int64_t half = b / 2 + a / 2 + ((b % 2) + (a % 2) + 1) / 2;  // rounds .5 up (both positive)
  return Price::from_raw(half);
}

bool MarketPrices::on_trade(const InstrumentId& id, Price price, UnixNanos ts_ns) {
  if (!price.is_positive()) return false;
  auto& p = slot(id);
  const bool changed = p.last != price || !p.has_last;
  p.last = price;
  p.has_last = true;
  p.last_ts_ns = std::max(p.last_ts_ns, ts_ns);
  return changed;
}

bool MarketPrices::on_quote(const InstrumentId& id, Price bid, Price ask, UnixNanos ts_ns) {
  if (!bid.is_positive() || !ask.is_positive() || bid > ask) return false;  // one-sided or crossed: no mid
  auto& p = slot(id);
  const bool changed = p.bid != bid || p.ask != ask || !p.has_quote;
  p.has_quote = true;
  p.bid = bid;
  p.ask = ask;
  p.quote_ts_ns = std::max(p.quote_ts_ns, ts_ns);
  return changed;
}

bool MarketPrices::on_mark(const InstrumentId& id, Price mark, UnixNanos ts_ns) {
  if (!mark.is_positive()) return false;
  auto& p = slot(id);
  const bool changed = p.mark != mark || !p.has_mark;
  p.has_mark = true;
  p.mark = mark;
  p.mark_ts_ns = std::max(p.mark_ts_ns, ts_ns);
  return changed;
}

InstrumentPrices& MarketPrices::slot(const InstrumentId& id) {
  if (last_.prices != nullptr && same_bytes(last_.id, id)) return *last_.prices;
  InstrumentPrices& p = prices_[id];
  last_.id = id;
  last_.prices = &p;
  return p;
}

const InstrumentPrices* MarketPrices::find(const InstrumentId& id) const {
  if (last_.prices != nullptr && same_bytes(last_.id, id)) return last_.prices;
  auto it = prices_.find(id);
  if (it == prices_.end()) return nullptr;
  last_.id = id;
  last_.prices = const_cast<InstrumentPrices*>(&it->second);  // the map is ours; find() only reads it
  return &it->second;
}

std::optional<Price> MarketPrices::price(const InstrumentId& id, PriceSource source) const {
  const InstrumentPrices* p = find(id);
  if (!p) return std::nullopt;
  // Raw values, 0 for none (stored prices are positive), wrapped once at the end: every market event asks
  // for a price, and std::optional through the fallbacks cost more than the rest.
  const std::int64_t mark = p->has_mark ? p->mark.raw() : 0;
  const std::int64_t last = p->has_last ? p->last.raw() : 0;
  auto mid = [&]() -> std::int64_t {
    const auto m = mid_price(*p);
    return m ? m->raw() : 0;
  };
  std::int64_t v = 0;
  switch (source) {
    case PriceSource::Mark: v = mark != 0 ? mark : last != 0 ? last : mid(); break;
    case PriceSource::Last:
      v = last;
      if (v == 0) v = mid();
      if (v == 0) v = mark;
      break;
    case PriceSource::Mid:
      v = mid();
      if (v == 0) v = last;
      if (v == 0) v = mark;
      break;
  }
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
