// Binance market streams: raw (/ws/<stream>) and combined (/stream?streams=a/b, {"stream","data"}) frames,
// SUBSCRIBE/UNSUBSCRIBE/LIST_SUBSCRIPTIONS/SET_PROPERTY/GET_PROPERTY with {"result":...,"id":N} replies.
// Invariant: depth events carry U = previous u + 1 (spot) and pu = previous u (USD-M), consistent with the
// REST snapshot's lastUpdateId, because both read the same MarketSim update id. USD-M routed paths serve
// only their own streams (/public: depth, bookTicker, trade; /market: aggTrade, kline, markPrice, trade):
// a stream on the wrong path is acknowledged but silent, as on the real venue.
#include <algorithm>
#include <cctype>

#include <boost/json.hpp>

#include "exchange/emulator/binance/service.h"
#include "exchange/emulator/binance/private.h"

namespace tradingd::emulator::binance {
namespace json = boost::json;
namespace {

enum class Path : std::uint8_t { Spot, FuturesLegacy, FuturesPublic, FuturesMarket, FuturesPrivate };
enum class StreamType : std::uint8_t { Depth, PartialDepth, Trade, AggTrade, BookTicker, Kline, MarkPrice };

struct Sub {
  std::string name;
  StreamType type = StreamType::Depth;
  int market = -1;
  int levels = 0;                 // partial depth: 5, 10, 20
  std::int64_t period_ms = 1000;  // markPrice: 1000 or 3000
  std::int64_t last_emit_ms = 0;
  std::optional<BookLevel> last_bid, last_ask;  // bookTicker: last sent top of book
};

class BinanceWs final : public WsProtocol {
 public:
  BinanceWs(const VenueMarkets& markets, const ServiceOptions& opts, Path path, bool combined)
      : markets_(markets), opts_(opts), path_(path), combined_(combined) {}

  void add_from_path(std::string_view list) {
    while (!list.empty()) {
      const auto slash = list.find('/');
      add(list.substr(0, slash));
      if (slash == std::string_view::npos) break;
      list.remove_prefix(slash + 1);
    }
  }

  void on_text(std::string_view text, std::int64_t, std::vector<std::string>& out) override {
    boost::system::error_code ec;
    const json::value v = json::parse(text, ec);
    if (ec || !v.is_object()) {
      out.push_back(R"({"error":{"code":3,"msg":"Invalid JSON: expected value at line 1 column 1"},"id":null})");
      return;
    }
    const auto& o = v.get_object();
    json::value id = nullptr;
    if (const auto* i = o.if_contains("id")) id = *i;
    if (!id.is_int64() && !id.is_uint64() && !id.is_string() && !id.is_null()) {
      out.push_back(error_reply(2, "Invalid request: request ID must be an unsigned integer", nullptr));
      return;
    }
    const auto* method = o.if_contains("method");
    const json::array empty;
    const auto* params_v = o.if_contains("params");
    const json::array& params = params_v && params_v->is_array() ? params_v->get_array() : empty;
    if (!method || !method->is_string()) {
      out.push_back(error_reply(2, "Invalid request: method must be a string", id));
      return;
    }
    const std::string_view m = method->get_string();
    if (m == "SUBSCRIBE" || m == "UNSUBSCRIBE") {
      for (const auto& p : params) {
        if (!p.is_string()) {
          out.push_back(error_reply(2, "Invalid request: stream names must be strings", id));
          return;
        }
      }
      for (const auto& p : params) {
        if (m == "SUBSCRIBE") add(p.get_string());
        else std::erase_if(subs_, [&](const Sub& s) { return s.name == p.get_string(); });
      }
      out.push_back(json::serialize(json::object{{"result", nullptr}, {"id", id}}));
    } else if (m == "LIST_SUBSCRIPTIONS") {
      json::array names;
      for (const auto& s : subs_) names.push_back(json::string(s.name));
      out.push_back(json::serialize(json::object{{"result", std::move(names)}, {"id", id}}));
    } else if (m == "SET_PROPERTY") {
      if (params.size() != 2 || !params[0].is_string() || params[0].get_string() != "combined") {
        out.push_back(error_reply(0, "Unknown property", id));
      } else if (!params[1].is_bool()) {
        out.push_back(error_reply(1, "Invalid value type: expected Boolean", id));
      } else {
        combined_ = params[1].get_bool();
        out.push_back(json::serialize(json::object{{"result", nullptr}, {"id", id}}));
      }
    } else if (m == "GET_PROPERTY") {
      if (params.size() != 1 || !params[0].is_string() || params[0].get_string() != "combined")
        out.push_back(error_reply(0, "Unknown property", id));
      else
        out.push_back(json::serialize(json::object{{"result", combined_}, {"id", id}}));
    } else {
      out.push_back(error_reply(2, "Invalid request: unknown method", id));
    }
  }

