// ProcessSupervisor: see process_supervisor.h.
#include "strategy/process_supervisor.h"

#include "strategy/subprocess_transport.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cstring>

#include "strategy/protocol.h"

extern char** environ;

namespace tradingd {

std::shared_ptr<ProcessSupervisor> ProcessSupervisor::create(boost::asio::io_context& io, SupervisorConfig config,
                                                             SupervisorCallbacks callbacks) {
  return std::make_shared<ProcessSupervisor>(Private{}, io, std::move(config), std::move(callbacks));
}

ProcessSupervisor::ProcessSupervisor(Private, boost::asio::io_context& io, SupervisorConfig config,
                                     SupervisorCallbacks callbacks)
    : io_(io), config_(std::move(config)), callbacks_(std::move(callbacks)), in_(io), out_(io), err_(io), timer_(io), kill_timer_(io) {
  backoff_ms_ = config_.restart_initial_ms;
}

ProcessSupervisor::~ProcessSupervisor() {
  close_pipes();
  if (pid_ > 0 && !exited_) {  // last resort: the io_context is gone or stop() was never called
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
}

void ProcessSupervisor::start() {
  stopping_ = false;
  spawn();
}

void ProcessSupervisor::close_pipes() {
  boost::system::error_code ignored;
  in_.close(ignored);
  out_.close(ignored);
  err_.close(ignored);
}

void ProcessSupervisor::spawn() {
  ignore_sigpipe_once();  // a dying program must not take the daemon with it
  ++generation_;
  int pipes[3][2];  // stdin, stdout, stderr
  int made = 0;
  for (; made < 3; ++made)
    if (pipe2(pipes[made], O_CLOEXEC) != 0) break;
  int rc = made == 3 ? 0 : errno;
  pid_t pid = -1;
  if (rc == 0 && !config_.command.empty()) {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, pipes[0][0], STDIN_FILENO);
    posix_spawn_file_actions_adddup2(&actions, pipes[1][1], STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&actions, pipes[2][1], STDERR_FILENO);
    std::vector<char*> argv;
    for (const auto& a : config_.command) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    rc = posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
  } else if (rc == 0) {
    rc = ENOENT;
  }
  for (int i = 0; i < made; ++i) {  // the child's ends (and everything on failure)
    close(i == 0 ? pipes[i][0] : pipes[i][1]);
    if (rc != 0) close(i == 0 ? pipes[i][1] : pipes[i][0]);
  }
  if (rc != 0) {
    pid_ = -1;
    exited_ = true;
    schedule_restart(-1);
    return;
  }
  pid_ = pid;
  exited_ = false;
  started_at_ = std::chrono::steady_clock::now();
  in_.assign(pipes[0][1]);
  out_.assign(pipes[1][0]);
  err_.assign(pipes[2][0]);
  queue_.clear();
  queued_bytes_ = 0;
  writing_ = false;
  out_buffer_.clear();
  err_buffer_.clear();
  open_outputs_ = 2;
  read_stream(out_, out_buffer_, true);
  read_stream(err_, err_buffer_, false);
  if (callbacks_.on_started) callbacks_.on_started();
}

void ProcessSupervisor::read_stream(boost::asio::posix::stream_descriptor& pipe, std::string& buffer, bool is_stdout) {
  auto chunk = std::make_shared<std::array<char, 4096>>();
  pipe.async_read_some(boost::asio::buffer(*chunk), [self = shared_from_this(), &pipe, &buffer, is_stdout, chunk,
                                                     gen = generation_](const boost::system::error_code& ec, std::size_t n) {
    if (gen != self->generation_) return;
    if (ec) {
      self->on_output_closed();
      return;
    }
    buffer.append(chunk->data(), n);
    for (std::size_t nl; (nl = buffer.find('\n')) != std::string::npos;) {
      const std::string line = buffer.substr(0, nl);
      buffer.erase(0, nl + 1);
      const auto& cb = is_stdout ? self->callbacks_.on_line : self->callbacks_.on_stderr;
      if (cb) cb(line);
      if (gen != self->generation_) return;  // the callback stopped or restarted us
    }
    if (buffer.size() > protocol::kMaxLineBytes) {  // a runaway line: pass it on truncated rather than grow
      const auto& cb = is_stdout ? self->callbacks_.on_line : self->callbacks_.on_stderr;
      if (cb) cb(std::string_view(buffer).substr(0, protocol::kMaxLineBytes));
      buffer.clear();
    }
    self->read_stream(pipe, buffer, is_stdout);
  });
}

bool ProcessSupervisor::write_line(std::string_view line) {
  if (stopping_) return false;
  if (!running()) return true;  // a restart is pending: on_started resends the state
  if (queued_bytes_ + line.size() + 1 > config_.max_queued_bytes) return false;
  std::string data(line);
  data += '\n';
  queued_bytes_ += data.size();
  queue_.push_back(std::move(data));
  if (!writing_) do_write();
  return true;
}

void ProcessSupervisor::do_write() {
  if (queue_.empty()) {
    writing_ = false;
    return;
  }
  writing_ = true;
  boost::asio::async_write(in_, boost::asio::buffer(queue_.front()),
                           [self = shared_from_this(), gen = generation_](const boost::system::error_code& ec, std::size_t) {
                             if (gen != self->generation_) return;
                             if (ec) {  // EPIPE: the child is dying; its stdout EOF drives the rest
                               self->writing_ = false;
                               return;
                             }
                             self->queued_bytes_ -= self->queue_.front().size();
                             self->queue_.pop_front();
                             self->do_write();
                           });
}

void ProcessSupervisor::on_output_closed() {
  if (--open_outputs_ > 0) return;
  close_pipes();
  reap(0);
}

void ProcessSupervisor::reap(int attempts) {
  int status = 0;
  const pid_t r = waitpid(pid_, &status, WNOHANG);
  if (r == pid_ || (r < 0 && errno == ECHILD)) {
    exited_ = true;
    ++generation_;  // nothing of this child may act any more
    schedule_restart(r == pid_ ? status : -1);
    return;
  }
  // Outputs closed but still alive (it closed them itself, or it is exiting): wait, then insist.
  if (attempts == 100) kill(pid_, SIGKILL);
  timer_.expires_after(std::chrono::milliseconds(20));
  timer_.async_wait([self = shared_from_this(), attempts, gen = generation_](const boost::system::error_code& ec) {
    if (!ec && gen == self->generation_) self->reap(attempts + 1);
  });
}

void ProcessSupervisor::schedule_restart(int wait_status) {
  if (stopping_) {
    if (callbacks_.on_exit) callbacks_.on_exit(wait_status, -1);
    return;
  }
  const auto ran_ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started_at_).count();
  if (pid_ > 0 && ran_ms >= config_.stable_after_ms) backoff_ms_ = config_.restart_initial_ms;
  const std::int64_t delay_ms = backoff_ms_;
  backoff_ms_ = std::min(backoff_ms_ * 2, config_.restart_max_ms);
  if (callbacks_.on_exit) callbacks_.on_exit(wait_status, delay_ms);
  if (stopping_) return;  // on_exit may have stopped us
  timer_.expires_after(std::chrono::milliseconds(delay_ms));
  timer_.async_wait([self = shared_from_this(), gen = generation_](const boost::system::error_code& ec) {
    if (ec || gen != self->generation_ || self->stopping_) return;
    ++self->restarts_;
    self->spawn();
  });
}

