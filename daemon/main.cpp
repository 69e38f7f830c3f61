// tradingd's entry point: argv to string_views, then the command table in daemon/cli.cpp.
#include <string_view>
#include <vector>

#include "daemon/cli.h"

int main(int argc, char** argv) {
  std::vector<std::string_view> args(argv + (argc > 0 ? 1 : 0), argv + argc);
  return tradingd::daemon::dispatch(args);
}
