// OKX v5 private WebSocket parser: see trading_stream.h.
#include "exchange/okx/trading_stream.h"

#include "exchange/okx/trading_json.h"
#include "exchange/okx/trading_parse.h"

namespace tradingd::okx {
namespace {

using namespace detail;
thread_local dom::parser t_stream_parser;

}  // namespace

std::string subscribe_private_frame() {
  return R"({"op":"subscribe","args":[{"channel":"orders","instType":"ANY"},{"channel":"positions","instType":"SWAP"},{"channel":"account"}]})";
}

Result<OkxStreamMessage, std::string> parse_stream(std::string_view text) {
  OkxStreamMessage m;
  if (text == "pong") {
    m.kind = OkxStreamMessage::Kind::Pong;
    return m;
  }
  dom::element doc;
  dom::object o;
  if (t_stream_parser.parse(text.data(), text.size()).get(doc) != simdjson::SUCCESS ||
      doc.get_object().get(o) != simdjson::SUCCESS)
    return Err{std::string("not a JSON object")};
  const std::string_view event = str(o, "event");
  m.code = code_text(o, "code");
  m.msg = str(o, "msg");
  dom::object arg;
  if (o["arg"].get_object().get(arg) == simdjson::SUCCESS) m.channel = str(arg, "channel");
  if (!event.empty()) {
    if (event == "login") m.kind = m.code.empty() || m.code == "0" ? OkxStreamMessage::Kind::Login : OkxStreamMessage::Kind::Error;
    else if (event == "subscribe") m.kind = OkxStreamMessage::Kind::Subscribed;
    else if (event == "error" || event == "channel-conn-count-error") m.kind = OkxStreamMessage::Kind::Error;
    else if (event == "notice") m.kind = OkxStreamMessage::Kind::Notice;
    return m;
  }
  dom::array data;
  if (o["data"].get_array().get(data) != simdjson::SUCCESS) return m;  // Other: counted by the caller
  Reader rd;
  if (m.channel == "orders") {
    m.kind = OkxStreamMessage::Kind::Orders;
    for (dom::element e : data) {
      dom::object it;
      if (e.get_object().get(it) != simdjson::SUCCESS) return Err{std::string("orders item not an object")};
      auto report = order_report(it, rd);
      if (!report) return Err{std::string("orders item")};
      auto fill = order_fill(it, rd);
      if (rd.bad) return Err{std::string("orders item field")};
      if (report->status == OrderStatus::Accepted && !fill)
        m.events.emplace_back(OrderAccepted{report->instrument, report->client_order_id, report->venue_order_id, report->ts_event_ns});
      if (fill) m.events.emplace_back(*fill);
      if (report->status == OrderStatus::Canceled)
        m.events.emplace_back(OrderCanceled{report->instrument, report->client_order_id, report->venue_order_id, report->ts_event_ns});
      m.orders.push_back(*report);
    }
  } else if (m.channel == "account") {
    m.kind = OkxStreamMessage::Kind::Account;
    AccountReport ar;
    ar.venue = Venue::Okx;
    for (dom::element e : data) {
      dom::object it;
      if (e.get_object().get(it) != simdjson::SUCCESS) return Err{std::string("account item")};
      ar.ts_event_ns = rd.ms(it, "uTime") * kNanosPerMilli;
      dom::array details;
      if (it["details"].get_array().get(details) != simdjson::SUCCESS) continue;
      for (dom::element d : details) {
        dom::object det;
        if (d.get_object().get(det) != simdjson::SUCCESS) return Err{std::string("account detail")};
        if (auto b = balance_detail(det, rd)) ar.balances.push_back(*b);
      }
    }
    if (rd.bad) return Err{std::string("account field")};
    m.events.emplace_back(std::move(ar));
  } else if (m.channel == "positions") {
    m.kind = OkxStreamMessage::Kind::Positions;
    AccountReport ar;
    ar.venue = Venue::Okx;
    for (dom::element e : data) {
      dom::object it;
      if (e.get_object().get(it) != simdjson::SUCCESS) return Err{std::string("positions item")};
      if (auto p = position(it, rd)) ar.positions.push_back(*p);
      ar.ts_event_ns = std::max(ar.ts_event_ns, rd.ms(it, "uTime") * kNanosPerMilli);
    }
    if (rd.bad) return Err{std::string("positions field")};
    m.events.emplace_back(std::move(ar));
  }
  return m;
}

}  // namespace tradingd::okx
