// accelbench report FILE...: result files (one or several machines) against the spec database
// and each file's measured ceilings (or those of --ceilings FILE), written as Markdown, CSV, HTML
// and the report model's JSON.
// Everything is read, validated and rendered before the first file is written, so a bad input
// leaves no partial report behind.
#include <filesystem>
#include <memory>
#include <set>
#include <sstream>

#include <fmt/format.h>

#include "bench/cli/commands.hpp"
#include "kernels/spec/errors.hpp"
#include "reports/llm/model_section.hpp"
#include "reports/model/atomic_file.hpp"
#include "reports/model/ceilings.hpp"
#include "reports/model/result_reader.hpp"
#include "reports/views/csv_writer.hpp"
#include "reports/views/html_writer.hpp"
#include "reports/views/markdown_writer.hpp"
#include "reports/views/report_model.hpp"
#include "reports/views/spec_database.hpp"

namespace accelbench {
namespace {

struct report_arguments {
  std::vector<std::string> files;
  std::string formats = "md,csv,html,json";
  std::string out = "report";
  std::string compare_to = "H100-SXM5,H20,Ascend-910B";
  std::string specs_dir;
  std::string models_dir;
  std::string ceilings;  // accelbench peak --out FILE, for the inputs measured on its CPU
};

std::vector<std::string> split(const std::string& text) {
  std::vector<std::string> items;
  std::stringstream list(text);
  std::string item;
  while (std::getline(list, item, ',')) {
    if (!item.empty()) items.push_back(item);
  }
  return items;
}

int report_command(const report_arguments& args) {
  const std::set<std::string> known{"md", "csv", "html", "json"};
  const std::vector<std::string> formats = split(args.formats);
  if (formats.empty()) throw input_error("--format: name at least one of md, csv, html, json");
  for (const std::string& f : formats) {
    if (known.count(f) == 0)
      throw input_error(fmt::format("--format '{}': accepted: md, csv, html, json (comma-separated)", f));
  }
  namespace fs = std::filesystem;
  std::error_code error;
  if (args.out == "-") {
    throw input_error("--out '-': a report is a folder of four files (report.md, .csv, .html, .json); name the folder");
  }
  if (fs::exists(args.out, error) && !fs::is_directory(args.out, error)) {
    throw input_error(fmt::format("--out '{}': exists and is not a directory", args.out));
  }
  const spec_database db = spec_database::load(find_specs_directory(args.specs_dir));
  std::vector<report_input> inputs;
  for (const std::string& file : args.files) inputs.emplace_back(file, read_result_file(file));
  if (!args.ceilings.empty()) apply_ceilings(inputs, read_ceilings_file(args.ceilings), args.ceilings);
  report r = build_report(std::move(inputs), db, split(args.compare_to));
  // The press question at model level, from these results where they ran on a seed chip.
  std::vector<run_record> runs;
  for (const report_input& input : r.inputs) runs.push_back(input.run);
  r.model_tables = model_section_tables(db, find_models_directory(args.models_dir), measured_cases(runs, db));

  std::vector<std::pair<std::string, std::string>> outputs;  // file name, contents
  for (const std::string& f : formats) {
    if (f == "md") outputs.emplace_back("report.md", render_markdown(r));
    if (f == "csv") outputs.emplace_back("report.csv", render_csv(r));
    if (f == "html") outputs.emplace_back("report.html", render_html(r));
    if (f == "json") outputs.emplace_back("report.json", to_json(r).dump(2) + "\n");
  }
  fs::create_directories(args.out, error);
  if (error) throw input_error(fmt::format("--out '{}': cannot create the directory: {}", args.out, error.message()));
  for (const auto& [name, contents] : outputs) {
    const std::string path = (fs::path(args.out) / name).string();
    write_file_atomically(path, contents);
    fmt::print("wrote {}\n", path);
  }
  std::size_t impossible = 0, above_ceiling = 0;
  for (const report_row& row : r.rows) {
    impossible += row.impossible ? 1 : 0;
    above_ceiling += row.above_ceiling ? 1 : 0;
  }
  if (impossible > 0) {
    fmt::print("{} result(s) above their device's dense spec peak: flagged IMPOSSIBLE in the report\n", impossible);
  }
  if (above_ceiling > 0) {
    fmt::print("{} result(s) above their measured ceiling: flagged ABOVE CEILING in the report\n", above_ceiling);
  }
  for (std::size_t i = 0; i < r.inputs.size(); ++i) {
    const auto ceilings = r.ceilings_of(i);
    if (ceilings && ceilings->fma_pipes_disagree()) {
      fmt::print("the ceilings of {} fail their FMA cross-check: flagged CEILINGS DISAGREE in the report\n",
                 r.inputs[i].file);
    }
  }
  return 0;
}

}  // namespace

command add_report_command(CLI::App& parent) {
  auto args = std::make_shared<report_arguments>();
  CLI::App* cmd = parent.add_subcommand(
      "report", "Result files against spec peaks and measured ceilings: Markdown, CSV, HTML (charts), JSON");
  cmd->set_version_flag("--version", version_text());
  cmd->add_option("files", args->files, "Result JSON files (several machines merge into one table)")->required();
  cmd->add_option("--format,-f", args->formats, "Comma-separated: md, csv, html, json")->capture_default_str();
  cmd->add_option("--out,-o", args->out, "Directory for report.md, report.csv, report.html, report.json")
      ->capture_default_str();
  cmd->add_option("--compare-to", args->compare_to,
                  "Spec database devices for the lower-bound time columns (see 'accelbench specs'); '' for none")
      ->capture_default_str();
  cmd->add_option("--specs-dir", args->specs_dir, "Spec database directory (default: as for 'accelbench specs')");
  cmd->add_option("--models-dir", args->models_dir, "Model directory for the model section (default: models/)");
  cmd->add_option("--ceilings", args->ceilings,
                  "Ceilings file from 'accelbench peak --out FILE': used for the inputs measured on its CPU "
                  "(instead of ceilings stored by 'run --ceilings')");
  cmd->footer(
      "Column meanings: docs/reports.md. A result above its device's dense peak is flagged IMPOSSIBLE, one above its "
      "measured ceiling ABOVE CEILING, and ceilings whose FMA cross-check fails CEILINGS DISAGREE.\n\n"
      "Examples:\n"
      "  accelbench report r.json --out report/                      Markdown, CSV, HTML, JSON\n"
      "  accelbench report a.json b.json --compare-to H100-SXM5,H20  several machines, two compared devices\n"
      "  accelbench report r.json --ceilings ceilings.json           % of ceiling from 'peak --out'");
  return {cmd, [args] { return report_command(*args); }};
}

}  // namespace accelbench
