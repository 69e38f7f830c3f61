// Reading /proc for the process metrics. A file that cannot be read just leaves its metric out of the
// scrape (a missing series alerts better than a made-up zero).
#include "daemon/process_metrics.h"

#include <unistd.h>

#include <charconv>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace tradingd::daemon {
namespace {

std::optional<std::uint64_t> to_u64(std::string_view s) {
  std::uint64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || p != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

// Whitespace-separated fields.
std::vector<std::string_view> split_fields(std::string_view s) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n')) ++i;
    std::size_t j = i;
    while (j < s.size() && s[j] != ' ' && s[j] != '\t' && s[j] != '\n') ++j;
    if (j > i) out.push_back(s.substr(i, j - i));
    i = j;
  }
  return out;
}

std::optional<std::string> slurp(const char* path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

prometheus::MetricFamily gauge(std::string name, std::string help, double value) {
  prometheus::MetricFamily f{std::move(name), std::move(help), prometheus::MetricType::Gauge, {}};
  f.metric.emplace_back().gauge.value = value;
  return f;
}

}  // namespace

std::optional<ProcSelfStat> parse_proc_self_stat(std::string_view text) {
  const auto close = text.rfind(')');
  if (close == std::string_view::npos) return std::nullopt;
  // Field 3 (state) is fields[0]; field N is fields[N - 3].
  const auto fields = split_fields(text.substr(close + 1));
  if (fields.size() < 22) return std::nullopt;
  ProcSelfStat s;
  auto utime = to_u64(fields[14 - 3]), stime = to_u64(fields[15 - 3]),
       vsize = to_u64(fields[23 - 3]), rss = to_u64(fields[24 - 3]);
  if (!utime || !stime || !vsize || !rss) return std::nullopt;
  s.utime_ticks = *utime;
  s.stime_ticks = *stime;
  s.vsize_bytes = *vsize;
  s.rss_pages = *rss;
  return s;
}

std::optional<std::uint64_t> parse_max_open_files(std::string_view limits) {
  constexpr std::string_view kKey = "Max open files";
  const auto at = limits.find(kKey);
  if (at == std::string_view::npos) return std::nullopt;
  std::string_view line = limits.substr(at + kKey.size());
  line = line.substr(0, line.find('\n'));
  const auto f = split_fields(line);
  return f.empty() ? std::nullopt : to_u64(f[0]);  // "unlimited" does not parse: nullopt
}

ProcessCollector::ProcessCollector(double start_time_unix_s)
    : start_time_unix_s_(start_time_unix_s),
      ticks_per_second_(static_cast<double>(::sysconf(_SC_CLK_TCK))),
      page_size_bytes_(static_cast<double>(::sysconf(_SC_PAGESIZE))) {}

std::vector<prometheus::MetricFamily> ProcessCollector::Collect() const {
  std::vector<prometheus::MetricFamily> out;
  const auto stat_text = slurp("/proc/self/stat");
  const auto stat = stat_text ? parse_proc_self_stat(*stat_text) : std::nullopt;
  if (stat) {
    prometheus::MetricFamily cpu{"process_cpu_seconds_total", "Total user and system CPU time spent in seconds.",
                                 prometheus::MetricType::Counter, {}};
    cpu.metric.emplace_back().counter.value =
        static_cast<double>(stat->utime_ticks + stat->stime_ticks) / ticks_per_second_;
    out.push_back(std::move(cpu));
    out.push_back(gauge("process_resident_memory_bytes", "Resident memory size in bytes.",
                        static_cast<double>(stat->rss_pages) * page_size_bytes_));
    out.push_back(gauge("process_virtual_memory_bytes", "Virtual memory size in bytes.",
                        static_cast<double>(stat->vsize_bytes)));
  }
  out.push_back(
      gauge("process_start_time_seconds", "Start time of the process since unix epoch in seconds.", start_time_unix_s_));
  std::error_code ec;
  std::size_t fds = 0;
  for (std::filesystem::directory_iterator it("/proc/self/fd", ec), end; !ec && it != end; it.increment(ec)) ++fds;
  // The directory iterator's own descriptor is counted too; it is gone once the scrape is done.
  if (!ec && fds > 0) out.push_back(gauge("process_open_fds", "Number of open file descriptors.", static_cast<double>(fds - 1)));
  const auto limits = slurp("/proc/self/limits");
  if (auto max_fds = limits ? parse_max_open_files(*limits) : std::nullopt)
    out.push_back(gauge("process_max_fds", "Maximum number of open file descriptors.", static_cast<double>(*max_fds)));
  return out;
}

}  // namespace tradingd::daemon
