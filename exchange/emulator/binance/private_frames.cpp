// The emulator's Binance private-stream frames (see private.h): each account event formatted once, as
// executionReport / outboundAccountPosition (spot) and ORDER_TRADE_UPDATE / ALGO_UPDATE / ACCOUNT_UPDATE
// (USD-M), with the duplicate_fill and out_of_order faults applied here.
#include <boost/json.hpp>

#include "exchange/emulator/binance/private.h"
#include "exchange/emulator/binance/private_format.h"
#include "exchange/emulator/binance/service.h"

namespace tradingd::emulator::binance {
namespace json = boost::json;

// --- private-stream frames ------------------------------------------------------------------------------
void BinancePrivate::pump(std::int64_t now_ms) {
  while (faults_.duplicate_fill_pending > 0) {
    --faults_.duplicate_fill_pending;
    account_.duplicate_last_fill(now_ms);
  }
  const auto events = account_.events_since(formatted_seq_);
  std::vector<PrivateFrame> fresh;
  for (const auto& ae : events) {
    formatted_seq_ = ae.seq;
    PrivateFrame f;
    const VenueEvent& ev = ae.event;
    if (const auto* a = std::get_if<AccountReport>(&ev)) {
      json::array spot_b, fut_b;
      for (const auto& b : a->balances) {
        spot_b.push_back(json::object{{"a", b.asset.view()}, {"f", fmt(b.free, 8)}, {"l", fmt(b.locked, 8)}});
        fut_b.push_back(json::object{{"a", b.asset.view()}, {"wb", fmt(b.total(), 8)}, {"cw", fmt(b.total(), 8)}, {"bc", "0"}});
      }
      json::array fut_p;
      for (const auto& p : a->positions) {
        if (p.instrument.kind != MarketKind::LinearPerp) continue;
        fut_p.push_back(json::object{{"s", p.instrument.symbol.view()}, {"pa", p.quantity.to_string()}, {"ep", p.entry_price.to_string()},
                                     {"bep", p.entry_price.to_string()}, {"cr", "0"}, {"up", "0"}, {"mt", "cross"}, {"iw", "0"}, {"ps", "BOTH"}});
      }
      f.spot = json::serialize(json::object{{"e", "outboundAccountPosition"}, {"E", ae.ts_ms}, {"u", ae.ts_ms}, {"B", std::move(spot_b)}});
      f.futures = json::serialize(json::object{{"e", "ACCOUNT_UPDATE"}, {"E", ae.ts_ms}, {"T", ae.ts_ms},
                                               {"a", json::object{{"m", "ORDER"}, {"B", std::move(fut_b)}, {"P", std::move(fut_p)}}}});
      fresh.push_back(std::move(f));
      continue;
    }
    // Order events: x (execution type), the order's current state, and this event's fill.
    InstrumentId inst;
    ClientOrderId cid;
    std::string_view x;
    const OrderFilled* fill = std::get_if<OrderFilled>(&ev);
    std::string reject_reason = "NONE";
    std::visit([&](const auto& e) {
      using T = std::decay_t<decltype(e)>;
      if constexpr (!std::is_same_v<T, AccountReport> && !std::is_same_v<T, VenueConnectionChanged>) {
        inst = e.instrument;
        cid = e.client_order_id;
      }
      if constexpr (std::is_same_v<T, OrderAccepted>) x = "NEW";
      else if constexpr (std::is_same_v<T, OrderCanceled>) x = "CANCELED";
      else if constexpr (std::is_same_v<T, OrderExpired>) x = "EXPIRED";
      else if constexpr (std::is_same_v<T, OrderRejected>) x = "REJECTED";
      else if constexpr (std::is_same_v<T, OrderFilled>) x = "TRADE";
    }, ev);
    if (x.empty()) continue;
    const auto report = account_.order(cid);
    if (!report) continue;
    const bool fut = inst.kind == MarketKind::LinearPerp;
    const MarketSim* m = markets_.find(inst.kind, inst.symbol.view());
    if (!m) continue;
    f.order_event = true;
    const auto& s = m->spec();
    auto& cum = cumulative_[std::string(cid.view())];
    std::string_view X = x == "NEW" ? "NEW" : x == "CANCELED" ? "CANCELED" : x == "EXPIRED" ? "EXPIRED" : x == "REJECTED" ? "REJECTED" : "";
    if (fill) {
      cum.first = cum.first + fill->last_quantity;
      cum.second = cum.second + fixed_mul<Money>(fill->last_price, fill->last_quantity, Rounding::Nearest);
      X = cum.first >= report->quantity ? "FILLED" : "PARTIALLY_FILLED";
    }
    const std::string l = fill ? (fut ? qty(s, fill->last_quantity) : fmt(fill->last_quantity, 8)) : (fut ? "0" : "0.00000000");
    const std::string L = fill ? (fut ? px(s, fill->last_price) : fmt(fill->last_price, 8)) : (fut ? "0" : "0.00000000");
    const std::int64_t trade_id = fill ? parse_int(fill->trade_id.view()).value_or(0) : -1;
    const std::int64_t order_id = parse_int(report->venue_order_id.view()).value_or(0);
    if (fut && is_stop(report->type) && !fill) {
      // Conditional orders report their life on ALGO_UPDATE (their fills come as ORDER_TRADE_UPDATE).
      const std::string key(cid.view());
      json::object o;
      o["caid"] = cid.view();
      o["aid"] = order_id;
      o["at"] = "CONDITIONAL";
      o["o"] = type_name(report->type, report->time_in_force, true);
      o["s"] = s.symbol;
      o["S"] = side_name(report->side);
      o["ps"] = "BOTH";
      o["f"] = tif_name(report->time_in_force, true);
      o["q"] = qty(s, report->quantity);
      o["X"] = x == "NEW" ? "NEW" : x == "CANCELED" ? "CANCELED" : x == "EXPIRED" ? "EXPIRED" : "REJECTED";
      o["ai"] = "";
      o["ap"] = "0";
      o["aq"] = "0";
      o["act"] = "0";
      o["tp"] = algo_triggers_.count(key) ? px(s, algo_triggers_[key]) : "0";
      o["p"] = px(s, report->price.value_or(Price::zero()));
      o["V"] = "EXPIRE_MAKER";
      o["wt"] = "CONTRACT_PRICE";
      o["pm"] = "NONE";
      o["cp"] = false;
      o["pP"] = false;
      o["R"] = report->reduce_only;
      o["tt"] = 0;
      o["gtd"] = 0;
      f.futures = json::serialize(json::object{{"e", "ALGO_UPDATE"}, {"T", ae.ts_ms}, {"E", ae.ts_ms}, {"o", std::move(o)}});
    } else if (fut) {
      json::object o;
      o["s"] = s.symbol;
      o["c"] = cid.view();
      o["S"] = side_name(report->side);
      o["o"] = type_name(report->type, report->time_in_force, true);
      o["f"] = tif_name(report->time_in_force, true);
      o["q"] = qty(s, report->quantity);
      o["p"] = px(s, report->price.value_or(Price::zero()));
      o["ap"] = cum.first.is_positive() ? px(s, fixed_div<Price>(cum.second, cum.first, Rounding::Nearest)) : "0";
      o["sp"] = "0";
      o["x"] = x;
      o["X"] = X;
      o["i"] = order_id;
      o["l"] = l;
      o["z"] = qty(s, cum.first);
      o["L"] = L;
      if (fill) {
        o["N"] = fill->fee_asset.view();
        o["n"] = fmt(fill->fee, 8);
      }
      o["T"] = ae.ts_ms;
      o["t"] = fill ? trade_id : 0;
      o["b"] = "0";
      o["a"] = "0";
      o["m"] = fill && fill->liquidity == LiquiditySide::Maker;
      o["R"] = report->reduce_only;
      o["wt"] = "CONTRACT_PRICE";
      o["ot"] = o["o"];
      o["ps"] = "BOTH";
      o["cp"] = false;
      o["rp"] = "0";
      o["pP"] = false;
      o["si"] = 0;
      o["ss"] = 0;
      o["V"] = "EXPIRE_MAKER";
      o["pm"] = "NONE";
      o["gtd"] = 0;
      f.futures = json::serialize(json::object{{"e", "ORDER_TRADE_UPDATE"}, {"E", ae.ts_ms}, {"T", ae.ts_ms}, {"o", std::move(o)}});
    } else {
      json::object e;
      e["e"] = "executionReport";
      e["E"] = ae.ts_ms;
      e["s"] = s.symbol;
      e["c"] = x == "CANCELED" ? "cancel-" + std::string(cid.view()) : std::string(cid.view());
      e["S"] = side_name(report->side);
      e["o"] = type_name(report->type, report->time_in_force, false);
      e["f"] = tif_name(report->time_in_force, false);
      e["q"] = fmt(report->quantity, 8);
      e["p"] = fmt(report->price.value_or(Price::zero()), 8);
      e["P"] = fmt(report->price ? Price::zero() : Price::zero(), 8);
      e["F"] = "0.00000000";
      e["g"] = -1;
      e["C"] = x == "CANCELED" ? std::string(cid.view()) : std::string();
      e["x"] = x;
      e["X"] = X;
      e["r"] = reject_reason;
      e["i"] = order_id;
      e["l"] = l;
      e["z"] = fmt(cum.first, 8);
      e["L"] = L;
      e["n"] = fill ? fmt(fill->fee, 8) : "0";
      if (fill) e["N"] = fill->fee_asset.view();
      else e["N"] = nullptr;
      e["T"] = ae.ts_ms;
      e["t"] = trade_id;
      e["I"] = static_cast<std::int64_t>(ae.seq);
      e["w"] = X == "NEW" || X == "PARTIALLY_FILLED";
      e["m"] = fill && fill->liquidity == LiquiditySide::Maker;
      e["M"] = false;
      e["O"] = report->ts_event_ns / kNanosPerMilli;
      e["Z"] = fmt(cum.second, 8);
      e["Y"] = fill ? fmt(fixed_mul<Money>(fill->last_price, fill->last_quantity, Rounding::Nearest), 8) : "0.00000000";
      e["Q"] = "0.00000000";
      e["W"] = report->ts_event_ns / kNanosPerMilli;
      e["V"] = "NONE";
      f.spot = json::serialize(e);
    }
    fresh.push_back(std::move(f));
  }
  // Frames get their own increasing seq (connections keep cursors on it). Out of order: an order event is
  // held back and released after the next order event (account updates pass meanwhile).
  for (auto& f : fresh) {
    const bool order_event = f.order_event;
    if (order_event && held_) {
      f.seq = ++frame_seq_;
      frames_.push_back(std::move(f));
      held_->seq = ++frame_seq_;
      frames_.push_back(std::move(*held_));
      held_.reset();
      continue;
    }
    if (order_event && faults_.reorder_pending > 0) {
      --faults_.reorder_pending;
      held_ = std::move(f);
      continue;
    }
    f.seq = ++frame_seq_;
    frames_.push_back(std::move(f));
  }
  while (frames_.size() > EmulatedAccount::kMaxLog) frames_.pop_front();
}

}  // namespace tradingd::emulator::binance
