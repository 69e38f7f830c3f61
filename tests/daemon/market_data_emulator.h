// Test support for the market-data process tests: the real build/bin/venue-emulator on ephemeral loopback
// ports with its own CA in a temporary directory, the environment that wires `tradingd run` to it
// (TRADINGD_*_URL, TRADINGD_CA_FILE), and fault injection through its POST /_emulator/fault endpoint
// (curl, trusting the emulator's CA). Waits poll against deadlines; nothing sleeps blindly.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "tests/daemon/daemon_process.h"

namespace tradingd::test {

class EmulatorProcess {
 public:
  // Starts the emulator with its certificates and URL file under dir; extra_args are appended.
  EmulatorProcess(const TempDir& dir, std::vector<std::string> extra_args = {});
  ~EmulatorProcess();  // SIGTERM, then SIGKILL if it does not exit
  EmulatorProcess(const EmulatorProcess&) = delete;
  EmulatorProcess& operator=(const EmulatorProcess&) = delete;

  // The URL line was written within the timeout (the servers listen).
  bool wait_ready(std::chrono::milliseconds timeout = 20s);
  void stop();
  std::string url(const std::string& venue, const std::string& key) const;  // key: rest, ws, ws_private, admin
  const std::filesystem::path& ca_file() const { return ca_file_; }
  // Adds TRADINGD_{VENUE}_{REST,WS,WS_PRIVATE}_URL for the three venues and, if with_ca, TRADINGD_CA_FILE;
  // removes the test hook that keeps the daemon off the network.
  void wire(std::map<std::string, std::string>& env, bool with_ca = true) const;
  // POSTs {"fault":...} JSON to the venue's fault endpoint; returns curl's exit code plus the body.
  ProcessResult fault(const std::string& venue, const std::string& json_body) const;
  std::string stderr_text() const;

 private:
  std::filesystem::path dir_;
  std::filesystem::path ca_file_;
  pid_t pid_ = -1;
  std::map<std::string, std::map<std::string, std::string>> urls_;
};

}  // namespace tradingd::test
