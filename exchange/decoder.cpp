// The decoder factory: the one place that maps a venue to its decoder.
#include "exchange/decoder.h"

#include "exchange/binance/decoder.h"
#include "exchange/bybit/decoder.h"
#include "exchange/okx/decoder.h"

namespace tradingd {

std::unique_ptr<FeedDecoder> make_feed_decoder(Venue venue, MarketKind kind, const InstrumentLookup& lookup,
                                               DecoderListener& listener) {
  switch (venue) {
    case Venue::Binance: return std::make_unique<BinanceDecoder>(kind, lookup, listener);
    case Venue::Bybit: return std::make_unique<BybitDecoder>(kind, lookup, listener);
    case Venue::Okx: return std::make_unique<OkxDecoder>(lookup, listener);
    case Venue::Simulated: break;
  }
  return nullptr;
}

}  // namespace tradingd
