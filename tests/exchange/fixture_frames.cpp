// Fixture readers (Boost.JSON); see fixture_frames.h.
#include "tests/exchange/fixture_frames.h"

#include <algorithm>

#include <boost/json.hpp>

#include "tests/support/fixtures.h"

namespace tradingd::test {
namespace json = boost::json;

std::filesystem::path fixture(const std::string& relative) { return *fixtures_dir() / relative; }

std::string fixture_frame(const std::string& relative) {
  std::string text = read_file(fixture(relative));
  std::replace(text.begin(), text.end(), '\n', ' ');
  std::replace(text.begin(), text.end(), '\r', ' ');
  while (!text.empty() && text.back() == ' ') text.pop_back();
  return text;
}

static json::value load(const std::string& relative) { return json::parse(read_file(fixture(relative))); }

std::vector<std::string> capture_frames(const std::string& relative) {
  std::vector<std::string> out;
  const json::value doc = load(relative);  // kept alive: a range-for over a temporary's member dangles
  for (const auto& e : doc.at("entries").as_array())
    if (e.at("dir").as_string() == "recv") out.emplace_back(e.at("raw").as_string());
  return out;
}

std::map<std::string, std::string> capture_snapshots(const std::string& relative) {
  std::map<std::string, std::string> out;
  const json::value doc = load(relative);
  for (const auto& e : doc.at("entries").as_array()) {
    if (e.at("dir").as_string() != "http_response") continue;
    std::string url(e.at("url").as_string());
    auto pos = url.find("symbol=");
    auto end = url.find('&', pos);
    out[url.substr(pos + 7, end == std::string::npos ? std::string::npos : end - pos - 7)] =
        std::string(e.at("raw").as_string());
  }
  return out;
}

std::vector<OkxChecksumVector> okx_checksum_vectors() {
  std::vector<OkxChecksumVector> out;
  const json::value doc = load("okx/ws_public/checksum_vectors.json");
  for (const auto& v : doc.at("vectors").as_array()) {
    const auto& o = v.as_object();
    OkxChecksumVector c;
    c.id = std::string(o.at("id").as_string());
    if (o.contains("raw_message")) c.raw_message = std::string(o.at("raw_message").as_string());
    if (o.contains("check_string")) c.check_string = std::string(o.at("check_string").as_string());
    if (o.contains("documented_check_string")) c.check_string = std::string(o.at("documented_check_string").as_string());
    if (o.contains("expected_checksum") && o.at("expected_checksum").is_int64())
      c.expected_checksum = o.at("expected_checksum").as_int64();
    else if (o.contains("locally_computed_crc32_signed"))
      c.expected_checksum = o.at("locally_computed_crc32_signed").as_int64();
    for (auto [key, dest] : {std::pair{"bids", &c.bids}, std::pair{"asks", &c.asks}}) {
      if (!o.contains(key)) continue;
      for (const auto& level : o.at(key).as_array()) {
        std::vector<std::string> l;
        for (const auto& s : level.as_array()) l.emplace_back(s.as_string());
        dest->push_back(l);
      }
    }
    out.push_back(c);
  }
  return out;
}

std::vector<std::filesystem::path> fixture_files(const std::string& venue) {
  std::vector<std::filesystem::path> out;
  for (const char* kind : {"ws_public", "rest_response"}) {
    auto dir = fixture(venue + "/" + kind);
    if (!std::filesystem::is_directory(dir)) continue;
    for (const auto& entry : std::filesystem::directory_iterator(dir))
      if (entry.path().extension() == ".json") out.push_back(entry.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace tradingd::test
