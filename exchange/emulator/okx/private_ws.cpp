// OKX v5 /ws/v5/private on the emulator: login ({"op":"login"} signed over timestamp-in-seconds + "GET" +
// "/users/self/verify", within 30 s of the venue's clock), subscribe to orders / positions / account (only
// after login: 60011), "ping" → "pong", and pushes read from the account's event log with this
// connection's cursor (orders: no snapshot, as at OKX; account and positions: a snapshot at subscribe and a
// push after every fill). Faults: duplicate_fill (a fill pushed twice), reorder (two pushes swapped).
// Also the JSON records shared with the REST side.
#include <algorithm>
#include <cstdio>

#include <boost/json.hpp>

#include "exchange/emulator/okx/service.h"

namespace tradingd::emulator::okx {
namespace json = boost::json;
namespace {

std::string_view ord_type(const OrderStatusReport& r) {
  if (r.type == OrderType::Market) return "market";
  if (r.type == OrderType::StopMarket || r.type == OrderType::StopLimit) return "trigger";
  switch (r.time_in_force) {
    case TimeInForce::PostOnly: return "post_only";
    case TimeInForce::Fok: return "fok";
    case TimeInForce::Ioc: return "ioc";
    default: return "limit";
  }
}

std::string_view state(OrderStatus s) {
  switch (s) {
    case OrderStatus::PartiallyFilled: return "partially_filled";
    case OrderStatus::Filled: return "filled";
    case OrderStatus::Canceled:
    case OrderStatus::Expired:
    case OrderStatus::Rejected: return "canceled";
    default: return "live";
  }
}

class PrivateWs final : public WsProtocol {
 public:
  explicit PrivateWs(OkxService& svc) : svc_(svc) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%08llx", static_cast<unsigned long long>(0xb5e4bf00ULL + static_cast<unsigned long long>(svc.next_conn_id())));
    conn_id_ = buf;
    cursor_ = svc_.account().last_seq();  // orders has no snapshot: only what happens from now on
  }

  bool is_private() const override { return true; }
  HeartbeatPolicy heartbeat() const override { return {0, 0, svc_.options().okx_idle_timeout_ms, 4004}; }

  void on_text(std::string_view text, std::int64_t now_ms, std::vector<std::string>& out) override {
    if (text == "ping") {
      if (!svc_.faults().ignoring_pings(now_ms)) out.emplace_back("pong");
      return;
    }
    boost::system::error_code ec;
    const json::value v = json::parse(text, ec);
    const json::object* o = (!ec && v.is_object()) ? &v.get_object() : nullptr;
    const json::value* op = o ? o->if_contains("op") : nullptr;
    const json::value* args = o ? o->if_contains("args") : nullptr;
    if (!op || !op->is_string()) return out.push_back(error("60012", "Invalid request: " + std::string(text.substr(0, 200))));
    if (!args || !args->is_array() || args->get_array().empty()) return out.push_back(error("60013", "Invalid args"));
    const std::string_view name = op->get_string();
    if (name == "login") return login(args->get_array().at(0), now_ms, out);
    if (name != "subscribe" && name != "unsubscribe")
      return out.push_back(error("60012", "Invalid request: " + std::string(text.substr(0, 200))));
    if (!logged_in_) return out.push_back(error("60011", "Please log in"));
    for (const auto& a : args->get_array()) {
      const json::object* arg = a.is_object() ? &a.get_object() : nullptr;
      const json::value* ch = arg ? arg->if_contains("channel") : nullptr;
      if (!ch || !ch->is_string()) {
        out.push_back(error("60013", "Invalid args"));
        continue;
      }
      const std::string channel(ch->get_string());
      if (channel != "orders" && channel != "positions" && channel != "account") {
        out.push_back(error("60018", "Wrong URL or channel:" + channel + " doesn't exist."));
        continue;
      }
      out.push_back(json::serialize(json::object{{"event", name}, {"arg", *arg}, {"connId", conn_id_}}));
      const bool on = name == "subscribe";
      const std::int64_t venue_now = svc_.venue_ms(now_ms);
      if (channel == "orders") {
        orders_ = on;
        const json::value* t = arg->if_contains("instType");
        orders_type_ = t && t->is_string() ? std::string(t->get_string()) : "ANY";
      } else if (channel == "positions") {
        positions_ = on;
        if (on) out.push_back(positions_push(venue_now));
      } else {
        account_ = on;
        if (on) out.push_back(account_push(venue_now));
      }
    }
  }

