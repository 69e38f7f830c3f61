// MarketDataRelay: the one MarketDataSink every venue's feed client writes to. It forwards each event to
// the attached sink (the TradingNode, once the venues' instrument rules let it be built), remembers each
// configured instrument's last FeedStatus and replays it on attach, so the node never misses that a book
// was invalid before it existed. It also logs the milestones an operator looks for (book valid, first
// trade), once per incident. Events for an instrument outside the configured set are dropped and counted.
// Pure: no Asio, time comes with the events; everything runs on the event loop.
#pragma once

#include <cstdint>
#include <functional>
#include <unordered_map>
#include <vector>

#include "exchange/market_data.h"
#include "exchange/net/log_limiter.h"

namespace tradingd::daemon {

class MarketDataRelay final : public MarketDataSink {
 public:
  using StatusListener = std::function<void(const InstrumentId&, FeedStatus)>;
  // The instrument's one L2 book (the feed client's deepest). Venues that derive best bid/ask from a
  // shallow book of their own (Bybit orderbook.1) also emit its updates; only the deep book may reach
  // the node, or the simulated venue would see the depth flip between 1 and N levels.
  using BookSource = std::function<const OrderBook*(const InstrumentId&)>;

  explicit MarketDataRelay(std::vector<InstrumentId> instruments);

  // Events go to target from now on (null: dropped and counted). Replays the known statuses to it.
  void attach(MarketDataSink* target, UnixNanos now_ns);
  // Called after every status change of a configured instrument (metrics, readiness).
  void set_status_listener(StatusListener listener) { listener_ = std::move(listener); }
  void set_book_source(BookSource source) { book_source_ = std::move(source); }

  const std::vector<InstrumentId>& instruments() const { return ids_; }
  FeedStatus status(const InstrumentId& id) const;
  // Every configured instrument of the venue is Live; otherwise detail says which are not and why.
  bool venue_live(Venue venue, std::string* detail = nullptr) const;
  std::uint64_t events() const { return events_; }
  std::uint64_t dropped_unattached() const { return dropped_unattached_; }
  std::uint64_t dropped_unknown() const { return dropped_unknown_; }
  std::uint64_t secondary_books() const { return secondary_books_; }
  std::uint64_t trades(const InstrumentId& id) const;

  void on_trade(const TradeTick& t) override;
  void on_quote(const QuoteTick& q) override;
  void on_book(const BookUpdate& u) override;
  void on_bar(const Bar& b) override;
  void on_mark_price(const MarkPriceUpdate& m) override;
  void on_funding_rate(const FundingRateUpdate& f) override;
  void on_feed_status(const InstrumentId& id, FeedStatus status, UnixNanos ts_ns) override;

 private:
  struct State {
    FeedStatus status = FeedStatus::Connecting;
    bool status_known = false;
    bool book_logged = false;   // "Book valid" logged since the last time the book went invalid
    bool trade_logged = false;  // "First trade" logged
    std::uint64_t trades = 0;
  };
  State* find(const InstrumentId& id);
  const State* find(const InstrumentId& id) const;
  // True when the event should reach the target.
  bool admit(State* s);

  std::vector<InstrumentId> ids_;
  std::vector<State> states_;
  std::unordered_map<InstrumentId, std::size_t> index_;
  MarketDataSink* target_ = nullptr;
  StatusListener listener_;
  BookSource book_source_;
  net::LogLimiter milestone_log_{20, 60'000};
  std::uint64_t events_ = 0;
  std::uint64_t dropped_unattached_ = 0;
  std::uint64_t dropped_unknown_ = 0;
  std::uint64_t secondary_books_ = 0;
};

}  // namespace tradingd::daemon
