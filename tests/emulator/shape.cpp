// See shape.h.
#include "tests/emulator/shape.h"

#include <gtest/gtest.h>

#include "tests/support/fixtures.h"

namespace tradingd::emulator::test {
namespace json = boost::json;
namespace {
std::string kind(const json::value& v) {
  if (v.is_string()) return "string";
  if (v.is_number()) return "number";
  if (v.is_bool()) return "bool";
  if (v.is_null()) return "null";
  if (v.is_array()) return "array";
  return "object";
}
}  // namespace

std::vector<std::string> shape_diff(const json::value& ours, const json::value& fixture, const std::set<std::string>& allowed,
                                    const std::string& path) {
  std::vector<std::string> out;
  if (fixture.is_null()) return out;
  if (kind(ours) != kind(fixture)) {
    out.push_back(path + ": " + kind(ours) + " where the venue sends " + kind(fixture));
    return out;
  }
  if (ours.is_object()) {
    const auto& o = ours.get_object();
    const auto& f = fixture.get_object();
    for (const auto& kv : f) {
      const std::string p = path + "." + std::string(kv.key());
      if (!o.contains(kv.key())) {
        if (!allowed.contains(p)) out.push_back(p + ": missing (the venue sends it)");
        continue;
      }
      auto sub = shape_diff(o.at(kv.key()), kv.value(), allowed, p);
      out.insert(out.end(), sub.begin(), sub.end());
    }
    for (const auto& kv : o) {
      const std::string p = path + "." + std::string(kv.key());
      if (!f.contains(kv.key()) && !allowed.contains(p)) out.push_back(p + ": extra key the venue does not send");
    }
  } else if (ours.is_array()) {
    const auto& a = ours.get_array();
    const auto& f = fixture.get_array();
    if (f.empty() || a.empty()) return out;
    const std::string p = path + "[]";
    for (std::size_t i = 0; i < a.size(); ++i) {
      const json::value* match = &f[std::min(i, f.size() - 1)];
      if (a[i].is_object() && a[i].get_object().contains("filterType")) {
        match = nullptr;
        for (const auto& fe : f)
          if (fe.is_object() && fe.get_object().contains("filterType") &&
              fe.get_object().at("filterType") == a[i].get_object().at("filterType"))
            match = &fe;
        if (!match) continue;  // a filter type the fixture does not show: checked elsewhere
      }
      auto sub = shape_diff(a[i], *match, allowed, p);
      out.insert(out.end(), sub.begin(), sub.end());
      if (!sub.empty()) break;  // one element's report is enough
    }
  }
  return out;
}

json::value parse(const std::string& text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec) ADD_FAILURE() << "not JSON: " << text.substr(0, 300);
  return v;
}

json::value fixture_json(const std::string& relative_path) {
  const auto dir = tradingd::test::fixtures_dir();
  if (!dir) return nullptr;
  return parse(tradingd::test::read_file(*dir / relative_path));
}

std::string join(const std::vector<std::string>& lines) {
  std::string s;
  for (const auto& l : lines) s += "\n  " + l;
  return s;
}

}  // namespace tradingd::emulator::test
