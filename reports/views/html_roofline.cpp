#include "reports/views/html_roofline.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include <fmt/format.h>

#include "reports/model/number_format.hpp"
#include "reports/views/html_escape.hpp"

namespace accelbench {
namespace {

// Measured groups take the first colours; compared devices (dashed, no points) the last ones.
const char* const palette[] = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e",
                               "#17becf", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22"};
constexpr std::size_t palette_size = std::size(palette);

struct roof {
  std::string label;
  double peak = 0, gbps = 0;
  const char* color = "";
  const char* dash = "";  // stroke-dasharray: "" solid (spec or theoretical peak), dotted, dashed
};

struct group {  // one measured (device, dtype)
  std::string label;
  const char* color = "";
  std::string roof_text;  // what the legend says about its roof
};

struct point {
  double x = 0, y = 0;
  std::size_t group = 0, shape = 0;
  std::string backend, title;
  bool impossible = false;
};

// A marker per backend: circle, square, triangle, diamond, then the same with a white centre.
std::string marker(std::size_t shape, double x, double y, const char* color) {
  const char* fill = shape < 4 ? color : "#fff";
  switch (shape % 4) {
    case 0:
      return fmt::format("<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"5\" fill=\"{}\" stroke=\"{}\" stroke-width=\"1.5\"/>",
                         x, y, fill, color);
    case 1:
      return fmt::format(
          "<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"9\" height=\"9\" fill=\"{}\" stroke=\"{}\" stroke-width=\"1.5\"/>",
          x - 4.5, y - 4.5, fill, color);
    case 2:
      return fmt::format("<path d=\"M{:.1f} {:.1f}l5.5 9.5h-11z\" fill=\"{}\" stroke=\"{}\" stroke-width=\"1.5\"/>", x,
                         y - 6, fill, color);
    default:
      return fmt::format("<path d=\"M{:.1f} {:.1f}l6 6l-6 6l-6 -6z\" fill=\"{}\" stroke=\"{}\" stroke-width=\"1.5\"/>",
                         x, y - 6, fill, color);
  }
}

// Label boxes already placed, so a new label can move aside instead of covering another.
struct label_box {
  double x0, y0, x1, y1;
};
bool overlaps(const std::vector<label_box>& boxes, const label_box& b) {
  return std::any_of(boxes.begin(), boxes.end(),
                     [&](const label_box& o) { return b.x0 < o.x1 && o.x0 < b.x1 && b.y0 < o.y1 && o.y0 < b.y1; });
}

// An axis tick at a power of ten, as plainly as it reads: 0.001, 0.1, 1, 1000.
std::string tick(double exponent) { return fmt::format("{:g}", std::pow(10.0, exponent)); }

}  // namespace

std::string roofline_svg(const report& r) {
  std::vector<group> groups;
  std::vector<roof> roofs;
  std::vector<point> points;
  std::vector<std::string> backends;
  std::map<std::string, int> dtype_count;
  for (std::size_t i = 0; i < r.rows.size(); ++i) {
    const report_row& row = r.rows[i];
    const auto tflops = row.result.tflops();
    if (!tflops || row.arithmetic_intensity <= 0 || is_reference_backend(row)) continue;
    const std::string label = fmt::format("{} {}", device_label(r, row), row.result.dtype_in);
    auto g = std::find_if(groups.begin(), groups.end(), [&](const group& x) { return x.label == label; });
    if (g == groups.end()) {
      group fresh{label, palette[groups.size() % palette_size], "no roof known"};
      // The peak (spec, or theoretical from ceilings) is the roof; else the measured ceiling, dotted.
      if (row.spec_dense_tflops && row.bandwidth_gbps) {
        roofs.push_back({label, *row.spec_dense_tflops, *row.bandwidth_gbps, fresh.color, ""});
        fresh.roof_text =
            fmt::format("peak {} TFLOPS, {} GB/s", human_rate(*row.spec_dense_tflops), human_rate(*row.bandwidth_gbps));
      } else if (row.ceiling_tflops && row.bandwidth_gbps) {
        roofs.push_back({label, *row.ceiling_tflops, *row.bandwidth_gbps, fresh.color, "2 3"});
        fresh.roof_text = fmt::format("measured ceiling {} TFLOPS (no peak known), {} GB/s",
                                      human_rate(*row.ceiling_tflops), human_rate(*row.bandwidth_gbps));
      }
      groups.push_back(fresh);
      g = groups.end() - 1;
    }
    auto b = std::find(backends.begin(), backends.end(), row.result.backend);
    if (b == backends.end()) b = backends.insert(backends.end(), row.result.backend);
    points.push_back(
        {row.arithmetic_intensity, *tflops, static_cast<std::size_t>(g - groups.begin()),
         static_cast<std::size_t>(b - backends.begin()), row.result.backend,
         fmt::format("#{} {} on {}: {} TFLOPS", i + 1, row.result.workload, row.result.backend, human_rate(*tflops)),
         row.impossible});
    ++dtype_count[row.spec_dtype];
  }
  if (points.empty()) return "<p>No verified result to plot.</p>\n";
  std::string common;
  int most = 0;
  for (const auto& [dt, n] : dtype_count) {
    if (n > most) {
      most = n;
      common = dt;
    }
  }
  // Compared devices: their roofs for the most common dtype among the results. Only beside
  // accelerator results: under a CPU's points they would squeeze them into a sliver three
  // decades below (the lower-bound table compares a CPU run with them instead).
  const bool accelerators = std::any_of(r.rows.begin(), r.rows.end(), [](const report_row& row) {
    return row.result.device_kind != "cpu" && row.result.tflops() && !is_reference_backend(row);
  });
  for (std::size_t i = 0; accelerators && i < r.compare_to.size(); ++i) {
    for (const report_row& row : r.rows) {
      if (row.spec_dtype != common || i >= row.projections.size()) continue;
      const projected_time& p = row.projections[i];
      // A compared device that was also measured already has its roof, in its own colour.
      const bool drawn = std::any_of(roofs.begin(), roofs.end(), [&](const roof& f) {
        return p.peak_tflops && f.peak == *p.peak_tflops && p.bandwidth_gbps && f.gbps == *p.bandwidth_gbps;
      });
      if (p.peak_tflops && p.bandwidth_gbps && !drawn) {
        roofs.push_back({fmt::format("{} {} (compared, spec)", p.device, common), *p.peak_tflops, *p.bandwidth_gbps,
                         palette[palette_size - 1 - i % palette_size], "7 4"});
      }
      break;
    }
  }

  double x_min = 1e300, x_max = 0, y_min = 1e300, y_max = 0;
  for (const point& p : points) {
    x_min = std::min(x_min, p.x);
    x_max = std::max(x_max, p.x);
    y_min = std::min(y_min, p.y);
    y_max = std::max(y_max, p.y);
  }
  for (const roof& f : roofs) {
    const double ridge = f.peak * 1e3 / f.gbps;  // FLOP/byte where the roof turns flat
    x_max = std::max(x_max, ridge);
    x_min = std::min(x_min, ridge);
    y_max = std::max(y_max, f.peak);
  }
  const double lx0 = std::floor(std::log10(x_min / 1.5)), lx1 = std::ceil(std::log10(x_max * 1.5));
  const double ly0 = std::floor(std::log10(y_min / 1.5)), ly1 = std::ceil(std::log10(y_max * 1.5));
  const int w = 900, h = 520, ml = 64, mr = 20, mt = 14, mb = 46;
  auto sx = [&](double x) { return ml + (std::log10(x) - lx0) / (lx1 - lx0) * (w - ml - mr); };
  auto sy = [&](double y) { return h - mb - (std::log10(y) - ly0) / (ly1 - ly0) * (h - mt - mb); };
  const auto compared = std::count_if(roofs.begin(), roofs.end(), [](const roof& f) { return *f.dash == '7'; });
  const int legend_rows = static_cast<int>(groups.size() + static_cast<std::size_t>(compared) + 1);
  const int legend_h = 20 * legend_rows + 10;
  std::string out = fmt::format(
      "<svg id=\"roofline-svg\" viewBox=\"0 0 {0} {1}\" width=\"{0}\" height=\"{1}\" role=\"img\" "
      "aria-label=\"roofline\">\n",
      w, h + legend_h);
  for (double e = lx0; e <= lx1; ++e) {
    out += fmt::format(
        "<line x1=\"{0:.1f}\" x2=\"{0:.1f}\" y1=\"{1}\" y2=\"{2}\" stroke=\"#e3e7ee\"/>"
        "<text x=\"{0:.1f}\" y=\"{3}\" text-anchor=\"middle\">{4}</text>\n",
        sx(std::pow(10, e)), mt, h - mb, h - mb + 16, tick(e));
  }
  for (double e = ly0; e <= ly1; ++e) {
    out += fmt::format(
        "<line x1=\"{0}\" x2=\"{1}\" y1=\"{2:.1f}\" y2=\"{2:.1f}\" stroke=\"#e3e7ee\"/>"
        "<text x=\"{3}\" y=\"{4:.1f}\" text-anchor=\"end\">{5}</text>\n",
        ml, w - mr, sy(std::pow(10, e)), ml - 6, sy(std::pow(10, e)) + 4, tick(e));
  }
  out += fmt::format(
      "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">arithmetic intensity, FLOP per byte of compulsory "
      "traffic (log)</text>\n",
      (ml + w - mr) / 2, h - 8);
  out += fmt::format(
      "<text x=\"14\" y=\"{0}\" transform=\"rotate(-90 14 {0})\" text-anchor=\"middle\">TFLOPS (log)</text>\n",
      (mt + h - mb) / 2);

  std::vector<label_box> boxes;
  const double xa = std::pow(10, lx0), xb = std::pow(10, lx1);
  for (const roof& f : roofs) {
    const double ridge = f.peak * 1e3 / f.gbps;
    const double y_start = std::max(xa * f.gbps / 1e3, std::pow(10, ly0));
    const double x_start = y_start * 1e3 / f.gbps;
    out += fmt::format(
        "<polyline class=\"roof\" fill=\"none\" stroke=\"{}\" stroke-width=\"2\" stroke-dasharray=\"{}\" "
        "points=\"{:.1f},{:.1f} {:.1f},{:.1f} {:.1f},{:.1f}\"/>\n",
        f.color, f.dash, sx(x_start), sy(y_start), sx(ridge), sy(f.peak), sx(xb), sy(f.peak));
    // The roof's own label, above its flat part just right of the ridge (points sit below a
    // roof), moved right, or below the roof, when another label is there.
    const std::string text = fmt::format("{} {}", f.label, human_rate(f.peak));
    const double tw = 6.6 * static_cast<double>(text.size());
    label_box at{sx(ridge) + 6, sy(f.peak) - 16, sx(ridge) + 6 + tw, sy(f.peak) - 3};
    for (int step = 0; step < 10 && overlaps(boxes, at); ++step) at = {at.x0 + 40, at.y0, at.x1 + 40, at.y1};
    if (overlaps(boxes, at)) at = {sx(ridge) + 6, sy(f.peak) + 3, sx(ridge) + 6 + tw, sy(f.peak) + 16};
    at.x0 = std::min(at.x0, w - mr - tw);
    at.x1 = at.x0 + tw;
    out += fmt::format("<text class=\"roof-label\" x=\"{:.1f}\" y=\"{:.1f}\" fill=\"{}\">{}</text>\n", at.x0, at.y1 - 2,
                       f.color, html_escape(text));
    boxes.push_back(at);
  }

  for (const point& p : points) {
    const double x = sx(p.x), y = sy(p.y);
    const char* color = groups[p.group].color;
    out += fmt::format("<g class=\"point\" data-backend=\"{}\"><title>{}{}</title>", html_escape(p.backend),
                       html_escape(p.title), p.impossible ? " (IMPOSSIBLE)" : "");
    out += p.impossible ? fmt::format(
                              "<path d=\"M{:.1f} {:.1f}l10 10m0 -10l-10 10\" stroke=\"#d62728\" "
                              "stroke-width=\"2.5\"/>",
                              x - 5, y - 5)
                        : marker(p.shape, x, y, color);
    // Visible backend label: right of the point, else left, above or below, whichever is free.
    const std::string text = p.backend + (p.impossible ? " (IMPOSSIBLE)" : "");
    const double tw = 6.6 * static_cast<double>(text.size());
    const std::pair<double, double> offsets[] = {{8, 4},   {-8 - tw, 4}, {-tw / 2, -9},  {-tw / 2, 17},
                                                 {8, -8},  {8, 16},      {-8 - tw, -8},  {-8 - tw, 16},
                                                 {8, -20}, {8, 28},      {-tw / 2, -21}, {-tw / 2, 29}};
    label_box chosen{x + 8, y - 7, x + 8 + tw, y + 5};
    for (const auto& [dx, dy] : offsets) {
      const label_box b{x + dx, y + dy - 10, x + dx + tw, y + dy + 2};
      if (!overlaps(boxes, b)) {
        chosen = b;
        break;
      }
    }
    boxes.push_back(chosen);
    out += fmt::format("<text class=\"point-label\" x=\"{:.1f}\" y=\"{:.1f}\" fill=\"{}\">{}</text></g>\n", chosen.x0,
                       chosen.y1 - 2, p.impossible ? "#d62728" : color, html_escape(text));
  }

  // Legend: each measured device and dtype (colour, its roof), the compared roofs, the backends.
  int ly = h + 18;
  for (const group& g : groups) {
    out += fmt::format(
        "<line x1=\"{}\" x2=\"{}\" y1=\"{}\" y2=\"{}\" stroke=\"{}\" stroke-width=\"2\"/>{}"
        "<text x=\"{}\" y=\"{}\">{}: {}</text>\n",
        ml, ml + 26, ly - 4, ly - 4, g.color, marker(0, ml + 13, ly - 4, g.color), ml + 34, ly, html_escape(g.label),
        html_escape(g.roof_text));
    ly += 20;
  }
  for (const roof& f : roofs) {
    if (f.dash != std::string("7 4")) continue;
    out += fmt::format(
        "<line x1=\"{}\" x2=\"{}\" y1=\"{}\" y2=\"{}\" stroke=\"{}\" stroke-width=\"2\" stroke-dasharray=\"7 4\"/>"
        "<text x=\"{}\" y=\"{}\">{}: peak {} TFLOPS, {} GB/s</text>\n",
        ml, ml + 26, ly - 4, ly - 4, f.color, ml + 34, ly, html_escape(f.label), human_rate(f.peak),
        human_rate(f.gbps));
    ly += 20;
  }
  int lx = ml;
  out += fmt::format("<text x=\"{}\" y=\"{}\">backends:</text>", lx, ly);
  lx += 70;
  for (std::size_t i = 0; i < backends.size(); ++i) {
    out += marker(i, lx + 6, ly - 4, "#1d2330");
    out += fmt::format("<text x=\"{}\" y=\"{}\">{}</text>", lx + 16, ly, html_escape(backends[i]));
    lx += 28 + static_cast<int>(7 * backends[i].size());
  }
  out += fmt::format(
      "<path d=\"M{} {}l9 9m0 -9l-9 9\" stroke=\"#d62728\" stroke-width=\"2.5\"/><text x=\"{}\" y=\"{}\">"
      "impossible (above dense peak)</text>\n",
      lx + 2, ly - 9, lx + 16, ly);
  return out + "</svg>\n";
}

}  // namespace accelbench
