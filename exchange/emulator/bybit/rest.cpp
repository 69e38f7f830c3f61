// Bybit v5 public REST (/v5/market/*): the {retCode, retMsg, result, retExtInfo, time} envelope, strings for
// every price, size and millisecond time inside result, lists newest first where the venue does so.
// Errors are HTTP 200 with a non-zero retCode (10001 for bad parameters), as Bybit answers.
#include "exchange/emulator/bybit/service.h"

#include <algorithm>
#include <cstdio>

#include <boost/json.hpp>

namespace tradingd::emulator::bybit {
namespace json = boost::json;
namespace {

HttpResponse envelope(int ret_code, std::string_view msg, json::value result, std::int64_t now_ms) {
  json::object o;
  o["retCode"] = ret_code;
  o["retMsg"] = msg;
  o["result"] = std::move(result);
  o["retExtInfo"] = json::object{};
  o["time"] = now_ms;
  return HttpResponse::json(200, json::serialize(o));
}
HttpResponse param_error(std::string_view what, std::int64_t now_ms) {
  return envelope(10001, "params error: " + std::string(what), json::object{}, now_ms);
}

json::array levels(const InstrumentSpec& s, const std::vector<BookLevel>& ls) {
  json::array a;
  for (const auto& l : ls) a.push_back(json::array{json::string(px(s, l.price)), json::string(qty(s, l.qty))});
  return a;
}

json::object instrument(const InstrumentSpec& s, std::int64_t) {
  json::object o;
  o["symbol"] = s.symbol;
  if (s.is_perp()) {
    o["contractType"] = "LinearPerpetual";
    o["status"] = "Trading";
    o["baseCoin"] = s.base;
    o["quoteCoin"] = s.quote;
    o["launchTime"] = "1585526400000";
    o["deliveryTime"] = "0";
    o["deliveryFeeRate"] = "";
    o["priceScale"] = std::to_string(s.price_decimals);
    o["leverageFilter"] = json::object{{"minLeverage", "1"}, {"maxLeverage", std::to_string(s.max_leverage) + ".00"},
                                       {"leverageStep", "0.01"}};
    o["priceFilter"] = json::object{{"minPrice", px(s, s.min_price)}, {"maxPrice", px(s, s.max_price)},
                                    {"tickSize", px(s, s.tick_size)}};
    o["lotSizeFilter"] = json::object{{"maxOrderQty", qty(s, s.max_qty)},
                                      {"minOrderQty", qty(s, s.min_qty)},
                                      {"qtyStep", qty(s, s.step_size)},
                                      {"postOnlyMaxOrderQty", qty(s, s.max_qty)},
                                      {"maxMktOrderQty", qty(s, s.max_market_qty)},
                                      {"minNotionalValue", fmt_trim(s.min_notional)}};
    o["unifiedMarginTrade"] = true;
    o["fundingInterval"] = 480;
    o["settleCoin"] = s.settle;
  } else {
    o["baseCoin"] = s.base;
    o["quoteCoin"] = s.quote;
    o["innovation"] = "0";
    o["status"] = "Trading";
    o["marginTrading"] = "utaOnly";
    o["lotSizeFilter"] = json::object{{"basePrecision", fmt_trim(s.step_size)},
                                      {"quotePrecision", "0.0000001"},
                                      {"minOrderQty", fmt_trim(s.min_qty)},
                                      {"maxOrderQty", fmt_trim(s.max_qty)},
                                      {"minOrderAmt", fmt_trim(s.min_notional)},
                                      {"maxOrderAmt", "8000000"},
                                      {"maxLimitOrderQty", fmt_trim(s.max_qty)},
                                      {"maxMarketOrderQty", fmt_trim(s.max_market_qty)},
                                      {"postOnlyMaxLimitOrderSize", "60000"}};
    o["priceFilter"] = json::object{{"tickSize", fmt_trim(s.tick_size)}};
  }
  return o;
}

std::optional<std::int64_t> interval_ms(std::string_view iv) {
  for (const int mins : {1, 3, 5, 15, 30, 60, 120, 240})
    if (iv == std::to_string(mins)) return mins * 60'000LL;
  return std::nullopt;
}

std::string pct(Price from, Price to) {
  if (from.is_zero()) return "0";
  return fmt_trim(fixed_div<Rate>(to - from, from, Rounding::Nearest).round_to(Rate::from_string("0.000001"), Rounding::Nearest));
}

json::object ticker(const MarketSim& m, std::int64_t now_ms) {
  const auto& s = m.spec();
  const auto bars = m.klines();
  Price open = bars.front().open, high = bars.front().high, low = bars.front().low;
  Quantity vol;
  Money turnover;
  for (const auto& b : bars) {
    if (b.open_ms < now_ms - 86'400'000) continue;
    high = std::max(high, b.high);
    low = std::min(low, b.low);
    vol += b.volume;
    turnover += b.quote_volume;
  }
  const auto last_t = m.last_trade();
  const Price last = last_t ? last_t->price : m.mid_price();
  const auto bb = m.best_bid(), ba = m.best_ask();
  json::object o;
  o["symbol"] = s.symbol;
  if (s.is_perp()) {
    o["lastPrice"] = px(s, last);
    o["indexPrice"] = px(s, m.index_price());
    o["markPrice"] = px(s, m.mark_price());
    o["prevPrice24h"] = px(s, open);
    o["price24hPcnt"] = pct(open, last);
    o["highPrice24h"] = px(s, high);
    o["lowPrice24h"] = px(s, low);
    o["prevPrice1h"] = px(s, bars.size() > 60 ? bars[bars.size() - 61].close : open);
    o["openInterest"] = "0";
    o["openInterestValue"] = "0.00";
    o["turnover24h"] = fmt_trim(turnover);
    o["volume24h"] = qty(s, vol);
    o["fundingRate"] = fmt_trim(m.funding_rate());
    o["nextFundingTime"] = ms_str(m.next_funding_ms());
    o["predictedDeliveryPrice"] = "";
    o["basisRate"] = "";
    o["deliveryFeeRate"] = "";
    o["deliveryTime"] = "0";
    o["ask1Size"] = ba ? qty(s, ba->qty) : "0";
    o["bid1Price"] = bb ? px(s, bb->price) : "0";
    o["ask1Price"] = ba ? px(s, ba->price) : "0";
    o["bid1Size"] = bb ? qty(s, bb->qty) : "0";
    o["basis"] = "";
  } else {
    o["bid1Price"] = bb ? px(s, bb->price) : "0";
    o["bid1Size"] = bb ? qty(s, bb->qty) : "0";
    o["ask1Price"] = ba ? px(s, ba->price) : "0";
    o["ask1Size"] = ba ? qty(s, ba->qty) : "0";
    o["lastPrice"] = px(s, last);
    o["prevPrice24h"] = px(s, open);
    o["price24hPcnt"] = pct(open, last);
    o["highPrice24h"] = px(s, high);
    o["lowPrice24h"] = px(s, low);
    o["turnover24h"] = fmt_trim(turnover);
    o["volume24h"] = qty(s, vol);
    o["usdIndexPrice"] = px(s, m.index_price());
  }
  return o;
}
}  // namespace

std::string px(const InstrumentSpec& s, Price p) { return fmt(p, s.price_decimals); }
std::string qty(const InstrumentSpec& s, Quantity q) { return fmt(q, s.qty_decimals); }

std::string trade_id(const InstrumentSpec& s, std::int64_t id) {
  if (!s.is_perp()) return std::to_string(2290000000000000000LL + id);
  char buf[48];
  std::snprintf(buf, sizeof buf, "%08llx-%04x-4%03x-8%03x-%012llx", static_cast<unsigned long long>(id % 0xffffffffLL),
                static_cast<unsigned>(id % 0xffff), static_cast<unsigned>(id % 0xfff), static_cast<unsigned>((id / 7) % 0xfff),
                static_cast<unsigned long long>(id));
  return buf;
}

namespace {
std::vector<InstrumentSpec> specs_of(const VenueMarkets& markets) {
  std::vector<InstrumentSpec> out;
  for (const auto& m : markets.all()) out.push_back(m.spec());
  return out;
}
}  // namespace

BybitService::BybitService(const ServiceOptions& opts)
    : markets_(Venue::Bybit, opts.market), opts_(opts), account_(Venue::Bybit, specs_of(markets_), opts.account) {
  for (std::size_t i = 0; i < markets_.all().size(); ++i) {
    views_.push_back({DepthView(kDepths[0]), DepthView(kDepths[1]), DepthView(kDepths[2]), DepthView(kDepths[3])});
    view_changes_.emplace_back();
    for (auto& v : views_.back()) {
      (void)v.refresh(markets_.all()[i]);
      v.update_id = 1'000'000 + static_cast<std::int64_t>(i) * 10'000;
    }
  }
}

VenueTick BybitService::tick(std::int64_t now_ms) {
  VenueTick t = markets_.tick(now_ms, faults_);
  for (std::size_t i = 0; i < markets_.all().size(); ++i) {
    for (std::size_t d = 0; d < kDepths.size(); ++d) {
      view_changes_[i][d] = views_[i][d].refresh(markets_.all()[i]);
      if (!view_changes_[i][d].empty()) ++views_[i][d].update_id;
    }
    // The trading account sees the same market the streams publish (fills follow the books and trades).
    if (i < t.events.size()) account_.on_market(markets_.all()[i], t.events[i]);
  }
  check_dcp(now_ms);
  return t;
}

HttpResponse BybitService::handle_rest(const HttpRequest& req, std::int64_t host_now_ms) {
  const std::int64_t now_ms = venue_now(host_now_ms);
  auto q = parse_target(req.target);
  if (!q) return param_error("malformed request", now_ms);
  if (!q->path.starts_with("/v5/market/")) return handle_private(req, now_ms);
  if (req.method != "GET") {
    return HttpResponse::json(404, R"({"retCode":404,"retMsg":"Not Found"})");
  }
  const std::string ep = q->path.substr(11);
  auto opt_int = [&](std::string_view name) { return q->get(name) ? parse_int(*q->get(name)) : std::nullopt; };
  if (ep == "time") {
    return envelope(0, "OK",
                    json::object{{"timeSecond", std::to_string(now_ms / 1000)},
                                 {"timeNano", std::to_string(now_ms) + "000000"}},
                    now_ms);
  }
  const auto category = q->get("category").value_or(ep == "kline" ? "linear" : "");
  if (category != "spot" && category != "linear") {
    if (category.empty() || category == "inverse" || category == "option")
      return param_error(category.empty() ? "category is empty" : "category not served by the emulator", now_ms);
    return envelope(10001, "Illegal category", json::object{}, now_ms);
  }
  const MarketKind kind = category == "spot" ? MarketKind::Spot : MarketKind::LinearPerp;
  const auto symbol = q->get("symbol");
  const MarketSim* m = symbol ? markets_.find(kind, *symbol) : nullptr;
  if (symbol && !m) return param_error("symbol invalid", now_ms);
  auto limit_of = [&](std::int64_t def, std::int64_t max) {
    return std::clamp<std::int64_t>(opt_int("limit").value_or(def), 1, max);
  };

  if (ep == "instruments-info") {
    json::array list;
    for (const auto& mk : markets_.all())
      if (mk.spec().kind == kind && (!m || &mk == m)) list.push_back(instrument(mk.spec(), now_ms));
    json::object r;
    r["category"] = category;
    r["list"] = std::move(list);
    r["nextPageCursor"] = "";
    return envelope(0, "OK", std::move(r), now_ms);
  }
  if (ep == "tickers") {
    json::array list;
    for (const auto& mk : markets_.all())
      if (mk.spec().kind == kind && (!m || &mk == m)) list.push_back(ticker(mk, now_ms));
    return envelope(0, "OK", json::object{{"category", category}, {"list", std::move(list)}}, now_ms);
  }
  if (!m) return param_error("symbol invalid", now_ms);
  const auto& s = m->spec();
  const auto i = static_cast<std::size_t>(markets_.index_of(kind, s.symbol));
  if (ep == "orderbook") {
    const auto limit = static_cast<std::size_t>(limit_of(kind == MarketKind::Spot ? 1 : 25, 1000));
    const DepthView& full = views_[i][3];
    json::object r;
    r["s"] = s.symbol;
    r["b"] = levels(s, m->bids(limit));
    r["a"] = levels(s, m->asks(limit));
    r["ts"] = now_ms;
    r["u"] = full.update_id;
    r["seq"] = m->update_id();
    r["cts"] = m->now_ms();
    return envelope(0, "OK", std::move(r), now_ms);
  }
  if (ep == "recent-trade") {
    const auto limit = static_cast<std::size_t>(limit_of(kind == MarketKind::Spot ? 60 : 500, kind == MarketKind::Spot ? 60 : 1000));
    json::array list;
    const auto& ts = m->trades();
    for (auto it = ts.rbegin(); it != ts.rend() && list.size() < limit; ++it) {
      json::object o;
      o["execId"] = trade_id(s, it->id);
      o["symbol"] = s.symbol;
      o["price"] = px(s, it->price);
      o["size"] = qty(s, it->qty);
      o["side"] = it->taker_is_buy ? "Buy" : "Sell";
      o["time"] = ms_str(it->ts_ms);
      o["isBlockTrade"] = false;
      list.push_back(std::move(o));
    }
    return envelope(0, "OK", json::object{{"category", category}, {"list", std::move(list)}}, now_ms);
  }
  if (ep == "kline") {
    const auto iv_name = q->get("interval");
    if (!iv_name) return param_error("interval is empty", now_ms);
    const auto iv = interval_ms(*iv_name);
    if (!iv) return param_error("interval invalid", now_ms);
    const auto limit = static_cast<std::size_t>(limit_of(200, 1000));
    auto bars = select_klines(aggregate_klines(m->klines(), *iv), opt_int("start"), opt_int("end"), limit);
    json::array list;
    for (auto it = bars.rbegin(); it != bars.rend(); ++it) {
      list.push_back(json::array{json::string(ms_str(it->open_ms)), json::string(px(s, it->open)),
                                 json::string(px(s, it->high)), json::string(px(s, it->low)),
                                 json::string(px(s, it->close)), json::string(qty(s, it->volume)),
                                 json::string(fmt_trim(it->quote_volume))});
    }
    return envelope(0, "OK", json::object{{"category", category}, {"symbol", s.symbol}, {"list", std::move(list)}}, now_ms);
  }
  if (ep == "funding/history") {
    if (kind != MarketKind::LinearPerp) return param_error("category only support linear or inverse", now_ms);
    const auto limit = static_cast<std::size_t>(limit_of(200, 200));
    const auto start = opt_int("startTime"), end = opt_int("endTime");
    json::array list;
    const auto& fh = m->funding_history();
    for (auto it = fh.rbegin(); it != fh.rend() && list.size() < limit; ++it) {
      if ((start && it->funding_time_ms < *start) || (end && it->funding_time_ms > *end)) continue;
      list.push_back(json::object{{"symbol", s.symbol},
                                  {"fundingRate", fmt_trim(it->rate)},
                                  {"fundingRateTimestamp", ms_str(it->funding_time_ms)}});
    }
    return envelope(0, "OK", json::object{{"category", category}, {"list", std::move(list)}}, now_ms);
  }
  return HttpResponse::json(404, R"({"retCode":404,"retMsg":"Not Found"})");
}

}  // namespace tradingd::emulator::bybit