  void on_tick(const VenueTick& tick, std::vector<std::string>& out) override {
    for (auto& s : subs_) {
      if (!serves(s.type)) continue;  // wrong routed path: acknowledged but silent
      const MarketSim& m = markets_.all()[static_cast<std::size_t>(s.market)];
      const TickEvents& ev = tick.events[static_cast<std::size_t>(s.market)];
      const auto& spec = m.spec();
      const bool fut = spec.is_perp();
      switch (s.type) {
        case StreamType::Depth: {
          if (!ev.book_changed() || tick.suppress_book) break;
          json::object d;
          d["e"] = "depthUpdate";
          d["E"] = tick.ts_ms;
          if (fut) d["T"] = ev.ts_ms;
          d["s"] = spec.symbol;
          d["U"] = ev.first_update_id;
          d["u"] = ev.last_update_id;
          if (fut) d["pu"] = ev.prev_update_id;
          json::array b, a;
          for (const auto& c : ev.changes)
            (c.is_bid ? b : a).push_back(json::array{json::string(px(spec, c.price)), json::string(qty(spec, c.qty))});
          d["b"] = std::move(b);
          d["a"] = std::move(a);
          emit(s, d, out);
          break;
        }
        case StreamType::PartialDepth: {
          if (!ev.book_changed() || tick.suppress_book) break;
          auto lv = [&](const std::vector<BookLevel>& ls) {
            json::array arr;
            for (const auto& l : ls) arr.push_back(json::array{json::string(px(spec, l.price)), json::string(qty(spec, l.qty))});
            return arr;
          };
          json::object d;
          const auto n = static_cast<std::size_t>(s.levels);
          if (fut) {
            d["e"] = "depthUpdate";
            d["E"] = tick.ts_ms;
            d["T"] = ev.ts_ms;
            d["s"] = spec.symbol;
            d["U"] = ev.first_update_id;
            d["u"] = ev.last_update_id;
            d["pu"] = ev.prev_update_id;
            d["b"] = lv(m.bids(n));
            d["a"] = lv(m.asks(n));
          } else {
            d["lastUpdateId"] = ev.last_update_id;
            d["bids"] = lv(m.bids(n));
            d["asks"] = lv(m.asks(n));
          }
          emit(s, d, out);
          break;
        }
        case StreamType::Trade:
        case StreamType::AggTrade:
          for (const auto& t : ev.trades) {
            json::object d;
            const bool agg = s.type == StreamType::AggTrade;
            d["e"] = agg ? "aggTrade" : "trade";
            d["E"] = tick.ts_ms;
            d["s"] = spec.symbol;
            d[agg ? "a" : "t"] = t.id;
            d["p"] = px(spec, t.price);
            d["q"] = qty(spec, t.qty);
            if (agg && fut) d["nq"] = qty(spec, t.qty);
            if (agg) {
              d["f"] = t.id;
              d["l"] = t.id;
            }
            d["T"] = t.ts_ms;
            d["m"] = !t.taker_is_buy;
            if (!fut) d["M"] = true;
            emit(s, d, out);
          }
          break;
        case StreamType::BookTicker: {
          const auto bb = m.best_bid(), ba = m.best_ask();
          if (bb == s.last_bid && ba == s.last_ask) break;
          s.last_bid = bb;
          s.last_ask = ba;
          json::object d;
          if (fut) d["e"] = "bookTicker";
          d["u"] = m.update_id();
          if (fut) {
            d["E"] = tick.ts_ms;
            d["T"] = ev.ts_ms;
          }
          d["s"] = spec.symbol;
          d["b"] = bb ? px(spec, bb->price) : "0";
          d["B"] = bb ? qty(spec, bb->qty) : "0";
          d["a"] = ba ? px(spec, ba->price) : "0";
          d["A"] = ba ? qty(spec, ba->qty) : "0";
          emit(s, d, out);
          break;
        }
        case StreamType::Kline: {
          for (const auto& k : ev.closed_klines) emit(s, kline(spec, k, true, tick.ts_ms), out);
          // The bar in progress, about once a second (the venue pushes every 1-2 s).
          if (tick.ts_ms / 1000 != s.last_emit_ms / 1000) {
            s.last_emit_ms = tick.ts_ms;
            emit(s, kline(spec, m.current_kline(), false, tick.ts_ms), out);
          }
          break;
        }
        case StreamType::MarkPrice: {
          if (tick.ts_ms / s.period_ms == s.last_emit_ms / s.period_ms) break;
          s.last_emit_ms = tick.ts_ms;
          json::object d;
          d["e"] = "markPriceUpdate";
          d["E"] = tick.ts_ms;
          d["s"] = spec.symbol;
          d["p"] = fmt(m.mark_price(), 8);
          d["i"] = fmt(m.index_price(), 8);
          d["P"] = fmt(m.index_price(), 8);
          d["r"] = fmt(m.funding_rate(), 8);
          d["T"] = m.next_funding_ms();
          emit(s, d, out);
          break;
        }
      }
    }
  }

