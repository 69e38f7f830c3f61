// Binance public REST requests (see rest_client.h); parsing is the marketdata branch's parse.h.
#include "exchange/binance/rest_client.h"

#include "exchange/binance/parse.h"
#include "exchange/binance/urls.h"

namespace tradingd::binance {

std::string depth_snapshot_target(const InstrumentId& instrument, int limit) {
  const std::string_view path = instrument.kind == MarketKind::Spot ? kSpotDepthPath : kUsdmDepthPath;
  return std::string(path) + "?symbol=" + instrument.symbol.str() + "&limit=" + std::to_string(limit);
}

Result<std::unique_ptr<BinanceRestClient>, std::string> BinanceRestClient::create(boost::asio::io_context& io,
                                                                                  std::shared_ptr<net::TlsContext> tls,
                                                                                  const MarketDataEndpoints& endpoints,
                                                                                  net::HttpsOptions options) {
  auto spot = net::parse_url(endpoints.spot_rest);
  if (!spot.ok()) return Err{"binance spot REST URL: " + spot.error()};
  auto usdm = net::parse_url(endpoints.usdm_rest);
  if (!usdm.ok()) return Err{"binance USD-M REST URL: " + usdm.error()};
  auto c = std::unique_ptr<BinanceRestClient>(new BinanceRestClient());
  c->spot_ = std::make_unique<net::HttpsClient>(io, tls, *spot, options, c->spot_stats_);
  c->usdm_ = std::make_unique<net::HttpsClient>(io, tls, *usdm, options, c->usdm_stats_);
  return c;
}

void BinanceRestClient::fetch_instrument_pages(MarketKind kind, PagesCallback callback) {
  const std::string_view path = kind == MarketKind::Spot ? kSpotExchangeInfoPath : kUsdmExchangeInfoPath;
  net::get_body(client(kind), gate(kind), std::string(path), [callback = std::move(callback)](Result<std::string, std::string> r) {
    if (!r.ok()) return callback(Err{r.error()});
    callback(std::vector<std::string>{std::move(r.value())});
  });
}

Result<std::vector<Instrument>, std::string> BinanceRestClient::parse_instruments(MarketKind kind,
                                                                                  const std::vector<std::string>& pages) const {
  if (pages.size() != 1) return Err{std::string("expected one exchangeInfo page")};
  auto r = parse_binance_exchange_info(pages[0], kind);
  if (!r.ok()) return Err{std::string("exchangeInfo: ") + std::string(to_string(r.error().code)) + " at " + r.error().field};
  return std::move(r.value());
}

void BinanceRestClient::fetch_book_snapshot(const InstrumentId& instrument, int depth, BodyCallback callback) {
  // Spot also offers 5000 (weight 250); USD-M stops at 1000.
  const int limit = depth > kSnapshotLimit && instrument.kind == MarketKind::Spot ? 5000 : kSnapshotLimit;
  net::get_body(client(instrument.kind), gate(instrument.kind), depth_snapshot_target(instrument, limit), std::move(callback));
}

std::vector<std::pair<std::string, std::shared_ptr<net::HttpStats>>> BinanceRestClient::http_stats() const {
  return {{"spot", spot_stats_}, {"usdm", usdm_stats_}};
}

}  // namespace tradingd::binance
