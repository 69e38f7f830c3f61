// `tradingd replay --venue binance|bybit|okx --input FRAMES.jsonl [--snapshot SNAPSHOT.json] [--depth N]
// [--market spot|linear_perp]`: recorded raw frames through the live feed's parser and book synchronisers
// (exchange/replay.h), one JSON line per normalised event, gap, checksum failure or rejected frame on stdout.
#include <array>
#include <charconv>
#include <fstream>
#include <iostream>

#include "daemon/commands.h"
#include "daemon/exit_codes.h"
#include "exchange/replay.h"

namespace tradingd::daemon {

int replay_command(Args args) {
  constexpr std::array<std::string_view, 5> kValued{"venue", "input", "snapshot", "depth", "market"};
  auto parsed = parse_args(args, kValued, "replay");
  if (!parsed) {
    std::cerr << "tradingd: " << parsed.error() << '\n';
    return kExitUsage;
  }
  if (!parsed->positionals.empty()) {
    std::cerr << "tradingd replay: unexpected argument " << parsed->positionals.front()
              << " (see tradingd replay --help)\n";
    return kExitUsage;
  }
  const auto venue_text = parsed->get("venue");
  const auto input = parsed->get("input");
  if (!venue_text || !input) {
    std::cerr << "tradingd replay: --venue and --input are required (see tradingd replay --help)\n";
    return kExitUsage;
  }
  ReplayOptions options;
  const auto venue = parse_venue(*venue_text);
  if (!venue || *venue == Venue::Simulated) {
    std::cerr << "tradingd replay: --venue must be binance, bybit or okx, not " << *venue_text << '\n';
    return kExitUsage;
  }
  options.venue = *venue;
  if (const auto market = parsed->get("market")) {
    options.market_kind = parse_market_kind(*market);
    if (!options.market_kind) {
      std::cerr << "tradingd replay: --market must be spot or linear_perp, not " << *market << '\n';
      return kExitUsage;
    }
  }
  if (const auto depth = parsed->get("depth")) {
    std::size_t n = 0;
    const auto [end, ec] = std::from_chars(depth->data(), depth->data() + depth->size(), n);
    if (ec != std::errc{} || end != depth->data() + depth->size() || n == 0 || n > 1000) {
      std::cerr << "tradingd replay: --depth must be a whole number from 1 to 1000, not " << *depth << '\n';
      return kExitUsage;
    }
    options.depth = n;
  }
  std::ifstream frames(*input, std::ios::binary);
  if (!frames) {
    std::cerr << "tradingd replay: cannot read " << *input << " (check the path and permissions)\n";
    return kExitRuntimeFailure;
  }
  std::ifstream snapshot_file;
  if (const auto snapshot = parsed->get("snapshot")) {
    snapshot_file.open(*snapshot, std::ios::binary);
    if (!snapshot_file) {
      std::cerr << "tradingd replay: cannot read " << *snapshot << " (check the path and permissions)\n";
      return kExitRuntimeFailure;
    }
  }
  std::ios::sync_with_stdio(false);
  auto result = replay(frames, snapshot_file.is_open() ? &snapshot_file : nullptr, std::cout, options);
  std::cout.flush();
  if (!result) {
    std::cerr << "tradingd replay: " << result.error() << '\n';
    return kExitRuntimeFailure;
  }
  const auto& s = *result;
  std::cerr << "Replay done frames=" << s.lines << " events=" << s.events << " book_updates=" << s.book_updates
            << " rejected=" << s.rejected << " gaps=" << s.gaps << " checksum_failures=" << s.checksum_failures
            << " snapshots_used=" << s.snapshots_used << '\n';
  return kExitOk;
}

}  // namespace tradingd::daemon
