// Bybit v5 /v5/private on the emulator: auth first ({"op":"auth","args":[key, expires, hex(HMAC(secret,
// "GET/realtime" + expires))]}, expires in the future on the venue's clock), then subscribe to order,
// execution, position, wallet (all-in-one or .spot/.linear) and dcp.*; {"op":"ping"} → private pong.
// Frames come from the account's event log after the auth point (Bybit sends no snapshot): order status
// changes, one execution per fill with its order update, and the position (linear) and wallet after it.
// A connection subscribed to dcp.* keeps the product's disconnect-cancel-all armed while it lives.
// Fault duplicate_fills: execution frames sent twice, and the previous one again after them.
#include <map>
#include <set>

#include "exchange/emulator/bybit/private.h"
#include "exchange/live/signing.h"

namespace tradingd::emulator::bybit {
namespace json = boost::json;
namespace {

class BybitPrivateWs final : public WsProtocol {
 public:
  explicit BybitPrivateWs(BybitService& svc)
      : svc_(svc), conn_id_("emu-private-" + std::to_string(svc.next_conn_id())) {}
  ~BybitPrivateWs() override {
    for (int p = 0; p < 2; ++p)
      if (dcp_[p]) svc_.dcp_detach(p);
  }

  void on_text(std::string_view text, std::int64_t host_now_ms, std::vector<std::string>& out) override {
    const std::int64_t now_ms = svc_.venue_now(host_now_ms);
    boost::system::error_code ec;
    const json::value v = json::parse(text, ec);
    const json::object* o = (!ec && v.is_object()) ? &v.get_object() : nullptr;
    const json::value* op = o ? o->if_contains("op") : nullptr;
    if (!op || !op->is_string()) {
      reply(false, "error:invalid op", nullptr, "", out);
      return;
    }
    const json::value* req_id = o->if_contains("req_id");
    const std::string_view name = op->get_string();
    if (name == "ping") {
      if (svc_.faults().ignoring_pings(host_now_ms)) return;
      json::object r;
      if (req_id) r["req_id"] = *req_id;
      r["op"] = "pong";
      r["args"] = json::array{json::string(std::to_string(now_ms))};
      r["conn_id"] = conn_id_;
      out.push_back(json::serialize(r));
      return;
    }
    if (name == "auth") return auth(o, req_id, now_ms, out);
    if (name != "subscribe" && name != "unsubscribe") {
      reply(false, "error:invalid op " + std::string(name), req_id, name, out);
      return;
    }
    if (!authed_) {
      reply(false, "Request not authorized", req_id, name, out);
      return;
    }
    const json::value* args = o->if_contains("args");
    if (!args || !args->is_array()) {
      reply(false, "error:args must be an array", req_id, name, out);
      return;
    }
    std::vector<std::string> topics;
    for (const auto& a : args->get_array()) {
      if (!a.is_string() || !valid_topic(a.get_string())) {
        reply(false, "Invalid topic: " + (a.is_string() ? std::string(a.get_string()) : json::serialize(a)), req_id, name, out);
        return;
      }
      topics.emplace_back(a.get_string());
    }
    for (const auto& t : topics) {
      const int product = t == "dcp.spot" ? 0 : t == "dcp.future" ? 1 : -1;
      if (name == "subscribe") {
        topics_.insert(t);
        if (product >= 0 && !dcp_[product]) {
          dcp_[product] = true;
          svc_.dcp_attach(product);
        }
      } else {
        topics_.erase(t);
        if (product >= 0 && dcp_[product]) {
          dcp_[product] = false;
          svc_.dcp_detach(product);
        }
      }
    }
    reply(true, "", req_id, name, out);
  }

  void on_tick(const VenueTick& tick, std::vector<std::string>& out) override {
    if (!authed_) return;
    const auto events = svc_.account().events_since(cursor_);
    for (const auto& ev : events) {
      cursor_ = ev.seq;
      emit(ev, tick.ts_ms, out);
    }
  }

  HeartbeatPolicy heartbeat() const override { return {}; }
  bool is_private() const override { return true; }

