// Live-mode process test support (see live_emulator.h).
#include "tests/daemon/live_emulator.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <chrono>
#include <cstdio>
#include <ctime>

#include "tests/support/fixtures.h"

namespace tradingd::test {
namespace {

std::string hmac_raw(const std::string& key, const std::string& msg) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(msg.data()),
       msg.size(), out, &len);
  return std::string(reinterpret_cast<const char*>(out), len);
}

std::string hex(const std::string& raw) {
  static const char* kDigits = "0123456789abcdef";
  std::string s;
  for (unsigned char c : raw) {
    s += kDigits[c >> 4];
    s += kDigits[c & 15];
  }
  return s;
}

std::string base64(const std::string& raw) {
  std::string out(4 * ((raw.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(raw.data()), static_cast<int>(raw.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string iso_ms(std::int64_t ms) {
  const std::time_t s = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&s, &tm);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms % 1000));
  return buf;
}

// One signed GET; the parsed JSON answer or an error text.
struct Got {
  boost::json::value doc;
  std::string error;
};
Got signed_get(const EmulatorProcess& emu, const std::string& venue, const std::string& path_and_query) {
  const auto curl = find_program("curl");
  if (!curl) return {{}, "curl is not installed"};
  std::vector<std::string> argv{curl->string(), "-sS", "--max-time", "10", "--cacert", emu.ca_file().string()};
  auto header = [&](const std::string& h) {
    argv.push_back("-H");
    argv.push_back(h);
  };
  std::string target = path_and_query;
  const std::int64_t ts = now_ms();
  if (venue == "binance") {
    std::string q = path_and_query.substr(path_and_query.find('?') + 1) + "&timestamp=" + std::to_string(ts) +
                    "&recvWindow=10000";
    target = path_and_query.substr(0, path_and_query.find('?')) + "?" + q + "&signature=" + hex(hmac_raw(kEmuSecret, q));
    header(std::string("X-MBX-APIKEY: ") + kEmuKey);
  } else if (venue == "bybit") {
    const std::string q = path_and_query.substr(path_and_query.find('?') + 1);
    const std::string recv = "10000";
    header(std::string("X-BAPI-API-KEY: ") + kEmuKey);
    header("X-BAPI-TIMESTAMP: " + std::to_string(ts));
    header("X-BAPI-RECV-WINDOW: " + recv);
    header("X-BAPI-SIGN: " + hex(hmac_raw(kEmuSecret, std::to_string(ts) + kEmuKey + recv + q)));
  } else {
    const std::string iso = iso_ms(ts);
    header(std::string("OK-ACCESS-KEY: ") + kEmuKey);
    header("OK-ACCESS-TIMESTAMP: " + iso);
    header(std::string("OK-ACCESS-PASSPHRASE: ") + kEmuPassphrase);
    header("OK-ACCESS-SIGN: " + base64(hmac_raw(kEmuSecret, iso + "GET" + path_and_query)));
  }
  argv.push_back(emu.url(venue, "rest") + target);
  auto r = run_program(argv, {{"PATH", "/usr/bin:/bin"}}, 15s);
  if (r.exit_code != 0) return {{}, "curl exit " + std::to_string(r.exit_code) + ": " + r.err};
  boost::system::error_code ec;
  auto doc = boost::json::parse(r.out, ec);
  if (ec) return {{}, "not JSON: " + r.out};
  return {std::move(doc), {}};
}

std::string text_of(const boost::json::value& v) {
  if (v.is_string()) return std::string(v.as_string());
  return boost::json::serialize(v);  // Binance ids are numbers
}

// The list inside a venue's envelope (Binance: the array itself; Bybit: result.list; OKX: data).
const boost::json::array* list_of(const Got& g, const std::string& venue, std::string& error) {
  if (!g.error.empty()) {
    error = g.error;
    return nullptr;
  }
  const boost::json::value* v = &g.doc;
  if (venue == "bybit") {
    const auto* o = g.doc.if_object();
    const auto* res = o ? o->if_contains("result") : nullptr;
    v = res && res->is_object() ? res->as_object().if_contains("list") : nullptr;
  } else if (venue == "okx") {
    const auto* o = g.doc.if_object();
    v = o ? o->if_contains("data") : nullptr;
  }
  if (v == nullptr || !v->is_array()) {
    error = "unexpected answer: " + boost::json::serialize(g.doc);
    return nullptr;
  }
  return &v->as_array();
}

}  // namespace

std::vector<std::string> emulator_credential_args() {
  return {"--api-key", kEmuKey, "--api-secret", kEmuSecret, "--passphrase", kEmuPassphrase};
}

std::map<std::string, std::string> live_env(const TempDir& dir, const EmulatorProcess& emulator) {
  auto env = daemon_env(dir);
  emulator.wire(env);
  env["TRADINGD_MODE"] = "live";
  for (const std::string v : {"BINANCE", "BYBIT", "OKX"}) {
    env["TRADINGD_" + v + "_API_KEY"] = kEmuKey;
    env["TRADINGD_" + v + "_API_SECRET"] = kEmuSecret;
  }
  env["TRADINGD_OKX_API_PASSPHRASE"] = kEmuPassphrase;
  env["TRADINGD_API_TOKEN"] = kApiToken;
  return env;
}

VenueRecords venue_records(const EmulatorProcess& emu, const std::string& venue, const std::string& symbol) {
  VenueRecords out;
  std::string fills_path, open_path, trade_key, order_key, client_key;
  if (venue == "binance") {
    fills_path = "/api/v3/myTrades?symbol=" + symbol + "&limit=1000";
    open_path = "/api/v3/openOrders?symbol=" + symbol;
    trade_key = "id";
    order_key = "orderId";
  } else if (venue == "bybit") {
    fills_path = "/v5/execution/list?category=spot&symbol=" + symbol + "&limit=100";
    open_path = "/v5/order/realtime?category=spot&symbol=" + symbol;
    trade_key = "execId";
    order_key = "orderId";
    client_key = "orderLinkId";
  } else {
    fills_path = "/api/v5/trade/fills?instType=SPOT&instId=" + symbol + "&limit=100";
    open_path = "/api/v5/trade/orders-pending?instType=SPOT&instId=" + symbol;
    trade_key = "tradeId";
    order_key = "ordId";
    client_key = "clOrdId";
  }
  const auto fills = signed_get(emu, venue, fills_path);
  const auto* list = list_of(fills, venue, out.error);
  if (list == nullptr) return out;
  for (const auto& f : *list) {
    const auto* o = f.if_object();
    if (o == nullptr || !o->contains(trade_key) || !o->contains(order_key)) {
      out.error = "fill without " + trade_key + "/" + order_key + ": " + boost::json::serialize(f);
      return out;
    }
    const auto* client = client_key.empty() ? nullptr : o->if_contains(client_key);
    out.fills.push_back({text_of(o->at(trade_key)), text_of(o->at(order_key)), client ? text_of(*client) : std::string()});
  }
  const auto open = signed_get(emu, venue, open_path);
  const auto* open_list = list_of(open, venue, out.error);
  if (open_list == nullptr) return out;
  out.open_orders = open_list->size();
  out.ok = true;
  return out;
}

std::string binance_outside_market_order(const EmulatorProcess& emu, const std::string& side,
                                         const std::string& quantity, const std::string& client_order_id) {
  const auto curl = find_program("curl");
  if (!curl) return "error: curl is not installed";
  const std::string body = "symbol=BTCUSDT&side=" + side + "&type=MARKET&quantity=" + quantity +
                           "&newClientOrderId=" + client_order_id + "&timestamp=" + std::to_string(now_ms()) +
                           "&recvWindow=10000";
  auto r = run_program({curl->string(), "-sS", "--max-time", "10", "--cacert", emu.ca_file().string(), "-X", "POST", "-H",
                        std::string("X-MBX-APIKEY: ") + kEmuKey, "--data", body + "&signature=" + hex(hmac_raw(kEmuSecret, body)),
                        emu.url("binance", "rest") + "/api/v3/order"},
                       {{"PATH", "/usr/bin:/bin"}}, 15s);
  if (r.exit_code != 0) return "error: curl exit " + std::to_string(r.exit_code) + ": " + r.err;
  return r.out;
}

boost::json::object export_journal(const TempDir& dir) {
  auto r = run_program(
      {(bin_dir() / "tradingd").string(), "export", "--state-dir", (dir.path() / "state").string(), "--format", "json"},
      {{"PATH", "/usr/bin:/bin"}});
  if (r.exit_code != 0) {
    ADD_FAILURE() << "tradingd export: " << r.err;
    return {};
  }
  boost::system::error_code ec;
  auto doc = boost::json::parse(r.out, ec);
  if (ec || !doc.is_object()) {
    ADD_FAILURE() << "tradingd export is not a JSON object: " << r.out.substr(0, 300);
    return {};
  }
  return std::move(doc.as_object());
}

}  // namespace tradingd::test
