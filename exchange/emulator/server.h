// The network shell of venue-emulator: one TLS listener per venue on loopback, HTTP/1.1 keep-alive REST,
// WebSocket upgrades handed to the venue's WsProtocol, the market tick timer, heartbeats, replay and the
// admin/fault endpoint. Single-threaded (one io_context), so venue state needs no locks. No Asio or Beast
// type appears here: the implementation (server.cpp) is the only Beast translation unit of the emulator.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/result.h"
#include "exchange/emulator/cli.h"
#include "exchange/emulator/venue.h"

namespace tradingd::emulator {

struct ServerSetup {
  std::string bind_address = "127.0.0.1";
  std::vector<std::unique_ptr<VenueService>> services;  // one per venue
  std::vector<std::uint16_t> ports;                     // aligned with services; 0: ephemeral
  std::string cert_file, key_file;
  std::int64_t tick_ms = 100;
  std::vector<ScheduledFault> faults;
  std::vector<std::pair<Venue, std::vector<std::string>>> replays;
  std::int64_t replay_interval_ms = 100;
  bool replay_loop = false;
  std::size_t max_queued_frames = 20'000;  // per connection; a slower reader is disconnected
  bool handle_signals = true;              // SIGINT/SIGTERM stop run()
};

class EmulatorServer {
 public:
  explicit EmulatorServer(ServerSetup setup);
  ~EmulatorServer();
  EmulatorServer(const EmulatorServer&) = delete;
  EmulatorServer& operator=(const EmulatorServer&) = delete;

  // Loads TLS material and binds every listener; the error text says which port failed.
  Result<bool, std::string> start();
  std::uint16_t port(Venue v) const;  // after start()
  // Serves until stop() or a signal. Call from one thread.
  void run();
  // Thread-safe.
  void stop();

  struct Impl;  // public only so server.cpp's session classes can name it

 private:
  std::unique_ptr<Impl> impl_;
};

// Wall-clock milliseconds since the epoch (the server's only clock).
std::int64_t wall_ms();

}  // namespace tradingd::emulator
