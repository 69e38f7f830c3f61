// YamlReader's conversions from YAML scalars to typed values. Decimals are parsed exactly from the
// scalar's source text (plain 0.1 and quoted "0.1" are the same text), never through double; integers
// with from_chars; booleans only as true/false, so YAML 1.1's yes/no/on/off cannot flip a switch by accident.
#include "config/yaml_reader.h"

#include <algorithm>
#include <charconv>

namespace tradingd::config {
namespace {

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diag = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

// "did you mean" for a close typo, else the list of keys allowed here.
std::string unknown_key_message(std::string_view key, const std::vector<std::string>& known) {
  const std::string* best = nullptr;
  std::size_t best_distance = 0;
  for (const auto& k : known) {
    // A key typed short ("max_drawdown" for "max_drawdown_pct") is close to the known key's beginning.
    const std::size_t prefix = edit_distance(key, std::string_view(k).substr(0, key.size())) + 1;
    const std::size_t d = std::min(edit_distance(key, k), prefix);
    if (best == nullptr || d < best_distance) {
      best = &k;
      best_distance = d;
    }
  }
  if (best != nullptr && best_distance <= std::max<std::size_t>(2, key.size() / 3))
    return "unknown key; did you mean " + schema::quote(*best) + "?";
  std::string list;
  for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
  return known.empty() ? "unknown key" : "unknown key (expected one of: " + list + ")";
}

template <class Int>
std::optional<Int> parse_integer(std::string_view text) {
  Int v{};
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc{} || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return v;
}

}  // namespace

void YamlReader::enter(YAML::Node map, std::string path, int line) {
  Frame f;
  f.path = std::move(path);
  f.line = line;
  if (map.IsMap()) {
    for (auto it = map.begin(); it != map.end(); ++it) f.raw.emplace_back(it->first, it->second);
  }
  frames_.push_back(std::move(f));
}

void YamlReader::leave() {
  const Frame& f = frames_.back();
  std::set<std::string, std::less<>> seen;
  for (const auto& [key, value] : f.raw) {
    const int line = line_of(key);
    if (!key.IsScalar()) {
      add_error(f.path, line, "expected a plain key, got " + got(key));
      continue;
    }
    const std::string path = f.path.empty() ? key.Scalar() : f.path + "." + key.Scalar();
    if (!seen.insert(key.Scalar()).second) {
      // yaml-cpp keeps both; which one would win is not something a risk limit should depend on.
      add_error(path, line, "duplicate key");
      continue;
    }
    if (std::find(f.known.begin(), f.known.end(), key.Scalar()) == f.known.end())
      add_error(path, line, unknown_key_message(key.Scalar(), f.known));
  }
  frames_.pop_back();
}

const YamlReader::Entry* YamlReader::take(std::string_view key) {
  Frame& f = frames_.back();
  f.known.emplace_back(key);
  for (const auto& [k, v] : f.raw) {
    if (k.IsScalar() && k.Scalar() == key) {
      Entry e{v, child_path(key), line_of(k)};
      lines_.emplace(e.path, e.line);
      f.taken.push_back(std::move(e));
      return &f.taken.back();
    }
  }
  return nullptr;
}

std::string YamlReader::child_path(std::string_view key) const {
  const std::string& base = frames_.back().path;
  return base.empty() ? std::string(key) : base + "." + std::string(key);
}

void YamlReader::missing(std::string_view key, const std::string& expected) {
  add_error(child_path(key), frames_.back().line, "required key is missing: expected " + expected);
}

void YamlReader::type_error(const Entry& e, const std::string& expected) {
  add_error(e.path, e.line, "expected " + expected + ", got " + got(e.value));
}

void YamlReader::add_error(std::string path, int line, std::string message) {
  errors_.push_back(ConfigError{file_, std::move(path), std::move(message), line});
}

int YamlReader::line_of(const YAML::Node& node) {
  const int line = node.Mark().line;
  return line >= 0 ? line + 1 : 0;  // yaml-cpp counts from 0; -1 means unknown
}

std::string YamlReader::got(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Null: return "nothing (null)";
    case YAML::NodeType::Map: return "a mapping";
    case YAML::NodeType::Sequence: return "a list";
    case YAML::NodeType::Scalar: return schema::quote(node.Scalar());
    case YAML::NodeType::Undefined: break;
  }
  return "nothing";
}

