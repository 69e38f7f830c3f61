// LineReader: streams a text file line by line through one reusable buffer (no allocation per line, no
// iostreams), for the CSV and JSONL loaders. Lines come without their "\n" / "\r\n"; a last line without a
// newline is still a line; numbering is 1-based. The view returned stays valid until the next call.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string_view>
#include <vector>

#include "backtest/load_error.h"
#include "core/result.h"

namespace tradingd::backtest {

class LineReader {
 public:
  // A line longer than this is an error (a corrupt or binary file), not an unbounded allocation.
  static constexpr std::size_t kMaxLineBytes = 256u << 20;

  static Result<LineReader, LoadError> open(const std::filesystem::path& path, std::size_t buffer_bytes = 1u << 20);
  LineReader(LineReader&& other) noexcept;
  LineReader& operator=(LineReader&& other) noexcept;
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;
  ~LineReader();

  ReadStatus next(std::string_view& line);
  std::uint64_t line_number() const { return line_no_; }  // of the line last returned
  const std::string& path() const { return path_; }
  const LoadError& error() const { return error_; }

 private:
  LineReader(int fd, std::string path, std::size_t buffer_bytes);
  bool fill();  // reads more bytes after compacting; false on EOF or error (error_ set on error)

  int fd_ = -1;
  std::string path_;
  std::vector<char> buf_;
  std::size_t begin_ = 0;  // unread data is buf_[begin_, end_)
  std::size_t end_ = 0;
  bool eof_ = false;
  bool failed_ = false;
  std::uint64_t line_no_ = 0;
  LoadError error_;
};

// The loaders' row loop over a LineReader: the next non-blank line (whitespace-only lines are skipped), and
// errors recorded against the line being read. After an error every call returns Error again, so a
// reader built on it never resumes past a bad row.
class DataLines {
 public:
  explicit DataLines(LineReader lines) : lines_(std::move(lines)) {}

  ReadStatus next(std::string_view& line);
  // Records message at the current line (or at `line`) and returns Error.
  ReadStatus fail(std::string message) { return fail_at(lines_.line_number(), std::move(message)); }
  ReadStatus fail_at(std::uint64_t line, std::string message);

  bool failed() const { return failed_; }
  const LoadError& error() const { return error_; }
  std::uint64_t line_number() const { return lines_.line_number(); }
  const std::string& path() const { return lines_.path(); }

 private:
  LineReader lines_;
  LoadError error_;
  bool failed_ = false;
};

}  // namespace tradingd::backtest
