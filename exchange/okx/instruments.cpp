// OKX REST public/instruments → core Instruments (state "live" only). SPOT: tickSz, lotSz, minSz, maxLmtSz.
// SWAP: linear contracts only; sizes are in contracts, so step/min are lotSz/minSz and the contract
// multiplier is ctVal × ctMult in ctValCcy (the base). Limits beyond the fixed-point range (maxLmtSz
// "99999999999999") mean "no practical limit" and become zero.
#include "exchange/detail/json_read.h"
#include "exchange/okx/parse.h"

namespace tradingd {
namespace {

namespace od = simdjson::ondemand;
using detail::fail;
using detail::limit_value;

struct ItemFields {
  std::string_view inst_id, inst_type, state, base, quote, settle, ct_type, ct_val, ct_mult, ct_val_ccy, tick, lot,
      min_sz, max_lmt_sz, lever;
};

}  // namespace

Result<std::vector<Instrument>, ParseError> parse_okx_instruments(std::string_view body) try {
  if (body.empty()) return Err{fail(ParseErrorCode::Empty, "")};
  od::parser parser;
  detail::PaddedBuffer input;
  od::document doc;
  if (parser.iterate(input.wrap(body, 0)).get(doc)) return Err{fail(ParseErrorCode::InvalidJson, "")};
  od::object root;
  if (doc.get_object().get(root)) return Err{fail(ParseErrorCode::InvalidJson, "")};
  std::vector<Instrument> out;
  std::string_view code;
  bool has_data = false;
  for (auto fr : root) {
    od::field field;
    if (std::move(fr).get(field)) return Err{fail(ParseErrorCode::InvalidJson, "object")};
    std::string_view key;
    key = detail::raw_key(field);
    if (key == "code") {
      if (!detail::scalar_text(field.value(), code)) return Err{fail(ParseErrorCode::WrongType, "code")};
      continue;
    }
    if (key != "data") continue;
    has_data = true;
    od::array data;
    if (field.value().get_array().get(data)) return Err{fail(ParseErrorCode::WrongType, "data")};
    for (auto item : data) {
      od::object obj;
      if (std::move(item).get_object().get(obj)) return Err{fail(ParseErrorCode::WrongType, "data")};
      ItemFields it;
      for (auto ifr : obj) {
        od::field ifield;
        if (std::move(ifr).get(ifield)) return Err{fail(ParseErrorCode::InvalidJson, "data")};
        std::string_view ikey;
        ikey = detail::raw_key(ifield);
        std::string_view* slot = ikey == "instId"     ? &it.inst_id
                                 : ikey == "instType" ? &it.inst_type
                                 : ikey == "state"    ? &it.state
                                 : ikey == "baseCcy"  ? &it.base
                                 : ikey == "quoteCcy" ? &it.quote
                                 : ikey == "settleCcy" ? &it.settle
                                 : ikey == "ctType"   ? &it.ct_type
                                 : ikey == "ctVal"    ? &it.ct_val
                                 : ikey == "ctMult"   ? &it.ct_mult
                                 : ikey == "ctValCcy" ? &it.ct_val_ccy
                                 : ikey == "tickSz"   ? &it.tick
                                 : ikey == "lotSz"    ? &it.lot
                                 : ikey == "minSz"    ? &it.min_sz
                                 : ikey == "maxLmtSz" ? &it.max_lmt_sz
                                 : ikey == "lever"    ? &it.lever
                                                      : nullptr;
        if (slot && !detail::read_string(ifield.value(), *slot)) return Err{fail(ParseErrorCode::WrongType, "data")};
      }
      if (it.state != "live") continue;
      const bool swap = it.inst_type == "SWAP";
      if (!swap && it.inst_type != "SPOT") continue;
      if (swap && it.ct_type != "linear") continue;
      Instrument inst;
      auto symbol = make_inline<Symbol>(it.inst_id);
      if (!symbol || it.inst_id.empty()) return Err{fail(ParseErrorCode::BadValue, "instId")};
      inst.id = InstrumentId{Venue::Okx, swap ? MarketKind::LinearPerp : MarketKind::Spot, *symbol};
      // A linear swap's base is its contract-value currency and its quote the settlement currency (the
      // swap rows leave baseCcy/quoteCcy empty).
      auto base = make_inline<Asset>(swap ? it.ct_val_ccy : it.base);
      auto quote = make_inline<Asset>(swap ? it.settle : it.quote);
      auto settle = make_inline<Asset>(swap ? it.settle : it.quote);
      if (!base || !quote || !settle || base->empty() || quote->empty()) return Err{fail(ParseErrorCode::BadValue, "ccy")};
      inst.base = *base;
      inst.quote = *quote;
      inst.settle = *settle;
      bool ok = limit_value(it.tick, inst.tick_size) && limit_value(it.lot, inst.step_size) &&
                limit_value(it.min_sz, inst.min_quantity) && limit_value(it.max_lmt_sz, inst.max_quantity);
      if (swap) {
        Quantity ct_val, ct_mult = Quantity::from_units(1);
        ok = ok && limit_value(it.ct_val, ct_val) && limit_value(it.ct_mult, ct_mult);
        if (ok && ct_val.is_positive()) inst.contract_multiplier = fixed_mul<Quantity>(ct_val, ct_mult, Rounding::Nearest);
        Quantity lever;
        ok = ok && limit_value(it.lever, lever);
        if (ok && lever.is_positive()) inst.max_leverage = static_cast<int>(lever.raw() / fixed::kScale);
      }
      if (!ok) return Err{fail(ParseErrorCode::BadDecimal, "data")};
      out.push_back(inst);
    }
  }
  if (!detail::at_document_end(doc)) return Err{fail(ParseErrorCode::InvalidJson, "trailing")};
  if (code != "0") return Err{fail(ParseErrorCode::UnknownMessage, "code")};
  if (!has_data) return Err{fail(ParseErrorCode::MissingField, "data")};
  return out;
} catch (...) {
  return Err{fail(ParseErrorCode::Internal, "")};
}

}  // namespace tradingd
