// Export of the journal: orders (final state), fills (venue trade id, venue order id, our client order
// id) and cancels/rejects, as one JSON document with an array per kind, or as CSV files
// (orders.csv, fills.csv, cancels.csv, rejects.csv). Reads through a read-only SQLite connection in one
// read transaction, so it works while a daemon writes the journal and never blocks it (a reader only
// delays WAL checkpoints while it reads). `tradingd export` calls export_journal().
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <ostream>
#include <string>

#include "core/clock.h"
#include "core/result.h"

namespace tradingd {

enum class ExportFormat : std::uint8_t { Json, Csv };
std::optional<ExportFormat> parse_export_format(std::string_view s);  // "json" | "csv"

struct ExportOptions {
  std::filesystem::path journal_path;  // journal_path_in(state_dir)
  ExportFormat format = ExportFormat::Json;
  // Only fills/cancels/rejects at or after this time, and orders active since (created or updated).
  std::optional<UnixNanos> since_ns;
  std::filesystem::path out_dir;  // CSV: created if missing; JSON ignores it
};

struct ExportCounts {
  std::size_t orders = 0;
  std::size_t fills = 0;
  std::size_t cancels = 0;
  std::size_t rejects = 0;
};

// The journal file inside a state directory: "<state_dir>/journal.sqlite3".
std::filesystem::path journal_path_in(const std::filesystem::path& state_dir);

// JSON goes to json_out; CSV to files in options.out_dir. The error says what failed (missing or corrupt
// journal, unwritable output).
Result<ExportCounts, std::string> export_journal(const ExportOptions& options, std::ostream& json_out);

}  // namespace tradingd
