// State directory lock: the lock file holds the owner's pid, for the error message of the second daemon.
#include "daemon/state_dir.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace tradingd::daemon {

Result<StateDirLock, std::string> StateDirLock::acquire(const std::filesystem::path& state_dir) {
  std::error_code ec;
  std::filesystem::create_directories(state_dir, ec);
  if (ec) {
    return Err("cannot create state_dir=" + state_dir.string() + " (" + ec.message() +
               "); create it writable by this user or set TRADINGD_STATE_DIR");
  }
  auto path = state_dir / "tradingd.lock";
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    return Err("cannot write in state_dir=" + state_dir.string() + " (" + std::strerror(errno) +
               "); make it writable by this user or set TRADINGD_STATE_DIR");
  }
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int err = errno;
    char buf[32] = {};
    const auto n = ::pread(fd, buf, sizeof buf - 1, 0);
    std::string owner = n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : "unknown";
    while (!owner.empty() && (owner.back() == '\n' || owner.back() == ' ')) owner.pop_back();
    ::close(fd);
    if (err == EWOULDBLOCK) {
      return Err("state_dir=" + state_dir.string() + " is in use by another tradingd (pid " + owner +
                 "); stop it first, or give this instance its own TRADINGD_STATE_DIR");
    }
    return Err("cannot lock " + path.string() + " (" + std::strerror(err) + ")");
  }
  const std::string pid = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, pid.data(), pid.size(), 0) < 0) {
    // The lock holds regardless; the pid is only for the other daemon's error message.
  }
  return StateDirLock(fd, std::move(path));
}

StateDirLock::~StateDirLock() {
  if (fd_ >= 0) ::close(fd_);
}

}  // namespace tradingd::daemon
