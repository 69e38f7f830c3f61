// OKX v5 public WebSocket and REST book parsers. One pass over the fields in any order; `data` elements are
// read by their shape (objects: books, quotes, trades, mark price, funding; arrays: candles) into reusable
// buffers, and `arg.channel` decides at the end what the frame was. Book levels keep their original
// strings (views into the frame) for the checksum.
#include "exchange/okx/parse.h"

#include <charconv>

#include "exchange/detail/json_read.h"

namespace tradingd {
namespace {

namespace od = simdjson::ondemand;
using detail::decimal;
using detail::fail;

struct Element {
  std::string_view inst_id, trade_id, px, sz, side, mark_px, funding_rate;
  UnixNanos ts = 0, funding_time = 0;
  bool has_ts = false, has_funding_time = false, has_books = false;
  std::int64_t checksum = 0, seq_id = 0, prev_seq_id = 0;
  bool has_seq = false, has_prev_seq = false;
};

struct Fields {
  std::string_view channel, inst_id, action, event, code, msg, id;
  bool has_data = false;
};

// "candle1m", "candle1H", "candle1Dutc" → seconds; months ("1M") have no fixed length.
std::optional<std::int64_t> candle_seconds(std::string_view channel) {
  std::string_view rest = channel.substr(6);
  if (rest.size() > 3 && rest.substr(rest.size() - 3) == "utc") rest.remove_suffix(3);
  if (rest.size() < 2) return std::nullopt;
  std::int64_t n = 0;
  auto [ptr, ec] = std::from_chars(rest.data(), rest.data() + rest.size() - 1, n);
  if (ec != std::errc() || ptr != rest.data() + rest.size() - 1 || n <= 0 || n > 1000) return std::nullopt;
  switch (rest.back()) {
    case 's': return n;
    case 'm': return n * 60;
    case 'H': return n * 3600;
    case 'D': return n * 86400;
    case 'W': return n * 7 * 86400;
    default: return std::nullopt;
  }
}

std::optional<OkxBookChannel> book_channel(std::string_view channel) {
  if (channel == "books") return OkxBookChannel::Books;
  if (channel == "books5") return OkxBookChannel::Books5;
  if (channel == "books50-l2-tbt") return OkxBookChannel::Books50L2Tbt;
  if (channel == "books-l2-tbt") return OkxBookChannel::BooksL2Tbt;
  return std::nullopt;
}

}  // namespace

MarketKind okx_market_kind(std::string_view inst_id) {
  return inst_id.size() > 5 && inst_id.substr(inst_id.size() - 5) == "-SWAP" ? MarketKind::LinearPerp : MarketKind::Spot;
}

struct OkxParser::Impl {
  od::parser parser;
  detail::PaddedBuffer input;
  std::vector<BookLevel> bids, asks;
  std::vector<BookLevelText> bid_texts, ask_texts;
  std::vector<Element> elements;
  std::vector<TradeTick> trades;
  std::vector<Bar> bars;
  // Candle rows' first seven texts (ts, o, h, l, c, vol, confirm), decoded once the channel is known.
  struct CandleRow {
    std::string_view cells[9];
    int count = 0;
  };
  std::vector<CandleRow> rows;

  Impl() {
    bids.reserve(512);
    asks.reserve(512);
    bid_texts.reserve(512);
    ask_texts.reserve(512);
    elements.reserve(16);
    trades.reserve(16);
  }

  void clear() {
    bids.clear();
    asks.clear();
    bid_texts.clear();
    ask_texts.clear();
    elements.clear();
    trades.clear();
    bars.clear();
    rows.clear();
  }

  std::optional<ParseError> walk_element(od::object obj, Element& e) {
    for (auto fr : obj) {
      od::field field;
      if (std::move(fr).get(field)) return fail(ParseErrorCode::InvalidJson, "data");
      std::string_view key;
      key = detail::raw_key(field);
      od::value v = field.value();
      if (key == "bids" || key == "asks") {
        const bool bid = key == "bids";
        if (auto code = detail::read_levels(v, bid ? bids : asks, bid ? &bid_texts : &ask_texts, input.end()))
          return fail(*code, bid ? "bids" : "asks");
        e.has_books = true;
        continue;
      }
      bool ok = true;
      if (key == "ts") ok = detail::read_ms_as_ns(v, e.ts), e.has_ts = ok;
      else if (key == "checksum") ok = detail::read_i64(v, e.checksum);
      else if (key == "seqId") ok = detail::read_i64(v, e.seq_id), e.has_seq = ok;
      else if (key == "prevSeqId") ok = detail::read_i64(v, e.prev_seq_id), e.has_prev_seq = ok;
      else if (key == "instId") ok = detail::read_string(v, e.inst_id);
      else if (key == "tradeId") ok = detail::read_string(v, e.trade_id);
      else if (key == "px") ok = detail::scalar_text(v, e.px);
      else if (key == "sz") ok = detail::scalar_text(v, e.sz);
      else if (key == "side") ok = detail::read_string(v, e.side);
      else if (key == "markPx") ok = detail::scalar_text(v, e.mark_px);
      else if (key == "fundingRate") ok = detail::scalar_text(v, e.funding_rate);
      else if (key == "fundingTime") ok = detail::read_ms_as_ns(v, e.funding_time), e.has_funding_time = ok;
      if (!ok) return fail(ParseErrorCode::WrongType, "data");
    }
    return std::nullopt;
  }

