// OKX v5 public market data on one emulator port: /api/v5/public/* and /api/v5/market/* REST, and the
// /ws/v5/public (books, books5, bbo-tbt, trades, tickers, mark-price, funding-rate) and /ws/v5/business
// (candle1m) WebSocket channels. Book messages chain seqId/prevSeqId (seqId = the market's update id) and
// carry the real CRC32 checksum of the top 25 levels, or 0 like production since June 2026 when asked.
// The trading side (private_rest.cpp, private_ws.cpp): /api/v5/trade/* and /api/v5/account/* verified as
// OKX does (key, passphrase, signature over the received target/body, timestamp within 30 s of the venue's
// clock) and backed by the EmulatedAccount; /ws/v5/private with login, orders/positions/account pushes
// from the account's event log, and cancel-all-after honoured in tick().
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "exchange/emulator/account.h"
#include "exchange/emulator/common.h"
#include "exchange/emulator/venue.h"
#include "exchange/live/signing.h"

namespace tradingd::emulator::okx {

class OkxService final : public VenueService {
 public:
  explicit OkxService(const ServiceOptions& opts);
  Venue venue() const override { return Venue::Okx; }
  HttpResponse handle_rest(const HttpRequest& req, std::int64_t now_ms) override;
  std::unique_ptr<WsProtocol> open_ws(std::string_view target) override;
  // Advances the markets, feeds them to the account, and fires an expired cancel-all-after.
  VenueTick tick(std::int64_t now_ms) override;
  FaultState& faults() override { return faults_; }
  const VenueMarkets& markets() const { return markets_; }
  const ServiceOptions& options() const { return opts_; }
  std::int64_t next_conn_id() { return ++conn_counter_; }

  EmulatedAccount& account() { return account_; }
  const EmulatedAccount& account() const { return account_; }
  // The venue's clock (the host's plus the clock_skew fault).
  std::int64_t venue_ms(std::int64_t now_ms) const { return now_ms + faults_.clock_skew_ms; }
  // Base64(HMAC-SHA256(secret, message)) with the account's secret.
  std::string sign(std::string_view a, std::string_view b, std::string_view c = {}, std::string_view d = {}) const;
  // The order's filled size just after the fill with this trade id (accFillSz of that push).
  Quantity acc_fill_at(std::string_view trade_id) const;
  std::int64_t cancel_all_after_deadline_ms() const { return cancel_all_after_ms_; }
  // Client order ids canceled by an expired cancel-all-after (cancelSource "20").
  bool canceled_by_dead_man(std::string_view cl_ord_id) const { return dead_man_canceled_.contains(std::string(cl_ord_id)); }

 private:
  HttpResponse handle_private(const HttpRequest& req, const Query& q, std::int64_t now_ms);
  void index_events();  // accFillSz per trade id, from the account's log
  // OKX's place-order budget per instrument (fixed 2 s windows); false: answer 50011.
  bool admit_order_request(std::string_view inst_id, std::int64_t now_ms);
  static constexpr int kOrderRequestsPer2s = 60;

  VenueMarkets markets_;
  FaultState faults_;
  ServiceOptions opts_;
  std::int64_t conn_counter_ = 0;
  EmulatedAccount account_;
  live::HmacSha256 mac_;
  std::int64_t cancel_all_after_ms_ = 0;  // 0: off
  std::uint64_t indexed_seq_ = 0;
  std::map<std::string, Quantity, std::less<>> acc_by_order_, acc_by_trade_;
  std::set<std::string, std::less<>> dead_man_canceled_;
  std::uint64_t generated_ids_ = 0;
  std::map<std::string, std::pair<std::int64_t, int>, std::less<>> order_requests_;  // instId -> (window, count)
};

// Private-side helpers shared by private_rest.cpp and private_ws.cpp.
std::unique_ptr<WsProtocol> make_private_ws(OkxService& svc);
// OKX's order record (REST trade/order, orders-pending; WS orders push) for the account's order. REST shows
// the last fill; a WS push shows the order as of its event: Accepted (live, nothing filled), Fill (that
// fill as this update's fill), Final (the current state, no fill fields).
enum class OrderView : std::uint8_t { Rest, Accepted, Fill, Final };
std::string order_record(const OkxService& svc, const OrderStatusReport& r, const OrderFilled* fill, std::int64_t now_ms,
                         OrderView view = OrderView::Rest);
std::string balance_record(const AccountReport& a, std::int64_t now_ms);     // the balance data[0] object
std::string positions_array(const OkxService& svc, const AccountReport& a, std::int64_t now_ms);  // data array

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
