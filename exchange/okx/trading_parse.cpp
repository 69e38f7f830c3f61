// OKX v5 private REST parsers: see trading_parse.h. simdjson DOM: these answers are small and off the
// tick-to-order path, and the DOM lets the envelope be checked before the items are read.
#include "exchange/okx/trading_parse.h"

#include <charconv>

#include "exchange/okx/trading_errors.h"
#include "exchange/okx/trading_json.h"

namespace tradingd::okx {
namespace detail {

std::string code_text(dom::object o, std::string_view key) {
  dom::element e;
  if (o[key].get(e) != simdjson::SUCCESS) return {};
  std::string_view s;
  if (e.get_string().get(s) == simdjson::SUCCESS) return std::string(s);
  std::int64_t i = 0;
  if (e.get_int64().get(i) == simdjson::SUCCESS) return std::to_string(i);
  return {};
}

std::int64_t Reader::ms(dom::object o, std::string_view key) {
  const std::string_view t = str(o, key);
  if (t.empty()) return 0;
  std::int64_t v = 0;
  auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  if (ec != std::errc() || p != t.data() + t.size()) {
    bad = true;
    return 0;
  }
  return v;
}

namespace {
template <class S>
S inline_of(std::string_view t, Reader& rd) {
  auto v = S::make(t);
  if (!v) {
    rd.bad = true;
    return S{};
  }
  return *v;
}
}  // namespace

std::optional<OrderStatusReport> order_report(dom::object o, Reader& rd) {
  OrderStatusReport r;
  const std::string_view inst = str(o, "instId");
  if (inst.empty()) return std::nullopt;
  r.instrument = instrument_of(inst);
  std::string_view cl = str(o, "clOrdId");
  if (cl.empty()) cl = str(o, "algoClOrdId");
  r.client_order_id = inline_of<ClientOrderId>(cl, rd);
  std::string_view oid = str(o, "ordId");
  if (oid.empty()) oid = str(o, "algoId");
  r.venue_order_id = inline_of<VenueOrderId>(oid, rd);
  r.side = str(o, "side") == "sell" ? Side::Sell : Side::Buy;
  const std::string_view t = str(o, "ordType");
  r.type = OrderType::Limit;
  r.time_in_force = TimeInForce::Gtc;
  if (t == "market") {
    r.type = OrderType::Market;
    r.time_in_force = TimeInForce::Ioc;
  } else if (t == "post_only") {
    r.time_in_force = TimeInForce::PostOnly;
  } else if (t == "fok") {
    r.time_in_force = TimeInForce::Fok;
  } else if (t == "ioc" || t == "optimal_limit_ioc") {
    r.time_in_force = TimeInForce::Ioc;
  } else if (t == "trigger" || t == "conditional") {
    r.type = OrderType::StopMarket;
  }
  auto st = order_status(str(o, "state"));
  if (!st) {
    rd.bad = true;
    return std::nullopt;
  }
  r.status = *st;
  r.quantity = rd.dec<Quantity>(o, "sz").value_or(Quantity{});
  r.filled_quantity = rd.dec<Quantity>(o, "accFillSz").value_or(Quantity{});
  if (r.status == OrderStatus::Accepted && r.filled_quantity.is_positive()) r.status = OrderStatus::PartiallyFilled;
  r.price = rd.dec<Price>(o, "px");
  if (r.price && r.price->is_zero()) r.price.reset();
  r.avg_fill_price = rd.dec<Price>(o, "avgPx");
  if (r.avg_fill_price && r.avg_fill_price->is_zero()) r.avg_fill_price.reset();
  r.reduce_only = str(o, "reduceOnly") == "true";
  std::int64_t ts = rd.ms(o, "uTime");
  if (ts == 0) ts = rd.ms(o, "cTime");
  r.ts_event_ns = ts * kNanosPerMilli;
  return r;
}

std::optional<OrderFilled> order_fill(dom::object o, Reader& rd) {
  const std::string_view trade_id = str(o, "tradeId");
  auto fill_sz = rd.dec<Quantity>(o, "fillSz");
  auto fill_px = rd.dec<Price>(o, "fillPx");
  if (trade_id.empty() || !fill_sz || !fill_sz->is_positive() || !fill_px) return std::nullopt;
  OrderFilled f;
  f.instrument = instrument_of(str(o, "instId"));
  f.client_order_id = inline_of<ClientOrderId>(str(o, "clOrdId"), rd);
  f.venue_order_id = inline_of<VenueOrderId>(str(o, "ordId"), rd);
  f.trade_id = inline_of<TradeId>(trade_id, rd);
  f.side = str(o, "side") == "sell" ? Side::Sell : Side::Buy;
  f.last_quantity = *fill_sz;
  f.last_price = *fill_px;
  // fillFee is this fill's fee; recordings without it carry only the running `fee`, which is this fill's
  // when the fill is the order's first (accFillSz == fillSz).
  std::optional<Money> fee = rd.dec<Money>(o, "fillFee");
  std::string_view fee_ccy = str(o, "fillFeeCcy");
  if (!fee && rd.dec<Quantity>(o, "accFillSz") == fill_sz) {
    fee = rd.dec<Money>(o, "fee");
    fee_ccy = str(o, "feeCcy");
  }
  f.fee = fee ? -*fee : Money{};
  f.fee_asset = inline_of<Asset>(fee_ccy, rd);
  f.liquidity = str(o, "execType") == "M" ? LiquiditySide::Maker : LiquiditySide::Taker;
  std::int64_t ts = rd.ms(o, "fillTime");
  if (ts == 0) ts = rd.ms(o, "ts");
  if (ts == 0) ts = rd.ms(o, "uTime");
  f.ts_event_ns = ts * kNanosPerMilli;
  return f;
}

std::optional<Balance> balance_detail(dom::object o, Reader& rd) {
  Balance b;
  const std::string_view ccy = str(o, "ccy");
  if (ccy.empty()) return std::nullopt;
  b.asset = inline_of<Asset>(ccy, rd);
  auto frozen = rd.balance(o, "frozenBal").value_or(Money{});
  auto avail = rd.balance(o, "availBal");
  if (!avail) avail = rd.balance(o, "cashBal").value_or(Money{}) - frozen;
  b.free = *avail;
  b.locked = frozen;
  return b;
}

std::optional<PositionReport> position(dom::object o, Reader& rd) {
  const std::string_view inst = str(o, "instId");
  auto pos = rd.dec<Quantity>(o, "pos");
  if (inst.empty() || !pos) return std::nullopt;
  PositionReport p;
  p.instrument = instrument_of(inst);
  p.quantity = str(o, "posSide") == "short" && pos->is_positive() ? -*pos : *pos;
  p.entry_price = rd.dec<Price>(o, "avgPx").value_or(Price{});
  auto lever = rd.dec<Rate>(o, "lever");
  p.leverage = lever ? static_cast<int>(lever->raw() / Rate::from_units(1).raw()) : 1;
  if (p.leverage < 1) p.leverage = 1;
  return p;
}

}  // namespace detail

namespace {

using namespace detail;

thread_local dom::parser t_parser;

VenueError make_error(VenueErrorReason reason, std::string code, std::string message) {
  return VenueError{reason, std::move(code), std::move(message)};
}

// The envelope's data array, or the error it reports. allow_items: place/cancel answers whose items carry
// sCode decide per item even when the top-level code is 1 (failed) or 2 (partly).
Result<dom::array, VenueError> envelope(int http_status, std::string_view body, bool allow_items) {
  dom::element doc;
  if (t_parser.parse(body.data(), body.size()).get(doc) != simdjson::SUCCESS) {
    if (http_status != 200)
      return Err{make_error(http_reason(http_status), "HTTP " + std::to_string(http_status), std::string(body.substr(0, 200)))};
    return Err{make_error(VenueErrorReason::Other, "parse", "unparsable response")};
  }
  dom::object o;
  if (doc.get_object().get(o) != simdjson::SUCCESS)
    return Err{make_error(http_status == 200 ? VenueErrorReason::Other : http_reason(http_status), "shape", "not an object")};
  const std::string code = code_text(o, "code");
  std::string msg(str(o, "msg"));
  dom::array data;
  const bool has_data = o["data"].get_array().get(data) == simdjson::SUCCESS;
  if (code == "0" && http_status == 200) {
    if (!has_data) return Err{make_error(VenueErrorReason::Other, "shape", "no data")};
    return data;
  }
  if (allow_items && has_data && data.size() > 0 && (code == "1" || code == "2")) {
    dom::object first;
    if (data.at(0).get_object().get(first) == simdjson::SUCCESS && !code_text(first, "sCode").empty()) return data;
  }
  if (code.empty())
    return Err{make_error(http_reason(http_status), "HTTP " + std::to_string(http_status), std::move(msg))};
  VenueErrorReason reason = error_reason(code);
  if (reason == VenueErrorReason::Other && http_status == 429) reason = VenueErrorReason::RateLimited;
  return Err{make_error(reason, code, std::move(msg))};
}

VenueError bad_item(std::string_view what) { return make_error(VenueErrorReason::Other, "parse", std::string(what)); }

}  // namespace

VenueError ack_error(const OkxOrderAck& ack) { return VenueError{error_reason(ack.s_code), ack.s_code, ack.s_msg}; }

InstrumentId instrument_of(std::string_view inst_id) {
  InstrumentId id;
  id.venue = Venue::Okx;
  id.kind = inst_id.size() > 5 && inst_id.substr(inst_id.size() - 5) == "-SWAP" ? MarketKind::LinearPerp : MarketKind::Spot;
  id.symbol = Symbol::make(inst_id).value_or(Symbol{});
  return id;
}

std::optional<OrderStatus> order_status(std::string_view s) {
  if (s == "live") return OrderStatus::Accepted;
  if (s == "partially_filled") return OrderStatus::PartiallyFilled;
  if (s == "filled") return OrderStatus::Filled;
  if (s == "canceled" || s == "mmp_canceled") return OrderStatus::Canceled;
  if (s == "effective" || s == "order_placed") return OrderStatus::Filled;  // algo: triggered and placed
  if (s == "order_failed") return OrderStatus::Rejected;
  if (s == "partially_effective") return OrderStatus::PartiallyFilled;
  return std::nullopt;
}

Result<std::vector<OkxOrderAck>, VenueError> parse_acks(int http_status, std::string_view body) {
  auto data = envelope(http_status, body, true);
  if (!data) return Err{data.error()};
  std::vector<OkxOrderAck> out;
  for (dom::element e : *data) {
    dom::object o;
    if (e.get_object().get(o) != simdjson::SUCCESS) return Err{bad_item("ack not an object")};
    OkxOrderAck a;
    a.ord_id = str(o, "ordId");
    if (a.ord_id.empty()) a.ord_id = str(o, "algoId");
    a.cl_ord_id = str(o, "clOrdId");
    if (a.cl_ord_id.empty()) a.cl_ord_id = str(o, "algoClOrdId");
    a.s_code = code_text(o, "sCode");
    a.s_msg = str(o, "sMsg");
    if (a.s_code.empty()) a.s_code = "0";  // cancel-all-after style items carry no sCode
    out.push_back(std::move(a));
  }
  return out;
}

Result<std::vector<OrderStatusReport>, VenueError> parse_orders(int http_status, std::string_view body) {
  auto data = envelope(http_status, body, false);
  if (!data) return Err{data.error()};
  std::vector<OrderStatusReport> out;
  for (dom::element e : *data) {
    dom::object o;
    Reader rd;
    if (e.get_object().get(o) != simdjson::SUCCESS) return Err{bad_item("order not an object")};
    auto r = order_report(o, rd);
    if (!r || rd.bad) return Err{bad_item("order record")};
    out.push_back(*r);
  }
  return out;
}

Result<std::vector<OrderFilled>, VenueError> parse_fills(int http_status, std::string_view body) {
  auto data = envelope(http_status, body, false);
  if (!data) return Err{data.error()};
  std::vector<OrderFilled> out;
  for (dom::element e : *data) {
    dom::object o;
    Reader rd;
    if (e.get_object().get(o) != simdjson::SUCCESS) return Err{bad_item("fill not an object")};
    // REST fills carry fee/feeCcy for this fill only (no running total).
    auto f = order_fill(o, rd);
    if (!f || rd.bad) return Err{bad_item("fill record")};
    if (auto fee = rd.dec<Money>(o, "fee")) {
      f->fee = -*fee;
      f->fee_asset = Asset::make(str(o, "feeCcy")).value_or(Asset{});
    }
    out.push_back(*f);
  }
  return out;
}

Result<std::vector<Balance>, VenueError> parse_balance(int http_status, std::string_view body) {
  auto data = envelope(http_status, body, false);
  if (!data) return Err{data.error()};
  std::vector<Balance> out;
  for (dom::element e : *data) {
    dom::array details;
    if (e["details"].get_array().get(details) != simdjson::SUCCESS) return Err{bad_item("balance without details")};
    for (dom::element d : details) {
      dom::object o;
      Reader rd;
      if (d.get_object().get(o) != simdjson::SUCCESS) return Err{bad_item("detail not an object")};
      auto b = balance_detail(o, rd);
      if (!b || rd.bad) return Err{bad_item("balance detail")};
      out.push_back(*b);
    }
  }
  return out;
}

Result<std::vector<PositionReport>, VenueError> parse_positions(int http_status, std::string_view body) {
  auto data = envelope(http_status, body, false);
  if (!data) return Err{data.error()};
  std::vector<PositionReport> out;
  for (dom::element e : *data) {
    dom::object o;
    Reader rd;
    if (e.get_object().get(o) != simdjson::SUCCESS) return Err{bad_item("position not an object")};
    auto p = position(o, rd);
    if (!p || rd.bad) return Err{bad_item("position record")};
    out.push_back(*p);
  }
  return out;
}

Result<std::int64_t, VenueError> parse_server_time(int http_status, std::string_view body) {
  auto data = envelope(http_status, body, false);
  if (!data) return Err{data.error()};
  dom::object o;
  Reader rd;
  if (data->size() == 0 || data->at(0).get_object().get(o) != simdjson::SUCCESS) return Err{bad_item("time")};
  const std::int64_t ts = rd.ms(o, "ts");
  if (rd.bad || ts <= 0) return Err{bad_item("time ts")};
  return ts;
}

Result<int, VenueError> parse_leverage(int http_status, std::string_view body) {
  auto data = envelope(http_status, body, false);
  if (!data) return Err{data.error()};
  dom::object o;
  Reader rd;
  if (data->size() == 0 || data->at(0).get_object().get(o) != simdjson::SUCCESS) return Err{bad_item("leverage")};
  auto lever = rd.dec<Rate>(o, "lever");
  if (!lever || rd.bad) return Err{bad_item("leverage lever")};
  return static_cast<int>(lever->raw() / Rate::from_units(1).raw());
}

Result<std::int64_t, VenueError> parse_cancel_all_after(int http_status, std::string_view body) {
  auto data = envelope(http_status, body, false);
  if (!data) return Err{data.error()};
  dom::object o;
  Reader rd;
  if (data->size() == 0 || data->at(0).get_object().get(o) != simdjson::SUCCESS) return Err{bad_item("cancel-all-after")};
  const std::int64_t t = rd.ms(o, "triggerTime");
  if (rd.bad) return Err{bad_item("triggerTime")};
  return t;
}

}  // namespace tradingd::okx
