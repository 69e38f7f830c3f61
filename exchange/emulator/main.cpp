// venue-emulator: parses the command line, prepares certificates, builds the three venue services and
// runs the server. Prints one JSON line of URLs on stdout (and --urls-file) once every port listens.
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iostream>

#include "exchange/emulator/binance/service.h"
#include "exchange/emulator/bybit/service.h"
#include "exchange/emulator/certs.h"
#include "exchange/emulator/cli.h"
#include "exchange/emulator/okx/service.h"
#include "exchange/emulator/server.h"

namespace emu = tradingd::emulator;

namespace {
bool write_atomically(const std::filesystem::path& path, const std::string& text) {
  const std::filesystem::path tmp = path.string() + ".tmp." + std::to_string(::getpid());
  {
    std::ofstream out(tmp, std::ios::trunc);
    if (!(out << text)) return false;
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  return !ec;
}
}  // namespace

int main(int argc, char** argv) {
  try {
    const auto parsed = emu::parse_args(std::vector<std::string>(argv + 1, argv + argc));
    if (parsed.config.help) {
      std::cout << emu::help_text();
      return emu::kExitOk;
    }
    if (!parsed.errors.empty()) {
      for (const auto& e : parsed.errors) std::cerr << "venue-emulator: " << e << "\n";
      std::cerr << "venue-emulator: see --help\n";
      return emu::kExitUsage;
    }
    emu::EmulatorConfig cfg = parsed.config;

    auto certs = emu::ensure_certificates(cfg.cert_dir);
    if (!certs) {
      std::cerr << "venue-emulator: certificate error: " << certs.error() << "\n";
      return emu::kExitCert;
    }
    std::cerr << "venue-emulator: " << (certs->generated ? "Generated" : "Reusing") << " certificates dir="
              << cfg.cert_dir.string() << "\n";

    emu::ServerSetup setup;
    for (const auto& r : cfg.replays) {
      auto frames = emu::load_replay(r.file);
      if (!frames) {
        std::cerr << "venue-emulator: " << frames.error() << "\n";
        return emu::kExitReplay;
      }
      setup.replays.emplace_back(r.venue, std::move(*frames));
    }
    cfg.service.market.start_ms = emu::wall_ms();
    setup.bind_address = cfg.bind_address;
    setup.services.push_back(std::make_unique<emu::binance::BinanceService>(cfg.service));
    setup.services.push_back(std::make_unique<emu::bybit::BybitService>(cfg.service));
    setup.services.push_back(std::make_unique<emu::okx::OkxService>(cfg.service));
    setup.ports = {cfg.port_binance, cfg.port_bybit, cfg.port_okx};
    setup.cert_file = certs->leaf_cert.string();
    setup.key_file = certs->leaf_key.string();
    setup.tick_ms = cfg.tick_ms;
    setup.faults = cfg.faults;
    setup.replay_interval_ms = cfg.replay_interval_ms;
    setup.replay_loop = cfg.replay_loop;

    emu::EmulatorServer server(std::move(setup));
    if (auto ok = server.start(); !ok) {
      std::cerr << "venue-emulator: " << ok.error() << "\n";
      return emu::kExitBind;
    }
    const emu::VenuePorts ports{server.port(tradingd::Venue::Binance), server.port(tradingd::Venue::Bybit),
                                server.port(tradingd::Venue::Okx)};
    const std::string line =
        emu::urls_line(cfg.bind_address, ports, std::filesystem::absolute(certs->ca_cert).string());
    if (cfg.urls_file && !write_atomically(*cfg.urls_file, line + "\n")) {
      std::cerr << "venue-emulator: cannot write " << cfg.urls_file->string() << "\n";
      return emu::kExitRuntime;
    }
    std::cout << line << std::endl;
    std::cerr << "venue-emulator: Listening binance=" << ports.binance << " bybit=" << ports.bybit
              << " okx=" << ports.okx << " seed=" << cfg.service.market.seed << "\n";
    server.run();
    return emu::kExitOk;
  } catch (const std::exception& e) {
    std::cerr << "venue-emulator: fatal: " << e.what() << "\n";
    return emu::kExitRuntime;
  }
}
