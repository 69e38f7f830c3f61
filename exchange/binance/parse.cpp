// Binance WebSocket and REST parsers. One pass over each object's fields in whatever order the venue sends
// them: values are stored by key (keys like "a"/"b" mean different things per event, told apart by their
// JSON type), and the message type is decided at the end from "e" (or, for the spot book ticker that has
// no "e", from its fields). Iterating every field to the end also proves the frame is complete.
#include "exchange/binance/parse.h"

#include <charconv>

#include "exchange/detail/json_read.h"

namespace tradingd {
namespace {

namespace od = simdjson::ondemand;
using detail::decimal;
using detail::fail;

// The fields of a stream payload that any supported event uses. Text views point into the input (raw
// tokens) or the simdjson string buffer; both live until the next parse.
struct KlineFields {
  bool present = false;
  UnixNanos open_ns = 0;
  bool has_open = false;
  std::string_view interval, o, h, l, c, v;
  bool closed = false, has_closed = false;
};

struct Fields {
  std::string_view e, s;
  std::uint64_t U = 0, u = 0, pu = 0, t = 0, a_id = 0;
  bool has_U = false, has_u = false, has_pu = false, has_t = false, has_a_id = false;
  UnixNanos E = 0, T = 0;
  bool has_E = false, has_T = false;
  bool b_levels = false, a_levels = false;
  std::string_view b, B, a, A, p, q, i, r;
  bool has_m = false, m = false;
  KlineFields k;
  // control replies
  bool has_result = false, has_error = false;
  std::string_view id, error_code, error_msg;
};

std::optional<std::uint64_t> interval_seconds(std::string_view i) {
  if (i.size() < 2) return std::nullopt;
  std::uint64_t n = 0;
  auto [ptr, ec] = std::from_chars(i.data(), i.data() + i.size() - 1, n);
  if (ec != std::errc() || ptr != i.data() + i.size() - 1 || n == 0 || n > 1000) return std::nullopt;
  switch (i.back()) {
    case 's': return n;
    case 'm': return n * 60;
    case 'h': return n * 3600;
    case 'd': return n * 86400;
    case 'w': return n * 7 * 86400;
    default: return std::nullopt;  // "1M" (calendar month) has no fixed length
  }
}

template <std::size_t N>
bool id_from_u64(std::uint64_t v, InlineString<N>& out) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  if (ec != std::errc()) return false;
  auto s = make_inline<InlineString<N>>(std::string_view(buf, static_cast<std::size_t>(end - buf)));
  if (!s) return false;
  out = *s;
  return true;
}

std::optional<ParseError> walk_kline(od::object obj, KlineFields& k) {
  k.present = true;
  for (auto field_result : obj) {
    od::field field;
    if (std::move(field_result).get(field)) return fail(ParseErrorCode::InvalidJson, "k");
    std::string_view key;
    key = detail::raw_key(field);
    od::value v = field.value();
    if (key.size() != 1) continue;
    switch (key[0]) {
      case 't':
        if (!detail::read_ms_as_ns(v, k.open_ns)) return fail(ParseErrorCode::WrongType, "k.t");
        k.has_open = true;
        break;
      case 'i':
        if (!detail::read_string(v, k.interval)) return fail(ParseErrorCode::WrongType, "k.i");
        break;
      case 'o':
        if (!detail::scalar_text(v, k.o)) return fail(ParseErrorCode::WrongType, "k.o");
        break;
      case 'h':
        if (!detail::scalar_text(v, k.h)) return fail(ParseErrorCode::WrongType, "k.h");
        break;
      case 'l':
        if (!detail::scalar_text(v, k.l)) return fail(ParseErrorCode::WrongType, "k.l");
        break;
      case 'c':
        if (!detail::scalar_text(v, k.c)) return fail(ParseErrorCode::WrongType, "k.c");
        break;
      case 'v':
        if (!detail::scalar_text(v, k.v)) return fail(ParseErrorCode::WrongType, "k.v");
        break;
      case 'x':
        if (v.get_bool().get(k.closed)) return fail(ParseErrorCode::WrongType, "k.x");
        k.has_closed = true;
        break;
      default:
        break;
    }
  }
  return std::nullopt;
}

}  // namespace

struct BinanceParser::Impl {
  od::parser parser;
  detail::PaddedBuffer input;
  std::vector<BookLevel> bids, asks;

