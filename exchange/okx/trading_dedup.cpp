// OkxEventFilter: see trading_dedup.h.
#include "exchange/okx/trading_dedup.h"

namespace tradingd::okx {

bool OkxEventFilter::remember(std::string key) {
  if (!seen_.insert(key).second) {
    ++duplicates_;
    return false;
  }
  order_.push_back(std::move(key));
  if (order_.size() > capacity_) {
    seen_.erase(order_.front());
    order_.pop_front();
  }
  return true;
}

bool OkxEventFilter::remember_fill(const OrderFilled& f) {
  return remember("F" + f.instrument.symbol.str() + '|' + f.trade_id.str());
}

bool OkxEventFilter::admit(const VenueEvent& event) {
  if (const auto* f = std::get_if<OrderFilled>(&event)) return remember_fill(*f);
  if (const auto* a = std::get_if<OrderAccepted>(&event)) return remember("A" + a->client_order_id.str());
  if (const auto* c = std::get_if<OrderCanceled>(&event)) return remember("C" + c->client_order_id.str());
  return true;
}

}  // namespace tradingd::okx