 private:
  static bool valid_topic(std::string_view t) {
    for (std::string_view base : {"order", "execution", "position", "wallet"}) {
      if (t == base) return true;
      if (t.starts_with(base) && t.size() > base.size() && t[base.size()] == '.') {
        const auto suffix = t.substr(base.size() + 1);
        if (suffix == "spot" || suffix == "linear") return true;
      }
    }
    return t == "dcp.spot" || t == "dcp.future" || t == "dcp.option";
  }

  bool wants(std::string_view base, bool spot) const {
    return topics_.contains(std::string(base)) || topics_.contains(std::string(base) + (spot ? ".spot" : ".linear"));
  }

  void auth(const json::object* o, const json::value* req_id, std::int64_t now_ms, std::vector<std::string>& out) {
    const json::value* args = o->if_contains("args");
    const auto& opts = svc_.account().options();
    auto fail = [&](int code, std::string_view msg) {
      json::object r;
      r["success"] = false;
      r["ret_msg"] = msg;
      r["retCode"] = code;
      r["op"] = "auth";
      r["conn_id"] = conn_id_;
      if (req_id) r["req_id"] = *req_id;
      out.push_back(json::serialize(r));
    };
    if (!args || !args->is_array() || args->get_array().size() != 3 || !args->get_array()[0].is_string() ||
        !args->get_array()[2].is_string())
      return fail(10001, "Params Error");
    const auto& a = args->get_array();
    std::int64_t expires = 0;
    if (a[1].is_int64()) expires = a[1].get_int64();
    else if (a[1].is_uint64()) expires = static_cast<std::int64_t>(a[1].get_uint64());
    else if (a[1].is_string()) expires = parse_int(a[1].get_string()).value_or(0);
    else return fail(10001, "Params Error");
    if (a[0].get_string() != opts.api_key) return fail(10003, "Invalid apikey");
    if (expires <= now_ms) return fail(10002, "Request expired");
    auto mac = live::HmacSha256::make(opts.api_secret);
    if (!mac || mac->sign_hex("GET/realtime" + std::to_string(expires)) != a[2].get_string())
      return fail(10004, "Invalid sign");
    if (authed_) return fail(20001, "Repeat auth");
    authed_ = true;
    cursor_ = svc_.account().last_seq();  // no history: Bybit pushes changes only
    json::object r;
    r["success"] = true;
    r["ret_msg"] = "";
    r["op"] = "auth";
    r["conn_id"] = conn_id_;
    if (req_id) r["req_id"] = *req_id;
    out.push_back(json::serialize(r));
  }

  void reply(bool ok, std::string_view msg, const json::value* req_id, std::string_view op, std::vector<std::string>& out) const {
    json::object r;
    r["success"] = ok;
    r["ret_msg"] = msg;
    r["conn_id"] = conn_id_;
    if (req_id) r["req_id"] = *req_id;
    r["op"] = op;
    out.push_back(json::serialize(r));
  }

  std::string frame(std::string_view topic, json::object item, std::int64_t ts_ms) {
    json::object o;
    o["id"] = conn_id_ + "-" + std::to_string(++frame_seq_);
    o["topic"] = topic;
    o["creationTime"] = ts_ms;
    o["data"] = json::array{std::move(item)};
    return json::serialize(o);
  }

  void order_frame(const OrderStatusReport& r, std::string_view status, std::string_view reject, std::int64_t ts,
                   std::vector<std::string>& out) {
    const bool spot = r.instrument.kind == MarketKind::Spot;
    if (!wants("order", spot)) return;
    const InstrumentSpec* s = svc_.spec(r.instrument.kind, r.instrument.symbol.view());
    if (s) out.push_back(frame("order", order_json(r, *s, status, reject, ts, true), ts));
  }