  void on_tick(const VenueTick& tick, std::vector<std::string>& out) override {
    if (!logged_in_) return;
    const std::int64_t venue_now = svc_.venue_ms(tick.ts_ms);
    bool fills = false;
    std::vector<std::string> frames;
    for (const auto& e : svc_.account().events_since(cursor_)) {
      cursor_ = e.seq;
      std::optional<std::string> frame;
      std::visit(
          [&](const auto& ev) {
            using T = std::decay_t<decltype(ev)>;
            if constexpr (std::is_same_v<T, OrderFilled>) {
              fills = true;
              frame = order_push(ev.instrument, ev.client_order_id, &ev, venue_now, OrderView::Fill);
            } else if constexpr (std::is_same_v<T, OrderAccepted>) {
              frame = order_push(ev.instrument, ev.client_order_id, nullptr, venue_now, OrderView::Accepted);
            } else if constexpr (std::is_same_v<T, OrderCanceled> || std::is_same_v<T, OrderExpired>) {
              frame = order_push(ev.instrument, ev.client_order_id, nullptr, venue_now, OrderView::Final);
            }
          },
          e.event);
      if (!frame || frame->empty()) continue;
      frames.push_back(*frame);
      if (std::holds_alternative<OrderFilled>(e.event) && FaultState::take(svc_.faults().duplicate_fill_pending))
        frames.push_back(*frame);  // the venue re-sends a fill (replay after its own reconnect)
    }
    if (frames.size() >= 2 && FaultState::take(svc_.faults().reorder_pending)) std::swap(frames[0], frames[1]);
    for (auto& f : frames) out.push_back(std::move(f));
    if (fills && account_) out.push_back(account_push(venue_now));
    if (fills && positions_) out.push_back(positions_push(venue_now));
  }

 private:
  void login(const json::value& a, std::int64_t now_ms, std::vector<std::string>& out) {
    const json::object* arg = a.is_object() ? &a.get_object() : nullptr;
    auto field = [&](std::string_view k) -> std::string {
      const json::value* v = arg ? arg->if_contains(k) : nullptr;
      return v && v->is_string() ? std::string(v->get_string()) : std::string();
    };
    const std::string key = field("apiKey"), pass = field("passphrase"), ts = field("timestamp"), sign = field("sign");
    const auto secs = parse_int(ts);
    const auto& opts = svc_.account().options();
    if (!secs || std::abs(svc_.venue_ms(now_ms) / 1000 - *secs) > 30) return out.push_back(error("60004", "Invalid timestamp"));
    if (key != opts.api_key) return out.push_back(error("60005", "Invalid OK-ACCESS-KEY"));
    if (pass != opts.passphrase) return out.push_back(error("60024", "Wrong passphrase"));
    if (sign != svc_.sign(ts, "GET", "/users/self/verify")) return out.push_back(error("60007", "Invalid sign"));
    logged_in_ = true;
    out.push_back(json::serialize(json::object{{"event", "login"}, {"code", "0"}, {"msg", ""}, {"connId", conn_id_}}));
  }

  std::string order_push(const InstrumentId& inst, const ClientOrderId& id, const OrderFilled* fill, std::int64_t now_ms,
                         OrderView view) const {
    if (!orders_) return {};
    const std::string_view type = inst.kind == MarketKind::Spot ? "SPOT" : "SWAP";
    if (orders_type_ != "ANY" && orders_type_ != type) return {};
    auto rep = svc_.account().order(id);
    if (!rep) return {};
    return R"({"arg":{"channel":"orders","instType":")" + orders_type_ + R"("},"data":[)" +
           order_record(svc_, *rep, fill, now_ms, view) + "]}";
  }

  std::string account_push(std::int64_t now_ms) const {
    return R"({"arg":{"channel":"account"},"data":[)" + balance_record(svc_.account().account(), now_ms) + "]}";
  }
  std::string positions_push(std::int64_t now_ms) const {
    return R"({"arg":{"channel":"positions","instType":"SWAP"},"data":)" +
           positions_array(svc_, svc_.account().account(), now_ms) + "}";
  }

  std::string error(std::string_view code, std::string_view msg) const {
    return json::serialize(json::object{{"event", "error"}, {"code", code}, {"msg", msg}, {"connId", conn_id_}});
  }

  OkxService& svc_;
  std::string conn_id_;
  std::uint64_t cursor_ = 0;
  bool logged_in_ = false, orders_ = false, positions_ = false, account_ = false;
  std::string orders_type_ = "ANY";
};

}  // namespace

std::unique_ptr<WsProtocol> make_private_ws(OkxService& svc) { return std::make_unique<PrivateWs>(svc); }

