// Bybit v5 public market data on one emulator port: /v5/market/* REST and the /v5/public/{spot,linear}
// WebSocket topics. Each orderbook depth (1, 50, 200, 1000) is a DepthView with its own update id `u`,
// +1 per published delta, as the venue numbers them; the REST orderbook's `u` is the 1000-level one.
#pragma once

#include <array>
#include <memory>

#include "exchange/emulator/common.h"
#include "exchange/emulator/venue.h"

namespace tradingd::emulator::bybit {

inline constexpr std::array<std::size_t, 4> kDepths = {1, 50, 200, 1000};

class BybitService final : public VenueService {
 public:
  explicit BybitService(const ServiceOptions& opts);
  Venue venue() const override { return Venue::Bybit; }
  HttpResponse handle_rest(const HttpRequest& req, std::int64_t now_ms) override;
  std::unique_ptr<WsProtocol> open_ws(std::string_view target) override;
  VenueTick tick(std::int64_t now_ms) override;
  FaultState& faults() override { return faults_; }
  const VenueMarkets& markets() const { return markets_; }

  // The depth views of market i (index into markets().all()) and their changes in the last tick.
  const DepthView& view(std::size_t market, std::size_t depth_index) const { return views_[market][depth_index]; }
  const std::vector<LevelChange>& view_changes(std::size_t market, std::size_t depth_index) const {
    return view_changes_[market][depth_index];
  }
  std::int64_t next_conn_id() { return ++conn_counter_; }

 private:
  VenueMarkets markets_;
  FaultState faults_;
  ServiceOptions opts_;
  std::vector<std::array<DepthView, 4>> views_;
  std::vector<std::array<std::vector<LevelChange>, 4>> view_changes_;
  std::int64_t conn_counter_ = 0;
};

std::string px(const InstrumentSpec& s, Price p);
std::string qty(const InstrumentSpec& s, Quantity q);
// "Buy"/"Sell" for the taker side; trade ids: numeric for spot, UUID-shaped for linear (as the venue).
std::string trade_id(const InstrumentSpec& s, std::int64_t id);

}  // namespace tradingd::emulator::bybit
