// Process metrics read from /proc at scrape time, under the names every Prometheus client library uses
// (process_cpu_seconds_total, process_resident_memory_bytes, ...), so stock dashboards and alerts work.
// The parsers are pure and unit-tested; ProcessCollector does the reading. Linux only.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include <prometheus/collectable.h>
#include <prometheus/metric_family.h>

namespace tradingd::daemon {

struct ProcSelfStat {
  std::uint64_t utime_ticks = 0;
  std::uint64_t stime_ticks = 0;
  std::uint64_t vsize_bytes = 0;
  std::uint64_t rss_pages = 0;
};
// /proc/self/stat. The command name (field 2) may hold spaces and parentheses: fields are counted from the
// last ')'.
std::optional<ProcSelfStat> parse_proc_self_stat(std::string_view text);
// The soft limit of the "Max open files" line of /proc/self/limits; nullopt for "unlimited" or absent.
std::optional<std::uint64_t> parse_max_open_files(std::string_view limits);

class ProcessCollector final : public prometheus::Collectable {
 public:
  // start_time_unix_s: when the process started. Taken by the caller at startup rather than from /proc/stat's
  // boot time, which the service's ProcSubset=pid hides.
  explicit ProcessCollector(double start_time_unix_s);
  std::vector<prometheus::MetricFamily> Collect() const override;

 private:
  double start_time_unix_s_;
  double ticks_per_second_;
  double page_size_bytes_;
};

}  // namespace tradingd::daemon
