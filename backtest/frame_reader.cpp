// Recorded-frame lines with their venue.
#include "backtest/frame_reader.h"

#include "backtest/csv_fields.h"

namespace tradingd::backtest {

std::optional<Venue> venue_from_file_name(std::string_view path) {
  const auto slash = path.find_last_of('/');
  std::string_view name = slash == std::string_view::npos ? path : path.substr(slash + 1);
  const auto end = name.find_first_of("-_.");
  const auto venue = parse_venue(name.substr(0, end));
  if (!venue || *venue == Venue::Simulated) return std::nullopt;
  return venue;
}

Result<FrameReader, LoadError> FrameReader::open(const std::filesystem::path& path, std::optional<Venue> venue) {
  if (!venue) venue = venue_from_file_name(path.string());
  if (!venue)
    return Err{LoadError{path.string(), 0,
                         "unknown venue: name it (--venue) or start the file name with binance, bybit or okx"}};
  auto lines = LineReader::open(path);
  if (!lines) return Err{lines.error()};
  return FrameReader(std::move(*lines), *venue);
}

ReadStatus FrameReader::next(RawFrame& out) {
  std::string_view line;
  const ReadStatus s = lines_.next(line);
  if (s != ReadStatus::Item) return s;
  line = trim(line);
  if (line.front() != '{' && line.front() != '[')
    return lines_.fail("not a JSON frame (a line must hold one venue message)");
  out.venue = venue_;
  out.line = lines_.line_number();
  out.text.assign(line.data(), line.size());
  return ReadStatus::Item;
}

}  // namespace tradingd::backtest
