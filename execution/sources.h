// Small read-only interfaces the ExecutionEngine needs from other components:
//  - InstrumentSource: the venue rules of an instrument (exchange/ or config loads them); InstrumentTable
//    is a plain map implementation for tests, backtests and the daemon's start-up cache.
//  - OpenPositionSource: the open positions flatten() closes; portfolio/ implements it. (Named apart from
//    risk/emergency_stop.h PositionSource and portfolio PositionSnapshot: the node includes all three.)
#pragma once

#include <unordered_map>
#include <vector>

#include "core/instrument.h"

namespace tradingd {

class InstrumentSource {
 public:
  virtual ~InstrumentSource() = default;
  // nullptr when unknown. The pointer stays valid while the source lives.
  virtual const Instrument* find(const InstrumentId& id) const = 0;
};

class InstrumentTable final : public InstrumentSource {
 public:
  void add(const Instrument& instrument) { map_[instrument.id] = instrument; }
  const Instrument* find(const InstrumentId& id) const override {
    auto it = map_.find(id);
    return it == map_.end() ? nullptr : &it->second;
  }

 private:
  std::unordered_map<InstrumentId, Instrument> map_;
};

struct OpenPosition {
  InstrumentId instrument;
  Quantity quantity;  // signed: long > 0, short < 0 (spot: the base balance to sell)
};

class OpenPositionSource {
 public:
  virtual ~OpenPositionSource() = default;
  virtual std::vector<OpenPosition> open_positions() const = 0;
};

}  // namespace tradingd
