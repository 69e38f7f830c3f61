// TradingNode's venue links: which venues may trade now. A venue is Ready only after its orders, fills and
// (live) account were reconciled; a private-stream disconnect makes it Disconnected (state unknown: no
// signals), the reconnect reconciles that venue again, and only then does it accept signals. Answers of a
// reconciliation that an intervening (dis)connect made stale are dropped by generation.
// Account reconciliation compares the venue's AccountReport with the PositionTracker: mismatches are
// logged with both figures, counted, and block the instrument (RiskGuard's InstrumentBlocks; reduce-only
// orders still pass) until a later reconciliation agrees or an operator acknowledges. Exception: the first
// account of a start whose journal holds no fill on that venue is adopted (base-asset differences become
// persisted offsets): holdings that predate the journal are the user's, not a missed fill.
#include <spdlog/spdlog.h>

#include <algorithm>

#include "execution/node/trading_node.h"

namespace tradingd {
namespace {

std::string live_ns(Venue v) { return "live." + std::string(to_string(v)); }

}  // namespace

std::string_view to_string(VenueLinkState s) {
  switch (s) {
    case VenueLinkState::Reconciling:
      return "reconciling";
    case VenueLinkState::Ready:
      return "ready";
    case VenueLinkState::Disconnected:
      return "disconnected";
    case VenueLinkState::Unreconciled:
      return "unreconciled";
  }
  return "unknown";
}

void TradingNode::register_venue(ExecutionVenue& venue, bool live) {
  VenueLink& l = link(venue.venue());
  if (l.venue != nullptr) {
    // Two venues for one Venue value would split its orders; the first stays, the second is never used.
    spdlog::error("Venue registered twice, ignoring the second venue={}", to_string(venue.venue()));
    return;
  }
  manager_.add_venue(venue);
  venue.set_event_sink(this);  // the node sees every venue event first (hub)
  l.venue = &venue;
  l.status.venue = venue.venue();
  l.status.live = live;
  // A live venue's private stream is down until its adapter says otherwise (every adapter reports the
  // first connect): before, a stream that never connected left the link Ready, and orders went out whose
  // fills nobody would hear of.
  l.status.connected = !live;
  l.status.state = VenueLinkState::Reconciling;
  l.status.reason = "start-up reconciliation";
}

std::vector<VenueLinkStatus> TradingNode::venue_links() const {
  std::vector<VenueLinkStatus> out;
  for (const auto& l : links_)
    if (l.venue != nullptr) out.push_back(l.status);
  return out;
}

const VenueLinkStatus* TradingNode::venue_link(Venue v) const {
  const VenueLink& l = link(v);
  return l.venue != nullptr ? &l.status : nullptr;
}

bool TradingNode::venue_ready(Venue v) const {
  const VenueLink& l = link(v);
  return state_ == NodeState::Ready && l.venue != nullptr && l.status.state == VenueLinkState::Ready;
}

void TradingNode::set_link_state(VenueLink& l, VenueLinkState state, std::string reason) {
  if (l.status.state != state)
    spdlog::log(state == VenueLinkState::Ready ? spdlog::level::info : spdlog::level::warn,
                "Venue link venue={} state={} previous={} reason=\"{}\"", to_string(l.status.venue), to_string(state),
                to_string(l.status.state), reason);
  if (l.status.state == VenueLinkState::Unreconciled) --unreconciled_links_;
  if (state == VenueLinkState::Unreconciled) ++unreconciled_links_;
  l.status.state = state;
  l.status.reason = std::move(reason);
  l.status.since_ns = clock_.now_ns();
}

void TradingNode::on_venue_connection(const VenueConnectionChanged& change) {
  risk_.on_venue_connection(change.venue, change.connected, change.ts_event_ns);
  VenueLink& l = link(change.venue);
  if (l.venue != nullptr && state_ != NodeState::Stopped) {
    ++l.generation;  // whatever was in flight describes the old connection
    l.status.connected = change.connected;
    if (!change.connected) {
      ++l.status.disconnects;
      set_link_state(l, VenueLinkState::Disconnected, "private stream disconnected");
    } else if (state_ == NodeState::Ready) {
      reconcile_venue(change.venue, true);
    } else {
      // Start-up reconciliation is still running: it ends with a full pass over this venue.
      l.changed_during_startup = true;
      set_link_state(l, VenueLinkState::Reconciling, "start-up reconciliation");
    }
  }
  after_change();
}

void TradingNode::links_after_startup() {
  for (auto& l : links_) {
    if (l.venue == nullptr) continue;
    if (!l.status.connected) {
      set_link_state(l, VenueLinkState::Disconnected, "private stream disconnected");
    } else if (!l.status.live) {
      ++l.status.reconciliations;
      set_link_state(l, VenueLinkState::Ready, "reconciled");
    } else {
      // The start-up pass covered orders and fills unless the stream reconnected meanwhile.
      reconcile_venue(l.status.venue, l.changed_during_startup);
    }
    l.changed_during_startup = false;
  }
}

void TradingNode::reconcile_venue(Venue v, bool orders) {
  VenueLink& l = link(v);
  set_link_state(l, VenueLinkState::Reconciling, orders ? "reconciling orders, fills and account" : "reconciling account");
  const std::uint64_t gen = l.generation;
  if (!orders) {
    if (l.status.live) {
      reconcile_account(v, gen);
    } else {
      ++l.status.reconciliations;
      set_link_state(l, VenueLinkState::Ready, "reconciled");
    }
    return;
  }
  if (l.reconciler) retired_reconcilers_.push_back(std::move(l.reconciler));
  ReconcileOptions options;
  options.cancel_unknown_venue_orders = config_.execution.cancel_unknown_venue_orders;
  options.venue = v;
  l.reconciler = std::make_unique<Reconciler>(manager_, resolver_, options);
  std::weak_ptr<bool> alive = alive_;
  l.reconciler->run([this, alive, v, gen](const ReconcileReport& r) {
    if (auto a = alive.lock(); !a || !*a) return;
    VenueLink& cur = link(v);
    if (cur.generation != gen) return;  // a later (dis)connect superseded this pass
    if (!r.ok_to_trade()) {
      venue_reconcile_failed(v, "orders/fills: fills_missing=" + std::to_string(r.fills_missing.size()) +
                                    " query_failed=" + std::to_string(r.query_failed.size()) +
                                    " errors=" + std::to_string(r.errors.size()));
      return;
    }
    spdlog::info("Venue orders reconciled venue={} orders_checked={} resolved={} not_found={} missed_fills={}",
                 to_string(v), r.orders_checked, r.resolved.size(), r.not_found.size(), r.missed_fills_applied);
    portfolio_.revalue(clock_.now_ns());
    if (cur.status.live) {
      reconcile_account(v, gen);
    } else {
      ++cur.status.reconciliations;
      set_link_state(cur, VenueLinkState::Ready, "reconciled");
    }
    after_change();
  });
}

void TradingNode::reconcile_account(Venue v, std::uint64_t gen) {
  std::weak_ptr<bool> alive = alive_;
  link(v).venue->account([this, alive, v, gen](Result<AccountReport, VenueError> r) {
    if (auto a = alive.lock(); !a || !*a) return;
    VenueLink& cur = link(v);
    if (cur.generation != gen) return;
    if (!r) {
      venue_reconcile_failed(v, "account: " + r.error().message);
      return;
    }
    AccountReport report = std::move(*r);
    report.venue = v;  // the report describes the venue that answered, whatever the adapter filled in
    apply_account(report, cur.adopt_account);
    cur.adopt_account = false;  // only the first account of a venue without history is adopted
    ++cur.status.reconciliations;
    set_link_state(cur, VenueLinkState::Ready, "reconciled");
    after_change();
  });
}

void TradingNode::apply_account(const AccountReport& report, bool adopt) {
  const Venue v = report.venue;
  VenueLink& l = link(v);
  Reconciliation rec = reconcile(tracker_, report, config_.account_tolerance);
  if (rec.ts_ns == 0) rec.ts_ns = clock_.now_ns();
  if (adopt) {
    // No journaled fill on this venue: a base-asset balance the journal lacks is the user's own holding,
    // not a missed fill. Taken as a persisted offset (as an acknowledgement would), so later
    // reconciliations and restarts compare against it; only later disagreements block. Perpetual
    // positions cannot be adopted (the tracker has no entry price for them): they still block.
    std::erase_if(rec.balances, [&](const BalanceMismatch& b) {
      if (b.blocks.empty()) return false;  // cash: taken from the venue below anyway
      spdlog::warn("Adopted the venue's account as the starting point (no journal history for this venue) "
                   "venue={} asset={} balance_journal={} balance_venue={}",
                   to_string(v), b.asset.str(), b.ours.to_string(), b.venue_total.to_string());
      add_balance_offset(v, b.asset, b.venue_total - b.ours);
      return true;
    });
  }
  for (const auto& m : rec.positions) {
    ++stats_.account_mismatches;
    ++l.status.account_mismatches;
    spdlog::error("Account mismatch venue={} instrument={} position_journal={} position_venue={} tracked={}", to_string(v),
                  m.instrument.to_string(), m.ours.to_string(), m.venue.to_string(), m.tracked);
  }
  for (const auto& b : rec.balances) {
    if (b.blocks.empty()) {
      // Cash moves legitimately (deposits, withdrawals, transfers, funding we did not see): the venue's
      // figure becomes ours. A missed fill would also move a position or a base balance, which block.
      spdlog::info("Cash balance taken from the venue venue={} asset={} journal={} venue_total={}", to_string(v),
                   b.asset.str(), b.ours.to_string(), b.venue_total.to_string());
      tracker_.set_balance(v, b.asset, b.venue_total);
      continue;
    }
    ++stats_.account_mismatches;
    ++l.status.account_mismatches;
    spdlog::error("Account mismatch venue={} asset={} balance_journal={} balance_venue={} blocks={}", to_string(v),
                  b.asset.str(), b.ours.to_string(), b.venue_total.to_string(), b.blocks.size());
  }
  // Cash the journal never saw (the first start, or an asset we held none of): the venue's figure.
  for (const Balance& b : report.balances) {
    bool cash = false;
    for (const Position& p : tracker_.positions()) {
      if (p.id().venue != v) continue;
      if (!p.is_perpetual() && p.instrument().base == b.asset) {
        cash = false;  // a spot base asset is a position: compared above, never adopted
        break;
      }
      cash = cash || p.instrument().quote == b.asset || p.instrument().settle == b.asset;
    }
    if (cash && tracker_.balance(v, b.asset) != b.total()) tracker_.set_balance(v, b.asset, b.total());
  }
  persist_live_cash(v);
  last_account_[static_cast<std::size_t>(v) & 3] = rec;
  const auto before = risk_.blocks().entries();
  for (const auto& id : risk_.blocks().apply(rec))
    spdlog::error("Instrument blocked until the mismatch is resolved or acknowledged instrument={} reason=\"{}\"",
                  id.to_string(), risk_.blocks().entries().at(id).reason);
  for (const auto& [id, block] : before)
    if (!risk_.blocks().entries().contains(id))
      spdlog::info("Instrument unblocked: reconciliation agrees instrument={}", id.to_string());
  portfolio_.revalue(clock_.now_ns());
}

void TradingNode::persist_live_cash(Venue v) {
  if (store_ == nullptr) return;
  // "USDT=1234.5;USDC=10": the cash assets of this venue's instruments (assets are alphanumeric).
  std::string text;
  for (const auto& [key, amount] : tracker_.balances()) {
    if (key.first != v) continue;
    bool cash = false;
    for (const Position& p : tracker_.positions())
      if (p.id().venue == v && (p.instrument().quote == key.second || p.instrument().settle == key.second)) cash = true;
    if (!cash) continue;
    if (!text.empty()) text += ';';
    text += key.second.str() + "=" + amount.to_string();
  }
  if (!store_->put(live_ns(v), "cash", text, clock_.now_ns()))
    spdlog::error("Live cash balances not persisted venue={}", to_string(v));
}

void TradingNode::restore_balance_offsets() {
  if (store_ == nullptr) return;
  for (const auto& l : links_) {
    if (l.venue == nullptr || !l.status.live) continue;
    auto entries = store_->list(live_ns(l.status.venue));
    if (!entries) continue;
    for (const auto& kv : *entries) {
      if (!kv.key.starts_with("offset.") || kv.key.size() - 7 > 15 || kv.key.size() == 7) continue;
      try {
        const Asset asset = Asset::from(std::string_view(kv.key).substr(7));
        tracker_.set_balance(l.status.venue, asset, tracker_.balance(l.status.venue, asset) + Money::from_string(kv.value));
      } catch (const std::exception&) {
        spdlog::warn("Balance offset unreadable venue={} key={}", to_string(l.status.venue), kv.key);
      }
    }
  }
}

void TradingNode::restore_live_cash() {
  if (store_ == nullptr) return;
  for (const auto& l : links_) {
    if (l.venue == nullptr || !l.status.live) continue;
    auto text = store_->get(live_ns(l.status.venue), "cash");
    if (!text || !*text) continue;
    std::string_view rest = **text;
    while (!rest.empty()) {
      const auto end = rest.find(';');
      const std::string_view item = rest.substr(0, end);
      rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
      const auto eq = item.find('=');
      if (eq == std::string_view::npos || eq == 0 || eq > 15) continue;
      try {
        tracker_.set_balance(l.status.venue, Asset::from(item.substr(0, eq)), Money::from_string(item.substr(eq + 1)));
      } catch (const std::exception&) {
        spdlog::warn("Live cash balance unreadable, waiting for the venue venue={} item={}", to_string(l.status.venue),
                     item);
      }
    }
  }
}

bool TradingNode::acknowledge_mismatch(const InstrumentId& instrument, std::string source) {
  const auto& entries = risk_.blocks().entries();
  auto it = entries.find(instrument);
  const std::string reason = it != entries.end() ? it->second.reason : std::string();
  if (!risk_.blocks().acknowledge(instrument, clock_.now_ns())) {
    spdlog::info("Mismatch acknowledgement ignored: instrument not blocked instrument={} source={}",
                 instrument.to_string(), source);
    return false;
  }
  const Venue v = instrument.venue;
  if (const auto& rec = last_account_[static_cast<std::size_t>(v) & 3]) {
    for (const BalanceMismatch& b : rec->balances) {
      if (std::find(b.blocks.begin(), b.blocks.end(), instrument) == b.blocks.end()) continue;
      add_balance_offset(v, b.asset, b.venue_total - b.ours);
    }
  }
  ++stats_.mismatches_acknowledged;
  spdlog::warn("Mismatch acknowledged, instrument trades again instrument={} source={} reason=\"{}\"",
               instrument.to_string(), source, reason);
  return true;
}

void TradingNode::add_balance_offset(Venue v, const Asset& asset, Money delta) {
  const std::string key = "offset." + asset.str();
  Money offset = delta;
  if (store_ != nullptr) {
    if (auto prev = store_->get(live_ns(v), key); prev && *prev) {
      try {
        offset += Money::from_string(**prev);
      } catch (const std::exception&) {
        // unreadable: the new difference alone
      }
    }
    if (!store_->put(live_ns(v), key, offset.to_string(), clock_.now_ns()))
      spdlog::error("Balance offset not persisted; a restart shows the mismatch again venue={} asset={}",
                    to_string(v), asset.str());
  }
  tracker_.set_balance(v, asset, tracker_.balance(v, asset) + delta);
  spdlog::warn("Balance difference taken as holdings the journal cannot explain venue={} asset={} delta={} offset={}",
               to_string(v), asset.str(), delta.to_string(), offset.to_string());
}

void TradingNode::venue_reconcile_failed(Venue v, std::string why) {
  VenueLink& l = link(v);
  ++l.status.reconcile_failures;
  l.retry_at_ns = clock_.now_ns() + config_.venue_reconcile_retry_ms * kNanosPerMilli;
  spdlog::error("Venue reconciliation failed, not trading on it until it succeeds venue={} reason=\"{}\" retry_ms={}",
                to_string(v), why, config_.venue_reconcile_retry_ms);
  set_link_state(l, VenueLinkState::Unreconciled, std::move(why));
}

void TradingNode::retry_venue_reconciliations(UnixNanos now_ns) {
  if (state_ != NodeState::Ready) return;
  for (auto& l : links_) {
    if (l.venue == nullptr || l.status.state != VenueLinkState::Unreconciled || !l.status.connected) continue;
    if (now_ns < l.retry_at_ns) continue;
    ++l.generation;
    reconcile_venue(l.status.venue, true);
  }
}

}  // namespace tradingd
