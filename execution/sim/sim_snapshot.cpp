// JSON text form of SimVenueSnapshot (Boost.JSON). Writing is deterministic (keys in a fixed order);
// reading reports the first missing or malformed field and never throws past snapshot_from_json.
#include "execution/sim/sim_snapshot.h"

#include <bit>
#include <boost/json.hpp>
#include <cinttypes>
#include <cstdio>

namespace tradingd::sim {
namespace json = boost::json;
namespace {

std::string_view phase_name(OrderPhase p) {
  switch (p) {
    case OrderPhase::AwaitingTrigger: return "awaiting_trigger";
    case OrderPhase::Resting: return "resting";
    case OrderPhase::Candle: return "candle";
    case OrderPhase::Done: return "done";
  }
  return "done";
}
std::optional<OrderPhase> parse_phase(std::string_view s) {
  for (auto p : {OrderPhase::AwaitingTrigger, OrderPhase::Resting, OrderPhase::Candle, OrderPhase::Done})
    if (phase_name(p) == s) return p;
  return std::nullopt;
}
std::string_view pending_name(PendingKind k) {
  switch (k) {
    case PendingKind::Submit: return "submit";
    case PendingKind::Cancel: return "cancel";
    case PendingKind::CancelAll: return "cancel_all";
  }
  return "submit";
}
std::optional<PendingKind> parse_pending(std::string_view s) {
  for (auto k : {PendingKind::Submit, PendingKind::Cancel, PendingKind::CancelAll})
    if (pending_name(k) == s) return k;
  return std::nullopt;
}
std::string hex64(std::uint64_t v) {
  char buf[20];
  std::snprintf(buf, sizeof buf, "%016" PRIx64, v);
  return buf;
}

template <class Tag>
json::value fx(Fixed<Tag> v) { return json::string(v.to_string()); }
json::value opt_price(const std::optional<Price>& p) { return p ? fx(*p) : json::value(nullptr); }
json::value str(std::string_view s) { return json::string(s); }

json::object request_json(const OrderRequest& r) {
  json::object o;
  o["client_order_id"] = str(r.client_order_id.view());
  o["instrument"] = str(r.instrument.to_string());
  o["side"] = str(to_string(r.side));
  o["type"] = str(to_string(r.type));
  o["time_in_force"] = str(to_string(r.time_in_force));
  o["quantity"] = fx(r.quantity);
  o["price"] = opt_price(r.price);
  o["trigger_price"] = opt_price(r.trigger_price);
  o["reduce_only"] = r.reduce_only;
  return o;
}

json::object fill_json(const OrderFilled& f) {
  json::object o;
  o["instrument"] = str(f.instrument.to_string());
  o["client_order_id"] = str(f.client_order_id.view());
  o["venue_order_id"] = str(f.venue_order_id.view());
  o["trade_id"] = str(f.trade_id.view());
  o["side"] = str(to_string(f.side));
  o["quantity"] = fx(f.last_quantity);
  o["price"] = fx(f.last_price);
  o["fee"] = fx(f.fee);
  o["fee_asset"] = str(f.fee_asset.view());
  o["liquidity"] = str(to_string(f.liquidity));
  o["ts_event_ns"] = f.ts_event_ns;
  return o;
}

// Reads fields, remembering the first problem; accessors return defaults after an error.
class Reader {
 public:
  std::string error;

