// OKX v5 WebSocket: /ws/v5/public and /ws/v5/business channels, {"op":"subscribe","args":[{channel,instId}]}
// with one {"event":"subscribe","arg",...,"connId"} ack per arg, "ping" -> "pong" (/ws/v5/private is
// private_ws.cpp). A channel on the wrong URL gets 60018.
// Invariant: on one connection each books message's prevSeqId is the previous one's seqId (-1 for the
// snapshot), unless the skip_seq fault withheld a message on purpose.
#include <algorithm>
#include <cstdio>

#include <boost/json.hpp>

#include "exchange/emulator/okx/service.h"

namespace tradingd::emulator::okx {
namespace json = boost::json;
namespace {

enum class Path : std::uint8_t { Public, Business, Private };
enum class Channel : std::uint8_t { Books, Books5, BboTbt, Trades, Tickers, MarkPrice, FundingRate, Candle1m };

struct ChannelName {
  std::string_view name;
  Channel channel;
  Path path;
};
constexpr ChannelName kChannels[] = {
    {"books", Channel::Books, Path::Public},         {"books5", Channel::Books5, Path::Public},
    {"bbo-tbt", Channel::BboTbt, Path::Public},      {"trades", Channel::Trades, Path::Public},
    {"tickers", Channel::Tickers, Path::Public},     {"mark-price", Channel::MarkPrice, Path::Public},
    {"funding-rate", Channel::FundingRate, Path::Public}, {"candle1m", Channel::Candle1m, Path::Business},
};

struct Sub {
  std::string channel_name;
  Channel channel = Channel::Books;
  std::size_t market = 0;
  std::int64_t last_emit_ms = 0;
  std::optional<BookLevel> last_bid, last_ask;
};

json::array levels(const std::vector<BookLevel>& ls) {
  json::array a;
  for (const auto& l : ls)
    a.push_back(json::array{json::string(px(l.price)), json::string(sz(l.qty)), "0", json::string(std::to_string(num_orders(l)))});
  return a;
}

class OkxWs final : public WsProtocol {
 public:
  OkxWs(OkxService& svc, Path path) : svc_(svc), path_(path), conn_id_(make_conn_id(svc.next_conn_id())) {}

  void on_text(std::string_view text, std::int64_t now_ms, std::vector<std::string>& out) override {
    if (text == "ping") {
      if (!svc_.faults().ignoring_pings(now_ms)) out.emplace_back("pong");
      return;
    }
    boost::system::error_code ec;
    const json::value v = json::parse(text, ec);
    const json::object* o = (!ec && v.is_object()) ? &v.get_object() : nullptr;
    const json::value* id = o ? o->if_contains("id") : nullptr;
    const json::value* op = o ? o->if_contains("op") : nullptr;
    if (!op || !op->is_string()) {
      out.push_back(error(id, "60012", "Invalid request: " + std::string(text.substr(0, 200))));
      return;
    }
    const std::string_view name = op->get_string();
    if (name == "login") {
      out.push_back(error(id, "60009", "Login failed: the emulator's private API is not implemented yet."));
      return;
    }
    if (name != "subscribe" && name != "unsubscribe") {
      out.push_back(error(id, "60012", "Invalid request: " + std::string(text.substr(0, 200))));
      return;
    }
    const json::value* args = o->if_contains("args");
    if (!args || !args->is_array() || args->get_array().empty()) {
      out.push_back(error(id, "60013", "Invalid args"));
      return;
    }
    for (const auto& a : args->get_array()) {
      const json::object* arg = a.is_object() ? &a.get_object() : nullptr;
      const json::value* ch = arg ? arg->if_contains("channel") : nullptr;
      const json::value* inst = arg ? arg->if_contains("instId") : nullptr;
      if (!ch || !ch->is_string() || !inst || !inst->is_string()) {
        out.push_back(error(id, "60013", "Invalid args"));
        continue;
      }
      const std::string channel_name(ch->get_string());
      const std::string inst_id(inst->get_string());
      const ChannelName* c = nullptr;
      for (const auto& k : kChannels)
        if (k.name == channel_name) c = &k;
      const bool swap = inst_id.ends_with("-SWAP");
      const int market = svc_.markets().index_of(swap ? MarketKind::LinearPerp : MarketKind::Spot, inst_id);
      if (!c || c->path != path_ || market < 0 || (c->channel == Channel::FundingRate && !swap)) {
        out.push_back(error(id, "60018",
                            "Wrong URL or channel:" + channel_name + ",instId:" + inst_id +
                                " doesn't exist. Please use the correct URL, channel and parameters referring to API document."));
        continue;
      }
      const json::object arg_out{{"channel", channel_name}, {"instId", inst_id}};
      json::object ack;
      if (id) ack["id"] = *id;
      ack["event"] = name;
      ack["arg"] = arg_out;
      ack["connId"] = conn_id_;
      out.push_back(json::serialize(ack));
      auto same = [&](const Sub& s) { return s.channel_name == channel_name && s.market == static_cast<std::size_t>(market); };
      if (name == "unsubscribe") {
        std::erase_if(subs_, same);
        continue;
      }
      if (std::any_of(subs_.begin(), subs_.end(), same)) continue;
      Sub s{channel_name, c->channel, static_cast<std::size_t>(market), now_ms, std::nullopt, std::nullopt};
      const MarketSim& m = svc_.markets().all()[s.market];
      if (s.channel == Channel::Books && !replay_mode_)
        out.push_back(books_message(s, m, "snapshot", nullptr, -1, m.update_id(), false));
      if (s.channel == Channel::FundingRate && !replay_mode_) out.push_back(funding_message(s, m, now_ms));
      subs_.push_back(std::move(s));
    }
  }

