// OrderResolver: settles one order whose state we are unsure of, by asking the venue, never by resending.
// Query by client order id -> not found: the order never reached the venue (rejected "not found");
// found: if the venue counts more filled than we do, fetch its fills (applied de-duplicated by trade id),
// then apply its status. A venue that reports fills we cannot see by trade id is reported as FillsMissing
// and the order is not marked filled: filled status only ever comes from counted fills.
// Used by the OrderMonitor (ack timeouts, unknown outcomes) and the Reconciler (start-up).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string_view>

#include "execution/order_manager.h"

namespace tradingd {

enum class ResolveOutcome : std::uint8_t {
  Updated,       // the venue's answer is applied; filled quantities agree
  NotFound,      // the venue does not know the order: rejected locally as not found
  FillsMissing,  // the venue says more is filled than the fills we could fetch
  QueryFailed,   // the venue did not answer (network, rate limit): try again later
  NoVenue,       // the order's venue is not registered
  UnknownOrder,  // no such order here
};
std::string_view to_string(ResolveOutcome o);

class OrderResolver {
 public:
  // fills_lookback_ns: fills are fetched from this long before the order was created (clock skew).
  explicit OrderResolver(OrderManager& manager, std::int64_t fills_lookback_ns = 60 * kNanosPerSecond);
  OrderResolver(const OrderResolver&) = delete;
  OrderResolver& operator=(const OrderResolver&) = delete;

  // done runs when the venue has answered (maybe synchronously); never after the resolver is destroyed.
  void resolve(OrderId id, std::function<void(ResolveOutcome)> done);

 private:
  void on_report(OrderId id, const OrderStatusReport& report, std::function<void(ResolveOutcome)> done);

  OrderManager& manager_;
  std::int64_t lookback_ns_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace tradingd
