// Bybit feed decoder: dispatch of parsed frames to the sink and the per-(instrument, depth) synchronisers.
#include "exchange/bybit/decoder.h"

namespace tradingd {

BybitDecoder::BybitDecoder(MarketKind kind, const InstrumentLookup& lookup, DecoderListener& listener)
    : parser_(kind), lookup_(lookup), listener_(listener) {}

BybitBookSync& BybitDecoder::sync_for(const InstrumentId& instrument, std::uint32_t depth) {
  for (auto& e : syncs_)
    if (e.depth == depth && e.sync->book().instrument() == instrument) return *e.sync;
  syncs_.push_back(Entry{depth, std::make_unique<BybitBookSync>(instrument)});
  return *syncs_.back().sync;
}

const BybitDecoder::Entry* BybitDecoder::deepest(const InstrumentId& instrument) const {
  const Entry* best = nullptr;
  for (const auto& e : syncs_)
    if (e.sync->book().instrument() == instrument && (!best || e.depth > best->depth)) best = &e;
  return best;
}

const OrderBook* BybitDecoder::book(const InstrumentId& instrument) const {
  const Entry* e = deepest(instrument);
  return e ? &e->sync->book() : nullptr;
}

const BookSyncStats* BybitDecoder::book_stats(const InstrumentId& instrument) const {
  const Entry* e = deepest(instrument);
  return e ? &e->sync->stats() : nullptr;
}

void BybitDecoder::reset_book(const InstrumentId& instrument) {
  for (auto& e : syncs_)
    if (e.sync->book().instrument() == instrument) e.sync->reset();
}

void BybitDecoder::on_book(const BybitOrderbook& ob, UnixNanos ts_recv_ns) {
  ++stats_.book_messages;
  // A REST snapshot (depth 0) feeds the deepest subscribed book of the instrument.
  std::uint32_t depth = ob.depth;
  if (depth == 0) {
    const Entry* e = deepest(ob.instrument);
    depth = e ? e->depth : 0;
  }
  BybitBookSync& sync = sync_for(ob.instrument, depth);
  BybitOrderbook message = ob;
  message.depth = depth;  // a REST body is kept to the book's subscribed depth too
  const SyncResult r = sync.on_message(message, &listener_);
  if (r.needs_resync()) {
    ++stats_.resyncs_requested;
    listener_.on_book_sync(ob.instrument, r, ts_recv_ns);
    return;
  }
  const OrderBook& book = sync.book();
  if (depth == 1 && r.status == SyncStatus::Applied && book.best_bid() && book.best_ask()) {
    QuoteTick q;
    q.instrument = ob.instrument;
    q.bid_price = book.best_bid()->price;
    q.bid_size = book.best_bid()->size;
    q.ask_price = book.best_ask()->price;
    q.ask_size = book.best_ask()->size;
    q.ts_event_ns = ob.ts_event_ns;
    q.ts_recv_ns = ob.ts_recv_ns;
    ++stats_.quotes;
    listener_.on_quote(q);
  }
}

void BybitDecoder::on_frame(std::string_view frame, UnixNanos ts_recv_ns, std::size_t buffer_capacity) {
  ++stats_.frames;
  auto parsed = parser_.parse(frame, lookup_, ts_recv_ns, buffer_capacity);
  if (!parsed) {
    ++stats_.rejected;
    listener_.on_rejected(parsed.error(), frame, ts_recv_ns);
    return;
  }
  auto& msg = *parsed;
  if (auto* ob = std::get_if<BybitOrderbook>(&msg)) {
    on_book(*ob, ts_recv_ns);
  } else if (auto* trades = std::get_if<BybitTrades>(&msg)) {
    for (const auto& t : trades->trades) {
      ++stats_.trades;
      listener_.on_trade(t);
    }
  } else if (auto* klines = std::get_if<BybitKlines>(&msg)) {
    for (const auto& b : klines->bars) {
      ++stats_.bars;
      listener_.on_bar(b);
    }
  } else if (auto* ticker = std::get_if<BybitTicker>(&msg)) {
    const BybitTicker merged = tickers_.merge(*ticker);
    if ((ticker->mark_price || ticker->index_price) && merged.mark_price) {
      MarkPriceUpdate m;
      m.instrument = merged.instrument;
      m.mark_price = *merged.mark_price;
      m.index_price = merged.index_price.value_or(Price::zero());
      m.ts_event_ns = merged.ts_event_ns;
      m.ts_recv_ns = merged.ts_recv_ns;
      ++stats_.mark_prices;
      listener_.on_mark_price(m);
    }
    if ((ticker->funding_rate || ticker->next_funding_ns) && merged.funding_rate && merged.next_funding_ns) {
      FundingRateUpdate f;
      f.instrument = merged.instrument;
      f.rate = *merged.funding_rate;
      f.next_funding_ns = *merged.next_funding_ns;
      f.ts_event_ns = merged.ts_event_ns;
      f.ts_recv_ns = merged.ts_recv_ns;
      ++stats_.funding_rates;
      listener_.on_funding_rate(f);
    }
  } else if (auto* control = std::get_if<ControlMessage>(&msg)) {
    ++stats_.controls;
    listener_.on_control(*control, ts_recv_ns);
  }
}

void BybitDecoder::on_book_snapshot(std::string_view body, const InstrumentId& instrument, UnixNanos ts_recv_ns) {
  auto snapshot = parser_.parse_orderbook_snapshot(body, lookup_, ts_recv_ns);
  if (!snapshot || snapshot->instrument != instrument) {
    ++stats_.rejected;
    listener_.on_rejected(snapshot ? ParseError{ParseErrorCode::UnknownInstrument, "s"} : snapshot.error(), body,
                          ts_recv_ns);
    return;
  }
  on_book(*snapshot, ts_recv_ns);
}

}  // namespace tradingd
