#include "reports/views/html_writer.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include <fmt/format.h>

#include "reports/views/report_tables.hpp"

namespace accelbench {
namespace {

std::string escape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
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
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

const char* const palette[] = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2"};

constexpr const char* style = R"css(
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1d2330;background:#f6f7f9}
header{background:#1d2330;color:#fff;padding:18px 28px}header h1{margin:0 0 4px;font-size:22px}header p{margin:0;color:#c9d1e0}
nav{padding:8px 28px;background:#e9ecf2;font-size:13px}nav a{margin-right:14px;color:#24478f;text-decoration:none}
main{padding:8px 28px 40px}section{background:#fff;border:1px solid #dde2ea;border-radius:6px;margin:16px 0;padding:12px 16px}
h2{font-size:17px;margin:4px 0 8px}p.intro{color:#4a5468;margin:4px 0 10px;max-width:1100px}
.scroll{overflow-x:auto;max-height:560px;overflow-y:auto}
table{border-collapse:collapse;font-size:12.5px}th,td{border:1px solid #dde2ea;padding:3px 7px;text-align:left;vertical-align:top}
th{background:#eef1f6;position:sticky;top:0;cursor:pointer;white-space:nowrap}tr:nth-child(even) td{background:#fafbfc}
tr.flagged td{background:#fde8e8 !important}td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
svg{max-width:100%;height:auto;background:#fff}svg text{font:11px system-ui,sans-serif;fill:#1d2330}
td{max-width:34em;min-width:3em}svg#achieved-svg{max-width:980px}svg#roofline-svg{max-width:980px}
)css";

// Sorting by a header click, and a marker the browser test reads to know the script ran.
constexpr const char* script = R"js(
(function () {
  function key(cell) {
    var t = cell.textContent.trim(), n = parseFloat(t.replace('%', ''));
    return isNaN(n) ? t.toLowerCase() : n;
  }
  document.querySelectorAll('table.sortable').forEach(function (table) {
    table.querySelectorAll('th').forEach(function (th, col) {
      th.addEventListener('click', function () {
        var body = table.tBodies[0], rows = Array.prototype.slice.call(body.rows);
        var up = th.getAttribute('data-dir') !== 'up';
        rows.sort(function (a, b) {
          var x = key(a.cells[col]), y = key(b.cells[col]);
          if (typeof x !== typeof y) { x = String(x); y = String(y); }
          return (x < y ? -1 : x > y ? 1 : 0) * (up ? 1 : -1);
        });
        rows.forEach(function (r) { body.appendChild(r); });
        th.setAttribute('data-dir', up ? 'up' : 'down');
      });
    });
  });
  document.body.setAttribute('data-report-ready', String(document.querySelectorAll('table.sortable').length));
})();
)js";

bool numeric(const std::string& s) {
  if (s.empty()) return false;
  char* end = nullptr;
  std::strtod(s.c_str(), &end);
  return end != s.c_str() && (*end == '\0' || (*end == '%' && end[1] == '\0'));
}

std::string render_table(const report_table& t) {
  std::string out = fmt::format("<section id=\"{}\"><h2>{}</h2>\n", escape(t.id), escape(t.title));
  if (!t.intro.empty()) out += fmt::format("<p class=\"intro\">{}</p>\n", escape(t.intro));
  if (t.rows.empty()) return out + "<p>(none)</p></section>\n";
  out += fmt::format("<div class=\"scroll\"><table class=\"sortable\" id=\"table-{}\"><thead><tr>", escape(t.id));
  for (const std::string& h : t.headers) out += "<th>" + escape(h) + "</th>";
  out += "</tr></thead><tbody>\n";
  for (std::size_t i = 0; i < t.rows.size(); ++i) {
    out += t.flagged[i] ? "<tr class=\"flagged\">" : "<tr>";
    for (const std::string& c : t.rows[i]) out += (numeric(c) ? "<td class=\"num\">" : "<td>") + escape(c) + "</td>";
    out += "</tr>\n";
  }
  return out + "</tbody></table></div></section>\n";
}

// Horizontal bars: each device/dtype's best result as a share of its dense peak.
std::string achieved_chart(const report& r) {
  const std::vector<best_entry> best = best_per_device(r);
  std::string out = "<section id=\"chart-achieved\"><h2>Achieved vs dense spec peak</h2>\n";
  if (best.empty()) return out + "<p>No verified result to chart.</p></section>\n";
  const int label_w = 330, bar_w = 360, row_h = 26, top = 10;
  const int height = top + row_h * static_cast<int>(best.size()) + 24;
  out += fmt::format(
      "<svg id=\"achieved-svg\" viewBox=\"0 0 {} {}\" width=\"{}\" height=\"{}\" role=\"img\" "
      "aria-label=\"achieved vs spec\">\n",
      label_w + bar_w + 260, height, label_w + bar_w + 260, height);
  for (std::size_t i = 0; i < best.size(); ++i) {
    const best_entry& b = best[i];
    const int y = top + row_h * static_cast<int>(i);
    out += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{} · {}</text>\n", label_w - 8, y + 16,
                       escape(b.device.size() > 44 ? b.device.substr(0, 43) + "…" : b.device), escape(b.dtype));
    out += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"16\" fill=\"#eef1f6\" stroke=\"#c9d1e0\"/>\n",
                       label_w, y + 4, bar_w);
    if (b.pct_of_peak) {
      const double w = std::clamp(*b.pct_of_peak, 0.0, 100.0) / 100.0 * bar_w;
      out += fmt::format("<rect class=\"bar\" x=\"{}\" y=\"{}\" width=\"{:.1f}\" height=\"16\" fill=\"{}\"/>\n",
                         label_w, y + 4, w, palette[i % 8]);
      out += fmt::format("<text x=\"{}\" y=\"{}\">{} of {} TFLOPS ({})</text>\n", label_w + bar_w + 8, y + 16,
                         format_figure(b.tflops), format_figure(*b.peak_tflops), format_percent(b.pct_of_peak));
    } else {
      out += fmt::format("<text x=\"{}\" y=\"{}\">{} TFLOPS (no dense peak known)</text>\n", label_w + bar_w + 8,
                         y + 16, format_figure(b.tflops));
    }
  }
  const int axis_y = top + row_h * static_cast<int>(best.size()) + 14;
  for (int p = 0; p <= 100; p += 25) {
    out += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}%</text>\n", label_w + bar_w * p / 100, axis_y,
                       p);
  }
  return out + "</svg></section>\n";
}

// Log-log roofline: each measured device's roof (dense peak, bandwidth) per dtype, the compared
// devices' roofs for the most common dtype (dashed), and every verified result as a point.
std::string roofline_chart(const report& r) {
  struct roof {
    std::string label;
    double peak = 0, gbps = 0;
    bool dashed = false;
  };
  struct point {
    double x = 0, y = 0;
    std::string dtype, title;
    bool impossible = false;
  };
  std::vector<roof> roofs;
  std::vector<point> points;
  std::set<std::string> roof_keys;
  std::map<std::string, int> dtype_count;
  for (std::size_t i = 0; i < r.rows.size(); ++i) {
    const report_row& row = r.rows[i];
    const auto tflops = row.result.tflops();
    if (!tflops || row.arithmetic_intensity <= 0) continue;
    points.push_back(
        {row.arithmetic_intensity, *tflops, row.result.dtype_in,
         fmt::format("#{} {} on {}: {} TFLOPS", i + 1, row.result.workload, row.result.backend, format_figure(*tflops)),
         row.impossible});
    ++dtype_count[row.spec_dtype];
    if (row.spec_dense_tflops && row.bandwidth_gbps) {
      const std::string label = fmt::format("{} {}", device_label(r, row), row.result.dtype_in);
      if (roof_keys.insert(label).second) roofs.push_back({label, *row.spec_dense_tflops, *row.bandwidth_gbps, false});
    }
  }
  std::string out = "<section id=\"chart-roofline\"><h2>Roofline</h2>\n";
  if (points.empty()) return out + "<p>No verified result to plot.</p></section>\n";
  std::string common;
  int most = 0;
  for (const auto& [dt, n] : dtype_count) {
    if (n > most) {
      most = n;
      common = dt;
    }
  }
  // Compared devices: their roofs for the most common dtype among the results.
  for (std::size_t i = 0; i < r.compare_to.size(); ++i) {
    for (const report_row& row : r.rows) {
      if (row.spec_dtype != common || i >= row.projections.size()) continue;
      const projected_time& p = row.projections[i];
      if (p.peak_tflops && p.bandwidth_gbps) {
        roofs.push_back({fmt::format("{} {} dense", p.device, common), *p.peak_tflops, *p.bandwidth_gbps, true});
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
  const int w = 760, h = 440, ml = 64, mr = 16, mt = 12, mb = 46;
  auto sx = [&](double x) { return ml + (std::log10(x) - lx0) / (lx1 - lx0) * (w - ml - mr); };
  auto sy = [&](double y) { return h - mb - (std::log10(y) - ly0) / (ly1 - ly0) * (h - mt - mb); };
  const int legend_h = 18 * static_cast<int>(roofs.size() + 2);
  out += fmt::format(
      "<svg id=\"roofline-svg\" viewBox=\"0 0 {} {}\" width=\"{}\" height=\"{}\" role=\"img\" "
      "aria-label=\"roofline\">\n",
      w, h + legend_h, w, h + legend_h);
  for (double e = lx0; e <= lx1; ++e) {
    out += fmt::format(
        "<line x1=\"{0:.1f}\" x2=\"{0:.1f}\" y1=\"{1}\" y2=\"{2}\" stroke=\"#e3e7ee\"/>"
        "<text x=\"{0:.1f}\" y=\"{3}\" text-anchor=\"middle\">{4}</text>\n",
        sx(std::pow(10, e)), mt, h - mb, h - mb + 16, format_figure(std::pow(10, e)));
  }
  for (double e = ly0; e <= ly1; ++e) {
    out += fmt::format(
        "<line x1=\"{0}\" x2=\"{1}\" y1=\"{2:.1f}\" y2=\"{2:.1f}\" stroke=\"#e3e7ee\"/>"
        "<text x=\"{3}\" y=\"{4:.1f}\" text-anchor=\"end\">{5}</text>\n",
        ml, w - mr, sy(std::pow(10, e)), ml - 6, sy(std::pow(10, e)) + 4, format_figure(std::pow(10, e)));
  }
  out += fmt::format(
      "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">arithmetic intensity, FLOP per byte of compulsory "
      "traffic (log)</text>\n",
      (ml + w - mr) / 2, h - 8);
  out += fmt::format(
      "<text x=\"14\" y=\"{}\" transform=\"rotate(-90 14 {})\" text-anchor=\"middle\">TFLOPS (log)</text>\n",
      (mt + h - mb) / 2, (mt + h - mb) / 2);
  const double xa = std::pow(10, lx0), xb = std::pow(10, lx1);
  for (std::size_t i = 0; i < roofs.size(); ++i) {
    const roof& f = roofs[i];
    const double ridge = f.peak * 1e3 / f.gbps;
    const double y_start = std::max(xa * f.gbps / 1e3, std::pow(10, ly0));
    const double x_start = y_start * 1e3 / f.gbps;
    const char* color = palette[i % 8];
    out += fmt::format(
        "<polyline class=\"roof\" fill=\"none\" stroke=\"{}\" stroke-width=\"2\"{} points=\"{:.1f},{:.1f} "
        "{:.1f},{:.1f} {:.1f},{:.1f}\"/>\n",
        color, f.dashed ? " stroke-dasharray=\"6 4\"" : "", sx(x_start), sy(y_start), sx(ridge), sy(f.peak), sx(xb),
        sy(f.peak));
    const int ly = h + 14 + 18 * static_cast<int>(i);
    out += fmt::format(
        "<line x1=\"{}\" x2=\"{}\" y1=\"{}\" y2=\"{}\" stroke=\"{}\" stroke-width=\"2\"{}/>"
        "<text x=\"{}\" y=\"{}\">{}: {} TFLOPS, {} GB/s</text>\n",
        ml, ml + 24, ly - 4, ly - 4, color, f.dashed ? " stroke-dasharray=\"6 4\"" : "", ml + 30, ly, escape(f.label),
        format_figure(f.peak), format_figure(f.gbps));
  }
  std::map<std::string, const char*> dtype_colors;
  for (const point& p : points) {
    if (dtype_colors.count(p.dtype) == 0) dtype_colors[p.dtype] = palette[(dtype_colors.size() + 3) % 8];
    const double x = sx(p.x), y = sy(p.y);
    if (p.impossible) {
      out += fmt::format(
          "<g class=\"point impossible\"><title>{} (IMPOSSIBLE)</title><path d=\"M{:.1f} {:.1f}l8 8m0 -8l-8 8\" "
          "stroke=\"#d62728\" stroke-width=\"2.5\"/></g>\n",
          escape(p.title), x - 4, y - 4);
    } else {
      out += fmt::format(
          "<circle class=\"point\" cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"4.5\" fill=\"{}\" fill-opacity=\"0.8\" "
          "stroke=\"#fff\"><title>{}</title></circle>\n",
          x, y, dtype_colors[p.dtype], escape(p.title));
    }
  }
  int lx = ml;
  const int ly = h + 14 + 18 * static_cast<int>(roofs.size());
  for (const auto& [dt, color] : dtype_colors) {
    out += fmt::format("<circle cx=\"{}\" cy=\"{}\" r=\"4.5\" fill=\"{}\"/><text x=\"{}\" y=\"{}\">{} results</text>\n",
                       lx + 5, ly - 4, color, lx + 14, ly, escape(dt));
    lx += 110;
  }
  out += fmt::format(
      "<path d=\"M{} {}l8 8m0 -8l-8 8\" stroke=\"#d62728\" stroke-width=\"2.5\"/><text x=\"{}\" y=\"{}\">"
      "impossible (above dense peak)</text>\n",
      lx + 1, ly - 8, lx + 14, ly);
  return out + "</svg></section>\n";
}

}  // namespace

std::string render_html(const report& r) {
  const std::vector<report_table> tables = report_tables(r);
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<title>accelbench report</title>\n<style>";
  out += style;
  out += "</style>\n</head>\n<body>\n<header><h1>accelbench report</h1><p>";
  std::size_t verified = 0, impossible = 0;
  for (const report_row& row : r.rows) {
    verified += row.result.tflops() ? 1 : 0;
    impossible += row.impossible ? 1 : 0;
  }
  out +=
      escape(fmt::format("{} results from {} file(s), {} verified, {} flagged impossible. Spec peaks are dense unless "
                         "labelled sparse; TFLOPS (TOPS for s8).",
                         r.rows.size(), r.inputs.size(), verified, impossible));
  out += "</p></header>\n<nav>";
  out += "<a href=\"#chart-achieved\">achieved vs spec</a><a href=\"#chart-roofline\">roofline</a>";
  for (const report_table& t : tables) out += fmt::format("<a href=\"#{}\">{}</a>", escape(t.id), escape(t.title));
  out += "</nav>\n<main>\n";
  out += achieved_chart(r);
  out += roofline_chart(r);
  for (const report_table& t : tables) out += render_table(t);
  out += "</main>\n<script>";
  out += script;
  out += "</script>\n</body>\n</html>\n";
  return out;
}

}  // namespace accelbench
