// Pure SVG building blocks for the HTML report: a linear x/y frame, "nice" value ticks, calendar time
// ticks, min/max-preserving downsampling (a year of minute bars becomes a few thousand points without
// losing a spike), and fixed-precision number formatting so the same data always gives the same bytes.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/clock.h"

namespace tradingd::backtest::svg {

struct XY {
  double x = 0;  // time in ns (as double)
  double y = 0;
};

// At most 4 points per column (first, min, max, last of each bucket, in time order).
std::vector<XY> downsample(std::span<const XY> points, int columns);

// Round tick values covering [lo, hi]: steps of 1, 2 or 5 x 10^k, about `target` of them.
std::vector<double> nice_ticks(double lo, double hi, int target);

// Calendar-aligned UTC ticks inside [lo, hi] (minutes .. months) and the label of each.
struct TimeTick {
  UnixNanos t = 0;
  std::string label;
};
std::vector<TimeTick> time_ticks(UnixNanos lo, UnixNanos hi, int target);

// "1234567.891" -> "1,234,567.89" with `decimals` digits; "-" for NaN.
std::string format_number(double v, int decimals);
// A fixed-point coordinate with one decimal ("12.5"), the precision SVG paths need here.
std::string coord(double v);
// Text with & < > " escaped for HTML and SVG.
std::string escape(std::string_view s);

class Frame {
 public:
  // The plot area is [left, width - right] x [top, height - bottom] inside a width x height viewBox.
  Frame(int width, int height, int left, int right, int top, int bottom);
  void set_x(double lo, double hi);
  void set_y(double lo, double hi);
  double px(double x) const;
  double py(double y) const;
  int width() const { return width_; }
  int height() const { return height_; }
  double plot_left() const { return left_; }
  double plot_right() const { return width_ - right_; }
  double plot_top() const { return top_; }
  double plot_bottom() const { return height_ - bottom_; }
  double x_lo() const { return x_lo_; }
  double x_hi() const { return x_hi_; }
  double y_lo() const { return y_lo_; }

  // Horizontal grid lines with value labels on the left, and time labels under the plot.
  std::string grid(std::span<const double> y_ticks, int y_decimals, std::string_view y_suffix,
                   std::span<const TimeTick> x_ticks) const;
  // "M x y L x y ..." through the points.
  std::string line_path(std::span<const XY> points) const;
  // The area between the line and the horizontal line y = base.
  std::string area_path(std::span<const XY> points, double base) const;
  // data-* attributes the page's script uses to map the pointer back to time and value.
  std::string data_attributes() const;

 private:
  int width_, height_, left_, right_, top_, bottom_;
  double x_lo_ = 0, x_hi_ = 1, y_lo_ = 0, y_hi_ = 1;
};

}  // namespace tradingd::backtest::svg
