// accelbench specs: query the spec database (reports/views/data/specs/*.json). Every figure is
// printed with dense and sparse apart, its unit, status and sources, so a quoted "1979" can be
// traced to what it really is.
#include <memory>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "bench/cli/commands.hpp"
#include "kernels/spec/errors.hpp"
#include "reports/model/json_output.hpp"
#include "reports/views/spec_database.hpp"

namespace accelbench {
namespace {

struct specs_arguments {
  std::string device, dtype, specs_dir;
  bool json = false;
};

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

nlohmann::ordered_json device_json(const spec_database& db, const device_spec& d, std::optional<spec_dtype> only) {
  nlohmann::ordered_json rates = nlohmann::ordered_json::object();
  for (const auto& [dt, r] : d.rates) {
    if (!only || *only == dt) rates[std::string(to_string(dt))] = rate_json(db, r);
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

void print_device(const spec_database& db, const device_spec& d, std::optional<spec_dtype> only) {
  fmt::print("{} ({}, {}) [{}]\n", d.id, d.name, d.vendor, to_string(d.status));
  if (only) {
    if (const spec_rate* r = d.rate(*only)) {
      print_rate(db, *only, *r);
    } else {
      fmt::print("  {:<10} not quoted by any source in the database\n", to_string(*only));
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
  std::optional<spec_dtype> only;
  if (!args.dtype.empty()) {
    // Result spellings (f8e4m3, f8e5m2) are accepted too.
    only = spec_dtype_from_string(args.dtype);
    if (!only) only = spec_dtype_for_result(args.dtype);
    if (!only) {
      throw input_error(fmt::format("--dtype '{}': accepted: {}", args.dtype, spec_dtype_accepted_form()));
    }
  }
  const spec_database db = spec_database::load(find_specs_directory(args.specs_dir));
  std::vector<const device_spec*> selected;
  if (!args.device.empty()) {
    selected.push_back(&db.require(args.device, "--device"));
  } else {
    for (const device_spec& d : db.devices()) selected.push_back(&d);
  }

  if (args.json) {
    nlohmann::ordered_json devices = nlohmann::ordered_json::array();
    for (const device_spec* d : selected) devices.push_back(device_json(db, *d, only));
    fmt::print("{}\n", nlohmann::ordered_json{{"specs_dir", db.directory()}, {"devices", devices}}.dump(2));
    return 0;
  }
  if (!args.device.empty() || only) {
    for (const device_spec* d : selected) {
      print_device(db, *d, only);
      if (d != selected.back()) fmt::print("\n");
    }
    return 0;
  }
  // Overview: one line per device; dense figures only (sparse is in the per-device view).
  fmt::print("{:<15} {:<14} {:<12} {:>8} {:>8} {:>8} {:>8} {:>8} {:>9}\n", "device", "vendor", "status", "f64", "f32",
             "bf16", "f16", "f8", "mem GB/s");
  auto cell = [](const device_spec& d, spec_dtype dt) {
    const auto v = d.dense(dt);
    return v ? format_spec_value(*v) : std::string("-");
  };
  for (const device_spec* d : selected) {
    fmt::print("{:<15} {:<14} {:<12} {:>8} {:>8} {:>8} {:>8} {:>8} {:>9}\n", d->id, d->vendor, to_string(d->status),
               cell(*d, spec_dtype::f64), cell(*d, spec_dtype::f32), cell(*d, spec_dtype::bf16),
               cell(*d, spec_dtype::f16), cell(*d, spec_dtype::f8),
               d->memory_bandwidth_gbps ? format_spec_value(*d->memory_bandwidth_gbps) : std::string("?"));
  }
  fmt::print(
      "\nDense peaks, TFLOPS (TOPS for s8). 'accelbench specs --device D' shows sparse figures, sources and notes.\n"
      "database: {}\n",
      db.directory());
  return 0;
}

}  // namespace

command add_specs_command(CLI::App& parent) {
  auto args = std::make_shared<specs_arguments>();
  CLI::App* cmd =
      parent.add_subcommand("specs", "Vendor peak figures per device and dtype (dense and sparse), with sources");
  cmd->set_version_flag("--version", version_text());
  cmd->add_option("--device,-d", args->device,
                  "Device id or alias, e.g. H100-SXM5, H20, Ascend-910B, 'NVIDIA H100 80GB HBM3'");
  cmd->add_option("--dtype,-t", args->dtype, "f64, f64-tensor, f32, tf32, bf16, f16, f8, s8");
  cmd->add_flag("--json", args->json, "Print JSON (with sources) instead of text");
  cmd->add_option("--specs-dir", args->specs_dir,
                  "Spec database directory (default: $ACCELBENCH_SPECS_DIR, the install tree's share/accelbench/specs, "
                  "or the source tree's reports/views/data/specs)");
  cmd->footer("Status: datasheet, leaked, press, derived, conflicting, uncertain, unverified (docs/reports.md).");
  return {cmd, [args] { return specs_command(*args); }};
}

}  // namespace accelbench
