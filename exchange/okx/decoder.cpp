// OKX feed decoder: dispatch of parsed frames to the sink and the per-(instrument, channel) synchronisers.
#include "exchange/okx/decoder.h"

namespace tradingd {

OkxDecoder::OkxDecoder(const InstrumentLookup& lookup, DecoderListener& listener)
    : lookup_(lookup), listener_(listener) {}

OkxBookSync& OkxDecoder::sync_for(const InstrumentId& instrument, OkxBookChannel channel) {
  for (auto& e : syncs_)
    if (e.channel == channel && e.sync->book().instrument() == instrument) return *e.sync;
  syncs_.push_back(Entry{channel, std::make_unique<OkxBookSync>(instrument)});
  return *syncs_.back().sync;
}

const OkxDecoder::Entry* OkxDecoder::deepest(const InstrumentId& instrument) const {
  const Entry* best = nullptr;
  for (const auto& e : syncs_)
    if (e.sync->book().instrument() == instrument && (!best || depth_of(e.channel) > depth_of(best->channel))) best = &e;
  return best;
}

const OrderBook* OkxDecoder::book(const InstrumentId& instrument) const {
  const Entry* e = deepest(instrument);
  return e ? &e->sync->book() : nullptr;
}

const BookSyncStats* OkxDecoder::book_stats(const InstrumentId& instrument) const {
  const Entry* e = deepest(instrument);
  return e ? &e->sync->stats() : nullptr;
}

void OkxDecoder::reset_book(const InstrumentId& instrument) {
  for (auto& e : syncs_)
    if (e.sync->book().instrument() == instrument) e.sync->reset();
}

void OkxDecoder::on_book(const OkxBook& book, UnixNanos ts_recv_ns) {
  ++stats_.book_messages;
  const SyncResult r = sync_for(book.instrument, book.channel).on_message(book, &listener_);
  if (r.needs_resync()) {
    ++stats_.resyncs_requested;
    listener_.on_book_sync(book.instrument, r, ts_recv_ns);
  }
}

void OkxDecoder::on_frame(std::string_view frame, UnixNanos ts_recv_ns, std::size_t buffer_capacity) {
  ++stats_.frames;
  auto parsed = parser_.parse(frame, lookup_, ts_recv_ns, buffer_capacity);
  if (!parsed) {
    ++stats_.rejected;
    listener_.on_rejected(parsed.error(), frame, ts_recv_ns);
    return;
  }
  auto& msg = *parsed;
  if (auto* book = std::get_if<OkxBook>(&msg)) {
    on_book(*book, ts_recv_ns);
  } else if (auto* trades = std::get_if<OkxTrades>(&msg)) {
    for (const auto& t : trades->trades) {
      ++stats_.trades;
      listener_.on_trade(t);
    }
  } else if (auto* candles = std::get_if<OkxCandles>(&msg)) {
    for (const auto& b : candles->bars) {
      ++stats_.bars;
      listener_.on_bar(b);
    }
  } else if (auto* quote = std::get_if<QuoteTick>(&msg)) {
    ++stats_.quotes;
    listener_.on_quote(*quote);
  } else if (auto* mark = std::get_if<MarkPriceUpdate>(&msg)) {
    ++stats_.mark_prices;
    listener_.on_mark_price(*mark);
  } else if (auto* funding = std::get_if<FundingRateUpdate>(&msg)) {
    ++stats_.funding_rates;
    listener_.on_funding_rate(*funding);
  } else if (auto* control = std::get_if<ControlMessage>(&msg)) {
    ++stats_.controls;
    listener_.on_control(*control, ts_recv_ns);
  }
}

void OkxDecoder::on_book_snapshot(std::string_view body, const InstrumentId& instrument, UnixNanos ts_recv_ns) {
  auto snapshot = parser_.parse_books_snapshot(body, instrument, ts_recv_ns);
  if (!snapshot) {
    ++stats_.rejected;
    listener_.on_rejected(snapshot.error(), body, ts_recv_ns);
    return;
  }
  // It resets the instrument's deepest subscribed book (books, if none yet).
  if (const Entry* e = deepest(instrument)) snapshot->channel = e->channel;
  on_book(*snapshot, ts_recv_ns);
}

}  // namespace tradingd
