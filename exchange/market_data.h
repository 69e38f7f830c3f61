// The normalised market-data vocabulary and the market-data client interface. Everything above exchange/
// (engine, simulated venue, strategies, backtester) consumes these events and never a venue's JSON.
// Events are delivered synchronously on the event loop; views (spans, the book reference) are valid only
// during the callback.
#pragma once

#include <cstdint>
#include <span>

#include "core/clock.h"
#include "core/fixed_point.h"
#include "core/ids.h"

namespace tradingd {

class OrderBook;  // exchange/book/order_book.h

struct TradeTick {
  InstrumentId instrument;
  Price price;
  Quantity size;
  Side aggressor = Side::Buy;  // the taker's side
  TradeId trade_id;
  UnixNanos ts_event_ns = 0;  // venue's event time
  UnixNanos ts_recv_ns = 0;   // our receive time
};

struct QuoteTick {
  InstrumentId instrument;
  Price bid_price;
  Quantity bid_size;
  Price ask_price;
  Quantity ask_size;
  UnixNanos ts_event_ns = 0;
  UnixNanos ts_recv_ns = 0;
};

struct BookLevel {
  Price price;
  Quantity size;  // zero in a delta: remove the level
  friend bool operator==(const BookLevel&, const BookLevel&) = default;
};

// One applied book message: the levels it set (absolute sizes) and the resulting local book.
struct BookUpdate {
  InstrumentId instrument;
  bool is_snapshot = false;
  std::span<const BookLevel> bids;
  std::span<const BookLevel> asks;
  std::uint64_t sequence = 0;  // the venue's update id after this message
  const OrderBook* book = nullptr;
  UnixNanos ts_event_ns = 0;
  UnixNanos ts_recv_ns = 0;
};

struct Bar {
  InstrumentId instrument;
  std::int64_t interval_s = 60;
  UnixNanos ts_open_ns = 0;  // the bar covers [ts_open_ns, ts_open_ns + interval)
  Price open;
  Price high;
  Price low;
  Price close;
  Quantity volume;
  bool closed = true;  // live feeds also push the forming bar; strategies' on_bar sees closed bars only
  UnixNanos ts_recv_ns = 0;
  UnixNanos ts_close_ns() const { return ts_open_ns + interval_s * kNanosPerSecond; }
};

struct MarkPriceUpdate {
  InstrumentId instrument;
  Price mark_price;
  Price index_price;
  UnixNanos ts_event_ns = 0;
  UnixNanos ts_recv_ns = 0;
};

struct FundingRateUpdate {
  InstrumentId instrument;
  Rate rate;
  UnixNanos next_funding_ns = 0;
  UnixNanos ts_event_ns = 0;
  UnixNanos ts_recv_ns = 0;
};

enum class FeedStatus : std::uint8_t {
  Connecting,
  Live,         // subscribed, book valid
  Resyncing,    // gap or checksum failure: book invalid until the resync completes; do not trade on it
  Stale,        // no message within the staleness limit
  Disconnected,
};
std::string_view to_string(FeedStatus s);

class MarketDataSink {
 public:
  virtual ~MarketDataSink() = default;
  virtual void on_trade(const TradeTick&) {}
  virtual void on_quote(const QuoteTick&) {}
  virtual void on_book(const BookUpdate&) {}
  virtual void on_bar(const Bar&) {}
  virtual void on_mark_price(const MarkPriceUpdate&) {}
  virtual void on_funding_rate(const FundingRateUpdate&) {}
  virtual void on_feed_status(const InstrumentId&, FeedStatus, UnixNanos /*ts_ns*/) {}
};

// Channels a subscription asks for (bit mask).
enum MarketDataChannel : std::uint32_t {
  kTrades = 1u << 0,
  kQuotes = 1u << 1,
  kBook = 1u << 2,
  kBars1m = 1u << 3,
  kMarkPrice = 1u << 4,  // perpetuals
  kFunding = 1u << 5,    // perpetuals
};

// A venue's market-data connection(s). Lives on the daemon's io_context; all sink calls come from it.
class MarketDataClient {
 public:
  virtual ~MarketDataClient() = default;
  virtual Venue venue() const = 0;
  // Subscriptions may be added before or after start(); they are restored after every reconnect.
  virtual void subscribe(const InstrumentId& instrument, std::uint32_t channels) = 0;
  virtual void start() = 0;
  virtual void stop() = 0;
};

}  // namespace tradingd
