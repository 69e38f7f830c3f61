// Bybit v5 public WebSocket (/v5/public/spot, /v5/public/linear); /v5/private is private_ws.cpp. Subscribe acks, orderbook.N snapshot-then-delta with `u`
// (+1 per delta of that depth) and `seq`, publicTrade, tickers (linear: snapshot then field deltas),
// kline.1, and {"op":"ping"} -> pong in the spot or linear shape.
#include <algorithm>
#include <map>

#include <boost/json.hpp>

#include "exchange/emulator/bybit/private.h"

namespace tradingd::emulator::bybit {
namespace json = boost::json;
namespace {

enum class Path : std::uint8_t { Spot, Linear, Private };
enum class TopicType : std::uint8_t { Book, Trade, Ticker, Kline };

struct Topic {
  std::string name;
  TopicType type = TopicType::Book;
  std::size_t market = 0;
  std::size_t depth_index = 0;
  std::int64_t last_emit_ms = 0;
  std::map<std::string, std::string, std::less<>> last_ticker;  // linear tickers: fields last sent
};

class BybitWs final : public WsProtocol {
 public:
  BybitWs(BybitService& svc, Path path) : svc_(svc), path_(path), conn_id_(make_conn_id(svc.next_conn_id())) {}

  void on_text(std::string_view text, std::int64_t now_ms, std::vector<std::string>& out) override {
    boost::system::error_code ec;
    const json::value v = json::parse(text, ec);
    const json::object* o = (!ec && v.is_object()) ? &v.get_object() : nullptr;
    const json::value* op = o ? o->if_contains("op") : nullptr;
    if (!op || !op->is_string()) {
      out.push_back(json::serialize(json::object{
          {"success", false}, {"ret_msg", "error:invalid op"}, {"conn_id", conn_id_}, {"op", ""}}));
      return;
    }
    const json::value* req_id = o->if_contains("req_id");
    const std::string_view name = op->get_string();
    if (name == "ping") {
      if (svc_.faults().ignoring_pings(now_ms)) return;
      json::object r;
      r["success"] = true;
      r["ret_msg"] = "pong";
      r["conn_id"] = conn_id_;
      if (req_id) r["req_id"] = *req_id;
      r["op"] = "ping";
      out.push_back(json::serialize(r));
      return;
    }
    if (name != "subscribe" && name != "unsubscribe") {
      reply(false, path_ == Path::Private ? "the emulator's private stream is not implemented yet"
                                          : "error:invalid op " + std::string(name),
            req_id, name, out);
      return;
    }
    const json::value* args = o->if_contains("args");
    if (!args || !args->is_array()) {
      reply(false, "error:args must be an array", req_id, name, out);
      return;
    }
    if (path_ == Path::Spot && args->get_array().size() > 10) {
      reply(false, "args size >10", req_id, name, out);
      return;
    }
    std::vector<Topic> parsed;
    for (const auto& a : args->get_array()) {
      auto t = a.is_string() ? parse_topic(a.get_string()) : std::nullopt;
      if (!t) {
        reply(false, "Invalid topic: " + (a.is_string() ? std::string(a.get_string()) : json::serialize(a)), req_id,
              name, out);
        return;
      }
      parsed.push_back(std::move(*t));
    }
    if (name == "unsubscribe") {
      for (const auto& t : parsed) std::erase_if(topics_, [&](const Topic& x) { return x.name == t.name; });
      reply(true, path_ == Path::Spot ? "unsubscribe" : "", req_id, name, out);
      return;
    }
    reply(true, path_ == Path::Spot ? "subscribe" : "", req_id, name, out);
    for (auto& t : parsed) {
      if (std::any_of(topics_.begin(), topics_.end(), [&](const Topic& x) { return x.name == t.name; })) continue;
      if (t.type == TopicType::Book && !replay_mode_) out.push_back(book_message(t, "snapshot", now_ms, nullptr));
      if (t.type == TopicType::Ticker && !replay_mode_) out.push_back(ticker_message(t, now_ms, true));
      topics_.push_back(std::move(t));
    }
  }

