// Fault injection state for one venue port, and the admin request that changes it. Pure: the server and
// the venue protocols read these flags; POST /_emulator/fault and the --fault flag write them.
// Faults: drop (close every WebSocket now), stall (send nothing, keep connections open), skip_seq (withhold
// book updates so clients see a sequence gap), corrupt_checksum (OKX), malformed (send broken frames),
// ignore_pings (do not answer the client's pings), clear.
// Trading side (issue 7), read by the venues' private REST/streams (each venue reads the fields its tests
// use): accept_no_reply (the next N order entries are executed, then the connection closes without an
// answer), http_5xx (the next N private requests get a 5xx, not executed), rate_limit (OKX: the next N
// private requests get 429 with the venue's code; Bybit: refused as throttled for duration_ms, reset time
// in its headers), duplicate_fill (OKX: the next N fills are pushed twice), duplicate_fills (Bybit: the
// next N execution pushes are sent twice and a previous one re-sent after them), reorder (OKX: the next
// two private events swap), clock_skew (the venue's clock runs duration_ms ahead; negative: behind);
// Binance's module also reads: rest_429 and rest_418 (the next N private requests are refused; duration_ms
// is the Retry-After), private_drop (private streams only are cut), listen_key_expire (the stream token
// expires now). rest_no_reply, rest_5xx and out_of_order are other names of accept_no_reply, http_5xx and
// reorder (the three venue modules were written in parallel; both spellings are accepted).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace tradingd::emulator {

enum class FaultKind : std::uint8_t {
  Drop, Stall, SkipSeq, CorruptChecksum, Malformed, IgnorePings, Clear,
  AcceptNoReply, Http5xx, RateLimit, DuplicateFill, DuplicateFills, Reorder, ClockSkew,
  Rest429, Rest418, PrivateDrop, ListenKeyExpire,
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
  int accept_no_reply_pending = 0;  // orders executed whose answer is never sent
  int http_5xx_pending = 0;         // private requests answered 503 without being executed
  int rate_limit_pending = 0;       // OKX: private requests answered 429 (venue's rate-limit code)
  std::int64_t rate_limit_until_ms = 0;  // Bybit: private requests refused as throttled until then
  int duplicate_fills_pending = 0;  // Bybit: execution pushes duplicated / replayed out of order
  int duplicate_fill_pending = 0;   // fills pushed twice on the private streams
  int reorder_pending = 0;          // private-stream event pairs pushed in swapped order
  std::int64_t clock_skew_ms = 0;   // the venue's clock minus the host's

  // Consume one pending count; true when the fault fires now.
  static bool take(int& pending) {
    if (pending <= 0) return false;
    --pending;
    return true;
  }
  // Binance's kinds.
  int rest_429_pending = 0;
  int rest_418_pending = 0;
  std::int64_t retry_after_ms = 1000;  // Retry-After of the 429/418 answers
  int private_drop_pending = 0;     // the server cuts private WebSockets only, then clears it
  int listen_key_expire_pending = 0;

  bool stalled(std::int64_t now_ms) const { return now_ms < stall_until_ms; }
  bool ignoring_pings(std::int64_t now_ms) const { return now_ms < ignore_pings_until_ms; }
  bool rate_limited(std::int64_t now_ms) const { return now_ms < rate_limit_until_ms; }
};

struct FaultRequest {
  FaultKind kind = FaultKind::Clear;
  std::int64_t duration_ms = 10'000;  // stall, ignore_pings, rate_limit (-1: until cleared); clock_skew: the skew
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