  void emit(const AccountEvent& ev, std::int64_t tick_ms, std::vector<std::string>& out) {
    const std::int64_t ts = ev.ts_ms > 0 ? ev.ts_ms : tick_ms;
    auto& acct = svc_.account();
    std::visit(
        [&](const auto& e) {
          using T = std::decay_t<decltype(e)>;
          if constexpr (std::is_same_v<T, OrderAccepted>) {
            if (auto r = acct.order(e.client_order_id)) {
              r->filled_quantity = Quantity{};
              const bool stop = r->type == OrderType::StopMarket || r->type == OrderType::StopLimit;
              order_frame(*r, stop ? "Untriggered" : "New", "", ts, out);
            }
          } else if constexpr (std::is_same_v<T, OrderTriggered>) {
            if (auto r = acct.order(e.client_order_id)) order_frame(*r, "Triggered", "", ts, out);
          } else if constexpr (std::is_same_v<T, OrderCanceled> || std::is_same_v<T, OrderExpired>) {
            if (auto r = acct.order(e.client_order_id)) {
              r->filled_quantity = cum_[e.client_order_id.str()];
              const bool partial = r->instrument.kind == MarketKind::Spot && r->filled_quantity.is_positive();
              order_frame(*r, partial ? "PartiallyFilledCanceled" : "Cancelled", "", ts, out);
            }
          } else if constexpr (std::is_same_v<T, OrderRejected>) {
            if (auto r = acct.order(e.client_order_id)) {
              // Bybit accepts a post-only order that would take and then cancels it.
              if (e.error.reason == VenueErrorReason::PostOnlyWouldTake) order_frame(*r, "Cancelled", "EC_PostOnlyWillTakeLiquidity", ts, out);
              else order_frame(*r, "Rejected", "EC_Others", ts, out);
            }
          } else if constexpr (std::is_same_v<T, OrderFilled>) {
            fill(e, ts, out);
          }
        },
        ev.event);
  }

  void fill(const OrderFilled& f, std::int64_t ts, std::vector<std::string>& out) {
    auto& acct = svc_.account();
    const bool spot = f.instrument.kind == MarketKind::Spot;
    const InstrumentSpec* s = svc_.spec(f.instrument.kind, f.instrument.symbol.view());
    if (!s) return;
    auto order = acct.order(f.client_order_id);
    Quantity& cum = cum_[f.client_order_id.str()];
    cum += f.last_quantity;
    if (order) {
      order->filled_quantity = cum;  // the order as of this fill, not as of now
      if (wants("execution", spot)) {
        auto exec = frame("execution", execution_json(f, *s, order, ++exec_seq_, true), ts);
        auto& faults = svc_.faults();
        out.push_back(exec);
        if (faults.duplicate_fills_pending > 0) {
          --faults.duplicate_fills_pending;
          out.push_back(exec);                               // duplicate
          if (!last_exec_.empty()) out.push_back(last_exec_);  // an older one after a newer: out of order
        }
        last_exec_ = std::move(exec);
      }
      order_frame(*order, cum >= order->quantity ? "Filled" : "PartiallyFilled", "", ts, out);
    }
    if (!spot && wants("position", false)) {
      const auto a = acct.account();
      std::optional<PositionReport> pos;
      for (const auto& p : a.positions)
        if (p.instrument == f.instrument) pos = p;
      const MarketSim* m = svc_.markets().find(f.instrument.kind, f.instrument.symbol.view());
      out.push_back(frame("position", position_json(*s, pos, acct.leverage(f.instrument), m ? m->mark_price() : f.last_price, ts, true), ts));
    }
    if (wants("wallet", spot)) out.push_back(frame("wallet", wallet_json(acct.account(), true), ts));
  }

  BybitService& svc_;
  std::string conn_id_;
  bool authed_ = false;
  std::set<std::string, std::less<>> topics_;
  std::uint64_t cursor_ = 0;
  std::int64_t frame_seq_ = 0, exec_seq_ = 0;
  bool dcp_[2] = {false, false};
  std::map<std::string, Quantity, std::less<>> cum_;
  std::string last_exec_;
};

}  // namespace

std::unique_ptr<WsProtocol> make_private_ws(BybitService& svc) { return std::make_unique<BybitPrivateWs>(svc); }

}  // namespace tradingd::emulator::bybit
