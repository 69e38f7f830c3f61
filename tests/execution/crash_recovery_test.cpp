// Crash recovery without killing a process: random order flows against a venue that keeps the truth,
// a crash at a random step (group commit: whatever was queued and not committed is lost; the venue keeps
// filling while we are down), then a restart: journal -> restore -> reconcile. Checked for 60 seeds in
// each journal mode: no order lost, none submitted twice, every venue fill counted exactly once, and the
// position equal to the sum of the venue's fills.
#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>

#include "core/clock.h"
#include "execution/journal_export.h"
#include "execution/reconciler.h"
#include "execution/sqlite_journal.h"
#include "tests/execution/fake_venue.h"
#include "tests/execution/test_helpers.h"

namespace tradingd {
namespace {

constexpr UnixNanos kT0 = 1'700'000'000 * kNanosPerSecond;
constexpr std::int64_t kUnit = 1'000'000;  // 0.001 in raw fixed point

struct Truth {
  test::FakeVenue& venue;
  SimulatedClock& clock;
  int next_trade = 0;

  std::vector<ClientOrderId> open() const {
    std::vector<ClientOrderId> r;
    for (const auto& [cid, rep] : venue.orders)
      if (rep.status == OrderStatus::Accepted || rep.status == OrderStatus::PartiallyFilled) r.push_back(cid);
    return r;
  }
  // The venue matches part of an order; returns the fill (not yet delivered to anyone).
  OrderFilled fill(const ClientOrderId& cid, std::mt19937_64& rng) {
    auto& rep = venue.orders.at(cid);
    const std::int64_t leaves = (rep.quantity - rep.filled_quantity).raw() / kUnit;
    const std::int64_t q = std::uniform_int_distribution<std::int64_t>(1, leaves)(rng);
    OrderFilled f;
    f.instrument = rep.instrument;
    f.client_order_id = cid;
    f.venue_order_id = rep.venue_order_id;
    f.trade_id = TradeId::from("T" + std::to_string(++next_trade));
    f.side = rep.side;
    f.last_quantity = Quantity::from_raw(q * kUnit);
    f.last_price = Price::from_units(100 + next_trade % 7);
    f.fee = Money::from_string("0.01");
    f.fee_asset = Asset::from("USDT");
    f.ts_event_ns = clock.now_ns();
    rep.filled_quantity += f.last_quantity;
    rep.status = rep.filled_quantity == rep.quantity ? OrderStatus::Filled : OrderStatus::PartiallyFilled;
    venue.fills.push_back(f);
    return f;
  }
};

void run_seed(std::uint64_t seed, bool group_commit) {
  test::TempDir dir;
  const auto path = journal_path_in(dir.path());
  std::mt19937_64 rng(seed);
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  SimulatedClock clock(kT0);
  test::FakeVenue venue;
  Truth truth{venue, clock};
  int venue_ids = 0;
  venue.on_submit = [&](const OrderRequest& r) {
    ASSERT_FALSE(venue.orders.count(r.client_order_id)) << "client order id submitted twice: " << r.client_order_id;
    OrderStatusReport rep;
    rep.instrument = r.instrument;
    rep.client_order_id = r.client_order_id;
    rep.venue_order_id = VenueOrderId::from("V" + std::to_string(++venue_ids));
    rep.side = r.side;
    rep.status = OrderStatus::Accepted;
    rep.quantity = r.quantity;
    rep.ts_event_ns = clock.now_ns();
    venue.orders[r.client_order_id] = rep;
  };
  const auto codec = *ClientOrderIdCodec::make("td");

  {
    SqliteJournalOptions o;
    o.fsync = false;
    o.commit_interval_ms = group_commit ? 3'600'000 : 0;  // group: commits only when the scenario flushes
    auto opened = SqliteJournal::open(path, o);
    ASSERT_TRUE(opened) << opened.error().message;
    auto j = std::move(*opened);
    OrderManager m(clock, *j, codec);
    m.add_venue(venue);
    std::size_t cancels_seen = 0;
    const int crash_at = pick(5, 80);
    for (int step = 0; step < crash_at; ++step) {
      clock.advance_ns(kNanosPerMilli);
      const auto open = truth.open();
      const ClientOrderId any = open.empty() ? ClientOrderId{} : open[static_cast<std::size_t>(pick(0, static_cast<int>(open.size()) - 1))];
      switch (pick(0, 9)) {
        case 0:
        case 1: {
          auto spec = test::limit_spec(pick(0, 1) ? Side::Buy : Side::Sell, "1", "100");
          spec.quantity = Quantity::from_raw(pick(1, 5) * kUnit);
          auto id = m.create(spec);
          ASSERT_TRUE(id);
          (void)m.submit(*id);
          break;
        }
        case 2:
          ASSERT_TRUE(j->flush());
          m.poll_journal();
          break;
        case 3:
          if (!any.empty()) venue.emit(OrderAccepted{test::btc(), any, venue.orders.at(any).venue_order_id, clock.now_ns()});
          break;
        case 4:
        case 5:
        case 6:
          if (!any.empty()) {
            const OrderFilled f = truth.fill(any, rng);
            venue.emit(f);
            if (pick(0, 3) == 0) venue.emit(f);  // the same fill again (stream + REST)
          }
          break;
        case 7: {
          const auto local = m.open_orders();
          if (!local.empty()) (void)m.cancel(local[static_cast<std::size_t>(pick(0, static_cast<int>(local.size()) - 1))]->id());
          for (; cancels_seen < venue.cancels.size(); ++cancels_seen) {  // the venue answers each cancel
            const auto& c = venue.cancels[cancels_seen];
            auto it = venue.orders.find(c.client_order_id);
            if (it != venue.orders.end() && is_open(it->second.status)) {
              it->second.status = OrderStatus::Canceled;
              venue.emit(OrderCanceled{test::btc(), c.client_order_id, it->second.venue_order_id, clock.now_ns()});
            } else {
              venue.emit(OrderCancelRejected{test::btc(), c.client_order_id, VenueError{VenueErrorReason::UnknownOrder, "", ""}, 0});
            }
          }
          break;
        }
        case 8:
          if (!venue.fills.empty()) venue.emit(venue.fills[static_cast<std::size_t>(pick(0, static_cast<int>(venue.fills.size()) - 1))]);
          break;
        default:
          // Committed but not yet sent when the crash comes: the restart must find it "not found".
          if (group_commit && pick(0, 1)) ASSERT_TRUE(j->flush());
          else m.poll_journal();
          break;
      }
      ASSERT_FALSE(m.halted()) << m.halt_reason();
    }
    if (group_commit) j->simulate_crash_for_test();  // the queued tail is lost
  }
  // While we are down the venue keeps matching.
  for (int k = pick(0, 3); k > 0; --k) {
    clock.advance_ns(kNanosPerSecond);
    const auto open = truth.open();
    if (!open.empty()) truth.fill(open[static_cast<std::size_t>(pick(0, static_cast<int>(open.size()) - 1))], rng);
  }
  clock.advance_ns(30 * kNanosPerSecond);

  // Restart.
  auto j = SqliteJournal::open(path, SqliteJournalOptions{0, 16, false, {}});
  ASSERT_TRUE(j) << j.error().message;
  test::FakeVenue venue2;
  venue2.orders = venue.orders;
  venue2.fills = venue.fills;
  OrderManager m(clock, **j, codec);
  auto restored = m.restore((*j)->snapshot());
  ASSERT_TRUE(restored) << restored.error();
  m.add_venue(venue2);
  OrderResolver resolver(m);
  Reconciler reconciler(m, resolver);
  std::optional<ReconcileReport> report;
  reconciler.run([&](const ReconcileReport& r) { report = r; });
  ASSERT_TRUE(report);
  EXPECT_TRUE(report->ok_to_trade());
  EXPECT_TRUE(report->unknown_venue_orders.empty());
  EXPECT_TRUE(venue2.submits.empty()) << "an order was sent again after the restart";

  // No order lost: every order the venue ever received is in the journal.
  for (const auto& [cid, rep] : venue.orders) ASSERT_NE(m.find_by_client_id(cid), nullptr) << "lost order " << cid;
  // Every venue fill counted exactly once, and nothing else counted.
  std::set<std::pair<std::string, std::string>> counted;
  Quantity position, venue_position;
  for (const Order* o : m.all_orders()) {
    for (const auto& f : o->fills()) {
      ASSERT_TRUE(counted.emplace(o->client_order_id().str(), f.trade_id.str()).second) << "fill counted twice";
      position += o->side() == Side::Buy ? f.quantity : -f.quantity;
    }
    auto it = venue.orders.find(o->client_order_id());
    if (it == venue.orders.end()) {
      // Never sent: rejected as not found, or canceled locally while awaiting its commit.
      EXPECT_TRUE(o->status() == OrderStatus::Rejected || o->status() == OrderStatus::Canceled) << to_string(o->status());
      EXPECT_TRUE(o->filled_quantity().is_zero());
      continue;
    }
    EXPECT_EQ(o->filled_quantity(), it->second.filled_quantity) << o->client_order_id();
    if (it->second.status == OrderStatus::Filled || it->second.status == OrderStatus::Canceled) {
      EXPECT_EQ(o->status(), it->second.status) << o->client_order_id();
    }
  }
  std::set<std::pair<std::string, std::string>> truth_fills;
  for (const auto& f : venue.fills) {
    truth_fills.emplace(f.client_order_id.str(), f.trade_id.str());
    venue_position += f.side == Side::Buy ? f.last_quantity : -f.last_quantity;
  }
  EXPECT_EQ(counted, truth_fills);
  EXPECT_EQ(position, venue_position);
}

TEST(CrashRecovery, SynchronousJournalAtRandomCrashPoints) {
  for (std::uint64_t seed = 1; seed <= 60; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    run_seed(seed, false);
    if (HasFailure()) return;
  }
}

TEST(CrashRecovery, GroupCommitJournalAtRandomCrashPoints) {
  for (std::uint64_t seed = 1; seed <= 60; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    run_seed(seed, true);
    if (HasFailure()) return;
  }
}

}  // namespace
}  // namespace tradingd
