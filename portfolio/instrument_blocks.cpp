// Blocked-instrument bookkeeping driven by reconciliation results.
#include "portfolio/instrument_blocks.h"

#include <algorithm>

namespace tradingd {
namespace {

struct Finding {
  std::string reason;
  std::string signature;
};

void add_finding(std::map<InstrumentId, Finding>& out, const InstrumentId& id, const std::string& reason,
                 const std::string& signature) {
  auto& f = out[id];
  if (!f.reason.empty()) f.reason += "; ";
  f.reason += reason;
  f.signature += signature + "|";
}

}  // namespace

std::vector<InstrumentId> InstrumentBlocks::apply(const Reconciliation& r) {
  std::map<InstrumentId, Finding> findings;
  for (const auto& m : r.positions) {
    const std::string sig = "pos:" + m.ours.to_string() + ":" + m.venue.to_string();
    const std::string reason = m.tracked ? "position " + m.ours.to_string() + " (journal) != " + m.venue.to_string() + " (venue)"
                                         : "venue holds untracked position " + m.venue.to_string();
    add_finding(findings, m.instrument, reason, sig);
  }
  for (const auto& b : r.balances) {
    const std::string sig = "bal:" + b.asset.str() + ":" + b.ours.to_string() + ":" + b.venue_total.to_string();
    const std::string reason =
        "balance " + b.asset.str() + " " + b.ours.to_string() + " (journal) != " + b.venue_total.to_string() + " (venue)";
    for (const auto& id : b.blocks) add_finding(findings, id, reason, sig);
  }

  std::vector<InstrumentId> newly;
  // Compared instruments without a finding agree now: resolved (manual blocks have no signature).
  for (const auto& id : r.checked) {
    auto it = entries_.find(id);
    if (it != entries_.end() && !it->second.signature.empty() && !findings.contains(id)) entries_.erase(it);
  }
  for (auto& [id, f] : findings) {
    auto it = entries_.find(id);
    if (it != entries_.end() && it->second.signature == f.signature) continue;  // same finding: unchanged
    const bool was_blocked = it != entries_.end() && !it->second.acknowledged;
    entries_[id] = InstrumentBlock{std::move(f.reason), std::move(f.signature), r.ts_ns, false, 0};
    if (!was_blocked) newly.push_back(id);
  }
  return newly;
}

void InstrumentBlocks::block(const InstrumentId& id, std::string reason, UnixNanos now_ns) {
  entries_[id] = InstrumentBlock{std::move(reason), "", now_ns, false, 0};
}

void InstrumentBlocks::unblock(const InstrumentId& id) { entries_.erase(id); }

bool InstrumentBlocks::acknowledge(const InstrumentId& id, UnixNanos now_ns) {
  auto it = entries_.find(id);
  if (it == entries_.end() || it->second.acknowledged) return false;
  it->second.acknowledged = true;
  it->second.acknowledged_ns = now_ns;
  return true;
}

bool InstrumentBlocks::is_blocked(const InstrumentId& id) const {
  if (entries_.empty()) return false;  // the common case costs no lookup
  auto it = entries_.find(id);
  return it != entries_.end() && !it->second.acknowledged;
}

bool InstrumentBlocks::any_blocked() const {
  return std::any_of(entries_.begin(), entries_.end(), [](const auto& e) { return !e.second.acknowledged; });
}

}  // namespace tradingd
