// /proc parsers against captured texts (including a command name with spaces and parentheses), and the
// collector against this very process.
#include "daemon/process_metrics.h"

#include <gtest/gtest.h>

namespace tradingd::daemon {
namespace {

TEST(ProcessMetrics, ParsesProcSelfStatCountingFromTheLastParenthesis) {
  const std::string stat =
      "4242 (trading (d) x) S 1 4242 4242 0 -1 4194560 1234 0 0 0 250 75 0 0 20 0 3 0 123456 "
      "146038784 1659 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n";
  const auto s = parse_proc_self_stat(stat);
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->utime_ticks, 250u);
  EXPECT_EQ(s->stime_ticks, 75u);
  EXPECT_EQ(s->vsize_bytes, 146038784u);
  EXPECT_EQ(s->rss_pages, 1659u);
}

TEST(ProcessMetrics, RejectsTruncatedStat) {
  EXPECT_FALSE(parse_proc_self_stat("4242 (x) S 1 2 3").has_value());
  EXPECT_FALSE(parse_proc_self_stat("no parenthesis").has_value());
}

TEST(ProcessMetrics, ParsesMaxOpenFiles) {
  const std::string limits =
      "Limit                     Soft Limit           Hard Limit           Units     \n"
      "Max cpu time              unlimited            unlimited            seconds   \n"
      "Max open files            65536                524288               files     \n";
  EXPECT_EQ(parse_max_open_files(limits), 65536u);
  EXPECT_FALSE(parse_max_open_files("Max open files            unlimited  unlimited  files\n").has_value());
  EXPECT_FALSE(parse_max_open_files("").has_value());
}

TEST(ProcessMetrics, CollectsThisProcess) {
  ProcessCollector c(1700000000.5);
  std::map<std::string, double> values;
  for (const auto& f : c.Collect()) {
    ASSERT_EQ(f.metric.size(), 1u) << f.name;
    values[f.name] = f.type == prometheus::MetricType::Counter ? f.metric[0].counter.value : f.metric[0].gauge.value;
  }
  EXPECT_GT(values.at("process_resident_memory_bytes"), 0);
  EXPECT_GT(values.at("process_virtual_memory_bytes"), 0);
  EXPECT_GE(values.at("process_cpu_seconds_total"), 0);
  EXPECT_GE(values.at("process_open_fds"), 3);  // stdin, stdout, stderr at least
  EXPECT_GT(values.at("process_max_fds"), 0);
  EXPECT_EQ(values.at("process_start_time_seconds"), 1700000000.5);
}

}  // namespace
}  // namespace tradingd::daemon
