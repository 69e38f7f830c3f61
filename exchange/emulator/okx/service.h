// OKX v5 public market data on one emulator port: /api/v5/public/* and /api/v5/market/* REST, and the
// /ws/v5/public (books, books5, bbo-tbt, trades, tickers, mark-price, funding-rate) and /ws/v5/business
// (candle1m) WebSocket channels. Book messages chain seqId/prevSeqId (seqId = the market's update id) and
// carry the real CRC32 checksum of the top 25 levels, or 0 like production since June 2026 when asked.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "exchange/emulator/common.h"
#include "exchange/emulator/venue.h"

namespace tradingd::emulator::okx {

class OkxService final : public VenueService {
 public:
  explicit OkxService(const ServiceOptions& opts);
  Venue venue() const override { return Venue::Okx; }
  HttpResponse handle_rest(const HttpRequest& req, std::int64_t now_ms) override;
  std::unique_ptr<WsProtocol> open_ws(std::string_view target) override;
  VenueTick tick(std::int64_t now_ms) override { return markets_.tick(now_ms, faults_); }
  FaultState& faults() override { return faults_; }
  const VenueMarkets& markets() const { return markets_; }
  const ServiceOptions& options() const { return opts_; }
  std::int64_t next_conn_id() { return ++conn_counter_; }

 private:
  VenueMarkets markets_;
  FaultState faults_;
  ServiceOptions opts_;
  std::int64_t conn_counter_ = 0;
};

// OKX prints prices and sizes in canonical form (no trailing zeros), the strings the checksum is over.
std::string px(Price p);
std::string sz(Quantity q);
// The number of orders shown at a level: derived from the level so it is stable while the level is.
std::int64_t num_orders(const BookLevel& l);

// The docs' checksum: "bidPx:bidSz:askPx:askSz:..." over the top 25 of each side (a side that runs out is
// skipped), CRC32 (zlib), read as a signed 32-bit integer.
std::int32_t checksum(const std::vector<std::pair<std::string, std::string>>& bids,
                      const std::vector<std::pair<std::string, std::string>>& asks);
std::int32_t book_checksum(const MarketSim& m);

}  // namespace tradingd::emulator::okx
