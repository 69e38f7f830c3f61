// YamlReader: the schema visitor that reads a yaml-cpp node tree into the typed structs. It never throws
// and never stops at the first problem: every wrong type, out-of-range value, missing required key,
// duplicate key and unknown key becomes a ConfigError with its key path and line. A key that fails keeps
// its default. Internal to config/.
#pragma once

#include <deque>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "config/load.h"
#include "config/schema.h"

namespace tradingd::config {

// Key path -> 1-based line of every key present in the file (validate()'s errors borrow these lines).
using KeyLines = std::map<std::string, int, std::less<>>;

struct ParseOutcome {
  Config config;  // every key that read cleanly; defaults elsewhere
  ConfigErrors errors;
  KeyLines key_lines;
};
// Never throws; yaml-cpp's syntax errors become ConfigErrors with their line.
ParseOutcome parse_yaml(std::string_view yaml_text, std::string_view source_name);
// The file's whole text, or nullopt after adding an error naming the file.
std::optional<std::string> read_config_text(const std::string& path, ConfigErrors& errors);

class YamlReader {
 public:
  YamlReader(std::string file, ConfigErrors& errors, KeyLines& lines)
      : file_(std::move(file)), errors_(errors), lines_(lines) {}

  template <class Fn>
  void root(const YAML::Node& node, Fn&& fn) {
    enter(node, "", 1);
    fn();
    leave();
  }

  template <class T, class Spec>
  void field(std::string_view key, T& value, const Spec& spec, bool required = false) {
    const Entry* e = take(key);
    if (e == nullptr) {
      if (required) missing(key, expectation(value, spec));
      return;
    }
    read(*e, value, spec);
  }

  template <class Fn>
  void section(std::string_view key, Fn&& fn) {
    const Entry* e = take(key);
    // An absent or empty section (all its keys commented out) means all defaults.
    if (e != nullptr && !e->value.IsNull() && !e->value.IsMap()) {
      type_error(*e, "a mapping");
      return;
    }
    enter(e != nullptr ? e->value : YAML::Node(), child_path(key), e != nullptr ? e->line : frames_.back().line);
    fn();
    leave();
  }

  template <class E, class Fn>
  void list(std::string_view key, std::vector<E>& items, Fn&& fn) {
    const Entry* e = take(key);
    if (e == nullptr || e->value.IsNull()) return;
    if (!e->value.IsSequence()) {
      type_error(*e, "a list of mappings");
      return;
    }
    items.clear();
    std::size_t index = 0;
    for (const YAML::Node& item : e->value) {
      const std::string path = e->path + "[" + std::to_string(index++) + "]";
      const int line = line_of(item);
      lines_.emplace(path, line);
      items.emplace_back();
      if (!item.IsMap()) {
        add_error(path, line, "expected a mapping, got " + got(item));
        continue;
      }
      enter(item, path, line);
      fn(items.back());
      leave();
    }
  }

 private:
  struct Entry {
    YAML::Node value;
    std::string path;
    int line = 0;
  };
  struct Frame {
    std::string path;
    int line = 0;
    std::vector<std::pair<YAML::Node, YAML::Node>> raw;  // as in the file, duplicates included
    std::vector<std::string> known;                      // keys the schema asked for here
    std::deque<Entry> taken;                             // stable addresses for take()'s result
  };

  template <class T, class Spec>
  static std::string expectation(const T&, const Spec& spec) {
    if constexpr (std::is_enum_v<T>) return schema::describe_enum<T>();
    else return schema::describe(spec);
  }

  void enter(YAML::Node map, std::string path, int line);
  void leave();  // reports unknown and duplicate keys of the innermost frame
  const Entry* take(std::string_view key);
  std::string child_path(std::string_view key) const;
  void missing(std::string_view key, const std::string& expected);
  void type_error(const Entry& e, const std::string& expected);
  void add_error(std::string path, int line, std::string message);
  static int line_of(const YAML::Node& node);
  static std::string got(const YAML::Node& node);
  // The scalar's text, or nullptr after reporting that something else was found.
  const std::string* scalar(const Entry& e, const std::string& expected);
  std::optional<std::int64_t> decimal(const Entry& e, const schema::DecSpec& spec);
  std::optional<InstrumentId> instrument_ref(const YAML::Node& node, const std::string& path);

  void read(const Entry& e, std::string& value, const schema::TextSpec& spec);
  void read(const Entry& e, bool& value, const schema::BoolSpec& spec);
  void read(const Entry& e, std::int64_t& value, const schema::IntSpec& spec);
  void read(const Entry& e, int& value, const schema::IntSpec& spec);
  void read(const Entry& e, std::uint64_t& value, const schema::SeedSpec& spec);
  void read(const Entry& e, Symbol& value, const schema::SymbolSpec& spec);
  void read(const Entry& e, std::map<std::string, Money>& value, const schema::BalancesSpec& spec);
  void read(const Entry& e, std::map<std::string, std::string>& value, const schema::ParamsSpec& spec);
  void read(const Entry& e, std::vector<std::string>& value, const schema::CommandSpec& spec);
  void read(const Entry& e, std::vector<InstrumentId>& value, const schema::InstrumentRefsSpec& spec);
  template <class Tag>
  void read(const Entry& e, Fixed<Tag>& value, const schema::DecSpec& spec) {
    if (auto raw = decimal(e, spec)) value = Fixed<Tag>::from_raw(*raw);
  }
  template <class Tag>
  void read(const Entry& e, std::optional<Fixed<Tag>>& value, const schema::DecSpec& spec) {
    if (e.value.IsNull()) {  // `maker_fee: ~` asks for the default explicitly
      value.reset();
      return;
    }
    if (auto raw = decimal(e, spec)) value = Fixed<Tag>::from_raw(*raw);
  }
  template <class E>
  void read(const Entry& e, E& value, const schema::EnumSpec&) {
    const std::string expected = schema::describe_enum<E>();
    const std::string* text = scalar(e, expected);
    if (text == nullptr) return;
    if (auto v = schema::parse_enum<E>(*text)) value = *v;
    else add_error(e.path, e.line, "expected " + expected + ", got " + schema::quote(*text));
  }

  std::string file_;
  ConfigErrors& errors_;
  KeyLines& lines_;
  std::deque<Frame> frames_;  // a deque: Entry pointers into outer frames stay valid while inner ones come and go
};

}  // namespace tradingd::config