  std::optional<ParseError> walk_data(od::value v) {
    od::array arr;
    if (v.get_array().get(arr)) return fail(ParseErrorCode::WrongType, "data");
    for (auto item_result : arr) {
      od::value item;
      if (std::move(item_result).get(item)) return fail(ParseErrorCode::InvalidJson, "data");
      od::json_type type;
      if (item.type().get(type)) return fail(ParseErrorCode::InvalidJson, "data");
      if (elements.size() + rows.size() >= detail::kMaxLevelsPerSide) return fail(ParseErrorCode::TooLarge, "data");
      if (type == od::json_type::array) {
        od::array row;
        if (item.get_array().get(row)) return fail(ParseErrorCode::InvalidJson, "data");
        CandleRow& r = rows.emplace_back();
        for (auto cell_result : row) {
          od::value cell;
          if (std::move(cell_result).get(cell)) return fail(ParseErrorCode::InvalidJson, "data");
          std::string_view text;
          if (!detail::scalar_text(cell, text)) return fail(ParseErrorCode::WrongType, "data");
          if (r.count < 9) r.cells[r.count] = text;
          ++r.count;
        }
      } else if (type == od::json_type::object) {
        od::object obj;
        if (item.get_object().get(obj)) return fail(ParseErrorCode::InvalidJson, "data");
        elements.emplace_back();
        if (auto err = walk_element(obj, elements.back())) return err;
      } else {
        return fail(ParseErrorCode::WrongType, "data");
      }
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
      if (key == "data") {
        f.has_data = true;
        if (auto err = walk_data(v)) return err;
        continue;
      }
      if (key == "arg") {
        od::object arg;
        if (v.get_object().get(arg)) return fail(ParseErrorCode::WrongType, "arg");
        for (auto af : arg) {
          od::field afield;
          if (std::move(af).get(afield)) return fail(ParseErrorCode::InvalidJson, "arg");
          std::string_view akey;
          akey = detail::raw_key(afield);
          bool ok = true;
          if (akey == "channel") ok = detail::read_string(afield.value(), f.channel);
          else if (akey == "instId") ok = detail::read_string(afield.value(), f.inst_id);
          if (!ok) return fail(ParseErrorCode::WrongType, "arg");
        }
        continue;
      }
      bool ok = true;
      if (key == "action") ok = detail::read_string(v, f.action);
      else if (key == "event") ok = detail::read_string(v, f.event);
      else if (key == "code") ok = detail::scalar_text(v, f.code);
      else if (key == "msg") ok = detail::read_string(v, f.msg);
      else if (key == "id") ok = detail::scalar_text(v, f.id);
      if (!ok) return fail(ParseErrorCode::WrongType, "field");
    }
    return std::nullopt;
  }

