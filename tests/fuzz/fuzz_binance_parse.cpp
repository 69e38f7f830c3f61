// libFuzzer target for the Binance parsers: each input goes through the WebSocket parser on both market
// kinds, the REST depth-snapshot and exchangeInfo parsers, and a live decoder (so sequences of inputs also
// exercise the spot and USD-M book synchronisers). Nothing may crash, leak or trip the sanitizers.
#include <string_view>

#include "exchange/binance/parse.h"
#include "tests/fuzz/fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace tradingd;
  static const auto symbols = {std::string_view("BTCUSDT"), std::string_view("ETHUSDT"), std::string_view("SUSHIUSDT"),
                               std::string_view("BNBBTC"), std::string_view("ETHBTC")};
  static InstrumentLookup perp_lookup = fuzz::make_lookup(Venue::Binance, symbols, MarketKind::LinearPerp);
  static InstrumentLookup spot_lookup = fuzz::make_lookup(Venue::Binance, symbols, MarketKind::Spot);
  static InstrumentLookup any(Venue::Binance, /*accept_unknown=*/true);
  static BinanceParser parser(MarketKind::LinearPerp);
  static fuzz::NullListener listener;
  static auto perp = make_feed_decoder(Venue::Binance, MarketKind::LinearPerp, perp_lookup, listener);
  static auto spot = make_feed_decoder(Venue::Binance, MarketKind::Spot, spot_lookup, listener);

  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)parser.parse(text, any, 1);
  (void)parser.parse_depth_snapshot(text, InstrumentId{Venue::Binance, MarketKind::LinearPerp, Symbol::from("BTCUSDT")}, 1);
  (void)parse_binance_exchange_info(text, MarketKind::Spot);
  perp->on_frame(text, 1);
  spot->on_frame(text, 1);
  // A body that parses as a depth snapshot is also handed to the books, as after a resync request.
  perp->on_book_snapshot(text, InstrumentId{Venue::Binance, MarketKind::LinearPerp, Symbol::from("BTCUSDT")}, 1);
  spot->on_book_snapshot(text, InstrumentId{Venue::Binance, MarketKind::Spot, Symbol::from("BNBBTC")}, 1);
  fuzz::check_books(*perp, perp_lookup, MarketKind::LinearPerp, symbols);
  fuzz::check_books(*spot, spot_lookup, MarketKind::Spot, symbols);
  return 0;
}
