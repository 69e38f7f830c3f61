// Bybit REST instruments-info → core Instruments. Spot: step = basePrecision, minimum notional =
// minOrderAmt (minOrderQty/maxOrderQty are deprecated and unchecked by Bybit, so the max quantity comes
// from maxLimitOrderQty when present). Linear: qtyStep, minOrderQty, maxOrderQty, minNotionalValue,
// leverageFilter.maxLeverage. Values beyond the fixed-point range mean "no practical limit" (zero).
#include "exchange/bybit/parse.h"
#include "exchange/detail/json_read.h"

namespace tradingd {
namespace {

namespace od = simdjson::ondemand;
using detail::fail;
using detail::limit_value;

struct ItemFields {
  std::string_view symbol, status, base, quote, settle, contract_type;
  std::string_view tick, qty_step, base_precision, min_qty, max_qty, max_limit_qty, min_notional, min_order_amt,
      max_leverage;
};

std::optional<ParseError> read_object_texts(od::object obj, ItemFields& it) {
  for (auto fr : obj) {
    od::field field;
    if (std::move(fr).get(field)) return fail(ParseErrorCode::InvalidJson, "list");
    std::string_view key;
    key = detail::raw_key(field);
    od::value v = field.value();
    od::json_type type;
    if (v.type().get(type)) return fail(ParseErrorCode::InvalidJson, "list");
    if (type == od::json_type::object) {
      if (key != "priceFilter" && key != "lotSizeFilter" && key != "leverageFilter") continue;
      od::object inner;
      if (v.get_object().get(inner)) return fail(ParseErrorCode::InvalidJson, "list");
      if (auto err = read_object_texts(inner, it)) return err;
      continue;
    }
    std::string_view* slot = key == "symbol"             ? &it.symbol
                             : key == "status"           ? &it.status
                             : key == "baseCoin"         ? &it.base
                             : key == "quoteCoin"        ? &it.quote
                             : key == "settleCoin"       ? &it.settle
                             : key == "contractType"     ? &it.contract_type
                             : key == "tickSize"         ? &it.tick
                             : key == "qtyStep"          ? &it.qty_step
                             : key == "basePrecision"    ? &it.base_precision
                             : key == "minOrderQty"      ? &it.min_qty
                             : key == "maxOrderQty"      ? &it.max_qty
                             : key == "maxLimitOrderQty" ? &it.max_limit_qty
                             : key == "minNotionalValue" ? &it.min_notional
                             : key == "minOrderAmt"      ? &it.min_order_amt
                             : key == "maxLeverage"      ? &it.max_leverage
                                                         : nullptr;
    if (slot && type == od::json_type::string && !detail::read_string(v, *slot))
      return fail(ParseErrorCode::WrongType, "list");
  }
  return std::nullopt;
}

}  // namespace

Result<std::vector<Instrument>, ParseError> parse_bybit_instruments(std::string_view body, MarketKind kind,
                                                                    std::string* next_page_cursor) try {
  if (body.empty()) return Err{fail(ParseErrorCode::Empty, "")};
  od::parser parser;
  detail::PaddedBuffer input;
  od::document doc;
  if (parser.iterate(input.wrap(body, 0)).get(doc)) return Err{fail(ParseErrorCode::InvalidJson, "")};
  od::object root;
  if (doc.get_object().get(root)) return Err{fail(ParseErrorCode::InvalidJson, "")};
  std::vector<Instrument> out;
  std::int64_t ret_code = -1;
  bool has_list = false;
  if (next_page_cursor) next_page_cursor->clear();
  for (auto fr : root) {
    od::field field;
    if (std::move(fr).get(field)) return Err{fail(ParseErrorCode::InvalidJson, "object")};
    std::string_view key;
    key = detail::raw_key(field);
    if (key == "retCode") {
      if (!detail::read_i64(field.value(), ret_code)) return Err{fail(ParseErrorCode::WrongType, "retCode")};
      continue;
    }
    if (key != "result") continue;
    od::object result;
    if (field.value().get_object().get(result)) return Err{fail(ParseErrorCode::WrongType, "result")};
    for (auto rf : result) {
      od::field rfield;
      if (std::move(rf).get(rfield)) return Err{fail(ParseErrorCode::InvalidJson, "result")};
      std::string_view rkey;
      rkey = detail::raw_key(rfield);
      if (rkey == "nextPageCursor") {
        std::string_view cursor;
        if (!detail::read_string(rfield.value(), cursor)) cursor = {};  // null on the last page
        if (next_page_cursor) next_page_cursor->assign(cursor);
        continue;
      }
      if (rkey != "list") continue;
      has_list = true;
      od::array list;
      if (rfield.value().get_array().get(list)) return Err{fail(ParseErrorCode::WrongType, "list")};
      for (auto item : list) {
        od::object obj;
        if (std::move(item).get_object().get(obj)) return Err{fail(ParseErrorCode::WrongType, "list")};
        ItemFields it;
        if (auto err = read_object_texts(obj, it)) return Err{*err};
        if (it.status != "Trading") continue;
        if (kind == MarketKind::LinearPerp && it.contract_type != "LinearPerpetual") continue;
        auto symbol = make_inline<Symbol>(it.symbol);
        auto base = make_inline<Asset>(it.base), quote = make_inline<Asset>(it.quote);
        auto settle = make_inline<Asset>(kind == MarketKind::LinearPerp && !it.settle.empty() ? it.settle : it.quote);
        if (!symbol || it.symbol.empty() || !base || !quote || !settle) return Err{fail(ParseErrorCode::BadValue, "symbol")};
        Instrument inst;
        inst.id = InstrumentId{Venue::Bybit, kind, *symbol};
        inst.base = *base;
        inst.quote = *quote;
        inst.settle = *settle;
        Money min_notional;
        bool ok = limit_value(it.tick, inst.tick_size);
        if (kind == MarketKind::Spot) {
          ok = ok && limit_value(it.base_precision, inst.step_size) && limit_value(it.min_qty, inst.min_quantity) &&
               limit_value(it.max_limit_qty.empty() ? it.max_qty : it.max_limit_qty, inst.max_quantity) &&
               limit_value(it.min_order_amt, min_notional);
        } else {
          ok = ok && limit_value(it.qty_step, inst.step_size) && limit_value(it.min_qty, inst.min_quantity) &&
               limit_value(it.max_qty, inst.max_quantity) && limit_value(it.min_notional, min_notional);
          Quantity lev;
          ok = ok && limit_value(it.max_leverage, lev);
          if (ok && lev.is_positive()) inst.max_leverage = static_cast<int>(lev.raw() / fixed::kScale);
        }
        if (!ok) return Err{fail(ParseErrorCode::BadDecimal, "list")};
        inst.min_notional = min_notional;
        out.push_back(inst);
      }
    }
  }
  if (!detail::at_document_end(doc)) return Err{fail(ParseErrorCode::InvalidJson, "trailing")};
  if (ret_code != 0) return Err{fail(ParseErrorCode::UnknownMessage, "retCode")};
  if (!has_list) return Err{fail(ParseErrorCode::MissingField, "list")};
  return out;
} catch (...) {
  return Err{fail(ParseErrorCode::Internal, "")};
}

}  // namespace tradingd