std::string order_record(const OkxService& svc, const OrderStatusReport& r, const OrderFilled* fill, std::int64_t now_ms,
                         OrderView view) {
  const bool spot = r.instrument.kind == MarketKind::Spot;
  // Fee so far and the last fill, from the account's fills of this order.
  Money fee;
  Asset fee_ccy;
  const OrderFilled* last = nullptr;
  const auto fills = svc.account().fills(r.instrument, 0);
  for (const auto& f : fills) {
    if (f.client_order_id != r.client_order_id) continue;
    fee += f.fee;
    fee_ccy = f.fee_asset;
    last = &f;
  }
  const OrderFilled* shown = view == OrderView::Rest ? last : fill;
  // A fill push shows the order as it was right after that fill (accFillSz), so a partial fill never
  // looks like the whole order even when later fills came in the same tick.
  Quantity acc = r.filled_quantity;
  OrderStatus status = r.status;
  if (fill) {
    acc = svc.acc_fill_at(fill->trade_id.view());
    if (acc.is_zero()) acc = r.filled_quantity;
    status = acc >= r.quantity ? OrderStatus::Filled : OrderStatus::PartiallyFilled;
  } else if (view == OrderView::Accepted) {
    acc = Quantity{};
    status = OrderStatus::Accepted;
  }
  json::object o;
  o["instType"] = spot ? "SPOT" : "SWAP";
  o["instId"] = r.instrument.symbol.view();
  o["ordId"] = r.venue_order_id.view();
  o["clOrdId"] = r.client_order_id.view();
  o["tag"] = "";
  o["px"] = r.price ? fmt_trim(*r.price) : "";
  o["sz"] = fmt_trim(r.quantity);
  o["ordType"] = ord_type(r);
  o["side"] = r.side == Side::Buy ? "buy" : "sell";
  o["posSide"] = spot ? "" : "net";
  o["tdMode"] = spot ? "cash" : "cross";
  o["state"] = state(status);
  o["accFillSz"] = fmt_trim(acc);
  o["avgPx"] = r.avg_fill_price ? fmt_trim(*r.avg_fill_price) : "";
  o["fillPx"] = shown ? fmt_trim(shown->last_price) : "";
  o["fillSz"] = fill ? fmt_trim(fill->last_quantity) : (shown ? fmt_trim(shown->last_quantity) : "0");
  o["tradeId"] = shown ? shown->trade_id.view() : "";
  o["fillTime"] = shown ? ms_str(shown->ts_event_ns / kNanosPerMilli) : "";
  o["execType"] = shown ? (shown->liquidity == LiquiditySide::Maker ? "M" : "T") : "";
  if (fill) {
    o["fillFee"] = fmt_trim(-fill->fee);
    o["fillFeeCcy"] = fill->fee_asset.view();
  }
  o["fee"] = fmt_trim(-fee);
  o["feeCcy"] = fee_ccy.view();
  o["reduceOnly"] = r.reduce_only ? "true" : "false";
  o["lever"] = spot ? "" : std::to_string(svc.account().leverage(r.instrument));
  o["cancelSource"] = status == OrderStatus::Canceled ? (svc.canceled_by_dead_man(r.client_order_id.view()) ? "20" : "1") : "";
  o["category"] = "normal";
  o["cTime"] = ms_str(r.ts_event_ns / kNanosPerMilli);
  o["uTime"] = ms_str(std::max(now_ms, r.ts_event_ns / kNanosPerMilli));
  return json::serialize(o);
}

std::string balance_record(const AccountReport& a, std::int64_t now_ms) {
  json::array details;
  Money total;
  for (const auto& b : a.balances) {
    details.push_back(json::object{{"ccy", b.asset.view()}, {"eq", fmt_trim(b.total())}, {"cashBal", fmt_trim(b.total())},
                                   {"availBal", fmt_trim(b.free)}, {"availEq", fmt_trim(b.free)},
                                   {"frozenBal", fmt_trim(b.locked)}, {"ordFrozen", fmt_trim(b.locked)},
                                   {"uTime", ms_str(now_ms)}});
    if (b.asset.view() == "USDT") total += b.total();
  }
  return json::serialize(json::object{{"totalEq", fmt_trim(total)}, {"uTime", ms_str(now_ms)}, {"details", std::move(details)}});
}

std::string positions_array(const OkxService& svc, const AccountReport& a, std::int64_t now_ms) {
  json::array data;
  for (const auto& p : a.positions) {
    if (p.instrument.kind != MarketKind::LinearPerp || p.quantity.is_zero()) continue;
    data.push_back(json::object{{"instType", "SWAP"}, {"instId", p.instrument.symbol.view()}, {"mgnMode", "cross"},
                                {"posSide", "net"}, {"pos", fmt_trim(p.quantity)}, {"avgPx", fmt_trim(p.entry_price)},
                                {"lever", std::to_string(svc.account().leverage(p.instrument))}, {"ccy", "USDT"},
                                {"uTime", ms_str(now_ms)}});
  }
  return json::serialize(data);
}

}  // namespace tradingd::emulator::okx