const std::string* YamlReader::scalar(const Entry& e, const std::string& expected) {
  if (e.value.IsScalar()) return &e.value.Scalar();
  type_error(e, expected);
  return nullptr;
}

std::optional<std::int64_t> YamlReader::decimal(const Entry& e, const schema::DecSpec& spec) {
  const std::string expected = schema::describe(spec);
  const std::string* text = scalar(e, expected);
  if (text == nullptr) return std::nullopt;
  const auto raw = fixed::parse_raw(*text);
  if (!raw) {
    std::string message = "expected " + expected + ", got " + schema::quote(*text);
    if (raw.error() == DecimalError::TooPrecise || raw.error() == DecimalError::OutOfRange)
      message += " (" + std::string(tradingd::to_string(raw.error())) + ")";
    add_error(e.path, e.line, std::move(message));
    return std::nullopt;
  }
  if (!schema::in_range(*raw, spec)) {
    add_error(e.path, e.line, "expected " + expected + ", got " + schema::quote(*text));
    return std::nullopt;
  }
  return *raw;
}

void YamlReader::read(const Entry& e, std::string& value, const schema::TextSpec& spec) {
  const std::string expected = schema::describe(spec);
  const std::string* text = scalar(e, expected);
  if (text == nullptr) return;
  if (!schema::text_ok(*text, spec.kind)) {
    add_error(e.path, e.line, "expected " + expected + ", got " + schema::quote(*text));
    return;
  }
  value = *text;
}

void YamlReader::read(const Entry& e, bool& value, const schema::BoolSpec& spec) {
  const std::string expected = schema::describe(spec);
  const std::string* text = scalar(e, expected);
  if (text == nullptr) return;
  if (*text == "true" || *text == "True" || *text == "TRUE") value = true;
  else if (*text == "false" || *text == "False" || *text == "FALSE") value = false;
  else add_error(e.path, e.line, "expected " + expected + ", got " + schema::quote(*text));
}

void YamlReader::read(const Entry& e, std::int64_t& value, const schema::IntSpec& spec) {
  const std::string expected = schema::describe(spec);
  const std::string* text = scalar(e, expected);
  if (text == nullptr) return;
  const auto v = parse_integer<std::int64_t>(*text);
  if (!v || !schema::in_range(*v, spec)) {
    add_error(e.path, e.line, "expected " + expected + ", got " + schema::quote(*text));
    return;
  }
  value = *v;
}

void YamlReader::read(const Entry& e, int& value, const schema::IntSpec& spec) {
  std::int64_t wide = value;
  const std::size_t before = errors_.size();
  read(e, wide, spec);
  // The schema keeps int fields' ranges inside int; the check keeps a wrong spec from wrapping.
  if (errors_.size() == before && wide >= INT32_MIN && wide <= INT32_MAX) value = static_cast<int>(wide);
}

void YamlReader::read(const Entry& e, std::uint64_t& value, const schema::SeedSpec& spec) {
  const std::string expected = schema::describe(spec);
  const std::string* text = scalar(e, expected);
  if (text == nullptr) return;
  if (auto v = parse_integer<std::uint64_t>(*text)) value = *v;
  else add_error(e.path, e.line, "expected " + expected + ", got " + schema::quote(*text));
}

void YamlReader::read(const Entry& e, Symbol& value, const schema::SymbolSpec& spec) {
  const std::string expected = schema::describe(spec);
  const std::string* text = scalar(e, expected);
  if (text == nullptr) return;
  auto symbol = Symbol::make(*text);
  if (!symbol || text->empty()) {
    add_error(e.path, e.line, "expected " + expected + ", got " + schema::quote(*text));
    return;
  }
  value = *symbol;
}

