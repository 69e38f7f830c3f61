// prefer_huge_pages: advice on whole 2 MiB pages inside a buffer, never on anything around it, and never
// a change to what the buffer holds.
#include "core/huge_pages.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <vector>

namespace tradingd {
namespace {

TEST(HugePages, BuffersThatCannotHoldAHugePageGetNoAdvice) {
  EXPECT_FALSE(prefer_huge_pages(nullptr, 64u << 20));
  std::vector<std::uint64_t> small(1024);
  EXPECT_FALSE(prefer_huge_pages(small));
  // Large enough in bytes but straddling a boundary without a whole huge page inside: nothing to advise.
  alignas(16) static char straddling[kHugePageBytes];
  const auto begin = reinterpret_cast<std::uintptr_t>(straddling);
  if (begin % kHugePageBytes != 0) {
    EXPECT_FALSE(prefer_huge_pages(straddling, sizeof straddling));
  }
}

TEST(HugePages, AdviceKeepsTheContents) {
  std::vector<std::uint64_t> big;
  big.reserve((8u << 20) / sizeof(std::uint64_t));
  for (std::uint64_t i = 0; i < 1000; ++i) big.push_back(i * 7);
  const bool advised = prefer_huge_pages(big);
#if defined(__linux__)
  // Whole huge pages lie inside 8 MiB wherever it starts; a kernel built with THP takes the advice (in any
  // of its modes), one without it refuses with EINVAL.
  if (std::filesystem::exists("/sys/kernel/mm/transparent_hugepage/enabled")) {
    EXPECT_TRUE(advised);
  }
#else
  EXPECT_FALSE(advised);
#endif
  for (std::uint64_t i = 0; i < 1000; ++i) ASSERT_EQ(big[i], i * 7);
  big.resize(big.capacity(), 1);  // the advised pages are written and read like any others
  EXPECT_EQ(big.back(), 1u);
  EXPECT_EQ(big[999], 999u * 7);
}

}  // namespace
}  // namespace tradingd
