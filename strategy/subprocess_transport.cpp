// SubprocessTransport: see subprocess_transport.h.
#include "strategy/subprocess_transport.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "strategy/protocol.h"

extern char** environ;

namespace tradingd {

void ignore_sigpipe_once() {
  struct sigaction current {};
  if (sigaction(SIGPIPE, nullptr, &current) == 0 && current.sa_handler == SIG_DFL) {
    struct sigaction ignore {};
    ignore.sa_handler = SIG_IGN;
    sigemptyset(&ignore.sa_mask);
    sigaction(SIGPIPE, &ignore, nullptr);
  }
}

namespace {

bool wait_exit(pid_t pid, int tries) {
  for (int i = 0; i < tries; ++i) {
    int status = 0;
    const pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == pid || (r < 0 && errno == ECHILD)) return true;
    usleep(10'000);
  }
  return false;
}

}  // namespace

Result<std::unique_ptr<SubprocessTransport>, std::string> SubprocessTransport::spawn(const std::vector<std::string>& argv,
                                                                                     std::int64_t read_timeout_ms) {
  if (argv.empty()) return Err{std::string("empty command")};
  ignore_sigpipe_once();
  int in_pipe[2];   // parent writes [1], child reads [0]
  int out_pipe[2];  // child writes [1], parent reads [0]
  if (pipe2(in_pipe, O_CLOEXEC) != 0) return Err{std::string("pipe: ") + std::strerror(errno)};
  if (pipe2(out_pipe, O_CLOEXEC) != 0) {
    const int e = errno;
    close(in_pipe[0]);
    close(in_pipe[1]);
    return Err{std::string("pipe: ") + std::strerror(e)};
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in_pipe[0], STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], STDOUT_FILENO);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  const int rc = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(in_pipe[0]);
  close(out_pipe[1]);
  if (rc != 0) {
    close(in_pipe[1]);
    close(out_pipe[0]);
    return Err{"spawn " + argv[0] + ": " + std::strerror(rc)};
  }
  return std::unique_ptr<SubprocessTransport>(new SubprocessTransport(pid, in_pipe[1], out_pipe[0], read_timeout_ms));
}

SubprocessTransport::~SubprocessTransport() {
  if (to_child_ >= 0) close(to_child_);  // EOF on stdin: a well-behaved program exits
  if (!wait_exit(pid_, 100)) {
    kill(pid_, SIGTERM);
    if (!wait_exit(pid_, 100)) {
      kill(pid_, SIGKILL);
      wait_exit(pid_, 1000);
    }
  }
  if (from_child_ >= 0) close(from_child_);
}

bool SubprocessTransport::write_line(std::string_view line) {
  std::string data(line);
  data += '\n';
  std::size_t off = 0;
  while (off < data.size()) {
    const ssize_t n = write(to_child_, data.data() + off, data.size() - off);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    off += static_cast<std::size_t>(n);
  }
  return true;
}

std::optional<std::string> SubprocessTransport::read_line() {
  for (;;) {
    if (const auto nl = buffer_.find('\n'); nl != std::string::npos) {
      std::string line = buffer_.substr(0, nl);
      buffer_.erase(0, nl + 1);
      return line;
    }
    if (buffer_.size() > protocol::kMaxLineBytes) return std::nullopt;  // a runaway line: treat as broken
    pollfd p{from_child_, POLLIN, 0};
    const int r = poll(&p, 1, static_cast<int>(timeout_ms_));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return std::nullopt;  // error or timeout
    char chunk[4096];
    const ssize_t n = read(from_child_, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return std::nullopt;  // EOF: the program exited
    buffer_.append(chunk, static_cast<std::size_t>(n));
  }
}

}  // namespace tradingd
