// OKX public REST requests (see rest_client.h); parsing is the marketdata branch's parse.h.
#include "exchange/okx/rest_client.h"

#include <algorithm>

#include "exchange/okx/parse.h"
#include "exchange/okx/urls.h"

namespace tradingd::okx {

std::string instruments_target(MarketKind kind) {
  return std::string(kInstrumentsPath) + (kind == MarketKind::Spot ? "?instType=SPOT" : "?instType=SWAP");
}

std::string books_target(const InstrumentId& instrument, int depth) {
  return std::string(kBooksPath) + "?instId=" + instrument.symbol.str() + "&sz=" + std::to_string(std::clamp(depth, 1, 400));
}

Result<std::unique_ptr<OkxRestClient>, std::string> OkxRestClient::create(boost::asio::io_context& io,
                                                                          std::shared_ptr<net::TlsContext> tls,
                                                                          const MarketDataEndpoints& endpoints,
                                                                          net::HttpsOptions options) {
  auto url = net::parse_url(endpoints.rest);
  if (!url.ok()) return Err{"okx REST URL: " + url.error()};
  auto c = std::unique_ptr<OkxRestClient>(new OkxRestClient());
  c->simulated_ = endpoints.simulated_trading;
  c->client_ = std::make_unique<net::HttpsClient>(io, std::move(tls), *url, options, c->stats_);
  return c;
}

std::vector<net::HttpHeader> OkxRestClient::headers() const {
  if (!simulated_) return {};
  return {{"x-simulated-trading", "1"}};
}

void OkxRestClient::fetch_instrument_pages(MarketKind kind, PagesCallback callback) {
  net::get_body(*client_, gate_, instruments_target(kind), [callback = std::move(callback)](Result<std::string, std::string> r) {
    if (!r.ok()) return callback(Err{r.error()});
    callback(std::vector<std::string>{std::move(r.value())});
  }, headers());
}

Result<std::vector<Instrument>, std::string> OkxRestClient::parse_instruments(MarketKind kind,
                                                                              const std::vector<std::string>& pages) const {
  std::vector<Instrument> out;
  for (const auto& p : pages) {
    auto r = parse_okx_instruments(p);
    if (!r.ok()) return Err{std::string("public/instruments: ") + std::string(to_string(r.error().code)) + " at " + r.error().field};
    for (auto& i : *r)
      if (i.id.kind == kind) out.push_back(std::move(i));
  }
  return out;
}

void OkxRestClient::fetch_book_snapshot(const InstrumentId& instrument, int depth, BodyCallback callback) {
  net::get_body(*client_, gate_, books_target(instrument, std::max(depth, 400)), std::move(callback), headers());
}

}  // namespace tradingd::okx