  HeartbeatPolicy heartbeat() const override {
    return {opts_.binance_ping_interval_ms, opts_.binance_pong_timeout_ms, 0, 1000};
  }
  bool is_private() const override { return path_ == Path::FuturesPrivate; }

 private:
  static std::string error_reply(int code, std::string_view msg, const json::value& id) {
    return json::serialize(json::object{{"error", json::object{{"code", code}, {"msg", msg}}}, {"id", id}});
  }

  static json::object kline(const InstrumentSpec& spec, const Kline& k, bool closed, std::int64_t now_ms) {
    json::object b;
    b["t"] = k.open_ms;
    b["T"] = k.close_ms();
    b["s"] = spec.symbol;
    b["i"] = "1m";
    b["f"] = k.first_trade_id;
    b["L"] = k.last_trade_id;
    b["o"] = px(spec, k.open);
    b["c"] = px(spec, k.close);
    b["h"] = px(spec, k.high);
    b["l"] = px(spec, k.low);
    b["v"] = qty(spec, k.volume);
    b["n"] = k.trade_count;
    b["x"] = closed;
    b["q"] = fmt(k.quote_volume, 8);
    b["V"] = qty(spec, k.taker_buy_volume);
    b["Q"] = fmt(k.taker_buy_quote_volume, 8);
    b["B"] = "0";
    return json::object{{"e", "kline"}, {"E", now_ms}, {"s", spec.symbol}, {"k", std::move(b)}};
  }

  bool serves(StreamType t) const {
    switch (path_) {
      case Path::Spot: return t != StreamType::MarkPrice;
      case Path::FuturesLegacy: return true;
      case Path::FuturesPublic:
        return t == StreamType::Depth || t == StreamType::PartialDepth || t == StreamType::BookTicker ||
               t == StreamType::Trade;
      case Path::FuturesMarket:
        return t == StreamType::AggTrade || t == StreamType::Kline || t == StreamType::MarkPrice ||
               t == StreamType::Trade;
      case Path::FuturesPrivate: return false;
    }
    return false;
  }

  void emit(const Sub& s, json::object data, std::vector<std::string>& out) const {
    if (combined_) out.push_back(json::serialize(json::object{{"stream", s.name}, {"data", std::move(data)}}));
    else out.push_back(json::serialize(data));
  }

