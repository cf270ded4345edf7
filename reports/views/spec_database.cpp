#include "reports/views/spec_database.hpp"

#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "kernels/spec/errors.hpp"

namespace accelbench {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

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

// Cursor over one JSON value that knows the file, the entry and the field path, so every
// error reads "FILE: device 'H20': field 'rates.f8.dense': expected a number or null".
class field {
 public:
  field(const json& value, std::string origin, std::string entry, std::string path)
      : m_value(value), m_origin(std::move(origin)), m_entry(std::move(entry)), m_path(std::move(path)) {}

  [[noreturn]] void fail(const std::string& what) const {
    std::string where = m_origin;
    if (!m_entry.empty()) where += ": " + m_entry;
    if (!m_path.empty()) where += ": field '" + m_path + "'";
    throw input_error(fmt::format("{}: {}", where, what));
  }
  const json& value() const { return m_value; }
  bool has(const std::string& key) const { return m_value.is_object() && m_value.contains(key); }
  field child(const std::string& key) const {
    if (!m_value.is_object()) fail("expected an object");
    const std::string path = m_path.empty() ? key : m_path + "." + key;
    const auto it = m_value.find(key);
    if (it == m_value.end()) field(m_value, m_origin, m_entry, path).fail("missing");
    return field(*it, m_origin, m_entry, path);
  }
  field element(std::size_t i) const {
    return field(m_value.at(i), m_origin, m_entry, fmt::format("{}[{}]", m_path, i));
  }
  field with_entry(std::string entry) const { return field(m_value, m_origin, std::move(entry), ""); }

  // Rejects keys outside `allowed`: a misspelt "sparce" must not silently read as null.
  void only_keys(std::initializer_list<std::string_view> allowed) const {
    if (!m_value.is_object()) fail("expected an object");
    for (const auto& item : m_value.items()) {
      if (std::find(allowed.begin(), allowed.end(), item.key()) == allowed.end()) {
        std::string accepted;
        for (std::string_view a : allowed) accepted += (accepted.empty() ? "" : ", ") + std::string(a);
        const std::string path = m_path.empty() ? item.key() : m_path + "." + item.key();
        field(item.value(), m_origin, m_entry, path).fail(fmt::format("unknown key; accepted: {}", accepted));
      }
    }
  }
  std::string string() const {
    if (!m_value.is_string()) fail("expected a string");
    return m_value.get<std::string>();
  }
  std::string string_or_empty() const { return m_value.is_null() ? std::string() : string(); }
  std::string nonempty_string() const {
    std::string s = string();
    if (s.empty()) fail("expected a non-empty string");
    return s;
  }
  std::optional<double> positive_or_null() const {
    if (m_value.is_null()) return std::nullopt;
    if (!m_value.is_number()) fail("expected a number or null");
    const double v = m_value.get<double>();
    if (!(v > 0)) fail("expected a positive number or null");
    return v;
  }
  double positive() const {
    if (!m_value.is_number()) fail("expected a positive number");
    const double v = m_value.get<double>();
    if (!(v > 0)) fail("expected a positive number");
    return v;
  }
  std::vector<std::string> strings() const {
    if (!m_value.is_array()) fail("expected an array of strings");
    std::vector<std::string> out;
    for (std::size_t i = 0; i < m_value.size(); ++i) out.push_back(element(i).nonempty_string());
    return out;
  }
  std::size_t array_size() const {
    if (!m_value.is_array()) fail("expected an array");
    return m_value.size();
  }

