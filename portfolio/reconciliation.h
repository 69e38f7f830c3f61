// Reconciliation: compares the tracker (rebuilt from the journal) with a venue's AccountReport and names
// every disagreement. Pure: the result is data; InstrumentBlocks turns it into the set of instruments that
// may not trade until the mismatch is resolved (a later reconciliation agrees) or acknowledged.
// What blocks: a perpetual whose quantity differs; a spot instrument whose base-asset balance differs.
// Quote/settlement balance differences are reported but block nothing: deposits, withdrawals and transfers
// change cash legitimately, and a missed fill also shows up as a position or base-balance mismatch.
#pragma once

#include <optional>
#include <vector>

#include "core/fixed_point.h"
#include "core/ids.h"
#include "exchange/execution_venue.h"
#include "portfolio/position_tracker.h"

namespace tradingd {

struct ReconcileTolerance {
  Quantity quantity;  // |ours − venue| ≤ this counts as equal (exact by default)
  Money balance;
};

struct PositionMismatch {
  InstrumentId instrument;
  Quantity ours;
  Quantity venue;
  bool tracked = true;  // false: the venue holds a position in an instrument we do not track
};

struct BalanceMismatch {
  Venue venue = Venue::Binance;
  Asset asset;
  Money ours;
  Money venue_total;
  std::vector<InstrumentId> blocks;  // spot instruments with this base asset; empty for cash assets
};

struct Reconciliation {
  Venue venue = Venue::Binance;
  UnixNanos ts_ns = 0;
  std::vector<PositionMismatch> positions;
  std::vector<BalanceMismatch> balances;
  std::vector<InstrumentId> checked;  // every instrument of the venue that was compared
  bool ok() const { return positions.empty() && balances.empty(); }
  // Instruments that must stop trading: mismatched perpetuals and spot instruments of mismatched bases.
  std::vector<InstrumentId> blocked_instruments() const;
};

// Compares one venue's report. Balances: every asset the tracker holds on that venue, and the base and
// quote of its tracked spot instruments; other venue assets (dust, unrelated coins) are ignored.
Reconciliation reconcile(const PositionTracker& tracker, const AccountReport& report, ReconcileTolerance tolerance = {});

}  // namespace tradingd
