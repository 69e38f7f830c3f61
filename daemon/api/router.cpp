// The control API's routes and handlers; see router.h.
#include "daemon/api/router.h"

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>

#include <array>
#include <charconv>
#include <exception>
#include <optional>
#include <vector>

#include "daemon/api/auth.h"
#include "daemon/api/json_shapes.h"
#include "execution/node/trading_node.h"
#include "strategy/protocol.h"

namespace tradingd::daemon::api {
namespace json = boost::json;
namespace {

constexpr std::array<Route, 14> kRoutes{{
    {"POST", "/v1/signals", "Submit a signal; answers the order or the typed rejection"},
    {"GET", "/v1/status", "Daemon and node status"},
    {"GET", "/v1/orders", "Orders (?status=open for the open ones)"},
    {"GET", "/v1/orders/{id}", "One order"},
    {"POST", "/v1/orders/{id}/cancel", "Cancel one order"},
    {"POST", "/v1/orders/cancel-all", "Cancel every open order"},
    {"GET", "/v1/positions", "Positions"},
    {"POST", "/v1/positions/{venue}/{market}/{symbol}/acknowledge", "Accept an account mismatch; the instrument trades again"},
    {"GET", "/v1/portfolio", "Portfolio figures and balances"},
    {"GET", "/v1/risk", "Risk state, circuit breaker and counters"},
    {"POST", "/v1/emergency-stop", "Trip the breaker, cancel everything, flatten"},
    {"POST", "/v1/circuit-breaker/trip", "Trip the circuit breaker manually"},
    {"POST", "/v1/circuit-breaker/reset", "Reset a tripped circuit breaker after its cooldown"},
    {"GET", "/v1/events", "WebSocket: order updates, fills, positions, risk events"},
}};

constexpr std::size_t kMaxTripDetail = 200;

ApiResponse reply(int status, const json::object& body) { return ApiResponse{status, to_text(body), {}, "other"}; }
ApiResponse error(int status, std::string_view code, std::string_view detail) {
  return reply(status, error_json(code, detail));
}

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '/') {
      ++i;
      continue;
    }
    const auto j = path.find('/', i);
    out.push_back(path.substr(i, j == std::string_view::npos ? std::string_view::npos : j - i));
    if (j == std::string_view::npos) break;
    i = j;
  }
  return out;
}

// How well a route's pattern matches the path: -1 no match, else the number of literal segments (a
// literal segment beats a {parameter}: /v1/orders/cancel-all is not order "cancel-all"). params gets the
// path's parameter segments in order.
int match_score(std::string_view pattern, std::string_view path, std::vector<std::string_view>* params) {
  const auto p = split_path(pattern);
  const auto s = split_path(path);
  if (p.size() != s.size() || (!path.empty() && path.back() == '/')) return -1;
  int score = 0;
  if (params) params->clear();
  for (std::size_t i = 0; i < p.size(); ++i) {
    if (p[i].starts_with('{')) {
      if (params) params->push_back(s[i]);
      continue;
    }
    if (p[i] != s[i]) return -1;
    ++score;
  }
  return score;
}

std::optional<OrderId> parse_order_id(std::string_view text) {
  OrderId v = 0;
  const auto* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, v);
  if (ec != std::errc() || ptr != end || v == 0) return std::nullopt;
  return v;
}

// The body of an action endpoint: empty, or a JSON object with only the allowed string fields.
Result<json::object, ApiResponse> action_body(std::string_view body, std::span<const std::string_view> allowed) {
  std::size_t i = 0;
  while (i < body.size() && (body[i] == ' ' || body[i] == '\n' || body[i] == '\r' || body[i] == '\t')) ++i;
  if (i == body.size()) return json::object{};
  boost::system::error_code ec;
  json::value v = json::parse(body, ec);
  if (ec) return Err{error(400, "invalid_json", "the body is not JSON: " + ec.message())};
  if (!v.is_object()) return Err{error(400, "not_an_object", "the body must be a JSON object")};
  for (const auto& kv : v.as_object()) {
    bool known = false;
    for (auto a : allowed) known = known || kv.key() == a;
    if (!known) {
      auto e = error_json("unknown_field", "not a field of this endpoint");
      e["field"] = kv.key();
      return Err{reply(400, e)};
    }
    if (!kv.value().is_string()) {
      auto e = error_json("wrong_type", "expected a string");
      e["field"] = kv.key();
      return Err{reply(400, e)};
    }
  }
  return std::move(v.as_object());
}

