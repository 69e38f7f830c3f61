// Data files of a backtest: expansion, per-file instrument resolution, opening and loading (data_set.h).
#include "backtest/data_set.h"

#include <algorithm>
#include <cctype>
#include <fstream>

#include "backtest/frame_reader.h"
#include "backtest/history_cache.h"
#include "backtest/interval.h"
#include "backtest/kline_csv.h"

namespace tradingd::backtest {
namespace fs = std::filesystem;
namespace {

bool is_data_file(const fs::path& p) {
  const auto ext = p.extension().string();
  return ext == ".csv" || ext == ".jsonl" || ext == ".ndjson";
}

const config::InstrumentConfig* configured_with_symbol(const config::Config& cfg, std::string_view symbol) {
  const config::InstrumentConfig* any = nullptr;
  for (const auto& ic : cfg.instruments) {
    if (ic.id.symbol.view() != symbol) continue;
    if (ic.id.venue == Venue::Binance) return &ic;
    if (any == nullptr) any = &ic;
  }
  return any;
}

std::string how_to_name(const fs::path& path) {
  return path.string() +
         ": no instrument for this file: name it like the archive (SYMBOL-INTERVAL-YYYY-MM.csv), set "
         "backtest.default_symbol, or configure exactly one instrument";
}

// <venue>/<market>/<symbol>/<interval>/YYYY-MM-DD.csv, as the history cache writes it.
std::optional<DataFilePlan> from_cache_layout(const fs::path& path) {
  if (!parse_cache_day_file_name(path.filename().string())) return std::nullopt;
  std::vector<std::string> parts;
  for (auto p = path.parent_path(); !p.empty() && p != p.parent_path() && parts.size() < 4; p = p.parent_path())
    parts.push_back(p.filename().string());
  if (parts.size() < 4) return std::nullopt;
  const auto interval = parse_interval(parts[0]);
  const auto symbol = Symbol::make(parts[1]);
  const auto kind = parse_market_kind(parts[2]);
  const auto venue = parse_venue(parts[3]);
  if (!interval || !symbol || !kind || !venue) return std::nullopt;
  DataFilePlan plan;
  plan.path = path;
  plan.format = DataFormat::OhlcvCsv;
  plan.instrument = InstrumentId{*venue, *kind, *symbol};
  plan.interval_s = *interval;
  return plan;
}

std::optional<std::int64_t> digits_after(std::string_view frame, std::string_view key) {
  const auto at = frame.find(key);
  if (at == std::string_view::npos) return std::nullopt;
  std::size_t i = at + key.size();
  while (i < frame.size() && (frame[i] == ' ' || frame[i] == '"')) ++i;
  std::int64_t v = 0;
  std::size_t n = 0;
  for (; i < frame.size() && frame[i] >= '0' && frame[i] <= '9' && n < 18; ++i, ++n) v = v * 10 + (frame[i] - '0');
  if (n == 0) return std::nullopt;
  return v;
}

}  // namespace

std::optional<UnixNanos> frame_event_time(Venue venue, std::string_view frame) {
  std::optional<std::int64_t> ms;
  switch (venue) {
    case Venue::Binance: ms = digits_after(frame, "\"E\":"); break;
    case Venue::Bybit: ms = digits_after(frame, "\"ts\":"); break;
    case Venue::Okx: {
      const auto data = frame.find("\"data\"");
      if (data != std::string_view::npos) ms = digits_after(frame.substr(data), "\"ts\":");
      break;
    }
    default: break;
  }
  if (!ms) return std::nullopt;
  return *ms * kNanosPerMilli;
}

Result<std::vector<fs::path>, std::string> expand_data_paths(const std::vector<std::string>& paths) {
  std::vector<fs::path> out;
  for (const auto& text : paths) {
    const fs::path p(text);
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      std::vector<fs::path> found;
      for (auto it = fs::recursive_directory_iterator(p, ec); !ec && it != fs::recursive_directory_iterator();
           it.increment(ec)) {
        if (it->is_regular_file(ec) && is_data_file(it->path())) found.push_back(it->path());
      }
      if (ec) return Err(text + ": cannot list the directory: " + ec.message());
      if (found.empty()) return Err(text + ": no data files (*.csv, *.jsonl) in this directory");
      std::sort(found.begin(), found.end());
      out.insert(out.end(), found.begin(), found.end());
    } else if (fs::exists(p, ec)) {
      out.push_back(p);
    } else {
      return Err(text + ": no such file or directory (check the path)");
    }
  }
  return out;
}