  void on_tick(const VenueTick& tick, std::vector<std::string>& out) override {
    for (auto& t : topics_) {
      const MarketSim& m = svc_.markets().all()[t.market];
      const TickEvents& ev = tick.events[t.market];
      const auto& s = m.spec();
      switch (t.type) {
        case TopicType::Book: {
          const auto& changes = svc_.view_changes(t.market, t.depth_index);
          if (changes.empty() || tick.suppress_book) break;
          // Depth 1 is snapshot-only on the venue.
          out.push_back(t.depth_index == 0 ? book_message(t, "snapshot", tick.ts_ms, nullptr)
                                           : book_message(t, "delta", tick.ts_ms, &changes));
          break;
        }
        case TopicType::Trade: {
          if (ev.trades.empty()) break;
          json::array data;
          for (const auto& tr : ev.trades) {
            json::object d;
            d["T"] = tr.ts_ms;
            d["s"] = s.symbol;
            d["S"] = tr.taker_is_buy ? "Buy" : "Sell";
            d["v"] = qty(s, tr.qty);
            d["p"] = px(s, tr.price);
            if (s.is_perp()) d["L"] = tr.taker_is_buy ? "PlusTick" : "MinusTick";
            d["i"] = trade_id(s, tr.id);
            d["BT"] = false;
            data.push_back(std::move(d));
          }
          out.push_back(json::serialize(json::object{
              {"topic", t.name}, {"type", "snapshot"}, {"ts", tick.ts_ms}, {"data", std::move(data)}}));
          break;
        }
        case TopicType::Ticker: {
          if (!ev.book_changed() && ev.trades.empty()) break;
          auto msg = ticker_message(t, tick.ts_ms, false);
          if (!msg.empty()) out.push_back(std::move(msg));
          break;
        }
        case TopicType::Kline: {
          for (const auto& k : ev.closed_klines) out.push_back(kline_message(t, s, k, true, tick.ts_ms));
          if (tick.ts_ms / 1000 != t.last_emit_ms / 1000) {
            t.last_emit_ms = tick.ts_ms;
            out.push_back(kline_message(t, s, m.current_kline(), false, tick.ts_ms));
          }
          break;
        }
      }
    }
  }

  HeartbeatPolicy heartbeat() const override { return {}; }
  bool is_private() const override { return path_ == Path::Private; }

 private:
  static std::string make_conn_id(std::int64_t n) {
    return "emu" + std::to_string(1000 + n) + "-cejreaspqfm9se7usbrg";
  }

  void reply(bool ok, std::string_view msg, const json::value* req_id, std::string_view op,
             std::vector<std::string>& out) const {
    json::object r;
    r["success"] = ok;
    r["ret_msg"] = msg;
    r["conn_id"] = conn_id_;
    if (req_id) r["req_id"] = *req_id;
    r["op"] = op;
    out.push_back(json::serialize(r));
  }

  std::optional<Topic> parse_topic(std::string_view name) const {
    if (path_ == Path::Private) return std::nullopt;
    const MarketKind kind = path_ == Path::Spot ? MarketKind::Spot : MarketKind::LinearPerp;
    Topic t;
    t.name = std::string(name);
    std::string_view symbol;
    if (name.starts_with("orderbook.")) {
      const auto rest = name.substr(10);
      const auto dot = rest.find('.');
      if (dot == std::string_view::npos) return std::nullopt;
      const auto depth = parse_int(rest.substr(0, dot));
      const auto it = depth ? std::find(kDepths.begin(), kDepths.end(), static_cast<std::size_t>(*depth)) : kDepths.end();
      if (it == kDepths.end()) return std::nullopt;
      t.type = TopicType::Book;
      t.depth_index = static_cast<std::size_t>(it - kDepths.begin());
      symbol = rest.substr(dot + 1);
    } else if (name.starts_with("publicTrade.")) {
      t.type = TopicType::Trade;
      symbol = name.substr(12);
    } else if (name.starts_with("tickers.")) {
      t.type = TopicType::Ticker;
      symbol = name.substr(8);
    } else if (name.starts_with("kline.1.")) {
      t.type = TopicType::Kline;
      symbol = name.substr(8);
    } else {
      return std::nullopt;
    }
    const int idx = svc_.markets().index_of(kind, symbol);
    if (idx < 0) return std::nullopt;
    t.market = static_cast<std::size_t>(idx);
    return t;
  }

  std::string book_message(const Topic& t, std::string_view type, std::int64_t ts_ms,
                           const std::vector<LevelChange>* changes) const {
    const MarketSim& m = svc_.markets().all()[t.market];
    const auto& s = m.spec();
    const DepthView& view = svc_.view(t.market, t.depth_index);
    json::array b, a;
    if (changes) {
      for (const auto& c : *changes)
        (c.is_bid ? b : a).push_back(json::array{json::string(px(s, c.price)), json::string(qty(s, c.qty))});
    } else {
      for (const auto& l : view.bids()) b.push_back(json::array{json::string(px(s, l.price)), json::string(qty(s, l.qty))});
      for (const auto& l : view.asks()) a.push_back(json::array{json::string(px(s, l.price)), json::string(qty(s, l.qty))});
    }
    json::object data{{"s", s.symbol}, {"b", std::move(b)}, {"a", std::move(a)}, {"u", view.update_id},
                      {"seq", m.update_id()}};
    json::object o;
    o["topic"] = t.name;
    // Key order as the venue: spot (all depths) and linear depth 1 put ts before type.
    if (path_ == Path::Spot || t.depth_index == 0) {
      o["ts"] = ts_ms;
      o["type"] = type;
    } else {
      o["type"] = type;
      o["ts"] = ts_ms;
    }
    o["data"] = std::move(data);
    o["cts"] = m.now_ms();
    return json::serialize(o);
  }

