// Bybit v5 on one emulator port: public market data (/v5/market/* REST, /v5/public/{spot,linear} topics)
// and the trading side (signed /v5/order|execution|account|position REST, the /v5/private stream, DCP),
// backed by one EmulatedAccount fed with this venue's markets every tick. Each orderbook depth (1, 50,
// 200, 1000) is a DepthView with its own update id `u`, +1 per published delta, as the venue numbers
// them; the REST orderbook's `u` is the 1000-level one. The venue's clock is the host's plus the
// clock_skew fault.
#pragma once

#include <array>
#include <map>
#include <memory>
#include <string>

#include "exchange/emulator/account.h"
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

  // --- Trading side (private_rest.cpp, private_ws.cpp) ---
  EmulatedAccount& account() { return account_; }
  const EmulatedAccount& account() const { return account_; }
  std::int64_t venue_now(std::int64_t host_now_ms) const { return host_now_ms + faults_.clock_skew_ms; }
  const InstrumentSpec* spec(MarketKind kind, std::string_view symbol) const;
  // Signed private REST: key, timestamp/recv_window (10002), signature (10004), per-endpoint limits.
  HttpResponse handle_private(const HttpRequest& req, std::int64_t venue_now_ms);
  // Disconnect-cancel-all: product 0 = SPOT, 1 = DERIVATIVES. A private connection subscribed to
  // dcp.spot / dcp.future counts as alive; when the last one is gone longer than the product's window,
  // every open order of that product is cancelled (in tick()).
  void dcp_attach(int product) { ++dcp_[product].live; dcp_[product].lost_since_ms = -1; dcp_[product].lost_pending = false; }
  void dcp_detach(int product) {
    if (--dcp_[product].live == 0) dcp_[product].lost_pending = true;
  }
  int dcp_window_s(int product) const { return dcp_[product].window_s; }

 private:
  struct Dcp {
    int window_s = 0;  // 0: not enabled
    int live = 0;
    bool lost_pending = false;  // stamped with the next tick's time
    std::int64_t lost_since_ms = -1;
  };
  struct EndpointWindow {
    std::int64_t second = 0;
    int used = 0;
  };
  HttpResponse handle_trading(const HttpRequest& req, const Query& q, std::int64_t now_ms);
  void check_dcp(std::int64_t now_ms);

  VenueMarkets markets_;
  FaultState faults_;
  ServiceOptions opts_;
  EmulatedAccount account_;
  std::array<Dcp, 2> dcp_{};
  std::map<std::string, EndpointWindow, std::less<>> endpoint_use_;
  std::int64_t auto_link_id_ = 0;
  std::vector<std::array<DepthView, 4>> views_;
  std::vector<std::array<std::vector<LevelChange>, 4>> view_changes_;
  std::int64_t conn_counter_ = 0;
};

std::string px(const InstrumentSpec& s, Price p);
std::string qty(const InstrumentSpec& s, Quantity q);
// "Buy"/"Sell" for the taker side; trade ids: numeric for spot, UUID-shaped for linear (as the venue).
std::string trade_id(const InstrumentSpec& s, std::int64_t id);

}  // namespace tradingd::emulator::bybit
