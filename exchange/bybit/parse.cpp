// Bybit v5 public WebSocket and REST order-book parsers. One pass over the fields in any order: `data` is
// read by its shape (an object: order book or ticker; an array: trades or klines) into reusable buffers,
// and the topic decides at the end what the frame was. Iterating to the end proves the frame complete.
#include "exchange/bybit/parse.h"

#include <charconv>

#include "exchange/detail/json_read.h"

namespace tradingd {
namespace {

namespace od = simdjson::ondemand;
using detail::decimal;
using detail::fail;

// A trade or kline element of a `data` array, before its instrument is known.
struct Element {
  std::string_view s, side, v, p, i, interval, open, high, low, close, volume;
  UnixNanos T = 0, start = 0;
  bool has_T = false, has_start = false, has_confirm = false, confirm = false;
};

struct Fields {
  std::string_view topic, type, op, ret_msg, req_id;
  UnixNanos ts = 0, cts = 0;
  bool has_ts = false, has_cts = false;
  bool has_success = false, success = false, has_ret_code = false;
  std::int64_t ret_code = 0;
  // data as an object (order book / ticker)
  bool data_object = false, data_array = false;
  std::string_view s, symbol, mark, index, funding, next_funding;
  bool b_levels = false, a_levels = false, has_u = false, has_seq = false;
  std::uint64_t u = 0, seq = 0;
};

std::optional<std::int64_t> interval_seconds(std::string_view i) {
  if (i == "D") return 86400;
  if (i == "W") return 7 * 86400;
  std::int64_t minutes = 0;
  auto [ptr, ec] = std::from_chars(i.data(), i.data() + i.size(), minutes);
  if (ec != std::errc() || ptr != i.data() + i.size() || minutes <= 0 || minutes > 1440) return std::nullopt;
  return minutes * 60;  // "M" (calendar month) has no fixed length: rejected above
}

// "orderbook.50.BTCUSDT" → {"orderbook", "50", "BTCUSDT"}; the symbol is everything after the last dot
// of the expected prefix (symbols contain no dots).
struct Topic {
  std::string_view name, param, symbol;
};
Topic split_topic(std::string_view topic) {
  Topic t;
  auto first = topic.find('.');
  if (first == std::string_view::npos) return t;
  t.name = topic.substr(0, first);
  auto last = topic.rfind('.');
  t.symbol = topic.substr(last + 1);
  if (last > first) t.param = topic.substr(first + 1, last - first - 1);
  return t;
}

std::optional<ParseError> walk_element(od::object obj, Element& e) {
  for (auto fr : obj) {
    od::field field;
    if (std::move(fr).get(field)) return fail(ParseErrorCode::InvalidJson, "data");
    std::string_view key;
    key = detail::raw_key(field);
    od::value v = field.value();
    bool ok = true;
    if (key == "T") ok = detail::read_ms_as_ns(v, e.T), e.has_T = ok;
    else if (key == "s") ok = detail::read_string(v, e.s);
    else if (key == "S") ok = detail::read_string(v, e.side);
    else if (key == "v") ok = detail::scalar_text(v, e.v);
    else if (key == "p") ok = detail::scalar_text(v, e.p);
    else if (key == "i") ok = detail::read_string(v, e.i);
    else if (key == "start") ok = detail::read_ms_as_ns(v, e.start), e.has_start = ok;
    else if (key == "interval") ok = detail::read_string(v, e.interval);
    else if (key == "open") ok = detail::scalar_text(v, e.open);
    else if (key == "high") ok = detail::scalar_text(v, e.high);
    else if (key == "low") ok = detail::scalar_text(v, e.low);
    else if (key == "close") ok = detail::scalar_text(v, e.close);
    else if (key == "volume") ok = detail::scalar_text(v, e.volume);
    else if (key == "confirm") ok = !v.get_bool().get(e.confirm), e.has_confirm = ok;
    if (!ok) return fail(ParseErrorCode::WrongType, "data");
  }
  return std::nullopt;
}

}  // namespace

struct BybitParser::Impl {
  od::parser parser;
  detail::PaddedBuffer input;
  std::vector<BookLevel> bids, asks;
  std::vector<Element> elements;
  std::vector<TradeTick> trades;
  std::vector<Bar> bars;

