// OKX feed decoder (public and business connections): OkxParser plus one synchroniser per (instrument,
// book channel). The market kind of each instrument comes from its instId.
#pragma once

#include <memory>
#include <vector>

#include "exchange/book/okx_book_sync.h"
#include "exchange/decoder.h"
#include "exchange/okx/parse.h"

namespace tradingd {

class OkxDecoder final : public FeedDecoder {
 public:
  OkxDecoder(const InstrumentLookup& lookup, DecoderListener& listener);

  Venue venue() const override { return Venue::Okx; }
  void on_frame(std::string_view frame, UnixNanos ts_recv_ns, std::size_t buffer_capacity = 0) override;
  // A REST `/api/v5/market/books` body: resets the instrument's deepest book (seqId chaining continues
  // from the snapshot's seqId when the venue sends one).
  void on_book_snapshot(std::string_view body, const InstrumentId& instrument, UnixNanos ts_recv_ns) override;
  void reset_book(const InstrumentId& instrument) override;
  const OrderBook* book(const InstrumentId& instrument) const override;
  const BookSyncStats* book_stats(const InstrumentId& instrument) const override;

 private:
  struct Entry {
    OkxBookChannel channel;
    std::unique_ptr<OkxBookSync> sync;
  };
  OkxBookSync& sync_for(const InstrumentId& instrument, OkxBookChannel channel);
  const Entry* deepest(const InstrumentId& instrument) const;
  void on_book(const OkxBook& book, UnixNanos ts_recv_ns);

  OkxParser parser_;
  const InstrumentLookup& lookup_;
  DecoderListener& listener_;
  std::vector<Entry> syncs_;
};

}  // namespace tradingd
