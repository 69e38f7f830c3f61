// Reconciliation of the tracker with a venue report; see reconciliation.h for what is compared and why.
#include "portfolio/reconciliation.h"

#include <algorithm>
#include <set>

namespace tradingd {
namespace {

template <class T>
bool differs(T ours, T venue, T tolerance) {
  const T diff = ours > venue ? ours - venue : venue - ours;
  return diff > tolerance;
}

}  // namespace

std::vector<InstrumentId> Reconciliation::blocked_instruments() const {
  std::vector<InstrumentId> out;
  for (const auto& m : positions) out.push_back(m.instrument);
  for (const auto& b : balances) out.insert(out.end(), b.blocks.begin(), b.blocks.end());
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

Reconciliation reconcile(const PositionTracker& tracker, const AccountReport& report, ReconcileTolerance tolerance) {
  Reconciliation r;
  r.venue = report.venue;
  r.ts_ns = report.ts_event_ns;

  // Perpetual positions: every tracked perpetual of the venue (absent from the report = flat), then any
  // venue position we do not track.
  std::set<InstrumentId> reported;
  for (const Position& p : tracker.positions()) {
    if (p.id().venue != report.venue || !p.is_perpetual()) continue;
    r.checked.push_back(p.id());
    Quantity venue_qty;
    for (const auto& vp : report.positions)
      if (vp.instrument == p.id()) venue_qty += vp.quantity;  // hedge-mode legs sum to the net position
    if (differs(p.quantity(), venue_qty, tolerance.quantity)) r.positions.push_back({p.id(), p.quantity(), venue_qty, true});
  }
  for (const auto& vp : report.positions) {
    if (vp.quantity.is_zero() || tracker.find(vp.instrument) || !reported.insert(vp.instrument).second) continue;
    Quantity total;
    for (const auto& other : report.positions)
      if (other.instrument == vp.instrument) total += other.quantity;
    if (!total.is_zero()) r.positions.push_back({vp.instrument, Quantity::zero(), total, false});
  }

  // Balances.
  std::set<Asset> assets;
  for (const auto& [key, amount] : tracker.balances())
    if (key.first == report.venue) assets.insert(key.second);
  for (const Position& p : tracker.positions()) {
    if (p.id().venue != report.venue || p.is_perpetual()) continue;
    r.checked.push_back(p.id());
    assets.insert(p.instrument().base);
    assets.insert(p.instrument().quote);
  }
  for (const Asset& asset : assets) {
    Money venue_total;
    for (const auto& b : report.balances)
      if (b.asset == asset) venue_total += b.total();
    const Money ours = tracker.balance(report.venue, asset);
    if (!differs(ours, venue_total, tolerance.balance)) continue;
    BalanceMismatch m{report.venue, asset, ours, venue_total, {}};
    for (const Position& p : tracker.positions())
      if (p.id().venue == report.venue && !p.is_perpetual() && p.instrument().base == asset) m.blocks.push_back(p.id());
    r.balances.push_back(std::move(m));
  }
  std::sort(r.checked.begin(), r.checked.end());
  return r;
}

}  // namespace tradingd
