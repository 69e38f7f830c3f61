// Fault injection state for one venue port, and the admin request that changes it. Pure: the server and
// the venue protocols read these flags; POST /_emulator/fault and the --fault flag write them.
// Faults: drop (close every WebSocket now), stall (send nothing, keep connections open), skip_seq (withhold
// book updates so clients see a sequence gap), corrupt_checksum (OKX), malformed (send broken frames),
// ignore_pings (do not answer the client's pings), clear.
// Trading side (generic; each venue module applies them in its own protocol): rest_no_reply (process the
// next N private requests but never answer: the server closes the connection), rest_5xx, rest_429 and
// rest_418 (the next N private requests are refused; duration_ms is the Retry-After), duplicate_fill (the
// last fill is reported again on the private stream), out_of_order (the next two private events swap),
// private_drop (private streams only are cut), listen_key_expire (the venue's stream token expires now),
// clock_skew (the venue's clock runs duration_ms ahead; negative: behind; 0 clears).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace tradingd::emulator {

enum class FaultKind : std::uint8_t {
  Drop, Stall, SkipSeq, CorruptChecksum, Malformed, IgnorePings,
  RestNoReply, Rest5xx, Rest429, Rest418, DuplicateFill, OutOfOrder, PrivateDrop, ListenKeyExpire, ClockSkew,
  Clear
};
std::string_view to_string(FaultKind k);
bool parse_fault_kind(std::string_view text, FaultKind& out);

struct FaultState {
  int drop_pending = 0;             // the server closes every WebSocket connection, then clears it
  std::int64_t stall_until_ms = 0;  // WebSocket output is discarded (not queued) until then
  int skip_seq_pending = 0;         // book updates of that many ticks are withheld
  int corrupt_checksum_pending = 0; // that many OKX book messages carry a wrong checksum
  int malformed_pending = 0;        // that many malformed frames go to every connection
  std::int64_t ignore_pings_until_ms = 0;
  bool okx_checksum_zero = false;   // config: send 0 like OKX production since June 2026
  // Trading side.
  int rest_no_reply_pending = 0;
  int rest_5xx_pending = 0;
  int rest_429_pending = 0;
  int rest_418_pending = 0;
  std::int64_t retry_after_ms = 1000;  // Retry-After of the 429/418 answers
  int duplicate_fill_pending = 0;
  int out_of_order_pending = 0;
  int private_drop_pending = 0;     // the server cuts private WebSockets only, then clears it
  int listen_key_expire_pending = 0;
  std::int64_t clock_skew_ms = 0;   // added to the venue's clock for timestamps and server time

  bool stalled(std::int64_t now_ms) const { return now_ms < stall_until_ms; }
  bool ignoring_pings(std::int64_t now_ms) const { return now_ms < ignore_pings_until_ms; }
};

struct FaultRequest {
  FaultKind kind = FaultKind::Clear;
  std::int64_t duration_ms = 10'000;  // stall, ignore_pings (-1: until cleared)
  int count = 1;                      // skip_seq, corrupt_checksum, malformed
};

void apply_fault(const FaultRequest& req, std::int64_t now_ms, FaultState& state);

// Body: {"fault":"stall","duration_ms":5000} or {"fault":"skip_seq","count":2}. Error text on bad input.
Result<FaultRequest, std::string> parse_fault_request(std::string_view json_body);
// Flag form: KIND[:N] where N is duration_ms for stall/ignore_pings and count for the others.
Result<FaultRequest, std::string> parse_fault_flag(std::string_view text);
// The admin reply: the state after the change, as JSON.
std::string describe_faults(const FaultState& state, std::int64_t now_ms);

}  // namespace tradingd::emulator