void YamlReader::read(const Entry& e, std::map<std::string, Money>& value, const schema::BalancesSpec& spec) {
  if (e.value.IsNull()) {  // `starting_balances:` with nothing: no balances at all
    value.clear();
    return;
  }
  if (!e.value.IsMap()) {
    type_error(e, schema::describe(spec));
    return;
  }
  // Replaces the default balances rather than merging, so the file states the whole account.
  std::map<std::string, Money> out;
  const std::size_t before = errors_.size();
  for (auto it = e.value.begin(); it != e.value.end(); ++it) {
    const int line = line_of(it->first);
    if (!it->first.IsScalar() || !schema::asset_name_ok(it->first.Scalar())) {
      add_error(e.path, line, "expected an asset name in upper case (e.g. USDT), got " + got(it->first));
      continue;
    }
    const Entry item{it->second, e.path + "." + it->first.Scalar(), line};
    lines_.emplace(item.path, line);
    if (out.contains(it->first.Scalar())) {
      add_error(item.path, line, "duplicate key");
      continue;
    }
    if (auto raw = decimal(item, schema::dec_non_negative())) out[it->first.Scalar()] = Money::from_raw(*raw);
  }
  if (errors_.size() == before) value = std::move(out);
}

void YamlReader::read(const Entry& e, std::map<std::string, std::string>& value, const schema::ParamsSpec& spec) {
  if (e.value.IsNull()) {
    value.clear();
    return;
  }
  if (!e.value.IsMap()) {
    type_error(e, schema::describe(spec));
    return;
  }
  std::map<std::string, std::string> out;
  const std::size_t before = errors_.size();
  for (auto it = e.value.begin(); it != e.value.end(); ++it) {
    const int line = line_of(it->first);
    if (!it->first.IsScalar() || it->first.Scalar().empty()) {
      add_error(e.path, line, "expected a parameter name, got " + got(it->first));
      continue;
    }
    const std::string path = e.path + "." + it->first.Scalar();
    lines_.emplace(path, line);
    if (out.contains(it->first.Scalar())) {
      add_error(path, line, "duplicate key");
      continue;
    }
    // Parameters stay text: the strategy parses its own, exactly (a decimal never goes through double).
    if (!it->second.IsScalar()) {
      add_error(path, line, "expected a single value (number or string), got " + got(it->second));
      continue;
    }
    out[it->first.Scalar()] = it->second.Scalar();
  }
  if (errors_.size() == before) value = std::move(out);
}

void YamlReader::read(const Entry& e, std::vector<std::string>& value, const schema::CommandSpec& spec) {
  if (e.value.IsNull()) {
    value.clear();
    return;
  }
  if (!e.value.IsSequence()) {
    type_error(e, schema::describe(spec));
    return;
  }
  std::vector<std::string> out;
  bool ok = true;
  for (const YAML::Node& arg : e.value) {
    if (!arg.IsScalar()) {
      add_error(e.path + "[" + std::to_string(out.size()) + "]", line_of(arg), "expected a string, got " + got(arg));
      ok = false;
    }
    out.push_back(arg.IsScalar() ? arg.Scalar() : std::string());
  }
  if (ok) value = std::move(out);
}

std::optional<InstrumentId> YamlReader::instrument_ref(const YAML::Node& node, const std::string& path) {
  const int line = line_of(node);
  lines_.emplace(path, line);
  if (node.IsScalar()) {
    auto id = InstrumentId::parse(node.Scalar());
    if (!id) add_error(path, line, "expected \"venue:market:symbol\" (e.g. binance:spot:BTCUSDT), got " + got(node));
    return id;
  }
  if (!node.IsMap()) {
    add_error(path, line, "expected \"venue:market:symbol\" or {venue, market, symbol}, got " + got(node));
    return std::nullopt;
  }
  InstrumentId id;
  const std::size_t before = errors_.size();
  enter(node, path, line);
  field("venue", id.venue, schema::EnumSpec{}, true);
  field("market", id.kind, schema::EnumSpec{}, true);
  field("symbol", id.symbol, schema::SymbolSpec{}, true);
  leave();
  if (errors_.size() != before) return std::nullopt;
  return id;
}

void YamlReader::read(const Entry& e, std::vector<InstrumentId>& value, const schema::InstrumentRefsSpec& spec) {
  if (e.value.IsNull()) {
    value.clear();
    return;
  }
  if (!e.value.IsSequence()) {
    type_error(e, schema::describe(spec));
    return;
  }
  std::vector<InstrumentId> out;
  bool ok = true;
  for (const YAML::Node& item : e.value) {
    auto id = instrument_ref(item, e.path + "[" + std::to_string(out.size()) + "]");
    ok = ok && id.has_value();
    out.push_back(id.value_or(InstrumentId{}));
  }
  if (ok) value = std::move(out);
}

}  // namespace tradingd::config
