// Frame recording (see frame_recorder.h).
#include "exchange/net/frame_recorder.h"

#include <cerrno>
#include <cstring>
#include <ctime>
#include <system_error>

namespace tradingd::net {

FrameRecorder::FrameRecorder(std::filesystem::path path) : path_(std::move(path)) {
  std::error_code ec;
  if (path_.has_parent_path()) std::filesystem::create_directories(path_.parent_path(), ec);
  if (ec) {
    error_ = "cannot create " + path_.parent_path().string() + ": " + ec.message();
    return;
  }
  file_ = std::fopen(path_.c_str(), "ab");
  if (file_ == nullptr) error_ = "cannot open " + path_.string() + ": " + std::strerror(errno);
}

FrameRecorder::~FrameRecorder() {
  if (file_ != nullptr) std::fclose(file_);
}

void FrameRecorder::fail(const char* what) {
  error_ = std::string(what) + " " + path_.string() + ": " + std::strerror(errno);
  std::fclose(file_);
  file_ = nullptr;
}

bool FrameRecorder::write(std::string_view frame) {
  if (file_ == nullptr) return false;
  std::size_t start = 0;
  // Copy runs between CR/LF characters, writing a space for each of them.
  for (std::size_t i = 0; i <= frame.size(); ++i) {
    if (i == frame.size() || frame[i] == '\n' || frame[i] == '\r') {
      if (i > start && std::fwrite(frame.data() + start, 1, i - start, file_) != i - start) {
        fail("cannot write");
        return false;
      }
      if (i < frame.size() && std::fputc(' ', file_) == EOF) {
        fail("cannot write");
        return false;
      }
      start = i + 1;
    }
  }
  if (std::fputc('\n', file_) == EOF) {
    fail("cannot write");
    return false;
  }
  return true;
}

void FrameRecorder::flush() {
  if (file_ != nullptr && std::fflush(file_) != 0) fail("cannot flush");
}

std::filesystem::path recording_path(const std::filesystem::path& dir, std::string_view venue,
                                     std::string_view connection, std::int64_t unix_ns, std::string_view suffix) {
  const std::time_t secs = static_cast<std::time_t>(unix_ns / 1'000'000'000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &tm);
  std::string name(venue);
  name += '-';
  name += connection;
  name += '-';
  name += stamp;
  name += suffix;
  return dir / name;
}

}  // namespace tradingd::net