  Impl() {
    bids.reserve(1024);
    asks.reserve(1024);
    elements.reserve(64);
    trades.reserve(64);
  }

  void clear() {
    bids.clear();
    asks.clear();
    elements.clear();
    trades.clear();
    bars.clear();
  }

  std::optional<ParseError> walk_data_object(od::object obj, Fields& f) {
    f.data_object = true;
    for (auto fr : obj) {
      od::field field;
      if (std::move(fr).get(field)) return fail(ParseErrorCode::InvalidJson, "data");
      std::string_view key;
      key = detail::raw_key(field);
      od::value v = field.value();
      if (key == "b" || key == "a") {
        const bool bid = key == "b";
        if (auto code = detail::read_levels(v, bid ? bids : asks, nullptr, input.end())) return fail(*code, bid ? "b" : "a");
        (bid ? f.b_levels : f.a_levels) = true;
        continue;
      }
      bool ok = true;
      if (key == "u") ok = detail::read_u64(v, f.u), f.has_u = ok;
      else if (key == "seq") ok = detail::read_u64(v, f.seq), f.has_seq = ok;
      else if (key == "s") ok = detail::read_string(v, f.s);
      else if (key == "symbol") ok = detail::read_string(v, f.symbol);
      else if (key == "markPrice") ok = detail::scalar_text(v, f.mark);
      else if (key == "indexPrice") ok = detail::scalar_text(v, f.index);
      else if (key == "fundingRate") ok = detail::scalar_text(v, f.funding);
      else if (key == "nextFundingTime") ok = detail::scalar_text(v, f.next_funding);
      if (!ok) return fail(ParseErrorCode::WrongType, "data");
    }
    return std::nullopt;
  }

  std::optional<ParseError> walk(od::object obj, Fields& f) {
    for (auto fr : obj) {
      od::field field;
      if (std::move(fr).get(field)) return fail(ParseErrorCode::InvalidJson, "object");
      std::string_view key;
      key = detail::raw_key(field);
      od::value v = field.value();
      bool ok = true;
      if (key == "data") {
        od::json_type type;
        if (v.type().get(type)) return fail(ParseErrorCode::InvalidJson, "data");
        if (type == od::json_type::object) {
          od::object data;
          if (v.get_object().get(data)) return fail(ParseErrorCode::InvalidJson, "data");
          if (auto err = walk_data_object(data, f)) return err;
        } else if (type == od::json_type::array) {
          f.data_array = true;
          od::array arr;
          if (v.get_array().get(arr)) return fail(ParseErrorCode::InvalidJson, "data");
          for (auto item : arr) {
            od::object eobj;
            if (std::move(item).get_object().get(eobj)) return fail(ParseErrorCode::WrongType, "data");
            if (elements.size() >= detail::kMaxLevelsPerSide) return fail(ParseErrorCode::TooLarge, "data");
            elements.emplace_back();
            if (auto err = walk_element(eobj, elements.back())) return err;
          }
        }
        continue;
      }
      if (key == "topic") ok = detail::read_string(v, f.topic);
      else if (key == "type") ok = detail::read_string(v, f.type);
      else if (key == "ts") ok = detail::read_ms_as_ns(v, f.ts), f.has_ts = ok;
      else if (key == "cts") ok = detail::read_ms_as_ns(v, f.cts), f.has_cts = ok;
      else if (key == "op") ok = detail::read_string(v, f.op);
      else if (key == "success") ok = !v.get_bool().get(f.success), f.has_success = ok;
      else if (key == "ret_msg") ok = detail::read_string(v, f.ret_msg);
      else if (key == "req_id") ok = detail::read_string(v, f.req_id);
      else if (key == "retCode") ok = detail::read_i64(v, f.ret_code), f.has_ret_code = ok;
      if (!ok) return fail(ParseErrorCode::WrongType, "field");
    }
    return std::nullopt;
  }

