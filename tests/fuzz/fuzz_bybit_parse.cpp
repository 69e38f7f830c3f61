// libFuzzer target for the Bybit parsers: the WebSocket parser, the REST orderbook and instruments-info
// parsers, and a live decoder (book synchronisers, ticker merge) fed every input in turn.
#include <string_view>

#include "exchange/bybit/parse.h"
#include "tests/fuzz/fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace tradingd;
  static const auto symbols = {std::string_view("BTCUSDT"), std::string_view("ETHUSDT")};
  static InstrumentLookup lookup = fuzz::make_lookup(Venue::Bybit, symbols, MarketKind::LinearPerp);
  static InstrumentLookup any(Venue::Bybit, /*accept_unknown=*/true);
  static BybitParser parser(MarketKind::LinearPerp);
  static fuzz::NullListener listener;
  static auto decoder = make_feed_decoder(Venue::Bybit, MarketKind::LinearPerp, lookup, listener);

  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)parser.parse(text, any, 1);
  (void)parser.parse_orderbook_snapshot(text, any, 1);
  (void)parse_bybit_instruments(text, MarketKind::Spot);
  decoder->on_frame(text, 1);
  decoder->on_book_snapshot(text, InstrumentId{Venue::Bybit, MarketKind::LinearPerp, Symbol::from("BTCUSDT")}, 1);
  fuzz::check_books(*decoder, lookup, MarketKind::LinearPerp, symbols);
  return 0;
}