int refusal_status(const SignalRefusal& r) {
  if (r.kind == SignalRefusal::Kind::NotReady) return 503;
  if (!r.engine) return 422;
  switch (r.engine->kind) {
    case SignalErrorKind::Invalid:
    case SignalErrorKind::RiskDenied: return 422;
    case SignalErrorKind::Halted: return 409;
    case SignalErrorKind::OrderFailed: return 500;
  }
  return 422;
}

std::string_view refusal_kind(const SignalRefusal& r) {
  if (r.kind == SignalRefusal::Kind::NotReady) return "not_ready";
  return r.engine ? to_string(r.engine->kind) : "unknown";
}

class Handlers {
 public:
  Handlers(ApiBackend& backend, TradingNode* node) : backend_(backend), node_(node) {}

  ApiResponse status() {
    const DaemonStatus d = backend_.status();
    json::object o;
    o["version"] = d.version;
    o["mode"] = d.mode;
    o["phase"] = d.phase;
    o["uptime_seconds"] = d.uptime_seconds;
    o["ready"] = d.ready;
    json::object conditions;
    for (const auto& c : d.conditions) conditions[c.name] = json::object{{"ready", c.ready}, {"detail", c.detail}};
    o["readiness"] = std::move(conditions);
    if (node_ != nullptr) {
      json::object n;
      n["state"] = std::string(to_string(node_->state()));
      n["trading_state"] = std::string(to_string(node_->risk().trading_state()));
      n["breaker_tripped"] = node_->risk().breaker().tripped();
      n["emergency_stop_running"] = node_->emergency_stop_running();
      n["orders"] = node_->manager().order_count();
      n["open_orders"] = node_->manager().open_orders().size();
      n["open_positions"] = node_->tracker().open_position_count();
      n["signals"] = node_->stats().signals;
      n["fills"] = node_->stats().fills_applied;
      o["node"] = std::move(n);
    } else {
      o["node"] = nullptr;
    }
    return reply(200, o);
  }

  ApiResponse submit_signal(std::string_view body) {
    auto decoded = protocol::decode_signal_body(body);
    if (!decoded) {
      const auto& e = decoded.error();
      auto o = error_json(protocol::to_string(e.code), e.detail);
      o["field"] = e.field;
      o["message"] = e.message();
      return reply(400, o);
    }
    std::vector<InstrumentId> ids;
    for (const auto& p : node_->tracker().positions()) ids.push_back(p.id());
    auto signal = protocol::to_signal(*decoded, ids);
    if (!signal) {
      const auto& e = signal.error();
      auto o = error_json(protocol::to_string(e.code), e.detail);
      o["field"] = e.field;
      o["message"] = e.message();
      return reply(422, o);
    }
    // The latest market price, as in-process strategies give it: sizes notional orders, measures slippage.
    if (!signal->reference_price) signal->reference_price = node_->tracker().prices().reference(signal->instrument);
    auto id = node_->submit_signal(*signal);
    if (!id) {
      const auto& r = id.error();
      auto o = error_json("signal_refused", r.detail);
      o["reason"] = std::string(r.reason());
      o["kind"] = std::string(refusal_kind(r));
      return reply(refusal_status(r), o);
    }
    const Order* order = node_->manager().find(*id);
    if (order == nullptr) return error(500, "internal", "the order was created but is not found");
    return reply(200, order_json(*order));
  }

  ApiResponse orders(std::string_view query) {
    bool open_only = false;
    if (!query.empty()) {
      if (query == "status=open") open_only = true;
      else if (query == "status=all") open_only = false;
      else if (query.starts_with("status=")) return error(400, "invalid_query", "status must be open or all");
      else return error(400, "invalid_query", "the only query parameter is status=open|all");
    }
    json::array list;
    for (const Order* o : open_only ? node_->manager().open_orders() : node_->manager().all_orders())
      list.push_back(order_json(*o));
    return reply(200, json::object{{"orders", std::move(list)}});
  }

  ApiResponse order(OrderId id) {
    const Order* o = node_->manager().find(id);
    if (o == nullptr) return error(404, "unknown_order", "no order with id " + std::to_string(id));
    return reply(200, order_json(*o));
  }

