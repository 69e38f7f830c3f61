// Internal to the emulator's Binance trading side (private_rest.cpp, private_frames.cpp): the venue's
// names for order vocabulary. Not a public header.
#pragma once

#include <string_view>

#include "core/enums.h"

namespace tradingd::emulator::binance {

inline std::string_view status_name(OrderStatus s) {
  switch (s) {
    case OrderStatus::PartiallyFilled: return "PARTIALLY_FILLED";
    case OrderStatus::Filled: return "FILLED";
    case OrderStatus::Canceled: return "CANCELED";
    case OrderStatus::Rejected: return "REJECTED";
    case OrderStatus::Expired: return "EXPIRED";
    default: return "NEW";
  }
}
inline std::string_view type_name(OrderType t, TimeInForce tif, bool fut) {
  switch (t) {
    case OrderType::Market: return "MARKET";
    case OrderType::Limit: return !fut && tif == TimeInForce::PostOnly ? "LIMIT_MAKER" : "LIMIT";
    case OrderType::StopMarket: return fut ? "STOP_MARKET" : "STOP_LOSS";
    case OrderType::StopLimit: return fut ? "STOP" : "STOP_LOSS_LIMIT";
  }
  return "LIMIT";
}
inline std::string_view tif_name(TimeInForce t, bool fut) {
  switch (t) {
    case TimeInForce::Ioc: return "IOC";
    case TimeInForce::Fok: return "FOK";
    case TimeInForce::PostOnly: return fut ? "GTX" : "GTC";
    default: return "GTC";
  }
}
inline std::string_view side_name(Side s) { return s == Side::Buy ? "BUY" : "SELL"; }
inline bool is_stop(OrderType t) { return t == OrderType::StopMarket || t == OrderType::StopLimit; }

}  // namespace tradingd::emulator::binance
