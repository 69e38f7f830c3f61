// Certificate generation: the CA verifies the leaf, the leaf names localhost, 127.0.0.1 and ::1, keys are
// 0600, valid files are reused as they are, and broken ones are replaced.
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>

#include <gtest/gtest.h>

#include "exchange/emulator/certs.h"
#include "tests/support/fixtures.h"

namespace tradingd::emulator {
namespace {
namespace fs = std::filesystem;

TEST(Certs, GeneratesVerifiesAndReuses) {
  const auto dir = fs::temp_directory_path() / ("emulator_certs_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  auto first = ensure_certificates(dir / "nested");
  ASSERT_TRUE(first) << first.error();
  EXPECT_TRUE(first->generated);
  EXPECT_EQ(first->ca_cert.filename(), "ca.pem");
  auto ok = check_certificates(first->ca_cert, first->leaf_cert, 30);
  EXPECT_TRUE(ok) << ok.error();
  for (const auto& key : {first->ca_key, first->leaf_key}) {
    struct stat st {};
    ASSERT_EQ(::stat(key.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u) << key;
  }
  const std::string leaf_pem = tradingd::test::read_file(first->leaf_cert);
  auto second = ensure_certificates(dir / "nested");
  ASSERT_TRUE(second);
  EXPECT_FALSE(second->generated) << "valid files are reused";
  EXPECT_EQ(tradingd::test::read_file(second->leaf_cert), leaf_pem);
  // A leaf that no longer verifies against ca.pem (another CA) is replaced.
  const auto other = dir / "other";
  ASSERT_TRUE(ensure_certificates(other));
  fs::copy_file(other / "ca.pem", dir / "nested" / "ca.pem", fs::copy_options::overwrite_existing);
  EXPECT_FALSE(check_certificates(dir / "nested" / "ca.pem", dir / "nested" / "server.pem"));
  auto third = ensure_certificates(dir / "nested");
  ASSERT_TRUE(third);
  EXPECT_TRUE(third->generated);
  EXPECT_TRUE(check_certificates(third->ca_cert, third->leaf_cert));
  // Garbage is replaced too.
  std::ofstream(dir / "nested" / "server.pem") << "not a certificate";
  auto fourth = ensure_certificates(dir / "nested");
  ASSERT_TRUE(fourth);
  EXPECT_TRUE(fourth->generated);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace tradingd::emulator
