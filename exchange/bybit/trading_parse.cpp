// Bybit v5 error map, REST response parsers and private-stream parser (see trading_parse.h), on simdjson's
// DOM API: responses are small and read once, and a DOM lets a missing or null field be an empty value
// rather than an exception path.
#include "exchange/bybit/trading_parse.h"

#include <simdjson.h>

#include <charconv>

#include "core/clock.h"

namespace tradingd::bybit {
namespace sj = simdjson;
namespace {

VenueError parse_error(std::string_view what) { return {VenueErrorReason::Other, "parse", std::string(what)}; }

std::string_view str(sj::dom::object o, std::string_view key) {
  std::string_view s;
  if (o[key].get_string().get(s)) return {};
  return s;
}

std::optional<std::int64_t> to_int(std::string_view s) {
  std::int64_t v = 0;
  if (s.empty()) return std::nullopt;
  const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  if (r.ec != std::errc{}) return std::nullopt;
  return v;
}

// Bybit sends some integers as numbers, some as strings.
std::optional<std::int64_t> integer(sj::dom::object o, std::string_view key) {
  sj::dom::element e;
  if (o[key].get(e)) return std::nullopt;
  std::int64_t v = 0;
  if (!e.get_int64().get(v)) return v;
  std::uint64_t u = 0;
  if (!e.get_uint64().get(u)) return static_cast<std::int64_t>(u);
  std::string_view s;
  if (!e.get_string().get(s)) return to_int(s);
  return std::nullopt;
}

bool boolean(sj::dom::object o, std::string_view key) {
  sj::dom::element e;
  if (o[key].get(e)) return false;
  bool b = false;
  if (!e.get_bool().get(b)) return b;
  std::string_view s;
  if (!e.get_string().get(s)) return s == "true" || s == "1";
  return false;
}

// Empty, null or absent: nullopt. A present but malformed decimal is also nullopt; callers that need the
// value treat that as a parse failure.
template <class T>
std::optional<T> decimal(sj::dom::object o, std::string_view key) {
  const auto s = str(o, key);
  if (s.empty()) return std::nullopt;
  auto r = T::parse(s);
  if (!r) return std::nullopt;
  return *r;
}

UnixNanos ms_to_ns(std::optional<std::int64_t> ms) { return ms ? *ms * kNanosPerMilli : 0; }

std::optional<MarketKind> kind_of(std::string_view category, MarketKind fallback) {
  if (category.empty()) return fallback;
  if (category == "spot") return MarketKind::Spot;
  if (category == "linear") return MarketKind::LinearPerp;
  return std::nullopt;  // inverse, option: not traded here
}

Result<sj::dom::element, VenueError> parse_doc(sj::dom::parser& p, std::string_view body) {
  sj::dom::element doc;
  if (p.parse(body.data(), body.size()).get(doc)) return Err{parse_error("invalid JSON")};
  return doc;
}

// The envelope, checked: a non-zero retCode becomes the mapped error; returns `result`.
Result<sj::dom::object, VenueError> result_of(sj::dom::parser& p, std::string_view body) {
  auto doc = parse_doc(p, body);
  if (!doc) return Err{doc.error()};
  sj::dom::object root;
  if (doc->get_object().get(root)) return Err{parse_error("not an object")};
  const auto code = integer(root, "retCode");
  if (!code) return Err{parse_error("retCode missing")};
  if (*code != 0) return Err{error_from({*code, std::string(str(root, "retMsg")), 0})};
  sj::dom::object result;
  if (root["result"].get_object().get(result)) return Err{parse_error("result missing")};
  return result;
}

Result<sj::dom::array, VenueError> list_of(sj::dom::object result) {
  sj::dom::array list;
  if (result["list"].get_array().get(list)) return Err{parse_error("result.list missing")};
  return list;
}

std::optional<Side> side_of(std::string_view s) {
  if (s == "Buy") return Side::Buy;
  if (s == "Sell") return Side::Sell;
  return std::nullopt;
}

TimeInForce tif_of(std::string_view s) {
  if (s == "IOC") return TimeInForce::Ioc;
  if (s == "FOK") return TimeInForce::Fok;
  if (s == "PostOnly") return TimeInForce::PostOnly;
  return TimeInForce::Gtc;
}

struct OrderItem {
  OrderStatusReport report;
  std::string_view status;
  std::string_view reject_reason;
};

std::optional<OrderItem> order_item(sj::dom::object o, MarketKind fallback, const InstrumentTable& table) {
  const auto kind = kind_of(str(o, "category"), fallback);
  if (!kind) return std::nullopt;
  const Instrument* inst = table.find(*kind, str(o, "symbol"));
  if (!inst) return std::nullopt;
  OrderItem it;
  auto& r = it.report;
  r.instrument = inst->id;
  auto cid = ClientOrderId::make(str(o, "orderLinkId"));
  auto vid = VenueOrderId::make(str(o, "orderId"));
  if (!cid || !vid) return std::nullopt;
  r.client_order_id = *cid;
  r.venue_order_id = *vid;
  const auto side = side_of(str(o, "side"));
  if (!side) return std::nullopt;
  r.side = *side;
  const bool limit = str(o, "orderType") == "Limit";
  const auto trigger = decimal<Price>(o, "triggerPrice");
  const bool stop = trigger && trigger->is_positive();
  r.type = stop ? (limit ? OrderType::StopLimit : OrderType::StopMarket) : (limit ? OrderType::Limit : OrderType::Market);
  r.time_in_force = tif_of(str(o, "timeInForce"));
  const auto qty = decimal<Quantity>(o, "qty");
  if (!qty) return std::nullopt;
  r.quantity = *qty;
  r.filled_quantity = decimal<Quantity>(o, "cumExecQty").value_or(Quantity{});
  const auto price = decimal<Price>(o, "price");
  if (price && price->is_positive()) r.price = price;
  const auto avg = decimal<Price>(o, "avgPrice");
  if (avg && avg->is_positive()) r.avg_fill_price = avg;
  r.reduce_only = boolean(o, "reduceOnly");
  it.status = str(o, "orderStatus");
  it.reject_reason = str(o, "rejectReason");
  const auto st = map_order_status(it.status, r.filled_quantity.is_positive());
  if (!st) return std::nullopt;
  r.status = *st;
  r.ts_event_ns = ms_to_ns(integer(o, "updatedTime"));
  return it;
}

std::optional<OrderFilled> fill_item(sj::dom::object o, MarketKind fallback, const InstrumentTable& table) {
  const auto exec_type = str(o, "execType");
  if (!exec_type.empty() && exec_type != "Trade") return std::nullopt;  // funding, settlement...: not order fills
  const auto kind = kind_of(str(o, "category"), fallback);
  if (!kind) return std::nullopt;
  const Instrument* inst = table.find(*kind, str(o, "symbol"));
  if (!inst) return std::nullopt;
  OrderFilled f;
  f.instrument = inst->id;
  auto cid = ClientOrderId::make(str(o, "orderLinkId"));
  auto vid = VenueOrderId::make(str(o, "orderId"));
  auto tid = TradeId::make(str(o, "execId"));
  if (!cid || !vid || !tid || tid->empty()) return std::nullopt;
  f.client_order_id = *cid;
  f.venue_order_id = *vid;
  f.trade_id = *tid;
  const auto side = side_of(str(o, "side"));
  const auto qty = decimal<Quantity>(o, "execQty");
  const auto price = decimal<Price>(o, "execPrice");
  if (!side || !qty || !price) return std::nullopt;
  f.side = *side;
  f.last_quantity = *qty;
  f.last_price = *price;
  f.fee = decimal<Money>(o, "execFee").value_or(Money{});
  const auto fee_ccy = str(o, "feeCurrency");
  if (!fee_ccy.empty() && Asset::make(fee_ccy)) f.fee_asset = *Asset::make(fee_ccy);
  else if (*kind == MarketKind::LinearPerp) f.fee_asset = inst->settle;
  else f.fee_asset = f.side == Side::Buy ? inst->base : inst->quote;  // spot fees are paid in what is received
  f.liquidity = boolean(o, "isMaker") ? LiquiditySide::Maker : LiquiditySide::Taker;
  f.ts_event_ns = ms_to_ns(integer(o, "execTime"));
  return f;
}

std::optional<Balance> balance_item(sj::dom::object c) {
  auto asset = Asset::make(str(c, "coin"));
  const auto wallet = decimal<Money>(c, "walletBalance");
  if (!asset || !wallet) return std::nullopt;
  Balance b;
  b.asset = *asset;
  // Spot orders lock `locked`; derivatives orders and positions hold initial margin (totalOrderIM,
  // totalPositionIM). Spot locks may show in both fields, so the larger of the two counts once.
  const Money spot_locked = decimal<Money>(c, "locked").value_or(Money{});
  const Money order_im = decimal<Money>(c, "totalOrderIM").value_or(Money{});
  const Money position_im = decimal<Money>(c, "totalPositionIM").value_or(Money{});
  Money locked = (spot_locked > order_im ? spot_locked : order_im) + position_im;
  if (locked > *wallet) locked = wallet->is_positive() ? *wallet : Money{};
  if (locked.is_negative()) locked = Money{};
  b.locked = locked;
  b.free = *wallet - locked;
  return b;
}

std::optional<PositionReport> position_item(sj::dom::object o, const InstrumentTable& table) {
  const auto cat = str(o, "category");
  if (!cat.empty() && cat != "linear") return std::nullopt;
  const Instrument* inst = table.find(MarketKind::LinearPerp, str(o, "symbol"));
  if (!inst) return std::nullopt;
  PositionReport p;
  p.instrument = inst->id;
  const auto size = decimal<Quantity>(o, "size");
  if (!size) return std::nullopt;
  const auto side = str(o, "side");
  p.quantity = side == "Sell" ? Quantity{} - *size : (side == "Buy" ? *size : Quantity{});
  auto entry = decimal<Price>(o, "entryPrice");
  if (!entry) entry = decimal<Price>(o, "avgPrice");
  p.entry_price = entry.value_or(Price{});
  // Leverage is a decimal string ("10", "12.5"); the contract carries whole leverage.
  const auto lev = str(o, "leverage");
  const auto dot = lev.find('.');
  p.leverage = static_cast<int>(to_int(lev.substr(0, dot)).value_or(1));
  return p;
}

}  // namespace

// --- Error map -------------------------------------------------------------------------------------------
VenueErrorReason map_ret_code(std::int64_t c) {
  switch (c) {
    case 10002: return VenueErrorReason::Timestamp;
    case 10003: case 10004: case 10005: case 10007: case 10008: case 10010: case 33004:
      return VenueErrorReason::Authentication;
    case 10009: return VenueErrorReason::IpBanned;
    case 10006: case 10018: case 170005: case 170222: case 10429:
      return VenueErrorReason::RateLimited;
    // Server timeout / internal error: the order may or may not exist → reconcile by orderLinkId.
    case 10000: case 10016: case 110079:
      return VenueErrorReason::UnknownOutcome;
    case 10019: return VenueErrorReason::Maintenance;
    case 110001: case 110008: case 110010: case 170139: case 170142: case 170213:
      return VenueErrorReason::UnknownOrder;
    case 110003: case 170193: case 170194: case 170134: case 170218:
      return VenueErrorReason::InvalidPrice;
    case 110004: case 110006: case 110007: case 110012: case 110044: case 110045: case 170131: case 170033:
      return VenueErrorReason::InsufficientBalance;
    case 110017: case 110025: case 110031:
      return VenueErrorReason::ReduceOnlyRejected;
    case 110094: case 170140:
      return VenueErrorReason::NotionalTooSmall;
    case 170136: case 170137: case 170135:
      return VenueErrorReason::InvalidQuantity;
    case 110072: case 170141: case 10014:
      return VenueErrorReason::DuplicateClientOrderId;
    case 170121: case 110023:
      return VenueErrorReason::UnknownInstrument;
    case 170217: return VenueErrorReason::PostOnlyWouldTake;
    default: return VenueErrorReason::Other;
  }
}

VenueErrorReason map_http_status(int status) {
  if (status == 429) return VenueErrorReason::RateLimited;
  if (status == 403) return VenueErrorReason::RateLimited;  // IP limit breached (or a banned region): back off
  if (status == 401) return VenueErrorReason::Authentication;
  if (status == 503) return VenueErrorReason::Maintenance;
  if (status >= 500) return VenueErrorReason::UnknownOutcome;  // the gateway may have forwarded it
  return VenueErrorReason::Other;
}

bool cancel_means_done(std::int64_t c) {
  return c == 110001 || c == 110008 || c == 110010 || c == 170139 || c == 170142 || c == 170213;
}

VenueError error_from(const Envelope& e) {
  return {map_ret_code(e.ret_code), std::to_string(e.ret_code), e.ret_msg};
}

RateLimitHeaders read_rate_limit(std::optional<std::string_view> limit, std::optional<std::string_view> status,
                                 std::optional<std::string_view> reset) {
  RateLimitHeaders h;
  if (limit) h.limit = to_int(*limit);
  if (status) h.remaining = to_int(*status);
  if (reset) h.reset_ms = to_int(*reset);
  return h;
}

const Instrument* InstrumentTable::find(MarketKind kind, std::string_view symbol) const {
  for (const auto& i : list_)
    if (i.id.kind == kind && i.id.symbol.view() == symbol) return &i;
  return nullptr;
}

Result<Envelope, VenueError> parse_envelope(std::string_view body) {
  sj::dom::parser p;
  auto doc = parse_doc(p, body);
  if (!doc) return Err{doc.error()};
  sj::dom::object root;
  if (doc->get_object().get(root)) return Err{parse_error("not an object")};
  const auto code = integer(root, "retCode");
  if (!code) return Err{parse_error("retCode missing")};
  return Envelope{*code, std::string(str(root, "retMsg")), integer(root, "time").value_or(0)};
}

Result<VenueOrderId, VenueError> parse_create(std::string_view body) {
  sj::dom::parser p;
  auto r = result_of(p, body);
  if (!r) return Err{r.error()};
  auto id = VenueOrderId::make(str(*r, "orderId"));
  if (!id || id->empty()) return Err{parse_error("orderId missing")};
  return *id;
}

Result<VenueOrderId, VenueError> parse_cancel(std::string_view body) { return parse_create(body); }

Result<std::size_t, VenueError> parse_cancel_all(std::string_view body) {
  sj::dom::parser p;
  auto r = result_of(p, body);
  if (!r) return Err{r.error()};
  sj::dom::array list;
  if (r->at_key("list").get_array().get(list)) return std::size_t{0};
  return list.size();
}

Result<OrderPage, VenueError> parse_orders(std::string_view body, MarketKind kind, const InstrumentTable& table) {
  sj::dom::parser p;
  auto r = result_of(p, body);
  if (!r) return Err{r.error()};
  auto list = list_of(*r);
  if (!list) return Err{list.error()};
  OrderPage page;
  page.next_cursor = std::string(str(*r, "nextPageCursor"));
  for (sj::dom::element e : *list) {
    sj::dom::object o;
    if (e.get_object().get(o)) return Err{parse_error("order item not an object")};
    if (auto it = order_item(o, kind, table)) page.orders.push_back(it->report);
  }
  return page;
}

Result<FillPage, VenueError> parse_executions(std::string_view body, MarketKind kind, const InstrumentTable& table) {
  sj::dom::parser p;
  auto r = result_of(p, body);
  if (!r) return Err{r.error()};
  auto list = list_of(*r);
  if (!list) return Err{list.error()};
  FillPage page;
  page.next_cursor = std::string(str(*r, "nextPageCursor"));
  for (sj::dom::element e : *list) {
    sj::dom::object o;
    if (e.get_object().get(o)) return Err{parse_error("execution item not an object")};
    if (auto f = fill_item(o, kind, table)) page.fills.push_back(*f);
  }
  return page;
}

Result<std::vector<Balance>, VenueError> parse_wallet(std::string_view body) {
  sj::dom::parser p;
  auto r = result_of(p, body);
  if (!r) return Err{r.error()};
  auto list = list_of(*r);
  if (!list) return Err{list.error()};
  std::vector<Balance> out;
  for (sj::dom::element acct : *list) {
    sj::dom::array coins;
    if (acct["coin"].get_array().get(coins)) return Err{parse_error("coin missing")};
    for (sj::dom::element c : coins) {
      sj::dom::object co;
      if (c.get_object().get(co)) return Err{parse_error("coin item not an object")};
      auto b = balance_item(co);
      if (!b) return Err{parse_error("coin balance malformed")};
      out.push_back(*b);
    }
  }
  return out;
}

Result<std::vector<PositionReport>, VenueError> parse_positions(std::string_view body, const InstrumentTable& table) {
  sj::dom::parser p;
  auto r = result_of(p, body);
  if (!r) return Err{r.error()};
  auto list = list_of(*r);
  if (!list) return Err{list.error()};
  std::vector<PositionReport> out;
  for (sj::dom::element e : *list) {
    sj::dom::object o;
    if (e.get_object().get(o)) return Err{parse_error("position item not an object")};
    if (auto pos = position_item(o, table)) out.push_back(*pos);
  }
  return out;
}

Result<int, VenueError> parse_set_leverage(std::string_view body, int requested) {
  auto env = parse_envelope(body);
  if (!env) return Err{env.error()};
  if (env->ret_code == 0 || env->ret_code == 110043) return requested;
  return Err{error_from(*env)};
}

Result<std::int64_t, VenueError> parse_server_time(std::string_view body) {
  sj::dom::parser p;
  auto r = result_of(p, body);
  if (!r) return Err{r.error()};
  const auto nano = str(*r, "timeNano");
  if (const auto ns = to_int(nano)) return *ns / kNanosPerMilli;
  if (const auto s = to_int(str(*r, "timeSecond"))) return *s * 1000;
  return Err{parse_error("timeNano missing")};
}

std::optional<OrderStatus> map_order_status(std::string_view s, bool has_fills) {
  if (s == "New" || s == "Untriggered" || s == "Triggered") return OrderStatus::Accepted;
  if (s == "PartiallyFilled") return OrderStatus::PartiallyFilled;
  if (s == "Filled") return OrderStatus::Filled;
  if (s == "Cancelled" || s == "PartiallyFilledCanceled" || s == "Deactivated") return OrderStatus::Canceled;
  // A rejection after partial fills ended the order with those fills: not a clean reject.
  if (s == "Rejected") return has_fills ? OrderStatus::Canceled : OrderStatus::Rejected;
  return std::nullopt;
}

VenueErrorReason map_reject_reason(std::string_view r) {
  if (r == "EC_PostOnlyWillTakeLiquidity") return VenueErrorReason::PostOnlyWouldTake;
  if (r == "EC_NoImmediateQtyToFill" || r == "EC_FOKCanNotFilled") return VenueErrorReason::FokNotFilled;
  if (r == "EC_DuplicatedClOrdID") return VenueErrorReason::DuplicateClientOrderId;
  if (r == "EC_OrigClOrdIDDoesNotExist") return VenueErrorReason::UnknownOrder;
  if (r == "EC_ReachRiskPriceLimit") return VenueErrorReason::InvalidPrice;
  if (r.find("Balance") != std::string_view::npos || r.find("Margin") != std::string_view::npos)
    return VenueErrorReason::InsufficientBalance;
  if (r.find("ReduceOnly") != std::string_view::npos) return VenueErrorReason::ReduceOnlyRejected;
  return VenueErrorReason::Other;
}

// --- Private stream --------------------------------------------------------------------------------------
struct PrivateParser::Impl {
  const InstrumentTable& table;
  sj::dom::parser parser;
};

PrivateParser::PrivateParser(const InstrumentTable& table) : impl_(new Impl{table, sj::dom::parser()}) {}
PrivateParser::~PrivateParser() = default;

Result<PrivateMessage, ParseError> PrivateParser::parse(std::string_view frame) {
  if (frame.empty()) return Err{ParseError{ParseErrorCode::Empty, ""}};
  sj::dom::element doc;
  if (impl_->parser.parse(frame.data(), frame.size()).get(doc)) return Err{ParseError{ParseErrorCode::InvalidJson, ""}};
  sj::dom::object root;
  if (doc.get_object().get(root)) return Err{ParseError{ParseErrorCode::WrongType, "root"}};
  PrivateMessage m;
  const auto op = str(root, "op");
  if (!op.empty()) {
    m.success = boolean(root, "success") || integer(root, "retCode") == std::optional<std::int64_t>(0);
    m.ret_code = integer(root, "retCode").value_or(0);
    m.req_id = std::string(str(root, "req_id"));
    m.ret_msg = std::string(str(root, "retMsg").empty() ? str(root, "ret_msg") : str(root, "retMsg"));
    if (op == "auth") m.kind = PrivateKind::AuthAck;
    else if (op == "subscribe") m.kind = PrivateKind::SubscribeAck;
    else if (op == "pong" || op == "ping") m.kind = PrivateKind::Pong;
    else m.kind = PrivateKind::Ignored;  // trade-stream replies (order.create) and other ops
    if (m.kind == PrivateKind::Pong) m.success = true;
    return m;
  }
  const auto topic = str(root, "topic");
  if (topic.empty()) return Err{ParseError{ParseErrorCode::UnknownMessage, "topic"}};
  sj::dom::array data;
  if (root["data"].get_array().get(data)) return Err{ParseError{ParseErrorCode::MissingField, "data"}};
  const auto base = topic.substr(0, topic.find('.'));
  const bool fast = topic == "execution.fast";
  if (base == "order") {
    m.kind = PrivateKind::Order;
    for (sj::dom::element e : data) {
      sj::dom::object o;
      if (e.get_object().get(o)) return Err{ParseError{ParseErrorCode::WrongType, "data"}};
      auto it = order_item(o, MarketKind::LinearPerp, impl_->table);
      if (!it) {
        ++m.skipped;
        continue;
      }
      const auto& r = it->report;
      const auto ts = r.ts_event_ns;
      if (it->status == "New" || it->status == "Untriggered") {
        m.events.push_back(OrderAccepted{r.instrument, r.client_order_id, r.venue_order_id, ts});
      } else if (it->status == "Triggered") {
        m.events.push_back(OrderTriggered{r.instrument, r.client_order_id, r.venue_order_id, ts});
      } else if (r.status == OrderStatus::Canceled) {
        if (it->reject_reason == "EC_PostOnlyWillTakeLiquidity" && !r.filled_quantity.is_positive()) {
          m.events.push_back(OrderRejected{r.instrument, r.client_order_id,
                                           {VenueErrorReason::PostOnlyWouldTake, std::string(it->reject_reason), "post-only would take"}, ts});
        } else {
          m.events.push_back(OrderCanceled{r.instrument, r.client_order_id, r.venue_order_id, ts});
        }
      } else if (r.status == OrderStatus::Rejected) {
        m.events.push_back(OrderRejected{r.instrument, r.client_order_id,
                                         {map_reject_reason(it->reject_reason), std::string(it->reject_reason), "rejected"}, ts});
      }
      // PartiallyFilled / Filled: the fills themselves come from the execution topic (by execId).
    }
    return m;
  }
  if (base == "execution") {
    m.kind = PrivateKind::Execution;
    for (sj::dom::element e : data) {
      sj::dom::object o;
      if (e.get_object().get(o)) return Err{ParseError{ParseErrorCode::WrongType, "data"}};
      auto f = fill_item(o, MarketKind::LinearPerp, impl_->table);
      // execution.fast leaves orderLinkId empty on maker fills: the full topic carries them.
      if (!f || (fast && f->client_order_id.empty())) {
        ++m.skipped;
        continue;
      }
      m.events.push_back(*f);
    }
    return m;
  }
  if (base == "position") {
    m.kind = PrivateKind::Position;
    for (sj::dom::element e : data) {
      sj::dom::object o;
      if (e.get_object().get(o)) return Err{ParseError{ParseErrorCode::WrongType, "data"}};
      if (auto p = position_item(o, impl_->table)) m.positions.push_back(*p);
      else ++m.skipped;
    }
    return m;
  }
  if (base == "wallet") {
    m.kind = PrivateKind::Wallet;
    for (sj::dom::element acct : data) {
      sj::dom::array coins;
      if (acct["coin"].get_array().get(coins)) return Err{ParseError{ParseErrorCode::MissingField, "coin"}};
      for (sj::dom::element c : coins) {
        sj::dom::object co;
        if (c.get_object().get(co)) return Err{ParseError{ParseErrorCode::WrongType, "coin"}};
        auto b = balance_item(co);
        if (!b) return Err{ParseError{ParseErrorCode::BadDecimal, "walletBalance"}};
        m.balances.push_back(*b);
      }
    }
    return m;
  }
  m.kind = PrivateKind::Ignored;  // dcp.*, greeks...: nothing the engine needs
  return m;
}

}  // namespace tradingd::bybit
