// Bybit public REST requests (see rest_client.h); parsing is the marketdata branch's parse.h.
#include "exchange/bybit/rest_client.h"

#include "exchange/bybit/parse.h"
#include "exchange/bybit/urls.h"

namespace tradingd::bybit {

namespace {
std::string_view category(MarketKind k) { return k == MarketKind::Spot ? "spot" : "linear"; }
}  // namespace

std::string instruments_target(MarketKind kind, std::string_view cursor) {
  std::string t = std::string(kInstrumentsInfoPath) + "?category=" + std::string(category(kind)) + "&limit=1000";
  // The cursor is opaque venue text: percent-encode everything but unreserved characters.
  if (!cursor.empty()) {
    t += "&cursor=";
    static constexpr char kHex[] = "0123456789ABCDEF";
    for (unsigned char c : cursor) {
      if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
          c == '.' || c == '~') {
        t += static_cast<char>(c);
      } else {
        t += '%';
        t += kHex[c >> 4];
        t += kHex[c & 15];
      }
    }
  }
  return t;
}

std::string orderbook_target(const InstrumentId& instrument, int limit) {
  return std::string(kOrderbookPath) + "?category=" + std::string(category(instrument.kind)) +
         "&symbol=" + instrument.symbol.str() + "&limit=" + std::to_string(limit);
}

Result<std::unique_ptr<BybitRestClient>, std::string> BybitRestClient::create(boost::asio::io_context& io,
                                                                              std::shared_ptr<net::TlsContext> tls,
                                                                              const MarketDataEndpoints& endpoints,
                                                                              net::HttpsOptions options) {
  auto url = net::parse_url(endpoints.rest);
  if (!url.ok()) return Err{"bybit REST URL: " + url.error()};
  auto c = std::unique_ptr<BybitRestClient>(new BybitRestClient());
  c->client_ = std::make_unique<net::HttpsClient>(io, std::move(tls), *url, options, c->stats_);
  return c;
}

void BybitRestClient::fetch_instrument_pages(MarketKind kind, PagesCallback callback) {
  fetch_page(kind, {}, std::make_shared<std::vector<std::string>>(), std::move(callback));
}

void BybitRestClient::fetch_page(MarketKind kind, std::string cursor, std::shared_ptr<std::vector<std::string>> pages,
                                 PagesCallback callback) {
  net::get_body(*client_, gate_, instruments_target(kind, cursor),
                [this, kind, pages, callback = std::move(callback)](Result<std::string, std::string> r) mutable {
                  if (!r.ok()) return callback(Err{r.error()});
                  std::string next;
                  auto parsed = parse_bybit_instruments(r.value(), kind, &next);
                  if (!parsed.ok())
                    return callback(Err{std::string("instruments-info: ") + std::string(to_string(parsed.error().code)) +
                                        " at " + parsed.error().field});
                  pages->push_back(std::move(r.value()));
                  if (next.empty() || static_cast<int>(pages->size()) >= kMaxInstrumentPages)
                    return callback(std::move(*pages));
                  fetch_page(kind, std::move(next), pages, std::move(callback));
                });
}

Result<std::vector<Instrument>, std::string> BybitRestClient::parse_instruments(MarketKind kind,
                                                                                const std::vector<std::string>& pages) const {
  std::vector<Instrument> all;
  for (const auto& p : pages) {
    auto r = parse_bybit_instruments(p, kind);
    if (!r.ok()) return Err{std::string("instruments-info: ") + std::string(to_string(r.error().code)) + " at " + r.error().field};
    all.insert(all.end(), r->begin(), r->end());
  }
  return all;
}

void BybitRestClient::fetch_book_snapshot(const InstrumentId& instrument, int depth, BodyCallback callback) {
  net::get_body(*client_, gate_, orderbook_target(instrument, static_cast<int>(orderbook_depth(depth))), std::move(callback));
}

}  // namespace tradingd::bybit
