// Names of the config enums (both ways), the error's text form, the process environment and host:port
// parsing. Pure string handling; nothing here reads a file.
#include <array>
#include <charconv>
#include <cstdlib>
#include <utility>

#include "config/config.h"
#include "config/load.h"

namespace tradingd::config {
namespace {

template <class E, std::size_t N>
using Names = std::array<std::pair<E, std::string_view>, N>;

constexpr Names<LogFormat, 2> kLogFormats{{{LogFormat::Text, "text"}, {LogFormat::Json, "json"}}};
constexpr Names<VenueEnvironment, 3> kEnvironments{{{VenueEnvironment::Production, "production"},
                                                    {VenueEnvironment::Testnet, "testnet"},
                                                    {VenueEnvironment::Demo, "demo"}}};
constexpr Names<SizingMethod, 5> kSizingMethods{{{SizingMethod::FixedQuantity, "fixed_quantity"},
                                                 {SizingMethod::FixedNotional, "fixed_notional"},
                                                 {SizingMethod::PercentEquity, "percent_equity"},
                                                 {SizingMethod::RiskPerTrade, "risk_per_trade"},
                                                 {SizingMethod::VolatilityScaled, "volatility_scaled"}}};
constexpr Names<SlippageModel, 3> kSlippageModels{{{SlippageModel::FixedBps, "fixed_bps"},
                                                   {SlippageModel::Absolute, "absolute"},
                                                   {SlippageModel::Volatility, "volatility"}}};

template <class E, std::size_t N>
std::string_view name_of(const Names<E, N>& names, E e) {
  for (const auto& [v, n] : names)
    if (v == e) return n;
  return "unknown";
}
template <class E, std::size_t N>
std::optional<E> value_of(const Names<E, N>& names, std::string_view s) {
  for (const auto& [v, n] : names)
    if (n == s) return v;
  return std::nullopt;
}

bool is_host_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' ||
         c == '_';
}
bool is_v6_char(char c) {
  return (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || (c >= '0' && c <= '9') || c == ':' || c == '.';
}

}  // namespace

std::string_view to_string(LogFormat f) { return name_of(kLogFormats, f); }
std::string_view to_string(VenueEnvironment e) { return name_of(kEnvironments, e); }
std::string_view to_string(SizingMethod m) { return name_of(kSizingMethods, m); }
std::string_view to_string(SlippageModel m) { return name_of(kSlippageModels, m); }
std::optional<LogFormat> parse_log_format(std::string_view s) { return value_of(kLogFormats, s); }
std::optional<VenueEnvironment> parse_venue_environment(std::string_view s) { return value_of(kEnvironments, s); }
std::optional<SizingMethod> parse_sizing_method(std::string_view s) { return value_of(kSizingMethods, s); }
std::optional<SlippageModel> parse_slippage_model(std::string_view s) { return value_of(kSlippageModels, s); }

std::string ConfigError::to_string() const {
  std::string s;
  if (!file.empty()) {
    s += file;
    if (line > 0) s += ":" + std::to_string(line);
    s += ": ";
  }
  if (!key.empty()) s += key + ": ";
  s += message;
  return s;
}

EnvLookup process_env() {
  return [](std::string_view name) -> std::optional<std::string> {
    const char* v = std::getenv(std::string(name).c_str());
    if (v == nullptr) return std::nullopt;
    return std::string(v);
  };
}

bool HostPort::is_loopback() const {
  if (host == "localhost" || host == "::1") return true;
  // 127.0.0.0/8: "127." followed by dotted digits.
  if (host.rfind("127.", 0) != 0) return false;
  for (char c : host)
    if (!(c == '.' || (c >= '0' && c <= '9'))) return false;
  return true;
}

std::optional<HostPort> parse_host_port(std::string_view text) {
  HostPort hp;
  std::string_view port_text;
  if (!text.empty() && text.front() == '[') {
    const auto close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') return std::nullopt;
    hp.host = std::string(text.substr(1, close - 1));
    port_text = text.substr(close + 2);
    if (hp.host.empty() || hp.host.find(':') == std::string::npos) return std::nullopt;
    for (char c : hp.host)
      if (!is_v6_char(c)) return std::nullopt;
  } else {
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos) return std::nullopt;
    hp.host = std::string(text.substr(0, colon));
    port_text = text.substr(colon + 1);
    if (hp.host.empty()) return std::nullopt;
    for (char c : hp.host)
      if (!is_host_char(c)) return std::nullopt;  // also rejects an unbracketed IPv6 address
  }
  if (port_text.empty() || port_text.size() > 5) return std::nullopt;
  unsigned port = 0;
  const auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (ec != std::errc{} || end != port_text.data() + port_text.size() || port > 65535) return std::nullopt;
  hp.port = static_cast<std::uint16_t>(port);
  return hp;
}

}  // namespace tradingd::config
