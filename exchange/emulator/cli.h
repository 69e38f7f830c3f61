// venue-emulator's command line (parsed into EmulatorConfig, every error reported), its --help text, and
// the one JSON line of URLs printed at startup and written by --urls-file. Pure: no I/O but reading the
// replay files, which main does.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/enums.h"
#include "exchange/emulator/common.h"
#include "exchange/emulator/faults.h"

namespace tradingd::emulator {

// Exit codes (also in --help).
inline constexpr int kExitOk = 0;
inline constexpr int kExitRuntime = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitCert = 3;
inline constexpr int kExitBind = 4;
inline constexpr int kExitReplay = 5;

struct ScheduledFault {
  Venue venue = Venue::Binance;
  FaultRequest request;
  std::int64_t after_ms = 0;  // after startup
};

struct ReplaySource {
  Venue venue = Venue::Binance;
  std::filesystem::path file;
};

struct EmulatorConfig {
  std::string bind_address = "127.0.0.1";
  std::uint16_t port_binance = 0, port_bybit = 0, port_okx = 0;
  std::filesystem::path cert_dir = "venue-emulator-certs";
  std::optional<std::filesystem::path> urls_file;
  std::int64_t tick_ms = 100;
  ServiceOptions service;
  std::vector<ScheduledFault> faults;
  std::vector<ReplaySource> replays;
  std::int64_t replay_interval_ms = 100;
  bool replay_loop = false;
  bool help = false;
};

struct ParseOutcome {
  EmulatorConfig config;
  std::vector<std::string> errors;  // empty: valid
};
ParseOutcome parse_args(const std::vector<std::string>& args);
std::string help_text();

struct VenuePorts {
  std::uint16_t binance = 0, bybit = 0, okx = 0;
};
// {"binance":{"rest":...,"ws":...,"ws_private":...,"admin":...},"bybit":{...},"okx":{...},"ca_file":"..."}
// Every URL is an origin (scheme, host, port): clients append the venue's own paths.
std::string urls_line(const std::string& host, const VenuePorts& ports, const std::string& ca_file);
// Parses one JSONL replay file: one raw frame per line; blank lines skipped. Error text on failure.
Result<std::vector<std::string>, std::string> load_replay(const std::filesystem::path& file);

}  // namespace tradingd::emulator
