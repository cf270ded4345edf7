#include "backends/loader/plugin_loader.hpp"

#include <dlfcn.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <mutex>
#include <sstream>
#include <system_error>

#include <fmt/format.h>

#include "kernels/spec/errors.hpp"

#ifndef ACCELBENCH_PLUGIN_INSTALL_RELDIR
#define ACCELBENCH_PLUGIN_INSTALL_RELDIR "../lib/accelbench/backends"
#endif

namespace accelbench {
namespace fs = std::filesystem;

namespace {

constexpr const char* file_prefix = "libaccelbench-backend-";
constexpr const char* file_suffix = ".so";
// A table must cover every slot this harness calls; appended optional slots would lower this
// to the offset of the first of them (accelbench_backend.h, compatibility rule).
constexpr std::size_t min_table_size = sizeof(ab_backend);

std::vector<std::string>& option_dirs() {
  static std::vector<std::string> dirs;
  return dirs;
}

fs::path executable_dir() {
  std::error_code error;
  const fs::path exe = fs::read_symlink("/proc/self/exe", error);
  return error ? fs::path{} : exe.parent_path();
}

bool valid_name_char(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; }
bool valid_variant_char(char c) { return valid_name_char(c) || (c >= 'A' && c <= 'Z') || c == '-' || c == '.'; }

std::string dl_error() {
  const char* text = dlerror();
  return text != nullptr ? text : "unknown dynamic loader error";
}

// Opens and checks one file; fills table/score or the reason.
void open_candidate(plugin_candidate& c) {
  // RTLD_NOW: a missing dependency or symbol fails here, with a message, not at first call.
  // RTLD_LOCAL: two plugins may carry the same internal symbols without clashing.
  void* handle = dlopen(c.file.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    c.reason = fmt::format("cannot load: {}", dl_error());
    return;
  }
  dlerror();
  auto entry = reinterpret_cast<accelbench_backend_entry_fn>(dlsym(handle, ACCELBENCH_BACKEND_ENTRY_SYMBOL));
  if (entry == nullptr) {
    c.reason = fmt::format(
        "missing symbol {}: not an accelbench backend, or the symbol is not exported "
        "(declare it extern \"C\" ACCELBENCH_BACKEND_EXPORT)",
        ACCELBENCH_BACKEND_ENTRY_SYMBOL);
    return;
  }
  const ab_backend* table = nullptr;
  try {
    table = entry();
  } catch (...) {
    c.reason = fmt::format("{} threw a C++ exception across the C ABI", ACCELBENCH_BACKEND_ENTRY_SYMBOL);
    return;
  }
  if (std::string problem = check_backend_table(table); !problem.empty()) {
    c.reason = problem;
    return;
  }
  if (c.name != table->name) {
    c.reason = fmt::format("the file name says backend '{}' but its table is named '{}'", c.name, table->name);
    return;
  }
  if (auto score = reinterpret_cast<accelbench_backend_score_fn>(dlsym(handle, ACCELBENCH_BACKEND_SCORE_SYMBOL))) {
    try {
      c.score = score();
    } catch (...) {
      c.reason = fmt::format("{} threw a C++ exception across the C ABI", ACCELBENCH_BACKEND_SCORE_SYMBOL);
      return;
    }
    if (c.score <= 0) {
      c.reason = fmt::format("cannot run on this host ({} returned {})", ACCELBENCH_BACKEND_SCORE_SYMBOL, c.score);
      return;
    }
  }
  c.table = table;
}

}  // namespace

std::string to_string(plugin_dir_origin origin) {
  switch (origin) {
    case plugin_dir_origin::option:
      return "--backend-dir";
    case plugin_dir_origin::environment:
      return "ACCELBENCH_BACKEND_PATH";
    case plugin_dir_origin::install:
      return "install";
    case plugin_dir_origin::executable:
      return "exe-dir";
    case plugin_dir_origin::invalid:
      break;
  }
  return "invalid";
}

plugin_dir_origin plugin_dir_origin_from_string(const std::string& text) {
  for (auto o : {plugin_dir_origin::option, plugin_dir_origin::environment, plugin_dir_origin::install,
                 plugin_dir_origin::executable}) {
    if (to_string(o) == text) return o;
  }
  return plugin_dir_origin::invalid;
}

void set_backend_dirs(const std::vector<std::string>& dirs) {
  for (const std::string& dir : dirs) {
    std::error_code error;
    if (!fs::is_directory(dir, error)) {
      throw input_error(
          fmt::format("--backend-dir '{}': not a directory; name a folder holding "
                      "libaccelbench-backend-<name>[-variant].so files",
                      dir));
    }
  }
  option_dirs() = dirs;
}

std::vector<plugin_dir> plugin_search_dirs() {
  std::vector<plugin_dir> dirs;
  auto add = [&dirs](const fs::path& path, plugin_dir_origin origin) {
    if (path.empty()) return;
    std::error_code error;
    const fs::path normal = fs::weakly_canonical(fs::absolute(path, error), error);
    const fs::path key = error ? path.lexically_normal() : normal;
    for (const plugin_dir& d : dirs) {
      if (d.path == key) return;  // the same folder reached twice is searched once
    }
    dirs.push_back({key, origin, fs::is_directory(key, error)});
  };
  for (const std::string& dir : option_dirs()) add(dir, plugin_dir_origin::option);
  if (const char* env = std::getenv("ACCELBENCH_BACKEND_PATH")) {
    std::stringstream parts(env);
    std::string part;
    while (std::getline(parts, part, ':')) add(part, plugin_dir_origin::environment);
  }
  const fs::path exe_dir = executable_dir();
  if (!exe_dir.empty()) {
    add(exe_dir / ACCELBENCH_PLUGIN_INSTALL_RELDIR, plugin_dir_origin::install);
    add(exe_dir / "backends", plugin_dir_origin::executable);
  }
  return dirs;
}

std::optional<plugin_file_name> parse_plugin_file_name(const std::string& file_name) {
  const std::string prefix = file_prefix, suffix = file_suffix;
  if (file_name.size() <= prefix.size() + suffix.size() || file_name.rfind(prefix, 0) != 0 ||
      file_name.compare(file_name.size() - suffix.size(), suffix.size(), suffix) != 0) {
    return std::nullopt;
  }
  const std::string stem = file_name.substr(prefix.size(), file_name.size() - prefix.size() - suffix.size());
  const std::size_t dash = stem.find('-');
  plugin_file_name parsed{stem.substr(0, dash), dash == std::string::npos ? "" : stem.substr(dash + 1)};
  if (parsed.name.empty() || !std::all_of(parsed.name.begin(), parsed.name.end(), valid_name_char)) return std::nullopt;
  if (dash != std::string::npos &&
      (parsed.variant.empty() || !std::all_of(parsed.variant.begin(), parsed.variant.end(), valid_variant_char))) {
    return std::nullopt;
  }
  return parsed;
}

std::string check_backend_table(const ab_backend* table) {
  if (table == nullptr) return fmt::format("{} returned NULL", ACCELBENCH_BACKEND_ENTRY_SYMBOL);
  if (table->abi_version != AB_ABI_VERSION) {
    return fmt::format("ABI mismatch: built for backend ABI {}, this accelbench speaks ABI {}", table->abi_version,
                       AB_ABI_VERSION);
  }
  if (table->struct_size < min_table_size) {
    return fmt::format("ABI mismatch: its ab_backend table is {} bytes, this accelbench needs at least {}",
                       table->struct_size, min_table_size);
  }
  if (table->name == nullptr || table->name[0] == '\0') return "its table has no name";
  const std::pair<const char*, bool> required[] = {
      {"init", table->init != nullptr},
      {"library_version", table->library_version != nullptr},
      {"device_count", table->device_count != nullptr},
      {"device_info", table->device_info != nullptr},
      {"supports", table->supports != nullptr},
      {"prepare", table->prepare != nullptr},
      {"run", table->run != nullptr},
      {"timer_slot_count", table->timer_slot_count != nullptr},
      {"record_start", table->record_start != nullptr},
      {"record_stop", table->record_stop != nullptr},
      {"synchronize", table->synchronize != nullptr},
      {"elapsed_seconds", table->elapsed_seconds != nullptr},
      {"read_output", table->read_output != nullptr},
      {"last_error", table->last_error != nullptr},
      {"plan_description", table->plan_description != nullptr},
      {"release", table->release != nullptr},
      {"shutdown", table->shutdown != nullptr},
  };
  for (const auto& [slot, present] : required) {
    if (!present) return fmt::format("required slot '{}' is NULL", slot);
  }
  return "";
}

std::vector<plugin_candidate> discover_plugins(const std::vector<plugin_dir>& dirs) {
  // dlerror() is process-global state; loading is serialized.
  static std::mutex loader_mutex;
  const std::lock_guard<std::mutex> lock(loader_mutex);
  std::vector<plugin_candidate> candidates;
  for (std::size_t d = 0; d < dirs.size(); ++d) {
    if (!dirs[d].exists) continue;
    std::vector<fs::path> files;
    std::error_code error;
    for (const fs::directory_entry& e : fs::directory_iterator(dirs[d].path, error)) {
      if (e.path().filename().string().rfind(file_prefix, 0) == 0) files.push_back(e.path());
    }
    std::sort(files.begin(), files.end());
    for (const fs::path& file : files) {
      plugin_candidate c;
      c.file = file;
      c.dir_index = d;
      const auto parsed = parse_plugin_file_name(file.filename().string());
      if (!parsed) {
        c.reason =
            "file name is not libaccelbench-backend-<name>[-variant].so (name: a-z 0-9 _; variant: "
            "letters, digits, _ . -)";
      } else if (std::error_code e; !fs::is_regular_file(file, e)) {
        c.name = parsed->name;
        c.variant = parsed->variant;
        c.reason = "not a regular file";
      } else {
        c.name = parsed->name;
        c.variant = parsed->variant;
        open_candidate(c);
      }
      candidates.push_back(std::move(c));
    }
  }
  return candidates;
}

plugin_candidate* select_plugin(std::vector<plugin_candidate>& candidates, const std::string& name,
                                const plugin_init_function& try_init) {
  std::vector<plugin_candidate*> order;
  for (plugin_candidate& c : candidates) {
    if (c.name == name && c.table != nullptr && c.reason.empty()) order.push_back(&c);
  }
  std::stable_sort(order.begin(), order.end(), [](const plugin_candidate* a, const plugin_candidate* b) {
    if (a->dir_index != b->dir_index) return a->dir_index < b->dir_index;
    if (a->score != b->score) return a->score > b->score;
    return a->file < b->file;
  });
  plugin_candidate* chosen = nullptr;
  for (plugin_candidate* c : order) {
    if (chosen != nullptr) {
      c->reason = chosen->dir_index != c->dir_index
                      ? fmt::format("shadowed by {} (an earlier search directory wins)", chosen->file.string())
                  : chosen->score != c->score
                      ? fmt::format("not selected: {} has a higher score ({} > {})", chosen->file.filename().string(),
                                    chosen->score, c->score)
                      : fmt::format("duplicate: {} has the same name and score; the first file name wins",
                                    chosen->file.filename().string());
      continue;
    }
    std::string failure;
    try {
      failure = try_init(*c);
    } catch (const std::exception& e) {
      failure = e.what();
    }
    if (failure.empty()) {
      c->selected = true;
      chosen = c;
    } else {
      c->reason = failure;
    }
  }
  return chosen;
}

}  // namespace accelbench
