// EmulatorProcess (see market_data_emulator.h).
#include "tests/daemon/market_data_emulator.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <fstream>
#include <sstream>
#include <thread>

#include "tests/support/fixtures.h"

namespace tradingd::test {
namespace {

std::string read_all(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string upper(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

EmulatorProcess::EmulatorProcess(const TempDir& dir, std::vector<std::string> extra_args)
    : dir_(dir.path() / "emulator"), ca_file_(dir_ / "certs" / "ca.pem") {
  std::filesystem::create_directories(dir_);
  std::vector<std::string> args{(bin_dir() / "venue-emulator").string(), "--cert-dir", (dir_ / "certs").string(),
                                "--urls-file", (dir_ / "urls.json").string(), "--warmup-minutes", "2"};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  const int out_fd = ::open((dir_ / "stdout.txt").c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  const int err_fd = ::open((dir_ / "stderr.txt").c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (out_fd < 0 || err_fd < 0) {
    ADD_FAILURE() << "cannot open the emulator's output files in " << dir_;
    return;
  }
  char* envp[] = {const_cast<char*>("PATH=/usr/bin:/bin"), nullptr};
  pid_ = ::fork();
  if (pid_ == 0) {
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    ::dup2(out_fd, 1);
    ::dup2(err_fd, 2);
    ::execve(argv[0], argv.data(), envp);
    ::_exit(127);
  }
  ::close(out_fd);
  ::close(err_fd);
  if (pid_ < 0) ADD_FAILURE() << "cannot fork the emulator";
}

EmulatorProcess::~EmulatorProcess() { stop(); }

void EmulatorProcess::stop() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGTERM);
  int status = 0;
  for (int i = 0; i < 200; ++i) {
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  ::kill(pid_, SIGKILL);
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
}

bool EmulatorProcess::wait_ready(std::chrono::milliseconds timeout) {
  const auto file = dir_ / "urls.json";
  if (!eventually([&] { return std::filesystem::exists(file) && std::filesystem::file_size(file) > 0; }, timeout))
    return false;
  boost::system::error_code ec;
  const auto doc = boost::json::parse(read_all(file), ec);
  if (ec || !doc.is_object()) return false;
  for (const auto& [venue, v] : doc.as_object()) {
    if (!v.is_object()) continue;
    for (const auto& [key, u] : v.as_object())
      if (u.is_string()) urls_[std::string(venue)][std::string(key)] = std::string(u.as_string());
  }
  return urls_.size() == 3;
}

std::string EmulatorProcess::url(const std::string& venue, const std::string& key) const {
  auto v = urls_.find(venue);
  if (v == urls_.end()) return {};
  auto k = v->second.find(key);
  return k == v->second.end() ? std::string{} : k->second;
}

void EmulatorProcess::wire(std::map<std::string, std::string>& env, bool with_ca) const {
  env.erase("TRADINGD_TEST_NO_MARKET_DATA");
  for (const auto& [venue, urls] : urls_) {
    const std::string prefix = "TRADINGD_" + upper(venue) + "_";
    env[prefix + "REST_URL"] = url(venue, "rest");
    env[prefix + "WS_URL"] = url(venue, "ws");
    env[prefix + "WS_PRIVATE_URL"] = url(venue, "ws_private");
  }
  if (with_ca) env["TRADINGD_CA_FILE"] = ca_file_.string();
}

ProcessResult EmulatorProcess::fault(const std::string& venue, const std::string& json_body) const {
  const auto curl = find_program("curl");
  if (!curl) return ProcessResult{127, {}, "curl is not installed"};
  return run_program({curl->string(), "-sS", "--fail-with-body", "--max-time", "10", "--cacert", ca_file_.string(), "-X", "POST", "-H",
                      "Content-Type: application/json", "--data", json_body, url(venue, "admin") + "/fault"},
                     {{"PATH", "/usr/bin:/bin"}}, 15s);
}

std::string EmulatorProcess::stderr_text() const { return read_all(dir_ / "stderr.txt"); }

}  // namespace tradingd::test
