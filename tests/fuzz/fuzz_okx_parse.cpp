// libFuzzer target for the OKX parsers: the WebSocket parser, the REST books and instruments parsers, and
// a live decoder (seqId/prevSeqId continuity, checksum over the original strings) fed every input in turn.
#include <string_view>

#include "exchange/okx/parse.h"
#include "tests/fuzz/fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace tradingd;
  static const auto spot_symbols = {std::string_view("BTC-USDT"), std::string_view("BTC-USD")};
  static const auto swap_symbols = {std::string_view("BTC-USDT-SWAP"), std::string_view("UNI-USD-SWAP")};
  static InstrumentLookup lookup = [] {
    InstrumentLookup l(Venue::Okx);
    for (auto s : spot_symbols) l.add(InstrumentId{Venue::Okx, MarketKind::Spot, *Symbol::make(s)});
    for (auto s : swap_symbols) l.add(InstrumentId{Venue::Okx, MarketKind::LinearPerp, *Symbol::make(s)});
    return l;
  }();
  static InstrumentLookup any(Venue::Okx, /*accept_unknown=*/true);
  static OkxParser parser;
  static fuzz::NullListener listener;
  static auto decoder = make_feed_decoder(Venue::Okx, MarketKind::Spot, lookup, listener);

  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)parser.parse(text, any, 1);
  (void)parser.parse_books_snapshot(text, InstrumentId{Venue::Okx, MarketKind::Spot, Symbol::from("BTC-USDT")}, 1);
  (void)parse_okx_instruments(text);
  decoder->on_frame(text, 1);
  decoder->on_book_snapshot(text, InstrumentId{Venue::Okx, MarketKind::LinearPerp, Symbol::from("UNI-USD-SWAP")}, 1);
  fuzz::check_books(*decoder, lookup, MarketKind::Spot, spot_symbols);
  fuzz::check_books(*decoder, lookup, MarketKind::LinearPerp, swap_symbols);
  return 0;
}
