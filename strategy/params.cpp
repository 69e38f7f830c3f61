// ParamReader: parses strategy parameters from their config text; see params.h.
#include "strategy/params.h"

#include <charconv>

namespace tradingd {

const std::string* ParamReader::find(std::string_view key) {
  read_.emplace(key);
  const auto it = params_.find(std::string(key));
  return it == params_.end() ? nullptr : &it->second;
}

void ParamReader::error(std::string_view key, std::string_view expected, const std::string& got) {
  errors_.push_back("strategies[" + name_ + "].params." + std::string(key) + ": expected " + std::string(expected) +
                    ", got \"" + got + "\"");
}

void ParamReader::fail(std::string_view key, std::string_view message) {
  errors_.push_back("strategies[" + name_ + "].params." + std::string(key) + ": " + std::string(message));
}

std::int64_t ParamReader::integer(std::string_view key, std::int64_t fallback, std::int64_t min, std::int64_t max) {
  const std::string* text = find(key);
  if (text == nullptr) return fallback;
  std::int64_t v = 0;
  const char* end = text->data() + text->size();
  const auto [ptr, ec] = std::from_chars(text->data(), end, v);
  if (ec != std::errc{} || ptr != end || v < min || v > max) {
    std::string expected = "an integer >= " + std::to_string(min);
    if (max != INT64_MAX) expected += " and <= " + std::to_string(max);
    error(key, expected, *text);
    return fallback;
  }
  return v;
}

std::optional<Quantity> ParamReader::quantity(std::string_view key) {
  const std::string* text = find(key);
  if (text == nullptr) return std::nullopt;
  const auto q = Quantity::parse(*text);
  if (!q || !q->is_positive()) {
    error(key, "a positive decimal", *text);
    return std::nullopt;
  }
  return *q;
}

Quantity ParamReader::quantity_or(std::string_view key, Quantity fallback) {
  return quantity(key).value_or(fallback);
}

bool ParamReader::boolean(std::string_view key, bool fallback) {
  const std::string* text = find(key);
  if (text == nullptr) return fallback;
  if (*text == "true") return true;
  if (*text == "false") return false;
  error(key, "true or false", *text);
  return fallback;
}

std::string ParamReader::choice(std::string_view key, std::string_view fallback, std::vector<std::string_view> choices) {
  const std::string* text = find(key);
  if (text == nullptr) return std::string(fallback);
  for (const auto c : choices)
    if (*text == c) return *text;
  std::string expected = "one of";
  for (std::size_t i = 0; i < choices.size(); ++i) expected += (i == 0 ? " " : ", ") + std::string(choices[i]);
  error(key, expected, *text);
  return std::string(fallback);
}

std::string ParamReader::finish() {
  for (const auto& [key, value] : params_)
    if (!read_.contains(key)) fail(key, "unknown parameter");
  std::string out;
  for (const auto& e : errors_) out += (out.empty() ? "" : "; ") + e;
  return out;
}

}  // namespace tradingd
