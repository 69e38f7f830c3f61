// The JSON shapes of the control API and the events stream: orders, fills, positions, the portfolio, the
// risk state and errors. One function per shape, so GET /v1/orders, POST /v1/signals and the events
// stream answer an order in the same form. Decimals are exact strings; absent values are null.
#pragma once

#include <string>
#include <string_view>

#include <boost/json/object.hpp>

#include "execution/node/trading_node.h"

namespace tradingd::daemon::api {

boost::json::object order_json(const Order& order);
boost::json::object fill_json(const Order& order, const Fill& fill);
boost::json::object position_json(const PositionSnapshot& p);
boost::json::object portfolio_json(const PortfolioSnapshot& s);
boost::json::object breaker_json(const CircuitBreaker& breaker);
boost::json::object risk_json(const TradingNode& node);

// {"error": code, "detail": detail} plus any extra fields.
boost::json::object error_json(std::string_view code, std::string_view detail);

std::string to_text(const boost::json::object& o);

}  // namespace tradingd::daemon::api
