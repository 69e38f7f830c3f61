// The merge keeps one buffered head event per source and picks the smallest (ts, index) by a linear scan:
// backtests merge a handful of sources, where a scan beats a heap and makes the tie rule obvious.
#include "backtest/merge.h"

namespace tradingd::backtest {
namespace {

class BarSource final : public EventSource {
 public:
  explicit BarSource(std::unique_ptr<BarReader> reader) : reader_(std::move(reader)) {}
  ReadStatus next(HistoricalEvent& out) override {
    if (!std::holds_alternative<Bar>(out.payload)) out.payload.emplace<Bar>();
    Bar& bar = std::get<Bar>(out.payload);
    const ReadStatus s = reader_->next(bar);
    if (s == ReadStatus::Item) out.ts_ns = bar.ts_close_ns();
    return s;
  }
  const LoadError& error() const override { return reader_->error(); }
  const std::string& name() const override { return reader_->path(); }

 private:
  std::unique_ptr<BarReader> reader_;
};

class FrameSource final : public EventSource {
 public:
  FrameSource(FrameReader reader, FrameTimestamper ts) : reader_(std::move(reader)), ts_(std::move(ts)) {}
  ReadStatus next(HistoricalEvent& out) override {
    if (!std::holds_alternative<RawFrame>(out.payload)) out.payload.emplace<RawFrame>();
    RawFrame& frame = std::get<RawFrame>(out.payload);
    const ReadStatus s = reader_.next(frame);
    if (s != ReadStatus::Item) return s;
    if (ts_) {
      if (auto t = ts_(frame.venue, frame.text); t && *t > last_ns_) last_ns_ = *t;
    }
    out.ts_ns = last_ns_;
    return s;
  }
  const LoadError& error() const override { return reader_.error(); }
  const std::string& name() const override { return reader_.path(); }

 private:
  FrameReader reader_;
  FrameTimestamper ts_;
  UnixNanos last_ns_ = 0;
};

class VectorSource final : public EventSource {
 public:
  VectorSource(std::string name, std::vector<HistoricalEvent> events)
      : name_(std::move(name)), events_(std::move(events)) {}
  ReadStatus next(HistoricalEvent& out) override {
    if (i_ == events_.size()) return ReadStatus::End;
    out = std::move(events_[i_++]);
    return ReadStatus::Item;
  }
  const LoadError& error() const override { return error_; }
  const std::string& name() const override { return name_; }

 private:
  std::string name_;
  std::vector<HistoricalEvent> events_;
  std::size_t i_ = 0;
  LoadError error_;
};

}  // namespace

std::unique_ptr<EventSource> make_bar_source(std::unique_ptr<BarReader> reader) {
  return std::make_unique<BarSource>(std::move(reader));
}
std::unique_ptr<EventSource> make_frame_source(FrameReader reader, FrameTimestamper timestamper) {
  return std::make_unique<FrameSource>(std::move(reader), std::move(timestamper));
}
std::unique_ptr<EventSource> make_vector_source(std::string name, std::vector<HistoricalEvent> events) {
  return std::make_unique<VectorSource>(std::move(name), std::move(events));
}

std::uint32_t EventMerger::add(std::unique_ptr<EventSource> source) {
  sources_.push_back(Slot{std::move(source), {}, false});
  const auto index = static_cast<std::uint32_t>(sources_.size() - 1);
  if (primed_ && !failed_) refill(index);  // added mid-stream: joins from now on
  return index;
}

bool EventMerger::refill(std::uint32_t index) {
  Slot& slot = sources_[index];
  const bool had_head = slot.live;
  const UnixNanos prev_ns = slot.head.ts_ns;
  const ReadStatus s = slot.source->next(slot.head);
  slot.head.source = index;
  slot.live = s == ReadStatus::Item;
  if (s == ReadStatus::Error) {
    failed_ = true;
    error_ = slot.source->error();
    return false;
  }
  if (slot.live && had_head && slot.head.ts_ns < prev_ns) {
    failed_ = true;
    error_ = LoadError{
        slot.source->name(), 0,
        "events go back in time (" + format_iso8601(slot.head.ts_ns) + " after " + format_iso8601(prev_ns) + ")"};
    return false;
  }
  return true;
}

ReadStatus EventMerger::next(HistoricalEvent& out) {
  if (failed_) return ReadStatus::Error;
  if (!primed_) {
    primed_ = true;
    for (std::uint32_t i = 0; i < sources_.size(); ++i)
      if (!refill(i)) return ReadStatus::Error;
  }
  std::size_t best = sources_.size();
  for (std::size_t i = 0; i < sources_.size(); ++i) {
    if (!sources_[i].live) continue;
    if (best == sources_.size() || sources_[i].head.ts_ns < sources_[best].head.ts_ns)
      best = i;  // '<': ties keep the lower index
  }
  if (best == sources_.size()) return ReadStatus::End;
  std::swap(out, sources_[best].head);
  // The slot now holds the caller's old event; its ts is the one just returned, for the monotonic check.
  sources_[best].head.ts_ns = out.ts_ns;
  refill(static_cast<std::uint32_t>(best));  // an error here surfaces on the next call; this event is good
  return ReadStatus::Item;
}

}  // namespace tradingd::backtest
