// Bybit v5 public REST for the market-data layer (one kept-alive HTTPS connection): instruments-info per
// category (linear is paged with nextPageCursor) and the orderbook snapshot. Honours 429 Retry-After.
// Signed requests (issue 7) will be added here on the same client.
#pragma once

#include <memory>
#include <string>

#include "exchange/bybit/ws_feed.h"
#include "exchange/net/feed_spec.h"
#include "exchange/net/https_client.h"
#include "exchange/net/rest_util.h"

namespace tradingd::bybit {

inline constexpr int kMaxInstrumentPages = 50;  // 1000 per page: far more than Bybit lists

std::string instruments_target(MarketKind kind, std::string_view cursor);
std::string orderbook_target(const InstrumentId& instrument, int limit);

class BybitRestClient final : public net::MarketDataRest {
 public:
  static Result<std::unique_ptr<BybitRestClient>, std::string> create(boost::asio::io_context& io,
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
  BybitRestClient() = default;
  void fetch_page(MarketKind kind, std::string cursor, std::shared_ptr<std::vector<std::string>> pages,
                  PagesCallback callback);

  net::RetryAfterGate gate_;
  std::shared_ptr<net::HttpStats> stats_ = std::make_shared<net::HttpStats>();
  std::unique_ptr<net::HttpsClient> client_;
};

}  // namespace tradingd::bybit
