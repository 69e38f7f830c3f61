// FrameFeed: decoders per (venue, market), events forwarded to the sink (frame_feed.h).
#include "backtest/frame_feed.h"

#include "exchange/decoder.h"
#include "exchange/instrument_lookup.h"

namespace tradingd::backtest {
namespace {

class Forwarder final : public DecoderListener {
 public:
  explicit Forwarder(MarketDataSink& sink) : sink_(sink) {}
  void on_trade(const TradeTick& t) override { sink_.on_trade(t); }
  void on_quote(const QuoteTick& q) override { sink_.on_quote(q); }
  void on_book(const BookUpdate& u) override { sink_.on_book(u); }
  void on_bar(const Bar& b) override { sink_.on_bar(b); }
  void on_mark_price(const MarkPriceUpdate& m) override { sink_.on_mark_price(m); }
  void on_funding_rate(const FundingRateUpdate& f) override { sink_.on_funding_rate(f); }

 private:
  MarketDataSink& sink_;
};

struct Slot {
  Venue venue;
  MarketKind kind;
  InstrumentLookup lookup;
  std::unique_ptr<FeedDecoder> decoder;
};

}  // namespace

struct FrameFeed::Impl {
  std::vector<InstrumentId> instruments;
  Forwarder forwarder;
  std::vector<std::unique_ptr<Slot>> slots;
};

FrameFeed::FrameFeed(std::vector<InstrumentId> instruments, MarketDataSink& sink)
    : impl_(std::make_unique<Impl>(Impl{std::move(instruments), Forwarder(sink), {}})) {}

FrameFeed::~FrameFeed() = default;

void FrameFeed::on_frame(Venue venue, MarketKind kind, std::string_view frame, UnixNanos ts_recv_ns) {
  Slot* slot = nullptr;
  for (const auto& s : impl_->slots)
    if (s->venue == venue && (s->kind == kind || venue == Venue::Okx)) slot = s.get();
  if (slot == nullptr) {
    auto s = std::make_unique<Slot>(Slot{venue, kind, InstrumentLookup(venue), nullptr});
    for (const auto& id : impl_->instruments)
      if (id.venue == venue) s->lookup.add(id);
    s->decoder = make_feed_decoder(venue, kind, s->lookup, impl_->forwarder);
    impl_->slots.push_back(std::move(s));
    slot = impl_->slots.back().get();
  }
  if (slot->decoder) slot->decoder->on_frame(frame, ts_recv_ns);
}

std::uint64_t FrameFeed::rejected() const {
  std::uint64_t n = 0;
  for (const auto& s : impl_->slots)
    if (s->decoder) n += s->decoder->stats().rejected;
  return n;
}

}  // namespace tradingd::backtest
