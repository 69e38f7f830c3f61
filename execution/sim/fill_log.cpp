// Text rendering of fills (see fill_log.h).
#include "execution/sim/fill_log.h"

namespace tradingd::sim {

std::string render_fill(const OrderFilled& f) {
  std::string s;
  s.reserve(160);
  s += std::to_string(f.ts_event_ns);
  s += ' ';
  s += f.instrument.to_string();
  s += ' ';
  s += f.client_order_id.view();
  s += " order=";
  s += f.venue_order_id.view();
  s += " trade=";
  s += f.trade_id.view();
  s += ' ';
  s += to_string(f.side);
  s += ' ';
  s += f.last_quantity.to_string();
  s += '@';
  s += f.last_price.to_string();
  s += " fee=";
  s += f.fee.to_string();
  s += ' ';
  s += f.fee_asset.view();
  s += ' ';
  s += to_string(f.liquidity);
  return s;
}

namespace {
template <class Fills>
std::string render_lines(const Fills& fills) {
  std::string out;
  out.reserve(fills.size() * 128);
  for (const auto& f : fills) {
    out += render_fill(f);
    out += '\n';
  }
  return out;
}
}  // namespace

std::string render_fill_log(std::span<const OrderFilled> fills) { return render_lines(fills); }
std::string render_fill_log(const RingQueue<OrderFilled>& fills) { return render_lines(fills); }

}  // namespace tradingd::sim
