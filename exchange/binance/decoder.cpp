// Binance feed decoder: dispatch of parsed frames to the sink and the per-instrument synchronisers.
#include "exchange/binance/decoder.h"

namespace tradingd {

BinanceDecoder::BinanceDecoder(MarketKind kind, const InstrumentLookup& lookup, DecoderListener& listener)
    : parser_(kind), lookup_(lookup), listener_(listener) {}

BinanceBookSync* BinanceDecoder::find(const InstrumentId& instrument) const {
  for (const auto& s : syncs_)
    if (s->book().instrument() == instrument) return s.get();
  return nullptr;
}

BinanceBookSync& BinanceDecoder::sync_for(const InstrumentId& instrument) {
  if (auto* s = find(instrument)) return *s;
  if (parser_.kind() == MarketKind::LinearPerp)
    syncs_.push_back(std::make_unique<BinanceUsdmBookSync>(instrument));
  else
    syncs_.push_back(std::make_unique<BinanceSpotBookSync>(instrument));
  return *syncs_.back();
}

const OrderBook* BinanceDecoder::book(const InstrumentId& instrument) const {
  const auto* s = find(instrument);
  return s ? &s->book() : nullptr;
}

const BookSyncStats* BinanceDecoder::book_stats(const InstrumentId& instrument) const {
  const auto* s = find(instrument);
  return s ? &s->stats() : nullptr;
}

void BinanceDecoder::report(const InstrumentId& instrument, const SyncResult& result, UnixNanos ts_recv_ns) {
  if (!result.needs_resync()) return;
  ++stats_.resyncs_requested;
  listener_.on_book_sync(instrument, result, ts_recv_ns);
}

void BinanceDecoder::on_frame(std::string_view frame, UnixNanos ts_recv_ns, std::size_t buffer_capacity) {
  ++stats_.frames;
  auto parsed = parser_.parse(frame, lookup_, ts_recv_ns, buffer_capacity);
  if (!parsed) {
    ++stats_.rejected;
    listener_.on_rejected(parsed.error(), frame, ts_recv_ns);
    return;
  }
  auto& msg = *parsed;
  if (auto* depth = std::get_if<BinanceDepthUpdate>(&msg)) {
    ++stats_.book_messages;
    report(depth->instrument, sync_for(depth->instrument).on_update(*depth, &listener_), ts_recv_ns);
  } else if (auto* trade = std::get_if<TradeTick>(&msg)) {
    ++stats_.trades;
    listener_.on_trade(*trade);
  } else if (auto* quote = std::get_if<QuoteTick>(&msg)) {
    ++stats_.quotes;
    listener_.on_quote(*quote);
  } else if (auto* bar = std::get_if<Bar>(&msg)) {
    ++stats_.bars;
    listener_.on_bar(*bar);
  } else if (auto* mark = std::get_if<BinanceMarkPrice>(&msg)) {
    ++stats_.mark_prices;
    listener_.on_mark_price(mark->mark);
    if (mark->funding) {
      ++stats_.funding_rates;
      listener_.on_funding_rate(*mark->funding);
    }
  } else if (auto* control = std::get_if<ControlMessage>(&msg)) {
    ++stats_.controls;
    listener_.on_control(*control, ts_recv_ns);
  }
}

void BinanceDecoder::on_book_snapshot(std::string_view body, const InstrumentId& instrument, UnixNanos ts_recv_ns) {
  auto snapshot = parser_.parse_depth_snapshot(body, instrument, ts_recv_ns);
  if (!snapshot) {
    ++stats_.rejected;
    listener_.on_rejected(snapshot.error(), body, ts_recv_ns);
    return;
  }
  ++stats_.book_messages;
  report(instrument, sync_for(instrument).on_snapshot(*snapshot, &listener_), ts_recv_ns);
}

}  // namespace tradingd
