// FrameFeed: recorded venue frames (the `tradingd replay` format) through the live feed's decoders — the
// venue's parser and one book synchroniser per instrument — into a MarketDataSink (the backtest's node).
// One decoder per (venue, connection market), made on first use, knowing only the given instruments (a
// symbol of another instrument is skipped, as the live feed would reject it). Kept apart from the node
// driver because the decoder and the journal headers cannot share a translation unit.
#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/ids.h"
#include "exchange/market_data.h"

namespace tradingd::backtest {

class FrameFeed {
 public:
  FrameFeed(std::vector<InstrumentId> instruments, MarketDataSink& sink);
  ~FrameFeed();
  FrameFeed(const FrameFeed&) = delete;
  FrameFeed& operator=(const FrameFeed&) = delete;

  // kind: the connection's market (Binance and Bybit connections are per market; OKX names it per frame).
  void on_frame(Venue venue, MarketKind kind, std::string_view frame, UnixNanos ts_recv_ns);
  std::uint64_t rejected() const;  // frames the decoders refused (malformed, unknown symbol)

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tradingd::backtest
