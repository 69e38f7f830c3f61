// The emulator's own TLS identity: a CA (ca.pem, ca.key) and a leaf for localhost, 127.0.0.1 and ::1
// (server.pem, server.key) in --cert-dir. Existing files are reused when the leaf still verifies against
// the CA, carries those names and has more than a day left; otherwise both are made anew. Keys are 0600.
#pragma once

#include <filesystem>
#include <string>

#include "core/result.h"

namespace tradingd::emulator {

struct CertFiles {
  std::filesystem::path ca_cert;    // ca.pem: what clients trust (NODE_EXTRA_CA_CERTS, TRADINGD_CA_FILE)
  std::filesystem::path ca_key;     // ca.key
  std::filesystem::path leaf_cert;  // server.pem
  std::filesystem::path leaf_key;   // server.key
  bool generated = false;           // false: reused existing files
};

Result<CertFiles, std::string> ensure_certificates(const std::filesystem::path& dir);

// Checks that leaf verifies against ca, has the SANs above and is valid for at least `min_days`; an error
// text says what failed. Used for reuse decisions and by the tests.
Result<bool, std::string> check_certificates(const std::filesystem::path& ca_pem, const std::filesystem::path& leaf_pem,
                                             int min_days = 1);

}  // namespace tradingd::emulator
