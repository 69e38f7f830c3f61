// Binance request signer (spot and USD-M, REST and the spot WebSocket API). Contract:
//   - the secret is an HMAC key (the usual 64-character secret) or, when it is a PEM private key
//     ("-----BEGIN PRIVATE KEY-----"), an Ed25519 key; the kind is decided once, at make();
//   - REST: the signature is over the exact bytes sent (the percent-encoded query string, then the body,
//     no separator; Binance's 2026-01-15 spot rule), HMAC → lower-case hex, Ed25519 → base64 then
//     percent-encoded, appended as the last parameter `signature=`;
//   - WS API: over the parameters sorted by name, values raw (no percent-encoding), HMAC → hex, Ed25519 →
//     base64 (not percent-encoded: it travels in JSON).
// The HMAC context is keyed once and duplicated per signature (shared/TOOLCHAIN.md: one-shot HMAC() costs
// twice as much). Pure: no I/O, no clock. The secret never leaves this object.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "core/result.h"
#include "exchange/live/signing.h"

namespace tradingd::binance {

enum class KeyKind : std::uint8_t { Hmac, Ed25519 };

class BinanceSigner {
 public:
  static Result<BinanceSigner, std::string> make(std::string api_key, std::string_view secret);
  ~BinanceSigner();
  BinanceSigner(BinanceSigner&&) noexcept;
  BinanceSigner& operator=(BinanceSigner&&) noexcept;

  KeyKind kind() const { return kind_; }
  const std::string& api_key() const { return api_key_; }

  // The signature of a REST payload as it goes on the wire (hex, or percent-encoded base64): query then body.
  std::string sign_rest(std::string_view query, std::string_view body = {}) const;
  // Appends "signature=<sig>" to an already percent-encoded query (with '&' when the query is non-empty).
  void append_signature(std::string& query, std::string_view body = {}) const;
  // The signature for a WS-API payload ("k=v&..." sorted by key, raw values): hex or plain base64.
  std::string sign_ws(std::string_view payload) const;

 private:
  struct Ed25519Key;
  BinanceSigner(std::string api_key, KeyKind kind);
  std::string sign_raw(std::string_view a, std::string_view b, bool percent_encode_b64) const;

  std::string api_key_;
  KeyKind kind_ = KeyKind::Hmac;
  std::unique_ptr<live::HmacSha256> hmac_;
  std::unique_ptr<Ed25519Key> ed25519_;
};

}  // namespace tradingd::binance