  void on_tick(const VenueTick& tick, std::vector<std::string>& out) override {
    for (auto& s : subs_) {
      const MarketSim& m = svc_.markets().all()[s.market];
      const TickEvents& ev = tick.events[s.market];
      switch (s.channel) {
        case Channel::Books:
          if (ev.book_changed() && !tick.suppress_book)
            out.push_back(books_message(s, m, "update", &ev.changes, ev.prev_update_id, ev.last_update_id, tick.corrupt_checksum));
          break;
        case Channel::Books5:
          if (ev.book_changed() && !tick.suppress_book) {
            json::object d{{"asks", levels(m.asks(5))}, {"bids", levels(m.bids(5))}, {"instId", m.spec().symbol},
                           {"ts", ms_str(tick.ts_ms)}, {"seqId", m.update_id()}};
            out.push_back(push(s, m, json::array{std::move(d)}));
          }
          break;
        case Channel::BboTbt: {
          const auto bb = m.best_bid(), ba = m.best_ask();
          if (tick.suppress_book || (bb == s.last_bid && ba == s.last_ask)) break;
          s.last_bid = bb;
          s.last_ask = ba;
          json::object d{{"asks", levels(m.asks(1))}, {"bids", levels(m.bids(1))}, {"ts", ms_str(tick.ts_ms)},
                         {"seqId", m.update_id()}};
          out.push_back(push(s, m, json::array{std::move(d)}));
          break;
        }
        case Channel::Trades:
          for (const auto& t : ev.trades) {
            json::object d{{"instId", m.spec().symbol}, {"tradeId", std::to_string(t.id)}, {"px", px(t.price)},
                           {"sz", sz(t.qty)}, {"side", t.taker_is_buy ? "buy" : "sell"}, {"ts", ms_str(t.ts_ms)},
                           {"count", "1"}, {"seqId", t.id}};
            out.push_back(push(s, m, json::array{std::move(d)}));
          }
          break;
        case Channel::Tickers:
          if (ev.book_changed() || !ev.trades.empty()) out.push_back(ticker_message(s, m, tick.ts_ms));
          break;
        case Channel::MarkPrice:
          if (tick.ts_ms / 1000 != s.last_emit_ms / 1000) {
            s.last_emit_ms = tick.ts_ms;
            json::object d{{"instType", m.spec().is_perp() ? "SWAP" : "SPOT"}, {"instId", m.spec().symbol},
                           {"markPx", px(m.mark_price())}, {"ts", ms_str(tick.ts_ms)}};
            out.push_back(push(s, m, json::array{std::move(d)}));
          }
          break;
        case Channel::FundingRate:
          if (tick.ts_ms / 30'000 != s.last_emit_ms / 30'000) {
            s.last_emit_ms = tick.ts_ms;
            out.push_back(funding_message(s, m, tick.ts_ms));
          }
          break;
        case Channel::Candle1m:
          for (const auto& k : ev.closed_klines) out.push_back(candle_message(s, m, k, true));
          if (tick.ts_ms / 1000 != s.last_emit_ms / 1000) {
            s.last_emit_ms = tick.ts_ms;
            out.push_back(candle_message(s, m, m.current_kline(), false));
          }
          break;
      }
    }
  }

  HeartbeatPolicy heartbeat() const override { return {0, 0, svc_.options().okx_idle_timeout_ms, 4004}; }
  bool is_private() const override { return path_ == Path::Private; }

 private:
  static std::string make_conn_id(std::int64_t n) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%08llx", static_cast<unsigned long long>(0xa4d3ae55ULL + static_cast<unsigned long long>(n)));
    return buf;
  }

  std::string error(const json::value* id, std::string_view code, std::string_view msg) const {
    json::object o;
    if (id) o["id"] = *id;
    o["event"] = "error";
    o["code"] = code;
    o["msg"] = msg;
    o["connId"] = conn_id_;
    return json::serialize(o);
  }

