// ProcessSupervisor: runs an external strategy program as a child process on the daemon's io_context
// (paper/live): stdin/stdout pipes carry the JSON-lines protocol, each stderr line goes to on_stderr (the
// log), and a death is reported (on_exit: the node makes it a risk event) and followed by a restart after
// an exponential backoff. Invariants: all callbacks run on the io_context thread; handlers of an earlier
// child never act on a later one (a generation number guards them); the write queue is bounded (a program
// that stops reading gets its lines refused, not the daemon's memory); only the child's own pid is
// signalled, and every child is reaped.
#pragma once

#include <sys/types.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "core/result.h"
#include "strategy/external_strategy.h"

namespace tradingd {

struct SupervisorConfig {
  std::vector<std::string> command;      // argv; argv[0] looked up in PATH
  std::int64_t restart_initial_ms = 1'000;
  std::int64_t restart_max_ms = 60'000;  // the backoff doubles up to this
  std::int64_t stable_after_ms = 60'000; // a run at least this long resets the backoff
  std::int64_t stop_grace_ms = 2'000;    // stop(): EOF on stdin, then SIGTERM, then SIGKILL after as long again
  std::size_t max_queued_bytes = 4 * 1024 * 1024;
};

struct SupervisorCallbacks {
  std::function<void(std::string_view line)> on_line;    // one stdout line (the protocol)
  std::function<void(std::string_view line)> on_stderr;  // one stderr line (for the log)
  std::function<void()> on_started;                      // after every (re)start: resend start and positions
  // The child died (wait status as from waitpid; -1 when the spawn failed). restart_in_ms < 0: no restart.
  std::function<void(int wait_status, std::int64_t restart_in_ms)> on_exit;
};

class ProcessSupervisor : public std::enable_shared_from_this<ProcessSupervisor> {
 public:
  static std::shared_ptr<ProcessSupervisor> create(boost::asio::io_context& io, SupervisorConfig config,
                                                   SupervisorCallbacks callbacks);
  ~ProcessSupervisor();

  void start();
  // No more restarts; the child gets EOF on stdin, then SIGTERM, then SIGKILL.
  void stop();
  // Queues one line (a '\n' is added). While a restart is pending the line is dropped (on_started
  // resends the state) and true returned; false: stopped, or the queue is full (the program stopped reading).
  bool write_line(std::string_view line);

  bool running() const { return pid_ > 0 && !exited_; }
  std::uint64_t restarts() const { return restarts_; }
  pid_t pid() const { return pid_; }

 private:
  struct Private {};

 public:
  ProcessSupervisor(Private, boost::asio::io_context& io, SupervisorConfig config, SupervisorCallbacks callbacks);

 private:
  void spawn();
  void read_stream(boost::asio::posix::stream_descriptor& pipe, std::string& buffer, bool is_stdout);
  void do_write();
  void on_output_closed();
  void reap(int attempts);
  void schedule_restart(int wait_status);
  void close_pipes();
  void escalate(pid_t pid, int signal);

  boost::asio::io_context& io_;
  SupervisorConfig config_;
  SupervisorCallbacks callbacks_;
  boost::asio::posix::stream_descriptor in_;   // child's stdin
  boost::asio::posix::stream_descriptor out_;  // child's stdout
  boost::asio::posix::stream_descriptor err_;  // child's stderr
  boost::asio::steady_timer timer_;       // reaping and restarts
  boost::asio::steady_timer kill_timer_;  // stop(): SIGTERM, then SIGKILL
  std::string out_buffer_;
  std::string err_buffer_;
  std::deque<std::string> queue_;
  std::size_t queued_bytes_ = 0;
  bool writing_ = false;
  int open_outputs_ = 0;
  pid_t pid_ = -1;
  bool exited_ = true;
  bool stopping_ = false;
  std::uint64_t generation_ = 0;
  std::uint64_t restarts_ = 0;
  std::int64_t backoff_ms_ = 0;
  std::chrono::steady_clock::time_point started_at_;
};

// The LineTransport an asynchronous ExternalStrategy writes through; lines in arrive via on_line.
class SupervisedTransport final : public LineTransport {
 public:
  explicit SupervisedTransport(std::shared_ptr<ProcessSupervisor> supervisor) : supervisor_(std::move(supervisor)) {}
  bool write_line(std::string_view line) override { return supervisor_->write_line(line); }
  std::optional<std::string> read_line() override { return std::nullopt; }  // asynchronous only

 private:
  std::shared_ptr<ProcessSupervisor> supervisor_;
};

// Paper/live: an external strategies[] entry as a supervised child feeding an asynchronous ExternalStrategy.
// Lines the child writes go to the strategy's handle_line, a restart resyncs it, stderr lines go to
// log_stderr, and each death to on_death (the node raises the risk event). The caller owns both parts,
// calls supervisor->start() before strategy->on_start(), and supervisor->stop() before destroying the
// strategy (the supervisor's callbacks point at it).
struct SupervisedExternal {
  std::shared_ptr<ProcessSupervisor> supervisor;
  std::unique_ptr<ExternalStrategy> strategy;
};
Result<SupervisedExternal, std::string> make_supervised_external(
    boost::asio::io_context& io, const config::StrategyConfig& cfg, std::function<void(std::string_view)> log_stderr,
    std::function<void(int wait_status, std::int64_t restart_in_ms)> on_death, SupervisorConfig base = {});

}  // namespace tradingd
