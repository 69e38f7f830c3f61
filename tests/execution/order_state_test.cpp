// The transition table checked exhaustively (every status x event) against a second, independent
// encoding of the specification, and through Order for every reachable status.
#include <gtest/gtest.h>

#include <array>
#include <string>

#include "execution/order.h"
#include "execution/order_state.h"
#include "tests/execution/test_helpers.h"

namespace tradingd {
namespace {

using S = OrderStatus;
using E = OrderEvent;

constexpr std::array<S, kOrderStatusCount> kStatuses{S::Initialized, S::Submitted, S::Accepted, S::PartiallyFilled,
                                                     S::Filled, S::PendingCancel, S::PendingUpdate, S::Canceled,
                                                     S::Rejected, S::Expired};
constexpr std::array<E, kOrderEventCount> kEvents{E::Submit, E::Accept, E::Reject, E::Trigger, E::PartialFill,
                                                  E::Fill, E::CancelRequest, E::CancelReject, E::Cancel, E::Expire};

// Rows: statuses in enum order. Columns: submit accept reject trigger partial_fill fill cancel_request
// cancel_reject cancel expire. '.' illegal, '*' resume, else the target:
// I=initialized S=submitted A=accepted P=partially_filled F=filled C=pending_cancel X=canceled
// R=rejected E=expired.
constexpr std::array<std::string_view, kOrderStatusCount> kSpec{
    "S.R.....X.",  // initialized
    ".ARAPFCSXE",  // submitted
    ".ARAPFCAXE",  // accepted
    ".P.PPFCPXE",  // partially_filled
    ".F.F...FFF",  // filled
    ".CRCCFC*XE",  // pending_cancel
    "..........",  // pending_update: no amend yet
    ".X..XF.XX.",  // canceled
    "..R.RF....",  // rejected
    ".E..EF.E.E",  // expired
};

S from_letter(char c) {
  switch (c) {
    case 'I': return S::Initialized;
    case 'S': return S::Submitted;
    case 'A': return S::Accepted;
    case 'P': return S::PartiallyFilled;
    case 'F': return S::Filled;
    case 'C': return S::PendingCancel;
    case 'X': return S::Canceled;
    case 'R': return S::Rejected;
    case 'E': return S::Expired;
  }
  ADD_FAILURE() << "bad letter " << c;
  return S::Initialized;
}

TEST(OrderStateTable, EveryStatusTimesEventMatchesTheSpecification) {
  int legal = 0;
  for (std::size_t s = 0; s < kStatuses.size(); ++s) {
    for (std::size_t e = 0; e < kEvents.size(); ++e) {
      const char want = kSpec[s][e];
      const auto got = find_transition(kStatuses[s], kEvents[e]);
      SCOPED_TRACE(std::string(to_string(kStatuses[s])) + " x " + std::string(to_string(kEvents[e])));
      if (want == '.') {
        EXPECT_FALSE(got.has_value());
        continue;
      }
      ++legal;
      ASSERT_TRUE(got.has_value());
      if (want == '*') {
        EXPECT_TRUE(got->resume);
      } else {
        EXPECT_FALSE(got->resume);
        EXPECT_EQ(got->status, from_letter(want));
      }
    }
  }
  EXPECT_EQ(static_cast<std::size_t>(legal), transition_table().size());
}

TEST(OrderStateTable, ResumeGoesBackToTheLiveStatusTheFactsGive) {
  EXPECT_EQ(next_status(S::PendingCancel, E::CancelReject, {false, false}), S::Submitted);
  EXPECT_EQ(next_status(S::PendingCancel, E::CancelReject, {true, false}), S::Accepted);
  EXPECT_EQ(next_status(S::PendingCancel, E::CancelReject, {true, true}), S::PartiallyFilled);
}

TEST(OrderStateTable, TerminalStatusesNeverLeadToOpenOnes) {
  for (const auto& edge : transition_table())
    if (is_terminal(edge.from)) {
      ASSERT_FALSE(edge.to.resume);
      EXPECT_TRUE(is_terminal(edge.to.status)) << to_string(edge.from) << " x " << to_string(edge.event);
    }
}

TEST(OrderStateTable, EventNamesRoundTrip) {
  for (E e : kEvents) EXPECT_EQ(parse_order_event(to_string(e)), e);
  EXPECT_FALSE(parse_order_event("filled").has_value());
}

// Drives an Order into `status` with legal events; PendingUpdate is unreachable (no amend).
std::optional<Order> order_in(S status) {
  Order o(1, ClientOrderId::from("c1"), test::limit_spec(Side::Buy, "1", "100"), 0);
  const LocalStamp t{1, 1};
  auto fill = [&](const char* q) {
    return o.apply_fill(Fill{TradeId::from("seed"), {}, test::qty(q), test::px("100"), {}, {}, LiquiditySide::Maker, 1}, t);
  };
  if (status == S::Initialized) return o;
  if (status == S::PendingUpdate) return std::nullopt;
  o.apply(E::Submit, t);
  switch (status) {
    case S::Submitted: break;
    case S::Accepted: o.apply(E::Accept, t); break;
    case S::PartiallyFilled: o.apply(E::Accept, t); fill("0.4"); break;
    case S::Filled: o.apply(E::Accept, t); fill("1"); break;
    case S::PendingCancel: o.apply(E::Accept, t); o.apply(E::CancelRequest, t); break;
    case S::Canceled: o.apply(E::Accept, t); o.apply(E::Cancel, t); break;
    case S::Rejected: o.apply(E::Reject, t); break;
    case S::Expired: o.apply(E::Accept, t); o.apply(E::Expire, t); break;
    default: break;
  }
  EXPECT_EQ(o.status(), status);
  return o;
}

TEST(OrderStateTable, OrderAppliesExactlyTheTableAndIgnoresEverythingElse) {
  for (S s : kStatuses) {
    for (E e : kEvents) {
      auto o = order_in(s);
      if (!o) continue;
      SCOPED_TRACE(std::string(to_string(s)) + " x " + std::string(to_string(e)));
      const Quantity filled_before = o->filled_quantity();
      ApplyResult r;
      if (e == E::PartialFill || e == E::Fill) {
        // A fill that leaves something open, or one that completes the order.
        const Quantity q = e == E::Fill ? o->leaves_quantity() : test::qty("0.1");
        if (!q.is_positive()) continue;  // filled: no fill of either kind can fit (over-fill, tested elsewhere)
        if (e == E::PartialFill && q >= o->leaves_quantity()) continue;
        r = o->apply_fill(Fill{TradeId::from("t"), {}, q, test::px("100"), {}, {}, LiquiditySide::Taker, 2}, {2, 2});
      } else {
        r = o->apply(e, {2, 2});
      }
      const auto want = next_status(s, e, TransitionFacts{o->acked() || e == E::Accept || e == E::Trigger, filled_before.is_positive()});
      if (!want) {
        EXPECT_EQ(r.outcome, ApplyOutcome::Illegal);
        EXPECT_EQ(o->status(), s);
        EXPECT_EQ(o->filled_quantity(), filled_before);
      } else {
        EXPECT_EQ(r.outcome, ApplyOutcome::Applied);
        EXPECT_EQ(o->status(), *want);
      }
    }
  }
}

}  // namespace
}  // namespace tradingd
