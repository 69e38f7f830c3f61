// The state directory (journal, instrument cache, ...): created if missing and locked for the whole run with
// flock(2) on STATE_DIR/tradingd.lock, so two daemons can never trade from one journal. The kernel drops
// the lock when the process dies, so a crash never leaves a stale lock behind.
#pragma once

#include <filesystem>
#include <string>

#include "core/result.h"

namespace tradingd::daemon {

class StateDirLock {
 public:
  // Creates the directory if needed and takes the lock. The error says what to do.
  static Result<StateDirLock, std::string> acquire(const std::filesystem::path& state_dir);
  StateDirLock(StateDirLock&& other) noexcept : fd_(other.fd_), path_(std::move(other.path_)) { other.fd_ = -1; }
  StateDirLock& operator=(StateDirLock&&) = delete;
  StateDirLock(const StateDirLock&) = delete;
  ~StateDirLock();

  const std::filesystem::path& lock_file() const { return path_; }

 private:
  StateDirLock(int fd, std::filesystem::path path) : fd_(fd), path_(std::move(path)) {}
  int fd_ = -1;
  std::filesystem::path path_;
};

}  // namespace tradingd::daemon
