// MarketDataFeeds (see market_data_feeds.h): client construction per venue, the instrument-loading gate
// in front of the trading node, readiness and metrics (refreshed every second on the event loop), and a
// once-a-minute summary line per venue so an operator sees the market moving without a dashboard.
#include "daemon/market_data_feeds.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <stdexcept>

#include "daemon/daemon.h"
#include "exchange/net/market_data_factory.h"

namespace tradingd::daemon {
namespace {

std::uint32_t channels_for(const InstrumentId& id) {
  std::uint32_t c = kTrades | kQuotes | kBook | kBars1m;
  if (id.kind == MarketKind::LinearPerp) c |= kMarkPrice | kFunding;
  return c;
}

std::vector<InstrumentId> configured_ids(const config::Config& cfg) {
  std::vector<InstrumentId> ids;
  for (const auto& ic : cfg.instruments) {
    if (!cfg.venues.get(ic.id.venue).enabled) continue;
    if (std::find(ids.begin(), ids.end(), ic.id) == ids.end()) ids.push_back(ic.id);
  }
  return ids;
}

std::string readiness_name(Venue v) { return "market_data." + std::string(to_string(v)); }

bool looks_like_tls_verification(const std::string& error) {
  return error.find("certificate") != std::string::npos || error.find("verify") != std::string::npos;
}

}  // namespace

MarketDataFeeds::MarketDataFeeds(Daemon& daemon)
    : daemon_(daemon), ids_(configured_ids(daemon.config())), relay_(ids_) {
  const auto& cfg = daemon_.config();
  for (Venue v : {Venue::Binance, Venue::Bybit, Venue::Okx}) {
    if (std::none_of(ids_.begin(), ids_.end(), [v](const InstrumentId& id) { return id.venue == v; })) continue;
    venues_.push_back(v);
  }
  if (venues_.empty()) return;

  auto tls = net::make_tls_context(cfg);
  if (!tls.ok()) throw std::runtime_error("TLS context: " + tls.error() + " (check tls.ca_file / TRADINGD_CA_FILE)");
  for (Venue v : venues_) {
    std::weak_ptr<bool> alive = alive_;
    auto client = net::make_market_data_client(v, daemon_.io(), *tls, cfg, relay_, daemon_.clock(),
                                               [this, alive](const net::InstrumentReport& r) {
                                                 if (auto a = alive.lock(); a && *a) on_instruments(r);
                                               });
    if (!client.ok())
      throw std::runtime_error("market data for " + std::string(to_string(v)) + ": " + client.error());
    for (const auto& id : ids_) {
      if (id.venue != v) continue;
      (*client)->subscribe(id, channels_for(id));
      if (std::none_of(markets_.begin(), markets_.end(),
                       [&](const Market& m) { return m.venue == v && m.kind == id.kind; }))
        markets_.push_back(Market{v, id.kind, false, false, false, {}});
    }
    clients_.push_back(std::move(*client));
    daemon_.readiness().declare(readiness_name(v), "connecting");
  }
  metrics_ = std::make_unique<MarketDataMetrics>(daemon_.metrics(), venues_, ids_);
  relay_.set_book_source([this](const InstrumentId& id) -> const OrderBook* {
    net::FeedClient* c = client(id.venue);
    return c != nullptr ? c->book(id) : nullptr;
  });
  relay_.set_status_listener([this](const InstrumentId& id, FeedStatus s) { on_status(id, s); });
  daemon_.readiness().declare("instruments", "loading the venues' instrument rules");

  // Registered before the trading node's stopper, so it runs after it: the node stops consuming first.
  daemon_.shutdown_sequence().add("market_data", [this](ShutdownSequence::Done done) {
    stop();
    done();
  });
}

MarketDataFeeds::~MarketDataFeeds() {
  *alive_ = false;
  relay_.attach(nullptr, 0);
}

net::FeedClient* MarketDataFeeds::client(Venue venue) {
  for (std::size_t i = 0; i < venues_.size(); ++i)
    if (venues_[i] == venue) return clients_[i].get();
  return nullptr;
}

void MarketDataFeeds::start(InstrumentsReady on_ready) {
  on_ready_ = std::move(on_ready);
  if (clients_.empty()) {
    ready_reported_ = true;
    if (on_ready_) on_ready_({});
    return;
  }
  std::string names;
  for (const auto& m : markets_) {
    if (!names.empty()) names += ',';
    names += std::string(to_string(m.venue)) + ":" + std::string(to_string(m.kind));
  }
  spdlog::info("Market data starting venues={} instruments={} markets={}", venues_.size(), ids_.size(), names);
  for (auto& c : clients_) c->start();
  schedule_refresh();
}

void MarketDataFeeds::attach(MarketDataSink* sink) { relay_.attach(sink, daemon_.clock().now_ns()); }

void MarketDataFeeds::on_instruments(const net::InstrumentReport& r) {
  if (failed_) return;
  auto it = std::find_if(markets_.begin(), markets_.end(),
                         [&](const Market& m) { return m.venue == r.venue && m.kind == r.kind; });
  if (it == markets_.end()) return;
  if (!r.missing.empty()) {
    failed_ = true;
    std::string list;
    for (const auto& id : r.missing) list += std::string(list.empty() ? "" : ",") + id.symbol.str();
    const std::string reason = "the venue does not list configured instrument(s): venue=" + std::string(to_string(r.venue)) +
                               " market=" + std::string(to_string(r.kind)) + " symbols=" + list;
    spdlog::error("Instrument not listed venue={} market={} symbols={}: fix the symbol or remove it under "
                  "`instruments:` in the config (or check venues.{}.environment); `tradingd validate-config` "
                  "checks the file, the venue's instrument list is the reference",
                  to_string(r.venue), to_string(r.kind), list, to_string(r.venue));
    daemon_.readiness().report("instruments", false, reason);
    daemon_.fail(2, reason);
    return;
  }
  if (!r.ok) {
    it->error = r.error;
    if (looks_like_tls_verification(r.error) && !it->tls_hint_logged) {
      it->tls_hint_logged = true;  // once: the load is retried with backoff and logged by the client
      spdlog::error("TLS verification failed venue={} market={} error=\"{}\": the venue's certificate is not "
                    "trusted; for the emulator set TRADINGD_CA_FILE (or tls.ca_file) to its ca.pem",
                    to_string(r.venue), to_string(r.kind), r.error);
    }
    report_instruments_readiness();
    return;
  }
  it->loaded = true;
  it->from_cache = r.from_cache;
  it->error.clear();
  report_instruments_readiness();
  if (ready_reported_ || std::any_of(markets_.begin(), markets_.end(), [](const Market& m) { return !m.loaded; }))
    return;

  // Every market loaded: the rules of each configured instrument, with the configured leverage.
  std::vector<Instrument> rules;
  for (const auto& ic : daemon_.config().instruments) {
    if (std::any_of(rules.begin(), rules.end(), [&](const Instrument& i) { return i.id == ic.id; })) continue;
    net::FeedClient* c = client(ic.id.venue);
    const Instrument* inst = c != nullptr ? c->instrument(ic.id) : nullptr;
    if (inst == nullptr) continue;  // not reachable: missing instruments stopped us above
    Instrument i = *inst;
    i.max_leverage = ic.leverage > 0 ? ic.leverage : 1;
    rules.push_back(i);
    spdlog::info("Instrument rules instrument={} tick={} step={} min_qty={} min_notional={} contract_size={}",
                 i.id.to_string(), i.tick_size.to_string(), i.step_size.to_string(), i.min_quantity.to_string(),
                 i.min_notional.to_string(), i.contract_multiplier.to_string());
  }
  ready_reported_ = true;
  if (on_ready_) on_ready_(rules);
}

void MarketDataFeeds::report_instruments_readiness() {
  std::string pending, cached;
  for (const auto& m : markets_) {
    const std::string name = std::string(to_string(m.venue)) + ":" + std::string(to_string(m.kind));
    if (!m.loaded) {
      pending += (pending.empty() ? "" : "; ") + name + (m.error.empty() ? " loading" : " failed (" + m.error + "), retrying");
    } else if (m.from_cache) {
      cached += (cached.empty() ? "" : ",") + name;
    }
  }
  if (!pending.empty()) {
    daemon_.readiness().report("instruments", false, pending);
  } else {
    daemon_.readiness().report("instruments", true,
                               std::to_string(ids_.size()) + " loaded" + (cached.empty() ? "" : " (from cache: " + cached + ")"));
  }
}

void MarketDataFeeds::on_status(const InstrumentId& id, FeedStatus status) {
  if (metrics_) metrics_->on_status(id, status);
  std::string detail;
  const bool live = relay_.venue_live(id.venue, &detail);
  daemon_.readiness().report(readiness_name(id.venue), live, detail);
}

void MarketDataFeeds::schedule_refresh() {
  auto timer = std::make_shared<boost::asio::steady_timer>(daemon_.io(), std::chrono::seconds(1));
  std::weak_ptr<bool> alive = alive_;
  timer->async_wait([this, timer, alive](const boost::system::error_code& ec) {
    if (ec) return;
    if (auto a = alive.lock(); !a || !*a) return;
    refresh();
    schedule_refresh();
  });
}

void MarketDataFeeds::refresh() {
  if (!metrics_) return;
  ++refresh_count_;
  for (std::size_t i = 0; i < venues_.size(); ++i) {
    const auto& s = clients_[i]->stats();
    metrics_->refresh(venues_[i], s);
    if (refresh_count_ % 60 != 0) continue;
    std::uint64_t messages = 0;
    for (const auto& [name, ws] : s.connections) messages += ws->messages_in.value();
    std::string detail;
    const bool live = relay_.venue_live(venues_[i], &detail);
    spdlog::info("Market data venue={} live={} messages={} events={} rejected={} resyncs={} gaps={} "
                 "checksum_failures={} detail=\"{}\"",
                 to_string(venues_[i]), live, messages, s.events.value(), s.rejected.value(), s.book_resyncs.value(),
                 s.gaps.value(), s.checksum_failures.value(), detail);
  }
}

void MarketDataFeeds::stop() {
  relay_.attach(nullptr, 0);
  refresh();
  for (auto& c : clients_) c->stop();
  *alive_ = false;
}

}  // namespace tradingd::daemon
