// See cli.h. Every flag takes its value as the next argument or after '='; unknown flags are errors.
#include "exchange/emulator/cli.h"

#include <algorithm>
#include <fstream>
#include <set>

#include <arpa/inet.h>
#include <boost/json.hpp>

namespace tradingd::emulator {
namespace {

std::optional<Venue> venue_of(std::string_view s) {
  if (s == "binance") return Venue::Binance;
  if (s == "bybit") return Venue::Bybit;
  if (s == "okx") return Venue::Okx;
  return std::nullopt;
}

bool is_loopback(const std::string& addr) {
  unsigned char buf[16];
  if (inet_pton(AF_INET, addr.c_str(), buf) == 1) return buf[0] == 127;
  static const unsigned char v6_loopback[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
  return inet_pton(AF_INET6, addr.c_str(), buf) == 1 && std::equal(buf, buf + 16, v6_loopback);
}
}  // namespace

std::string help_text() {
  return R"(usage: venue-emulator [options]

A loopback TLS server speaking the public REST and WebSocket APIs of Binance (spot and USD-M), Bybit v5
and OKX v5 over a seeded random-walk market (or recorded frames), with fault injection, for testing
tradingd and other clients offline. Logs go to stderr; stdout gets one JSON line of URLs:
  {"binance":{"rest":"https://127.0.0.1:P","ws":"wss://127.0.0.1:P","ws_private":"wss://127.0.0.1:P",
   "admin":"https://127.0.0.1:P/_emulator"},"bybit":{...},"okx":{...},"ca_file":"/abs/cert-dir/ca.pem"}
Each venue has one port; every URL is an origin and clients append the venue's own paths:
  Binance  REST /api/v3/*, /fapi/v1/*; streams /ws[/<stream>], /stream?streams=a/b (spot; also under
           /stream.binance.com/), /public/ws|stream and /market/ws|stream (USD-M routed), /fstream/ws|stream
           (USD-M legacy)
  Bybit    REST /v5/market/*; streams /v5/public/spot, /v5/public/linear (/v5/private: placeholder)
  OKX      REST /api/v5/public/*, /api/v5/market/*; streams /ws/v5/public, /ws/v5/business
           (/ws/v5/private: placeholder)

Options:
  --bind ADDR                 loopback address to listen on (default 127.0.0.1; non-loopback refused)
  --port-binance N            port for Binance (default 0: ephemeral); also --port-bybit, --port-okx
  --cert-dir DIR              where ca.pem, ca.key, server.pem, server.key live (default
                              ./venue-emulator-certs); reused when valid, generated otherwise
  --urls-file FILE            also write the URL line to FILE (atomically: temp file + rename)
  --seed N                    seed of the random walk (default 1): same seed + same tick times = same market
  --tick-ms N                 market tick period (default 100)
  --warmup-minutes N          history simulated before start, one tick per second (default 60)
  --binance-ping-interval-ms N  server WebSocket ping period (default 20000)
  --binance-pong-timeout-ms N   close a Binance connection with no pong for that long (default 60000)
  --okx-idle-timeout-ms N     OKX closes a connection silent for that long, code 4004 (default 30000)
  --okx-checksum real|zero    OKX books checksum: real CRC32 (default) or 0 as in production since June 2026
  --fault VENUE:KIND[:N][@AFTER_MS]
                              inject a fault AFTER_MS after startup (repeatable). KIND: drop, stall,
                              skip_seq, corrupt_checksum, malformed, ignore_pings, clear. N is a duration
                              in ms for stall/ignore_pings (default: until cleared), else a count
  --replay VENUE=FILE         send recorded frames (JSONL, one raw frame per line, the `tradingd replay`
                              input format) to that venue's WebSocket clients instead of the random walk
                              (REST still serves the walk); repeatable
  --replay-interval-ms N      one replayed frame per N ms (default 100)
  --replay-loop               start the replay again at its end
  --api-key KEY               the trading account's API key on every venue (default emulator-key)
  --api-secret SECRET         its secret (default emulator-secret): signatures are verified with it
  --passphrase TEXT           OKX's API passphrase (default emulator-passphrase)
  --balance ASSET=AMOUNT      a starting balance (repeatable; the first one replaces the defaults
                              USDT=100000 and BTC=1); AMOUNT is an exact decimal
  --help                      this text

Admin API (on each venue's port, loopback only; JSON bodies):
  POST /_emulator/fault  {"fault":"stall","duration_ms":5000} | {"fault":"skip_seq","count":1} | ...
  GET  /_emulator/faults  the venue's fault state;   GET /_emulator/health  {"ok":true}

Exit codes: 0 clean shutdown (SIGINT/SIGTERM), 1 runtime error, 2 bad usage, 3 certificate error,
4 cannot listen, 5 bad replay file.
)";
}

ParseOutcome parse_args(const std::vector<std::string>& args) {
  ParseOutcome out;
  EmulatorConfig& c = out.config;
  auto err = [&](std::string e) { out.errors.push_back(std::move(e)); };
  bool balances_given = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string flag = args[i];
    std::optional<std::string> inline_value;
    if (const auto eq = flag.find('='); flag.starts_with("--") && eq != std::string::npos) {
      inline_value = flag.substr(eq + 1);
      flag = flag.substr(0, eq);
    }
    if (flag == "--help" || flag == "-h") {
      c.help = true;
      continue;
    }
    if (flag == "--replay-loop") {
      c.replay_loop = true;
      continue;
    }
    static const std::set<std::string> kValueFlags = {
        "--bind", "--port-binance", "--port-bybit", "--port-okx", "--cert-dir", "--urls-file", "--seed", "--tick-ms",
        "--warmup-minutes", "--binance-ping-interval-ms", "--binance-pong-timeout-ms", "--okx-idle-timeout-ms",
        "--okx-checksum", "--fault", "--replay", "--replay-interval-ms", "--api-key", "--api-secret", "--passphrase",
        "--balance"};
    if (!kValueFlags.contains(flag)) {
      err("unknown option " + flag + " (see --help)");
      continue;
    }
    std::string value;
    if (inline_value) {
      value = *inline_value;
    } else if (i + 1 < args.size()) {
      value = args[++i];
    } else {
      err(flag + " needs a value");
      continue;
    }
    auto number = [&](std::int64_t lo, std::int64_t hi) -> std::optional<std::int64_t> {
      const auto n = parse_int(value);
      if (!n || *n < lo || *n > hi) {
        err(flag + ": expected an integer in " + std::to_string(lo) + ".." + std::to_string(hi) + ", got \"" + value + "\"");
        return std::nullopt;
      }
      return n;
    };
    if (flag == "--api-key" || flag == "--api-secret" || flag == "--passphrase") {
      if (value.empty()) err(flag + " must not be empty");
      (flag == "--api-key" ? c.service.account.api_key : flag == "--api-secret" ? c.service.account.api_secret
                                                                               : c.service.account.passphrase) = value;
      continue;
    }
    if (flag == "--balance") {
      const auto eq = value.find('=');
      std::optional<Money> amount;
      if (eq != std::string::npos) {
        if (auto parsed = Money::parse(value.substr(eq + 1))) amount = *parsed;
      }
      if (eq == std::string::npos || eq == 0 || !amount || amount->is_negative()) {
        err("--balance: expected ASSET=AMOUNT with a non-negative exact decimal, got \"" + value + "\"");
        continue;
      }
      if (!balances_given) c.service.account.balances.clear();
      balances_given = true;
      c.service.account.balances.emplace_back(value.substr(0, eq), *amount);
      continue;
    }
    if (flag == "--bind") {
      if (!is_loopback(value)) err("--bind: " + value + " is not a loopback address (the emulator binds loopback only)");
      c.bind_address = value;
    } else if (flag == "--port-binance" || flag == "--port-bybit" || flag == "--port-okx") {
      if (auto n = number(0, 65535)) {
        const auto p = static_cast<std::uint16_t>(*n);
        (flag == "--port-binance" ? c.port_binance : flag == "--port-bybit" ? c.port_bybit : c.port_okx) = p;
      }
    } else if (flag == "--cert-dir") {
      c.cert_dir = value;
    } else if (flag == "--urls-file") {
      c.urls_file = value;
    } else if (flag == "--seed") {
      if (auto n = number(0, INT64_MAX)) c.service.market.seed = static_cast<std::uint64_t>(*n);
    } else if (flag == "--tick-ms") {
      if (auto n = number(1, 60'000)) c.tick_ms = *n;
    } else if (flag == "--warmup-minutes") {
      if (auto n = number(0, 1440)) c.service.market.warmup_minutes = static_cast<int>(*n);
    } else if (flag == "--binance-ping-interval-ms") {
      if (auto n = number(100, 3'600'000)) c.service.binance_ping_interval_ms = *n;
    } else if (flag == "--binance-pong-timeout-ms") {
      if (auto n = number(100, 3'600'000)) c.service.binance_pong_timeout_ms = *n;
    } else if (flag == "--okx-idle-timeout-ms") {
      if (auto n = number(100, 3'600'000)) c.service.okx_idle_timeout_ms = *n;
    } else if (flag == "--okx-checksum") {
      if (value != "real" && value != "zero") err("--okx-checksum: expected real or zero, got \"" + value + "\"");
      c.service.okx_checksum_zero = value == "zero";
    } else if (flag == "--fault") {
      ScheduledFault f;
      std::string spec = value;
      if (const auto at = spec.find('@'); at != std::string::npos) {
        const auto n = parse_int(spec.substr(at + 1));
        if (!n || *n < 0) err("--fault: bad delay in \"" + value + "\"");
        else f.after_ms = *n;
        spec = spec.substr(0, at);
      }
      const auto colon = spec.find(':');
      const auto v = venue_of(spec.substr(0, colon));
      if (!v || colon == std::string::npos) {
        err("--fault: expected VENUE:KIND[:N][@AFTER_MS] with VENUE binance, bybit or okx, got \"" + value + "\"");
        continue;
      }
      auto req = parse_fault_flag(spec.substr(colon + 1));
      if (!req) {
        err("--fault: " + req.error());
        continue;
      }
      f.venue = *v;
      f.request = *req;
      c.faults.push_back(f);
    } else if (flag == "--replay") {
      const auto eq = value.find('=');
      const auto v = eq == std::string::npos ? std::nullopt : venue_of(value.substr(0, eq));
      if (!v || eq + 1 >= value.size()) {
        err("--replay: expected VENUE=FILE, got \"" + value + "\"");
        continue;
      }
      c.replays.push_back({*v, value.substr(eq + 1)});
    } else if (flag == "--replay-interval-ms") {
      if (auto n = number(1, 3'600'000)) c.replay_interval_ms = *n;
    } else {
      err("unknown option " + flag + " (see --help)");
    }
  }
  return out;
}

std::string urls_line(const std::string& host, const VenuePorts& ports, const std::string& ca_file) {
  namespace json = boost::json;
  const std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  auto base = [&](const char* scheme, std::uint16_t port) { return std::string(scheme) + "://" + h + ":" + std::to_string(port); };
  json::object o;
  o["binance"] = json::object{{"rest", base("https", ports.binance)},
                              {"ws", base("wss", ports.binance)},
                              {"ws_private", base("wss", ports.binance)},
                              {"admin", base("https", ports.binance) + "/_emulator"}};
  o["bybit"] = json::object{{"rest", base("https", ports.bybit)},
                            {"ws", base("wss", ports.bybit)},
                            {"ws_private", base("wss", ports.bybit)},
                            {"admin", base("https", ports.bybit) + "/_emulator"}};
  o["okx"] = json::object{{"rest", base("https", ports.okx)},
                          {"ws", base("wss", ports.okx)},
                          {"ws_private", base("wss", ports.okx)},
                          {"admin", base("https", ports.okx) + "/_emulator"}};
  o["ca_file"] = ca_file;
  return json::serialize(o);
}

Result<std::vector<std::string>, std::string> load_replay(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) return Err{"cannot read replay file " + file.string()};
  std::vector<std::string> frames;
  std::string line;
  std::size_t n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    frames.push_back(line);
  }
  if (frames.empty()) return Err{"replay file " + file.string() + " has no frames"};
  return frames;
}

}  // namespace tradingd::emulator
