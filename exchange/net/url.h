// Parsing of the venue endpoint URLs the network layer connects to. Pure (no I/O). Only TLS schemes are
// accepted (wss, https): tradingd never talks to a venue in plain text, and loopback tests use TLS too.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace tradingd::net {

struct Url {
  std::string scheme;  // "wss" | "https"
  std::string host;    // "stream.example" or "127.0.0.1" (IPv6 without brackets)
  std::uint16_t port = 443;
  std::string target = "/";  // path and query, always starting with '/'

  // "host" or "host:port" when the port is not the default: the HTTP Host header and the TLS name check
  // use host only, this is for logs and the Host header.
  std::string host_header() const;
  // scheme://host[:port]target, for logs (URLs carry no secrets: signatures travel in headers/bodies).
  std::string to_string() const;
  // scheme://host[:port]path, without the query (signed or long stream lists), for logs.
  std::string to_log_string() const;
  // The same endpoint with another target ("/stream?streams=..."); target must start with '/'.
  Url with_target(std::string new_target) const;
};

// Accepts wss:// and https:// only; the error names what is wrong.
Result<Url, std::string> parse_url(std::string_view text);

// Joins a base path ("/", "/api", "/public") and a path ("/stream?x") without doubling or losing '/'.
std::string join_path(std::string_view base, std::string_view path);

}  // namespace tradingd::net