  Impl() {
    bids.reserve(1024);
    asks.reserve(1024);
  }

  // Reads scalars by key and level arrays into the buffers; recurses once into a combined stream's "data".
  std::optional<ParseError> walk(od::object obj, Fields& f, bool nested) {
    for (auto field_result : obj) {
      od::field field;
      if (std::move(field_result).get(field)) return fail(ParseErrorCode::InvalidJson, "object");
      std::string_view key;
      key = detail::raw_key(field);
      od::value v = field.value();
      if (key.size() == 1) {
        if (auto err = single(key[0], v, f)) return err;
        continue;
      }
      if (key == "pu") {
        if (!detail::read_u64(v, f.pu)) return fail(ParseErrorCode::WrongType, "pu");
        f.has_pu = true;
      } else if (key == "data" && !nested) {
        od::object inner;
        if (v.get_object().get(inner)) return fail(ParseErrorCode::WrongType, "data");
        if (auto err = walk(inner, f, true)) return err;
      } else if (key == "result") {
        f.has_result = true;  // null or a list (LIST_SUBSCRIPTIONS); its content does not matter
      } else if (key == "id") {
        // A number, a string or null; echoed back only for logs.
        if (!detail::scalar_text(v, f.id)) return fail(ParseErrorCode::WrongType, "id");
        if (f.id == "null") f.id = {};
      } else if (key == "error") {
        od::object err_obj;
        if (v.get_object().get(err_obj)) return fail(ParseErrorCode::WrongType, "error");
        f.has_error = true;
        for (auto ef : err_obj) {
          od::field efield;
          if (std::move(ef).get(efield)) return fail(ParseErrorCode::InvalidJson, "error");
          std::string_view ekey;
          ekey = detail::raw_key(efield);
          od::value ev = efield.value();
          if (ekey == "code") {
            if (!detail::scalar_text(ev, f.error_code)) return fail(ParseErrorCode::WrongType, "error.code");
          } else if (ekey == "msg") {
            if (!detail::read_string(ev, f.error_msg)) return fail(ParseErrorCode::WrongType, "error.msg");
          }
        }
      }
      // Other keys ("stream", "st", "ps", "nq", ...) are skipped by the iterator.
    }
    return std::nullopt;
  }

  std::optional<ParseError> single(char key, od::value v, Fields& f) {
    switch (key) {
      case 'e':
        // Raw text: event names and symbols are plain ASCII, never escaped (an escaped one matches nothing).
        if (!detail::scalar_text(v, f.e)) return fail(ParseErrorCode::WrongType, "e");
        return std::nullopt;
      case 's':
        if (!detail::scalar_text(v, f.s)) return fail(ParseErrorCode::WrongType, "s");
        return std::nullopt;
      case 'U':
        if (!detail::read_u64(v, f.U)) return fail(ParseErrorCode::WrongType, "U");
        f.has_U = true;
        return std::nullopt;
      case 'u':
        if (!detail::read_u64(v, f.u)) return fail(ParseErrorCode::WrongType, "u");
        f.has_u = true;
        return std::nullopt;
      case 'E':
        if (!detail::read_ms_as_ns(v, f.E)) return fail(ParseErrorCode::WrongType, "E");
        f.has_E = true;
        return std::nullopt;
      case 'T':
        if (!detail::read_ms_as_ns(v, f.T)) return fail(ParseErrorCode::WrongType, "T");
        f.has_T = true;
        return std::nullopt;
      case 't':
        if (!detail::read_u64(v, f.t)) return fail(ParseErrorCode::WrongType, "t");
        f.has_t = true;
        return std::nullopt;
      case 'm':
        if (v.get_bool().get(f.m)) return fail(ParseErrorCode::WrongType, "m");
        f.has_m = true;
        return std::nullopt;
      case 'a':
      case 'b': {
        // Depth: level array; book ticker: best price string; aggTrade "a": id; spot trade: order ids.
        od::json_type type;
        if (v.type().get(type)) return fail(ParseErrorCode::InvalidJson, key == 'a' ? "a" : "b");
        if (type == od::json_type::array) {
          auto& levels = key == 'a' ? asks : bids;
          if (auto code = detail::read_levels(v, levels, nullptr, input.end())) return fail(*code, key == 'a' ? "a" : "b");
          (key == 'a' ? f.a_levels : f.b_levels) = true;
        } else if (type == od::json_type::string) {
          if (!detail::scalar_text(v, key == 'a' ? f.a : f.b)) return fail(ParseErrorCode::WrongType, key == 'a' ? "a" : "b");
        } else if (type == od::json_type::number && key == 'a') {
          if (!detail::read_u64(v, f.a_id)) return fail(ParseErrorCode::WrongType, "a");
          f.has_a_id = true;
        }
        return std::nullopt;
      }
      case 'B':
        if (!detail::scalar_text(v, f.B)) return fail(ParseErrorCode::WrongType, "B");
        return std::nullopt;
      case 'A':
        if (!detail::scalar_text(v, f.A)) return fail(ParseErrorCode::WrongType, "A");
        return std::nullopt;
      case 'p':
        if (!detail::scalar_text(v, f.p)) return fail(ParseErrorCode::WrongType, "p");
        return std::nullopt;
      case 'q':
        if (!detail::scalar_text(v, f.q)) return fail(ParseErrorCode::WrongType, "q");
        return std::nullopt;
      case 'i':
        if (!detail::scalar_text(v, f.i)) return fail(ParseErrorCode::WrongType, "i");
        return std::nullopt;
      case 'r': {
        // Funding rate: a string, empty for delivery contracts.
        od::json_type type;
        if (v.type().get(type) || type != od::json_type::string) return fail(ParseErrorCode::WrongType, "r");
        if (!detail::scalar_text(v, f.r)) return fail(ParseErrorCode::WrongType, "r");
        return std::nullopt;
      }
      case 'k': {
        od::object k;
        if (v.get_object().get(k)) return fail(ParseErrorCode::WrongType, "k");
        return walk_kline(k, f.k);
      }
      default:
        return std::nullopt;
    }
  }
};

