// The subcommand table and the top-level dispatch. `--help` and `--version` are handled here so every
// command gets them the same way; the commands themselves only see their own arguments.
#include "daemon/cli.h"

#include <array>
#include <cstdio>
#include <iostream>

#include "daemon/commands.h"
#include "daemon/exit_codes.h"

namespace tradingd::daemon {
namespace {

constexpr std::string_view kRunUsage =
    R"(usage: tradingd run [--config FILE]

Runs the trading daemon in the foreground until SIGTERM/SIGINT (the default command).

Options:
  --config FILE   the YAML configuration (default: $TRADINGD_CONFIG; without either, the built-in
                  defaults plus the environment are used)

Signals:
  SIGTERM, SIGINT  graceful shutdown (a second SIGINT exits at once)
  SIGHUP           reload risk limits and the log level from the config file; an invalid file is refused
                   and the running settings are kept
  SIGUSR1          emergency stop
  SIGUSR2          reset a tripped circuit breaker (refused, and logged, during its cooldown)

Environment (overrides the file): TRADINGD_MODE (paper|live), TRADINGD_STATE_DIR, TRADINGD_METRICS_LISTEN,
  TRADINGD_API_LISTEN, TRADINGD_LOG_LEVEL, TRADINGD_LOG_FORMAT (text|json), TRADINGD_CA_FILE,
  TRADINGD_{BINANCE,BYBIT,OKX}_{REST_URL,WS_URL,WS_PRIVATE_URL}; credentials
  TRADINGD_{BINANCE,BYBIT,OKX}_API_KEY, ..._API_SECRET, TRADINGD_OKX_API_PASSPHRASE, TRADINGD_API_TOKEN
  (or files of the same lower-case names in $CREDENTIALS_DIRECTORY).

Serves /metrics, /healthz and /readyz on metrics.listen, and the control API (daemon/api/openapi.yaml;
client: tradingctl) on api.listen with `Authorization: Bearer $TRADINGD_API_TOKEN`. Without a token the API
is disabled on a loopback address and refused (exit 2) on any other. Exit codes: 0 clean shutdown,
1 runtime failure, 2 usage or configuration error (including live mode without credentials).
)";

constexpr std::string_view kValidateUsage =
    R"(usage: tradingd validate-config FILE

Loads FILE as the daemon would (the file, then the TRADINGD_* environment overrides, then validation) and
prints the effective configuration as YAML with secrets redacted. On an invalid file prints every error,
one per line as FILE: KEY: PROBLEM, and exits 2.
)";

constexpr std::string_view kExportUsage =
    R"(usage: tradingd export --state-dir DIR --format csv|json [--since ISO8601] [--out DIR]

Exports the journal in DIR: orders (final state), fills (venue trade id, venue order id, our client order
id) and cancels/rejects. JSON goes to stdout as one document with an array per kind; CSV writes
orders.csv, fills.csv, cancels.csv and rejects.csv into --out (created if missing). --since (UTC, e.g.
2026-01-02T03:04:05Z) keeps fills/cancels/rejects at or after it and orders active since. Reads in its own
read transaction: safe while a running daemon writes the journal.

Exit codes: 0 exported, 1 missing or unreadable journal or unwritable output, 2 usage error.
)";

constexpr std::string_view kReplayUsage =
    R"(usage: tradingd replay --venue binance|bybit|okx --input FRAMES.jsonl [--snapshot SNAPSHOT.json]
                      [--depth N] [--market spot|linear_perp]

Reads raw recorded frames (one JSON message per line, exactly as the venue sent them; the format
market_data.record_dir writes) through the same parser and book synchronisers as the live feed, and writes
JSON lines to stdout: one per normalised event, with the book's top N levels (default 10) after each book
update as exact decimal strings, and a line for every gap, checksum failure or rejected frame. --snapshot
gives the REST depth snapshot(s) a synchroniser asks for (Binance), one body, a {"SYMBOL": body} object, or
one per line. --market picks spot or USD-margined perpetual frames where the venue cannot tell (Binance
guesses from the frames, Bybit assumes linear). A summary goes to stderr.

Exit codes: 0 replayed (bad frames are reported in the output, not fatal), 1 unreadable input or
snapshot, 2 usage error.
)";

