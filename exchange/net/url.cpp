// URL parsing for venue endpoints: scheme, host (IPv6 in brackets), optional port, target.
#include "exchange/net/url.h"

#include <charconv>

namespace tradingd::net {

std::string Url::host_header() const {
  const bool v6 = host.find(':') != std::string::npos;
  std::string h = v6 ? "[" + host + "]" : host;
  if (port != 443) h += ":" + std::to_string(port);
  return h;
}

std::string Url::to_string() const { return scheme + "://" + host_header() + target; }

std::string Url::to_log_string() const {
  return scheme + "://" + host_header() + target.substr(0, target.find('?'));
}

Url Url::with_target(std::string new_target) const {
  Url u = *this;
  u.target = new_target.empty() || new_target.front() != '/' ? "/" + new_target : std::move(new_target);
  return u;
}

Result<Url, std::string> parse_url(std::string_view text) {
  Url url;
  const auto sep = text.find("://");
  if (sep == std::string_view::npos) return Err{std::string("missing scheme in URL \"") + std::string(text) + "\""};
  url.scheme = std::string(text.substr(0, sep));
  for (auto& c : url.scheme) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  if (url.scheme != "wss" && url.scheme != "https")
    return Err{"unsupported scheme \"" + url.scheme + "\" (only wss and https: venue traffic is always TLS)"};
  std::string_view rest = text.substr(sep + 3);
  const auto slash = rest.find_first_of("/?");
  std::string_view authority = rest.substr(0, slash);
  std::string_view target = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash);
  if (authority.find('@') != std::string_view::npos) return Err{std::string("user info in URLs is not supported")};
  std::string_view port_text;
  if (!authority.empty() && authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) return Err{std::string("unterminated IPv6 address in URL")};
    url.host = std::string(authority.substr(1, close - 1));
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return Err{std::string("junk after IPv6 address in URL")};
      port_text = after.substr(1);
    }
  } else {
    const auto colon = authority.rfind(':');
    url.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) port_text = authority.substr(colon + 1);
  }
  if (url.host.empty()) return Err{"missing host in URL \"" + std::string(text) + "\""};
  if (!port_text.empty()) {
    unsigned port = 0;
    auto [p, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (ec != std::errc{} || p != port_text.data() + port_text.size() || port == 0 || port > 65535)
      return Err{"bad port \"" + std::string(port_text) + "\" in URL"};
    url.port = static_cast<std::uint16_t>(port);
  }
  if (target.empty()) url.target = "/";
  else if (target.front() == '?') url.target = "/" + std::string(target);
  else url.target = std::string(target);
  return url;
}

std::string join_path(std::string_view base, std::string_view path) {
  std::string out(base);
  while (!out.empty() && out.back() == '/') out.pop_back();
  if (path.empty()) return out.empty() ? "/" : out;
  if (path.front() != '/') out += '/';
  out += path;
  return out;
}

}  // namespace tradingd::net
