// SubprocessTransport: a blocking LineTransport to a child process (stdin/stdout pipes), for backtests and
// tests, where the external strategy runs synchronously. The child's stderr is inherited (it reaches the
// daemon's stderr, i.e. the journal under systemd). Paper/live use ProcessSupervisor (process_supervisor.h)
// instead: asynchronous, restarted with backoff, stderr lines handed to the log.
// Invariants: read_line never blocks longer than the timeout; the destructor closes the child's stdin,
// waits a grace period, then sends SIGTERM and finally SIGKILL to that one pid, and reaps it.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "strategy/external_strategy.h"

namespace tradingd {

// A write to a pipe whose reader died raises SIGPIPE, whose default action kills the daemon. Both ways of
// running a program (this transport and ProcessSupervisor) call this before spawning: SIGPIPE is ignored
// process-wide unless someone installed a handler, so write() fails with EPIPE, which is reported.
void ignore_sigpipe_once();

class SubprocessTransport final : public LineTransport {
 public:
  // argv[0] is looked up in PATH. Error: the pipes or the spawn failed (errno text).
  static Result<std::unique_ptr<SubprocessTransport>, std::string> spawn(const std::vector<std::string>& argv,
                                                                          std::int64_t read_timeout_ms = 10'000);
  ~SubprocessTransport() override;
  SubprocessTransport(const SubprocessTransport&) = delete;
  SubprocessTransport& operator=(const SubprocessTransport&) = delete;

  bool write_line(std::string_view line) override;
  std::optional<std::string> read_line() override;
  pid_t pid() const { return pid_; }

 private:
  SubprocessTransport(pid_t pid, int to_child, int from_child, std::int64_t timeout_ms)
      : pid_(pid), to_child_(to_child), from_child_(from_child), timeout_ms_(timeout_ms) {}

  pid_t pid_;
  int to_child_;
  int from_child_;
  std::int64_t timeout_ms_;
  std::string buffer_;
};

}  // namespace tradingd