  Result<BybitMessage, ParseError> build(const Fields& f, MarketKind kind, const InstrumentLookup& lookup,
                                         UnixNanos ts_recv_ns);
};

Result<BybitMessage, ParseError> BybitParser::Impl::build(const Fields& f, MarketKind kind,
                                                          const InstrumentLookup& lookup, UnixNanos ts_recv_ns) {
  if (!f.op.empty() && f.topic.empty()) {
    ControlMessage c;
    c.request_id = truncated<47>(f.req_id);
    // Public pong: {"success":true,"ret_msg":"pong","op":"ping"}; private/trade: {"op":"pong",..}.
    if (f.op == "pong" || (f.op == "ping" && f.ret_msg == "pong")) {
      c.kind = ControlKind::Pong;
    } else if (f.op == "auth") {
      c.kind = ControlKind::LoginAck;
      c.success = f.has_success ? f.success : (f.has_ret_code && f.ret_code == 0);
    } else if (f.op == "subscribe" || f.op == "unsubscribe") {
      c.success = f.has_success && f.success;
      c.kind = c.success ? ControlKind::SubscribeAck : ControlKind::SubscribeError;
    } else {
      return Err{fail(ParseErrorCode::UnknownMessage, "op")};
    }
    c.message = truncated<95>(f.ret_msg);
    return BybitMessage{c};
  }
  if (f.topic.empty()) return Err{fail(ParseErrorCode::UnknownMessage, "topic")};
  const Topic topic = split_topic(f.topic);

  if (topic.name == "orderbook") {
    if (!f.data_object || !f.b_levels || !f.a_levels) return Err{fail(ParseErrorCode::MissingField, "data")};
    if (!f.has_u) return Err{fail(ParseErrorCode::MissingField, "u")};
    std::uint32_t depth = 0;
    auto [ptr, ec] = std::from_chars(topic.param.data(), topic.param.data() + topic.param.size(), depth);
    if (ec != std::errc() || ptr != topic.param.data() + topic.param.size() || depth == 0)
      return Err{fail(ParseErrorCode::UnknownMessage, "topic")};
    if (f.type != "snapshot" && f.type != "delta") return Err{fail(ParseErrorCode::BadValue, "type")};
    auto instrument = lookup.resolve(kind, f.s.empty() ? topic.symbol : f.s);
    if (!instrument) return Err{fail(ParseErrorCode::UnknownInstrument, "s")};
    BybitOrderbook ob;
    ob.instrument = *instrument;
    ob.depth = depth;
    ob.is_snapshot = f.type == "snapshot";
    ob.update_id = f.u;
    ob.cross_seq = f.seq;
    ob.bids = bids;
    ob.asks = asks;
    ob.ts_event_ns = f.has_cts ? f.cts : f.ts;
    ob.ts_recv_ns = ts_recv_ns;
    return BybitMessage{ob};
  }
  // "publicTrade.{symbol}" (v5); "trade." as in the nautilus sample.
  if (topic.name == "publicTrade" || topic.name == "trade") {
    if (!f.data_array) return Err{fail(ParseErrorCode::MissingField, "data")};
    for (const Element& e : elements) {
      TradeTick t;
      auto instrument = lookup.resolve(kind, e.s.empty() ? topic.symbol : e.s);
      if (!instrument) return Err{fail(ParseErrorCode::UnknownInstrument, "s")};
      t.instrument = *instrument;
      if (e.p.empty() || e.v.empty() || !e.has_T) return Err{fail(ParseErrorCode::MissingField, "data")};
      if (!decimal(e.p, t.price) || !decimal(e.v, t.size)) return Err{fail(ParseErrorCode::BadDecimal, "data")};
      if (!t.price.is_positive() || !t.size.is_positive()) return Err{fail(ParseErrorCode::BadValue, "data")};
      if (e.side == "Buy") t.aggressor = Side::Buy;
      else if (e.side == "Sell") t.aggressor = Side::Sell;
      else return Err{fail(ParseErrorCode::BadValue, "S")};
      auto id = make_inline<TradeId>(e.i);
      if (!id || e.i.empty()) return Err{fail(ParseErrorCode::BadValue, "i")};
      t.trade_id = *id;
      t.ts_event_ns = e.T;
      t.ts_recv_ns = ts_recv_ns;
      trades.push_back(t);
    }
    return BybitMessage{BybitTrades{trades}};
  }
  if (topic.name == "kline") {
    if (!f.data_array) return Err{fail(ParseErrorCode::MissingField, "data")};
    auto instrument = lookup.resolve(kind, topic.symbol);
    if (!instrument) return Err{fail(ParseErrorCode::UnknownInstrument, "topic")};
    for (const Element& e : elements) {
      Bar b;
      b.instrument = *instrument;
      auto secs = interval_seconds(e.interval.empty() ? topic.param : e.interval);
      if (!secs) return Err{fail(ParseErrorCode::UnsupportedInterval, "interval")};
      b.interval_s = *secs;
      if (!e.has_start || !e.has_confirm) return Err{fail(ParseErrorCode::MissingField, "data")};
      b.ts_open_ns = e.start;
      if (!decimal(e.open, b.open) || !decimal(e.high, b.high) || !decimal(e.low, b.low) ||
          !decimal(e.close, b.close) || !decimal(e.volume, b.volume))
        return Err{fail(ParseErrorCode::BadDecimal, "data")};
      b.closed = e.confirm;
      b.ts_recv_ns = ts_recv_ns;
      bars.push_back(b);
    }
    return BybitMessage{BybitKlines{bars}};
  }
  if (topic.name == "tickers") {
    if (!f.data_object) return Err{fail(ParseErrorCode::MissingField, "data")};
    auto instrument = lookup.resolve(kind, f.symbol.empty() ? topic.symbol : f.symbol);
    if (!instrument) return Err{fail(ParseErrorCode::UnknownInstrument, "symbol")};
    BybitTicker t;
    t.instrument = *instrument;
    t.is_snapshot = f.type == "snapshot";
    Price p;
    if (!f.mark.empty()) {
      if (!decimal(f.mark, p)) return Err{fail(ParseErrorCode::BadDecimal, "markPrice")};
      t.mark_price = p;
    }
    if (!f.index.empty()) {
      if (!decimal(f.index, p)) return Err{fail(ParseErrorCode::BadDecimal, "indexPrice")};
      t.index_price = p;
    }
    if (!f.funding.empty()) {
      std::int64_t raw;
      if (!parse_rate_raw_rounded(f.funding, raw)) return Err{fail(ParseErrorCode::BadDecimal, "fundingRate")};
      t.funding_rate = Rate::from_raw(raw);
    }
    if (!f.next_funding.empty()) {
      std::uint64_t ms = 0;
      auto [ptr, ec] = std::from_chars(f.next_funding.data(), f.next_funding.data() + f.next_funding.size(), ms);
      if (ec != std::errc() || ptr != f.next_funding.data() + f.next_funding.size() ||
          ms > static_cast<std::uint64_t>(INT64_MAX / kNanosPerMilli))
        return Err{fail(ParseErrorCode::BadValue, "nextFundingTime")};
      t.next_funding_ns = static_cast<UnixNanos>(ms) * kNanosPerMilli;
    }
    t.ts_event_ns = f.ts;
    t.ts_recv_ns = ts_recv_ns;
    return BybitMessage{t};
  }
  return Err{fail(ParseErrorCode::UnknownMessage, "topic")};
}

BybitParser::BybitParser(MarketKind kind) : kind_(kind), impl_(std::make_unique<Impl>()) {}
BybitParser::~BybitParser() = default;

Result<BybitMessage, ParseError> BybitParser::parse(std::string_view frame, const InstrumentLookup& lookup,
                                                    UnixNanos ts_recv_ns, std::size_t buffer_capacity) try {
  if (frame.empty()) return Err{fail(ParseErrorCode::Empty, "")};
  Impl& im = *impl_;
  im.clear();
  od::document doc;
  if (!detail::reserve_for(im.parser, frame.size())) return Err{fail(ParseErrorCode::TooLarge, "")};
  if (im.parser.iterate(im.input.wrap(frame, buffer_capacity)).get(doc)) return Err{fail(ParseErrorCode::InvalidJson, "")};
  od::object obj;
  if (doc.get_object().get(obj)) return Err{fail(detail::root_error(frame), "")};
  Fields f;
  if (auto err = im.walk(obj, f)) return Err{*err};
  if (!detail::at_document_end(doc)) return Err{fail(ParseErrorCode::InvalidJson, "trailing")};
  return im.build(f, kind_, lookup, ts_recv_ns);
} catch (...) {
  return Err{fail(ParseErrorCode::Internal, "")};
}

Result<BybitOrderbook, ParseError> BybitParser::parse_orderbook_snapshot(std::string_view body,
                                                                         const InstrumentLookup& lookup,
                                                                         UnixNanos ts_recv_ns) try {
  if (body.empty()) return Err{fail(ParseErrorCode::Empty, "")};
  Impl& im = *impl_;
  im.clear();
  od::document doc;
  if (!detail::reserve_for(im.parser, body.size())) return Err{fail(ParseErrorCode::TooLarge, "")};
  if (im.parser.iterate(im.input.wrap(body, 0)).get(doc)) return Err{fail(ParseErrorCode::InvalidJson, "")};
  od::object root;
  if (doc.get_object().get(root)) return Err{fail(ParseErrorCode::InvalidJson, "")};
  Fields f;
  bool has_result = false;
  std::int64_t ret_code = -1;
  for (auto fr : root) {
    od::field field;
    if (std::move(fr).get(field)) return Err{fail(ParseErrorCode::InvalidJson, "object")};
    std::string_view key;
    key = detail::raw_key(field);
    od::value v = field.value();
    if (key == "retCode") {
      if (!detail::read_i64(v, ret_code)) return Err{fail(ParseErrorCode::WrongType, "retCode")};
    } else if (key == "result") {
      od::object result;
      if (v.get_object().get(result)) return Err{fail(ParseErrorCode::WrongType, "result")};
      has_result = true;
      // The result object has the WebSocket data's fields (s, b, a, u, seq) plus ts and cts.
      for (auto rf : result) {
        od::field rfield;
        if (std::move(rf).get(rfield)) return Err{fail(ParseErrorCode::InvalidJson, "result")};
        std::string_view rkey;
        rkey = detail::raw_key(rfield);
        od::value rv = rfield.value();
        bool ok = true;
        if (rkey == "b" || rkey == "a") {
          const bool bid = rkey == "b";
          if (auto code = detail::read_levels(rv, bid ? im.bids : im.asks, nullptr, im.input.end())) return Err{fail(*code, bid ? "b" : "a")};
          (bid ? f.b_levels : f.a_levels) = true;
        } else if (rkey == "s") ok = detail::read_string(rv, f.s);
        else if (rkey == "u") ok = detail::read_u64(rv, f.u), f.has_u = ok;
        else if (rkey == "seq") ok = detail::read_u64(rv, f.seq);
        else if (rkey == "ts") ok = detail::read_ms_as_ns(rv, f.ts);
        else if (rkey == "cts") ok = detail::read_ms_as_ns(rv, f.cts), f.has_cts = ok;
        if (!ok) return Err{fail(ParseErrorCode::WrongType, "result")};
      }
    }
  }
  if (!detail::at_document_end(doc)) return Err{fail(ParseErrorCode::InvalidJson, "trailing")};
  if (ret_code != 0) return Err{fail(ParseErrorCode::UnknownMessage, "retCode")};
  if (!has_result || !f.b_levels || !f.a_levels || !f.has_u) return Err{fail(ParseErrorCode::MissingField, "result")};
  auto instrument = lookup.resolve(kind_, f.s);
  if (!instrument) return Err{fail(ParseErrorCode::UnknownInstrument, "s")};
  BybitOrderbook ob;
  ob.instrument = *instrument;
  ob.is_snapshot = true;
  ob.update_id = f.u;
  ob.cross_seq = f.seq;
  ob.bids = im.bids;
  ob.asks = im.asks;
  ob.ts_event_ns = f.has_cts ? f.cts : f.ts;
  ob.ts_recv_ns = ts_recv_ns;
  return ob;
} catch (...) {
  return Err{fail(ParseErrorCode::Internal, "")};
}

BybitTicker BybitTickerCache::merge(const BybitTicker& t) {
  for (auto& last : last_) {
    if (last.instrument != t.instrument) continue;
    if (t.is_snapshot) {
      last = t;
      return t;
    }
    if (t.mark_price) last.mark_price = t.mark_price;
    if (t.index_price) last.index_price = t.index_price;
    if (t.funding_rate) last.funding_rate = t.funding_rate;
    if (t.next_funding_ns) last.next_funding_ns = t.next_funding_ns;
    last.ts_event_ns = t.ts_event_ns;
    last.ts_recv_ns = t.ts_recv_ns;
    last.is_snapshot = false;
    return last;
  }
  last_.push_back(t);
  return t;
}

}  // namespace tradingd