constexpr std::string_view kBacktestUsage =
    R"(usage: tradingd backtest --config FILE --data PATH... --out DIR [--from T] [--to T] [--seed N]
                        [--sweep SPEC [--rank METRIC] [--threads N]]

Runs the configuration's enabled strategies over historical data through the same engine as paper and
live mode (TradingNode: simulated venues with the paper section's latency, fee, slippage, queue and
candle models; RiskGuard; portfolio) on a simulated clock, and writes the results into DIR:
summary.json, trades.csv, orders.csv, fills.csv, equity.csv and report.html (one self-contained page).
The same inputs and seed give byte-identical files.

Options:
  --config FILE   the YAML configuration: strategies, instruments, risk, paper (fill model) and backtest
                  (starting balances, seed, default_symbol) sections (default: $TRADINGD_CONFIG)
  --data PATH...  data files or directories (read recursively), several instruments and venues at once:
                  Binance kline CSVs (the public archive's SYMBOL-INTERVAL-YYYY-MM[-DD].csv, ms or us
                  timestamps), OHLCV CSVs (timestamp,open,high,low,close,volume), the history cache
                  `tradingd fetch-history` writes, and recorded frames (VENUE-*.jsonl, the `tradingd
                  replay` format: trades, books, klines through the live feed's decoder; a name with
                  linear/perp/usdm/swap is a perpetuals connection). A kline file's instrument is the
                  configured one with the file's symbol, else binance:spot:SYMBOL; a recording's are the
                  venue's configured instruments; see config/backtest.example.yaml
  --from T, --to T  keep bars opening in [from, to): UTC date (2024-01-31), date-time
                  (2024-01-31T12:00:00Z) or epoch milliseconds
  --out DIR       where the results go (created if missing; files are replaced)
  --seed N        the simulated venues' seed (default: backtest.seed)
  --sweep SPEC    a parameter grid run in parallel, e.g. 'fast=5:50:5,slow=20:200:10' (name=start:stop:step,
                  name=v1|v2, name=v); a name sets that parameter on every enabled strategy, STRATEGY.name
                  on one. Writes sweep.csv and sweep.txt (ranked) into DIR and prints the table
  --rank METRIC   the sweep's ranking metric from summary.json (default sharpe; max_drawdown ranks lowest
                  first)
  --threads N     sweep worker threads (default 0: one per core)

Conventions: Sharpe and Sortino use daily (UTC) returns annualised with sqrt(365) (24/7 markets,
risk-free rate 0); summary.json states them under "conventions". A progress bar is drawn on stderr when it
is a terminal.

Exit codes: 0 done, 1 runtime failure (missing or unreadable data file, bad data row, unwritable DIR),
2 usage or configuration error (bad option, bad --from/--to, no instrument for a file, no strategy).
)";

constexpr std::string_view kFetchHistoryUsage =
    R"(usage: tradingd fetch-history --venue binance|bybit|okx --symbol SYMBOL --interval I --from T [--to T]
                             [--market spot|linear_perp] [--cache DIR] [--config FILE]

Downloads closed klines from the venue's public endpoint (Binance /api/v3/klines or /fapi/v1/klines,
Bybit /v5/market/kline, OKX /api/v5/market/history-candles) into the history cache, one OHLCV CSV per
UTC day at DIR/<venue>/<market>/<symbol>/<interval>/YYYY-MM-DD.csv, the format `tradingd backtest --data`
reads (pass it the printed directory). Only whole ended days are fetched and cached, so a repeated run
sends no request; requests are paced at half the venue's documented rate limit and a 429/418 or a
rate-limit code pauses them. Gaps in the cached range are reported on stderr. A progress bar is drawn on
stderr when it is a terminal.

Options:
  --venue V       binance, bybit or okx
  --symbol S      the venue's symbol: BTCUSDT (Binance, Bybit), BTC-USDT or BTC-USDT-SWAP (OKX)
  --interval I    1s (Binance) 1m 3m 5m 15m 30m 1h 2h 4h 6h 8h 12h 1d 3d 1w (what the venue lists)
  --from T, --to T  UTC date (2024-01-31), date-time (2024-01-31T12:00:00Z) or epoch milliseconds; bars
                  opening in [from, to); --to defaults to now
  --market M      spot (default) or linear_perp
  --cache DIR     the cache (default: backtest.history_cache_dir, else <state_dir>/history)
  --config FILE   for venue environments and URLs (default: $TRADINGD_CONFIG, else built-in defaults)