  // Unknown names are accepted and stay silent, like the venue (ccxt connects to /ws/<counter>).
  void add(std::string_view name) {
    if (name.empty() || std::any_of(subs_.begin(), subs_.end(), [&](const Sub& s) { return s.name == name; })) return;
    const auto at = name.find('@');
    if (at == std::string_view::npos) return;
    std::string symbol(name.substr(0, at));
    for (auto& c : symbol) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    const std::string_view rest = name.substr(at + 1);
    Sub s;
    s.name = std::string(name);
    const MarketKind kind = path_ == Path::Spot ? MarketKind::Spot : MarketKind::LinearPerp;
    s.market = markets_.index_of(kind, symbol);
    if (s.market < 0) return;
    if (rest == "depth" || rest == "depth@100ms" || rest == "depth@250ms" || rest == "depth@500ms" ||
        rest == "depth@1000ms") {
      s.type = StreamType::Depth;
    } else if (rest.starts_with("depth5") || rest.starts_with("depth10") || rest.starts_with("depth20")) {
      s.type = StreamType::PartialDepth;
      s.levels = rest.starts_with("depth5") ? 5 : rest.starts_with("depth10") ? 10 : 20;
    } else if (rest == "trade") {
      s.type = StreamType::Trade;
    } else if (rest == "aggTrade") {
      s.type = StreamType::AggTrade;
    } else if (rest == "bookTicker") {
      s.type = StreamType::BookTicker;
    } else if (rest == "kline_1m") {
      s.type = StreamType::Kline;
    } else if ((rest == "markPrice" || rest == "markPrice@1s") && kind == MarketKind::LinearPerp) {
      s.type = StreamType::MarkPrice;
      s.period_ms = rest == "markPrice" ? 3000 : 1000;
    } else {
      return;
    }
    subs_.push_back(std::move(s));
  }

  const VenueMarkets& markets_;
  const ServiceOptions& opts_;
  Path path_;
  bool combined_;
  std::vector<Sub> subs_;
};

}  // namespace

std::unique_ptr<WsProtocol> BinanceService::open_ws(std::string_view target) {
  auto q = parse_target(target);
  if (!q) return nullptr;
  // Private paths are the trading side's alone: an unknown listen key is refused, not served as public.
  if (q->path.starts_with("/private") || q->path.starts_with("/ws-api/")) return private_->open_ws(q->path, *q);
  if (auto p = private_->open_ws(q->path, *q)) return p;  // legacy /ws/<listenKey>
  std::string_view path = q->path;
  Path kind = Path::Spot;
  // Host-named prefixes stand in for the venue's separate stream hosts on this one port; some clients
  // (ccxt's isSpotUrl) tell spot from futures connections by the host name.
  if (path.starts_with("/stream.binance.com/")) {
    path.remove_prefix(19);
  } else if (path.starts_with("/stream-spot/")) {  // the same, without naming a real host (tests use this)
    path.remove_prefix(12);
  } else if (path.starts_with("/fstream.binance.com/")) {
    kind = Path::FuturesLegacy;
    path.remove_prefix(20);
  } else if (path.starts_with("/fstream/")) {
    kind = Path::FuturesLegacy;
    path.remove_prefix(8);
  } else if (path.starts_with("/public/") || path == "/public") {
    kind = Path::FuturesPublic;
    path.remove_prefix(7);
  } else if (path.starts_with("/market/") || path == "/market") {
    kind = Path::FuturesMarket;
    path.remove_prefix(7);
  } else if (path.starts_with("/private/") || path == "/private") {
    kind = Path::FuturesPrivate;
    path.remove_prefix(8);
  }
  // Routed paths also accept the bare form (/public?streams=... is not documented; /public/ws is).
  if (path.empty() || path == "/") path = "/ws";
  std::unique_ptr<BinanceWs> ws;
  if (path == "/ws" || path.starts_with("/ws/")) {
    ws = std::make_unique<BinanceWs>(markets_, opts_, kind, false);
    if (path.size() > 4) ws->add_from_path(path.substr(4));
  } else if (path == "/stream") {
    ws = std::make_unique<BinanceWs>(markets_, opts_, kind, true);
    if (auto streams = q->get("streams")) ws->add_from_path(*streams);
  } else {
    return nullptr;
  }
  return ws;
}

}  // namespace tradingd::emulator::binance
