#include "reports/views/html_writer.hpp"

#include <algorithm>
#include <cstdlib>

#include <fmt/format.h>

#include "reports/model/number_format.hpp"
#include "reports/views/html_escape.hpp"
#include "reports/views/html_roofline.hpp"
#include "reports/views/report_tables.hpp"

namespace accelbench {
namespace {

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
td{max-width:34em;min-width:2em}
svg{max-width:100%;height:auto;background:#fff}svg text{font:12px system-ui,sans-serif;fill:#1d2330}
svg text.point-label,svg text.roof-label{font-weight:600}svg#roofline-svg{max-width:1000px}
.cards{display:flex;flex-wrap:wrap;gap:14px}
.card{background:#fff;border:1px solid #dde2ea;border-radius:8px;padding:12px 16px;min-width:320px;box-shadow:0 1px 2px #0001}
.card h3{margin:0 0 2px;font-size:16px}.card p{margin:0 0 8px;color:#4a5468;font-size:12.5px}
.card table{font-size:13.5px}.card th{cursor:default;position:static}.card td.big{font-size:18px;font-weight:700}
.meter{display:inline-block;width:70px;height:8px;background:#eef1f6;border:1px solid #c9d1e0;margin-left:6px;vertical-align:middle}
.meter span{display:block;height:100%;background:#2ca02c}.warn{color:#b42318;font-weight:600}
input.more{margin:0 6px 8px 0}.extra{display:none}input.more:checked ~ .scroll .extra{display:table-cell}
details>summary{cursor:pointer;color:#24478f;margin:4px 0}
)css";

// Sorting by a header click (times in any unit compare as seconds), and a marker the browser
// test reads to know the script ran.
constexpr const char* script = R"js(
(function () {
  var units = {ns: 1e-9, '\u00b5s': 1e-6, ms: 1e-3, s: 1, '%': 1};
  function key(cell) {
    var t = cell.textContent.trim(), m = /^(-?[0-9.]+(?:e[-+]?[0-9]+)?)\s*(ns|\u00b5s|ms|s|%)?$/.exec(t);
    return m ? parseFloat(m[1]) * (m[2] ? units[m[2]] : 1) : t.toLowerCase();
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

// A number, optionally with a unit the human style prints ("2.06 ms", "83.8%"): right-aligned.
bool numeric(const std::string& s) {
  if (s.empty()) return false;
  char* end = nullptr;
  std::strtod(s.c_str(), &end);
  if (end == s.c_str()) return false;
  const std::string rest(end);
  return rest.empty() || rest == "%" || rest == " ns" || rest == " µs" || rest == " ms" || rest == " s";
}

std::string render_table(const report_table& t) {
  std::string out = fmt::format("<section id=\"{}\"><h2>{}</h2>\n", html_escape(t.id), html_escape(t.title));
  if (!t.intro.empty()) out += fmt::format("<p class=\"intro\">{}</p>\n", html_escape(t.intro));
  if (t.rows.empty()) return out + "<p>(none)</p></section>\n";
  if (t.collapsed)
    out += fmt::format("<details><summary>show {} columns for {} results</summary>\n", t.headers.size(), t.rows.size());
  const bool has_extra = std::find(t.extra.begin(), t.extra.end(), true) != t.extra.end();
  // A checkbox opens the extra columns: plain CSS, no script needed.
  if (has_extra) {
    out += fmt::format(
        "<input type=\"checkbox\" class=\"more\" id=\"more-{0}\"><label for=\"more-{0}\">show all "
        "columns</label>\n",
        html_escape(t.id));
  }
  out += fmt::format("<div class=\"scroll\"><table class=\"sortable\" id=\"table-{}\"><thead><tr>", html_escape(t.id));
  auto open_cell = [&](std::size_t column, const char* tag, bool number) {
    const bool extra = column < t.extra.size() && t.extra[column];
    std::string classes = std::string(extra ? "extra" : "") + (number ? (extra ? " num" : "num") : "");
    return classes.empty() ? fmt::format("<{}>", tag) : fmt::format("<{} class=\"{}\">", tag, classes);
  };
  for (std::size_t j = 0; j < t.headers.size(); ++j)
    out += open_cell(j, "th", false) + html_escape(t.headers[j]) + "</th>";
  out += "</tr></thead><tbody>\n";
  for (std::size_t i = 0; i < t.rows.size(); ++i) {
    out += t.flagged[i] ? "<tr class=\"flagged\">" : "<tr>";
    for (std::size_t j = 0; j < t.rows[i].size(); ++j) {
      const std::string& c = t.rows[i][j];
      out += open_cell(j, "td", numeric(c)) + html_escape(c) + "</td>";
    }
    out += "</tr>\n";
  }
  out += "</tbody></table></div>";
  if (t.collapsed) out += "</details>";
  return out + "</section>\n";
}

std::string meter(const std::optional<double>& percent) {
  if (!percent) return "-";
  return fmt::format("{}<span class=\"meter\"><span style=\"width:{:.1f}%\"></span></span>", human_percent(percent),
                     std::clamp(*percent, 0.0, 100.0));
}

// A card per device: its best verified TFLOPS per dtype against its peak and its ceiling.
std::string summary_cards(const report& r) {
  const std::vector<best_entry> best = best_per_device(r);
  std::string out =
      "<section id=\"summary\"><h2>At a glance</h2>\n<p class=\"intro\">Per device, the best verified result per "
      "dtype (impossible results and the reference backend left out). % of peak: against the dense spec, or for a "
      "CPU the theoretical peak from its ceilings; % of ceiling: against the measured ceiling.</p>\n";
  if (best.empty()) return out + "<p>No verified result.</p></section>\n";
  out += "<div class=\"cards\">\n";
  std::vector<std::string> devices;
  for (const best_entry& b : best) {
    if (std::find(devices.begin(), devices.end(), b.device) == devices.end()) devices.push_back(b.device);
  }
  for (const std::string& device : devices) {
    std::size_t results = 0, verified = 0;
    for (const report_row& row : r.rows) {
      if (device_label(r, row) != device) continue;
      ++results;
      verified += row.result.tflops() ? 1 : 0;
    }
    out += fmt::format(
        "<div class=\"card\"><h3>{}</h3><p>{} results, {} verified</p>\n<table><thead><tr><th>dtype</th><th>best "
        "TFLOPS</th><th>% of peak</th><th>% of ceiling</th><th>backend</th></tr></thead><tbody>\n",
        html_escape(device), results, verified);
    for (const best_entry& b : best) {
      if (b.device != device) continue;
      const report_row& row = r.rows[b.row];
      const std::string warning =
          b.suspect
              ? fmt::format(" <span class=\"warn\" title=\"{}\">⚠ see Flags</span>",
                            html_escape(row.above_ceiling ? row.ceiling_flag : "this machine's ceilings disagree"))
              : "";
      out += fmt::format(
          "<tr><td>{}</td><td class=\"num big\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}{}</td>"
          "<td>{}</td></tr>\n",
          html_escape(b.dtype), human_rate(b.tflops), meter(b.pct_of_peak),
          b.pct_of_ceiling ? human_percent(b.pct_of_ceiling) : "-", warning, html_escape(row.result.backend));
    }
    out += "</tbody></table></div>\n";
  }
  return out + "</div></section>\n";
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
      html_escape(fmt::format("{} results from {} file(s), {} verified, {} flagged impossible. Spec peaks are dense "
                              "unless labelled sparse; TFLOPS (TOPS for s8).",
                              r.rows.size(), r.inputs.size(), verified, impossible));
  out += "</p></header>\n<nav>";
  out += "<a href=\"#summary\">at a glance</a><a href=\"#chart-roofline\">roofline</a>";
  for (const report_table& t : tables) {
    out += fmt::format("<a href=\"#{}\">{}</a>", html_escape(t.id), html_escape(t.title));
  }
  out += "</nav>\n<main>\n";
  out += summary_cards(r);
  out += "<section id=\"chart-roofline\"><h2>Roofline</h2>\n";
  out += roofline_svg(r);
  out += "</section>\n";
  for (const report_table& t : tables) out += render_table(t);
  out += "</main>\n<script>";
  out += script;
  out += "</script>\n</body>\n</html>\n";
  return out;
}

}  // namespace accelbench
