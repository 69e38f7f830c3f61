// Progress bar and log-line formatting, and the rate-limited reporter.
#include "backtest/progress.h"

#include <unistd.h>

#include <cstdio>

namespace tradingd::backtest {
namespace {

std::string human_rate(double per_s) {
  char buf[32];
  if (per_s >= 1e6)
    std::snprintf(buf, sizeof buf, "%.1fM", per_s / 1e6);
  else if (per_s >= 1e3)
    std::snprintf(buf, sizeof buf, "%.1fk", per_s / 1e3);
  else
    std::snprintf(buf, sizeof buf, "%.1f", per_s);
  return buf;
}

std::string grouped(std::uint64_t v) {
  std::string d = std::to_string(v), out;
  for (std::size_t i = 0; i < d.size(); ++i) {
    if (i > 0 && (d.size() - i) % 3 == 0) out += ',';
    out += d[i];
  }
  return out;
}

std::string hms(std::int64_t s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%lld:%02lld:%02lld", static_cast<long long>(s / 3600),
                static_cast<long long>(s / 60 % 60), static_cast<long long>(s % 60));
  return buf;
}

double rate_per_s(std::uint64_t done, std::int64_t elapsed_ns) {
  return elapsed_ns > 0 ? static_cast<double>(done) * 1e9 / static_cast<double>(elapsed_ns) : 0.0;
}

}  // namespace

std::string format_progress_bar(std::string_view label, std::string_view unit, std::uint64_t done, std::uint64_t total,
                                std::int64_t elapsed_ns, int width) {
  std::string s(label);
  const double rate = rate_per_s(done, elapsed_ns);
  if (total > 0) {
    const std::uint64_t shown = done > total ? total : done;
    const int filled = static_cast<int>(static_cast<double>(shown) / static_cast<double>(total) * width);
    s += " [" + std::string(static_cast<std::size_t>(filled), '#') +
         std::string(static_cast<std::size_t>(width - filled), '-') + "]";
    char pct[16];
    std::snprintf(pct, sizeof pct, " %5.1f%%", 100.0 * static_cast<double>(shown) / static_cast<double>(total));
    s += pct;
    s += "  " + grouped(done) + "/" + grouped(total) + " " + std::string(unit);
  } else {
    s += "  " + grouped(done) + " " + std::string(unit);
  }
  if (elapsed_ns > 0) s += "  " + human_rate(rate) + " " + std::string(unit) + "/s";
  if (total > 0 && done < total && rate > 0)
    s += "  ETA " + hms(static_cast<std::int64_t>(static_cast<double>(total - done) / rate + 0.5));
  return s;
}

std::string format_progress_line(std::string_view label, std::uint64_t done, std::uint64_t total,
                                 std::int64_t elapsed_ns) {
  const double rate = rate_per_s(done, elapsed_ns);
  char buf[160];
  std::string s = "Progress label=" + std::string(label) + " done=" + std::to_string(done);
  if (total > 0) {
    std::snprintf(buf, sizeof buf, " total=%llu pct=%.1f", static_cast<unsigned long long>(total),
                  100.0 * static_cast<double>(done) / static_cast<double>(total));
    s += buf;
  }
  std::snprintf(buf, sizeof buf, " rate_per_s=%.0f", rate);
  s += buf;
  if (total > 0 && done < total && rate > 0)
    s += " eta_s=" + std::to_string(static_cast<long long>(static_cast<double>(total - done) / rate + 0.5));
  return s;
}

ProgressReporter::ProgressReporter(std::uint64_t total, ProgressOptions options, const Clock& clock, Writer write)
    : total_(total),
      options_(std::move(options)),
      clock_(clock),
      write_(std::move(write)),
      start_ns_(clock.monotonic_ns()),
      last_emit_ns_(start_ns_) {}

ProgressReporter ProgressReporter::to_stderr(std::uint64_t total, std::string label, std::string unit,
                                             const Clock& clock) {
  ProgressOptions o;
  o.label = std::move(label);
  o.unit = std::move(unit);
  o.terminal = ::isatty(STDERR_FILENO) == 1;
  return ProgressReporter(total, std::move(o), clock, [](std::string_view text) {
    std::fwrite(text.data(), 1, text.size(), stderr);
    std::fflush(stderr);
  });
}

void ProgressReporter::maybe_emit(bool force) {
  const std::int64_t now = clock_.monotonic_ns();
  const std::int64_t interval = options_.terminal ? options_.redraw_interval_ns : options_.log_interval_ns;
  if (!force && now - last_emit_ns_ < interval) return;
  last_emit_ns_ = now;
  const std::int64_t elapsed = now - start_ns_;
  if (options_.terminal) {
    // Carriage return, the bar, then clear whatever a longer previous bar left on the line.
    write_("\r" + format_progress_bar(options_.label, options_.unit, done_, total_, elapsed, options_.bar_width) +
           "\x1b[K");
  } else {
    write_(format_progress_line(options_.label, done_, total_, elapsed) + "\n");
  }
}

void ProgressReporter::advance(std::uint64_t n) {
  std::lock_guard lock(mutex_);
  done_ += n;
  if (!finished_) maybe_emit(false);
}

void ProgressReporter::set(std::uint64_t done) {
  std::lock_guard lock(mutex_);
  done_ = done;
  if (!finished_) maybe_emit(false);
}

void ProgressReporter::finish() {
  std::lock_guard lock(mutex_);
  if (finished_) return;
  finished_ = true;
  maybe_emit(true);
  if (options_.terminal) write_("\n");
}

}  // namespace tradingd::backtest
