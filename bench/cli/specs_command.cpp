// accelbench specs: query the spec database (reports/views/data/specs/*.json). Every figure is
// printed with dense and sparse apart, its unit, status and sources, so a quoted "1979" can be
// traced to what it really is.
#include <algorithm>
#include <cctype>
#include <memory>
#include <optional>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "bench/cli/commands.hpp"
#include "kernels/spec/errors.hpp"
#include "kernels/spec/suggest.hpp"
#include "reports/model/json_output.hpp"
#include "reports/views/press_ratio.hpp"
#include "reports/views/spec_database.hpp"

namespace accelbench {
namespace {

struct specs_arguments {
  std::string device, dtype, specs_dir;
  std::string format = "text";
  bool json = false;                     // --json: the same as --format json
  std::vector<std::string> compare_ids;  // specs compare A B
};

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> items;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t comma = std::min(text.find(',', start), text.size());
    if (comma > start) items.push_back(text.substr(start, comma - start));
    start = comma + 1;
  }
  return items;
}

// The spellings people use for the database's precisions (fp16, int8, bfloat16, e4m3 ...).
std::optional<spec_dtype> parse_dtype(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  static const std::pair<const char*, const char*> spellings[] = {
      {"fp64", "f64"}, {"fp32", "f32"},      {"fp16", "f16"},
      {"half", "f16"}, {"bfloat16", "bf16"}, {"fp8", "f8"},
      {"int8", "s8"},  {"i8", "s8"},         {"fp64-tensor", "f64-tensor"}};
  for (const auto& [from, to] : spellings) {
    if (text == from) text = to;
  }
  if (auto d = spec_dtype_from_string(text)) return d;
  return spec_dtype_for_result(text);  // result spellings: f8e4m3, f8e5m2
}

std::vector<spec_dtype> parse_dtypes(const std::string& text) {
  std::vector<spec_dtype> out;
  for (const std::string& item : split_list(text)) {
    const auto d = parse_dtype(item);
    if (!d) {
      std::vector<std::string> names;
      for (spec_dtype known : all_spec_dtypes) names.emplace_back(to_string(known));
      throw input_error(
          fmt::format("--dtype '{}': unknown precision{}; accepted: {} (also fp16, fp32, fp64, fp8, "
                      "bfloat16, int8, f8e4m3, f8e5m2), comma-separated",
                      item, did_you_mean(item, names), spec_dtype_accepted_form()));
    }
    out.push_back(*d);
  }
  return out;
}

// Each name an id, an alias or a family ("H100"); the family's choice is said first (on stderr
// when stdout carries JSON).
std::vector<const device_spec*> resolve_devices(const spec_database& db, const std::vector<std::string>& names,
                                                const char* what, bool json = false) {
  std::vector<const device_spec*> out;
  for (const std::string& name : names) {
    const spec_database::lookup found = db.resolve(name, what);
    if (!found.note.empty()) fmt::print(json ? stderr : stdout, "{}\n", found.note);
    out.push_back(found.device);
  }
  return out;
}

std::string figure(const std::optional<double>& v) { return v ? format_spec_value(*v) : std::string("-"); }

// "989.4 (1979)": dense, and sparse in parentheses where quoted.
std::string dense_and_sparse(const device_spec& d, spec_dtype dt) {
  const spec_rate* r = d.rate(dt);
  if (r == nullptr) return "-";
  return r->sparse ? fmt::format("{} ({})", figure(r->dense), format_spec_value(*r->sparse)) : figure(r->dense);
}

// Several devices and precisions at once: one row per device, one column per precision.
void print_table(const std::vector<const device_spec*>& devices, const std::vector<spec_dtype>& dtypes) {
  std::string header = fmt::format("{:<15} {:<12}", "device", "status");
  for (spec_dtype dt : dtypes) header += fmt::format(" {:>15}", to_string(dt));
  fmt::print("{} {:>9} {:>7}\n", header, "mem GB", "GB/s");
  for (const device_spec* d : devices) {
    std::string line = fmt::format("{:<15} {:<12}", d->id, to_string(d->status));
    for (spec_dtype dt : dtypes) line += fmt::format(" {:>15}", dense_and_sparse(*d, dt));
    fmt::print("{} {:>9} {:>7}\n", line, figure(d->memory_gb), figure(d->memory_bandwidth_gbps));
  }
  fmt::print(
      "\nDense peak (sparse in parentheses), TFLOPS; TOPS for s8. '-': not quoted.\n"
      "'accelbench specs -d DEVICE' shows each figure's status, sources and notes.\n");
}

