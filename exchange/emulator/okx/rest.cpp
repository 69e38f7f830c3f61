// OKX v5 public REST: the {"code":"0","msg":"","data":[...]} envelope with every number a string, book
// levels [px, sz, "0", numOrders], candles newest first. Errors keep the envelope with the venue's code
// (51001 unknown instrument, 50014 missing parameter) and an empty data array.
#include "exchange/emulator/okx/service.h"

#include <algorithm>
#include <stdexcept>

#include <boost/json.hpp>
#include <zlib.h>

namespace tradingd::emulator::okx {
namespace json = boost::json;
namespace {

HttpResponse envelope(json::array data) {
  json::object o;
  o["code"] = "0";
  o["msg"] = "";
  o["data"] = std::move(data);
  return HttpResponse::json(200, json::serialize(o));
}
HttpResponse failure(int status, std::string_view code, std::string_view msg) {
  return HttpResponse::json(status, json::serialize(json::object{{"code", code}, {"msg", msg}, {"data", json::array{}}}));
}
HttpResponse no_instrument() { return failure(200, "51001", "Instrument ID doesn't exist."); }
HttpResponse empty_param(std::string_view name) {
  return failure(400, "50014", "Parameter " + std::string(name) + " can not be empty.");
}

std::string inst_type(const InstrumentSpec& s) { return s.is_perp() ? "SWAP" : "SPOT"; }

json::array levels(const std::vector<BookLevel>& ls) {
  json::array a;
  for (const auto& l : ls)
    a.push_back(json::array{json::string(px(l.price)), json::string(sz(l.qty)), "0", json::string(std::to_string(num_orders(l)))});
  return a;
}

json::object instrument(const InstrumentSpec& s, int index) {
  json::object o;
  const bool swap = s.is_perp();
  o["alias"] = "";
  o["auctionEndTime"] = "";
  o["baseCcy"] = swap ? "" : s.base;
  o["category"] = "1";
  if (swap) o["contTdSwTime"] = "";
  o["ctMult"] = swap ? "1" : "";
  o["ctType"] = swap ? "linear" : "";
  o["ctVal"] = swap ? fmt_trim(s.contract_value) : "";
  o["ctValCcy"] = swap ? s.base : "";
  o["expTime"] = "";
  if (swap) o["futureSettlement"] = false;
  o["instFamily"] = swap ? s.base + "-" + s.quote : "";
  o["instId"] = s.symbol;
  if (swap) o["instIdCode"] = 10459 + index;
  o["instType"] = inst_type(s);
  o["lever"] = swap ? "100" : "10";
  o["listTime"] = swap ? "1573557408000" : "1548133413000";
  o["lotSz"] = sz(s.step_size);
  o["maxIcebergSz"] = sz(s.max_qty) + ".0000000000000000";
  o["maxLmtAmt"] = "20000000";
  o["maxLmtSz"] = sz(s.max_qty);
  o["maxMktAmt"] = swap ? "" : "1000000";
  o["maxMktSz"] = sz(s.max_market_qty);
  if (swap) o["maxPlatOILmt"] = "";
  o["maxStopSz"] = sz(s.max_market_qty);
  o["maxTriggerSz"] = sz(s.max_qty) + ".0000000000000000";
  o["maxTwapSz"] = sz(s.max_qty) + ".0000000000000000";
  o["minSz"] = sz(s.min_qty);
  if (swap) o["openType"] = "";
  o["optType"] = "";
  if (swap) {
    o["posLmtAmt"] = "";
    o["posLmtPct"] = "";
    o["preMktSwTime"] = "";
  }
  o["quoteCcy"] = swap ? "" : s.quote;
  o["ruleType"] = "normal";
  o["settleCcy"] = swap ? s.settle : "";
  o["state"] = "live";
  o["stk"] = "";
  o["tickSz"] = px(s.tick_size);
  if (swap) o["tradeQuoteCcyList"] = json::array{};
  o["uly"] = swap ? s.base + "-" + s.quote : "";
  return o;
}

std::optional<std::int64_t> bar_ms(std::string_view bar) {
  static const std::pair<std::string_view, std::int64_t> table[] = {
      {"1m", 1}, {"3m", 3}, {"5m", 5}, {"15m", 15}, {"30m", 30}, {"1H", 60}, {"2H", 120}, {"4H", 240}};
  for (const auto& [name, mins] : table)
    if (name == bar) return mins * 60'000;
  return std::nullopt;
}

json::object ticker(const MarketSim& m, std::int64_t now_ms) {
  const auto& s = m.spec();
  const auto bars = m.klines();
  Price open = bars.front().open, high = bars.front().high, low = bars.front().low;
  Quantity vol;
  Money vol_ccy;
  for (const auto& b : bars) {
    if (b.open_ms < now_ms - 86'400'000) continue;
    high = std::max(high, b.high);
    low = std::min(low, b.low);
    vol += b.volume;
    vol_ccy += b.quote_volume;
  }
  const auto last_t = m.last_trade();
  const auto bb = m.best_bid(), ba = m.best_ask();
  json::object o;
  o["instType"] = inst_type(s);
  o["instId"] = s.symbol;
  o["last"] = px(last_t ? last_t->price : m.mid_price());
  o["lastSz"] = sz(last_t ? last_t->qty : Quantity::zero());
  o["askPx"] = ba ? px(ba->price) : "";
  o["askSz"] = ba ? sz(ba->qty) : "";
  o["bidPx"] = bb ? px(bb->price) : "";
  o["bidSz"] = bb ? sz(bb->qty) : "";
  o["open24h"] = px(open);
  o["high24h"] = px(high);
  o["low24h"] = px(low);
  // SPOT: volCcy24h is in quote currency, vol24h in base; SWAP: volCcy24h in base, vol24h in contracts.
  o["volCcy24h"] = s.is_perp() ? fmt_trim(fixed_mul<Quantity>(vol, s.contract_value, Rounding::Nearest)) : fmt_trim(vol_ccy);
  o["vol24h"] = sz(vol);
  o["sodUtc0"] = px(open);
  o["sodUtc8"] = px(open);
  o["ts"] = ms_str(now_ms);
  return o;
}
}  // namespace

std::string px(Price p) { return fmt_trim(p); }
std::string sz(Quantity q) { return fmt_trim(q); }

std::int64_t num_orders(const BookLevel& l) {
  const auto h = static_cast<std::uint64_t>(l.price.raw()) * 31 + static_cast<std::uint64_t>(l.qty.raw());
  return 1 + static_cast<std::int64_t>(h % 9);
}

std::int32_t checksum(const std::vector<std::pair<std::string, std::string>>& bids,
                      const std::vector<std::pair<std::string, std::string>>& asks) {
  std::string s;
  for (std::size_t i = 0; i < 25 && (i < bids.size() || i < asks.size()); ++i) {
    if (i < bids.size()) s += bids[i].first + ":" + bids[i].second + ":";
    if (i < asks.size()) s += asks[i].first + ":" + asks[i].second + ":";
  }
  if (!s.empty()) s.pop_back();
  const uLong crc = crc32(0L, reinterpret_cast<const Bytef*>(s.data()), static_cast<uInt>(s.size()));
  return static_cast<std::int32_t>(static_cast<std::uint32_t>(crc));
}

std::int32_t book_checksum(const MarketSim& m) {
  std::vector<std::pair<std::string, std::string>> b, a;
  for (const auto& l : m.bids(25)) b.emplace_back(px(l.price), sz(l.qty));
  for (const auto& l : m.asks(25)) a.emplace_back(px(l.price), sz(l.qty));
  return checksum(b, a);
}

namespace {
std::vector<InstrumentSpec> specs_of(const VenueMarkets& m) {
  std::vector<InstrumentSpec> out;
  for (const auto& market : m.all()) out.push_back(market.spec());
  return out;
}
live::HmacSha256 make_mac(std::string_view secret) {
  auto m = live::HmacSha256::make(secret);
  if (!m) throw std::runtime_error("HMAC setup failed: " + m.error());
  return std::move(*m);
}
}  // namespace

OkxService::OkxService(const ServiceOptions& opts)
    : markets_(Venue::Okx, opts.market),
      opts_(opts),
      account_(Venue::Okx, specs_of(markets_), opts.account),
      mac_(make_mac(opts.account.api_secret)) {
  faults_.okx_checksum_zero = opts.okx_checksum_zero;
}

HttpResponse OkxService::handle_rest(const HttpRequest& req, std::int64_t now_ms) {
  auto q = parse_target(req.target);
  if (!q) return failure(400, "50014", "Malformed request.");
  if (q->path.starts_with("/api/v5/trade/") || q->path.starts_with("/api/v5/account/")) return handle_private(req, *q, now_ms);
  if (req.method != "GET") return failure(405, "50000", "Method not allowed.");
  const std::string& p = q->path;
  auto opt_int = [&](std::string_view name) { return q->get(name) ? parse_int(*q->get(name)) : std::nullopt; };
  auto limit_of = [&](std::int64_t def, std::int64_t max) {
    return static_cast<std::size_t>(std::clamp<std::int64_t>(opt_int("limit").value_or(def), 1, max));
  };
  const auto inst_id = q->get("instId");
  const MarketSim* m = nullptr;
  if (inst_id) {
    const bool swap = inst_id->ends_with("-SWAP");
    m = markets_.find(swap ? MarketKind::LinearPerp : MarketKind::Spot, *inst_id);
  }
  auto need_inst = [&]() -> std::optional<HttpResponse> {
    if (!inst_id || inst_id->empty()) return empty_param("instId");
    if (!m) return no_instrument();
    return std::nullopt;
  };
  auto kind_of = [](std::string_view t) -> std::optional<MarketKind> {
    if (t == "SPOT") return MarketKind::Spot;
    if (t == "SWAP") return MarketKind::LinearPerp;
    return std::nullopt;
  };

  if (p == "/api/v5/public/time") return envelope(json::array{json::object{{"ts", ms_str(venue_ms(now_ms))}}});
  if (p == "/api/v5/public/instruments") {
    const auto t = q->get("instType");
    if (!t || t->empty()) return empty_param("instType");
    const auto kind = kind_of(*t);
    json::array data;
    if (kind) {
      int i = 0;
      for (const auto& mk : markets_.all()) {
        if (mk.spec().kind == *kind && (!inst_id || mk.spec().symbol == *inst_id)) data.push_back(instrument(mk.spec(), i));
        ++i;
      }
    }
    if (inst_id && data.empty()) return no_instrument();
    return envelope(std::move(data));
  }
  if (p == "/api/v5/public/mark-price") {
    const auto t = q->get("instType");
    if (!t || t->empty()) return empty_param("instType");
    json::array data;
    for (const auto& mk : markets_.all()) {
      if (inst_type(mk.spec()) != *t || (inst_id && mk.spec().symbol != *inst_id)) continue;
      data.push_back(json::object{{"instType", *t}, {"instId", mk.spec().symbol}, {"markPx", px(mk.mark_price())},
                                  {"ts", ms_str(now_ms)}});
    }
    return envelope(std::move(data));
  }
  if (p == "/api/v5/public/funding-rate") {
    if (auto e = need_inst()) return *e;
    if (!m->spec().is_perp()) return failure(200, "51001", "Instrument ID doesn't exist.");
    json::object o;
    o["fundingRate"] = fmt_trim(m->funding_rate());
    o["fundingTime"] = ms_str(m->next_funding_ms());
    o["impactValue"] = "20000.0000000000000000";
    o["instId"] = m->spec().symbol;
    o["instType"] = "SWAP";
    o["interestRate"] = "0.0001000000000000";
    o["maxFundingRate"] = "0.00375";
    o["method"] = "current_period";
    o["minFundingRate"] = "-0.00375";
    o["nextFundingRate"] = "";
    o["nextFundingTime"] = ms_str(m->next_funding_ms() + MarketSim::kFundingIntervalMs);
    o["premium"] = "0.0000500000000000";
    o["settFundingRate"] = fmt_trim(m->funding_history().back().rate);
    o["settState"] = "settled";
    o["ts"] = ms_str(now_ms);
    return envelope(json::array{std::move(o)});
  }
  if (p == "/api/v5/market/books") {
    if (auto e = need_inst()) return *e;
    const auto n = limit_of(1, 400);
    const auto depth = static_cast<std::size_t>(std::clamp<std::int64_t>(opt_int("sz").value_or(static_cast<std::int64_t>(n)), 1, 400));
    json::object o;
    o["asks"] = levels(m->asks(depth));
    o["bids"] = levels(m->bids(depth));
    o["ts"] = ms_str(m->now_ms());
    o["seqId"] = m->update_id();
    return envelope(json::array{std::move(o)});
  }
  if (p == "/api/v5/market/trades") {
    if (auto e = need_inst()) return *e;
    const auto limit = limit_of(100, 500);
    json::array data;
    const auto& ts = m->trades();
    for (auto it = ts.rbegin(); it != ts.rend() && data.size() < limit; ++it) {
      data.push_back(json::object{{"instId", m->spec().symbol},
                                  {"side", it->taker_is_buy ? "buy" : "sell"},
                                  {"sz", sz(it->qty)},
                                  {"px", px(it->price)},
                                  {"tradeId", std::to_string(it->id)},
                                  {"ts", ms_str(it->ts_ms)}});
    }
    return envelope(std::move(data));
  }
  if (p == "/api/v5/market/candles" || p == "/api/v5/market/history-candles") {
    if (auto e = need_inst()) return *e;
    const auto iv = bar_ms(q->get("bar").value_or("1m"));
    if (!iv) return failure(400, "51000", "Parameter bar error");
    const bool history = p.ends_with("history-candles");
    const auto limit = limit_of(100, history ? 100 : 300);
    // after: records older than this ts; before: newer than this ts.
    const auto after = opt_int("after"), before = opt_int("before");
    const auto bars = aggregate_klines(m->klines(), *iv);
    const auto& s = m->spec();
    json::array data;
    for (auto it = bars.rbegin(); it != bars.rend() && data.size() < limit; ++it) {
      if ((after && it->open_ms >= *after) || (before && it->open_ms <= *before)) continue;
      const bool closed = it->open_ms + *iv <= m->now_ms();
      const Quantity vol_ccy = s.is_perp() ? fixed_mul<Quantity>(it->volume, s.contract_value, Rounding::Nearest) : Quantity::zero();
      data.push_back(json::array{json::string(ms_str(it->open_ms)), json::string(px(it->open)), json::string(px(it->high)),
                                 json::string(px(it->low)), json::string(px(it->close)), json::string(sz(it->volume)),
                                 json::string(s.is_perp() ? fmt_trim(vol_ccy) : fmt_trim(it->quote_volume)),
                                 json::string(fmt_trim(it->quote_volume)), closed ? "1" : "0"});
    }
    return envelope(std::move(data));
  }
  if (p == "/api/v5/market/ticker") {
    if (auto e = need_inst()) return *e;
    return envelope(json::array{ticker(*m, now_ms)});
  }
  if (p == "/api/v5/market/tickers") {
    const auto t = q->get("instType");
    if (!t || t->empty()) return empty_param("instType");
    json::array data;
    for (const auto& mk : markets_.all())
      if (inst_type(mk.spec()) == *t) data.push_back(ticker(mk, now_ms));
    return envelope(std::move(data));
  }
  return failure(404, "50000", "Not Found");
}

}  // namespace tradingd::emulator::okx
