// The command line, the URL line (format and --urls-file), the replay file reader, and the real binary:
// it starts on ephemeral ports, prints the URL line, writes the same line to --urls-file, and exits 2 on
// bad usage.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <set>
#include <thread>

#include <gtest/gtest.h>

#include "exchange/emulator/cli.h"
#include "tests/emulator/shape.h"
#include "tests/support/fixtures.h"

namespace tradingd::emulator {
namespace {
namespace fs = std::filesystem;

fs::path temp_dir(const std::string& name) {
  auto d = fs::temp_directory_path() / ("emulator_test_" + name + "_" + std::to_string(::getpid()));
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

TEST(Cli, ParsesEveryFlag) {
  const auto r = parse_args({"--bind", "::1", "--port-binance=9001", "--port-bybit", "9002", "--port-okx", "9003",
                             "--cert-dir", "/tmp/c", "--urls-file", "/tmp/u", "--seed", "99", "--tick-ms", "50",
                             "--warmup-minutes", "0", "--okx-checksum", "zero", "--fault", "okx:stall:500@2000",
                             "--fault", "binance:skip_seq", "--replay", "bybit=/tmp/f.jsonl", "--replay-loop",
                             "--replay-interval-ms", "20", "--binance-ping-interval-ms", "1000",
                             "--okx-idle-timeout-ms", "2000"});
  ASSERT_TRUE(r.errors.empty()) << r.errors.front();
  const auto& c = r.config;
  EXPECT_EQ(c.bind_address, "::1");
  EXPECT_EQ(c.port_binance, 9001);
  EXPECT_EQ(c.port_okx, 9003);
  EXPECT_EQ(c.service.market.seed, 99u);
  EXPECT_TRUE(c.service.okx_checksum_zero);
  ASSERT_EQ(c.faults.size(), 2u);
  EXPECT_EQ(c.faults[0].venue, Venue::Okx);
  EXPECT_EQ(c.faults[0].after_ms, 2000);
  EXPECT_EQ(c.faults[0].request.duration_ms, 500);
  ASSERT_EQ(c.replays.size(), 1u);
  EXPECT_TRUE(c.replay_loop);
  EXPECT_EQ(c.service.okx_idle_timeout_ms, 2000);
}

TEST(Cli, ReportsEveryError) {
  const auto r = parse_args({"--bind", "0.0.0.0", "--seed", "x", "--nope", "--fault", "kraken:drop", "--okx-checksum", "maybe",
                             "--port-okx"});
  EXPECT_EQ(r.errors.size(), 6u);
  EXPECT_TRUE(parse_args({"--help"}).config.help);
  EXPECT_NE(help_text().find("--cert-dir"), std::string::npos);
}

TEST(Cli, UrlLine) {
  const auto line = urls_line("127.0.0.1", {1001, 1002, 1003}, "/x/ca.pem");
  EXPECT_EQ(line.find('\n'), std::string::npos) << "one line";
  const auto v = test::parse(line);
  EXPECT_EQ(v.at("binance").at("rest"), "https://127.0.0.1:1001");
  EXPECT_EQ(v.at("binance").at("ws"), "wss://127.0.0.1:1001");
  EXPECT_EQ(v.at("binance").at("ws_private"), "wss://127.0.0.1:1001");
  EXPECT_EQ(v.at("bybit").at("ws"), "wss://127.0.0.1:1002");
  EXPECT_EQ(v.at("bybit").at("ws_private"), "wss://127.0.0.1:1002");
  EXPECT_EQ(v.at("okx").at("ws"), "wss://127.0.0.1:1003");
  EXPECT_EQ(v.at("okx").at("admin"), "https://127.0.0.1:1003/_emulator");
  for (const char* venue : {"binance", "bybit", "okx"}) {
    std::set<std::string> keys;
    for (const auto& kv : v.at(venue).as_object()) keys.insert(std::string(kv.key()));
    EXPECT_EQ(keys, (std::set<std::string>{"rest", "ws", "ws_private", "admin"})) << venue;
  }
  EXPECT_EQ(v.at("ca_file"), "/x/ca.pem");
  EXPECT_EQ(test::parse(urls_line("::1", {1, 2, 3}, "c")).at("okx").at("rest"), "https://[::1]:3");
}

TEST(Cli, LoadsReplayFiles) {
  const auto dir = temp_dir("replay");
  std::ofstream(dir / "f.jsonl") << "{\"a\":1}\r\n\n  \n{\"b\":2}\n";
  const auto frames = load_replay(dir / "f.jsonl");
  ASSERT_TRUE(frames);
  ASSERT_EQ(frames->size(), 2u);
  EXPECT_EQ((*frames)[0], "{\"a\":1}");
  EXPECT_FALSE(load_replay(dir / "missing.jsonl"));
  std::ofstream(dir / "empty.jsonl") << "\n";
  EXPECT_FALSE(load_replay(dir / "empty.jsonl"));
  fs::remove_all(dir);
}

// Runs the binary; returns its pid, stdout goes to out_file.
pid_t spawn(const std::vector<std::string>& args, const fs::path& out_file) {
  const pid_t pid = ::fork();
  if (pid == 0) {
    FILE* f = std::freopen(out_file.c_str(), "w", stdout);
    (void)f;
    std::vector<char*> argv;
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    ::execv(argv[0], argv.data());
    std::_Exit(127);
  }
  return pid;
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  std::string s;
  std::getline(in, s);
  return s;
}

TEST(Cli, BinaryPrintsAndWritesTheUrlLine) {
  const auto bin = tradingd::test::bin_dir() / "venue-emulator";
  ASSERT_TRUE(fs::exists(bin)) << bin;
  const auto dir = temp_dir("binary");
  const pid_t pid = spawn({bin.string(), "--cert-dir", (dir / "certs").string(), "--urls-file", (dir / "urls.json").string(),
                           "--warmup-minutes", "1"},
                          dir / "stdout.txt");
  std::string line;
  for (int i = 0; i < 300 && line.empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    line = slurp(dir / "stdout.txt");
  }
  ::kill(pid, SIGTERM);
  int status = 0;
  ::waitpid(pid, &status, 0);
  ASSERT_FALSE(line.empty()) << "no URL line within 15 s";
  EXPECT_EQ(slurp(dir / "urls.json"), line);
  const auto v = test::parse(line);
  EXPECT_NE(v.at("binance").at("rest").as_string().find("https://127.0.0.1:"), std::string::npos);
  EXPECT_NE(v.at("binance").at("rest"), "https://127.0.0.1:0") << "ephemeral ports are reported as bound";
  EXPECT_EQ(v.at("ca_file").as_string(), fs::absolute(dir / "certs" / "ca.pem").string());
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == kExitOk) << "SIGTERM is a clean shutdown";
  // Bad usage exits 2 without starting.
  const pid_t bad = spawn({bin.string(), "--bind", "10.0.0.1"}, dir / "bad.txt");
  ::waitpid(bad, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == kExitUsage);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace tradingd::emulator

namespace tradingd::emulator {
namespace {

// The split between pure venue logic and the network shell: only server.cpp (and main.cpp through
// server.h, which names no Asio type) may touch Asio or Beast.
TEST(Layout, PureEmulatorFilesIncludeNoAsioOrBeast) {
  const auto root = tradingd::test::source_dir() / "exchange" / "emulator";
  ASSERT_TRUE(std::filesystem::is_directory(root)) << root;
  int checked = 0;
  for (const auto& e : std::filesystem::recursive_directory_iterator(root)) {
    const auto name = e.path().filename().string();
    if (!e.is_regular_file() || (e.path().extension() != ".cpp" && e.path().extension() != ".h")) continue;
    if (name == "server.cpp") continue;
    const std::string text = tradingd::test::read_file(e.path());
    EXPECT_EQ(text.find("boost/asio"), std::string::npos) << e.path();
    EXPECT_EQ(text.find("boost/beast"), std::string::npos) << e.path();
    ++checked;
  }
  EXPECT_GT(checked, 20);
}

}  // namespace
}  // namespace tradingd::emulator

namespace tradingd::emulator {
namespace {

TEST(Cli, AccountFlagsSetCredentialsAndReplaceTheDefaultBalances) {
  auto out = parse_args({"--api-key", "k1", "--api-secret=s1", "--passphrase", "p1", "--balance", "USDT=5000.5",
                         "--balance=ETH=2"});
  ASSERT_TRUE(out.errors.empty()) << out.errors.front();
  const auto& a = out.config.service.account;
  EXPECT_EQ(a.api_key, "k1");
  EXPECT_EQ(a.api_secret, "s1");
  EXPECT_EQ(a.passphrase, "p1");
  ASSERT_EQ(a.balances.size(), 2u);
  EXPECT_EQ(a.balances[0].first, "USDT");
  EXPECT_EQ(a.balances[0].second, Money::from_string("5000.5"));
  EXPECT_EQ(a.balances[1].first, "ETH");
  EXPECT_EQ(parse_args({}).config.service.account.balances.size(), 2u);  // defaults: USDT and BTC
  for (const char* bad : {"USDT", "=5", "USDT=-1", "USDT=abc"}) {
    EXPECT_EQ(parse_args({"--balance", bad}).errors.size(), 1u) << bad;
  }
  EXPECT_EQ(parse_args({"--api-key", ""}).errors.size(), 1u);
}

}  // namespace
}  // namespace tradingd::emulator