std::string ratio_text(double a, double b) { return b > 0 ? fmt::format("{:.2f}x", a / b) : std::string("-"); }

// accelbench specs compare A B: the press question ("is an H100 really 6.68x an H20?") answered
// from the database: what each quoted headline figure is, and the like-for-like ratios.
int compare_devices(const spec_database& db, const specs_arguments& args) {
  if (args.compare_ids.size() != 2) {
    throw input_error("specs compare: expected two devices, e.g. 'accelbench specs compare H100 H20'");
  }
  const std::vector<const device_spec*> pair = resolve_devices(db, args.compare_ids, "specs compare");
  const device_spec& a = *pair[0];
  const device_spec& b = *pair[1];
  const std::vector<spec_dtype> dtypes =
      args.dtype.empty() ? std::vector<spec_dtype>(std::begin(all_spec_dtypes), std::end(all_spec_dtypes))
                         : parse_dtypes(args.dtype);
  fmt::print("{} ({}, {}) [{}] vs {} ({}, {}) [{}]\n", a.id, a.name, a.vendor, to_string(a.status), b.id, b.name,
             b.vendor, to_string(b.status));

  // The headline quotes of this pair, in either order, as the press prints them.
  for (const press_comparison& quote : db.press_comparisons()) {
    const device_spec* qa = db.find(quote.a);
    const device_spec* qb = db.find(quote.b);
    const bool same_order = qa == &a && qb == &b, swapped = qa == &b && qb == &a;
    if (!same_order && !swapped) continue;
    const press_ratio p = same_order ? read_quoted_pair(a, quote.a_quoted, b, quote.b_quoted, quote.context)
                                     : read_quoted_pair(b, quote.b_quoted, a, quote.a_quoted, quote.context);
    const auto readings = [](const std::vector<std::string>& r) {
      return r.empty() ? std::string("no figure in the database") : fmt::format("{}", fmt::join(r, ", "));
    };
    fmt::print("\nQuoted: {} {} vs {} {} = {:.2f}x  ({})\n", p.a, format_spec_value(p.a_quoted), p.b,
               format_spec_value(p.b_quoted), p.quoted_ratio, p.context);
    fmt::print("  {} on {} is: {}\n", format_spec_value(p.a_quoted), p.a, readings(p.a_readings));
    fmt::print("  {} on {} is: {}\n", format_spec_value(p.b_quoted), p.b, readings(p.b_readings));
    if (p.like_for_like.empty()) {
      fmt::print("  -> NOT like for like: the two figures are different precisions or sparsity\n");
    } else {
      fmt::print("  -> like for like as {}\n", fmt::join(p.like_for_like, ", "));
    }
  }

  fmt::print("\n{:<17} {:>12} {:>12} {:>10}\n", "like for like", a.id, b.id, "ratio");
  for (const matched_ratio& m : matched_ratios(a, b)) {
    const std::string dtype_name = m.label.substr(0, m.label.find(' '));
    const bool selected =
        std::any_of(dtypes.begin(), dtypes.end(), [&](spec_dtype dt) { return to_string(dt) == dtype_name; });
    if (!selected) continue;
    fmt::print("{:<17} {:>12} {:>12} {:>10}\n", m.label, format_spec_value(m.a), format_spec_value(m.b),
               fmt::format("{:.2f}x", m.ratio));
  }
  for (spec_dtype dt : dtypes) {
    if ((a.rate(dt) == nullptr) != (b.rate(dt) == nullptr)) {
      fmt::print("{:<17} {:>12} {:>12} {:>10}\n", fmt::format("{} dense", to_string(dt)), figure(a.dense(dt)),
                 figure(b.dense(dt)), "one side");
    }
  }
  const auto other = [&](const char* label, const std::optional<double>& x, const std::optional<double>& y) {
    fmt::print("{:<17} {:>12} {:>12} {:>10}\n", label, figure(x), figure(y),
               x && y ? ratio_text(*x, *y) : std::string("-"));
  };
  other("memory GB", a.memory_gb, b.memory_gb);
  other("memory GB/s", a.memory_bandwidth_gbps, b.memory_bandwidth_gbps);
  other("TDP W", a.tdp_w, b.tdp_w);
  fmt::print(
      "\nTFLOPS (TOPS for s8); the ratio is {} / {}. What a chip delivers on real work is what\n"
      "'accelbench run' measures; sources and status of each figure: 'accelbench specs -d {}' and -d {}.\n",
      a.id, b.id, a.id, b.id);
  return 0;
}

