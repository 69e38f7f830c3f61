// Internal to the OKX trading parsers (included by their .cpp files only): simdjson DOM readers that
// never throw, and the record converters shared by the REST and private-stream parsers.
#pragma once

#include <simdjson.h>

#include <optional>
#include <string_view>

#include "core/fixed_point.h"
#include "exchange/execution_venue.h"

namespace tradingd::okx::detail {

namespace dom = simdjson::dom;

// A string field ("" when absent or not a string).
inline std::string_view str(dom::object o, std::string_view key) {
  std::string_view v;
  if (o[key].get_string().get(v) != simdjson::SUCCESS) return {};
  return v;
}
// A code field as text: OKX sends strings, tolerate integers.
std::string code_text(dom::object o, std::string_view key);

// Decimal fields: absent/empty → nullopt; bad text sets `bad`.
struct Reader {
  bool bad = false;
  template <class T>
  std::optional<T> dec(dom::object o, std::string_view key) {
    const std::string_view t = str(o, key);
    if (t.empty()) return std::nullopt;
    auto r = T::parse(t);
    if (!r) {
      bad = true;
      return std::nullopt;
    }
    return *r;
  }
  // Balances: OKX prints up to 18 decimals ("100.52768569797846"); digits below 10^-9 are dust in a
  // report (never an order amount) and are truncated toward zero instead of failing the whole answer.
  std::optional<Money> balance(dom::object o, std::string_view key) {
    std::string_view t = str(o, key);
    if (t.empty()) return std::nullopt;
    if (auto dot = t.find('.'); dot != std::string_view::npos && t.size() - dot - 1 > 9 &&
                                t.find_first_not_of("0123456789", dot + 1) == std::string_view::npos)
      t = t.substr(0, dot + 10);
    auto r = Money::parse(t);
    if (!r) {
      bad = true;
      return std::nullopt;
    }
    return *r;
  }
  std::int64_t ms(dom::object o, std::string_view key);  // 0 when absent; bad text sets `bad`
};

// Order record (REST trade/order, orders-pending; WS orders push) → report.
std::optional<OrderStatusReport> order_report(dom::object o, Reader& rd);
// The record's own fill (fillSz > 0 and a tradeId), for the WS orders push; nullopt otherwise.
std::optional<OrderFilled> order_fill(dom::object o, Reader& rd);
std::optional<Balance> balance_detail(dom::object o, Reader& rd);
std::optional<PositionReport> position(dom::object o, Reader& rd);

}  // namespace tradingd::okx::detail
