// Fault requests: parsing (admin JSON body, command-line flag) and their effect on the per-venue state.
#include "exchange/emulator/faults.h"

#include <array>
#include <charconv>
#include <limits>

#include <boost/json.hpp>

namespace tradingd::emulator {
namespace {
constexpr std::array<std::pair<FaultKind, std::string_view>, 21> kNames{{
    {FaultKind::Drop, "drop"},
    {FaultKind::Stall, "stall"},
    {FaultKind::SkipSeq, "skip_seq"},
    {FaultKind::CorruptChecksum, "corrupt_checksum"},
    {FaultKind::Malformed, "malformed"},
    {FaultKind::IgnorePings, "ignore_pings"},
    {FaultKind::Rest429, "rest_429"},
    {FaultKind::Rest418, "rest_418"},
    {FaultKind::DuplicateFill, "duplicate_fill"},
    {FaultKind::PrivateDrop, "private_drop"},
    {FaultKind::ListenKeyExpire, "listen_key_expire"},
    {FaultKind::ClockSkew, "clock_skew"},
    {FaultKind::AcceptNoReply, "accept_no_reply"},
    {FaultKind::Http5xx, "http_5xx"},
    {FaultKind::RateLimit, "rate_limit"},
    {FaultKind::DuplicateFills, "duplicate_fills"},
    {FaultKind::Reorder, "reorder"},
    {FaultKind::Clear, "clear"},
    // Other spellings (parsed, never printed: to_string gives the first name of a kind).
    {FaultKind::AcceptNoReply, "rest_no_reply"},
    {FaultKind::Http5xx, "rest_5xx"},
    {FaultKind::Reorder, "out_of_order"},
}};
constexpr std::int64_t kForever = std::numeric_limits<std::int64_t>::max();

bool uses_duration(FaultKind k) {
  return k == FaultKind::Stall || k == FaultKind::IgnorePings || k == FaultKind::RateLimit || k == FaultKind::ClockSkew;
}
}  // namespace

std::string_view to_string(FaultKind k) {
  for (const auto& [kind, name] : kNames)
    if (kind == k) return name;
  return "?";
}

bool parse_fault_kind(std::string_view text, FaultKind& out) {
  for (const auto& [kind, name] : kNames) {
    if (name == text) {
      out = kind;
      return true;
    }
  }
  return false;
}

void apply_fault(const FaultRequest& req, std::int64_t now_ms, FaultState& s) {
  const std::int64_t until = req.duration_ms < 0 ? kForever : now_ms + req.duration_ms;
  switch (req.kind) {
    case FaultKind::Drop: s.drop_pending += req.count; break;
    case FaultKind::Stall: s.stall_until_ms = until; break;
    case FaultKind::SkipSeq: s.skip_seq_pending += req.count; break;
    case FaultKind::CorruptChecksum: s.corrupt_checksum_pending += req.count; break;
    case FaultKind::Malformed: s.malformed_pending += req.count; break;
    case FaultKind::IgnorePings: s.ignore_pings_until_ms = until; break;
    case FaultKind::AcceptNoReply: s.accept_no_reply_pending += req.count; break;
    case FaultKind::Http5xx: s.http_5xx_pending += req.count; break;
    case FaultKind::RateLimit:
      s.rate_limit_pending += req.count;  // OKX counts requests,
      s.rate_limit_until_ms = until;      // Bybit throttles for a while
      break;
    case FaultKind::DuplicateFill: s.duplicate_fill_pending += req.count; break;
    case FaultKind::DuplicateFills: s.duplicate_fills_pending += req.count; break;
    case FaultKind::Reorder: s.reorder_pending += req.count; break;
    case FaultKind::Rest429:
    case FaultKind::Rest418:
      (req.kind == FaultKind::Rest429 ? s.rest_429_pending : s.rest_418_pending) += req.count;
      s.retry_after_ms = req.duration_ms < 0 ? 1000 : req.duration_ms;
      break;
    case FaultKind::PrivateDrop: s.private_drop_pending += req.count; break;
    case FaultKind::ListenKeyExpire: s.listen_key_expire_pending += req.count; break;
    case FaultKind::ClockSkew: s.clock_skew_ms = req.duration_ms; break;
    case FaultKind::Clear: {
      const bool zero = s.okx_checksum_zero;
      s = FaultState{};
      s.okx_checksum_zero = zero;
      break;
    }
  }
}

Result<FaultRequest, std::string> parse_fault_request(std::string_view json_body) {
  boost::system::error_code ec;
  const boost::json::value v = boost::json::parse(json_body, ec);
  if (ec || !v.is_object()) return Err{std::string("body must be a JSON object")};
  const auto& o = v.get_object();
  FaultRequest req;
  const auto* kind = o.if_contains("fault");
  if (!kind || !kind->is_string() || !parse_fault_kind(kind->get_string(), req.kind))
    return Err{std::string("\"fault\" must be one of drop, stall, skip_seq, corrupt_checksum, malformed, "
                           "ignore_pings, accept_no_reply, http_5xx, rate_limit, duplicate_fill, duplicate_fills, "
                           "reorder, clock_skew, rest_no_reply, rest_5xx, rest_429, rest_418, out_of_order, "
                           "private_drop, listen_key_expire, clear")};
  if (const auto* d = o.if_contains("duration_ms")) {
    if (!d->is_int64()) return Err{std::string("\"duration_ms\" must be an integer (-1: until cleared)")};
    req.duration_ms = d->get_int64();
  }
  if (const auto* c = o.if_contains("count")) {
    if (!c->is_int64() || c->get_int64() < 1 || c->get_int64() > 1'000'000)
      return Err{std::string("\"count\" must be an integer in 1..1000000")};
    req.count = static_cast<int>(c->get_int64());
  }
  for (const auto& kv : o) {
    if (kv.key() != "fault" && kv.key() != "duration_ms" && kv.key() != "count")
      return Err{"unknown key \"" + std::string(kv.key()) + "\""};
  }
  return req;
}

Result<FaultRequest, std::string> parse_fault_flag(std::string_view text) {
  FaultRequest req;
  const auto colon = text.find(':');
  const std::string_view name = text.substr(0, colon);
  if (!parse_fault_kind(name, req.kind)) return Err{"unknown fault \"" + std::string(name) + "\""};
  if (colon != std::string_view::npos) {
    const std::string_view num = text.substr(colon + 1);
    std::int64_t n = 0;
    const auto [p, ec] = std::from_chars(num.data(), num.data() + num.size(), n);
    if (ec != std::errc{} || p != num.data() + num.size()) return Err{"bad number in \"" + std::string(text) + "\""};
    if (uses_duration(req.kind)) {
      req.duration_ms = n;
    } else {
      if (n < 1 || n > 1'000'000) return Err{"count out of range in \"" + std::string(text) + "\""};
      req.count = static_cast<int>(n);
    }
  } else if (uses_duration(req.kind) && req.kind != FaultKind::ClockSkew) {
    req.duration_ms = -1;  // a startup flag without a duration lasts until cleared
  }
  return req;
}

std::string describe_faults(const FaultState& s, std::int64_t now_ms) {
  auto remaining = [&](std::int64_t until) -> boost::json::value {
    if (until == kForever) return -1;
    return until > now_ms ? until - now_ms : 0;
  };
  boost::json::object o;
  o["drop_pending"] = s.drop_pending;
  o["stall_remaining_ms"] = remaining(s.stall_until_ms);
  o["skip_seq_pending"] = s.skip_seq_pending;
  o["corrupt_checksum_pending"] = s.corrupt_checksum_pending;
  o["malformed_pending"] = s.malformed_pending;
  o["ignore_pings_remaining_ms"] = remaining(s.ignore_pings_until_ms);
  o["okx_checksum_zero"] = s.okx_checksum_zero;
  o["accept_no_reply_pending"] = s.accept_no_reply_pending;
  o["http_5xx_pending"] = s.http_5xx_pending;
  o["rate_limit_pending"] = s.rate_limit_pending;
  o["rate_limit_remaining_ms"] = remaining(s.rate_limit_until_ms);
  o["duplicate_fill_pending"] = s.duplicate_fill_pending;
  o["duplicate_fills_pending"] = s.duplicate_fills_pending;
  o["reorder_pending"] = s.reorder_pending;
  o["rest_429_pending"] = s.rest_429_pending;
  o["rest_418_pending"] = s.rest_418_pending;
  o["retry_after_ms"] = s.retry_after_ms;
  o["private_drop_pending"] = s.private_drop_pending;
  o["listen_key_expire_pending"] = s.listen_key_expire_pending;
  o["clock_skew_ms"] = s.clock_skew_ms;
  return boost::json::serialize(o);
}

}  // namespace tradingd::emulator