std::string value_text(const std::optional<double>& v) { return v ? format_spec_value(*v) : "not quoted"; }

nlohmann::ordered_json rate_json(const spec_database& db, const spec_rate& r) {
  nlohmann::ordered_json sources = nlohmann::ordered_json::array();
  for (const std::string& id : r.sources) {
    const spec_source* s = db.source(id);
    sources.push_back({{"id", id}, {"title", s->title}, {"url", s->url ? nlohmann::ordered_json(*s->url) : nullptr}});
  }
  return {{"dense", number_or_null(r.dense)},
          {"sparse", number_or_null(r.sparse)},
          {"unit", r.unit},
          {"status", to_string(r.status)},
          {"notes", r.notes},
          {"sources", sources}};
}

bool wanted(const std::vector<spec_dtype>& only, spec_dtype dt) {
  return only.empty() || std::find(only.begin(), only.end(), dt) != only.end();
}

nlohmann::ordered_json device_json(const spec_database& db, const device_spec& d, const std::vector<spec_dtype>& only) {
  nlohmann::ordered_json rates = nlohmann::ordered_json::object();
  for (const auto& [dt, r] : d.rates) {
    if (wanted(only, dt)) rates[std::string(to_string(dt))] = rate_json(db, r);
  }
  return {{"id", d.id},
          {"name", d.name},
          {"vendor", d.vendor},
          {"aliases", d.aliases},
          {"status", to_string(d.status)},
          {"rates", rates},
          {"memory",
           {{"size_gb", number_or_null(d.memory_gb)},
            {"type", d.memory_type},
            {"bandwidth_gbps", number_or_null(d.memory_bandwidth_gbps)},
            {"notes", d.memory_notes}}},
          {"interconnect", d.interconnect},
          {"tdp_w", number_or_null(d.tdp_w)},
          {"sources", d.sources},
          {"notes", d.notes},
          {"file", d.origin}};
}

void print_sources(const spec_database& db, const std::vector<std::string>& ids, const char* indent) {
  for (const std::string& id : ids) {
    const spec_source* s = db.source(id);
    fmt::print("{}{}: {}{}\n", indent, id, s->title, s->url ? " <" + *s->url + ">" : std::string(" (no URL)"));
  }
}

void print_rate(const spec_database& db, spec_dtype dt, const spec_rate& r) {
  fmt::print("  {:<10} {} {} dense; sparse {}  [{}]\n", to_string(dt), value_text(r.dense), r.unit,
             r.sparse ? format_spec_value(*r.sparse) : std::string("not quoted"), to_string(r.status));
  if (!r.notes.empty()) fmt::print("             note: {}\n", r.notes);
  print_sources(db, r.sources, "             ");
}

void print_device(const spec_database& db, const device_spec& d, const std::vector<spec_dtype>& only) {
  fmt::print("{} ({}, {}) [{}]\n", d.id, d.name, d.vendor, to_string(d.status));
  if (!only.empty()) {
    for (spec_dtype dt : only) {
      if (const spec_rate* r = d.rate(dt)) {
        print_rate(db, dt, *r);
      } else {
        fmt::print("  {:<10} not quoted by any source in the database\n", to_string(dt));
      }
    }
    return;
  }
  for (const auto& [dt, r] : d.rates) print_rate(db, dt, r);
  fmt::print("  memory     {} GB {}, {} GB/s{}\n", value_text(d.memory_gb), d.memory_type.empty() ? "?" : d.memory_type,
             d.memory_bandwidth_gbps ? format_spec_value(*d.memory_bandwidth_gbps) : std::string("unknown"),
             d.memory_notes.empty() ? "" : " (" + d.memory_notes + ")");
  fmt::print("  link       {}\n", d.interconnect.empty() ? "unknown" : d.interconnect);
  fmt::print("  TDP        {}\n", d.tdp_w ? format_spec_value(*d.tdp_w) + " W" : std::string("unknown"));
  if (!d.aliases.empty()) {
    std::string aliases;
    for (const std::string& a : d.aliases) aliases += (aliases.empty() ? "" : ", ") + a;
    fmt::print("  aliases    {}\n", aliases);
  }
  for (const std::string& n : d.notes) fmt::print("  note       {}\n", n);
  fmt::print("  sources\n");
  print_sources(db, d.sources, "             ");
}

