// Per-stream staleness: each tracked stream (an instrument's feed) goes Stale when no message arrived for
// stale_after_ms, once per silent stretch, and fresh again on its next message. Pure: the caller passes
// monotonic time and polls from its own timer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace tradingd::net {

class StalenessTracker {
 public:
  explicit StalenessTracker(std::int64_t stale_after_ms) : stale_after_ms_(stale_after_ms) {}

  // Adds a stream whose clock starts at now_ms; returns its index.
  std::size_t add(std::int64_t now_ms) {
    entries_.push_back(Entry{now_ms, false});
    return entries_.size() - 1;
  }
  std::size_t size() const { return entries_.size(); }
  std::int64_t stale_after_ms() const { return stale_after_ms_; }

  // A message for stream i; returns true when it was stale (the caller reports it fresh again).
  bool on_message(std::size_t i, std::int64_t now_ms) {
    Entry& e = entries_[i];
    if (now_ms > e.last_ms) e.last_ms = now_ms;
    const bool was_stale = e.stale;
    e.stale = false;
    return was_stale;
  }
  // Restarts every clock (after a reconnect: give the new subscription stale_after_ms to deliver).
  void restart_all(std::int64_t now_ms) {
    for (auto& e : entries_) e = Entry{now_ms, false};
  }
  // Calls on_stale(i) for each stream that just crossed the limit; each silent stretch reports once.
  template <class F>
  void poll(std::int64_t now_ms, F&& on_stale) {
    if (stale_after_ms_ <= 0) return;
    for (std::size_t i = 0; i < entries_.size(); ++i) {
      Entry& e = entries_[i];
      if (!e.stale && now_ms - e.last_ms >= stale_after_ms_) {
        e.stale = true;
        on_stale(i);
      }
    }
  }
  bool is_stale(std::size_t i) const { return entries_[i].stale; }
  std::int64_t last_message_ms(std::size_t i) const { return entries_[i].last_ms; }

 private:
  struct Entry {
    std::int64_t last_ms;
    bool stale;
  };
  std::int64_t stale_after_ms_;
  std::vector<Entry> entries_;
};

}  // namespace tradingd::net
