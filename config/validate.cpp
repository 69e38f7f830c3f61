// validate(): every rule a Config must satisfy, all violations reported. Field ranges come from the
// schema table (the same rules the reader applies, here re-checked because the environment and code can
// change a Config after parsing); the cross-field rules below are the ones no single key can express.
#include <algorithm>
#include <set>

#include "config/load.h"
#include "config/schema.h"

namespace tradingd::config {
namespace {

using schema::quote;

class Validator {
 public:
  Validator(std::string file, ConfigErrors& errors) : file_(std::move(file)), errors_(errors) {}

  template <class T, class Spec>
  void field(std::string_view key, const T& value, const Spec& spec, bool = false) {
    check(path(key), value, spec);
  }
  template <class Fn>
  void section(std::string_view key, Fn&& fn) {
    const std::string saved = prefix_;
    prefix_ = path(key) + ".";
    fn();
    prefix_ = saved;
  }
  template <class E, class Fn>
  void list(std::string_view key, const std::vector<E>& items, Fn&& fn) {
    const std::string saved = prefix_;
    for (std::size_t i = 0; i < items.size(); ++i) {
      prefix_ = saved + std::string(key) + "[" + std::to_string(i) + "].";
      fn(items[i]);
    }
    prefix_ = saved;
  }

 private:
  std::string path(std::string_view key) const { return prefix_ + std::string(key); }
  void fail(const std::string& path, const std::string& expected, std::string_view got) {
    errors_.push_back({file_, path, "expected " + expected + ", got " + quote(got), 0});
  }

  void check(const std::string& p, const std::string& v, const schema::TextSpec& s) {
    if (!schema::text_ok(v, s.kind)) fail(p, schema::describe(s), v);
  }
  void check(const std::string&, bool, const schema::BoolSpec&) {}
  void check(const std::string&, std::uint64_t, const schema::SeedSpec&) {}
  void check(const std::string& p, std::int64_t v, const schema::IntSpec& s) {
    if (!schema::in_range(v, s)) fail(p, schema::describe(s), std::to_string(v));
  }
  void check(const std::string& p, int v, const schema::IntSpec& s) { check(p, std::int64_t{v}, s); }
  template <class Tag>
  void check(const std::string& p, Fixed<Tag> v, const schema::DecSpec& s) {
    if (!schema::in_range(v.raw(), s)) fail(p, schema::describe(s), v.to_string());
  }
  template <class Tag>
  void check(const std::string& p, const std::optional<Fixed<Tag>>& v, const schema::DecSpec& s) {
    if (v) check(p, *v, s);
  }
  template <class E>
  void check(const std::string& p, E v, const schema::EnumSpec&) {
    if (!schema::enum_allowed(v)) fail(p, schema::describe_enum<E>(), to_string(v));
  }
  void check(const std::string& p, const Symbol& v, const schema::SymbolSpec& s) {
    if (v.empty()) fail(p, schema::describe(s), v.view());
  }
  void check(const std::string& p, const std::map<std::string, Money>& v, const schema::BalancesSpec&) {
    for (const auto& [asset, amount] : v) {
      if (!schema::asset_name_ok(asset)) fail(p, "an asset name in upper case (e.g. USDT)", asset);
      else check(p + "." + asset, amount, schema::dec_non_negative());
    }
  }
  void check(const std::string& p, const std::map<std::string, std::string>& v, const schema::ParamsSpec&) {
    for (const auto& [name, value] : v)
      if (name.empty()) fail(p, "a parameter name", name);
  }
  void check(const std::string&, const std::vector<std::string>&, const schema::CommandSpec&) {}
  void check(const std::string& p, const std::vector<InstrumentId>& v, const schema::InstrumentRefsSpec&) {
    for (std::size_t i = 0; i < v.size(); ++i) {
      check(p + "[" + std::to_string(i) + "].venue", v[i].venue, schema::EnumSpec{});
      check(p + "[" + std::to_string(i) + "].symbol", v[i].symbol, schema::SymbolSpec{});
    }
  }

  std::string file_;
  ConfigErrors& errors_;
  std::string prefix_;
};

bool upper_alnum(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); });
}

// The venue's own symbol spelling: BTCUSDT on Binance and Bybit; BTC-USDT and BTC-USDT-SWAP on OKX.
std::optional<std::string> symbol_problem(const InstrumentId& id) {
  const std::string_view s = id.symbol.view();
  if (id.venue != Venue::Okx) {
    if (upper_alnum(s)) return std::nullopt;
    return "expected the venue's symbol in upper-case letters and digits (e.g. BTCUSDT), got " + quote(s);
  }
  std::vector<std::string_view> parts;
  for (std::size_t start = 0;;) {
    const auto dash = s.find('-', start);
    parts.push_back(s.substr(start, dash == std::string_view::npos ? std::string_view::npos : dash - start));
    if (dash == std::string_view::npos) break;
    start = dash + 1;
  }
  const bool parts_ok = std::all_of(parts.begin(), parts.end(), upper_alnum);
  if (id.kind == MarketKind::Spot && parts_ok && parts.size() == 2) return std::nullopt;
  if (id.kind == MarketKind::LinearPerp && parts_ok && parts.size() == 3 && parts[2] == "SWAP") return std::nullopt;
  return id.kind == MarketKind::Spot
             ? "expected an OKX spot symbol like BTC-USDT, got " + quote(s)
             : "expected an OKX perpetual symbol like BTC-USDT-SWAP, got " + quote(s);
}

