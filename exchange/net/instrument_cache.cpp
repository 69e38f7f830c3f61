// Instrument cache files (see instrument_cache.h).
#include "exchange/net/instrument_cache.h"

#include <charconv>
#include <fstream>
#include <sstream>
#include <system_error>

#include <unistd.h>

namespace tradingd::net {
namespace {
constexpr std::string_view kHeader = "tradingd-instrument-cache 1\n";
}

std::filesystem::path instrument_cache_path(const std::filesystem::path& dir, std::string_view venue,
                                            std::string_view market) {
  return dir / (std::string(venue) + "-" + std::string(market) + ".instruments");
}

Result<bool, std::string> write_instrument_cache(const std::filesystem::path& file, const std::vector<std::string>& pages) {
  std::error_code ec;
  if (file.has_parent_path()) std::filesystem::create_directories(file.parent_path(), ec);
  if (ec) return Err{"cannot create " + file.parent_path().string() + ": " + ec.message()};
  auto tmp = file;
  tmp += ".tmp" + std::to_string(static_cast<long>(::getpid()));
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << kHeader;
    for (const auto& p : pages) out << "page " << p.size() << '\n' << p << '\n';
    out.flush();
    if (!out) {
      std::filesystem::remove(tmp, ec);
      return Err{"cannot write " + tmp.string()};
    }
  }
  std::filesystem::rename(tmp, file, ec);
  if (ec) {
    std::filesystem::remove(tmp, ec);
    return Err{"cannot rename " + tmp.string() + " to " + file.string()};
  }
  return true;
}

Result<std::vector<std::string>, std::string> read_instrument_cache(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return Err{"no instrument cache at " + file.string()};
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string all = ss.str();
  std::string_view rest(all);
  if (!rest.starts_with(kHeader)) return Err{"not an instrument cache: " + file.string()};
  rest.remove_prefix(kHeader.size());
  std::vector<std::string> pages;
  while (!rest.empty()) {
    if (!rest.starts_with("page ")) return Err{"corrupt instrument cache: " + file.string()};
    rest.remove_prefix(5);
    std::size_t len = 0;
    auto [p, e] = std::from_chars(rest.data(), rest.data() + rest.size(), len);
    if (e != std::errc{} || p == rest.data() + rest.size() || *p != '\n') return Err{"corrupt instrument cache: " + file.string()};
    rest.remove_prefix(static_cast<std::size_t>(p - rest.data()) + 1);
    if (rest.size() < len + 1 || rest[len] != '\n') return Err{"truncated instrument cache: " + file.string()};
    pages.emplace_back(rest.substr(0, len));
    rest.remove_prefix(len + 1);
  }
  if (pages.empty()) return Err{"empty instrument cache: " + file.string()};
  return pages;
}

}  // namespace tradingd::net
