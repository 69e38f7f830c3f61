// OKX v5 public REST for the market-data layer (one kept-alive HTTPS connection): public/instruments per
// instType (SPOT, SWAP) and market/books snapshots; demo adds x-simulated-trading: 1. OKX reports rate
// limits as 50011 (HTTP 429 or 200); 429 Retry-After is honoured. Signed requests (issue 7) come later.
#pragma once

#include <memory>
#include <string>

#include "exchange/net/feed_spec.h"
#include "exchange/net/https_client.h"
#include "exchange/net/rest_util.h"
#include "exchange/okx/ws_feed.h"

namespace tradingd::okx {

std::string instruments_target(MarketKind kind);
std::string books_target(const InstrumentId& instrument, int depth);

class OkxRestClient final : public net::MarketDataRest {
 public:
  static Result<std::unique_ptr<OkxRestClient>, std::string> create(boost::asio::io_context& io,
                                                                    std::shared_ptr<net::TlsContext> tls,
                                                                    const MarketDataEndpoints& endpoints,
                                                                    net::HttpsOptions options = {});

  void fetch_instrument_pages(MarketKind kind, PagesCallback callback) override;
  Result<std::vector<Instrument>, std::string> parse_instruments(MarketKind kind,
                                                                 const std::vector<std::string>& pages) const override;
  void fetch_book_snapshot(const InstrumentId& instrument, int depth, BodyCallback callback) override;
  std::vector<std::pair<std::string, std::shared_ptr<net::HttpStats>>> http_stats() const override {
    return {{"rest", stats_}};
  }

  net::HttpsClient& client() { return *client_; }

 private:
  OkxRestClient() = default;
  std::vector<net::HttpHeader> headers() const;

  bool simulated_ = false;
  net::RetryAfterGate gate_;
  std::shared_ptr<net::HttpStats> stats_ = std::make_shared<net::HttpStats>();
  std::unique_ptr<net::HttpsClient> client_;
};

}  // namespace tradingd::okx
