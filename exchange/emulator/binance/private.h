// Binance's trading side in the emulator: signed spot (/api/v3) and USD-M (/fapi) REST backed by the
// venue's EmulatedAccount, and the private streams (spot WebSocket API userDataStream.subscribe.signature on
// /ws-api/v3; USD-M listen key on /private/ws?listenKey=K or /ws/<K>). Contract, as Binance:
//   - X-MBX-APIKEY must be the account's key (-2014/-2015, HTTP 401); the HMAC-SHA256 signature is checked
//     over the received bytes (the raw query without `signature=`, then the body) (-1022);
//   - timestamp within recvWindow of the venue's clock (which the clock_skew fault moves) else -1021;
//   - answers and error codes in Binance's shapes (shared/venues/binance.md); rejections map onto -2010 /
//     -1013 / -2019 / -4116 / -4164 / -5022 / -2022 ...; unknown orders -2011 (cancel) / -2013 (query);
//   - private-stream frames are formatted once per account event (executionReport / ORDER_TRADE_UPDATE /
//     outboundAccountPosition / ACCOUNT_UPDATE) and read by each connection with its own cursor;
//   - USD-M conditional orders only through /fapi/v1/algoOrder (-4120 on /fapi/v1/order, as since 2025-12-09),
//     kept apart from the regular book (allOpenOrders, openOrders and /fapi/v1/order do not see them);
//   - countdownCancelAll is honoured in tick(); listen keys expire 60 min after the last keep-alive;
//   - trading faults (faults.h): rest_no_reply / rest_5xx / rest_429 / rest_418 on signed requests,
//     duplicate_fill, out_of_order, private_drop (server), listen_key_expire, clock_skew.
// Pure: time comes in as arguments.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "exchange/emulator/account.h"
#include "exchange/emulator/common.h"
#include "exchange/emulator/venue.h"

namespace tradingd::emulator::binance {

// One formatted private-stream event: the spot or the USD-M payload (or both, for account updates).
struct PrivateFrame {
  std::uint64_t seq = 0;
  std::string spot;     // executionReport / outboundAccountPosition JSON, or empty
  std::string futures;  // ORDER_TRADE_UPDATE / ACCOUNT_UPDATE JSON, or empty
  bool order_event = false;
};

class BinancePrivate {
 public:
  BinancePrivate(const VenueMarkets& markets, const ServiceOptions& opts, FaultState& faults);
  ~BinancePrivate();

  // True for the signed/keyed endpoints this class answers.
  static bool handles(std::string_view path);
  HttpResponse handle(const HttpRequest& req, const Query& q, std::int64_t venue_now_ms);
  // The market moved: feed the account, fire due countdowns, format new events.
  void on_tick(const VenueTick& tick, const VenueMarkets& markets, std::int64_t venue_now_ms);

  // Private WebSocket protocols (nullptr: not a private path).
  std::unique_ptr<WsProtocol> open_ws(std::string_view path, const Query& q);

  EmulatedAccount& account() { return account_; }
  const std::deque<PrivateFrame>& frames() const { return frames_; }
  std::uint64_t last_frame_seq() const { return frames_.empty() ? 0 : frames_.back().seq; }
  // The active listen key (empty: none) and whether `key` is still valid at now.
  const std::string& listen_key() const { return listen_key_; }
  bool listen_key_valid(std::string_view key, std::int64_t now_ms) const;
  std::int64_t venue_now(std::int64_t now_ms) const { return now_ms + faults_.clock_skew_ms; }
  const std::string& api_key() const { return opts_.account.api_key; }
  // Verifies a WS-API signature over the sorted parameters (hex HMAC of the account's secret).
  bool verify_hmac(std::string_view payload, std::string_view signature_hex) const;
  FaultState& faults() { return faults_; }
  // Formats account events appended since the last call (and applies the stream faults).
  void pump(std::int64_t now_ms);

 private:
  struct Impl;
  HttpResponse route(const HttpRequest& req, const Query& q, std::int64_t now_ms);

  const VenueMarkets& markets_;
  const ServiceOptions& opts_;
  FaultState& faults_;
  EmulatedAccount account_;
  std::unique_ptr<Impl> impl_;
  std::deque<PrivateFrame> frames_;
  std::uint64_t formatted_seq_ = 0;  // the account event log's seq formatted so far
  std::uint64_t frame_seq_ = 0;      // the frames' own seq (cursors)
  std::optional<PrivateFrame> held_;  // out_of_order: an order event waiting for the next one
  std::string listen_key_;
  std::int64_t last_now_ms_ = 0;  // the venue time of the last tick or request (WebSocket opens carry none)
  std::int64_t listen_key_expiry_ms_ = 0;
  int listen_key_counter_ = 0;
  std::map<std::string, std::int64_t> countdown_deadline_;  // symbol -> venue ms
  std::map<std::string, std::int64_t> countdown_ms_;        // symbol -> countdownTime
  // Per order (client id): cumulative filled quantity and quote, for z/Z and the X status.
  std::map<std::string, std::pair<Quantity, Money>, std::less<>> cumulative_;
  std::uint64_t order_counter_ = 0;
  std::map<std::string, Price> algo_triggers_;  // clientAlgoId -> triggerPrice (the account keeps no trigger)
};

}  // namespace tradingd::emulator::binance
