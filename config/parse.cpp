// parse_config / load_config_file: YAML text to a Config through the schema table. The only place in
// tradingd that reads the config file. No exception leaves: yaml-cpp's become ConfigErrors with a line.
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "config/yaml_reader.h"

namespace tradingd::config {
namespace {

// A venue the file does not mention `enabled` for is enabled by the instruments that use it, so the
// smallest useful file (mode + one instrument) works; an explicit `enabled: false` stays false and
// validate() reports the instruments that contradict it.
void enable_used_venues(ParseOutcome& out) {
  for (Venue v : schema::EnumChoices<Venue>::values) {
    const std::string key = "venues." + std::string(to_string(v)) + ".enabled";
    if (out.key_lines.contains(key)) continue;
    for (const auto& inst : out.config.instruments)
      if (inst.id.venue == v) out.config.venues.get(v).enabled = true;
  }
}

}  // namespace

ParseOutcome parse_yaml(std::string_view yaml_text, std::string_view source_name) {
  ParseOutcome out;
  out.config.source_path = std::string(source_name);
  const std::string file(source_name);
  try {
    const std::vector<YAML::Node> docs = YAML::LoadAll(std::string(yaml_text));
    if (docs.size() > 1) {
      out.errors.push_back({file, "", "expected one YAML document, found " + std::to_string(docs.size()), 0});
      return out;
    }
    const YAML::Node root = docs.empty() ? YAML::Node() : docs.front();
    if (!root.IsNull() && !root.IsMap()) {
      out.errors.push_back({file, "", "expected a mapping of keys at the top level (mode: paper, risk: ...)",
                            root.Mark().line + 1});
      return out;
    }
    YamlReader reader(file, out.errors, out.key_lines);
    reader.root(root, [&] { schema::visit_config(reader, out.config); });
    enable_used_venues(out);
  } catch (const YAML::Exception& e) {
    // ParserException and friends: the text is not YAML at all.
    out.errors.push_back({file, "", "invalid YAML: " + e.msg, e.mark.line >= 0 ? e.mark.line + 1 : 0});
  } catch (const std::exception& e) {
    out.errors.push_back({file, "", std::string("cannot read the configuration: ") + e.what(), 0});
  }
  return out;
}

Result<Config, ConfigErrors> parse_config(std::string_view yaml_text, std::string_view source_name) {
  ParseOutcome out = parse_yaml(yaml_text, source_name);
  if (!out.errors.empty()) return Err{std::move(out.errors)};
  return std::move(out.config);
}

// Reads the whole file; nullopt (with the error) when it cannot.
std::optional<std::string> read_config_text(const std::string& path, ConfigErrors& errors) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    const bool exists = std::filesystem::exists(path, ec);
    errors.push_back({path, "", exists ? "not a regular file" : "no such file", 0});
    return std::nullopt;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    errors.push_back({path, "", std::string("cannot open: ") + std::strerror(errno), 0});
    return std::nullopt;
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) {
    errors.push_back({path, "", "read error", 0});
    return std::nullopt;
  }
  return std::move(text).str();
}

Result<Config, ConfigErrors> load_config_file(const std::string& path) {
  ConfigErrors errors;
  auto text = read_config_text(path, errors);
  if (!text) return Err{std::move(errors)};
  return parse_config(*text, path);
}

}  // namespace tradingd::config