  // Linear: the first message is a snapshot, later ones carry only the changed fields (type "delta").
  // Spot: always a snapshot. Returns "" when nothing changed.
  std::string ticker_message(Topic& t, std::int64_t ts_ms, bool first) {
    const MarketSim& m = svc_.markets().all()[t.market];
    const auto& s = m.spec();
    const auto bb = m.best_bid(), ba = m.best_ask();
    const Stats24h st = stats_24h(m, ts_ms);
    auto pct = [](Price from, Price to) {
      if (from.is_zero()) return std::string("0");
      return fmt_trim(fixed_div<Rate>(to - from, from, Rounding::Nearest).round_to(Rate::from_string("0.000001"), Rounding::Nearest));
    };
    std::vector<std::pair<std::string, std::string>> fields;
    fields.emplace_back("symbol", s.symbol);
    if (s.is_perp()) {
      const auto prev_last = t.last_ticker.find("lastPrice");
      const bool up = prev_last == t.last_ticker.end() || px(s, st.last) >= prev_last->second;
      fields.emplace_back("tickDirection", up ? "PlusTick" : "MinusTick");
      fields.emplace_back("price24hPcnt", pct(st.open, st.last));
      fields.emplace_back("lastPrice", px(s, st.last));
      fields.emplace_back("prevPrice24h", px(s, st.open));
      fields.emplace_back("highPrice24h", px(s, st.high));
      fields.emplace_back("lowPrice24h", px(s, st.low));
      fields.emplace_back("prevPrice1h", px(s, st.close_1h_ago));
      fields.emplace_back("markPrice", px(s, m.mark_price()));
      fields.emplace_back("indexPrice", px(s, m.index_price()));
      fields.emplace_back("openInterest", "0");
      fields.emplace_back("openInterestValue", "0.00");
      fields.emplace_back("turnover24h", fmt_trim(st.quote_volume));
      fields.emplace_back("volume24h", qty(s, st.volume));
      fields.emplace_back("nextFundingTime", ms_str(m.next_funding_ms()));
      fields.emplace_back("fundingRate", fmt_trim(m.funding_rate()));
      fields.emplace_back("bid1Price", bb ? px(s, bb->price) : "0");
      fields.emplace_back("bid1Size", bb ? qty(s, bb->qty) : "0");
      fields.emplace_back("ask1Price", ba ? px(s, ba->price) : "0");
      fields.emplace_back("ask1Size", ba ? qty(s, ba->qty) : "0");
      fields.emplace_back("fundingIntervalHour", "8");
    } else {
      fields.emplace_back("lastPrice", px(s, st.last));
      fields.emplace_back("highPrice24h", px(s, st.high));
      fields.emplace_back("lowPrice24h", px(s, st.low));
      fields.emplace_back("prevPrice24h", px(s, st.open));
      fields.emplace_back("volume24h", qty(s, st.volume));
      fields.emplace_back("turnover24h", fmt_trim(st.quote_volume));
      fields.emplace_back("price24hPcnt", pct(st.open, st.last));
      fields.emplace_back("usdIndexPrice", px(s, m.index_price()));
    }
    json::object data;
    const bool snapshot = first || !s.is_perp();
    std::size_t changed_count = 0;
    for (auto& [k, v] : fields) {
      auto it = t.last_ticker.find(k);
      const bool changed = it == t.last_ticker.end() || it->second != v;
      if (changed && k != "tickDirection") ++changed_count;
      if (snapshot || changed || k == "symbol") data[k] = v;
      t.last_ticker[k] = v;
    }
    if (!snapshot && changed_count == 0) return "";
    json::object o;
    o["topic"] = t.name;
    if (s.is_perp()) {
      o["type"] = snapshot ? "snapshot" : "delta";
      o["data"] = std::move(data);
      o["cs"] = m.update_id();
      o["ts"] = ts_ms;
    } else {
      o["ts"] = ts_ms;
      o["type"] = "snapshot";
      o["cs"] = m.update_id();
      o["data"] = std::move(data);
    }
    return json::serialize(o);
  }

  static std::string kline_message(const Topic& t, const InstrumentSpec& s, const Kline& k, bool closed,
                                   std::int64_t ts_ms) {
    json::object d;
    d["start"] = k.open_ms;
    d["end"] = k.close_ms();
    d["interval"] = "1";
    d["open"] = px(s, k.open);
    d["close"] = px(s, k.close);
    d["high"] = px(s, k.high);
    d["low"] = px(s, k.low);
    d["volume"] = qty(s, k.volume);
    d["turnover"] = fmt_trim(k.quote_volume);
    d["confirm"] = closed;
    d["timestamp"] = ts_ms;
    return json::serialize(json::object{
        {"topic", t.name}, {"data", json::array{std::move(d)}}, {"ts", ts_ms}, {"type", "snapshot"}});
  }

  BybitService& svc_;
  Path path_;
  std::string conn_id_;
  std::vector<Topic> topics_;
};

}  // namespace

std::unique_ptr<WsProtocol> BybitService::open_ws(std::string_view target) {
  auto q = parse_target(target);
  if (!q) return nullptr;
  if (q->path == "/v5/public/spot") return std::make_unique<BybitWs>(*this, Path::Spot);
  if (q->path == "/v5/public/linear") return std::make_unique<BybitWs>(*this, Path::Linear);
  if (q->path == "/v5/private") return make_private_ws(*this);
  return nullptr;
}

}  // namespace tradingd::emulator::bybit
