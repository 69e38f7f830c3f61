// Binance trading parsers over simdjson's DOM: these bodies are small and read once, and the DOM lets
// optional fields be looked up by name whatever their order. Decimals come from the string values
// (Binance quotes every price and quantity) through the exact fixed-point parser.
#include "exchange/binance/trading_parse.h"

#include <simdjson.h>

#include <charconv>
#include <map>

namespace tradingd::binance {
namespace {

namespace dom = simdjson::dom;

struct Doc {
  dom::parser parser;
  dom::element root;
  bool parse(std::string_view body) {
    simdjson::padded_string p(body);
    return !parser.parse(p).get(root);
  }
};

std::string_view str(dom::element e, std::string_view key) {
  std::string_view out;
  if (e[key].get_string().get(out)) return {};
  return out;
}

bool has(dom::element e, std::string_view key) {
  dom::element v;
  return !e[key].get(v);
}

std::optional<std::int64_t> i64(dom::element e, std::string_view key) {
  dom::element v;
  if (e[key].get(v)) return std::nullopt;
  std::int64_t out;
  if (!v.get_int64().get(out)) return out;
  std::uint64_t u;
  if (!v.get_uint64().get(u)) return static_cast<std::int64_t>(u);
  std::string_view s;
  if (!v.get_string().get(s)) {
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    if (ec == std::errc() && p == s.data() + s.size()) return out;
  }
  return std::nullopt;
}

bool boolean(dom::element e, std::string_view key) {
  bool b = false;
  if (!e[key].get_bool().get(b)) return b;
  return str(e, key) == "true";
}

// The value of a number-or-string field as text (ids: orderId 12345, or "12345").
std::string id_text(dom::element e, std::string_view key) {
  dom::element v;
  if (e[key].get(v)) return {};
  std::string_view s;
  if (!v.get_string().get(s)) return std::string(s);
  std::int64_t i;
  if (!v.get_int64().get(i)) return std::to_string(i);
  std::uint64_t u;
  if (!v.get_uint64().get(u)) return std::to_string(u);
  return {};
}

template <class T>
bool dec(dom::element e, std::string_view key, T& out) {
  std::string_view s = str(e, key);
  if (s.empty()) {
    // A bare JSON number would lose exactness through double: only strings are accepted as decimals.
    return false;
  }
  auto r = T::parse(s);
  if (!r) return false;
  out = *r;
  return true;
}

template <class T>
std::optional<T> opt_positive(dom::element e, std::string_view key) {
  T v;
  if (!dec(e, key, v) || !v.is_positive()) return std::nullopt;
  return v;
}

template <class S>
S inl(std::string_view s) {
  auto r = S::make(s);
  return r ? *r : S{};
}

UnixNanos ms_ns(std::optional<std::int64_t> ms) { return ms ? *ms * kNanosPerMilli : 0; }

InstrumentId instrument_of(MarketKind kind, std::string_view symbol) {
  return InstrumentId{Venue::Binance, kind, inl<Symbol>(symbol)};
}

std::optional<Side> side_of(std::string_view s) {
  if (s == "BUY") return Side::Buy;
  if (s == "SELL") return Side::Sell;
  return std::nullopt;
}

TimeInForce tif_of(std::string_view tif, std::string_view type) {
  if (type == "LIMIT_MAKER" || tif == "GTX") return TimeInForce::PostOnly;
  if (tif == "IOC") return TimeInForce::Ioc;
  if (tif == "FOK") return TimeInForce::Fok;
  return TimeInForce::Gtc;
}

Result<OrderStatusReport, std::string> order_report(dom::element o, MarketKind kind) {
  OrderStatusReport r;
  const bool algo = has(o, "algoId");
  std::string_view symbol = str(o, "symbol");
  if (symbol.empty()) return Err{std::string("order without symbol")};
  r.instrument = instrument_of(kind, symbol);
  // A cancel answer names the canceled order in origClientOrderId (clientOrderId is the cancel's own id).
  std::string_view cid = algo ? str(o, "clientAlgoId") : str(o, "origClientOrderId");
  if (cid.empty()) cid = str(o, "clientOrderId");
  r.client_order_id = inl<ClientOrderId>(cid);
  r.venue_order_id = inl<VenueOrderId>(id_text(o, algo ? "algoId" : "orderId"));
  auto side = side_of(str(o, "side"));
  if (!side) return Err{std::string("order without side")};
  r.side = *side;
  std::string_view type = algo ? str(o, has(o, "orderType") ? "orderType" : "type") : str(o, "type");
  r.type = parse_order_type(type);
  r.time_in_force = tif_of(str(o, "timeInForce"), type);
  auto status = parse_order_status(algo ? str(o, "algoStatus") : str(o, "status"));
  if (!status) return Err{std::string("order with unknown status")};
  r.status = *status;
  if (!dec(o, algo ? "quantity" : "origQty", r.quantity)) return Err{std::string("order without quantity")};
  if (!algo && !dec(o, "executedQty", r.filled_quantity)) return Err{std::string("order without executedQty")};
  r.price = opt_positive<Price>(o, "price");
  r.avg_fill_price = opt_positive<Price>(o, "avgPrice");
  if (!r.avg_fill_price && r.filled_quantity.is_positive()) {
    Money quote;
    if (dec(o, "cummulativeQuoteQty", quote) && quote.is_positive()) {
      r.avg_fill_price = Price::from_raw(0);
      // avg = quote / qty, exact to the fixed-point scale (rounded to nearest).
      r.avg_fill_price = fixed_div<Price>(quote, r.filled_quantity, Rounding::Nearest);
    }
  }
  r.reduce_only = boolean(o, "reduceOnly");
  auto t = i64(o, "updateTime");
  if (!t) t = i64(o, "transactTime");
  if (!t) t = i64(o, "time");
  r.ts_event_ns = ms_ns(t);
  return r;
}

Result<dom::element, std::string> parse_root(Doc& d, std::string_view body) {
  if (!d.parse(body)) return Err{std::string("invalid JSON")};
  return d.root;
}

}  // namespace

std::optional<OrderStatus> parse_order_status(std::string_view s) {
  if (s == "NEW" || s == "PENDING_NEW" || s == "TRIGGERING" || s == "TRIGGERED") return OrderStatus::Accepted;
  if (s == "PARTIALLY_FILLED") return OrderStatus::PartiallyFilled;
  if (s == "FILLED" || s == "FINISHED") return OrderStatus::Filled;
  if (s == "CANCELED") return OrderStatus::Canceled;
  if (s == "PENDING_CANCEL") return OrderStatus::PendingCancel;
  if (s == "REJECTED") return OrderStatus::Rejected;
  if (s == "EXPIRED" || s == "EXPIRED_IN_MATCH") return OrderStatus::Expired;
  return std::nullopt;
}

OrderType parse_order_type(std::string_view s) {
  if (s == "MARKET") return OrderType::Market;
  if (s == "STOP_LOSS" || s == "STOP_MARKET" || s == "TAKE_PROFIT" || s == "TAKE_PROFIT_MARKET" ||
      s == "TRAILING_STOP_MARKET")
    return OrderType::StopMarket;
  if (s == "STOP_LOSS_LIMIT" || s == "STOP" || s == "TAKE_PROFIT_LIMIT") return OrderType::StopLimit;
  return OrderType::Limit;  // LIMIT, LIMIT_MAKER, TAKE_PROFIT (futures limit variant handled above)
}

VenueErrorReason map_error(int http_status, int code, std::string_view msg) {
  using R = VenueErrorReason;
  if (http_status == 418) return R::IpBanned;
  if (http_status == 429) return R::RateLimited;
  auto contains = [&](std::string_view needle) { return msg.find(needle) != std::string_view::npos; };
  switch (code) {
    case -1003: return contains("banned") ? R::IpBanned : R::RateLimited;
    case -1006:
    case -1007: return R::UnknownOutcome;
    case -1008: return R::RateLimited;
    case -1013:
      if (contains("LOT_SIZE") || contains("MARKET_LOT_SIZE") || contains("MAX_NUM") || contains("quantity")) return R::InvalidQuantity;
      if (contains("NOTIONAL")) return R::NotionalTooSmall;
      if (contains("PRICE")) return R::InvalidPrice;
      return R::Other;
    case -1015: return R::RateLimited;
    case -1021: return R::Timestamp;
    case -1022: return R::Authentication;
    case -1111: return contains("price") ? R::InvalidPrice : R::InvalidQuantity;
    case -1121: return R::UnknownInstrument;
    case -1125: return R::Authentication;
    case -2010:
      if (contains("insufficient balance")) return R::InsufficientBalance;
      if (contains("Duplicate order")) return R::DuplicateClientOrderId;
      if (contains("immediately match and take")) return R::PostOnlyWouldTake;
      if (contains("trigger immediately")) return R::InvalidPrice;
      if (contains("Market is closed") || contains("not available")) return R::Maintenance;
      if (contains("disabled on this account")) return R::Authentication;
      return R::Other;
    case -2011:
      if (contains("Unknown order")) return R::UnknownOrder;
      return R::Other;
    case -2013:
    case -2026: return R::UnknownOrder;
    case -2014:
    case -2015: return R::Authentication;
    case -2018:
    case -2019: return R::InsufficientBalance;
    case -2021: return R::InvalidPrice;  // futures: the stop would trigger immediately
    case -2022:
    case -4118: return R::ReduceOnlyRejected;
    case -4003:
    case -4023: return R::InvalidQuantity;
    case -4014:
    case -4131: return R::InvalidPrice;
    case -4116: return R::DuplicateClientOrderId;
    case -4164: return R::NotionalTooSmall;
    case -5021: return R::FokNotFilled;
    case -5022: return R::PostOnlyWouldTake;
    case -5028: return R::Timestamp;
    default: break;
  }
  if (code == 0) {
    if (http_status == 401 || http_status == 403) return R::Authentication;
    // Spot 5xx (and futures 503 "Unknown error"): the order's fate is unknown, reconcile.
    if (http_status >= 500) return msg.find("Service Unavailable") != std::string_view::npos ? R::Maintenance : R::UnknownOutcome;
  }
  return R::Other;
}

bool is_error_body(std::string_view body) {
  Doc d;
  if (!d.parse(body)) return false;
  auto code = i64(d.root, "code");
  return code && *code < 0 && has(d.root, "msg");
}

VenueError parse_error(int http_status, std::string_view body) {
  VenueError e;
  int code = 0;
  Doc d;
  if (d.parse(body) && d.root.is_object()) {
    if (auto c = i64(d.root, "code")) code = static_cast<int>(*c);
    e.message = std::string(str(d.root, "msg"));
  } else {
    e.message = std::string(body.substr(0, 200));
  }
  e.code = code != 0 ? std::to_string(code) : "HTTP " + std::to_string(http_status);
  e.reason = map_error(http_status, code, e.message);
  return e;
}

Result<ParsedOrder, std::string> parse_order(std::string_view body, MarketKind kind) {
  Doc d;
  auto root = parse_root(d, body);
  if (!root) return Err{root.error()};
  auto report = order_report(*root, kind);
  if (!report) return Err{report.error()};
  ParsedOrder out;
  out.report = *report;
  dom::array fills;
  if (!(*root)["fills"].get_array().get(fills)) {
    for (dom::element f : fills) {
      OrderFilled fill;
      fill.instrument = out.report.instrument;
      fill.client_order_id = out.report.client_order_id;
      fill.venue_order_id = out.report.venue_order_id;
      fill.trade_id = inl<TradeId>(id_text(f, "tradeId"));
      fill.side = out.report.side;
      if (!dec(f, "qty", fill.last_quantity) || !dec(f, "price", fill.last_price))
        return Err{std::string("fill without price/qty")};
      dec(f, "commission", fill.fee);
      fill.fee_asset = inl<Asset>(str(f, "commissionAsset"));
      // FULL fills of a new order executed on arrival: taker (a maker fill arrives on the stream later).
      fill.liquidity = LiquiditySide::Taker;
      fill.ts_event_ns = out.report.ts_event_ns;
      out.fills.push_back(fill);
    }
  }
  return out;
}

Result<std::vector<OrderStatusReport>, std::string> parse_orders(std::string_view body, MarketKind kind) {
  Doc d;
  auto root = parse_root(d, body);
  if (!root) return Err{root.error()};
  dom::array arr;
  if (root->get_array().get(arr)) return Err{std::string("expected an array of orders")};
  std::vector<OrderStatusReport> out;
  for (dom::element o : arr) {
    if (has(o, "contingencyType")) continue;  // an order list's summary; its legs are listed on their own
    auto r = order_report(o, kind);
    if (!r) return Err{r.error()};
    out.push_back(*r);
  }
  return out;
}

Result<std::vector<OrderFilled>, std::string> parse_trades(std::string_view body, MarketKind kind) {
  Doc d;
  auto root = parse_root(d, body);
  if (!root) return Err{root.error()};
  dom::array arr;
  if (root->get_array().get(arr)) return Err{std::string("expected an array of trades")};
  std::vector<OrderFilled> out;
  for (dom::element t : arr) {
    OrderFilled f;
    f.instrument = instrument_of(kind, str(t, "symbol"));
    f.venue_order_id = inl<VenueOrderId>(id_text(t, "orderId"));
    f.trade_id = inl<TradeId>(id_text(t, "id"));
    if (f.trade_id.empty()) return Err{std::string("trade without id")};
    if (auto s = side_of(str(t, "side"))) f.side = *s;
    else f.side = boolean(t, kind == MarketKind::Spot ? "isBuyer" : "buyer") ? Side::Buy : Side::Sell;
    if (!dec(t, "qty", f.last_quantity) || !dec(t, "price", f.last_price)) return Err{std::string("trade without price/qty")};
    dec(t, "commission", f.fee);
    f.fee_asset = inl<Asset>(str(t, "commissionAsset"));
    f.liquidity = boolean(t, kind == MarketKind::Spot ? "isMaker" : "maker") ? LiquiditySide::Maker : LiquiditySide::Taker;
    f.ts_event_ns = ms_ns(i64(t, "time"));
    out.push_back(f);
  }
  return out;
}

Result<AccountReport, std::string> parse_spot_account(std::string_view body) {
  Doc d;
  auto root = parse_root(d, body);
  if (!root) return Err{root.error()};
  dom::array arr;
  if ((*root)["balances"].get_array().get(arr)) return Err{std::string("account without balances")};
  AccountReport a;
  a.venue = Venue::Binance;
  for (dom::element b : arr) {
    Balance bal;
    bal.asset = inl<Asset>(str(b, "asset"));
    if (!dec(b, "free", bal.free) || !dec(b, "locked", bal.locked)) return Err{std::string("balance without free/locked")};
    a.balances.push_back(bal);
  }
  a.ts_event_ns = ms_ns(i64(*root, "updateTime"));
  return a;
}

namespace {
// Nets hedge-mode LONG/SHORT legs into one signed position per symbol (one-way mode has BOTH only).
void add_position(std::vector<PositionReport>& out, PositionReport p) {
  for (auto& q : out) {
    if (q.instrument == p.instrument) {
      if (q.quantity.is_zero()) {
        q.entry_price = p.entry_price;
      }
      q.quantity = q.quantity + p.quantity;
      if (p.leverage > 1) q.leverage = p.leverage;
      return;
    }
  }
  out.push_back(p);
}

std::optional<PositionReport> position_of(dom::element p, std::string_view amount_key, std::string_view entry_key) {
  PositionReport r;
  r.instrument = instrument_of(MarketKind::LinearPerp, str(p, "symbol").empty() ? str(p, "s") : str(p, "symbol"));
  if (!dec(p, amount_key, r.quantity)) return std::nullopt;
  dec(p, entry_key, r.entry_price);
  if (auto l = i64(p, "leverage")) r.leverage = static_cast<int>(*l);
  return r;
}
}  // namespace

Result<AccountReport, std::string> parse_futures_account(std::string_view body) {
  Doc d;
  auto root = parse_root(d, body);
  if (!root) return Err{root.error()};
  AccountReport a;
  a.venue = Venue::Binance;
  dom::array assets;
  if ((*root)["assets"].get_array().get(assets)) return Err{std::string("account without assets")};
  for (dom::element b : assets) {
    Balance bal;
    bal.asset = inl<Asset>(str(b, "asset"));
    Money wallet, available;
    if (!dec(b, "walletBalance", wallet)) return Err{std::string("asset without walletBalance")};
    if (!dec(b, "availableBalance", available)) available = wallet;
    if (available > wallet) available = wallet;
    bal.free = available;
    bal.locked = wallet - available;
    a.balances.push_back(bal);
  }
  dom::array positions;
  if (!(*root)["positions"].get_array().get(positions)) {
    for (dom::element p : positions) {
      auto r = position_of(p, "positionAmt", "entryPrice");
      if (!r) return Err{std::string("position without positionAmt")};
      if (!r->quantity.is_zero()) add_position(a.positions, *r);
    }
  }
  a.ts_event_ns = ms_ns(i64(*root, "updateTime"));
  return a;
}

Result<std::vector<PositionReport>, std::string> parse_position_risk(std::string_view body) {
  Doc d;
  auto root = parse_root(d, body);
  if (!root) return Err{root.error()};
  dom::array arr;
  if (root->get_array().get(arr)) return Err{std::string("expected an array of positions")};
  std::vector<PositionReport> out;
  for (dom::element p : arr) {
    auto r = position_of(p, "positionAmt", "entryPrice");
    if (!r) return Err{std::string("position without positionAmt")};
    add_position(out, *r);
  }
  return out;
}

Result<std::int64_t, std::string> parse_server_time(std::string_view body) {
  Doc d;
  auto root = parse_root(d, body);
  if (!root) return Err{root.error()};
  auto t = i64(*root, "serverTime");
  if (!t) return Err{std::string("no serverTime")};
  return *t;
}

Result<std::string, std::string> parse_listen_key(std::string_view body) {
  Doc d;
  auto root = parse_root(d, body);
  if (!root) return Err{root.error()};
  std::string_view k = str(*root, "listenKey");
  if (k.empty()) return Err{std::string("no listenKey")};
  return std::string(k);
}

Result<int, std::string> parse_leverage(std::string_view body) {
  Doc d;
  auto root = parse_root(d, body);
  if (!root) return Err{root.error()};
  auto l = i64(*root, "leverage");
  if (!l) return Err{std::string("no leverage")};
  return static_cast<int>(*l);
}

// --- private streams ---------------------------------------------------------------------------------------
namespace {

VenueErrorReason reject_reason(std::string_view r) {
  if (r == "GTX_ORDER_REJECT" || r == "LIMIT_MAKER_REJECT" || r.find("MAKER") != std::string_view::npos) return VenueErrorReason::PostOnlyWouldTake;
  if (r.find("INSUFFICIENT") != std::string_view::npos) return VenueErrorReason::InsufficientBalance;
  if (r.find("FOK") != std::string_view::npos) return VenueErrorReason::FokNotFilled;
  if (r.find("REDUCE") != std::string_view::npos) return VenueErrorReason::ReduceOnlyRejected;
  if (r.find("DUPLICATE") != std::string_view::npos) return VenueErrorReason::DuplicateClientOrderId;
  return VenueErrorReason::Other;
}

// executionReport (spot) and ORDER_TRADE_UPDATE's "o" (USD-M) share their one-letter keys.
Result<std::vector<VenueEvent>, std::string> order_event(dom::element o, MarketKind kind, UnixNanos ts_ns) {
  std::vector<VenueEvent> out;
  const InstrumentId inst = instrument_of(kind, str(o, "s"));
  if (inst.symbol.empty()) return Err{std::string("order event without symbol")};
  std::string_view x = str(o, "x");
  // On a cancel, "c" is the cancel request's id and "C" the canceled order's.
  std::string_view orig = str(o, "C");
  const ClientOrderId cid = inl<ClientOrderId>(x == "CANCELED" && !orig.empty() ? orig : str(o, "c"));
  const VenueOrderId vid = inl<VenueOrderId>(id_text(o, "i"));
  auto t = i64(o, "T");
  const UnixNanos ts = t ? *t * kNanosPerMilli : ts_ns;
  if (x == "NEW") {
    out.push_back(OrderAccepted{inst, cid, vid, ts});
  } else if (x == "CANCELED") {
    // X=PENDING_CANCEL ("currently unused" per the docs, yet seen): not final, the order may still fill.
    if (str(o, "X") != "PENDING_CANCEL") out.push_back(OrderCanceled{inst, cid, vid, ts});
  } else if (x == "EXPIRED" || x == "TRADE_PREVENTION" || x == "EXPIRED_IN_MATCH") {
    out.push_back(OrderExpired{inst, cid, vid, ts});
  } else if (x == "REJECTED") {
    VenueError e{reject_reason(str(o, "r")), std::string(str(o, "r")), "rejected by the matching engine"};
    out.push_back(OrderRejected{inst, cid, e, ts});
  } else if (x == "TRADE" || x == "CALCULATED") {
    OrderFilled f;
    f.instrument = inst;
    f.client_order_id = cid;
    f.venue_order_id = vid;
    f.trade_id = inl<TradeId>(id_text(o, "t"));
    auto side = side_of(str(o, "S"));
    if (!side) return Err{std::string("trade without side")};
    f.side = *side;
    if (!dec(o, "l", f.last_quantity) || !dec(o, "L", f.last_price)) return Err{std::string("trade without l/L")};
    if (f.trade_id.empty() || f.trade_id.view() == "-1" || f.trade_id.view() == "0")
      return Err{std::string("trade without trade id")};
    dec(o, "n", f.fee);
    f.fee_asset = inl<Asset>(str(o, "N"));
    f.liquidity = boolean(o, "m") ? LiquiditySide::Maker : LiquiditySide::Taker;
    f.ts_event_ns = ts;
    if (f.last_quantity.is_positive()) out.push_back(f);
  }
  // REPLACED / AMENDMENT / PENDING_CANCEL carry nothing the engine acts on.
  return out;
}

Result<std::vector<VenueEvent>, std::string> algo_event(dom::element o, UnixNanos ts) {
  std::vector<VenueEvent> out;
  const InstrumentId inst = instrument_of(MarketKind::LinearPerp, str(o, "s"));
  const ClientOrderId cid = inl<ClientOrderId>(str(o, "caid"));
  const VenueOrderId vid = inl<VenueOrderId>(id_text(o, "aid"));
  std::string_view x = str(o, "X");
  if (x == "NEW") out.push_back(OrderAccepted{inst, cid, vid, ts});
  else if (x == "CANCELED") out.push_back(OrderCanceled{inst, cid, vid, ts});
  else if (x == "TRIGGERED") out.push_back(OrderTriggered{inst, cid, vid, ts});
  else if (x == "EXPIRED") out.push_back(OrderExpired{inst, cid, vid, ts});
  else if (x == "REJECTED") {
    std::string_view rm = str(o, "rm");
    out.push_back(OrderRejected{inst, cid, VenueError{reject_reason(rm.empty() ? "" : "REDUCE"), "ALGO", std::string(rm)}, ts});
  }
  return out;
}

Result<AccountReport, std::string> spot_position_event(dom::element e, UnixNanos ts) {
  AccountReport a;
  a.venue = Venue::Binance;
  a.ts_event_ns = ts;
  dom::array arr;
  if (e["B"].get_array().get(arr)) return Err{std::string("outboundAccountPosition without B")};
  for (dom::element b : arr) {
    Balance bal;
    bal.asset = inl<Asset>(str(b, "a"));
    if (!dec(b, "f", bal.free) || !dec(b, "l", bal.locked)) return Err{std::string("balance without f/l")};
    a.balances.push_back(bal);
  }
  return a;
}

Result<AccountReport, std::string> futures_account_event(dom::element e, UnixNanos ts) {
  AccountReport a;
  a.venue = Venue::Binance;
  a.ts_event_ns = ts;
  dom::element data;
  if (e["a"].get(data)) return Err{std::string("ACCOUNT_UPDATE without a")};
  dom::array balances, positions;
  if (!data["B"].get_array().get(balances)) {
    for (dom::element b : balances) {
      Balance bal;
      bal.asset = inl<Asset>(str(b, "a"));
      if (!dec(b, "wb", bal.free)) return Err{std::string("balance without wb")};
      a.balances.push_back(bal);
    }
  }
  if (!data["P"].get_array().get(positions)) {
    for (dom::element p : positions) {
      auto r = position_of(p, "pa", "ep");
      if (!r) return Err{std::string("position without pa")};
      add_position(a.positions, *r);
    }
  }
  return a;
}

}  // namespace

Result<StreamMessage, std::string> parse_user_stream(std::string_view frame, MarketKind kind) {
  Doc d;
  if (!d.parse(frame)) return Err{std::string("invalid JSON")};
  dom::element e = d.root;
  if (!e.is_object()) return Err{std::string("not an object")};
  StreamMessage m;
  // WS-API response: {"id":..,"status":..,"result"|"error":..}
  if (has(e, "status") && has(e, "id")) {
    m.kind = StreamMessageKind::WsApiResponse;
    m.response.id = id_text(e, "id");
    m.response.status = static_cast<int>(i64(e, "status").value_or(0));
    dom::element err, result;
    if (!e["error"].get(err)) {
      m.response.error_code = static_cast<int>(i64(err, "code").value_or(-1));
      m.response.error_msg = std::string(str(err, "msg"));
    } else if (!e["result"].get(result) && result.is_object()) {
      m.response.subscription_id = i64(result, "subscriptionId").value_or(-1);
    }
    return m;
  }
  dom::element inner;
  if (!e["event"].get(inner) || !e["data"].get(inner)) e = inner;
  std::string_view type = str(e, "e");
  m.event_type = std::string(type);
  const UnixNanos ts = ms_ns(i64(e, "E"));
  if (type == "executionReport" || type == "ORDER_TRADE_UPDATE") {
    dom::element o = e;
    if (type == "ORDER_TRADE_UPDATE" && e["o"].get(o)) return Err{std::string("ORDER_TRADE_UPDATE without o")};
    auto ev = order_event(o, type == "executionReport" ? MarketKind::Spot : MarketKind::LinearPerp, ts);
    if (!ev) return Err{ev.error()};
    m.events = std::move(*ev);
  } else if (type == "ALGO_UPDATE") {
    dom::element o;
    if (e["o"].get(o)) return Err{std::string("ALGO_UPDATE without o")};
    auto ev = algo_event(o, ts);
    if (!ev) return Err{ev.error()};
    m.events = std::move(*ev);
  } else if (type == "outboundAccountPosition") {
    auto a = spot_position_event(e, ts);
    if (!a) return Err{a.error()};
    m.events.push_back(std::move(*a));
  } else if (type == "ACCOUNT_UPDATE") {
    auto a = futures_account_event(e, ts);
    if (!a) return Err{a.error()};
    m.events.push_back(std::move(*a));
  } else if (type == "listenKeyExpired") {
    m.kind = StreamMessageKind::ListenKeyExpired;
  } else if (type == "eventStreamTerminated") {
    m.kind = StreamMessageKind::StreamTerminated;
  } else if (type == "TRADE_LITE" || type == "balanceUpdate" || type == "listStatus" || type == "externalLockUpdate" ||
             type == "ACCOUNT_CONFIG_UPDATE" || type == "MARGIN_CALL" || type == "CONDITIONAL_ORDER_TRIGGER_REJECT") {
    // TRADE_LITE repeats ORDER_TRADE_UPDATE's trade without the fee; the others carry nothing the engine
    // tracks (balances come with outboundAccountPosition / ACCOUNT_UPDATE).
    m.kind = StreamMessageKind::Ignored;
  } else {
    (void)kind;
    return Err{"unknown event type '" + std::string(type) + "'"};
  }
  return m;
}

}  // namespace tradingd::binance
