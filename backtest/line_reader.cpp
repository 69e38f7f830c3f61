// LineReader over POSIX read(): the buffer holds at least one whole line; it is compacted when a line
// straddles its end and doubled (up to kMaxLineBytes) when one line does not fit.
#include "backtest/line_reader.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace tradingd::backtest {

Result<LineReader, LoadError> LineReader::open(const std::filesystem::path& path, std::size_t buffer_bytes) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Err{LoadError{path.string(), 0, std::string("cannot open: ") + std::strerror(errno)}};
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    ::close(fd);
    return Err{LoadError{path.string(), 0, "is a directory, not a data file"}};
  }
  return LineReader(fd, path.string(), buffer_bytes < 4096 ? 4096 : buffer_bytes);
}

LineReader::LineReader(int fd, std::string path, std::size_t buffer_bytes)
    : fd_(fd), path_(std::move(path)), buf_(buffer_bytes) {}

LineReader::LineReader(LineReader&& o) noexcept
    : fd_(std::exchange(o.fd_, -1)),
      path_(std::move(o.path_)),
      buf_(std::move(o.buf_)),
      begin_(o.begin_),
      end_(o.end_),
      eof_(o.eof_),
      failed_(o.failed_),
      line_no_(o.line_no_),
      error_(std::move(o.error_)) {}

LineReader& LineReader::operator=(LineReader&& o) noexcept {
  if (this != &o) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(o.fd_, -1);
    path_ = std::move(o.path_);
    buf_ = std::move(o.buf_);
    begin_ = o.begin_;
    end_ = o.end_;
    eof_ = o.eof_;
    failed_ = o.failed_;
    line_no_ = o.line_no_;
    error_ = std::move(o.error_);
  }
  return *this;
}

LineReader::~LineReader() {
  if (fd_ >= 0) ::close(fd_);
}

bool LineReader::fill() {
  if (eof_ || failed_) return false;
  if (begin_ > 0) {  // keep the partial line, drop what was consumed
    std::memmove(buf_.data(), buf_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  if (end_ == buf_.size()) {
    if (buf_.size() >= kMaxLineBytes) {
      failed_ = true;
      error_ = LoadError{path_, line_no_ + 1, "line longer than " + std::to_string(kMaxLineBytes) + " bytes"};
      return false;
    }
    buf_.resize(buf_.size() * 2);
  }
  for (;;) {
    const ssize_t n = ::read(fd_, buf_.data() + end_, buf_.size() - end_);
    if (n > 0) {
      end_ += static_cast<std::size_t>(n);
      return true;
    }
    if (n == 0) {
      eof_ = true;
      return false;
    }
    if (errno == EINTR) continue;
    failed_ = true;
    error_ = LoadError{path_, line_no_ + 1, std::string("read failed: ") + std::strerror(errno)};
    return false;
  }
}

ReadStatus LineReader::next(std::string_view& line) {
  if (failed_) return ReadStatus::Error;
  std::size_t scanned = begin_;  // bytes before this offset hold no newline
  for (;;) {
    const void* nl = std::memchr(buf_.data() + scanned, '\n', end_ - scanned);
    if (nl != nullptr) {
      const std::size_t pos = static_cast<std::size_t>(static_cast<const char*>(nl) - buf_.data());
      std::size_t len = pos - begin_;
      if (len > 0 && buf_[begin_ + len - 1] == '\r') --len;
      line = std::string_view(buf_.data() + begin_, len);
      begin_ = pos + 1;
      ++line_no_;
      return ReadStatus::Item;
    }
    const std::size_t consumed = begin_;
    scanned = end_;
    if (!fill()) {
      if (failed_) return ReadStatus::Error;
      if (begin_ == end_) return ReadStatus::End;
      std::size_t len = end_ - begin_;  // the last line has no newline
      if (buf_[begin_ + len - 1] == '\r') --len;
      line = std::string_view(buf_.data() + begin_, len);
      begin_ = end_;
      ++line_no_;
      return ReadStatus::Item;
    }
    scanned -= consumed;  // fill() moved the unread bytes to the front
  }
}

ReadStatus DataLines::next(std::string_view& line) {
  if (failed_) return ReadStatus::Error;
  for (;;) {
    const ReadStatus s = lines_.next(line);
    if (s == ReadStatus::Error) {
      failed_ = true;
      error_ = lines_.error();
    }
    if (s != ReadStatus::Item) return s;
    if (line.find_first_not_of(" \t") != std::string_view::npos) return s;
  }
}

ReadStatus DataLines::fail_at(std::uint64_t line, std::string message) {
  failed_ = true;
  error_ = LoadError{lines_.path(), line, std::move(message)};
  return ReadStatus::Error;
}

}  // namespace tradingd::backtest
