// SVG primitives. All output goes through snprintf with fixed formats in the "C" locale the daemon never
// changes, so a chart's bytes depend only on its data.
#include "backtest/svg_chart.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>

namespace tradingd::backtest::svg {

std::vector<XY> downsample(std::span<const XY> pts, int columns) {
  if (columns < 1) columns = 1;
  if (pts.size() <= static_cast<std::size_t>(columns) * 4) return {pts.begin(), pts.end()};
  const double lo = pts.front().x, hi = pts.back().x;
  const double span = hi > lo ? hi - lo : 1;
  std::vector<XY> out;
  out.reserve(static_cast<std::size_t>(columns) * 4);
  std::size_t i = 0;
  while (i < pts.size()) {
    const int bucket = std::min(columns - 1, static_cast<int>((pts[i].x - lo) / span * columns));
    std::size_t j = i, min_i = i, max_i = i;
    while (j < pts.size() && std::min(columns - 1, static_cast<int>((pts[j].x - lo) / span * columns)) == bucket) {
      if (pts[j].y < pts[min_i].y) min_i = j;
      if (pts[j].y > pts[max_i].y) max_i = j;
      ++j;
    }
    std::array<std::size_t, 4> keep{i, min_i, max_i, j - 1};
    std::sort(keep.begin(), keep.end());
    for (std::size_t k = 0; k < keep.size(); ++k)
      if (k == 0 || keep[k] != keep[k - 1]) out.push_back(pts[keep[k]]);
    i = j;
  }
  return out;
}

std::vector<double> nice_ticks(double lo, double hi, int target) {
  std::vector<double> out;
  if (!std::isfinite(lo) || !std::isfinite(hi)) return out;
  if (hi <= lo) hi = lo + (lo == 0 ? 1 : std::abs(lo) * 0.01);
  const double raw = (hi - lo) / std::max(1, target);
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  const double norm = raw / mag;
  const double step = (norm < 1.5 ? 1 : norm < 3 ? 2 : norm < 7 ? 5 : 10) * mag;
  for (double v = std::ceil(lo / step) * step; v <= hi + step * 1e-9; v += step)
    out.push_back(std::abs(v) < step * 1e-9 ? 0.0 : v);
  return out;
}

namespace {
void civil(UnixNanos t, int& y, int& m, int& d, int& hh, int& mi) {
  const std::string iso = format_iso8601(t);  // YYYY-MM-DDTHH:MM:SS...
  std::sscanf(iso.c_str(), "%d-%d-%dT%d:%d", &y, &m, &d, &hh, &mi);
}
UnixNanos month_start(int y, int m) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-01", y, m);
  return parse_iso8601(buf).value_or(0);
}
constexpr std::array<std::int64_t, 12> kStepsMin{1, 5, 15, 30, 60, 180, 360, 720, 1440, 2 * 1440, 7 * 1440, 14 * 1440};
}  // namespace

std::vector<TimeTick> time_ticks(UnixNanos lo, UnixNanos hi, int target) {
  std::vector<TimeTick> out;
  if (hi <= lo) return out;
  const double span_min = static_cast<double>(hi - lo) / (60.0 * kNanosPerSecond);
  char buf[32];
  for (std::int64_t step_min : kStepsMin) {
    if (span_min / static_cast<double>(step_min) > target) continue;
    const std::int64_t step = step_min * 60 * kNanosPerSecond;
    // Weekly steps start on Mondays (1970-01-05 was one); others on epoch multiples (UTC midnights).
    const UnixNanos origin = step_min >= 7 * 1440 ? 4 * kNanosPerDay : 0;
    for (UnixNanos t = origin + ((lo - origin + step - 1) / step) * step; t <= hi; t += step) {
      int y, m, d, hh, mi;
      civil(t, y, m, d, hh, mi);
      if (step_min >= 1440)
        std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
      else if (hh == 0 && mi == 0)
        std::snprintf(buf, sizeof buf, "%02d-%02d", m, d);
      else
        std::snprintf(buf, sizeof buf, "%02d:%02d", hh, mi);
      out.push_back({t, buf});
    }
    return out;
  }
  // Months (1, 3, 6 or 12 per tick).
  int y, m, d, hh, mi;
  civil(lo, y, m, d, hh, mi);
  for (int months : {1, 3, 6, 12}) {
    if (span_min / (30.4 * 1440 * months) > target) continue;
    int yy = y, mm = ((m - 1) / months) * months + 1;
    for (;;) {
      const UnixNanos t = month_start(yy, mm);
      if (t > hi) break;
      if (t >= lo) {
        std::snprintf(buf, sizeof buf, months == 12 ? "%04d" : "%04d-%02d", yy, mm);
        out.push_back({t, buf});
      }
      mm += months;
      if (mm > 12) {
        mm -= 12;
        ++yy;
      }
    }
    return out;
  }
  return out;
}

