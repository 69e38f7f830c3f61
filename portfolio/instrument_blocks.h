// InstrumentBlocks: the instruments that may not trade because reconciliation found a mismatch. A block
// ends when a later reconciliation of that venue agrees (resolved) or an operator acknowledges it; an
// acknowledged mismatch blocks again only if a later reconciliation shows different figures.
// Pure; ordered containers so the control API lists blocks deterministically.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/ids.h"
#include "portfolio/reconciliation.h"

namespace tradingd {

struct InstrumentBlock {
  std::string reason;  // "position 0.5 (journal) != 0.4 (venue)"
  // The disagreement that caused it, to tell a repeated (already acknowledged) mismatch from a new one.
  std::string signature;
  UnixNanos since_ns = 0;
  bool acknowledged = false;
  UnixNanos acknowledged_ns = 0;
};

class InstrumentBlocks {
 public:
  // Applies one venue's reconciliation: blocks each mismatched instrument, clears blocks of that venue's
  // compared instruments that now agree. Returns the instruments newly blocked.
  std::vector<InstrumentId> apply(const Reconciliation& reconciliation);
  // Blocks for another reason (e.g. an unreconciled order); manual blocks are cleared only by unblock().
  void block(const InstrumentId& id, std::string reason, UnixNanos now_ns);
  void unblock(const InstrumentId& id);
  // The operator accepts the mismatch and lets the instrument trade. False if it was not blocked.
  bool acknowledge(const InstrumentId& id, UnixNanos now_ns);

  bool is_blocked(const InstrumentId& id) const;
  bool any_blocked() const;
  // Every entry, including acknowledged ones (which do not block).
  const std::map<InstrumentId, InstrumentBlock>& entries() const { return entries_; }

 private:
  std::map<InstrumentId, InstrumentBlock> entries_;
};

}  // namespace tradingd
