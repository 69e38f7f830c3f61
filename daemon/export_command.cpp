// `tradingd export --state-dir DIR --format csv|json [--since ISO8601] [--out DIR]`: the journal's orders,
// fills and cancels/rejects through execution/journal_export.h. Read-only (its own read transaction), so it
// is safe while a daemon holds the state directory and writes the journal; it takes no state-dir lock.
#include <array>
#include <filesystem>
#include <iostream>

#include "core/clock.h"
#include "daemon/commands.h"
#include "daemon/exit_codes.h"
#include "execution/journal_export.h"

namespace tradingd::daemon {

int export_command(Args args) {
  constexpr std::array<std::string_view, 4> kValued{"state-dir", "format", "since", "out"};
  auto parsed = parse_args(args, kValued, "export");
  if (!parsed) {
    std::cerr << "tradingd: " << parsed.error() << '\n';
    return kExitUsage;
  }
  if (!parsed->positionals.empty()) {
    std::cerr << "tradingd export: unexpected argument " << parsed->positionals.front()
              << " (see tradingd export --help)\n";
    return kExitUsage;
  }
  const auto state_dir = parsed->get("state-dir");
  const auto format_text = parsed->get("format");
  if (!state_dir || !format_text) {
    std::cerr << "tradingd export: --state-dir and --format are required (see tradingd export --help)\n";
    return kExitUsage;
  }
  const auto format = parse_export_format(*format_text);
  if (!format) {
    std::cerr << "tradingd export: --format must be csv or json, not " << *format_text << '\n';
    return kExitUsage;
  }
  ExportOptions options;
  options.journal_path = journal_path_in(*state_dir);
  options.format = *format;
  if (const auto since = parsed->get("since")) {
    options.since_ns = parse_iso8601(*since);
    if (!options.since_ns) {
      std::cerr << "tradingd export: --since is not an ISO 8601 UTC time: " << *since << '\n';
      return kExitUsage;
    }
  }
  if (*format == ExportFormat::Csv) {
    const auto out = parsed->get("out");
    if (!out) {
      std::cerr << "tradingd export: --format csv needs --out DIR\n";
      return kExitUsage;
    }
    options.out_dir = *out;
  }
  if (!std::filesystem::exists(options.journal_path)) {
    std::cerr << "tradingd export: no journal at " << options.journal_path.string() << '\n';
    return kExitRuntimeFailure;
  }
  auto counts = export_journal(options, std::cout);
  if (!counts) {
    std::cerr << "tradingd export: " << counts.error() << '\n';
    return kExitRuntimeFailure;
  }
  std::cerr << "exported orders=" << counts->orders << " fills=" << counts->fills << " cancels=" << counts->cancels
            << " rejects=" << counts->rejects << '\n';
  return kExitOk;
}

}  // namespace tradingd::daemon
