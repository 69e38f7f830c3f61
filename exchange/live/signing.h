// Request signing primitives shared by the venue adapters (and nothing venue-specific): a keyed
// HMAC-SHA256 that is set up once per API secret and reused for every request, and the encodings the
// venues want (lower-case hex: Binance, Bybit; base64: OKX). Pure: no I/O.
// Why a keyed context: OpenSSL's one-shot HMAC() re-fetches the algorithm and re-derives the key pads on
// every call (1.5-2 µs); duplicating a keyed EVP_MAC_CTX costs ~0.7 µs (shared/TOOLCHAIN.md).
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/result.h"

namespace tradingd::live {

using Sha256Digest = std::array<std::uint8_t, 32>;

class HmacSha256 {
 public:
  // An empty key is allowed (OpenSSL accepts it); a failure to set up the MAC is an error string.
  static Result<HmacSha256, std::string> make(std::string_view key);
  ~HmacSha256();
  HmacSha256(HmacSha256&&) noexcept;
  HmacSha256& operator=(HmacSha256&&) noexcept;
  HmacSha256(const HmacSha256&) = delete;
  HmacSha256& operator=(const HmacSha256&) = delete;

  // The MAC of the concatenation of the parts (so callers need not build one string first).
  Sha256Digest sign(std::string_view message) const;
  Sha256Digest sign(std::string_view a, std::string_view b, std::string_view c = {}, std::string_view d = {}) const;
  std::string sign_hex(std::string_view message) const;
  std::string sign_base64(std::string_view message) const;

 private:
  struct Impl;
  explicit HmacSha256(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Lower-case hexadecimal of bytes.
std::string to_hex(const std::uint8_t* data, std::size_t size);
inline std::string to_hex(const Sha256Digest& d) { return to_hex(d.data(), d.size()); }
// Standard base64 with padding (RFC 4648 §4), as OKX and Binance's Ed25519 signatures expect.
std::string to_base64(const std::uint8_t* data, std::size_t size);
inline std::string to_base64(const Sha256Digest& d) { return to_base64(d.data(), d.size()); }
std::string to_base64(std::string_view bytes);

// RFC 3986 percent-encoding of everything except unreserved characters (A-Z a-z 0-9 - _ . ~): Binance
// signs the percent-encoded query (since 2026-01-15 non-ASCII symbols must be encoded before signing).
std::string percent_encode(std::string_view text);

}  // namespace tradingd::live
