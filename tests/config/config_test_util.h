// Helpers for the config tests: a fake environment (tests never read or change the real one), error
// lookup with readable failure output, and the aggregate field counter that pins each struct's size.
#pragma once

#include <atomic>
#include <cstddef>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include <unistd.h>

#include <gtest/gtest.h>

#include "config/load.h"

namespace tradingd::config::test {

inline EnvLookup fake_env(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](std::string_view name) -> std::optional<std::string> {
    auto it = vars.find(std::string(name));
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

inline std::string dump(const ConfigErrors& errors) {
  std::string s;
  for (const auto& e : errors) s += "  " + e.to_string() + "\n";
  return s.empty() ? "  (no errors)\n" : s;
}

// The one error with this key (nullptr, and a test failure listing all errors, when there is none).
inline const ConfigError* error_for(const ConfigErrors& errors, std::string_view key) {
  for (const auto& e : errors)
    if (e.key == key) return &e;
  ADD_FAILURE() << "no error for key " << key << "; errors:\n" << dump(errors);
  return nullptr;
}

inline bool has_error(const ConfigErrors& errors, std::string_view key) {
  for (const auto& e : errors)
    if (e.key == key) return true;
  return false;
}

// Errors of a parse that must fail; an unexpected success fails the test and returns no errors.
inline ConfigErrors parse_errors(std::string_view yaml, std::string_view file = "t.yaml") {
  auto r = parse_config(yaml, file);
  if (r) {
    ADD_FAILURE() << "expected errors, parsed fine:\n" << yaml;
    return {};
  }
  return r.error();
}

// A Config that must parse; failures print every error.
inline Config parse_ok(std::string_view yaml, std::string_view file = "t.yaml") {
  auto r = parse_config(yaml, file);
  if (!r) {
    ADD_FAILURE() << "parse failed:\n" << dump(r.error()) << "for:\n" << yaml;
    return Config{};
  }
  return *r;
}

// A config file with this text under the test temp dir, unique per process and instance (ctest runs
// tests in parallel processes), removed at scope end.
class TempFile {
 public:
  explicit TempFile(std::string_view text) {
    static std::atomic<int> counter{0};
    path_ = std::string(::testing::TempDir()) + "tradingd_config_test_" + std::to_string(::getpid()) + "_" +
            std::to_string(counter++) + ".yaml";
    std::ofstream(path_) << text;
  }
  ~TempFile() {
    std::error_code ec;
    std::filesystem::remove(path_, ec);
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// Number of fields of an aggregate: the largest N for which T{any, ..., any} (N times) compiles.
struct AnyField {
  template <class T>
  operator T() const;  // declared only: used in unevaluated requires-expressions
};
template <class T, class... A>
consteval std::size_t field_count() {
  if constexpr (requires { T{A{}..., AnyField{}}; }) return field_count<T, A..., AnyField>();
  else return sizeof...(A);
}

}  // namespace tradingd::config::test
