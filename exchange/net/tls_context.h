// The client TLS context every venue connection shares: system CAs plus an optional extra CA file
// (TRADINGD_CA_FILE / tls.ca_file, e.g. the emulator's), peer verification always on, TLS >= 1.2.
// Per-connection settings (SNI, hostname check) are applied by the sessions. No Asio in this header.
#pragma once

#include <memory>
#include <string>

#include "core/result.h"

namespace tradingd::net {

struct TlsClientOptions {
  std::string extra_ca_file;     // PEM with one or more CA certificates; empty: none
  bool use_system_cas = true;    // tests turn this off to prove an unknown CA is rejected
};

class TlsContext {
 public:
  struct Impl;
  // Errors name the file and OpenSSL's reason ("cannot load CA file /x/ca.pem: no such file").
  static Result<std::shared_ptr<TlsContext>, std::string> create_client(const TlsClientOptions& options);
  ~TlsContext();
  TlsContext(const TlsContext&) = delete;
  TlsContext& operator=(const TlsContext&) = delete;

  Impl& impl() { return *impl_; }

 private:
  explicit TlsContext(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace tradingd::net
