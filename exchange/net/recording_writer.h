// Raw-frame recording that never blocks the event loop: the loop appends each frame (one line, the
// `tradingd replay` format; CR/LF inside a frame become spaces) to an in-memory batch, and hands full
// batches (or, once a second, whatever it has) to a writer thread that owns the files. One file per
// stream (venue connection, or its REST snapshots) per UTC day: "<dir>/<prefix>-<YYYYMMDD><suffix>",
// appended to across restarts. Bounded twice: a file takes at most max_bytes_per_file a day, and at most
// max_pending_bytes wait for the disk; beyond either, frames are dropped and counted, never queued
// without limit. A write error stops the recording (counted, the error kept) rather than stall the feed.
// Threading: write(), flush(), open_stream() from the loop thread only; the counters from any thread.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace tradingd::net {

struct RecordingOptions {
  std::filesystem::path dir;
  std::uint64_t max_bytes_per_file = 2ull << 30;  // per stream per UTC day
  std::size_t batch_bytes = 256 * 1024;          // a batch this full goes to the writer at once
  std::uint64_t max_pending_bytes = 64ull << 20;  // waiting for the disk
};

// "20261123" for the UTC day of unix_ns.
std::string utc_day(std::int64_t unix_ns);

class RecordingWriter {
 public:
  explicit RecordingWriter(RecordingOptions options);
  ~RecordingWriter();  // hands over what is buffered, lets the writer finish, joins it
  RecordingWriter(const RecordingWriter&) = delete;
  RecordingWriter& operator=(const RecordingWriter&) = delete;

  // A stream's files are "<dir>/<prefix>-<YYYYMMDD><suffix>". Returns its handle.
  std::size_t open_stream(std::string prefix, std::string suffix);
  // False when the frame was dropped (the day's file is full, the queue is full, or the writer failed).
  bool write(std::size_t stream, std::string_view frame, std::int64_t unix_ns);
  // Hands every buffered frame to the writer thread (call periodically, e.g. every second).
  void flush();
  // Hands everything over and waits up to timeout_ms for it to be on disk (stop, tests). False on timeout.
  bool drain(std::int64_t timeout_ms);

  std::uint64_t frames_written() const { return frames_written_.load(std::memory_order_relaxed); }
  std::uint64_t frames_dropped() const { return frames_dropped_.load(std::memory_order_relaxed); }
  bool failed() const { return failed_.load(std::memory_order_relaxed); }
  std::string error() const;
  std::filesystem::path path_of(std::size_t stream, std::int64_t unix_ns) const;

 private:
  struct Stream {
    std::string prefix;
    std::string suffix;
    std::int64_t day = -1;          // days since the epoch of the buffered frames
    std::uint64_t day_bytes = 0;    // accepted for that day (the file's size when we opened it included)
    std::string buffer;
    std::uint64_t buffer_frames = 0;
    bool full_logged = false;
  };
  struct Batch {
    std::filesystem::path path;  // computed on the loop: the writer never reads streams_
    std::string data;
    std::uint64_t frames = 0;
  };
  void hand_over(Stream& s);
  void run();
  std::filesystem::path path_for(const Stream& s, std::int64_t day) const;

  const RecordingOptions options_;
  std::vector<Stream> streams_;  // loop thread only

  mutable std::mutex mutex_;     // guards the queue, pending_bytes_, error_, busy_, stop_
  std::condition_variable cv_;
  std::condition_variable idle_cv_;
  std::deque<Batch> queue_;
  std::uint64_t pending_bytes_ = 0;
  bool busy_ = false;
  bool stop_ = false;
  std::string error_;

  std::atomic<std::uint64_t> frames_written_{0};
  std::atomic<std::uint64_t> frames_dropped_{0};
  std::atomic<bool> failed_{false};
  std::thread thread_;  // last: started once everything above exists
};

}  // namespace tradingd::net