BinanceParser::BinanceParser(MarketKind kind) : kind_(kind), impl_(std::make_unique<Impl>()) {}
BinanceParser::~BinanceParser() = default;

namespace {

Result<BinanceMessage, ParseError> build(const Fields& f, MarketKind kind, const InstrumentLookup& lookup,
                                         UnixNanos ts_recv_ns, std::span<const BookLevel> bids,
                                         std::span<const BookLevel> asks) {
  // Control replies first: they carry no "e".
  if (f.has_error) {
    ControlMessage c;
    c.kind = ControlKind::SubscribeError;
    c.success = false;
    c.request_id = truncated<47>(f.id);
    c.code = truncated<15>(f.error_code);
    c.message = truncated<95>(f.error_msg);
    return BinanceMessage{c};
  }
  if (f.has_result && f.e.empty()) {
    ControlMessage c;
    c.kind = ControlKind::SubscribeAck;
    c.request_id = truncated<47>(f.id);
    return BinanceMessage{c};
  }
  if (f.e == "serverShutdown") {
    ControlMessage c;
    c.kind = ControlKind::Notice;
    c.message = truncated<95>("serverShutdown");
    return BinanceMessage{c};
  }

  const bool spot_book_ticker = f.e.empty() && f.has_u && !f.b.empty() && !f.a.empty();
  const bool known = f.e == "depthUpdate" || f.e == "trade" || f.e == "aggTrade" || f.e == "bookTicker" ||
                     f.e == "kline" || f.e == "markPriceUpdate" || spot_book_ticker;
  if (!known) return Err{fail(ParseErrorCode::UnknownMessage, "e")};
  if (f.s.empty()) return Err{fail(ParseErrorCode::MissingField, "s")};
  auto instrument = lookup.resolve(kind, f.s);
  if (!instrument) return Err{fail(ParseErrorCode::UnknownInstrument, "s")};
  // The venue's event time: the matching-engine time T where the event has one, else E.
  const UnixNanos ts_event = f.has_T ? f.T : f.E;

  if (f.e == "depthUpdate") {
    if (!f.has_U || !f.has_u) return Err{fail(ParseErrorCode::MissingField, f.has_U ? "u" : "U")};
    if (!f.b_levels || !f.a_levels) return Err{fail(ParseErrorCode::MissingField, f.b_levels ? "a" : "b")};
    if (f.U > f.u) return Err{fail(ParseErrorCode::BadValue, "U")};
    BinanceDepthUpdate d;
    d.instrument = *instrument;
    d.first_update_id = f.U;
    d.final_update_id = f.u;
    if (f.has_pu) d.prev_final_update_id = f.pu;
    d.bids = bids;
    d.asks = asks;
    d.ts_event_ns = ts_event;
    d.ts_recv_ns = ts_recv_ns;
    return BinanceMessage{d};
  }
  if (f.e == "trade" || f.e == "aggTrade") {
    TradeTick t;
    t.instrument = *instrument;
    if (f.p.empty() || f.q.empty() || !f.has_m) return Err{fail(ParseErrorCode::MissingField, f.p.empty() ? "p" : f.q.empty() ? "q" : "m")};
    if (!decimal(f.p, t.price)) return Err{fail(ParseErrorCode::BadDecimal, "p")};
    if (!decimal(f.q, t.size)) return Err{fail(ParseErrorCode::BadDecimal, "q")};
    if (!t.price.is_positive() || !t.size.is_positive()) return Err{fail(ParseErrorCode::BadValue, "p")};
    // m: the buyer is the maker, so the aggressor sold.
    t.aggressor = f.m ? Side::Sell : Side::Buy;
    const bool agg = f.e == "aggTrade";
    if (agg ? !f.has_a_id : !f.has_t) return Err{fail(ParseErrorCode::MissingField, agg ? "a" : "t")};
    if (!id_from_u64(agg ? f.a_id : f.t, t.trade_id)) return Err{fail(ParseErrorCode::BadValue, "t")};
    t.ts_event_ns = ts_event;
    t.ts_recv_ns = ts_recv_ns;
    return BinanceMessage{t};
  }
  if (f.e == "bookTicker" || spot_book_ticker) {
    QuoteTick q;
    q.instrument = *instrument;
    if (f.b.empty() || f.B.empty() || f.a.empty() || f.A.empty()) return Err{fail(ParseErrorCode::MissingField, "b")};
    if (!decimal(f.b, q.bid_price) || !decimal(f.B, q.bid_size) || !decimal(f.a, q.ask_price) || !decimal(f.A, q.ask_size))
      return Err{fail(ParseErrorCode::BadDecimal, "b")};
    if (q.bid_price.is_negative() || q.ask_price.is_negative() || q.bid_size.is_negative() || q.ask_size.is_negative())
      return Err{fail(ParseErrorCode::BadValue, "b")};
    q.ts_event_ns = ts_event;
    q.ts_recv_ns = ts_recv_ns;
    return BinanceMessage{q};
  }
  if (f.e == "kline") {
    const auto& k = f.k;
    if (!k.present) return Err{fail(ParseErrorCode::MissingField, "k")};
    if (!k.has_open || !k.has_closed || k.o.empty() || k.h.empty() || k.l.empty() || k.c.empty() || k.v.empty())
      return Err{fail(ParseErrorCode::MissingField, "k")};
    auto secs = interval_seconds(k.interval);
    if (!secs) return Err{fail(ParseErrorCode::UnsupportedInterval, "k.i")};
    Bar b;
    b.instrument = *instrument;
    b.interval_s = static_cast<std::int64_t>(*secs);
    b.ts_open_ns = k.open_ns;
    if (!decimal(k.o, b.open) || !decimal(k.h, b.high) || !decimal(k.l, b.low) || !decimal(k.c, b.close) ||
        !decimal(k.v, b.volume))
      return Err{fail(ParseErrorCode::BadDecimal, "k")};
    b.closed = k.closed;
    b.ts_recv_ns = ts_recv_ns;
    return BinanceMessage{b};
  }
  if (f.e == "markPriceUpdate") {
    if (f.p.empty()) return Err{fail(ParseErrorCode::MissingField, "p")};
    BinanceMarkPrice m;
    m.mark.instrument = *instrument;
    if (!decimal(f.p, m.mark.mark_price)) return Err{fail(ParseErrorCode::BadDecimal, "p")};
    if (!f.i.empty() && !decimal(f.i, m.mark.index_price)) return Err{fail(ParseErrorCode::BadDecimal, "i")};
    m.mark.ts_event_ns = f.E;  // T is the next funding time here, not an event time
    m.mark.ts_recv_ns = ts_recv_ns;
    if (!f.r.empty()) {
      FundingRateUpdate fr;
      fr.instrument = *instrument;
      std::int64_t raw;
      if (!parse_rate_raw_rounded(f.r, raw)) return Err{fail(ParseErrorCode::BadDecimal, "r")};
      fr.rate = Rate::from_raw(raw);
      fr.next_funding_ns = f.T;
      fr.ts_event_ns = f.E;
      fr.ts_recv_ns = ts_recv_ns;
      m.funding = fr;
    }
    return BinanceMessage{m};
  }
  return Err{fail(ParseErrorCode::UnknownMessage, "e")};
}

}  // namespace