Environment: TRADINGD_{BINANCE,BYBIT,OKX}_REST_URL (e.g. the emulator) and TRADINGD_CA_FILE (its CA).

Exit codes: 0 done (gaps are reported, not fatal), 1 network, venue or cache failure, 2 usage error.
)";

constexpr std::array kCommands{
    Command{"run", "run the daemon (default)", kRunUsage, &run_command},
    Command{"validate-config", "check a config file and print the effective configuration", kValidateUsage,
            &validate_config_command},
    Command{"export", "export the journal's orders, fills, cancels and rejects (csv or json)", kExportUsage,
            &export_command},
    Command{"replay", "replay recorded venue frames through the parsers and books (JSON lines)", kReplayUsage,
            &replay_command},
    Command{"backtest", "run strategies over historical data; write results and an HTML report", kBacktestUsage,
            &backtest_command},
    Command{"fetch-history", "download a venue's klines into the history cache (one CSV per day)",
            kFetchHistoryUsage, &fetch_history_command},
};

bool is_help(std::string_view a) { return a == "--help" || a == "-h" || a == "help"; }

}  // namespace

std::span<const Command> commands() { return kCommands; }

const Command* find_command(std::string_view name) {
  for (const auto& c : kCommands)
    if (c.name == name) return &c;
  return nullptr;
}

std::string_view version() { return TRADINGD_VERSION; }

std::string top_level_usage() {
  std::string s = "usage: tradingd [COMMAND] [OPTIONS]\n       tradingd --version\n\nCommands:\n";
  for (const auto& c : kCommands) {
    s += "  ";
    s += c.name;
    s.append(c.name.size() < 18 ? 18 - c.name.size() : 1, ' ');
    s += c.summary;
    s += '\n';
  }
  s += "\n`tradingd COMMAND --help` describes a command. Without a command, `run` is assumed.\n";
  return s;
}

int dispatch(Args args) {
  if (!args.empty() && (args[0] == "--version" || args[0] == "version")) {
    std::cout << "tradingd " << version() << '\n';
    return kExitOk;
  }
  if (!args.empty() && is_help(args[0])) {
    std::cout << top_level_usage();
    return kExitOk;
  }
  const Command* command = find_command("run");
  Args rest = args;
  if (!args.empty() && !args[0].starts_with("-")) {
    command = find_command(args[0]);
    if (command == nullptr) {
      std::cerr << "tradingd: unknown command '" << args[0] << "'\n\n" << top_level_usage();
      return kExitUsage;
    }
    rest = args.subspan(1);
  }
  for (auto a : rest) {
    if (a == "--help" || a == "-h") {
      std::cout << command->usage;
      return kExitOk;
    }
  }
  return command->run(rest);
}

std::optional<std::string> ParsedArgs::get(std::string_view name) const {
  std::optional<std::string> value;
  for (const auto& [k, v] : options)
    if (k == name) value = v;
  return value;
}

Result<ParsedArgs, std::string> parse_args(Args args, std::span<const std::string_view> valued,
                                           std::string_view command) {
  ParsedArgs parsed;
  const auto hint = " (see tradingd " + std::string(command) + " --help)";
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string_view a = args[i];
    if (a == "--") {  // everything after is positional
      for (++i; i < args.size(); ++i) parsed.positionals.emplace_back(args[i]);
      break;
    }
    if (!a.starts_with("--") || a.size() == 2) {
      parsed.positionals.emplace_back(a);
      continue;
    }
    std::string_view body = a.substr(2);
    std::string_view name = body.substr(0, body.find('='));
    bool known = false;
    for (auto v : valued) known = known || v == name;
    if (!known) return Err("unknown option --" + std::string(name) + hint);
    if (name.size() < body.size()) {
      parsed.options.emplace_back(name, body.substr(name.size() + 1));
    } else if (i + 1 < args.size()) {
      parsed.options.emplace_back(name, args[++i]);
    } else {
      return Err("option --" + std::string(name) + " needs a value" + hint);
    }
  }
  return parsed;
}

}  // namespace tradingd::daemon
