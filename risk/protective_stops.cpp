// Stop-loss / take-profit bookkeeping. A long's stop-loss sits below the reference and its take-profit
// above; a short's the other way round, so one price can hit at most one leg.
#include "risk/protective_stops.h"

namespace tradingd {
namespace {

bool valid_side(Side position_side, StopKind kind, Price price, Price reference) {
  const bool below = price < reference;
  const bool loss_below = position_side == Side::Buy;
  return kind == StopKind::StopLoss ? below == loss_below && price != reference : below != loss_below && price != reference;
}

StopAction action(StopAction::Kind kind, const InstrumentId& id, StopKind stop, const ProtectiveStop& s, Price price) {
  return StopAction{kind, id, stop, opposite(s.position_side), s.quantity, price};
}

void legs(std::vector<StopAction>& out, StopAction::Kind kind, const InstrumentId& id, const ProtectiveStop& s) {
  if (s.stop_loss) out.push_back(action(kind, id, StopKind::StopLoss, s, *s.stop_loss));
  if (s.take_profit) out.push_back(action(kind, id, StopKind::TakeProfit, s, *s.take_profit));
}

}  // namespace

std::string_view to_string(StopKind k) { return k == StopKind::StopLoss ? "stop_loss" : "take_profit"; }

std::string_view to_string(StopError e) {
  switch (e) {
    case StopError::FlatPosition: return "flat_position";
    case StopError::WrongSide: return "wrong_side";
    case StopError::NotFound: return "not_found";
    case StopError::NonPositivePrice: return "non_positive_price";
  }
  return "unknown";
}

Result<std::vector<StopAction>, StopError> ProtectiveStops::set(const InstrumentId& id, Quantity position, Price reference,
                                                                std::optional<Price> stop_loss, std::optional<Price> take_profit) {
  if (position.is_zero()) return Err{StopError::FlatPosition};
  const Side side = position.is_positive() ? Side::Buy : Side::Sell;
  for (auto [kind, p] : {std::pair{StopKind::StopLoss, stop_loss}, std::pair{StopKind::TakeProfit, take_profit}}) {
    if (!p) continue;
    if (!p->is_positive()) return Err{StopError::NonPositivePrice};
    if (!valid_side(side, kind, *p, reference)) return Err{StopError::WrongSide};
  }
  std::vector<StopAction> out = cancel(id);
  if (!stop_loss && !take_profit) return out;
  ProtectiveStop s{side, position.abs(), stop_loss, take_profit};
  legs(out, StopAction::Kind::Place, id, s);
  stops_[id] = s;
  return out;
}

Result<std::vector<StopAction>, StopError> ProtectiveStops::move(const InstrumentId& id, StopKind kind, Price price, Price reference) {
  auto it = stops_.find(id);
  if (it == stops_.end()) return Err{StopError::NotFound};
  if (!price.is_positive()) return Err{StopError::NonPositivePrice};
  ProtectiveStop& s = it->second;
  if (!valid_side(s.position_side, kind, price, reference)) return Err{StopError::WrongSide};
  std::optional<Price>& leg = kind == StopKind::StopLoss ? s.stop_loss : s.take_profit;
  const auto k = leg ? StopAction::Kind::Replace : StopAction::Kind::Place;
  leg = price;
  return std::vector<StopAction>{action(k, id, kind, s, price)};
}

std::vector<StopAction> ProtectiveStops::cancel(const InstrumentId& id, std::optional<StopKind> kind) {
  std::vector<StopAction> out;
  auto it = stops_.find(id);
  if (it == stops_.end()) return out;
  ProtectiveStop& s = it->second;
  if (!kind || *kind == StopKind::StopLoss) {
    if (s.stop_loss) out.push_back(action(StopAction::Kind::Cancel, id, StopKind::StopLoss, s, *s.stop_loss));
    s.stop_loss.reset();
  }
  if (!kind || *kind == StopKind::TakeProfit) {
    if (s.take_profit) out.push_back(action(StopAction::Kind::Cancel, id, StopKind::TakeProfit, s, *s.take_profit));
    s.take_profit.reset();
  }
  if (!s.stop_loss && !s.take_profit) stops_.erase(it);
  return out;
}

std::vector<StopAction> ProtectiveStops::on_position(const InstrumentId& id, Quantity position) {
  auto it = stops_.find(id);
  if (it == stops_.end()) return {};
  ProtectiveStop& s = it->second;
  const bool flipped = !position.is_zero() && (position.is_positive() != (s.position_side == Side::Buy));
  if (position.is_zero() || flipped) return cancel(id);  // the stops protected a position that is gone
  if (position.abs() == s.quantity) return {};
  s.quantity = position.abs();
  std::vector<StopAction> out;
  legs(out, StopAction::Kind::Replace, id, s);
  return out;
}

std::optional<StopTrigger> ProtectiveStops::on_price(const InstrumentId& id, Price price) {
  auto it = stops_.find(id);
  if (it == stops_.end()) return std::nullopt;
  const ProtectiveStop s = it->second;
  const bool is_long = s.position_side == Side::Buy;
  std::optional<StopKind> hit;
  if (s.stop_loss && (is_long ? price <= *s.stop_loss : price >= *s.stop_loss)) hit = StopKind::StopLoss;
  else if (s.take_profit && (is_long ? price >= *s.take_profit : price <= *s.take_profit)) hit = StopKind::TakeProfit;
  if (!hit) return std::nullopt;
  stops_.erase(it);
  return StopTrigger{id, *hit, opposite(s.position_side), s.quantity, *hit == StopKind::StopLoss ? *s.stop_loss : *s.take_profit};
}

void ProtectiveStops::restore(const InstrumentId& id, const ProtectiveStop& s) {
  if ((!s.stop_loss && !s.take_profit) || s.quantity.is_zero()) {
    stops_.erase(id);
    return;
  }
  stops_[id] = s;
}

const ProtectiveStop* ProtectiveStops::find(const InstrumentId& id) const {
  auto it = stops_.find(id);
  return it == stops_.end() ? nullptr : &it->second;
}

}  // namespace tradingd
