// quoter: see quoter.h.
#include "strategy/quoter.h"

#include <algorithm>

#include "exchange/book/order_book.h"
#include "strategy/params.h"

namespace tradingd {
namespace {
constexpr std::string_view timer_name(Side side) { return side == Side::Buy ? "quoter_stale_bid" : "quoter_stale_ask"; }
}  // namespace

Result<std::unique_ptr<Strategy>, std::string> Quoter::create(const config::StrategyConfig& cfg) {
  ParamReader r(cfg.name, cfg.params);
  QuoterParams p;
  const auto q = r.quantity("quantity");
  if (!q && r.ok()) r.fail("quantity", "required (a positive decimal)");
  p.quantity = q.value_or(Quantity::zero());
  p.max_position = r.quantity_or("max_position", p.quantity);
  p.offset_ticks = r.integer("offset_ticks", p.offset_ticks, 0, 1'000'000);
  p.from_mid = r.choice("reference", "mid", {"mid", "touch"}) == "mid";
  p.requote_ticks = r.integer("requote_ticks", p.requote_ticks, 0, 1'000'000);
  p.stale_ms = r.integer("stale_ms", p.stale_ms, 0, 86'400'000);
  if (r.ok() && p.max_position < p.quantity) r.fail("max_position", "must be at least quantity");
  if (auto errors = r.finish(); !errors.empty()) return Err{std::move(errors)};
  return std::unique_ptr<Strategy>(std::make_unique<Quoter>(cfg.instruments.front(), p));
}

void Quoter::on_book(StrategyContext& ctx, const BookUpdate& update) {
  if (update.instrument != instrument_) return;
  const OrderBook* book = update.book;
  const auto best_bid = book != nullptr ? book->best_bid() : std::nullopt;
  const auto best_ask = book != nullptr ? book->best_ask() : std::nullopt;
  if (book == nullptr || !book->valid() || book->is_crossed() || !best_bid || !best_ask) {
    cancel_all(ctx);  // a book we cannot trust: quote nothing rather than something stale
    return;
  }
  const Instrument* inst = ctx.instrument(instrument_);
  if (inst == nullptr || !inst->tick_size.is_positive()) return;
  const Price tick = inst->tick_size;
  const Price offset = tick * params_.offset_ticks;

  Price bid;
  Price ask;
  if (params_.from_mid) {
    const Price mid = *book->mid();
    bid = (mid - offset).round_to(tick, Rounding::Down);
    ask = (mid + offset).round_to(tick, Rounding::Up);
  } else {
    bid = best_bid->price - offset;
    ask = best_ask->price + offset;
  }
  // Post-only: a bid at or above the best ask would take (and be refused); stay one tick passive.
  bid = std::min(bid, best_ask->price - tick);
  ask = std::max(ask, best_bid->price + tick);

  const Quantity position = ctx.position(instrument_);
  update_side(ctx, Side::Buy, bid, bid.is_positive() && position + params_.quantity <= params_.max_position, tick);
  update_side(ctx, Side::Sell, ask, position - params_.quantity >= -params_.max_position, tick);
}

void Quoter::update_side(StrategyContext& ctx, Side side, Price wanted, bool allowed, Price tick) {
  Slot& slot = slots_[index(side)];
  if (slot.id == 0) {
    if (allowed) place(ctx, side, wanted);
    return;
  }
  if (slot.canceling) return;
  const bool stale = params_.stale_ms > 0 && ctx.now_ns() - slot.placed_ns >= params_.stale_ms * kNanosPerMilli;
  const bool moved = (wanted - slot.price).abs() > tick * params_.requote_ticks;
  if (!allowed || stale || moved) cancel(ctx, side);
}

void Quoter::place(StrategyContext& ctx, Side side, Price price) {
  Signal s;
  s.instrument = instrument_;
  s.side = side;
  s.type = OrderType::Limit;
  s.time_in_force = TimeInForce::PostOnly;
  s.quantity = params_.quantity;
  s.limit_price = price;
  s.reference_price = price;
  s.strategy_id = ctx.strategy_id();
  s.tag = OrderTag::from(side == Side::Buy ? "quoter_bid" : "quoter_ask");
  const auto r = ctx.submit(s);
  if (!r) {
    ctx.log(StrategyLogLevel::Warn, "Quote rejected side=" + std::string(to_string(side)) + " price=" +
                                        price.to_string() + " kind=" + std::string(to_string(r.error().kind)) +
                                        " detail=" + r.error().detail);
    return;
  }
  const UnixNanos now = ctx.now_ns();
  slots_[index(side)] = Slot{*r, price, now, false};
  if (params_.stale_ms > 0) ctx.set_timer(timer_name(side), now + params_.stale_ms * kNanosPerMilli);
}

void Quoter::cancel(StrategyContext& ctx, Side side) {
  Slot& slot = slots_[index(side)];
  if (slot.id == 0 || slot.canceling) return;
  if (ctx.cancel(slot.id) == CancelOutcome::UnknownOrder) {
    slot = Slot{};  // the node does not know it: nothing will ever report it terminal
    return;
  }
  slot.canceling = true;  // Requested or NotOpen: the terminal update frees the slot
}

void Quoter::cancel_all(StrategyContext& ctx) {
  cancel(ctx, Side::Buy);
  cancel(ctx, Side::Sell);
}

void Quoter::on_order_update(StrategyContext& /*ctx*/, const Order& order) {
  for (Slot& slot : slots_)
    if (slot.id != 0 && slot.id == order.id() && order.is_terminal()) slot = Slot{};
}

void Quoter::on_timer(StrategyContext& ctx, const TimerEvent& timer) {
  // Only cancel here: the replacement needs a current book, which the next update brings.
  for (const Side side : {Side::Buy, Side::Sell}) {
    const Slot& slot = slots_[index(side)];
    if (timer.name == timer_name(side) && slot.id != 0 &&
        ctx.now_ns() - slot.placed_ns >= params_.stale_ms * kNanosPerMilli)
      cancel(ctx, side);
  }
}

void Quoter::on_stop(StrategyContext& ctx) { cancel_all(ctx); }

}  // namespace tradingd
