// The tradingd command line: a table of subcommands (run, validate-config; later export, replay, backtest,
// fetch-history) and the top-level dispatch. Parsing is pure: nothing here touches the daemon's state, and
// every command returns one of the exit codes of daemon/exit_codes.h.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace tradingd::daemon {

using Args = std::span<const std::string_view>;

struct Command {
  std::string_view name;
  std::string_view summary;  // one line for `tradingd --help`
  std::string_view usage;    // the full `tradingd NAME --help` text
  int (*run)(Args args);     // args after the command name; never contains --help (dispatch handles it)
};

// Every subcommand, in the order `--help` lists them. Later issues add a row here and a run function.
std::span<const Command> commands();
const Command* find_command(std::string_view name);

// Runs the command line (argv without argv[0]). No command, or a first argument that is an option, means
// `run`. Prints help/usage itself.
int dispatch(Args args);

std::string top_level_usage();
std::string_view version();

// Small option parser shared by the commands: "--name VALUE" or "--name=VALUE" pairs and positionals.
// Unknown options are errors (a typo must not be silently ignored).
struct ParsedArgs {
  std::vector<std::pair<std::string, std::string>> options;  // name without dashes -> value
  std::vector<std::string> positionals;
  std::optional<std::string> get(std::string_view name) const;  // the last occurrence
};
// valued: the option names this command accepts, each taking a value. The error reads
// "unknown option --confg (see tradingd run --help)".
Result<ParsedArgs, std::string> parse_args(Args args, std::span<const std::string_view> valued,
                                           std::string_view command);

}  // namespace tradingd::daemon