  ApiResponse cancel(OrderId id) {
    auto r = node_->cancel_order(id, "api");
    if (!r) {
      const auto& e = r.error();
      if (e.kind == OrderErrorKind::UnknownOrder) return error(404, "unknown_order", "no order with id " + std::to_string(id));
      auto o = error_json(to_string(e.kind), e.detail.empty() ? "the order cannot be canceled" : e.detail);
      if (const Order* order = node_->manager().find(id)) o["order"] = order_json(*order);
      return reply(409, o);
    }
    const Order* o = node_->manager().find(id);
    return reply(202, json::object{{"order", o ? json::value(order_json(*o)) : json::value(nullptr)}});
  }

  ApiResponse cancel_all() {
    const std::size_t n = node_->cancel_all_orders("api");
    return reply(202, json::object{{"canceled", n}});
  }

  ApiResponse positions() {
    json::array list;
    for (const auto& p : node_->portfolio().snapshot().positions) list.push_back(position_json(p));
    return reply(200, json::object{{"positions", std::move(list)}});
  }

  // The instrument as GET /v1/positions names it (venue, market, symbol); 404 when the node does not
  // trade it, 409 when reconciliation does not block it (nothing to acknowledge).
  ApiResponse acknowledge(std::span<const std::string_view> params) {
    std::string text;
    for (auto p : params) text.append(text.empty() ? "" : ":").append(p);
    const auto id = InstrumentId::parse(text);
    if (!id || node_->tracker().find(*id) == nullptr)
      return error(404, "unknown_instrument", "no instrument " + text + " (see GET /v1/positions)");
    if (!node_->acknowledge_mismatch(*id, "api"))
      return error(409, "not_blocked", "the instrument is not blocked by a reconciliation mismatch");
    json::object o{{"acknowledged", true}};
    o["venue"] = std::string(to_string(id->venue));
    o["market"] = std::string(to_string(id->kind));
    o["symbol"] = std::string(id->symbol.view());
    return reply(200, o);
  }

  ApiResponse portfolio() { return reply(200, portfolio_json(node_->portfolio().snapshot())); }
  ApiResponse risk() { return reply(200, risk_json(*node_)); }

  ApiResponse emergency_stop() {
    const bool running = node_->emergency_stop_running();
    backend_.request_emergency_stop("api");
    return reply(202, json::object{{"accepted", true}, {"already_running", running}, {"risk", risk_json(*node_)}});
  }

  ApiResponse trip(const json::object& body) {
    std::string detail = "manual trip (api)";
    if (const auto* d = body.if_contains("detail")) detail = std::string(d->as_string());
    if (detail.size() > kMaxTripDetail) return error(400, "invalid_value", "detail is longer than 200 characters");
    for (char c : detail)  // it goes to the log and the journal as one line
      if (static_cast<unsigned char>(c) < 0x20) return error(400, "invalid_value", "detail must not contain control characters");
    const bool changed = node_->trip_breaker(detail, "api");
    return reply(200, json::object{{"changed", changed}, {"breaker", breaker_json(node_->risk().breaker())}});
  }

  ApiResponse reset() {
    auto r = node_->reset_breaker("api");
    if (!r) {
      const bool cooling = r.error() == ResetError::CoolingDown;
      auto o = error_json(to_string(r.error()), cooling ? "the breaker is in its cooldown; reset after cooldown_ends_ns"
                                                        : "the breaker is not tripped");
      o["breaker"] = breaker_json(node_->risk().breaker());
      return reply(409, o);
    }
    return reply(200, json::object{{"was", std::string(to_string(r->was))}, {"breaker", breaker_json(node_->risk().breaker())}});
  }

 private:
  ApiBackend& backend_;
  TradingNode* node_;
};

}  // namespace

ApiRouter::ApiRouter(ApiBackend& backend, RouterOptions options) : backend_(backend), options_(std::move(options)) {}

std::span<const Route> ApiRouter::routes() { return kRoutes; }

