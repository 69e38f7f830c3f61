// Process-level test support: start the real build/bin/tradingd with a clean environment, a temporary state
// directory and the metrics listener on a kernel-chosen loopback port; read its stderr; signal it; wait for
// its exit with a deadline; fetch its HTTP endpoints. Every wait polls against a deadline, none sleeps blindly.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tradingd::test {

using namespace std::chrono_literals;

// A fresh directory under the system temp dir, removed with its contents on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path write(const std::string& name, const std::string& contents) const;

 private:
  std::filesystem::path path_;
};

// Polls pred every few milliseconds until it holds or the timeout passes.
bool eventually(const std::function<bool()>& pred, std::chrono::milliseconds timeout = 10s);

struct ProcessResult {
  int exit_code = -1;  // -1 when killed by a signal or still running at the deadline
  std::string out;
  std::string err;
};

// The program's path from $PATH (or the usual system directories); nullopt if it is not installed.
std::optional<std::filesystem::path> find_program(const std::string& name);

// Runs a program to completion (stdin from stdin_file if given) and captures its output; kills it after
// the timeout.
ProcessResult run_program(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
                          std::chrono::milliseconds timeout = 30s, const std::optional<std::filesystem::path>& stdin_file = {});

// The base environment for a daemon under test: PATH only, TRADINGD_STATE_DIR in dir, metrics on
// 127.0.0.1:0, the API on 127.0.0.1:0, and TRADINGD_TEST_NO_MARKET_DATA=1 (no venue connection; erase it
// to test the market data against the emulator). Nothing leaks in from the caller's environment.
std::map<std::string, std::string> daemon_env(const TempDir& dir);

class DaemonProcess {
 public:
  // Starts build/bin/tradingd with args; stdout and stderr go to files in dir.
  DaemonProcess(const TempDir& dir, std::vector<std::string> args, std::map<std::string, std::string> env);
  ~DaemonProcess();  // SIGKILLs a daemon still running
  DaemonProcess(const DaemonProcess&) = delete;
  DaemonProcess& operator=(const DaemonProcess&) = delete;

  pid_t pid() const { return pid_; }
  void signal(int signal_number) const;
  // The exit code once it exited within the timeout; nullopt if still running (or killed by a signal).
  std::optional<int> wait_exit(std::chrono::milliseconds timeout = 10s);
  bool running();

  std::string stderr_text() const;
  bool wait_for_log(const std::string& needle, std::chrono::milliseconds timeout = 10s) const;
  // The port from the "Metrics listening address=HOST:PORT" log line; 0 if it did not appear in time.
  int metrics_port(std::chrono::milliseconds timeout = 10s) const;
  // The port of the first "<key>host:port" the daemon logged (0 when none within the timeout).
  int logged_port(const std::string& key, std::chrono::milliseconds timeout = 10s) const;

 private:
  std::filesystem::path out_path_;
  std::filesystem::path err_path_;
  pid_t pid_ = -1;
  std::optional<int> status_;
};

// Stands in for systemd's $NOTIFY_SOCKET: a Unix datagram socket bound at path, collecting what arrives.
class NotifySocket {
 public:
  struct Message {
    std::chrono::steady_clock::time_point received;
    std::string text;  // "READY=1\nSTATUS=...", "WATCHDOG=1", ...
  };
  explicit NotifySocket(std::filesystem::path path);
  ~NotifySocket();
  NotifySocket(const NotifySocket&) = delete;
  NotifySocket& operator=(const NotifySocket&) = delete;

  const std::filesystem::path& path() const { return path_; }
  bool ok() const { return fd_ >= 0; }
  // Collects every datagram waiting now, without blocking.
  void drain();
  // Drains until a message starting with prefix arrives (or has arrived), or the timeout passes.
  bool wait_for(const std::string& prefix, std::chrono::milliseconds timeout = 10s);
  std::size_t count(const std::string& text) const;
  const std::vector<Message>& messages() const { return messages_; }

 private:
  std::filesystem::path path_;
  int fd_ = -1;
  std::vector<Message> messages_;
};

// The port from "Control API listening address=HOST:PORT"; 0 if it did not appear in time.
int control_api_port(const DaemonProcess& d);

// An injectable environment (config::EnvLookup) holding exactly these variables.
std::function<std::optional<std::string>(std::string_view)> env_lookup(std::map<std::string, std::string> vars);

struct HttpResponse {
  int status = 0;  // 0: no response
  std::string body;
};
// A blocking HTTP/1.0 GET to 127.0.0.1:port, with a timeout.
HttpResponse http_get(int port, const std::string& path, std::chrono::milliseconds timeout = 5s);

// The value of one sample of a Prometheus text exposition: name plus exact label text, e.g.
// sample_value(body, "tradingd_config_reloads_total{result=\"failure\"}"). nullopt if absent.
std::optional<double> sample_value(const std::string& exposition, const std::string& series);
// Every metric name that has a sample in the exposition (names as written: with _total, _bucket, ...).
std::vector<std::string> sample_names(const std::string& exposition);

}  // namespace tradingd::test
