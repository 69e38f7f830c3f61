// Binance public REST for the market-data layer (spot and USD-M hosts, one kept-alive HTTPS connection
// each): exchangeInfo for the instrument lists and depth snapshots for book synchronisation. Honours
// 429/418 Retry-After (a 418 is an IP ban that grows when ignored). Signed order requests (issue 7) will
// be added here on the same clients.
#pragma once

#include <memory>
#include <string>

#include "exchange/binance/ws_feed.h"
#include "exchange/net/feed_spec.h"
#include "exchange/net/https_client.h"
#include "exchange/net/rest_util.h"

namespace tradingd::binance {

// Depth snapshot size: 1000 levels (weight 50 on spot, 20 on USD-M); deeper than any book we keep, so
// levels beyond it are rarely touched ("levels beyond the snapshot are unknown until they change").
inline constexpr int kSnapshotLimit = 1000;

std::string depth_snapshot_target(const InstrumentId& instrument, int limit);

class BinanceRestClient final : public net::MarketDataRest {
 public:
  static Result<std::unique_ptr<BinanceRestClient>, std::string> create(boost::asio::io_context& io,
                                                                        std::shared_ptr<net::TlsContext> tls,
                                                                        const MarketDataEndpoints& endpoints,
                                                                        net::HttpsOptions options = {});

  void fetch_instrument_pages(MarketKind kind, PagesCallback callback) override;
  Result<std::vector<Instrument>, std::string> parse_instruments(MarketKind kind,
                                                                 const std::vector<std::string>& pages) const override;
  void fetch_book_snapshot(const InstrumentId& instrument, int depth, BodyCallback callback) override;
  std::vector<std::pair<std::string, std::shared_ptr<net::HttpStats>>> http_stats() const override;

  net::HttpsClient& client(MarketKind kind) { return kind == MarketKind::Spot ? *spot_ : *usdm_; }

 private:
  BinanceRestClient() = default;
  net::RetryAfterGate& gate(MarketKind kind) { return kind == MarketKind::Spot ? spot_gate_ : usdm_gate_; }

  // The gates outlive the clients (declared first): callbacks capture them by reference.
  net::RetryAfterGate spot_gate_;
  net::RetryAfterGate usdm_gate_;
  std::shared_ptr<net::HttpStats> spot_stats_ = std::make_shared<net::HttpStats>();
  std::shared_ptr<net::HttpStats> usdm_stats_ = std::make_shared<net::HttpStats>();
  std::unique_ptr<net::HttpsClient> spot_;
  std::unique_ptr<net::HttpsClient> usdm_;
};

}  // namespace tradingd::binance