bool strategy_name_ok(std::string_view name) {
  return !name.empty() && name.size() <= StrategyId::capacity() &&
         std::all_of(name.begin(), name.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
                  c == '-' || c == '.';
         });
}

void cross_field_rules(const Config& c, ConfigErrors& errors) {
  auto add = [&](std::string key, std::string message) {
    errors.push_back({c.source_path, std::move(key), std::move(message), 0});
  };

  if (c.mode == TradingMode::Live && !c.venues.binance.enabled && !c.venues.bybit.enabled && !c.venues.okx.enabled)
    add("mode", "live mode needs at least one enabled venue (venues.<venue>.enabled, or an instrument on it)");

  for (Venue v : schema::EnumChoices<Venue>::values) {
    const VenueConfig& vc = c.venues.get(v);
    const std::string base = "venues." + std::string(to_string(v)) + ".";
    // OKX offers demo trading only; Binance spot and Bybit have testnets.
    if (v == Venue::Okx && vc.environment == VenueEnvironment::Testnet)
      add(base + "environment", "okx has no testnet; expected production or demo (OKX demo trading)");
    if (v != Venue::Binance) {
      if (!vc.futures_rest_url.empty()) add(base + "futures_rest_url", "only binance has separate futures endpoints");
      if (!vc.futures_ws_url.empty()) add(base + "futures_ws_url", "only binance has separate futures endpoints");
    }
  }

  std::map<InstrumentId, std::size_t> seen_instruments;
  for (std::size_t i = 0; i < c.instruments.size(); ++i) {
    const InstrumentConfig& inst = c.instruments[i];
    const std::string base = "instruments[" + std::to_string(i) + "]";
    if (!schema::enum_allowed(inst.id.venue)) continue;  // reported by the field check
    if (!c.venues.get(inst.id.venue).enabled)
      add(base + ".venue", std::string(to_string(inst.id.venue)) + " is disabled (venues." +
                               std::string(to_string(inst.id.venue)) +
                               ".enabled: false); enable the venue or remove the instrument");
    if (!inst.id.symbol.empty())
      if (auto problem = symbol_problem(inst.id)) add(base + ".symbol", *problem);
    if (inst.id.kind == MarketKind::Spot && inst.leverage != 1)
      add(base + ".leverage", "expected 1 for a spot instrument, got " + quote(std::to_string(inst.leverage)));
    const auto [it, inserted] = seen_instruments.emplace(inst.id, i);
    if (!inserted)
      add(base, "duplicate of instruments[" + std::to_string(it->second) + "] (" + inst.id.to_string() + ")");
  }

  if (c.market_data.reconnect_initial_ms > c.market_data.reconnect_max_ms)
    add("market_data.reconnect_initial_ms", "expected at most market_data.reconnect_max_ms (" +
                                                std::to_string(c.market_data.reconnect_max_ms) + "), got " +
                                                quote(std::to_string(c.market_data.reconnect_initial_ms)));

  if (c.risk.sizing.method == SizingMethod::FixedQuantity && !c.risk.sizing.quantity.is_positive())
    add("risk.sizing.quantity", "expected a number > 0 when risk.sizing.method is fixed_quantity, got " +
                                    quote(c.risk.sizing.quantity.to_string()));

  // Two listeners on one fixed port: the second bind would fail at startup, long after validation.
  const auto api = parse_host_port(c.api.listen);
  const auto metrics = parse_host_port(c.metrics.listen);
  if (api && metrics && api->port != 0 && api->port == metrics->port &&
      (api->host == metrics->host || api->host == "0.0.0.0" || metrics->host == "0.0.0.0"))
    add("api.listen", "expected an address other than metrics.listen (" + c.metrics.listen + ")");

  std::map<std::string, std::size_t> names;
  for (std::size_t i = 0; i < c.strategies.size(); ++i) {
    const StrategyConfig& s = c.strategies[i];
    const std::string base = "strategies[" + std::to_string(i) + "]";
    if (!strategy_name_ok(s.name))
      add(base + ".name", "expected 1 to 31 letters, digits, '_', '-' or '.', got " + quote(s.name));
    else if (const auto [it, inserted] = names.emplace(s.name, i); !inserted)
      add(base + ".name", "duplicate strategy name " + quote(s.name) + " (also strategies[" +
                              std::to_string(it->second) + "])");
    if (s.type.empty() == s.command.empty())
      add(base, s.type.empty() ? "expected either type (a built-in strategy) or command (an external program)"
                               : "expected either type or command, not both");
    if (!s.command.empty() && s.command.front().empty())
      add(base + ".command[0]", "expected the program to run, got \"\"");
    if (s.instruments.empty()) add(base + ".instruments", "expected at least one instrument");
    for (std::size_t k = 0; k < s.instruments.size(); ++k) {
      const InstrumentId& id = s.instruments[k];
      if (!seen_instruments.contains(id))
        add(base + ".instruments[" + std::to_string(k) + "]",
            id.to_string() + " is not in instruments (list it there with its venue settings)");
    }
  }
}

}  // namespace

ConfigErrors validate(const Config& config) {
  ConfigErrors errors;
  Validator validator(config.source_path, errors);
  schema::visit_config(validator, config);
  cross_field_rules(config, errors);
  return errors;
}

}  // namespace tradingd::config
