// Raw-frame recording in the replay format: one frame per line, as received (`tradingd replay --input`).
// A frame containing CR/LF (only pretty-printed JSON can: the venues send single-line frames) has them
// written as spaces, which JSON treats the same, so every line stays one parseable frame. Writes are
// buffered; a write error disables the recorder (logged once, counted) rather than stalling the feed.
#pragma once

#include <cstdio>
#include <filesystem>
#include <string>
#include <string_view>

namespace tradingd::net {

class FrameRecorder {
 public:
  // Opens (appending) path, creating its directory; check ok().
  explicit FrameRecorder(std::filesystem::path path);
  ~FrameRecorder();
  FrameRecorder(const FrameRecorder&) = delete;
  FrameRecorder& operator=(const FrameRecorder&) = delete;

  bool ok() const { return file_ != nullptr; }
  const std::filesystem::path& path() const { return path_; }
  const std::string& error() const { return error_; }
  bool write(std::string_view frame);
  void flush();

 private:
  void fail(const char* what);

  std::filesystem::path path_;
  std::FILE* file_ = nullptr;
  std::string error_;
};

// "<dir>/<venue>-<connection>-<YYYYMMDDTHHMMSSZ>.jsonl" (and ".snapshots.jsonl" for REST snapshots).
std::filesystem::path recording_path(const std::filesystem::path& dir, std::string_view venue,
                                     std::string_view connection, std::int64_t unix_ns, std::string_view suffix);

}  // namespace tradingd::net