  Result<OkxMessage, ParseError> build(const Fields& f, const InstrumentLookup& lookup, UnixNanos ts_recv_ns);
  Result<OkxBook, ParseError> build_book(const Element& e, OkxBookChannel channel, bool snapshot,
                                         const InstrumentId& instrument, UnixNanos ts_recv_ns);
};

Result<OkxBook, ParseError> OkxParser::Impl::build_book(const Element& e, OkxBookChannel channel, bool snapshot,
                                                        const InstrumentId& instrument, UnixNanos ts_recv_ns) {
  if (!e.has_books) return Err{fail(ParseErrorCode::MissingField, "bids")};
  if (e.checksum < INT32_MIN || e.checksum > INT32_MAX) return Err{fail(ParseErrorCode::BadValue, "checksum")};
  OkxBook b;
  b.instrument = instrument;
  b.channel = channel;
  b.is_snapshot = snapshot;
  if (e.has_seq) b.seq_id = e.seq_id;
  if (e.has_prev_seq) b.prev_seq_id = e.prev_seq_id;
  b.checksum = static_cast<std::int32_t>(e.checksum);
  b.bids = bids;
  b.asks = asks;
  b.bid_texts = bid_texts;
  b.ask_texts = ask_texts;
  b.ts_event_ns = e.ts;
  b.ts_recv_ns = ts_recv_ns;
  return b;
}

Result<OkxMessage, ParseError> OkxParser::Impl::build(const Fields& f, const InstrumentLookup& lookup,
                                                      UnixNanos ts_recv_ns) {
  if (!f.event.empty()) {
    ControlMessage c;
    c.request_id = truncated<47>(f.id);
    c.code = truncated<15>(f.code);
    c.message = truncated<95>(f.msg);
    if (f.event == "subscribe" || f.event == "unsubscribe") {
      c.kind = ControlKind::SubscribeAck;
    } else if (f.event == "error" || f.event == "channel-conn-count-error") {
      c.kind = ControlKind::SubscribeError;
      c.success = false;
    } else if (f.event == "login") {
      c.kind = ControlKind::LoginAck;
      c.success = f.code == "0";
    } else if (f.event == "notice" || f.event == "channel-conn-count") {
      c.kind = ControlKind::Notice;
    } else {
      return Err{fail(ParseErrorCode::UnknownMessage, "event")};
    }
    return OkxMessage{c};
  }
  if (f.channel.empty() || !f.has_data) return Err{fail(ParseErrorCode::UnknownMessage, "arg")};

  auto resolve = [&](std::string_view inst_id) {
    return lookup.resolve(okx_market_kind(inst_id), inst_id);
  };

  if (auto channel = book_channel(f.channel)) {
    if (elements.size() != 1) return Err{fail(elements.empty() ? ParseErrorCode::MissingField : ParseErrorCode::TooLarge, "data")};
    const bool snapshot = *channel == OkxBookChannel::Books5 || f.action == "snapshot";
    if (*channel != OkxBookChannel::Books5 && f.action != "snapshot" && f.action != "update")
      return Err{fail(ParseErrorCode::BadValue, "action")};
    auto instrument = resolve(f.inst_id);
    if (!instrument) return Err{fail(ParseErrorCode::UnknownInstrument, "instId")};
    auto book = build_book(elements.front(), *channel, snapshot, *instrument, ts_recv_ns);
    if (!book) return Err{book.error()};
    return OkxMessage{*book};
  }
  if (f.channel == "bbo-tbt") {
    if (elements.size() != 1) return Err{fail(ParseErrorCode::MissingField, "data")};
    auto instrument = resolve(f.inst_id);
    if (!instrument) return Err{fail(ParseErrorCode::UnknownInstrument, "instId")};
    if (bids.size() != 1 || asks.size() != 1) return Err{fail(ParseErrorCode::BadValue, "bids")};
    QuoteTick q;
    q.instrument = *instrument;
    q.bid_price = bids[0].price;
    q.bid_size = bids[0].size;
    q.ask_price = asks[0].price;
    q.ask_size = asks[0].size;
    q.ts_event_ns = elements.front().ts;
    q.ts_recv_ns = ts_recv_ns;
    return OkxMessage{q};
  }
  if (f.channel == "trades" || f.channel == "trades-all") {
    for (const Element& e : elements) {
      auto instrument = resolve(e.inst_id.empty() ? f.inst_id : e.inst_id);
      if (!instrument) return Err{fail(ParseErrorCode::UnknownInstrument, "instId")};
      TradeTick t;
      t.instrument = *instrument;
      if (e.px.empty() || e.sz.empty() || !e.has_ts) return Err{fail(ParseErrorCode::MissingField, "data")};
      if (!decimal(e.px, t.price) || !decimal(e.sz, t.size)) return Err{fail(ParseErrorCode::BadDecimal, "data")};
      if (!t.price.is_positive() || !t.size.is_positive()) return Err{fail(ParseErrorCode::BadValue, "data")};
      if (e.side == "buy") t.aggressor = Side::Buy;
      else if (e.side == "sell") t.aggressor = Side::Sell;
      else return Err{fail(ParseErrorCode::BadValue, "side")};
      auto id = make_inline<TradeId>(e.trade_id);
      if (!id || e.trade_id.empty()) return Err{fail(ParseErrorCode::BadValue, "tradeId")};
      t.trade_id = *id;
      t.ts_event_ns = e.ts;
      t.ts_recv_ns = ts_recv_ns;
      trades.push_back(t);
    }
    return OkxMessage{OkxTrades{trades}};
  }
  if (f.channel.substr(0, 6) == "candle") {
    auto secs = candle_seconds(f.channel);
    if (!secs) return Err{fail(ParseErrorCode::UnsupportedInterval, "channel")};
    auto instrument = resolve(f.inst_id);
    if (!instrument) return Err{fail(ParseErrorCode::UnknownInstrument, "instId")};
    if (!elements.empty()) return Err{fail(ParseErrorCode::WrongType, "data")};
    for (const CandleRow& r : rows) {
      // [ts, o, h, l, c, vol, volCcy, volCcyQuote, confirm]
      if (r.count < 9) return Err{fail(ParseErrorCode::MissingField, "data")};
      Bar b;
      b.instrument = *instrument;
      b.interval_s = *secs;
      std::uint64_t ms = 0;
      auto [ptr, ec] = std::from_chars(r.cells[0].data(), r.cells[0].data() + r.cells[0].size(), ms);
      if (ec != std::errc() || ptr != r.cells[0].data() + r.cells[0].size() ||
          ms > static_cast<std::uint64_t>(INT64_MAX / kNanosPerMilli))
        return Err{fail(ParseErrorCode::BadValue, "ts")};
      b.ts_open_ns = static_cast<UnixNanos>(ms) * kNanosPerMilli;
      if (!decimal(r.cells[1], b.open) || !decimal(r.cells[2], b.high) || !decimal(r.cells[3], b.low) ||
          !decimal(r.cells[4], b.close) || !decimal(r.cells[5], b.volume))
        return Err{fail(ParseErrorCode::BadDecimal, "data")};
      if (r.cells[8] != "0" && r.cells[8] != "1") return Err{fail(ParseErrorCode::BadValue, "confirm")};
      b.closed = r.cells[8] == "1";
      b.ts_recv_ns = ts_recv_ns;
      bars.push_back(b);
    }
    return OkxMessage{OkxCandles{bars}};
  }
  if (f.channel == "mark-price" || f.channel == "funding-rate") {
    if (elements.size() != 1) return Err{fail(ParseErrorCode::MissingField, "data")};
    const Element& e = elements.front();
    auto instrument = resolve(e.inst_id.empty() ? f.inst_id : e.inst_id);
    if (!instrument) return Err{fail(ParseErrorCode::UnknownInstrument, "instId")};
    if (f.channel == "mark-price") {
      MarkPriceUpdate m;
      m.instrument = *instrument;
      if (e.mark_px.empty()) return Err{fail(ParseErrorCode::MissingField, "markPx")};
      if (!decimal(e.mark_px, m.mark_price)) return Err{fail(ParseErrorCode::BadDecimal, "markPx")};
      m.ts_event_ns = e.ts;
      m.ts_recv_ns = ts_recv_ns;
      return OkxMessage{m};
    }
    FundingRateUpdate fr;
    fr.instrument = *instrument;
    std::int64_t raw;
    if (e.funding_rate.empty() || !e.has_funding_time) return Err{fail(ParseErrorCode::MissingField, "fundingRate")};
    if (!parse_rate_raw_rounded(e.funding_rate, raw)) return Err{fail(ParseErrorCode::BadDecimal, "fundingRate")};
    fr.rate = Rate::from_raw(raw);
    fr.next_funding_ns = e.funding_time;
    fr.ts_event_ns = e.ts;
    fr.ts_recv_ns = ts_recv_ns;
    return OkxMessage{fr};
  }
  return Err{fail(ParseErrorCode::UnknownMessage, "channel")};
}

OkxParser::OkxParser() : impl_(std::make_unique<Impl>()) {}
OkxParser::~OkxParser() = default;

Result<OkxMessage, ParseError> OkxParser::parse(std::string_view frame, const InstrumentLookup& lookup,
                                                UnixNanos ts_recv_ns, std::size_t buffer_capacity) try {
  if (frame.empty()) return Err{fail(ParseErrorCode::Empty, "")};
  if (frame == "pong") {  // the heartbeat reply is plain text, not JSON
    ControlMessage c;
    c.kind = ControlKind::Pong;
    return OkxMessage{c};
  }
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
  return im.build(f, lookup, ts_recv_ns);
} catch (...) {
  return Err{fail(ParseErrorCode::Internal, "")};
}

Result<OkxBook, ParseError> OkxParser::parse_books_snapshot(std::string_view body, const InstrumentId& instrument,
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
  if (auto err = im.walk(root, f)) return Err{*err};
  if (!detail::at_document_end(doc)) return Err{fail(ParseErrorCode::InvalidJson, "trailing")};
  if (f.code != "0") return Err{fail(ParseErrorCode::UnknownMessage, "code")};
  if (im.elements.size() != 1) return Err{fail(ParseErrorCode::MissingField, "data")};
  return im.build_book(im.elements.front(), OkxBookChannel::Books, true, instrument, ts_recv_ns);
} catch (...) {
  return Err{fail(ParseErrorCode::Internal, "")};
}

}  // namespace tradingd
