// ExternalStrategy: see external_strategy.h.
#include "strategy/external_strategy.h"

#include <algorithm>
#include <exception>

#include "strategy/protocol.h"

namespace tradingd {

ExternalStrategy::ExternalStrategy(std::unique_ptr<LineTransport> transport, ExternalMode mode,
                                   std::map<std::string, std::string> params, std::size_t max_lines_per_event)
    : transport_(std::move(transport)), mode_(mode), params_(std::move(params)), max_lines_per_event_(max_lines_per_event) {}

bool ExternalStrategy::is_mine(const InstrumentId& id) const {
  const auto& ids = ctx_->instruments();
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

void ExternalStrategy::fail(std::string why) {
  if (failed_) return;
  failed_ = true;
  failure_ = std::move(why);
  if (ctx_ != nullptr) ctx_->log(StrategyLogLevel::Error, "External strategy failed reason=\"" + failure_ + "\"");
}

void ExternalStrategy::send(const std::string& line) {
  // A submit made while handling an answer can fill at once (backtest): its fill line must wait until the
  // program's current answer is complete, or the two exchanges would interleave.
  if (in_exchange_) {
    pending_.push_back(line);
    return;
  }
  exchange(line);
  while (!pending_.empty() && !failed_) {
    const std::string next = std::move(pending_.front());
    pending_.pop_front();
    exchange(next);
  }
}

void ExternalStrategy::exchange(const std::string& line) {
  if (failed_ || transport_ == nullptr) return;
  in_exchange_ = true;
  struct Reset {
    bool& flag;
    ~Reset() { flag = false; }
  } reset{in_exchange_};
  try {
    if (!transport_->write_line(line)) return fail("write failed: the program is gone");
    if (mode_ == ExternalMode::Asynchronous) return;
    done_ = false;
    for (std::size_t n = 0; n < max_lines_per_event_; ++n) {
      auto in = transport_->read_line();
      if (!in) return fail("no answer: the program closed its output or timed out");
      handle_line(*in);
      if (done_ || failed_) return;
    }
    fail("no done line after " + std::to_string(max_lines_per_event_) + " lines");
  } catch (const std::exception& e) {
    fail(std::string("transport error: ") + e.what());
  }
}

void ExternalStrategy::sync_position(const InstrumentId& id) {
  const Quantity q = ctx_->position(id);
  const auto it = sent_position_.find(id);
  if (it != sent_position_.end() && it->second == q) return;
  sent_position_[id] = q;
  send(protocol::encode_position(id, q));
}

void ExternalStrategy::on_start(StrategyContext& ctx) {
  ctx_ = &ctx;
  resync();
}

void ExternalStrategy::resync() {
  if (ctx_ == nullptr) return;
  failed_ = false;
  failure_.clear();
  sent_position_.clear();
  const auto& ids = ctx_->instruments();
  send(protocol::encode_start(ctx_->strategy_id(), ctx_->mode(), ids, params_));
  for (const auto& id : ids) sync_position(id);
}

void ExternalStrategy::on_bar(StrategyContext& ctx, const Bar& bar) {
  ctx_ = &ctx;
  if (!bar.closed || !is_mine(bar.instrument)) return;
  sync_position(bar.instrument);  // the program decides on the position as it is now, not as it was
  last_price_[bar.instrument] = bar.close;
  send(protocol::encode_bar(bar));
}

void ExternalStrategy::on_trade(StrategyContext& ctx, const TradeTick& trade) {
  ctx_ = &ctx;
  if (!is_mine(trade.instrument)) return;
  last_price_[trade.instrument] = trade.price;
  send(protocol::encode_trade(trade));
}

void ExternalStrategy::on_fill(StrategyContext& ctx, const Order& order, const Fill& fill) {
  ctx_ = &ctx;
  send(protocol::encode_fill(order, fill));
  sync_position(order.instrument());
}

void ExternalStrategy::on_stop(StrategyContext& ctx) {
  ctx_ = &ctx;
  send(protocol::encode_stop());
  ctx_ = nullptr;
}

void ExternalStrategy::handle_line(std::string_view line) {
  if (ctx_ == nullptr || failed_) return;
  ++stats_.lines_in;
  auto decoded = protocol::decode_strategy_line(line);
  if (!decoded) {
    ++stats_.protocol_errors;
    ctx_->log(StrategyLogLevel::Warn, "External strategy protocol error error=\"" + decoded.error().message() + "\"");
    return;
  }
  if (std::holds_alternative<protocol::DoneMessage>(*decoded)) {
    done_ = true;
    return;
  }
  if (const auto* log = std::get_if<protocol::LogMessage>(&*decoded)) {
    ++stats_.logs;
    ctx_->log(log->level, log->message);
    return;
  }
  const auto& body = std::get<protocol::SignalMessage>(*decoded).body;
  ++stats_.signals;
  auto signal = protocol::to_signal(body, ctx_->instruments());
  if (!signal) {
    ++stats_.signals_rejected;
    ctx_->log(StrategyLogLevel::Warn, "External signal refused error=\"" + signal.error().message() + "\"");
    return;
  }
  signal->strategy_id = ctx_->strategy_id();
  if (signal->type == OrderType::Market && !signal->reference_price) {
    if (const auto it = last_price_.find(signal->instrument); it != last_price_.end()) signal->reference_price = it->second;
  }
  const auto r = ctx_->submit(*signal);
  if (!r) {
    ++stats_.signals_rejected;
    ctx_->log(StrategyLogLevel::Warn, "External signal rejected kind=" + std::string(to_string(r.error().kind)) +
                                          " detail=\"" + r.error().detail + "\"");
  }
}

}  // namespace tradingd
