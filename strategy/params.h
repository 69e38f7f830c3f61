// Typed access to a strategy's text parameters (config: strategies[].params) with errors that name the
// parameter the way the config does: `strategies[ma].params.fast: expected an integer >= 1, got "x"`.
// Invariant: finish() reports every parameter that no getter asked for, so typos never pass silently.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/fixed_point.h"

namespace tradingd {

class ParamReader {
 public:
  ParamReader(std::string strategy_name, const std::map<std::string, std::string>& params)
      : name_(std::move(strategy_name)), params_(params) {}

  // Each getter returns the fallback when the key is absent and records an error when it is malformed.
  std::int64_t integer(std::string_view key, std::int64_t fallback, std::int64_t min, std::int64_t max = INT64_MAX);
  std::optional<Quantity> quantity(std::string_view key);  // > 0 when present
  Quantity quantity_or(std::string_view key, Quantity fallback);
  bool boolean(std::string_view key, bool fallback);
  // One of choices.
  std::string choice(std::string_view key, std::string_view fallback, std::vector<std::string_view> choices);
  // Records a cross-parameter error (e.g. fast >= slow) against key.
  void fail(std::string_view key, std::string_view message);

  // Adds an error for every key no getter read. Returns all errors joined by "; " (empty: all good).
  std::string finish();
  bool ok() const { return errors_.empty(); }

 private:
  const std::string* find(std::string_view key);
  void error(std::string_view key, std::string_view expected, const std::string& got);

  std::string name_;
  const std::map<std::string, std::string>& params_;
  std::set<std::string, std::less<>> read_;
  std::vector<std::string> errors_;
};

}  // namespace tradingd