std::string format_number(double v, int decimals) {
  if (!std::isfinite(v)) return "-";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, std::abs(v));
  std::string digits(buf);
  const auto dot = digits.find('.');
  std::string int_part = digits.substr(0, dot), frac = dot == std::string::npos ? "" : digits.substr(dot);
  std::string grouped;
  for (std::size_t i = 0; i < int_part.size(); ++i) {
    if (i > 0 && (int_part.size() - i) % 3 == 0) grouped += ',';
    grouped += int_part[i];
  }
  const bool negative = v < 0 && digits.find_first_not_of("0.") != std::string::npos;  // no "-0.00"
  return (negative ? "-" : "") + grouped + frac;
}

std::string coord(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", std::abs(v) < 0.05 ? 0.0 : v);
  return buf;
}

std::string escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

Frame::Frame(int width, int height, int left, int right, int top, int bottom)
    : width_(width), height_(height), left_(left), right_(right), top_(top), bottom_(bottom) {}

void Frame::set_x(double lo, double hi) {
  x_lo_ = lo;
  x_hi_ = hi > lo ? hi : lo + 1;
}
void Frame::set_y(double lo, double hi) {
  y_lo_ = lo;
  y_hi_ = hi > lo ? hi : lo + 1;
}
double Frame::px(double x) const { return plot_left() + (x - x_lo_) / (x_hi_ - x_lo_) * (plot_right() - plot_left()); }
double Frame::py(double y) const {
  return plot_bottom() - (y - y_lo_) / (y_hi_ - y_lo_) * (plot_bottom() - plot_top());
}

std::string Frame::grid(std::span<const double> y_ticks, int y_decimals, std::string_view y_suffix,
                        std::span<const TimeTick> x_ticks) const {
  std::string s = "<g class=\"grid\">";
  for (double v : y_ticks) {
    const std::string y = coord(py(v));
    s += "<line x1=\"" + coord(plot_left()) + "\" x2=\"" + coord(plot_right()) + "\" y1=\"" + y + "\" y2=\"" + y +
         "\"/>";
    s += "<text class=\"ylab\" x=\"" + coord(plot_left() - 8) + "\" y=\"" + y + "\" dy=\"0.32em\">" +
         format_number(v, y_decimals) + escape(y_suffix) + "</text>";
  }
  for (const TimeTick& t : x_ticks) {
    const std::string x = coord(px(static_cast<double>(t.t)));
    s += "<line class=\"v\" x1=\"" + x + "\" x2=\"" + x + "\" y1=\"" + coord(plot_top()) + "\" y2=\"" +
         coord(plot_bottom()) + "\"/>";
    s += "<text class=\"xlab\" x=\"" + x + "\" y=\"" + coord(plot_bottom() + 18) + "\">" + escape(t.label) + "</text>";
  }
  s += "<line class=\"axis\" x1=\"" + coord(plot_left()) + "\" x2=\"" + coord(plot_right()) + "\" y1=\"" +
       coord(plot_bottom()) + "\" y2=\"" + coord(plot_bottom()) + "\"/></g>";
  return s;
}

std::string Frame::line_path(std::span<const XY> pts) const {
  std::string s;
  s.reserve(pts.size() * 14);
  for (std::size_t i = 0; i < pts.size(); ++i) {
    s += i == 0 ? 'M' : 'L';
    s += coord(px(pts[i].x));
    s += ' ';
    s += coord(py(pts[i].y));
  }
  return s;
}

std::string Frame::area_path(std::span<const XY> pts, double base) const {
  if (pts.empty()) return {};
  std::string s = line_path(pts);
  s += "L" + coord(px(pts.back().x)) + " " + coord(py(base)) + "L" + coord(px(pts.front().x)) + " " + coord(py(base)) +
       "Z";
  return s;
}

std::string Frame::data_attributes() const {
  char buf[256];
  std::snprintf(
      buf, sizeof buf,
      " data-x0=\"%.1f\" data-x1=\"%.1f\" data-t0=\"%.0f\" data-t1=\"%.0f\" data-y0=\"%.1f\" data-y1=\"%.1f\" "
      "data-v0=\"%.17g\" data-v1=\"%.17g\"",
      plot_left(), plot_right(), x_lo_ / 1e6, x_hi_ / 1e6, plot_bottom(), plot_top(), y_lo_, y_hi_);
  return buf;
}

}  // namespace tradingd::backtest::svg