  static std::string push(const Sub& s, const MarketSim& m, json::array data) {
    return json::serialize(json::object{
        {"arg", json::object{{"channel", s.channel_name}, {"instId", m.spec().symbol}}}, {"data", std::move(data)}});
  }

  std::string books_message(const Sub& s, const MarketSim& m, std::string_view action,
                            const std::vector<LevelChange>* changes, std::int64_t prev_seq, std::int64_t seq,
                            bool corrupt) const {
    json::array asks, bids;
    if (changes) {
      for (const auto& c : *changes) {
        const BookLevel l{c.price, c.qty};
        const std::string n = c.qty.is_zero() ? "0" : std::to_string(num_orders(l));
        (c.is_bid ? bids : asks).push_back(json::array{json::string(px(c.price)), json::string(sz(c.qty)), "0", json::string(n)});
      }
    } else {
      asks = levels(m.asks());
      bids = levels(m.bids());
    }
    std::int64_t cs = svc_.faults().okx_checksum_zero ? 0 : book_checksum(m);
    if (corrupt) cs = static_cast<std::int32_t>(static_cast<std::uint32_t>(book_checksum(m)) + 1U);
    json::object d{{"asks", std::move(asks)}, {"bids", std::move(bids)}, {"ts", ms_str(m.now_ms())},
                   {"checksum", cs}, {"prevSeqId", prev_seq}, {"seqId", seq}};
    return json::serialize(json::object{{"arg", json::object{{"channel", s.channel_name}, {"instId", m.spec().symbol}}},
                                        {"action", action},
                                        {"data", json::array{std::move(d)}}});
  }

  static std::string funding_message(const Sub& s, const MarketSim& m, std::int64_t now_ms) {
    json::object d{{"instId", m.spec().symbol}, {"fundingRate", fmt_trim(m.funding_rate())}, {"nextFundingRate", ""},
                   {"fundingTime", ms_str(m.next_funding_ms())},
                   {"nextFundingTime", ms_str(m.next_funding_ms() + MarketSim::kFundingIntervalMs)},
                   {"ts", ms_str(now_ms)}};
    return push(s, m, json::array{std::move(d)});
  }

  static std::string ticker_message(const Sub& s, const MarketSim& m, std::int64_t now_ms) {
    const auto& sp = m.spec();
    const auto last_t = m.last_trade();
    const auto bb = m.best_bid(), ba = m.best_ask();
    const Kline& k = m.klines().front();
    json::object d;
    d["instType"] = sp.is_perp() ? "SWAP" : "SPOT";
    d["instId"] = sp.symbol;
    d["last"] = px(last_t ? last_t->price : m.mid_price());
    d["lastSz"] = sz(last_t ? last_t->qty : Quantity::zero());
    d["askPx"] = ba ? px(ba->price) : "";
    d["askSz"] = ba ? sz(ba->qty) : "";
    d["bidPx"] = bb ? px(bb->price) : "";
    d["bidSz"] = bb ? sz(bb->qty) : "";
    d["open24h"] = px(k.open);
    d["high24h"] = px(std::max(k.high, m.current_kline().high));
    d["low24h"] = px(std::min(k.low, m.current_kline().low));
    d["volCcy24h"] = "0";
    d["vol24h"] = "0";
    d["sodUtc0"] = px(k.open);
    d["sodUtc8"] = px(k.open);
    d["ts"] = ms_str(now_ms);
    return push(s, m, json::array{std::move(d)});
  }

  static std::string candle_message(const Sub& s, const MarketSim& m, const Kline& k, bool closed) {
    const auto& sp = m.spec();
    const Quantity vol_ccy = sp.is_perp() ? fixed_mul<Quantity>(k.volume, sp.contract_value, Rounding::Nearest) : Quantity::zero();
    json::array row{json::string(ms_str(k.open_ms)), json::string(px(k.open)), json::string(px(k.high)),
                    json::string(px(k.low)), json::string(px(k.close)), json::string(sz(k.volume)),
                    json::string(sp.is_perp() ? fmt_trim(vol_ccy) : fmt_trim(k.quote_volume)),
                    json::string(fmt_trim(k.quote_volume)), closed ? "1" : "0"};
    return push(s, m, json::array{std::move(row)});
  }

  OkxService& svc_;
  Path path_;
  std::string conn_id_;
  std::vector<Sub> subs_;
};

}  // namespace

std::unique_ptr<WsProtocol> OkxService::open_ws(std::string_view target) {
  auto q = parse_target(target);
  if (!q) return nullptr;
  if (q->path == "/ws/v5/public") return std::make_unique<OkxWs>(*this, Path::Public);
  if (q->path == "/ws/v5/business") return std::make_unique<OkxWs>(*this, Path::Business);
  if (q->path == "/ws/v5/private") return make_private_ws(*this);
  return nullptr;
}

}  // namespace tradingd::emulator::okx
