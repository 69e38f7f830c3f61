// Credentials: from the environment, from a systemd credentials directory (one trailing newline
// stripped), the environment winning; what live mode lacks, named by variable; masking and redaction.
#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <unistd.h>

#include "config/credentials.h"
#include "tests/config/config_test_util.h"

namespace tradingd::config::test {
namespace {

// A fresh credentials directory, like the one systemd makes for LoadCredential=.
class CredentialsDir {
 public:
  CredentialsDir() {
    static std::atomic<int> counter{0};
    path_ = std::filesystem::path(::testing::TempDir()) /
            ("tradingd_credentials_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    std::filesystem::create_directories(path_);
  }
  ~CredentialsDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  void put(const std::string& name, const std::string& content) const {
    std::ofstream(path_ / name, std::ios::binary) << content;
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

Config with_venues(bool binance, bool bybit, bool okx) {
  Config c;
  c.mode = TradingMode::Live;
  c.venues.binance.enabled = binance;
  c.venues.bybit.enabled = bybit;
  c.venues.okx.enabled = okx;
  return c;
}

TEST(ConfigCredentials, FromTheEnvironment) {
  const Credentials c = load_credentials(fake_env({{"TRADINGD_BINANCE_API_KEY", "bk"},
                                                   {"TRADINGD_BINANCE_API_SECRET", "bs"},
                                                   {"TRADINGD_BYBIT_API_KEY", "yk"},
                                                   {"TRADINGD_BYBIT_API_SECRET", "ys"},
                                                   {"TRADINGD_OKX_API_KEY", "ok"},
                                                   {"TRADINGD_OKX_API_SECRET", "os"},
                                                   {"TRADINGD_OKX_API_PASSPHRASE", "op"},
                                                   {"TRADINGD_API_TOKEN", "tok"}}),
                                         std::nullopt);
  EXPECT_EQ(c.binance.api_key, "bk");
  EXPECT_EQ(c.binance.api_secret.reveal(), "bs");
  EXPECT_EQ(c.bybit.api_key, "yk");
  EXPECT_EQ(c.bybit.api_secret.reveal(), "ys");
  EXPECT_EQ(c.okx.api_key, "ok");
  EXPECT_EQ(c.okx.api_secret.reveal(), "os");
  EXPECT_EQ(c.okx.passphrase.reveal(), "op");
  EXPECT_EQ(c.api_token.reveal(), "tok");
  EXPECT_TRUE(c.get(Venue::Okx).has_key());
}

TEST(ConfigCredentials, FromTheCredentialsDirectory) {
  const CredentialsDir dir;
  dir.put("tradingd_binance_api_key", "key-from-file\n");
  dir.put("tradingd_binance_api_secret", "secret\n\n");   // only one newline is stripped
  dir.put("tradingd_okx_api_key", "okx-key");             // no newline at all
  dir.put("tradingd_okx_api_secret", "okx-secret\r\n");   // written on Windows
  dir.put("tradingd_okx_api_passphrase", " pass phrase \n");
  dir.put("tradingd_api_token", "token\n");
  dir.put("TRADINGD_BYBIT_API_KEY", "upper-case names are not read\n");
  const Credentials c = load_credentials(fake_env({}), dir.path());
  EXPECT_EQ(c.binance.api_key, "key-from-file");
  EXPECT_EQ(c.binance.api_secret.reveal(), "secret\n");
  EXPECT_EQ(c.okx.api_key, "okx-key");
  EXPECT_EQ(c.okx.api_secret.reveal(), "okx-secret");
  EXPECT_EQ(c.okx.passphrase.reveal(), " pass phrase ");
  EXPECT_EQ(c.api_token.reveal(), "token");
  EXPECT_EQ(c.bybit.api_key, "");
}

TEST(ConfigCredentials, CredentialsDirectoryVariableIsUsedWhenNoDirIsGiven) {
  const CredentialsDir dir;
  dir.put("tradingd_bybit_api_key", "yk\n");
  const Credentials c = load_credentials(fake_env({{"CREDENTIALS_DIRECTORY", dir.path().string()}}));
  EXPECT_EQ(c.bybit.api_key, "yk");
  // An explicit directory wins over the variable.
  const CredentialsDir other;
  EXPECT_EQ(load_credentials(fake_env({{"CREDENTIALS_DIRECTORY", dir.path().string()}}), other.path()).bybit.api_key, "");
}

TEST(ConfigCredentials, EnvironmentWinsOverFiles) {
  const CredentialsDir dir;
  dir.put("tradingd_binance_api_key", "file-key\n");
  dir.put("tradingd_binance_api_secret", "file-secret\n");
  const Credentials c = load_credentials(
      fake_env({{"TRADINGD_BINANCE_API_KEY", "env-key"}, {"TRADINGD_BINANCE_API_SECRET", ""}}), dir.path());
  EXPECT_EQ(c.binance.api_key, "env-key");
  EXPECT_EQ(c.binance.api_secret.reveal(), "file-secret");  // an empty variable does not hide the file
}

TEST(ConfigCredentials, MissingDirectoryIsNotAnError) {
  const Credentials c = load_credentials(fake_env({}), std::filesystem::path("/nonexistent/credentials"));
  EXPECT_FALSE(c.binance.has_key());
  EXPECT_TRUE(c.api_token.empty());
}

TEST(ConfigCredentials, MissingLiveCredentialsNameTheVariables) {
  const Credentials none = load_credentials(fake_env({}), std::nullopt);
  EXPECT_EQ(missing_live_credentials(with_venues(true, false, false), none),
            (std::vector<std::string>{"TRADINGD_BINANCE_API_KEY", "TRADINGD_BINANCE_API_SECRET"}));
  EXPECT_EQ(missing_live_credentials(with_venues(false, false, true), none),
            (std::vector<std::string>{"TRADINGD_OKX_API_KEY", "TRADINGD_OKX_API_SECRET", "TRADINGD_OKX_API_PASSPHRASE"}));
  EXPECT_EQ(missing_live_credentials(with_venues(true, true, true), none).size(), 7u);
  EXPECT_TRUE(missing_live_credentials(with_venues(false, false, false), none).empty());

  // Exactly what is missing: OKX has key and secret but no passphrase; Bybit lacks only its secret.
  const Credentials partial = load_credentials(fake_env({{"TRADINGD_OKX_API_KEY", "k"},
                                                         {"TRADINGD_OKX_API_SECRET", "s"},
                                                         {"TRADINGD_BYBIT_API_KEY", "k"},
                                                         {"TRADINGD_BINANCE_API_KEY", "k"},
                                                         {"TRADINGD_BINANCE_API_SECRET", "s"}}),
                                               std::nullopt);
  EXPECT_EQ(missing_live_credentials(with_venues(true, true, true), partial),
            (std::vector<std::string>{"TRADINGD_BYBIT_API_SECRET", "TRADINGD_OKX_API_PASSPHRASE"}));
  EXPECT_TRUE(missing_live_credentials(with_venues(true, false, false), partial).empty());
}

TEST(ConfigCredentials, MaskingAndRedaction) {
  EXPECT_EQ(mask_api_key("vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A"), "****Eh8A");
  EXPECT_EQ(mask_api_key("123456789"), "****6789");
  EXPECT_EQ(mask_api_key("12345678"), "****");  // short keys: nothing shown
  EXPECT_EQ(mask_api_key(""), "****");
  std::ostringstream os;
  os << Secret("hunter2");
  EXPECT_EQ(os.str(), "<redacted>");
}

}  // namespace
}  // namespace tradingd::config::test
