#include "exchange/binance/trading_signer.h"

#include <openssl/evp.h>
#include <openssl/pem.h>

#include <utility>

namespace tradingd::binance {

struct BinanceSigner::Ed25519Key {
  EVP_PKEY* pkey = nullptr;
  ~Ed25519Key() { EVP_PKEY_free(pkey); }
};

BinanceSigner::BinanceSigner(std::string api_key, KeyKind kind) : api_key_(std::move(api_key)), kind_(kind) {}
BinanceSigner::~BinanceSigner() = default;
BinanceSigner::BinanceSigner(BinanceSigner&&) noexcept = default;
BinanceSigner& BinanceSigner::operator=(BinanceSigner&&) noexcept = default;

Result<BinanceSigner, std::string> BinanceSigner::make(std::string api_key, std::string_view secret) {
  if (secret.find("-----BEGIN") != std::string_view::npos) {
    BinanceSigner s(std::move(api_key), KeyKind::Ed25519);
    BIO* bio = BIO_new_mem_buf(secret.data(), static_cast<int>(secret.size()));
    if (bio == nullptr) return Err{std::string("BIO_new_mem_buf failed")};
    EVP_PKEY* pkey = PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr);
    BIO_free(bio);
    if (pkey == nullptr) return Err{std::string("the API secret looks like a PEM key but cannot be read")};
    if (EVP_PKEY_get_base_id(pkey) != EVP_PKEY_ED25519) {
      EVP_PKEY_free(pkey);
      return Err{std::string("only Ed25519 PEM keys are supported (RSA keys are not)")};
    }
    s.ed25519_ = std::make_unique<Ed25519Key>();
    s.ed25519_->pkey = pkey;
    return s;
  }
  auto mac = live::HmacSha256::make(secret);
  if (!mac) return Err{mac.error()};
  BinanceSigner s(std::move(api_key), KeyKind::Hmac);
  s.hmac_ = std::make_unique<live::HmacSha256>(std::move(*mac));
  return s;
}

std::string BinanceSigner::sign_raw(std::string_view a, std::string_view b, bool percent_encode_b64) const {
  if (kind_ == KeyKind::Hmac) return live::to_hex(hmac_->sign(a, b));
  // Ed25519 signs the message in one pass (no streaming), so the parts are joined first.
  std::string msg;
  msg.reserve(a.size() + b.size());
  msg.append(a).append(b);
  unsigned char sig[64];
  std::size_t len = sizeof sig;
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  bool ok = ctx != nullptr && EVP_DigestSignInit(ctx, nullptr, nullptr, nullptr, ed25519_->pkey) == 1 &&
            EVP_DigestSign(ctx, sig, &len, reinterpret_cast<const unsigned char*>(msg.data()), msg.size()) == 1;
  EVP_MD_CTX_free(ctx);
  if (!ok) return {};  // an empty signature is refused by the venue (-1022), never sent as valid
  std::string b64 = live::to_base64(sig, len);
  return percent_encode_b64 ? live::percent_encode(b64) : b64;
}

std::string BinanceSigner::sign_rest(std::string_view query, std::string_view body) const {
  return sign_raw(query, body, true);
}

void BinanceSigner::append_signature(std::string& query, std::string_view body) const {
  std::string sig = sign_rest(query, body);
  if (!query.empty()) query.push_back('&');
  query.append("signature=").append(sig);
}

std::string BinanceSigner::sign_ws(std::string_view payload) const { return sign_raw(payload, {}, false); }

}  // namespace tradingd::binance
