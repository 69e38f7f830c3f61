#include "exchange/live/signing.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <utility>

namespace tradingd::live {

struct HmacSha256::Impl {
  EVP_MAC* mac = nullptr;
  EVP_MAC_CTX* keyed = nullptr;  // initialised with the key; duplicated per message
  ~Impl() {
    EVP_MAC_CTX_free(keyed);
    EVP_MAC_free(mac);
  }
};

HmacSha256::HmacSha256(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
HmacSha256::~HmacSha256() = default;
HmacSha256::HmacSha256(HmacSha256&&) noexcept = default;
HmacSha256& HmacSha256::operator=(HmacSha256&&) noexcept = default;

Result<HmacSha256, std::string> HmacSha256::make(std::string_view key) {
  auto impl = std::make_unique<Impl>();
  impl->mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  if (impl->mac == nullptr) return Err{std::string("OpenSSL has no HMAC implementation")};
  impl->keyed = EVP_MAC_CTX_new(impl->mac);
  if (impl->keyed == nullptr) return Err{std::string("EVP_MAC_CTX_new failed")};
  char digest[] = "SHA256";
  OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0), OSSL_PARAM_construct_end()};
  // OpenSSL wants a non-null key pointer even for an empty key.
  static const unsigned char empty = 0;
  const auto* k = key.empty() ? &empty : reinterpret_cast<const unsigned char*>(key.data());
  if (EVP_MAC_init(impl->keyed, k, key.size(), params) != 1) return Err{std::string("EVP_MAC_init(HMAC-SHA256) failed")};
  return HmacSha256(std::move(impl));
}

Sha256Digest HmacSha256::sign(std::string_view message) const { return sign(message, {}, {}, {}); }

Sha256Digest HmacSha256::sign(std::string_view a, std::string_view b, std::string_view c, std::string_view d) const {
  Sha256Digest out{};
  EVP_MAC_CTX* ctx = EVP_MAC_CTX_dup(impl_->keyed);
  if (ctx == nullptr) return out;  // only on allocation failure; an all-zero MAC is rejected by the venue
  for (std::string_view part : {a, b, c, d}) {
    if (!part.empty()) EVP_MAC_update(ctx, reinterpret_cast<const unsigned char*>(part.data()), part.size());
  }
  std::size_t len = 0;
  EVP_MAC_final(ctx, out.data(), &len, out.size());
  EVP_MAC_CTX_free(ctx);
  return out;
}

std::string HmacSha256::sign_hex(std::string_view message) const { return to_hex(sign(message)); }
std::string HmacSha256::sign_base64(std::string_view message) const { return to_base64(sign(message)); }

std::string to_hex(const std::uint8_t* data, std::size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(size * 2, '0');
  for (std::size_t i = 0; i < size; ++i) {
    out[2 * i] = kDigits[data[i] >> 4];
    out[2 * i + 1] = kDigits[data[i] & 0x0f];
  }
  return out;
}

std::string to_base64(const std::uint8_t* data, std::size_t size) {
  std::string out(4 * ((size + 2) / 3), '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data, static_cast<int>(size));
  out.resize(n < 0 ? 0 : static_cast<std::size_t>(n));
  return out;
}

std::string to_base64(std::string_view bytes) {
  return to_base64(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
}

std::string percent_encode(std::string_view text) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                            c == '_' || c == '.' || c == '~';
    if (unreserved) {
      out.push_back(ch);
    } else {
      out.push_back('%');
      out.push_back(kDigits[c >> 4]);
      out.push_back(kDigits[c & 0x0f]);
    }
  }
  return out;
}

}  // namespace tradingd::live
