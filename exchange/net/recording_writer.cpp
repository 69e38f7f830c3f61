// RecordingWriter (see recording_writer.h). The writer thread keeps one file open (the last path it
// wrote), flushes after every batch so a crash loses at most the batches not yet handed over, and never
// touches the loop's state: batches carry their path.
#include "exchange/net/recording_writer.h"

#include <algorithm>
#include <chrono>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>

namespace tradingd::net {
namespace {

constexpr std::int64_t kNanosPerDay = 86'400'000'000'000;

std::int64_t day_of(std::int64_t unix_ns) { return unix_ns >= 0 ? unix_ns / kNanosPerDay : 0; }

}  // namespace

std::string utc_day(std::int64_t unix_ns) {
  const std::time_t secs = static_cast<std::time_t>(day_of(unix_ns) * 86'400);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char text[16];
  std::strftime(text, sizeof text, "%Y%m%d", &tm);
  return text;
}

RecordingWriter::RecordingWriter(RecordingOptions options) : options_(std::move(options)), thread_([this] { run(); }) {}

RecordingWriter::~RecordingWriter() {
  flush();
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

std::size_t RecordingWriter::open_stream(std::string prefix, std::string suffix) {
  Stream s;
  s.prefix = std::move(prefix);
  s.suffix = std::move(suffix);
  streams_.push_back(std::move(s));
  return streams_.size() - 1;
}

std::filesystem::path RecordingWriter::path_for(const Stream& s, std::int64_t day) const {
  return options_.dir / (s.prefix + "-" + utc_day(day * kNanosPerDay) + s.suffix);
}

std::filesystem::path RecordingWriter::path_of(std::size_t stream, std::int64_t unix_ns) const {
  return path_for(streams_.at(stream), day_of(unix_ns));
}

bool RecordingWriter::write(std::size_t stream, std::string_view frame, std::int64_t unix_ns) {
  if (stream >= streams_.size() || failed()) {
    frames_dropped_.fetch_add(1, std::memory_order_relaxed);
    return false;
  }
  Stream& s = streams_[stream];
  const std::int64_t day = day_of(unix_ns);
  if (day != s.day) {
    // A new UTC day (or the first frame): what is buffered belongs to the old file.
    hand_over(s);
    s.day = day;
    std::error_code ec;
    const auto existing = std::filesystem::file_size(path_for(s, day), ec);  // appending after a restart
    s.day_bytes = ec ? 0 : existing;
    s.full_logged = false;
  }
  if (s.day_bytes + frame.size() + 1 > options_.max_bytes_per_file) {
    frames_dropped_.fetch_add(1, std::memory_order_relaxed);
    return false;
  }
  const std::size_t start = s.buffer.size();
  s.buffer.append(frame);
  s.buffer.push_back('\n');
  // A frame with CR/LF (only pretty-printed JSON has them) stays one line: JSON treats spaces the same.
  for (std::size_t i = start; i + 1 < s.buffer.size(); ++i)
    if (s.buffer[i] == '\n' || s.buffer[i] == '\r') s.buffer[i] = ' ';
  s.day_bytes += frame.size() + 1;
  ++s.buffer_frames;
  if (s.buffer.size() >= options_.batch_bytes) hand_over(s);
  return true;
}

void RecordingWriter::flush() {
  for (auto& s : streams_) hand_over(s);
}

void RecordingWriter::hand_over(Stream& s) {
  if (s.buffer.empty()) return;
  Batch b;
  b.path = path_for(s, s.day);
  b.frames = s.buffer_frames;
  b.data.swap(s.buffer);
  s.buffer.reserve(std::min<std::size_t>(options_.batch_bytes, b.data.capacity()));
  s.buffer_frames = 0;
  bool queued = false;
  {
    std::lock_guard lock(mutex_);
    if (pending_bytes_ + b.data.size() <= options_.max_pending_bytes) {
      pending_bytes_ += b.data.size();
      queue_.push_back(std::move(b));
      queued = true;
    }
  }
  if (queued) {
    cv_.notify_one();
  } else {
    // The disk is not keeping up: drop rather than grow without bound.
    frames_dropped_.fetch_add(b.frames, std::memory_order_relaxed);
  }
}

bool RecordingWriter::drain(std::int64_t timeout_ms) {
  flush();
  std::unique_lock lock(mutex_);
  return idle_cv_.wait_for(lock, std::chrono::milliseconds(timeout_ms),
                           [this] { return (queue_.empty() && !busy_) || failed(); });
}

std::string RecordingWriter::error() const {
  std::lock_guard lock(mutex_);
  return error_;
}

void RecordingWriter::run() {
  std::FILE* file = nullptr;
  std::filesystem::path open_path;
  for (;;) {
    Batch b;
    {
      std::unique_lock lock(mutex_);
      cv_.wait(lock, [this] { return stop_ || !queue_.empty(); });
      if (queue_.empty()) break;  // stopping, everything written
      b = std::move(queue_.front());
      queue_.pop_front();
      pending_bytes_ -= b.data.size();
      busy_ = true;
    }
    std::string error;
    if (!failed()) {
      if (file == nullptr || b.path != open_path) {
        if (file != nullptr) std::fclose(file);
        std::error_code ec;
        std::filesystem::create_directories(b.path.parent_path(), ec);
        file = std::fopen(b.path.c_str(), "ab");
        open_path = b.path;
        if (file == nullptr) error = "cannot open " + b.path.string() + ": " + std::strerror(errno);
      }
      if (file != nullptr && (std::fwrite(b.data.data(), 1, b.data.size(), file) != b.data.size() || std::fflush(file) != 0))
        error = "cannot write " + b.path.string() + ": " + std::strerror(errno);
    }
    std::lock_guard lock(mutex_);
    if (!error.empty()) {
      error_ = error;
      failed_.store(true, std::memory_order_relaxed);
    }
    if (failed()) {
      frames_dropped_.fetch_add(b.frames, std::memory_order_relaxed);
    } else {
      frames_written_.fetch_add(b.frames, std::memory_order_relaxed);
    }
    busy_ = false;
    idle_cv_.notify_all();
  }
  if (file != nullptr) std::fclose(file);
  std::lock_guard lock(mutex_);
  idle_cv_.notify_all();
}

}  // namespace tradingd::net
