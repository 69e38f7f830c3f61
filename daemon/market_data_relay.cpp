// MarketDataRelay (see market_data_relay.h). The milestone log lines are once per incident (a book that
// goes invalid and comes back logs "Book valid" again) and globally rate-limited, so a flapping feed
// cannot flood the log.
#include "daemon/market_data_relay.h"

#include <spdlog/spdlog.h>

#include "exchange/book/order_book.h"

namespace tradingd::daemon {
namespace {

std::int64_t ms_of(UnixNanos ns) { return ns / kNanosPerMilli; }

}  // namespace

MarketDataRelay::MarketDataRelay(std::vector<InstrumentId> instruments)
    : ids_(std::move(instruments)), states_(ids_.size()) {
  for (std::size_t i = 0; i < ids_.size(); ++i) index_.emplace(ids_[i], i);
}

MarketDataRelay::State* MarketDataRelay::find(const InstrumentId& id) {
  auto it = index_.find(id);
  return it == index_.end() ? nullptr : &states_[it->second];
}

const MarketDataRelay::State* MarketDataRelay::find(const InstrumentId& id) const {
  auto it = index_.find(id);
  return it == index_.end() ? nullptr : &states_[it->second];
}

void MarketDataRelay::attach(MarketDataSink* target, UnixNanos now_ns) {
  target_ = target;
  if (target_ == nullptr) return;
  for (std::size_t i = 0; i < ids_.size(); ++i)
    if (states_[i].status_known) target_->on_feed_status(ids_[i], states_[i].status, now_ns);
}

FeedStatus MarketDataRelay::status(const InstrumentId& id) const {
  const State* s = find(id);
  return s != nullptr ? s->status : FeedStatus::Disconnected;
}

std::uint64_t MarketDataRelay::trades(const InstrumentId& id) const {
  const State* s = find(id);
  return s != nullptr ? s->trades : 0;
}

bool MarketDataRelay::venue_live(Venue venue, std::string* detail) const {
  bool live = true;
  std::string text;
  for (std::size_t i = 0; i < ids_.size(); ++i) {
    if (ids_[i].venue != venue || states_[i].status == FeedStatus::Live) continue;
    live = false;
    if (!text.empty()) text += ", ";
    text += std::string(to_string(ids_[i].kind)) + ":" + ids_[i].symbol.str() + " " +
            std::string(to_string(states_[i].status));
  }
  if (detail != nullptr) *detail = live ? "all books valid, data flowing" : text;
  return live;
}

bool MarketDataRelay::admit(State* s) {
  if (s == nullptr) {
    ++dropped_unknown_;
    return false;
  }
  if (target_ == nullptr) {
    ++dropped_unattached_;
    return false;
  }
  ++events_;
  return true;
}

void MarketDataRelay::on_trade(const TradeTick& t) {
  State* s = find(t.instrument);
  if (s != nullptr) {
    ++s->trades;
    if (!s->trade_logged && milestone_log_.allow(ms_of(t.ts_recv_ns))) {
      s->trade_logged = true;
      spdlog::info("First trade instrument={} price={} size={} aggressor={}", t.instrument.to_string(),
                   t.price.to_string(), t.size.to_string(), to_string(t.aggressor));
    }
  }
  if (admit(s)) target_->on_trade(t);
}

void MarketDataRelay::on_quote(const QuoteTick& q) {
  if (admit(find(q.instrument))) target_->on_quote(q);
}

void MarketDataRelay::on_book(const BookUpdate& u) {
  State* s = find(u.instrument);
  if (s != nullptr && book_source_ && u.book != book_source_(u.instrument)) {
    ++secondary_books_;
    return;
  }
  if (s != nullptr && !s->book_logged && u.book != nullptr && u.book->valid() && milestone_log_.allow(ms_of(u.ts_recv_ns))) {
    s->book_logged = true;
    const auto bid = u.book->best_bid();
    const auto ask = u.book->best_ask();
    spdlog::info("Book valid instrument={} best_bid={} best_ask={} bid_levels={} ask_levels={} sequence={}",
                 u.instrument.to_string(), bid ? bid->price.to_string() : "-", ask ? ask->price.to_string() : "-",
                 u.book->depth(Side::Buy), u.book->depth(Side::Sell), u.sequence);
  }
  if (admit(s)) target_->on_book(u);
}

void MarketDataRelay::on_bar(const Bar& b) {
  if (admit(find(b.instrument))) target_->on_bar(b);
}

void MarketDataRelay::on_mark_price(const MarkPriceUpdate& m) {
  if (admit(find(m.instrument))) target_->on_mark_price(m);
}

void MarketDataRelay::on_funding_rate(const FundingRateUpdate& f) {
  if (admit(find(f.instrument))) target_->on_funding_rate(f);
}

void MarketDataRelay::on_feed_status(const InstrumentId& id, FeedStatus status, UnixNanos ts_ns) {
  State* s = find(id);
  if (s == nullptr) {
    ++dropped_unknown_;
    return;
  }
  s->status = status;
  s->status_known = true;
  if (status == FeedStatus::Resyncing || status == FeedStatus::Disconnected) s->book_logged = false;
  if (listener_) listener_(id, status);
  if (target_ != nullptr) target_->on_feed_status(id, status, ts_ns);
}

}  // namespace tradingd::daemon