Result<BinanceMessage, ParseError> BinanceParser::parse(std::string_view frame, const InstrumentLookup& lookup,
                                                        UnixNanos ts_recv_ns, std::size_t buffer_capacity) try {
  if (frame.empty()) return Err{fail(ParseErrorCode::Empty, "")};
  Impl& im = *impl_;
  im.bids.clear();
  im.asks.clear();
  od::document doc;
  if (!detail::reserve_for(im.parser, frame.size())) return Err{fail(ParseErrorCode::TooLarge, "")};
  if (im.parser.iterate(im.input.wrap(frame, buffer_capacity)).get(doc)) return Err{fail(ParseErrorCode::InvalidJson, "")};
  od::object obj;
  if (doc.get_object().get(obj)) return Err{fail(detail::root_error(frame), "")};
  Fields f;
  if (auto err = im.walk(obj, f, false)) return Err{*err};
  if (!detail::at_document_end(doc)) return Err{fail(ParseErrorCode::InvalidJson, "trailing")};
  return build(f, kind_, lookup, ts_recv_ns, im.bids, im.asks);
} catch (...) {
  return Err{fail(ParseErrorCode::Internal, "")};
}

Result<BinanceDepthSnapshot, ParseError> BinanceParser::parse_depth_snapshot(std::string_view body,
                                                                             const InstrumentId& instrument,
                                                                             UnixNanos ts_recv_ns) try {
  if (body.empty()) return Err{fail(ParseErrorCode::Empty, "")};
  Impl& im = *impl_;
  im.bids.clear();
  im.asks.clear();
  od::document doc;
  if (!detail::reserve_for(im.parser, body.size())) return Err{fail(ParseErrorCode::TooLarge, "")};
  if (im.parser.iterate(im.input.wrap(body, 0)).get(doc)) return Err{fail(ParseErrorCode::InvalidJson, "")};
  od::object obj;
  if (doc.get_object().get(obj)) return Err{fail(ParseErrorCode::InvalidJson, "")};
  BinanceDepthSnapshot snap;
  snap.instrument = instrument;
  snap.ts_recv_ns = ts_recv_ns;
  bool has_id = false, has_bids = false, has_asks = false;
  for (auto field_result : obj) {
    od::field field;
    if (std::move(field_result).get(field)) return Err{fail(ParseErrorCode::InvalidJson, "object")};
    std::string_view key;
    key = detail::raw_key(field);
    od::value v = field.value();
    if (key == "lastUpdateId") {
      if (!detail::read_u64(v, snap.last_update_id)) return Err{fail(ParseErrorCode::WrongType, "lastUpdateId")};
      has_id = true;
    } else if (key == "bids") {
      if (auto code = detail::read_levels(v, im.bids, nullptr, im.input.end())) return Err{fail(*code, "bids")};
      has_bids = true;
    } else if (key == "asks") {
      if (auto code = detail::read_levels(v, im.asks, nullptr, im.input.end())) return Err{fail(*code, "asks")};
      has_asks = true;
    } else if (key == "E") {
      if (!detail::read_ms_as_ns(v, snap.ts_event_ns)) return Err{fail(ParseErrorCode::WrongType, "E")};
    } else if (key == "code") {
      return Err{fail(ParseErrorCode::UnknownMessage, "code")};  // an error body ({"code":-1121,"msg":..})
    }
  }
  if (!detail::at_document_end(doc)) return Err{fail(ParseErrorCode::InvalidJson, "trailing")};
  if (!has_id) return Err{fail(ParseErrorCode::MissingField, "lastUpdateId")};
  if (!has_bids || !has_asks) return Err{fail(ParseErrorCode::MissingField, has_bids ? "asks" : "bids")};
  snap.bids = im.bids;
  snap.asks = im.asks;
  return snap;
} catch (...) {
  return Err{fail(ParseErrorCode::Internal, "")};
}

}  // namespace tradingd
