// A main for the fuzz targets where libFuzzer is not available (g++ builds, CI): runs the target's
// LLVMFuzzerTestOneInput over every seed (the venue's fixture files whole, each message inside the
// cryptofeed captures and checksum vectors, a few built-in frames) and then over N seeded random mutations
// of them (bit flips, byte edits, deletions, duplications, splices, truncations). Deterministic per seed.
//   usage: fuzz_<venue>_parse_driver VENUE [FIXTURES_DIR] [ITERATIONS] [SEED]
#include <boost/json.hpp>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

void run(const std::string& input) {
  LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(input.data()), input.size());
}

// Message strings embedded in fixture files: cryptofeed `raw` entries and checksum `raw_message`s.
void collect_embedded(const json::value& v, std::vector<std::string>& out) {
  if (v.is_object()) {
    for (const auto& [key, child] : v.as_object()) {
      if ((key == "raw" || key == "raw_message") && child.is_string()) out.emplace_back(child.as_string());
      else collect_embedded(child, out);
    }
  } else if (v.is_array()) {
    for (const auto& child : v.as_array()) collect_embedded(child, out);
  }
}

std::vector<std::string> load_seeds(const std::string& venue, const fs::path& fixtures) {
  std::vector<std::string> seeds = {
      "", "{}", "[]", "pong", "null", R"({"result":null,"id":1})", R"({"op":"ping","success":true,"ret_msg":"pong"})",
      R"({"event":"subscribe","arg":{"channel":"books","instId":"BTC-USDT"}})",
  };
  std::error_code ec;
  if (!fs::is_directory(fixtures / venue, ec)) {
    std::printf("fixtures not found at %s: built-in seeds only\n", fixtures.c_str());
    return seeds;
  }
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(fixtures / venue))
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  for (const auto& path : files) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    std::string text = ss.str();
    boost::system::error_code jec;
    json::value v = json::parse(text, jec);
    if (!jec) collect_embedded(v, seeds);
    if (text.size() < 64 * 1024) seeds.push_back(std::move(text));
  }
  return seeds;
}

std::string mutate(const std::vector<std::string>& seeds, std::mt19937_64& rng) {
  static const std::string tokens[] = {"{", "}", "[", "]", "\"", ",", ":", "0", "-1", "1e999", "null", "true",
                                       "\"0\"", "\"-0.0\"", "\"1.0000000001\"", "18446744073709551616", "\\u0000", "\"\"",
                                       "[[\"1\",\"1\"]]", "\"snapshot\"", "\"delta\"", "\"update\""};
  std::string m = seeds[rng() % seeds.size()];
  const int edits = 1 + static_cast<int>(rng() % 6);
  for (int e = 0; e < edits; ++e) {
    const std::size_t at = m.empty() ? 0 : rng() % (m.size() + 1);
    switch (rng() % 7) {
      case 0:
        if (!m.empty()) m[at % m.size()] ^= static_cast<char>(1u << (rng() % 8));
        break;
      case 1:
        if (!m.empty()) m[at % m.size()] = static_cast<char>(rng() % 256);
        break;
      case 2:
        m.erase(at, 1 + rng() % 16);
        break;
      case 3:
        m.insert(at, tokens[rng() % std::size(tokens)]);
        break;
      case 4:
        if (!m.empty()) m.insert(at, m.substr(rng() % m.size(), rng() % 64));
        break;
      case 5: {
        const std::string& other = seeds[rng() % seeds.size()];
        if (!other.empty()) m = m.substr(0, at) + other.substr(rng() % other.size());
        break;
      }
      case 6:
        m.resize(at);
        break;
    }
  }
  return m;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s VENUE [FIXTURES_DIR] [ITERATIONS] [SEED]\n", argv[0]);
    return 2;
  }
  const std::string venue = argv[1];
  const char* env = std::getenv("TRADINGD_FIXTURES_DIR");
  const fs::path fixtures = argc > 2 ? fs::path(argv[2]) : fs::path(env ? env : "../shared/fixtures");
  const long iterations = argc > 3 ? std::atol(argv[3]) : 20000;
  const std::uint64_t seed = argc > 4 ? std::strtoull(argv[4], nullptr, 10) : 20260722;

  const auto seeds = load_seeds(venue, fixtures);
  for (const auto& s : seeds) {
    run(s);
    // Every truncation of the short seeds too: the classic partial-frame case.
    if (s.size() <= 512)
      for (std::size_t n = 0; n < s.size(); ++n) run(s.substr(0, n));
  }
  std::mt19937_64 rng(seed);
  for (long i = 0; i < iterations; ++i) run(mutate(seeds, rng));
  std::printf("%s: %zu seeds and %ld mutations ran clean (seed %llu)\n", venue.c_str(), seeds.size(), iterations,
              static_cast<unsigned long long>(seed));
  return 0;
}
