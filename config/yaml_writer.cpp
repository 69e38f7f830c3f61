// to_yaml: the effective configuration written back through the schema table, every key included, so
// `validate-config` shows what the daemon will actually use and parse_config reads it back unchanged.
// Strings are always double-quoted (a symbol or path can never turn into a number or a bool); decimals
// are written in their exact canonical form. Config holds no secrets, so nothing here can leak one.
#include "config/load.h"
#include "config/schema.h"

#include <yaml-cpp/yaml.h>

namespace tradingd::config {
namespace {

class YamlWriter {
 public:
  explicit YamlWriter(YAML::Emitter& out) : out_(out) {}

  template <class T, class Spec>
  void field(std::string_view key, const T& value, const Spec&, bool = false) {
    if constexpr (is_optional<T>::value) {
      if (!value) return;  // unset: the documented default applies
      out_ << YAML::Key << std::string(key) << YAML::Value;
      write(*value);
    } else {
      out_ << YAML::Key << std::string(key) << YAML::Value;
      write(value);
    }
  }
  template <class Fn>
  void section(std::string_view key, Fn&& fn) {
    out_ << YAML::Key << std::string(key) << YAML::Value << YAML::BeginMap;
    fn();
    out_ << YAML::EndMap;
  }
  template <class E, class Fn>
  void list(std::string_view key, const std::vector<E>& items, Fn&& fn) {
    out_ << YAML::Key << std::string(key) << YAML::Value;
    if (items.empty()) out_ << YAML::Flow;
    out_ << YAML::BeginSeq;
    for (const E& item : items) {
      out_ << YAML::BeginMap;
      fn(item);
      out_ << YAML::EndMap;
    }
    out_ << YAML::EndSeq;
  }

 private:
  template <class T> struct is_optional : std::false_type {};
  template <class T> struct is_optional<std::optional<T>> : std::true_type {};

  void write(const std::string& s) { out_ << YAML::DoubleQuoted << s; }
  void write(bool b) { out_ << (b ? "true" : "false"); }
  void write(std::int64_t v) { out_ << std::to_string(v); }
  void write(int v) { out_ << std::to_string(v); }
  void write(std::uint64_t v) { out_ << std::to_string(v); }
  void write(const Symbol& s) { out_ << YAML::DoubleQuoted << std::string(s.view()); }
  template <class Tag>
  void write(Fixed<Tag> v) { out_ << v.to_string(); }
  template <class E>
    requires std::is_enum_v<E>
  void write(E e) { out_ << std::string(to_string(e)); }
  void write(const std::map<std::string, Money>& balances) {
    if (balances.empty()) out_ << YAML::Flow;
    out_ << YAML::BeginMap;
    for (const auto& [asset, amount] : balances) out_ << YAML::Key << asset << YAML::Value << amount.to_string();
    out_ << YAML::EndMap;
  }
  void write(const std::map<std::string, std::string>& params) {
    if (params.empty()) out_ << YAML::Flow;
    out_ << YAML::BeginMap;
    for (const auto& [k, v] : params) out_ << YAML::Key << YAML::DoubleQuoted << k << YAML::Value << YAML::DoubleQuoted << v;
    out_ << YAML::EndMap;
  }
  void write(const std::vector<std::string>& args) {
    out_ << YAML::Flow << YAML::BeginSeq;
    for (const auto& a : args) out_ << YAML::DoubleQuoted << a;
    out_ << YAML::EndSeq;
  }
  void write(const std::vector<InstrumentId>& ids) {
    out_ << YAML::Flow << YAML::BeginSeq;
    for (const auto& id : ids) out_ << YAML::DoubleQuoted << id.to_string();
    out_ << YAML::EndSeq;
  }

  YAML::Emitter& out_;
};

}  // namespace

std::string to_yaml(const Config& config) {
  YAML::Emitter out;
  out.SetIndent(2);
  out << YAML::Comment("tradingd effective configuration (file: " +
                       (config.source_path.empty() ? std::string("none, defaults") : config.source_path) +
                       ", environment overrides applied); secrets are never part of it");
  out << YAML::BeginMap;
  YamlWriter writer(out);
  schema::visit_config(writer, config);
  out << YAML::EndMap;
  std::string text = out.c_str();
  text += '\n';
  return text;
}

}  // namespace tradingd::config
