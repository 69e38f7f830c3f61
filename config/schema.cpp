// The schema's value rules in words ("a number in (0,100]") and in code, and the list of key paths. The
// words and the checks live side by side so an error message always states the rule that was applied.
#include "config/schema.h"

#include <algorithm>

#include "config/load.h"

namespace tradingd::config::schema {
namespace {

std::string fmt_raw(std::int64_t raw) { return fixed::format_raw(raw); }

// scheme://authority[/path...]: the authority must be host or host:port; plaintext only to loopback.
bool url_ok(std::string_view v, std::string_view tls_scheme, std::string_view plain_scheme) {
  std::string_view rest;
  bool tls = false;
  if (v.starts_with(tls_scheme)) {
    rest = v.substr(tls_scheme.size());
    tls = true;
  } else if (v.starts_with(plain_scheme)) {
    rest = v.substr(plain_scheme.size());
  } else {
    return false;
  }
  const auto end = rest.find_first_of("/?#");
  const std::string_view authority = rest.substr(0, end);
  if (authority.empty() || authority.find('@') != std::string_view::npos) return false;
  for (char c : rest)
    if (static_cast<unsigned char>(c) <= ' ') return false;
  // A missing port is fine; parse_host_port wants one, so give it a dummy to check the host.
  const bool bracketed = authority.front() == '[';
  const bool has_port = bracketed ? authority.find("]:") != std::string_view::npos
                                  : authority.find(':') != std::string_view::npos;
  const auto hp = parse_host_port(has_port ? std::string(authority) : std::string(authority) + ":0");
  if (!hp) return false;
  return tls || hp->is_loopback();
}

template <std::size_t N>
bool one_of(std::string_view v, const std::array<std::string_view, N>& names) {
  return std::find(names.begin(), names.end(), v) != names.end();
}
template <std::size_t N>
std::string join(const std::array<std::string_view, N>& names) {
  std::string s;
  for (auto n : names) s += (s.empty() ? "" : ", ") + std::string(n);
  return s;
}

// Collects "a.b.c" for fields and "list[].field" inside lists (walking one default element).
class KeyCollector {
 public:
  explicit KeyCollector(std::vector<std::string>& out) : out_(out) {}
  template <class T, class Spec>
  void field(std::string_view key, const T&, const Spec&, bool = false) {
    out_.push_back(prefix_ + std::string(key));
  }
  template <class Fn>
  void section(std::string_view key, Fn&& fn) {
    const std::string saved = prefix_;
    prefix_ += std::string(key) + ".";
    fn();
    prefix_ = saved;
  }
  template <class E, class Fn>
  void list(std::string_view key, const std::vector<E>&, Fn&& fn) {
    const std::string saved = prefix_;
    prefix_ += std::string(key) + "[].";
    const E element{};
    fn(element);
    prefix_ = saved;
  }

 private:
  std::vector<std::string>& out_;
  std::string prefix_;
};

}  // namespace

std::string describe(const IntSpec& s) {
  if (s.max == std::numeric_limits<std::int64_t>::max()) return "an integer >= " + std::to_string(s.min);
  return "an integer in [" + std::to_string(s.min) + "," + std::to_string(s.max) + "]";
}
std::string describe(const SeedSpec&) { return "an integer in [0,18446744073709551615]"; }
std::string describe(const DecSpec& s) {
  if (s.min && s.max)
    return "a number in " + std::string(s.min_open ? "(" : "[") + fmt_raw(*s.min) + "," + fmt_raw(*s.max) +
           (s.max_open ? ")" : "]");
  if (s.min) return "a number " + std::string(s.min_open ? "> " : ">= ") + fmt_raw(*s.min);
  if (s.max) return "a number " + std::string(s.max_open ? "< " : "<= ") + fmt_raw(*s.max);
  return "a number";
}
std::string describe(const TextSpec& s) {
  switch (s.kind) {
    case TextKind::Any: return "a string";
    case TextKind::NonEmpty: return "a non-empty string";
    case TextKind::HostPort: return "host:port (e.g. 127.0.0.1:9464, [::1]:9464)";
    case TextKind::RestUrl: return "an https:// URL (http:// only to a loopback host)";
    case TextKind::WsUrl: return "a wss:// URL (ws:// only to a loopback host)";
    case TextKind::OptRestUrl: return "\"\" or an https:// URL (http:// only to a loopback host)";
    case TextKind::OptWsUrl: return "\"\" or a wss:// URL (ws:// only to a loopback host)";
    case TextKind::LogLevel: return "one of " + join(kLogLevels);
    case TextKind::PriceSource: return "one of " + join(kPriceSources);
  }
  return "a string";
}
std::string describe(const BoolSpec&) { return "true or false"; }
std::string describe(const SymbolSpec&) { return "the venue's symbol (1 to 31 characters, e.g. BTCUSDT)"; }
std::string describe(const BalancesSpec&) { return "a mapping of asset to amount >= 0, e.g. {USDT: 10000}"; }
std::string describe(const ParamsSpec&) { return "a mapping of parameter name to value, e.g. {fast: 10}"; }
std::string describe(const CommandSpec&) { return "a list of program and arguments, e.g. [python3, strategy.py]"; }
std::string describe(const InstrumentRefsSpec&) {
  return "a list of instruments, each \"venue:market:symbol\" or {venue, market, symbol}";
}

bool in_range(std::int64_t v, const IntSpec& s) { return v >= s.min && v <= s.max; }
bool in_range(std::int64_t raw, const DecSpec& s) {
  if (s.min && (s.min_open ? raw <= *s.min : raw < *s.min)) return false;
  if (s.max && (s.max_open ? raw >= *s.max : raw > *s.max)) return false;
  return true;
}

bool text_ok(std::string_view v, TextKind kind) {
  switch (kind) {
    case TextKind::Any: return true;
    case TextKind::NonEmpty: return !v.empty();
    case TextKind::HostPort: return parse_host_port(v).has_value();
    case TextKind::RestUrl: return url_ok(v, "https://", "http://");
    case TextKind::WsUrl: return url_ok(v, "wss://", "ws://");
    case TextKind::OptRestUrl: return v.empty() || url_ok(v, "https://", "http://");
    case TextKind::OptWsUrl: return v.empty() || url_ok(v, "wss://", "ws://");
    case TextKind::LogLevel: return one_of(v, kLogLevels);
    case TextKind::PriceSource: return one_of(v, kPriceSources);
  }
  return false;
}

bool asset_name_ok(std::string_view asset) {
  if (asset.empty() || asset.size() > 15) return false;
  return std::all_of(asset.begin(), asset.end(), [](char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); });
}

std::string quote(std::string_view text) {
  std::string s = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') {
      s += '\\';
      s += c;
    } else if (c == '\n') {
      s += "\\n";
    } else if (static_cast<unsigned char>(c) < ' ') {
      s += '?';
    } else {
      s += c;
    }
  }
  return s + "\"";
}

std::vector<std::string> key_paths() {
  std::vector<std::string> out;
  KeyCollector collector(out);
  const Config defaults;
  visit_config(collector, defaults);
  return out;
}

}  // namespace tradingd::config::schema
