// Binance (spot /api/v3 and USD-M /fapi/v1) on one emulator port: public REST, and the market streams on
// /ws, /stream (spot; also under /stream.binance.com/), /public, /market (USD-M routed paths) and
// /fstream/ws|stream or /fstream.binance.com/ws|stream (USD-M legacy paths, on another host on the venue);
// the trading side (signed REST, /ws-api/v3, /private/ws?listenKey=) is BinancePrivate (private.h). Pure:
// payloads are built from the market and account state.
#pragma once

#include <memory>

#include "exchange/emulator/common.h"
#include "exchange/emulator/venue.h"

namespace tradingd::emulator::binance {
class BinancePrivate;
}

namespace tradingd::emulator::binance {

class BinanceService final : public VenueService {
 public:
  explicit BinanceService(const ServiceOptions& opts);
  ~BinanceService() override;
  Venue venue() const override { return Venue::Binance; }
  HttpResponse handle_rest(const HttpRequest& req, std::int64_t now_ms) override;
  std::unique_ptr<WsProtocol> open_ws(std::string_view target) override;
  VenueTick tick(std::int64_t now_ms) override;
  FaultState& faults() override { return faults_; }
  const VenueMarkets& markets() const { return markets_; }
  // The trading side (signed REST, private streams, the account): private.h.
  BinancePrivate& trading() { return *private_; }

 private:
  HttpResponse route(const Query& q, std::int64_t now_ms, bool futures, int& weight);
  VenueMarkets markets_;
  FaultState faults_;
  ServiceOptions opts_;
  std::unique_ptr<BinancePrivate> private_;
  // Request weight per calendar minute (X-MBX-USED-WEIGHT-1M), spot and USD-M counted apart.
  std::int64_t weight_minute_[2] = {0, 0};
  int weight_used_[2] = {0, 0};
};

// Binance prints spot prices and sizes with 8 decimals, USD-M ones with the symbol's precision.
std::string px(const InstrumentSpec& s, Price p);
std::string qty(const InstrumentSpec& s, Quantity q);

}  // namespace tradingd::emulator::binance