ApiResponse ApiRouter::handle(const ApiRequest& req, bool upgrade) {
  const std::string_view target = req.target;
  const auto qpos = target.find('?');
  const std::string_view path = target.substr(0, qpos);
  const std::string_view query = qpos == std::string_view::npos ? std::string_view{} : target.substr(qpos + 1);

  // The route first (for the metrics label), but nothing about it is revealed before authentication.
  int best = -1;
  std::vector<const Route*> matches;
  std::string_view id_text;
  std::vector<std::string_view> params;
  for (const auto& r : kRoutes) {
    std::vector<std::string_view> ps;
    const int s = match_score(r.path, path, &ps);
    if (s < 0 || s < best) continue;
    if (s > best) matches.clear(), best = s;
    matches.push_back(&r);
    if (!ps.empty()) params = std::move(ps);
    if (r.path.find("{id}") != std::string_view::npos) id_text = params.front();
  }
  const Route* route = nullptr;
  for (const Route* r : matches)
    if (r->method == req.method) route = r;

  auto finish = [&](ApiResponse res) {
    if (route != nullptr) res.endpoint = std::string(route->method) + " " + std::string(route->path);
    return res;
  };

  if (req.body.size() > options_.max_body_bytes)
    return finish(error(413, "body_too_large", "the body exceeds api.max_body_bytes (" +
                                                   std::to_string(options_.max_body_bytes) + " bytes)"));
  if (!bearer_token_matches(req.authorization, options_.token)) {
    auto res = error(401, "unauthorized",
                     req.authorization.empty() ? "missing Authorization: Bearer <TRADINGD_API_TOKEN> header"
                                               : "wrong bearer token");
    res.headers.emplace_back("WWW-Authenticate", "Bearer");
    return finish(std::move(res));
  }
  if (matches.empty()) return finish(error(404, "not_found", "no endpoint at " + std::string(path) + " (see daemon/api/openapi.yaml)"));
  if (route == nullptr) {
    std::string allow;
    for (const Route* r : matches) allow += (allow.empty() ? "" : ", ") + std::string(r->method);
    auto res = error(405, "method_not_allowed", std::string(req.method) + " is not allowed here; use " + allow);
    res.headers.emplace_back("Allow", allow);
    return finish(std::move(res));
  }
  const std::string_view rpath = route->path;
  if (!query.empty() && rpath != "/v1/orders")
    return finish(error(400, "invalid_query", "this endpoint takes no query parameters"));

  if (rpath == "/v1/events") {
    if (!upgrade) {
      auto res = error(426, "upgrade_required", "GET /v1/events is a WebSocket: send Upgrade: websocket");
      res.headers.emplace_back("Upgrade", "websocket");
      return finish(std::move(res));
    }
    if (backend_.node() == nullptr) return finish(error(503, "no_trading_node", "this daemon runs no trading node"));
    return finish(ApiResponse{kUpgradeAccepted, "", {}, "other"});
  }

  try {
    TradingNode* node = backend_.node();
    Handlers h(backend_, node);
    if (rpath == "/v1/status") return finish(h.status());
    if (node == nullptr) return finish(error(503, "no_trading_node", "this daemon runs no trading node"));
    std::optional<OrderId> id;
    if (rpath.find("{id}") != std::string_view::npos) {
      id = parse_order_id(id_text);
      if (!id) return finish(error(400, "invalid_order_id", "an order id is a positive integer, got \"" + std::string(id_text) + "\""));
    }
    // Endpoints without a body take none (or "{}"); trip takes an optional detail.
    static constexpr std::string_view kTripFields[] = {"detail"};
    if (route->method == "POST" && rpath != "/v1/signals") {
      const bool trip = rpath == "/v1/circuit-breaker/trip";
      auto body = action_body(req.body, trip ? std::span<const std::string_view>(kTripFields) : std::span<const std::string_view>{});
      if (!body) return finish(body.error());
      if (rpath == "/v1/circuit-breaker/trip") return finish(h.trip(*body));
    } else if (route->method == "GET" && !req.body.empty()) {
      return finish(error(400, "unexpected_body", "GET requests take no body"));
    }
    if (rpath == "/v1/signals") return finish(h.submit_signal(req.body));
    if (rpath == "/v1/orders") return finish(h.orders(query));
    if (rpath == "/v1/orders/{id}") return finish(h.order(*id));
    if (rpath == "/v1/orders/{id}/cancel") return finish(h.cancel(*id));
    if (rpath == "/v1/orders/cancel-all") return finish(h.cancel_all());
    if (rpath == "/v1/positions") return finish(h.positions());
    if (rpath == "/v1/positions/{venue}/{market}/{symbol}/acknowledge") return finish(h.acknowledge(params));
    if (rpath == "/v1/portfolio") return finish(h.portfolio());
    if (rpath == "/v1/risk") return finish(h.risk());
    if (rpath == "/v1/emergency-stop") return finish(h.emergency_stop());
    if (rpath == "/v1/circuit-breaker/reset") return finish(h.reset());
    return finish(error(500, "internal", "route without a handler"));
  } catch (const std::exception& e) {
    return finish(error(500, "internal", e.what()));
  }
}

}  // namespace tradingd::daemon::api