void ProcessSupervisor::stop() {
  if (stopping_) return;
  stopping_ = true;
  if (!running()) {
    ++generation_;  // cancels a pending restart
    timer_.cancel();
    return;
  }
  boost::system::error_code ignored;
  in_.close(ignored);  // EOF: a well-behaved program exits on its own
  escalate(pid_, SIGTERM);
}

void ProcessSupervisor::escalate(pid_t pid, int signal) {
  kill_timer_.expires_after(std::chrono::milliseconds(config_.stop_grace_ms));
  kill_timer_.async_wait([self = shared_from_this(), pid, signal](const boost::system::error_code& ec) {
    if (ec || self->pid_ != pid || self->exited_) return;
    kill(pid, signal);
    if (signal == SIGTERM) self->escalate(pid, SIGKILL);
  });
}

Result<SupervisedExternal, std::string> make_supervised_external(
    boost::asio::io_context& io, const config::StrategyConfig& cfg, std::function<void(std::string_view)> log_stderr,
    std::function<void(int wait_status, std::int64_t restart_in_ms)> on_death, SupervisorConfig base) {
  if (cfg.command.empty()) return Err{"strategies[" + cfg.name + "].command: required for an external strategy"};
  if (cfg.instruments.empty()) return Err{"strategies[" + cfg.name + "].instruments: at least one instrument is required"};
  base.command = cfg.command;
  // The strategy does not exist yet when the callbacks are made: they reach it through a shared slot.
  auto slot = std::make_shared<ExternalStrategy*>(nullptr);
  SupervisorCallbacks callbacks{
      [slot](std::string_view line) { if (*slot != nullptr) (*slot)->handle_line(line); },
      std::move(log_stderr),
      [slot] { if (*slot != nullptr) (*slot)->resync(); },
      std::move(on_death)};
  SupervisedExternal out;
  out.supervisor = ProcessSupervisor::create(io, std::move(base), std::move(callbacks));
  out.strategy = std::make_unique<ExternalStrategy>(std::make_unique<SupervisedTransport>(out.supervisor),
                                                    ExternalMode::Asynchronous, cfg.params);
  *slot = out.strategy.get();
  return out;
}

}  // namespace tradingd
