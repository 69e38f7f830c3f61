// A small journal history shared by the journal and export tests: a filled, a canceled, a rejected
// and a partially filled order, each with the venue events that got it there.
#pragma once

#include "core/clock.h"
#include "execution/order_journal.h"

namespace tradingd::test {

void write_sample(OrderJournal& journal, SimulatedClock& clock);

}  // namespace tradingd::test
