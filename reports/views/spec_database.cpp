#include "reports/views/spec_database.hpp"

#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdlib>
#include <filesystem>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "kernels/spec/errors.hpp"
#include "kernels/spec/suggest.hpp"
#include "reports/model/json_input.hpp"

namespace accelbench {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

constexpr std::array<std::pair<spec_status, std::string_view>, 7> status_names{
    {{spec_status::datasheet, "datasheet"},
     {spec_status::leaked, "leaked"},
     {spec_status::press, "press"},
     {spec_status::derived, "derived"},
     {spec_status::conflicting, "conflicting"},
     {spec_status::uncertain, "uncertain"},
     {spec_status::unverified, "unverified"}}};

constexpr std::array<std::pair<spec_dtype, std::string_view>, 8> dtype_names{{{spec_dtype::f64, "f64"},
                                                                              {spec_dtype::f64_tensor, "f64-tensor"},
                                                                              {spec_dtype::f32, "f32"},
                                                                              {spec_dtype::tf32, "tf32"},
                                                                              {spec_dtype::bf16, "bf16"},
                                                                              {spec_dtype::f16, "f16"},
                                                                              {spec_dtype::f8, "f8"},
                                                                              {spec_dtype::s8, "s8"}}};

std::string accepted_statuses() {
  std::string text;
  for (const auto& [value, name] : status_names) text += (text.empty() ? "" : ", ") + std::string(name);
  return text;
}

spec_status read_status(const json_cursor& f) {
  const auto s = spec_status_from_string(f.string());
  if (!s) f.fail(fmt::format("'{}' is not a status; accepted: {}", f.string(), accepted_statuses()));
  return *s;
}

std::string normalized(std::string_view name) {
  std::string out;
  for (char c : name) {
    if (c == ' ' || c == '-' || c == '_') continue;
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

spec_rate read_rate(const json_cursor& f) {
  f.only_keys({"dense", "sparse", "unit", "sources", "status", "notes"});
  spec_rate r;
  r.dense = f.at("dense").positive_or_null();
  r.sparse = f.at("sparse").positive_or_null();
  r.unit = f.at("unit").string();
  if (r.unit != "TFLOPS" && r.unit != "TOPS") f.at("unit").fail("expected TFLOPS or TOPS");
  r.sources = f.at("sources").strings();
  if (r.sources.empty()) f.at("sources").fail("every figure needs at least one source");
  r.status = read_status(f.at("status"));
  if (f.has("notes")) r.notes = f.at("notes").string();
  if (!r.dense && r.sparse) f.at("sparse").fail("a sparse figure without a dense one; quote dense or explain in notes");
  if (!r.dense && r.notes.empty()) f.at("dense").fail("null (not quoted) needs a 'notes' saying why");
  if (r.dense && r.sparse && *r.sparse < *r.dense) f.at("sparse").fail("sparse below dense: are the fields swapped?");
  return r;
}

device_spec read_device(const json_cursor& f, const std::string& vendor, const std::string& origin) {
  f.only_keys({"id", "name", "aliases", "status", "rates", "memory", "interconnect", "tdp_w", "sources", "notes"});
  device_spec d;
  d.origin = origin;
  d.vendor = vendor;
  d.id = f.at("id").nonempty_string();
  const json_cursor entry = f.entry(fmt::format("device '{}'", d.id));
  d.name = entry.at("name").nonempty_string();
  d.aliases = entry.at("aliases").strings();
  d.status = read_status(entry.at("status"));
  const json_cursor rates = entry.at("rates");
  if (!rates.value().is_object()) rates.fail("expected an object of dtype -> figure");
  for (const auto& item : rates.value().items()) {
    const json_cursor rate = rates.at(item.key());
    const auto dt = spec_dtype_from_string(item.key());
    if (!dt) rate.fail(fmt::format("unknown dtype; accepted: {}", spec_dtype_accepted_form()));
    d.rates[*dt] = read_rate(rate);
  }
  const json_cursor memory = entry.at("memory");
  memory.only_keys({"size_gb", "type", "bandwidth_gbps", "notes"});
  d.memory_gb = memory.at("size_gb").positive_or_null();
  d.memory_type = memory.at("type").string_or_empty();
  d.memory_bandwidth_gbps = memory.at("bandwidth_gbps").positive_or_null();
  if (memory.has("notes")) d.memory_notes = memory.at("notes").string();
  d.interconnect = entry.at("interconnect").string_or_empty();
  d.tdp_w = entry.at("tdp_w").positive_or_null();
  d.sources = entry.at("sources").strings();
  if (d.sources.empty()) entry.at("sources").fail("a device needs at least one source");
  d.notes = entry.at("notes").strings();
  return d;
}

std::string executable_dir() {
  std::array<char, 4096> buffer{};
  const ssize_t n = readlink("/proc/self/exe", buffer.data(), buffer.size() - 1);
  if (n <= 0) return {};
  return fs::path(std::string(buffer.data(), static_cast<std::size_t>(n))).parent_path().string();
}

}  // namespace

std::string_view to_string(spec_status s) {
  for (const auto& [value, name] : status_names) {
    if (value == s) return name;
  }
  return "uncertain";
}

std::optional<spec_status> spec_status_from_string(std::string_view text) {
  for (const auto& [value, name] : status_names) {
    if (name == text) return value;
  }
  return std::nullopt;
}

std::string_view to_string(spec_dtype d) {
  for (const auto& [value, name] : dtype_names) {
    if (value == d) return name;
  }
  return "f32";
}

std::optional<spec_dtype> spec_dtype_from_string(std::string_view text) {
  for (const auto& [value, name] : dtype_names) {
    if (name == text) return value;
  }
  return std::nullopt;
}

std::string_view spec_dtype_accepted_form() { return "f64, f64-tensor, f32, tf32, bf16, f16, f8, s8"; }

std::optional<spec_dtype> spec_dtype_for_result(std::string_view result_dtype) {
  if (result_dtype == "f8e4m3" || result_dtype == "f8e5m2") return spec_dtype::f8;
  if (result_dtype == "f64-tensor") return std::nullopt;  // not a result dtype
  return spec_dtype_from_string(result_dtype);
}

const spec_rate* device_spec::rate(spec_dtype d) const {
  const auto it = rates.find(d);
  return it == rates.end() ? nullptr : &it->second;
}

std::optional<double> device_spec::dense(spec_dtype d) const {
  const spec_rate* r = rate(d);
  return r != nullptr ? r->dense : std::nullopt;
}

spec_database spec_database::load(const std::string& directory) {
  spec_database db;
  db.m_directory = directory;
  std::error_code error;
  if (!fs::is_directory(directory, error)) {
    throw input_error(
        fmt::format("spec database '{}': not a directory (set --specs-dir or ACCELBENCH_SPECS_DIR)", directory));
  }
  std::vector<fs::path> files;
  for (const auto& item : fs::directory_iterator(directory)) {
    if (item.path().extension() == ".json") files.push_back(item.path());
  }
  std::sort(files.begin(), files.end());
  if (files.empty()) throw input_error(fmt::format("spec database '{}': no *.json files", directory));

  // Source references are checked once every file is read (sources live in their own file).
  struct reference {
    std::string origin, entry, path, id;
  };
  std::vector<reference> references;
  std::map<std::string, std::string> seen_names;  // normalized id or alias -> device id
  for (const fs::path& path : files) {
    const std::string origin = path.string();
    const json document = read_json_file(origin, "a spec database file (docs/reports.md) is expected");
    const json_cursor root(document, origin);
    if (!document.is_object()) root.fail("expected a JSON object with a 'kind'");
    const std::string kind = root.at("kind").string();
    if (kind == "sources") {
      root.only_keys({"kind", "notes", "sources"});
      const json_cursor sources = root.at("sources");
      if (!sources.value().is_object()) sources.fail("expected an object of id -> {title, url}");
      for (const auto& item : sources.value().items()) {
        const json_cursor s = sources.at(item.key()).entry(fmt::format("source '{}'", item.key()));
        s.only_keys({"title", "url"});
        spec_source source{item.key(), s.at("title").nonempty_string(), std::nullopt};
        if (!s.at("url").is_null()) source.url = s.at("url").nonempty_string();
        if (db.m_sources.count(source.id) != 0) s.fail("defined twice");
        db.m_sources[source.id] = source;
      }
    } else if (kind == "vendor") {
      root.only_keys({"kind", "vendor", "notes", "devices"});
      const std::string vendor = root.at("vendor").nonempty_string();
      const json_cursor devices = root.at("devices");
      for (std::size_t i = 0; i < devices.array_size(); ++i) {
        device_spec d = read_device(devices.index(i), vendor, origin);
        const std::string entry = fmt::format("device '{}'", d.id);
        std::vector<std::string> names = d.aliases;
        names.push_back(d.id);
        for (const std::string& name : names) {
          const auto [it, added] = seen_names.emplace(normalized(name), d.id);
          if (!added && it->second != d.id) {
            json_cursor(document, fmt::format("{}: {}", origin, entry), "aliases")
                .fail(fmt::format("name '{}' is already used by device '{}'", name, it->second));
          }
        }
        for (const std::string& id : d.sources) references.push_back({origin, entry, "sources", id});
        for (const auto& [dt, rate] : d.rates) {
          for (const std::string& id : rate.sources) {
            references.push_back({origin, entry, fmt::format("rates.{}.sources", to_string(dt)), id});
          }
        }
        db.m_devices.push_back(std::move(d));
      }
    } else if (kind == "press") {
      root.only_keys({"kind", "notes", "claims", "comparisons"});
      const json_cursor claims = root.at("claims");
      for (std::size_t i = 0; i < claims.array_size(); ++i) {
        const json_cursor c = claims.index(i);
        c.only_keys({"device", "quoted", "unit", "context"});
        db.m_claims.push_back({c.at("device").nonempty_string(), c.at("quoted").positive(),
                               c.at("unit").nonempty_string(), c.at("context").string()});
      }
      const json_cursor comparisons = root.at("comparisons");
      for (std::size_t i = 0; i < comparisons.array_size(); ++i) {
        const json_cursor c = comparisons.index(i);
        c.only_keys({"a", "a_quoted", "b", "b_quoted", "context"});
        db.m_comparisons.push_back({c.at("a").nonempty_string(), c.at("b").nonempty_string(),
                                    c.at("a_quoted").positive(), c.at("b_quoted").positive(),
                                    c.at("context").string()});
      }
    } else {
      root.at("kind").fail("expected sources, vendor or press");
    }
  }
  for (const reference& r : references) {
    if (db.m_sources.count(r.id) == 0) {
      throw input_error(fmt::format("{}: {}: field '{}': source '{}' is not defined in any sources file", r.origin,
                                    r.entry, r.path, r.id));
    }
  }
  for (const press_claim& c : db.m_claims) db.require(c.device, "press claim device");
  for (const press_comparison& c : db.m_comparisons) {
    db.require(c.a, "press comparison device");
    db.require(c.b, "press comparison device");
  }
  return db;
}

const device_spec* spec_database::find(std::string_view name) const {
  const std::string key = normalized(name);
  if (key.empty()) return nullptr;
  for (const device_spec& d : m_devices) {
    if (normalized(d.id) == key) return &d;
    for (const std::string& alias : d.aliases) {
      if (normalized(alias) == key) return &d;
    }
  }
  return nullptr;
}

const device_spec& spec_database::require(std::string_view name, std::string_view what) const {
  if (const device_spec* d = find(name)) return *d;
  std::string known;
  for (const device_spec& d : m_devices) known += (known.empty() ? "" : ", ") + d.id;
  throw input_error(fmt::format("{} '{}': not in the spec database ({}); known: {}", what, name, m_directory, known));
}

spec_database::lookup spec_database::resolve(std::string_view name, std::string_view what) const {
  if (const device_spec* exact = find(name)) return {exact, ""};
  // A family: the typed name is the start of an id or alias, up to a boundary that is not a
  // digit (H20 must not reach H200, A10 not A100).
  const std::string key = normalized(name);
  std::vector<const device_spec*> family;
  for (const device_spec& d : m_devices) {
    std::vector<std::string> names = d.aliases;
    names.push_back(d.id);
    for (const std::string& n : names) {
      const std::string candidate = normalized(n);
      if (key.empty() || candidate.size() <= key.size() || candidate.compare(0, key.size(), key) != 0) continue;
      if (std::isdigit(static_cast<unsigned char>(candidate[key.size()])) &&
          std::isdigit(static_cast<unsigned char>(key.back()))) {
        continue;
      }
      family.push_back(&d);
      break;
    }
  }
  if (!family.empty()) {
    std::string others;
    for (std::size_t i = 1; i < family.size(); ++i) others += (others.empty() ? "" : ", ") + family[i]->id;
    return {family.front(),
            others.empty() ? fmt::format("{} -> {}", name, family.front()->id)
                           : fmt::format("{} -> {} (also {}: name it to choose)", name, family.front()->id, others)};
  }
  std::vector<std::string> ids;
  for (const device_spec& d : m_devices) ids.push_back(d.id);
  throw input_error(fmt::format("{} '{}': not in the spec database{}; known: {}", what, name, did_you_mean(name, ids),
                                fmt::join(ids, ", ")));
}

const spec_source* spec_database::source(std::string_view id) const {
  const auto it = m_sources.find(std::string(id));
  return it == m_sources.end() ? nullptr : &it->second;
}

std::string find_specs_directory(const std::string& override_dir) {
  if (!override_dir.empty()) return override_dir;
  if (const char* env = std::getenv("ACCELBENCH_SPECS_DIR"); env != nullptr && *env != '\0') return env;
  std::vector<std::string> tried;
  const std::string exe_dir = executable_dir();
  if (!exe_dir.empty()) {
    const fs::path installed = fs::path(exe_dir) / ".." / "share" / "accelbench" / "specs";
    std::error_code error;
    if (fs::is_directory(installed, error)) return fs::weakly_canonical(installed, error).string();
    tried.push_back(installed.lexically_normal().string());
  }
#ifdef ACCELBENCH_SOURCE_SPECS_DIR
  if (std::error_code error; fs::is_directory(ACCELBENCH_SOURCE_SPECS_DIR, error)) return ACCELBENCH_SOURCE_SPECS_DIR;
  tried.push_back(ACCELBENCH_SOURCE_SPECS_DIR);
#endif
  std::string list;
  for (const std::string& t : tried) list += (list.empty() ? "" : ", ") + t;
  throw input_error(
      fmt::format("spec database not found (tried {}); pass --specs-dir DIR or set ACCELBENCH_SPECS_DIR", list));
}

std::string format_spec_value(double value) { return fmt::format("{}", value); }

}  // namespace accelbench