  const json::object* object(const json::value& v, std::string_view what) {
    if (const auto* o = v.if_object()) return o;
    fail(what, "expected an object");
    return nullptr;
  }
  const json::value* field(const json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    if (!v) fail(key, "missing");
    return v;
  }
  std::string_view text(const json::object& o, std::string_view key) {
    const auto* v = field(o, key);
    if (!v) return {};
    if (const auto* s = v->if_string()) return std::string_view(*s);
    fail(key, "expected a string");
    return {};
  }
  template <class T>
  T number(const json::object& o, std::string_view key) {
    const auto* v = field(o, key);
    if (!v) return T{};
    boost::system::error_code ec;
    const T n = v->to_number<T>(ec);
    if (ec) fail(key, "expected an integer");
    return n;
  }
  bool boolean(const json::object& o, std::string_view key) {
    const auto* v = field(o, key);
    if (!v) return false;
    if (const auto* b = v->if_bool()) return *b;
    fail(key, "expected true or false");
    return false;
  }
  template <class F>
  F fixed(const json::object& o, std::string_view key) {
    const auto t = text(o, key);
    auto r = F::parse(t);
    if (!r) {
      fail(key, "expected a decimal string");
      return F{};
    }
    return *r;
  }
  std::optional<Price> opt_price(const json::object& o, std::string_view key) {
    const auto* v = field(o, key);
    if (!v || v->is_null()) return std::nullopt;
    return fixed<Price>(o, key);
  }
  template <class S>
  S inline_str(const json::object& o, std::string_view key) {
    auto r = S::make(text(o, key));
    if (!r) fail(key, "too long");
    return r.value_or(S{});
  }
  InstrumentId instrument(const json::object& o, std::string_view key) {
    auto r = InstrumentId::parse(text(o, key));
    if (!r) fail(key, "expected venue:market:symbol");
    return r.value_or(InstrumentId{});
  }
  template <class E>
  E enumeration(const json::object& o, std::string_view key, std::optional<E> (*parse)(std::string_view)) {
    auto r = parse(text(o, key));
    if (!r) fail(key, "unknown value");
    return r.value_or(E{});
  }
  std::uint64_t hex(const json::object& o, std::string_view key) {
    const auto* v = field(o, key);
    return v ? hex_value(*v, key) : 0;
  }
  std::uint64_t hex_value(const json::value& jv, std::string_view key) {
    const auto* s = jv.if_string();
    if (!s) {
      fail(key, "expected a hex string");
      return 0;
    }
    const std::string_view t(*s);
    std::uint64_t v = 0;
    if (t.empty() || t.size() > 16) fail(key, "expected 1-16 hex digits");
    for (char c : t) {
      const int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
      if (d < 0) {
        fail(key, "expected hex digits");
        return 0;
      }
      v = v << 4 | static_cast<std::uint64_t>(d);
    }
    return v;
  }
  OrderRequest request(const json::object& o) {
    OrderRequest r;
    r.client_order_id = inline_str<ClientOrderId>(o, "client_order_id");
    r.instrument = instrument(o, "instrument");
    r.side = enumeration<Side>(o, "side", parse_side);
    r.type = enumeration<OrderType>(o, "type", parse_order_type);
    r.time_in_force = enumeration<TimeInForce>(o, "time_in_force", parse_time_in_force);
    r.quantity = fixed<Quantity>(o, "quantity");
    r.price = opt_price(o, "price");
    r.trigger_price = opt_price(o, "trigger_price");
    r.reduce_only = boolean(o, "reduce_only");
    return r;
  }
  void fail(std::string_view key, std::string_view what) {
    if (error.empty()) error = std::string(key) + ": " + std::string(what);
  }
};

std::optional<LiquiditySide> parse_liquidity(std::string_view s) {
  if (s == "maker") return LiquiditySide::Maker;
  if (s == "taker") return LiquiditySide::Taker;
  return std::nullopt;
}

}  // namespace

std::string to_json(const SimVenueSnapshot& s) {
  json::object root;
  root["version"] = s.version;
  root["venue"] = str(to_string(s.venue));
  json::array rng;
  for (auto w : s.rng) rng.push_back(str(hex64(w)));
  root["rng"] = std::move(rng);
  root["next_order_number"] = s.next_order_number;
  root["next_trade_number"] = s.next_trade_number;
  root["next_message_seq"] = s.next_message_seq;
  root["next_order_seq"] = s.next_order_seq;
  root["last_request_arrival_ns"] = s.last_request_arrival_ns;
  root["last_response_ns"] = s.last_response_ns;
  root["now_ns"] = s.now_ns;
  json::array balances;
  for (const auto& [asset, b] : s.balances) {
    json::object o;
    o["asset"] = str(asset.view());
    o["free"] = fx(b.free);
    o["locked"] = fx(b.locked);
    balances.push_back(std::move(o));
  }
  root["balances"] = std::move(balances);
  json::array instruments;
  for (const auto& i : s.instruments) {
    json::object o;
    o["id"] = str(i.id.to_string());
    o["last_price"] = opt_price(i.last_price);
    o["mark_price"] = opt_price(i.mark_price);
    o["last_close"] = opt_price(i.last_close);
    o["vol_variance_bits"] = str(hex64(std::bit_cast<std::uint64_t>(i.vol_variance)));
    o["vol_last_raw"] = i.vol_last_raw;
    o["has_trade"] = i.has_trade;
    o["has_bars"] = i.has_bars;
    o["position_quantity"] = fx(i.position.quantity);
    o["position_cost"] = fx(i.position.cost);
    o["position_margin"] = fx(i.position.margin);
    o["leverage"] = i.position.leverage;
    instruments.push_back(std::move(o));
  }
  root["instruments"] = std::move(instruments);
  json::array orders;
  for (const auto& x : s.orders) {
    json::object o;
    o["request"] = request_json(x.request);
    o["venue_order_id"] = str(x.venue_order_id.view());
    o["seq"] = x.seq;
    o["status"] = str(to_string(x.status));
    o["phase"] = str(phase_name(x.phase));
    o["triggered"] = x.triggered;
    o["candle_mode"] = x.candle_mode;
    o["candle_fresh"] = x.candle_fresh;
    o["marketable_on_arrival"] = x.marketable_on_arrival;
    o["filled"] = fx(x.filled);
    o["filled_notional"] = fx(x.filled_notional);
    o["queue_ahead"] = fx(x.queue.ahead);
    o["queue_level_seen"] = fx(x.queue.level_seen);
    o["queue_level_known"] = x.queue.level_known;
    o["lock_asset"] = str(x.lock_asset.view());
    o["locked"] = fx(x.locked);
    o["ts_sent_ns"] = x.ts_sent_ns;
    o["ts_arrived_ns"] = x.ts_arrived_ns;
    o["ts_last_ns"] = x.ts_last_ns;
    orders.push_back(std::move(o));
  }
  root["orders"] = std::move(orders);
  json::array pending;
  for (const auto& p : s.pending) {
    json::object o;
    o["kind"] = str(pending_name(p.kind));
    o["at_ns"] = p.at_ns;
    o["sent_ns"] = p.sent_ns;
    o["seq"] = p.seq;
    if (p.kind == PendingKind::Submit) o["order"] = request_json(p.order);
    if (p.kind == PendingKind::Cancel) {
      json::object c;
      c["instrument"] = str(p.cancel.instrument.to_string());
      c["client_order_id"] = str(p.cancel.client_order_id.view());
      c["venue_order_id"] = str(p.cancel.venue_order_id.view());
      o["cancel"] = std::move(c);
    }
    if (p.kind == PendingKind::CancelAll) o["instrument"] = p.instrument ? str(p.instrument->to_string()) : json::value(nullptr);
    pending.push_back(std::move(o));
  }
  root["pending"] = std::move(pending);
  json::array fills;
  for (const auto& f : s.recent_fills) fills.push_back(fill_json(f));
  root["recent_fills"] = std::move(fills);
  return json::serialize(root);
}

namespace {
Result<SimVenueSnapshot, std::string> parse_snapshot(std::string_view text) {
  boost::system::error_code ec;
  const json::value doc = json::parse(text, ec);
  if (ec) return Err{std::string("not JSON: ") + ec.message()};
  Reader rd;
  SimVenueSnapshot s;
  const json::object* root = rd.object(doc, "snapshot");
  if (!root) return Err{rd.error};
  s.version = rd.number<int>(*root, "version");
  if (rd.error.empty() && s.version != 1) return Err{std::string("unsupported snapshot version ") + std::to_string(s.version)};
  s.venue = rd.enumeration<Venue>(*root, "venue", parse_venue);
  if (const auto* v = rd.field(*root, "rng")) {
    const auto* a = v->if_array();
    if (!a || a->size() != 4) {
      rd.fail("rng", "expected 4 hex strings");
    } else {
      for (std::size_t i = 0; i < 4; ++i) s.rng[i] = rd.hex_value((*a)[i], "rng");
    }
  }
  s.next_order_number = rd.number<std::uint64_t>(*root, "next_order_number");
  s.next_trade_number = rd.number<std::uint64_t>(*root, "next_trade_number");
  s.next_message_seq = rd.number<std::uint64_t>(*root, "next_message_seq");
  s.next_order_seq = rd.number<std::uint64_t>(*root, "next_order_seq");
  s.last_request_arrival_ns = rd.number<std::int64_t>(*root, "last_request_arrival_ns");
  s.last_response_ns = rd.number<std::int64_t>(*root, "last_response_ns");
  s.now_ns = rd.number<std::int64_t>(*root, "now_ns");

  auto each = [&](std::string_view key, auto&& f) {
    const auto* v = rd.field(*root, key);
    if (!v) return;
    const auto* a = v->if_array();
    if (!a) return rd.fail(key, "expected an array");
    for (const auto& item : *a) {
      const json::object* o = rd.object(item, key);
      if (!o) return;
      f(*o);
    }
  };
  each("balances", [&](const json::object& o) {
    s.balances.emplace_back(rd.inline_str<Asset>(o, "asset"),
                            AssetBalance{rd.fixed<Money>(o, "free"), rd.fixed<Money>(o, "locked")});
  });
  each("instruments", [&](const json::object& o) {
    SimInstrumentSnapshot i;
    i.id = rd.instrument(o, "id");
    i.last_price = rd.opt_price(o, "last_price");
    i.mark_price = rd.opt_price(o, "mark_price");
    i.last_close = rd.opt_price(o, "last_close");
    i.vol_variance = std::bit_cast<double>(rd.hex(o, "vol_variance_bits"));
    i.vol_last_raw = rd.number<std::int64_t>(o, "vol_last_raw");
    i.has_trade = rd.boolean(o, "has_trade");
    i.has_bars = rd.boolean(o, "has_bars");
    i.position.quantity = rd.fixed<Quantity>(o, "position_quantity");
    i.position.cost = rd.fixed<Money>(o, "position_cost");
    i.position.margin = rd.fixed<Money>(o, "position_margin");
    i.position.leverage = rd.number<int>(o, "leverage");
    s.instruments.push_back(i);
  });
  each("orders", [&](const json::object& o) {
    SimOrderSnapshot x;
    if (const auto* r = rd.field(o, "request"))
      if (const auto* ro = rd.object(*r, "request")) x.request = rd.request(*ro);
    x.venue_order_id = rd.inline_str<VenueOrderId>(o, "venue_order_id");
    x.seq = rd.number<std::uint64_t>(o, "seq");
    x.status = rd.enumeration<OrderStatus>(o, "status", parse_order_status);
    x.phase = rd.enumeration<OrderPhase>(o, "phase", parse_phase);
    x.triggered = rd.boolean(o, "triggered");
    x.candle_mode = rd.boolean(o, "candle_mode");
    x.candle_fresh = rd.boolean(o, "candle_fresh");
    x.marketable_on_arrival = rd.boolean(o, "marketable_on_arrival");
    x.filled = rd.fixed<Quantity>(o, "filled");
    x.filled_notional = rd.fixed<Money>(o, "filled_notional");
    x.queue.ahead = rd.fixed<Quantity>(o, "queue_ahead");
    x.queue.level_seen = rd.fixed<Quantity>(o, "queue_level_seen");
    x.queue.level_known = rd.boolean(o, "queue_level_known");
    x.lock_asset = rd.inline_str<Asset>(o, "lock_asset");
    x.locked = rd.fixed<Money>(o, "locked");
    x.ts_sent_ns = rd.number<std::int64_t>(o, "ts_sent_ns");
    x.ts_arrived_ns = rd.number<std::int64_t>(o, "ts_arrived_ns");
    x.ts_last_ns = rd.number<std::int64_t>(o, "ts_last_ns");
    s.orders.push_back(x);
  });
  each("pending", [&](const json::object& o) {
    SimPendingSnapshot p;
    p.kind = rd.enumeration<PendingKind>(o, "kind", parse_pending);
    p.at_ns = rd.number<std::int64_t>(o, "at_ns");
    p.sent_ns = rd.number<std::int64_t>(o, "sent_ns");
    p.seq = rd.number<std::uint64_t>(o, "seq");
    if (p.kind == PendingKind::Submit) {
      if (const auto* r = rd.field(o, "order"))
        if (const auto* ro = rd.object(*r, "order")) p.order = rd.request(*ro);
    } else if (p.kind == PendingKind::Cancel) {
      if (const auto* c = rd.field(o, "cancel")) {
        if (const auto* co = rd.object(*c, "cancel")) {
          p.cancel.instrument = rd.instrument(*co, "instrument");
          p.cancel.client_order_id = rd.inline_str<ClientOrderId>(*co, "client_order_id");
          p.cancel.venue_order_id = rd.inline_str<VenueOrderId>(*co, "venue_order_id");
        }
      }
    } else if (const auto* v = rd.field(o, "instrument"); v && !v->is_null()) {
      p.instrument = rd.instrument(o, "instrument");
    }
    s.pending.push_back(p);
  });
  each("recent_fills", [&](const json::object& o) {
    OrderFilled f;
    f.instrument = rd.instrument(o, "instrument");
    f.client_order_id = rd.inline_str<ClientOrderId>(o, "client_order_id");
    f.venue_order_id = rd.inline_str<VenueOrderId>(o, "venue_order_id");
    f.trade_id = rd.inline_str<TradeId>(o, "trade_id");
    f.side = rd.enumeration<Side>(o, "side", parse_side);
    f.last_quantity = rd.fixed<Quantity>(o, "quantity");
    f.last_price = rd.fixed<Price>(o, "price");
    f.fee = rd.fixed<Money>(o, "fee");
    f.fee_asset = rd.inline_str<Asset>(o, "fee_asset");
    f.liquidity = rd.enumeration<LiquiditySide>(o, "liquidity", parse_liquidity);
    f.ts_event_ns = rd.number<std::int64_t>(o, "ts_event_ns");
    s.recent_fills.push_back(f);
  });
  if (!rd.error.empty()) return Err{rd.error};
  return s;
}
}  // namespace

Result<SimVenueSnapshot, std::string> snapshot_from_json(std::string_view text) {
  try {
    return parse_snapshot(text);
  } catch (const std::exception& e) {
    return Err{std::string("snapshot: ") + e.what()};
  }
}

}  // namespace tradingd::sim
