// tradingd entry point (skeleton; the foundation issue fills in run, validate-config and the rest).
#include <cstdio>
#include <cstring>

int main(int argc, char** argv) {
  if (argc > 1 && (std::strcmp(argv[1], "--version") == 0)) {
    std::printf("tradingd %s\n", TRADINGD_VERSION);
    return 0;
  }
  std::printf("usage: tradingd [--version]\n");
  return 0;
}
