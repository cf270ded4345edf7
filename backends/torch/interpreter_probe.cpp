#include "backends/torch/interpreter_probe.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace accelbench::torch_backend {
namespace {

// Run by the chosen interpreter: prints one JSON line. Finds torch without importing it.
// (No single quotes: the script is passed as one shell word.)
constexpr const char* probe_script = R"(
import importlib.util, json, os, sys, sysconfig
v = sysconfig.get_config_var
names = [n for n in (v("INSTSONAME"), v("LDLIBRARY")) if n and ".so" in n]
dirs = [d for d in (v("LIBDIR"), os.path.join(v("LIBDIR") or "", v("MULTIARCH") or "")) if d]
found = [os.path.join(d, n) for n in names for d in dirs if os.path.exists(os.path.join(d, n))]
spec = importlib.util.find_spec("torch")
print(json.dumps({"executable": sys.executable, "version": sys.version.split()[0],
                  "libpython": found[0] if found else "", "shared_names": names,
                  "path": [p for p in sys.path if p], "torch": spec.origin if spec else ""}))
)";

std::string shell_quote(const std::string& text) {
  std::string out = "'";
  for (const char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// stdout and stderr of `command`, and its exit status (-1 when it could not be started).
std::pair<std::string, int> capture(const std::string& command) {
  std::FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return {"", -1};
  std::string out;
  std::array<char, 4096> chunk{};
  std::size_t n = 0;
  while ((n = std::fread(chunk.data(), 1, chunk.size(), pipe)) > 0) out.append(chunk.data(), n);
  const int status = pclose(pipe);
  return {out, WIFEXITED(status) ? WEXITSTATUS(status) : -1};
}

}  // namespace

interpreter_choice choose_interpreter() {
  interpreter_choice c;
  const char* chosen = std::getenv(python_variable);
  const bool from_variable = chosen != nullptr && chosen[0] != '\0';
  c.executable = from_variable ? chosen : default_python;
  c.origin = from_variable ? python_variable : "default";
  const std::string named = from_variable ? fmt::format("{}={}", python_variable, c.executable) : c.executable;
  if (access(c.executable.c_str(), X_OK) != 0) {
    c.reason = from_variable ? fmt::format("{}: no such executable", named)
                             : fmt::format(
                                   "no Python at {} (install python3 and python3-torch, or set {} to a "
                                   "Python executable that has torch)",
                                   c.executable, python_variable);
    return c;
  }
  const auto [out, status] =
      capture(fmt::format("{} -c {} 2>&1", shell_quote(c.executable), shell_quote(probe_script)));
  const std::size_t line = out.rfind('{');
  nlohmann::json probe;
  try {
    if (status != 0 || line == std::string::npos) throw std::runtime_error("no answer");
    probe = nlohmann::json::parse(out.substr(line));
  } catch (const std::exception&) {
    c.reason = fmt::format("{} could not be asked for its libpython and sys.path (exit status {}: {})", named, status,
                           out.substr(0, 200));
    return c;
  }
  c.version = probe.value("version", "");
  c.libpython = probe.value("libpython", "");
  c.probe_json =
      nlohmann::json{{"executable", probe.value("executable", c.executable)}, {"path", probe["path"]}}.dump();
  if (probe.value("torch", "").empty()) {
    c.reason = fmt::format(
        "{} (Python {}) cannot import torch (install python3-torch for /usr/bin/python3, or set {} "
        "to a Python that has torch)",
        named, c.version, python_variable);
  } else if (c.libpython.empty()) {
    c.reason = fmt::format(
        "{} (Python {}) has no shared libpython to embed (looked for {}; a Python built with "
        "--enable-shared, or Debian's libpython3.x package, provides one)",
        named, c.version, probe["shared_names"].dump());
  }
  return c;
}

}  // namespace accelbench::torch_backend
