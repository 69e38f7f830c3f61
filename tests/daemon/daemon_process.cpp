// Process-level test support: fork/exec with an explicit environment, files for the child's output (no pipe
// can fill up and stall it), waitpid with WNOHANG polled against a deadline, and a minimal HTTP client.
#include "tests/daemon/daemon_process.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <random>
#include <set>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>

#include "tests/support/fixtures.h"

namespace tradingd::test {
namespace {

using Clock = std::chrono::steady_clock;

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// fork + execve with stdin/stdout/stderr redirected to files. Returns the child's pid (or -1).
pid_t spawn(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
            const std::filesystem::path& out, const std::filesystem::path& err,
            const std::optional<std::filesystem::path>& in) {
  std::vector<std::string> env_strings;
  for (const auto& [k, v] : env) env_strings.push_back(k + "=" + v);
  std::vector<char*> cargv, cenv;
  for (const auto& a : argv) cargv.push_back(const_cast<char*>(a.c_str()));
  cargv.push_back(nullptr);
  for (auto& e : env_strings) cenv.push_back(e.data());
  cenv.push_back(nullptr);
  const int out_fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  const int err_fd = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  const int in_fd = ::open(in ? in->c_str() : "/dev/null", O_RDONLY | O_CLOEXEC);
  if (out_fd < 0 || err_fd < 0 || in_fd < 0) return -1;
  const pid_t pid = ::fork();
  if (pid == 0) {
    // The child: only async-signal-safe calls until execve. Signals the test runner blocks must not stay
    // blocked in the daemon.
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    ::dup2(in_fd, 0);
    ::dup2(out_fd, 1);
    ::dup2(err_fd, 2);
    ::execve(cargv[0], cargv.data(), cenv.data());
    ::_exit(127);
  }
  ::close(out_fd);
  ::close(err_fd);
  ::close(in_fd);
  return pid;
}

}  // namespace

TempDir::TempDir() {
  std::random_device rd;
  const auto base = std::filesystem::temp_directory_path();
  for (;;) {
    path_ = base / ("tradingd-test-" + std::to_string(::getpid()) + "-" + std::to_string(rd()));
    if (std::filesystem::create_directory(path_)) break;
  }
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::filesystem::path TempDir::write(const std::string& name, const std::string& contents) const {
  const auto p = path_ / name;
  std::filesystem::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary | std::ios::trunc) << contents;
  return p;
}

bool eventually(const std::function<bool()>& pred, std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    if (pred()) return true;
    if (Clock::now() >= deadline) return false;
    std::this_thread::sleep_for(10ms);
  }
}

std::optional<std::filesystem::path> find_program(const std::string& name) {
  const char* path_env = std::getenv("PATH");
  std::string dirs = std::string(path_env ? path_env : "") + ":/usr/local/bin:/usr/bin:/bin";
  std::istringstream in(dirs);
  for (std::string dir; std::getline(in, dir, ':');) {
    if (dir.empty()) continue;
    const auto candidate = std::filesystem::path(dir) / name;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return std::nullopt;
}

ProcessResult run_program(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
                          std::chrono::milliseconds timeout, const std::optional<std::filesystem::path>& stdin_file) {
  TempDir dir;
  ProcessResult r;
  const pid_t pid = spawn(argv, env, dir.path() / "out", dir.path() / "err", stdin_file);
  if (pid < 0) {
    r.err = "cannot start " + argv.front();
    return r;
  }
  int status = 0;
  const bool exited = eventually([&] { return ::waitpid(pid, &status, WNOHANG) == pid; }, timeout);
  if (!exited) {
    ::kill(pid, SIGKILL);
    ::waitpid(pid, &status, 0);
  } else if (WIFEXITED(status)) {
    r.exit_code = WEXITSTATUS(status);
  }
  r.out = slurp(dir.path() / "out");
  r.err = slurp(dir.path() / "err");
  return r;
}

std::map<std::string, std::string> daemon_env(const TempDir& dir) {
  return {
      {"PATH", "/usr/local/bin:/usr/bin:/bin"},
      {"TRADINGD_STATE_DIR", (dir.path() / "state").string()},
      {"TRADINGD_METRICS_LISTEN", "127.0.0.1:0"},
      {"TRADINGD_API_LISTEN", "127.0.0.1:0"},
      // Never a real venue host from a test: paper mode runs on placeholder rules without market data.
      // Tests of the market data (tests/daemon/market_data_*) erase it and point the daemon at the emulator.
      {"TRADINGD_TEST_NO_MARKET_DATA", "1"},
  };
}

DaemonProcess::DaemonProcess(const TempDir& dir, std::vector<std::string> args, std::map<std::string, std::string> env)
    : out_path_(dir.path() / "daemon.out"), err_path_(dir.path() / "daemon.err") {
  args.insert(args.begin(), (bin_dir() / "tradingd").string());
  pid_ = spawn(args, env, out_path_, err_path_, std::nullopt);
  if (pid_ < 0) ADD_FAILURE() << "cannot start " << args.front();
}

DaemonProcess::~DaemonProcess() {
  if (pid_ > 0 && !status_) {
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
  }
}

void DaemonProcess::signal(int signal_number) const {
  if (pid_ > 0) ::kill(pid_, signal_number);
}

bool DaemonProcess::running() {
  if (pid_ <= 0 || status_) return false;
  int status = 0;
  if (::waitpid(pid_, &status, WNOHANG) == pid_) {
    status_ = status;
    return false;
  }
  return true;
}

std::optional<int> DaemonProcess::wait_exit(std::chrono::milliseconds timeout) {
  eventually([&] { return !running(); }, timeout);
  if (!status_ || !WIFEXITED(*status_)) return std::nullopt;
  return WEXITSTATUS(*status_);
}

std::string DaemonProcess::stderr_text() const { return slurp(err_path_); }

bool DaemonProcess::wait_for_log(const std::string& needle, std::chrono::milliseconds timeout) const {
  return eventually([&] { return stderr_text().find(needle) != std::string::npos; }, timeout);
}

int DaemonProcess::metrics_port(std::chrono::milliseconds timeout) const {
  // "Metrics listening address=127.0.0.1:41234 endpoints=..."
  return logged_port("Metrics listening address=", timeout);
}

int DaemonProcess::logged_port(const std::string& key, std::chrono::milliseconds timeout) const {
  int port = 0;
  eventually(
      [&] {
        const auto text = stderr_text();
        const auto at = text.find(key);
        if (at == std::string::npos) return false;
        const auto end = text.find_first_of(" \n", at + key.size());
        const auto address = text.substr(at + key.size(), end - at - key.size());
        port = std::atoi(address.substr(address.rfind(':') + 1).c_str());
        return port > 0;
      },
      timeout);
  return port;
}

NotifySocket::NotifySocket(std::filesystem::path path) : path_(std::move(path)) {
  fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, path_.c_str(), sizeof addr.sun_path - 1);
  if (fd_ >= 0 && ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd_);
    fd_ = -1;
  }
  if (fd_ < 0) ADD_FAILURE() << "cannot bind a notify socket at " << path_;
}

