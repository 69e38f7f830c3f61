// Binance public REST: spot /api/v3/* and USD-M /fapi/v1/*, payloads key for key as the venue sends them
// (see ../shared/fixtures/binance/rest_response), errors as {"code":-1121,"msg":"Invalid symbol."} with
// HTTP 400, and X-MBX-USED-WEIGHT-1M on every response.
#include "exchange/emulator/binance/service.h"

#include "exchange/emulator/binance/private.h"

#include <algorithm>
#include <boost/json.hpp>

namespace tradingd::emulator::binance {
namespace json = boost::json;
namespace {

HttpResponse error(int status, int code, std::string_view msg) {
  json::object o;
  o["code"] = code;
  o["msg"] = msg;
  return HttpResponse::json(status, json::serialize(o));
}
HttpResponse ok(const json::value& v) { return HttpResponse::json(200, json::serialize(v)); }
HttpResponse invalid_symbol() { return error(400, -1121, "Invalid symbol."); }
HttpResponse missing(std::string_view name) {
  return error(400, -1102, "Mandatory parameter '" + std::string(name) + "' was not sent, was empty/null, or malformed.");
}

json::array levels(const InstrumentSpec& s, const std::vector<BookLevel>& ls) {
  json::array a;
  a.reserve(ls.size());
  for (const auto& l : ls) a.push_back(json::array{json::string(px(s, l.price)), json::string(qty(s, l.qty))});
  return a;
}

Money quote_of(const InstrumentSpec& s, Price p, Quantity q) {
  return fixed_mul<Money>(fixed_mul<Money>(p, q, Rounding::Nearest), s.contract_value, Rounding::Nearest);
}

json::object price_filter(const InstrumentSpec& s, bool fut) {
  json::object f;
  if (fut) {
    f["minPrice"] = fmt_trim(s.min_price);
    f["maxPrice"] = fmt(s.max_price, s.price_decimals);
    f["filterType"] = "PRICE_FILTER";
    f["tickSize"] = fmt(s.tick_size, s.price_decimals);
  } else {
    f["filterType"] = "PRICE_FILTER";
    f["minPrice"] = fmt(s.min_price, 8);
    f["maxPrice"] = fmt(s.max_price, 8);
    f["tickSize"] = fmt(s.tick_size, 8);
  }
  return f;
}

json::object lot_filter(const InstrumentSpec& s, bool fut, const char* type, Quantity max_q) {
  json::object f;
  if (fut) {
    f["stepSize"] = fmt_trim(s.step_size);
    f["filterType"] = type;
    f["maxQty"] = fmt_trim(max_q);
    f["minQty"] = fmt_trim(s.min_qty);
  } else {
    f["filterType"] = type;
    f["minQty"] = fmt(s.min_qty, 8);
    f["maxQty"] = fmt(max_q, 8);
    f["stepSize"] = fmt(s.step_size, 8);
  }
  return f;
}

json::object spot_symbol(const InstrumentSpec& s) {
  json::object o;
  o["symbol"] = s.symbol;
  o["status"] = "TRADING";
  o["baseAsset"] = s.base;
  o["baseAssetPrecision"] = 8;
  o["quoteAsset"] = s.quote;
  o["quotePrecision"] = 8;
  o["quoteAssetPrecision"] = 8;
  o["baseCommissionPrecision"] = 8;
  o["quoteCommissionPrecision"] = 8;
  o["orderTypes"] = json::array{"LIMIT", "LIMIT_MAKER", "MARKET", "STOP_LOSS", "STOP_LOSS_LIMIT", "TAKE_PROFIT",
                                "TAKE_PROFIT_LIMIT"};
  o["icebergAllowed"] = true;
  o["ocoAllowed"] = true;
  o["otoAllowed"] = true;
  o["opoAllowed"] = true;
  o["quoteOrderQtyMarketAllowed"] = true;
  o["allowTrailingStop"] = true;
  o["cancelReplaceAllowed"] = true;
  o["amendAllowed"] = true;
  o["pegInstructionsAllowed"] = true;
  o["isSpotTradingAllowed"] = true;
  o["isMarginTradingAllowed"] = true;
  json::array filters;
  filters.push_back(price_filter(s, false));
  filters.push_back(lot_filter(s, false, "LOT_SIZE", s.max_qty));
  filters.push_back(json::object{{"filterType", "ICEBERG_PARTS"}, {"limit", 100}});
  filters.push_back(lot_filter(s, false, "MARKET_LOT_SIZE", s.max_market_qty));
  filters.push_back(json::object{{"filterType", "MAX_NUM_ORDERS"}, {"maxNumOrders", 200}});
  filters.push_back(json::object{{"filterType", "MAX_NUM_ALGO_ORDERS"}, {"maxNumAlgoOrders", 5}});
  filters.push_back(json::object{{"filterType", "NOTIONAL"},
                                 {"minNotional", fmt(s.min_notional, 8)},
                                 {"applyMinToMarket", true},
                                 {"maxNotional", "9000000.00000000"},
                                 {"applyMaxToMarket", false},
                                 {"avgPriceMins", 5}});
  o["filters"] = std::move(filters);
  o["permissions"] = json::array{};
  o["permissionSets"] = json::array{json::array{"SPOT", "MARGIN"}};
  o["defaultSelfTradePreventionMode"] = "EXPIRE_MAKER";
  o["allowedSelfTradePreventionModes"] = json::array{"EXPIRE_TAKER", "EXPIRE_MAKER", "EXPIRE_BOTH", "DECREMENT"};
  return o;
}

json::object futures_symbol(const InstrumentSpec& s) {
  json::object o;
  o["symbol"] = s.symbol;
  o["pair"] = s.symbol;
  o["contractType"] = "PERPETUAL";
  o["deliveryDate"] = 4133404800000LL;
  o["onboardDate"] = 1569398400000LL;
  o["status"] = "TRADING";
  o["maintMarginPercent"] = "2.5000";
  o["requiredMarginPercent"] = "5.0000";
  o["baseAsset"] = s.base;
  o["quoteAsset"] = s.quote;
  o["marginAsset"] = s.settle;
  o["pricePrecision"] = s.price_decimals;
  o["quantityPrecision"] = s.qty_decimals;
  o["baseAssetPrecision"] = 8;
  o["quotePrecision"] = 8;
  o["underlyingType"] = "COIN";
  o["underlyingSubType"] = json::array{"PoW"};
  o["settlePlan"] = 0;
  o["triggerProtect"] = "0.0500";
  o["liquidationFee"] = "0.012500";
  o["marketTakeBound"] = "0.05";
  json::array filters;
  filters.push_back(price_filter(s, true));
  filters.push_back(lot_filter(s, true, "LOT_SIZE", s.max_qty));
  filters.push_back(lot_filter(s, true, "MARKET_LOT_SIZE", s.max_market_qty));
  filters.push_back(json::object{{"limit", 200}, {"filterType", "MAX_NUM_ORDERS"}});
  filters.push_back(json::object{{"limit", 10}, {"filterType", "MAX_NUM_ALGO_ORDERS"}});
  filters.push_back(json::object{{"notional", fmt_trim(s.min_notional)}, {"filterType", "MIN_NOTIONAL"}});
  filters.push_back(json::object{{"multiplierDown", "0.9500"},
                                 {"multiplierUp", "1.0500"},
                                 {"multiplierDecimal", "4"},
                                 {"filterType", "PERCENT_PRICE"}});
  o["filters"] = std::move(filters);
  o["orderTypes"] = json::array{"LIMIT", "MARKET", "STOP", "STOP_MARKET", "TAKE_PROFIT", "TAKE_PROFIT_MARKET",
                                "TRAILING_STOP_MARKET"};
  o["timeInForce"] = json::array{"GTC", "IOC", "FOK", "GTX"};
  return o;
}

json::object rate_limit(const char* type, const char* interval, int num, int limit) {
  return json::object{{"rateLimitType", type}, {"interval", interval}, {"intervalNum", num}, {"limit", limit}};
}

json::object book_ticker(const MarketSim& m, bool fut, std::int64_t now_ms) {
  const auto& s = m.spec();
  const auto bb = m.best_bid(), ba = m.best_ask();
  json::object o;
  o["symbol"] = s.symbol;
  o["bidPrice"] = bb ? px(s, bb->price) : "0";
  o["bidQty"] = bb ? qty(s, bb->qty) : "0";
  o["askPrice"] = ba ? px(s, ba->price) : "0";
  o["askQty"] = ba ? qty(s, ba->qty) : "0";
  if (fut) o["time"] = now_ms;
  return o;
}

json::object ticker_24hr(const MarketSim& m, std::int64_t now_ms) {
  const auto& s = m.spec();
  const auto bars = m.klines();
  Price open = bars.front().open, high = bars.front().high, low = bars.front().low;
  Quantity vol;
  Money qvol;
  std::int64_t count = 0, first_id = -1, last_id = -1;
  for (const auto& b : bars) {
    if (b.open_ms < now_ms - 86'400'000) continue;
    high = std::max(high, b.high);
    low = std::min(low, b.low);
    vol += b.volume;
    qvol += b.quote_volume;
    count += b.trade_count;
    if (first_id < 0 && b.first_trade_id >= 0) first_id = b.first_trade_id;
    if (b.last_trade_id >= 0) last_id = b.last_trade_id;
  }
  const auto last = m.last_trade();
  const Price last_px = last ? last->price : m.mid_price();
  const Price change = last_px - open;
  const Rate pct = open.is_zero() ? Rate::zero()
                                  : fixed_div<Rate>(change * 100, open, Rounding::Nearest)
                                        .round_to(Rate::from_string("0.001"), Rounding::Nearest);
  const Price wavg = vol.is_zero() ? last_px
                                   : fixed_div<Price>(qvol, vol, Rounding::Nearest)
                                         .round_to(Price::from_string("0.00000001"), Rounding::Nearest);
  const auto bb = m.best_bid(), ba = m.best_ask();
  json::object o;
  o["symbol"] = s.symbol;
  o["priceChange"] = px(s, change);
  o["priceChangePercent"] = fmt(pct, 3);
  o["weightedAvgPrice"] = fmt(wavg, 8);
  o["prevClosePrice"] = px(s, open);
  o["lastPrice"] = px(s, last_px);
  o["lastQty"] = qty(s, last ? last->qty : Quantity::zero());
  o["bidPrice"] = bb ? px(s, bb->price) : "0";
  o["bidQty"] = bb ? qty(s, bb->qty) : "0";
  o["askPrice"] = ba ? px(s, ba->price) : "0";
  o["askQty"] = ba ? qty(s, ba->qty) : "0";
  o["openPrice"] = px(s, open);
  o["highPrice"] = px(s, high);
  o["lowPrice"] = px(s, low);
  o["volume"] = qty(s, vol);
  o["quoteVolume"] = fmt(qvol, 8);
  o["openTime"] = now_ms - 86'400'000;
  o["closeTime"] = now_ms;
  o["firstId"] = first_id;
  o["lastId"] = last_id;
  o["count"] = count;
  return o;
}

std::optional<std::int64_t> interval_ms(std::string_view iv) {
  static const std::pair<std::string_view, std::int64_t> table[] = {
      {"1m", 1}, {"3m", 3}, {"5m", 5}, {"15m", 15}, {"30m", 30}, {"1h", 60}, {"2h", 120}, {"4h", 240}};
  for (const auto& [name, mins] : table)
    if (name == iv) return mins * 60'000;
  return std::nullopt;
}

int depth_weight(std::int64_t limit, bool fut) {
  if (fut) return limit <= 50 ? 2 : limit <= 100 ? 5 : limit <= 500 ? 10 : 20;
  return limit <= 100 ? 5 : limit <= 500 ? 25 : limit <= 1000 ? 50 : 250;
}
}  // namespace

std::string px(const InstrumentSpec& s, Price p) { return fmt(p, s.is_perp() ? s.price_decimals : 8); }
std::string qty(const InstrumentSpec& s, Quantity q) { return fmt(q, s.is_perp() ? s.qty_decimals : 8); }

BinanceService::BinanceService(const ServiceOptions& opts)
    : markets_(Venue::Binance, opts.market), opts_(opts),
      private_(std::make_unique<BinancePrivate>(markets_, opts_, faults_)) {}
BinanceService::~BinanceService() = default;

VenueTick BinanceService::tick(std::int64_t now_ms) {
  VenueTick t = markets_.tick(now_ms, faults_);
  private_->on_tick(t, markets_, private_->venue_now(now_ms));
  return t;
}

HttpResponse BinanceService::handle_rest(const HttpRequest& req, std::int64_t now_ms) {
  auto q = parse_target(req.target);
  if (!q) return error(400, -1100, "Illegal characters found in a parameter.");
  const bool fut = q->path.starts_with("/fapi/");
  int weight = 1;
  HttpResponse r;
  // The venue's clock (the clock_skew fault moves it) for server time and timestamp checks.
  now_ms = private_->venue_now(now_ms);
  if (BinancePrivate::handles(q->path)) {
    r = private_->handle(req, *q, now_ms);
  } else if (req.method != "GET") {
    r = error(404, -5000, "Path " + q->path + ", Method " + req.method + " is invalid");
  } else {
    r = route(*q, now_ms, fut, weight);
  }
  const int k = fut ? 1 : 0;
  const std::int64_t minute = now_ms / 60'000;
  if (weight_minute_[k] != minute) {
    weight_minute_[k] = minute;
    weight_used_[k] = 0;
  }
  weight_used_[k] += weight;
  r.headers.emplace_back("X-MBX-USED-WEIGHT", std::to_string(weight_used_[k]));
  r.headers.emplace_back("X-MBX-USED-WEIGHT-1M", std::to_string(weight_used_[k]));
  return r;
}

HttpResponse BinanceService::route(const Query& q, std::int64_t now_ms, bool fut, int& weight) {
  const std::string_view prefix = fut ? "/fapi/v1/" : "/api/v3/";
  if (!q.path.starts_with(prefix)) return error(404, -5000, "Path " + q.path + ", Method GET is invalid");
  const std::string ep = q.path.substr(prefix.size());
  const MarketKind kind = fut ? MarketKind::LinearPerp : MarketKind::Spot;
  const auto symbol = q.get("symbol");
  const MarketSim* m = symbol ? markets_.find(kind, *symbol) : nullptr;
  auto need_symbol = [&]() -> std::optional<HttpResponse> {
    if (!symbol || symbol->empty()) return missing("symbol");
    if (!m) return invalid_symbol();
    return std::nullopt;
  };
  auto limit_of = [&](std::int64_t def, std::int64_t max) {
    const auto l = q.get("limit") ? parse_int(*q.get("limit")) : std::nullopt;
    return std::clamp<std::int64_t>(l.value_or(def), 1, max);
  };
  auto opt_int = [&](std::string_view name) { return q.get(name) ? parse_int(*q.get(name)) : std::nullopt; };

  if (ep == "ping") return ok(json::object{});
  if (ep == "time") return ok(json::object{{"serverTime", now_ms}});
  if (ep == "exchangeInfo") {
    weight = fut ? 1 : 20;
    json::object o;
    o["timezone"] = "UTC";
    o["serverTime"] = now_ms;
    if (fut) o["futuresType"] = "U_MARGINED";
    json::array rl;
    if (fut) {
      rl.push_back(rate_limit("REQUEST_WEIGHT", "MINUTE", 1, 2400));
      rl.push_back(rate_limit("ORDERS", "MINUTE", 1, 1200));
      rl.push_back(rate_limit("ORDERS", "SECOND", 10, 300));
    } else {
      rl.push_back(rate_limit("REQUEST_WEIGHT", "MINUTE", 1, 6000));
      rl.push_back(rate_limit("ORDERS", "SECOND", 10, 100));
      rl.push_back(rate_limit("ORDERS", "DAY", 1, 200000));
      rl.push_back(rate_limit("RAW_REQUESTS", "MINUTE", 5, 300000));
    }
    o["rateLimits"] = std::move(rl);
    o["exchangeFilters"] = json::array{};
    if (fut) {
      json::array assets;
      for (const char* a : {"USDT", "BTC", "ETH"})
        assets.push_back(json::object{{"asset", a},
                                      {"marginAvailable", true},
                                      {"autoAssetExchange", std::string_view(a) == "USDT" ? "-10000" : "0"}});
      o["assets"] = std::move(assets);
    }
    json::array syms;
    for (const auto& mk : markets_.all()) {
      if (mk.spec().kind != kind) continue;
      if (symbol && mk.spec().symbol != *symbol) continue;
      syms.push_back(fut ? futures_symbol(mk.spec()) : spot_symbol(mk.spec()));
    }
    if (symbol && syms.empty()) return invalid_symbol();
    o["symbols"] = std::move(syms);
    if (!fut) o["sors"] = json::array{json::object{{"baseAsset", "BTC"}, {"symbols", json::array{"BTCUSDT"}}}};
    return ok(o);
  }
  if (ep == "depth") {
    if (auto e = need_symbol()) return *e;
    const auto limit = limit_of(fut ? 500 : 100, fut ? 1000 : 5000);
    weight = depth_weight(limit, fut);
    json::object o;
    o["lastUpdateId"] = m->update_id();
    if (fut) {
      o["E"] = now_ms;
      o["T"] = m->now_ms();
    }
    o["bids"] = levels(m->spec(), m->bids(static_cast<std::size_t>(limit)));
    o["asks"] = levels(m->spec(), m->asks(static_cast<std::size_t>(limit)));
    return ok(o);
  }
  if (ep == "trades") {
    if (auto e = need_symbol()) return *e;
    weight = fut ? 5 : 25;
    const auto limit = static_cast<std::size_t>(limit_of(500, 1000));
    const auto& ts = m->trades();
    json::array a;
    for (std::size_t i = ts.size() > limit ? ts.size() - limit : 0; i < ts.size(); ++i) {
      const auto& t = ts[i];
      json::object o;
      o["id"] = t.id;
      o["price"] = px(m->spec(), t.price);
      o["qty"] = qty(m->spec(), t.qty);
      o["quoteQty"] = fmt_trim(quote_of(m->spec(), t.price, t.qty));
      o["time"] = t.ts_ms;
      o["isBuyerMaker"] = !t.taker_is_buy;
      if (!fut) o["isBestMatch"] = true;
      a.push_back(std::move(o));
    }
    return ok(a);
  }
  if (ep == "aggTrades") {
    if (auto e = need_symbol()) return *e;
    weight = fut ? 20 : 4;
    const auto limit = static_cast<std::size_t>(limit_of(500, 1000));
    const auto from_id = opt_int("fromId"), start = opt_int("startTime"), end = opt_int("endTime");
    std::vector<SimTrade> sel;
    for (const auto& t : m->trades()) {
      if (from_id && t.id < *from_id) continue;
      if (start && t.ts_ms < *start) continue;
      if (end && t.ts_ms > *end) continue;
      sel.push_back(t);
    }
    // Without fromId/startTime the most recent trades are returned; with them, the first ones from there.
    if (sel.size() > limit) {
      if (from_id || start) sel.resize(limit);
      else sel.erase(sel.begin(), sel.end() - static_cast<std::ptrdiff_t>(limit));
    }
    json::array a;
    for (const auto& t : sel) {
      json::object o;
      o["a"] = t.id;
      o["p"] = px(m->spec(), t.price);
      o["q"] = qty(m->spec(), t.qty);
      o["f"] = t.id;
      o["l"] = t.id;
      o["T"] = t.ts_ms;
      o["m"] = !t.taker_is_buy;
      if (!fut) o["M"] = true;
      a.push_back(std::move(o));
    }
    return ok(a);
  }
  if (ep == "klines") {
    if (auto e = need_symbol()) return *e;
    const auto iv_name = q.get("interval");
    if (!iv_name) return missing("interval");
    const auto iv = interval_ms(*iv_name);
    if (!iv) return error(400, -1120, "Invalid interval.");
    const auto limit = static_cast<std::size_t>(limit_of(500, fut ? 1500 : 1000));
    weight = fut ? (limit < 100 ? 1 : limit < 500 ? 2 : limit <= 1000 ? 5 : 10) : 2;
    const auto bars = select_klines(aggregate_klines(m->klines(), *iv), opt_int("startTime"), opt_int("endTime"), limit);
    const auto& s = m->spec();
    json::array a;
    for (const auto& b : bars) {
      a.push_back(json::array{b.open_ms, json::string(px(s, b.open)), json::string(px(s, b.high)),
                              json::string(px(s, b.low)), json::string(px(s, b.close)),
                              json::string(qty(s, b.volume)), b.open_ms + *iv - 1, json::string(fmt(b.quote_volume, 8)),
                              b.trade_count, json::string(qty(s, b.taker_buy_volume)),
                              json::string(fmt(b.taker_buy_quote_volume, 8)), json::string("0")});
    }
    return ok(a);
  }
  if (ep == "ticker/bookTicker" || (!fut && ep == "ticker/price") || (!fut && ep == "ticker/24hr")) {
    auto one = [&](const MarketSim& mk) -> json::object {
      if (ep == "ticker/bookTicker") return book_ticker(mk, fut, now_ms);
      if (ep == "ticker/24hr") return ticker_24hr(mk, now_ms);
      const auto last = mk.last_trade();
      return json::object{{"symbol", mk.spec().symbol}, {"price", px(mk.spec(), last ? last->price : mk.mid_price())}};
    };
    if (symbol) {
      if (!m) return invalid_symbol();
      weight = ep == "ticker/24hr" ? 2 : fut ? 2 : 2;
      return ok(one(*m));
    }
    weight = ep == "ticker/24hr" ? 80 : fut ? 5 : 4;
    json::array a;
    for (const auto& mk : markets_.all())
      if (mk.spec().kind == kind) a.push_back(one(mk));
    return ok(a);
  }
  if (fut && ep == "premiumIndex") {
    auto one = [&](const MarketSim& mk) {
      const auto& s = mk.spec();
      json::object o;
      o["symbol"] = s.symbol;
      o["markPrice"] = fmt(mk.mark_price(), 8);
      o["indexPrice"] = fmt(mk.index_price(), 8);
      o["estimatedSettlePrice"] = fmt(mk.index_price(), 8);
      o["lastFundingRate"] = fmt(mk.funding_rate(), 8);
      o["nextFundingTime"] = mk.next_funding_ms();
      o["interestRate"] = "0.00010000";
      o["time"] = now_ms;
      return o;
    };
    if (symbol) {
      if (!m) return invalid_symbol();
      return ok(one(*m));
    }
    weight = 10;
    json::array a;
    for (const auto& mk : markets_.all())
      if (mk.spec().kind == kind) a.push_back(one(mk));
    return ok(a);
  }
  if (fut && ep == "fundingRate") {
    const auto limit = static_cast<std::size_t>(limit_of(100, 1000));
    const auto start = opt_int("startTime"), end = opt_int("endTime");
    if (symbol && !m) return invalid_symbol();
    json::array a;
    for (const auto& mk : markets_.all()) {
      if (mk.spec().kind != kind || (m && &mk != m)) continue;
      std::vector<const FundingRecord*> sel;
      for (const auto& f : mk.funding_history())
        if ((!start || f.funding_time_ms >= *start) && (!end || f.funding_time_ms <= *end)) sel.push_back(&f);
      if (sel.size() > limit) {
        if (start && !end) sel.resize(limit);
        else sel.erase(sel.begin(), sel.end() - static_cast<std::ptrdiff_t>(limit));
      }
      for (const auto* f : sel)
        a.push_back(json::object{{"symbol", mk.spec().symbol},
                                 {"fundingTime", f->funding_time_ms},
                                 {"fundingRate", fmt(f->rate, 8)},
                                 {"markPrice", fmt(f->mark_price, 8)}});
    }
    return ok(a);
  }
  return error(404, -5000, "Path " + q.path + ", Method GET is invalid");
}

}  // namespace tradingd::emulator::binance