int specs_command(const specs_arguments& args) {
  std::string format = args.json ? "json" : args.format;
  if (format != "text" && format != "json") {
    throw input_error(fmt::format("--format '{}': accepted values are text, json", args.format));
  }
  const spec_database db = spec_database::load(find_specs_directory(args.specs_dir));
  if (!args.compare_ids.empty()) return compare_devices(db, args);
  const std::vector<spec_dtype> dtypes = parse_dtypes(args.dtype);
  std::vector<const device_spec*> selected;
  if (!args.device.empty()) {
    selected = resolve_devices(db, split_list(args.device), "--device", format == "json");
  } else {
    for (const device_spec& d : db.devices()) selected.push_back(&d);
  }

  if (format == "json") {
    nlohmann::ordered_json devices = nlohmann::ordered_json::array();
    for (const device_spec* d : selected) devices.push_back(device_json(db, *d, dtypes));
    fmt::print("{}\n", nlohmann::ordered_json{{"specs_dir", db.directory()}, {"devices", devices}}.dump(2));
    return 0;
  }
  // One device: every figure with its status, sources and notes.
  if (selected.size() == 1) {
    print_device(db, *selected.front(), dtypes);
    return 0;
  }
  // Several: a table, the chosen precisions or the common ones.
  print_table(selected, dtypes.empty()
                            ? std::vector<spec_dtype>{spec_dtype::f64, spec_dtype::f32, spec_dtype::tf32,
                                                      spec_dtype::bf16, spec_dtype::f16, spec_dtype::f8, spec_dtype::s8}
                            : dtypes);
  fmt::print("database: {}\n", db.directory());
  return 0;
}

}  // namespace

command add_specs_command(CLI::App& parent) {
  auto args = std::make_shared<specs_arguments>();
  CLI::App* cmd =
      parent.add_subcommand("specs", "Vendor peak figures per device and dtype (dense and sparse), with sources");
  cmd->set_version_flag("--version", version_text());
  cmd->add_option("--device,-d", args->device,
                  "Device ids, aliases or families, comma-separated, e.g. H100 (-> H100-SXM5), H20, Ascend-910B, "
                  "'NVIDIA H100 80GB HBM3'");
  cmd->add_option("--dtype,-t", args->dtype,
                  "Precisions, comma-separated: f64, f64-tensor, f32, tf32, bf16, f16, f8, s8 (also fp16, int8, ...)");
  cmd->add_option("--format", args->format, "text or json (json carries every source)")->capture_default_str();
  cmd->add_flag("--json", args->json, "The same as --format json");
  CLI::App* compare = cmd->add_subcommand(
      "compare", "Two devices side by side: what each quoted headline figure is, and like-for-like ratios");
  compare->add_option("devices", args->compare_ids, "Two device ids, aliases or families, e.g. H100 H20")
      ->expected(2)
      ->required();
  compare->add_option("--dtype,-t", args->dtype, "Only these precisions, comma-separated");
  compare->footer("Example: accelbench specs compare H100 H20");
  cmd->add_option("--specs-dir", args->specs_dir,
                  "Spec database directory (default: $ACCELBENCH_SPECS_DIR, the install tree's share/accelbench/specs, "
                  "or the source tree's reports/views/data/specs)");
  cmd->footer(
      "Status: datasheet, leaked, press, derived, conflicting, uncertain, unverified (docs/reports.md).\n\n"
      "Examples:\n"
      "  accelbench specs                         every device, dense peaks per precision\n"
      "  accelbench specs -d H100                 one device: every figure, status and source\n"
      "  accelbench specs -d H100,H20,Ascend-910B -t bf16,fp8   a table\n"
      "  accelbench specs compare H100 H20        is an H100 really 6.68x an H20?");
  return {cmd, [args] { return specs_command(*args); }};
}

}  // namespace accelbench