NotifySocket::~NotifySocket() {
  if (fd_ >= 0) ::close(fd_);
}

void NotifySocket::drain() {
  pollfd p{fd_, POLLIN, 0};
  while (fd_ >= 0 && ::poll(&p, 1, 0) > 0) {
    char buf[4096];
    const auto n = ::recv(fd_, buf, sizeof buf, 0);
    if (n <= 0) break;
    messages_.push_back({Clock::now(), std::string(buf, static_cast<std::size_t>(n))});
  }
}

bool NotifySocket::wait_for(const std::string& prefix, std::chrono::milliseconds timeout) {
  return eventually(
      [&] {
        drain();
        return std::any_of(messages_.begin(), messages_.end(), [&](const auto& m) { return m.text.starts_with(prefix); });
      },
      timeout);
}

std::size_t NotifySocket::count(const std::string& text) const {
  return static_cast<std::size_t>(
      std::count_if(messages_.begin(), messages_.end(), [&](const auto& m) { return m.text == text; }));
}

std::function<std::optional<std::string>(std::string_view)> env_lookup(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](std::string_view name) -> std::optional<std::string> {
    auto it = vars.find(std::string(name));
    return it == vars.end() ? std::nullopt : std::optional(it->second);
  };
}

HttpResponse http_get(int port, const std::string& path, std::chrono::milliseconds timeout) {
  HttpResponse r;
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return r;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const auto deadline = Clock::now() + timeout;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return r;
  }
  const std::string request = "GET " + path + " HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n";
  if (::send(fd, request.data(), request.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(request.size())) {
    ::close(fd);
    return r;
  }
  std::string response;
  char buf[16384];
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    pollfd p{fd, POLLIN, 0};
    if (left <= 0 || ::poll(&p, 1, static_cast<int>(left)) <= 0) break;
    const auto n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    response.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  const auto head_end = response.find("\r\n\r\n");
  if (head_end == std::string::npos || response.size() < 12) return r;
  r.status = std::atoi(response.substr(9, 3).c_str());
  r.body = response.substr(head_end + 4);
  return r;
}

std::optional<double> sample_value(const std::string& exposition, const std::string& series) {
  std::istringstream in(exposition);
  for (std::string line; std::getline(in, line);) {
    if (line.size() > series.size() && line.compare(0, series.size(), series) == 0 && line[series.size()] == ' ')
      return std::strtod(line.c_str() + series.size() + 1, nullptr);
  }
  return std::nullopt;
}

std::vector<std::string> sample_names(const std::string& exposition) {
  std::set<std::string> names;
  std::istringstream in(exposition);
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line.front() == '#') continue;
    names.insert(line.substr(0, line.find_first_of("{ ")));
  }
  return {names.begin(), names.end()};
}

int control_api_port(const DaemonProcess& d) { return d.logged_port("Control API listening address="); }

}  // namespace tradingd::test