 private:
  const json& m_value;
  std::string m_origin, m_entry, m_path;
};

std::string accepted_statuses() {
  std::string text;
  for (const auto& [value, name] : status_names) text += (text.empty() ? "" : ", ") + std::string(name);
  return text;
}

spec_status read_status(const field& f) {
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

spec_rate read_rate(const field& f) {
  f.only_keys({"dense", "sparse", "unit", "sources", "status", "notes"});
  spec_rate r;
  r.dense = f.child("dense").positive_or_null();
  r.sparse = f.child("sparse").positive_or_null();
  r.unit = f.child("unit").string();
  if (r.unit != "TFLOPS" && r.unit != "TOPS") f.child("unit").fail("expected TFLOPS or TOPS");
  r.sources = f.child("sources").strings();
  if (r.sources.empty()) f.child("sources").fail("every figure needs at least one source");
  r.status = read_status(f.child("status"));
  if (f.has("notes")) r.notes = f.child("notes").string();
  if (!r.dense && r.sparse)
    f.child("sparse").fail("a sparse figure without a dense one; quote dense or explain in notes");
  if (!r.dense && r.notes.empty()) f.child("dense").fail("null (not quoted) needs a 'notes' saying why");
  if (r.dense && r.sparse && *r.sparse < *r.dense)
    f.child("sparse").fail("sparse below dense: are the fields swapped?");
  return r;
}

device_spec read_device(const field& f, const std::string& vendor, const std::string& origin) {
  f.only_keys({"id", "name", "aliases", "status", "rates", "memory", "interconnect", "tdp_w", "sources", "notes"});
  device_spec d;
  d.origin = origin;
  d.vendor = vendor;
  d.id = f.child("id").nonempty_string();
  const field entry = f.with_entry(fmt::format("device '{}'", d.id));
  d.name = entry.child("name").nonempty_string();
  d.aliases = entry.child("aliases").strings();
  d.status = read_status(entry.child("status"));
  const field rates = entry.child("rates");
  if (!rates.value().is_object()) rates.fail("expected an object of dtype -> figure");
  for (const auto& item : rates.value().items()) {
    const field rate = rates.child(item.key());
    const auto dt = spec_dtype_from_string(item.key());
    if (!dt) rate.fail(fmt::format("unknown dtype; accepted: {}", spec_dtype_accepted_form()));
    d.rates[*dt] = read_rate(rate);
  }
  const field memory = entry.child("memory");
  memory.only_keys({"size_gb", "type", "bandwidth_gbps", "notes"});
  d.memory_gb = memory.child("size_gb").positive_or_null();
  d.memory_type = memory.child("type").string_or_empty();
  d.memory_bandwidth_gbps = memory.child("bandwidth_gbps").positive_or_null();
  if (memory.has("notes")) d.memory_notes = memory.child("notes").string();
  d.interconnect = entry.child("interconnect").string_or_empty();
  d.tdp_w = entry.child("tdp_w").positive_or_null();
  d.sources = entry.child("sources").strings();
  if (d.sources.empty()) entry.child("sources").fail("a device needs at least one source");
  d.notes = entry.child("notes").strings();
  return d;
}

json parse_file(const fs::path& path) {
  std::ifstream in(path);
  if (!in) throw input_error(fmt::format("{}: cannot read the file", path.string()));
  std::stringstream text;
  text << in.rdbuf();
  try {
    return json::parse(text.str());
  } catch (const json::parse_error& e) {
    throw input_error(fmt::format("{}: not valid JSON (byte {})", path.string(), e.byte));
  } catch (const json::exception& e) {  // e.g. a number too large for a double
    throw input_error(fmt::format("{}: unreadable JSON: {}", path.string(), e.what()));
  }
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
    const json document = parse_file(path);
    const field root(document, origin, "", "");
    if (!document.is_object()) root.fail("expected a JSON object with a 'kind'");
    const std::string kind = root.child("kind").string();
    if (kind == "sources") {
      root.only_keys({"kind", "notes", "sources"});
      const field sources = root.child("sources");
      if (!sources.value().is_object()) sources.fail("expected an object of id -> {title, url}");
      for (const auto& item : sources.value().items()) {
        const field s = sources.child(item.key()).with_entry(fmt::format("source '{}'", item.key()));
        s.only_keys({"title", "url"});
        spec_source source{item.key(), s.child("title").nonempty_string(), std::nullopt};
        if (!s.child("url").value().is_null()) source.url = s.child("url").nonempty_string();
        if (db.m_sources.count(source.id) != 0) s.fail("defined twice");
        db.m_sources[source.id] = source;
      }
    } else if (kind == "vendor") {
      root.only_keys({"kind", "vendor", "notes", "devices"});
      const std::string vendor = root.child("vendor").nonempty_string();
      const field devices = root.child("devices");
      for (std::size_t i = 0; i < devices.array_size(); ++i) {
        device_spec d = read_device(devices.element(i), vendor, origin);
        const std::string entry = fmt::format("device '{}'", d.id);
        std::vector<std::string> names = d.aliases;
        names.push_back(d.id);
        for (const std::string& name : names) {
          const auto [it, added] = seen_names.emplace(normalized(name), d.id);
          if (!added && it->second != d.id) {
            field(document, origin, entry, "aliases")
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
      const field claims = root.child("claims");
      for (std::size_t i = 0; i < claims.array_size(); ++i) {
        const field c = claims.element(i);
        c.only_keys({"device", "quoted", "unit", "context"});
        db.m_claims.push_back({c.child("device").nonempty_string(), c.child("quoted").positive(),
                               c.child("unit").nonempty_string(), c.child("context").string()});
      }
      const field comparisons = root.child("comparisons");
      for (std::size_t i = 0; i < comparisons.array_size(); ++i) {
        const field c = comparisons.element(i);
        c.only_keys({"a", "a_quoted", "b", "b_quoted", "context"});
        db.m_comparisons.push_back({c.child("a").nonempty_string(), c.child("b").nonempty_string(),
                                    c.child("a_quoted").positive(), c.child("b_quoted").positive(),
                                    c.child("context").string()});
      }
    } else {
      root.child("kind").fail("expected sources, vendor or press");
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
