#pragma once
// Backends loaded at run time: shared libraries named libaccelbench-backend-<name>[-variant].so
// that export accelbench_backend_entry (and optionally accelbench_backend_score), found in
//   1. --backend-dir DIR (repeatable, in the order given)
//   2. ACCELBENCH_BACKEND_PATH (':'-separated)
//   3. the install's plugin folder (<exe dir>/../lib/accelbench/backends, relocatable)
//   4. <exe dir>/backends (the build tree)
// Nothing a plugin does wrong stops the harness: a file that cannot be opened, lacks the entry
// symbol, has another ABI version or table size, a NULL required slot, a name other than its
// file name, a score of 0 or a failing init becomes the candidate's reason, shown by
// `accelbench list backends --verbose`. (A plugin that crashes in its own code still crashes
// the process; nothing in-process can prevent that.)
//
// Selection, per backend name: the first directory that holds a usable candidate wins (so
// --backend-dir overrides an installed plugin); within a directory the variants are tried by
// descending score, then file name; the first whose init succeeds is used. Loaded libraries
// stay loaded for the life of the process: unloading libraries with static state (oneDNN,
// CUDA) at exit is a known source of crashes, and a handful of handles costs nothing.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "accelbench_backend.h"

namespace accelbench {

enum class plugin_dir_origin { option, environment, install, executable, invalid };
std::string to_string(plugin_dir_origin origin);
plugin_dir_origin plugin_dir_origin_from_string(const std::string& text);

struct plugin_dir {
  std::filesystem::path path;
  plugin_dir_origin origin = plugin_dir_origin::invalid;
  bool exists = false;
};

struct plugin_candidate {
  std::filesystem::path file;
  std::size_t dir_index = 0;          // index into the search directories
  std::string name;                   // backend name from the file name (empty if the name is malformed)
  std::string variant;                // text after "<name>-", empty for none
  const ab_backend* table = nullptr;  // set once the table passed every check
  std::int32_t score = 1;
  bool selected = false;
  std::string reason;  // why it is not used; empty while usable or when selected
};

// The --backend-dir directories for this process (searched first). Each must be an existing
// directory: otherwise input_error naming it.
void set_backend_dirs(const std::vector<std::string>& dirs);

// The search directories in discovery order, without duplicates (same canonical path).
std::vector<plugin_dir> plugin_search_dirs();

// "libaccelbench-backend-<name>[-variant].so" -> {name, variant}; nullopt for other names.
struct plugin_file_name {
  std::string name, variant;
};
std::optional<plugin_file_name> parse_plugin_file_name(const std::string& file_name);

// Why a backend table cannot be used (empty if it can): null table, ABI version, struct size,
// missing name or a NULL required slot. Used for linked-in backends too.
std::string check_backend_table(const ab_backend* table);

// Every file in `dirs` whose name starts with "libaccelbench-backend-", in discovery order
// (directory order, then file name). Each is opened and checked; a bad one gets its reason.
// init is not called here.
std::vector<plugin_candidate> discover_plugins(const std::vector<plugin_dir>& dirs);

// Chooses the plugin for `name` among `candidates` (see the selection rule above): calls
// `try_init` on usable candidates in preference order until one returns an empty string (its
// failure reason otherwise). Marks the chosen one selected and gives every other candidate of
// that name its reason. Returns the chosen candidate, or nullptr.
using plugin_init_function = std::function<std::string(const plugin_candidate&)>;
plugin_candidate* select_plugin(std::vector<plugin_candidate>& candidates, const std::string& name,
                                const plugin_init_function& try_init);

}  // namespace accelbench
