#pragma once
// Which Python the torch backend embeds, chosen explicitly: $ACCELBENCH_PYTHON (a Python
// executable, e.g. a venv's bin/python), else the system's /usr/bin/python3, never whatever
// `python3` comes first on PATH (often a pyenv shim without torch). The chosen executable is run
// once as a child process to learn its shared libpython, its sys.path and whether torch is
// importable there, so a missing torch is reported without loading anything into accelbench.
#include <string>

namespace accelbench::torch_backend {

constexpr const char* python_variable = "ACCELBENCH_PYTHON";
constexpr const char* default_python = "/usr/bin/python3";

struct interpreter_choice {
  std::string executable;  // the Python executable asked
  std::string origin;      // "ACCELBENCH_PYTHON" or "default"
  std::string version;     // "3.11.2"
  std::string libpython;   // the shared library to load
  std::string probe_json;  // {"executable", "path"}: handed to the embedded interpreter
  std::string reason;      // why this interpreter cannot run the backend; empty when it can
};

// Asks the interpreter named by $ACCELBENCH_PYTHON (or the default); never throws.
interpreter_choice choose_interpreter();

}  // namespace accelbench::torch_backend