Result<DataFilePlan, std::string> plan_data_file(const fs::path& path, const config::Config& cfg) {
  auto format = detect_data_format(path);
  if (!format) return Err(format.error().to_string());
  DataFilePlan plan;
  plan.path = path;
  plan.format = *format;
  const auto single = [&]() -> std::optional<InstrumentId> {
    if (cfg.instruments.size() == 1) return cfg.instruments.front().id;
    return std::nullopt;
  };
  const auto by_symbol = [&](std::string_view symbol, Venue default_venue) -> std::optional<InstrumentId> {
    if (const auto* ic = configured_with_symbol(cfg, symbol)) return ic->id;
    const auto s = Symbol::make(symbol);
    if (!s) return std::nullopt;
    return InstrumentId{default_venue, MarketKind::Spot, *s};
  };
  switch (*format) {
    case DataFormat::Frames: {
      const auto venue = venue_from_file_name(path.filename().string());
      if (!venue)
        return Err(path.string() + ": no instrument for this file: a recording's name starts with its venue "
                                   "(binance-..., bybit-..., okx-...jsonl)");
      bool configured = false;
      for (const auto& ic : cfg.instruments) configured = configured || ic.id.venue == *venue;
      if (!configured)
        return Err(path.string() + ": no instrument for this file: configure the " + std::string(to_string(*venue)) +
                   " instruments the recording carries");
      std::string lower = path.filename().string();
      for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      const bool perp = lower.find("linear") != std::string::npos || lower.find("perp") != std::string::npos ||
                        lower.find("usdm") != std::string::npos || lower.find("futures") != std::string::npos ||
                        lower.find("swap") != std::string::npos;
      plan.instrument = InstrumentId{*venue, perp ? MarketKind::LinearPerp : MarketKind::Spot, Symbol{}};
      return plan;
    }
    case DataFormat::BinanceKlines: {
      std::optional<InstrumentId> id;
      if (const auto name = parse_kline_file_name(path.filename().string())) {
        id = by_symbol(name->symbol, Venue::Binance);
        plan.interval_s = name->interval_s;
      } else if (!cfg.backtest.default_symbol.empty()) {
        id = by_symbol(cfg.backtest.default_symbol, Venue::Binance);
      } else {
        id = single();
      }
      if (!id) return Err(how_to_name(path));
      plan.instrument = *id;
      return plan;
    }
    case DataFormat::OhlcvCsv: {
      if (auto cached = from_cache_layout(path)) return *cached;
      const std::string stem = path.stem().string();
      std::optional<InstrumentId> id;
      for (const auto& ic : cfg.instruments) {
        const auto sym = ic.id.symbol.view();
        if (stem.size() >= sym.size() && stem.compare(0, sym.size(), sym) == 0 &&
            (stem.size() == sym.size() || stem[sym.size()] == '-' || stem[sym.size()] == '_')) {
          id = ic.id;
          break;
        }
      }
      if (!id && !cfg.backtest.default_symbol.empty()) id = by_symbol(cfg.backtest.default_symbol, Venue::Binance);
      if (!id) id = single();
      if (!id) return Err(how_to_name(path));
      plan.instrument = *id;
      return plan;
    }
  }
  return Err(path.string() + ": unknown data format");
}

Result<bool, std::string> open_data_set(const std::vector<DataFilePlan>& plans, EventMerger& merger) {
  for (const auto& plan : plans) {
    DataFileOptions o;
    o.instrument = plan.instrument;
    o.venue = plan.instrument.venue;
    o.kind = plan.instrument.kind;
    o.interval_s = plan.interval_s;
    if (plan.format == DataFormat::Frames) {
      o.instrument.reset();
      o.frame_venue = plan.instrument.venue;
      o.frame_timestamper = &frame_event_time;
    }
    auto source = open_data_file(plan.path, o);
    if (!source) return Err(source.error().to_string());
    merger.add(std::move(*source));
  }
  return true;
}

Result<std::vector<HistoricalEvent>, std::string> load_data_set(const std::vector<DataFilePlan>& plans) {
  EventMerger merger;
  if (auto opened = open_data_set(plans, merger); !opened) return Err(opened.error());
  std::vector<HistoricalEvent> events;
  events.reserve(static_cast<std::size_t>(count_lines(plans)));
  HistoricalEvent ev;
  ReadStatus s;
  while ((s = merger.next(ev)) == ReadStatus::Item) events.push_back(ev);
  if (s == ReadStatus::Error) return Err(merger.error().to_string());
  return events;
}

std::uint64_t count_lines(const std::vector<DataFilePlan>& plans) {
  std::uint64_t n = 0;
  std::vector<char> buf(1 << 16);
  for (const auto& plan : plans) {
    std::ifstream in(plan.path, std::ios::binary);
    while (in) {
      in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
      n += static_cast<std::uint64_t>(std::count(buf.data(), buf.data() + in.gcount(), '\n'));
    }
  }
  return n;
}

}  // namespace tradingd::backtest
