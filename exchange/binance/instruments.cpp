// Binance REST exchangeInfo → core Instruments. Filter objects list their fields in any order (the
// futures response puts filterType last), so each filter's fields are collected before it is read.
// Values beyond the fixed-point range (a "maxQty" of 9e10) mean "no practical limit" and become zero.
#include "exchange/binance/parse.h"
#include "exchange/detail/json_read.h"

namespace tradingd {
namespace {

namespace od = simdjson::ondemand;
using detail::fail;
using detail::limit_value;

struct FilterFields {
  std::string_view type, tick_size, step_size, min_qty, max_qty, min_notional, notional;
};

struct SymbolFields {
  std::string_view symbol, status, base, quote, margin, contract_type;
  Price tick;
  Quantity step, min_qty, max_qty, market_step;
  Money min_notional;
};

// Parses an optional limit; out-of-range values are "unlimited" (zero), syntax errors fail.
std::optional<ParseError> read_filter(od::object obj, SymbolFields& s) {
  FilterFields f;
  for (auto fr : obj) {
    od::field field;
    if (std::move(fr).get(field)) return fail(ParseErrorCode::InvalidJson, "filters");
    std::string_view key;
    key = detail::raw_key(field);
    od::value v = field.value();
    std::string_view* slot = key == "filterType"    ? &f.type
                             : key == "tickSize"    ? &f.tick_size
                             : key == "stepSize"    ? &f.step_size
                             : key == "minQty"      ? &f.min_qty
                             : key == "maxQty"      ? &f.max_qty
                             : key == "minNotional" ? &f.min_notional
                             : key == "notional"    ? &f.notional
                                                    : nullptr;
    if (slot && !detail::scalar_text(v, *slot)) return fail(ParseErrorCode::WrongType, "filters");
  }
  bool ok = true;
  if (f.type == "PRICE_FILTER") {
    ok = limit_value(f.tick_size, s.tick);
  } else if (f.type == "LOT_SIZE") {
    ok = limit_value(f.step_size, s.step) && limit_value(f.min_qty, s.min_qty) && limit_value(f.max_qty, s.max_qty);
  } else if (f.type == "MARKET_LOT_SIZE") {
    ok = limit_value(f.step_size, s.market_step);
  } else if (f.type == "MIN_NOTIONAL" || f.type == "NOTIONAL") {
    // Spot MIN_NOTIONAL/NOTIONAL say minNotional; USD-M MIN_NOTIONAL says notional.
    ok = limit_value(f.min_notional.empty() ? f.notional : f.min_notional, s.min_notional);
  }
  if (!ok) return fail(ParseErrorCode::BadDecimal, "filters");
  return std::nullopt;
}

std::optional<ParseError> read_symbol(od::object obj, SymbolFields& s) {
  for (auto fr : obj) {
    od::field field;
    if (std::move(fr).get(field)) return fail(ParseErrorCode::InvalidJson, "symbols");
    std::string_view key;
    key = detail::raw_key(field);
    od::value v = field.value();
    std::string_view* slot = key == "symbol"         ? &s.symbol
                             : key == "status"       ? &s.status
                             : key == "baseAsset"    ? &s.base
                             : key == "quoteAsset"   ? &s.quote
                             : key == "marginAsset"  ? &s.margin
                             : key == "contractType" ? &s.contract_type
                                                     : nullptr;
    if (slot) {
      if (!detail::read_string(v, *slot)) return fail(ParseErrorCode::WrongType, "symbols");
    } else if (key == "filters") {
      od::array filters;
      if (v.get_array().get(filters)) return fail(ParseErrorCode::WrongType, "filters");
      for (auto item : filters) {
        od::object fobj;
        if (std::move(item).get_object().get(fobj)) return fail(ParseErrorCode::WrongType, "filters");
        if (auto err = read_filter(fobj, s)) return err;
      }
    }
  }
  return std::nullopt;
}

}  // namespace

Result<std::vector<Instrument>, ParseError> parse_binance_exchange_info(std::string_view body, MarketKind kind) try {
  if (body.empty()) return Err{fail(ParseErrorCode::Empty, "")};
  od::parser parser;
  detail::PaddedBuffer input;
  od::document doc;
  if (parser.iterate(input.wrap(body, 0)).get(doc)) return Err{fail(ParseErrorCode::InvalidJson, "")};
  od::object root;
  if (doc.get_object().get(root)) return Err{fail(ParseErrorCode::InvalidJson, "")};
  std::vector<Instrument> out;
  bool has_symbols = false;
  for (auto fr : root) {
    od::field field;
    if (std::move(fr).get(field)) return Err{fail(ParseErrorCode::InvalidJson, "object")};
    std::string_view key;
    key = detail::raw_key(field);
    if (key != "symbols") continue;
    has_symbols = true;
    od::array symbols;
    if (field.value().get_array().get(symbols)) return Err{fail(ParseErrorCode::WrongType, "symbols")};
    for (auto item : symbols) {
      od::object sobj;
      if (std::move(item).get_object().get(sobj)) return Err{fail(ParseErrorCode::WrongType, "symbols")};
      SymbolFields s;
      if (auto err = read_symbol(sobj, s)) return Err{*err};
      if (s.status != "TRADING") continue;
      if (kind == MarketKind::LinearPerp && s.contract_type != "PERPETUAL") continue;
      auto symbol = make_inline<Symbol>(s.symbol);
      auto base = make_inline<Asset>(s.base), quote = make_inline<Asset>(s.quote);
      auto settle = make_inline<Asset>(kind == MarketKind::LinearPerp && !s.margin.empty() ? s.margin : s.quote);
      if (!symbol || s.symbol.empty() || !base || !quote || !settle) return Err{fail(ParseErrorCode::BadValue, "symbol")};
      Instrument inst;
      inst.id = InstrumentId{Venue::Binance, kind, *symbol};
      inst.base = *base;
      inst.quote = *quote;
      inst.settle = *settle;
      inst.tick_size = s.tick;
      inst.step_size = s.step;
      inst.min_quantity = s.min_qty;
      inst.max_quantity = s.max_qty;
      inst.min_notional = s.min_notional;
      // MARKET_LOT_SIZE stepSize 0 means "same as LOT_SIZE", which a zero market_step_size already says.
      inst.market_step_size = s.market_step;
      out.push_back(inst);
    }
  }
  if (!detail::at_document_end(doc)) return Err{fail(ParseErrorCode::InvalidJson, "trailing")};
  if (!has_symbols) return Err{fail(ParseErrorCode::MissingField, "symbols")};
  return out;
} catch (...) {
  return Err{fail(ParseErrorCode::Internal, "")};
}

}  // namespace tradingd
