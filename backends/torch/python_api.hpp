#pragma once
// CPython loaded with dlopen at run time, never linked: accelbench and the other backends must
// not depend on libpython, and the interpreter is the one the user chose (ACCELBENCH_PYTHON),
// not the one the build saw. Only functions of Python's stable ABI (3.8 and later) are used,
// declared here from the documented signatures, so no Python header is needed to build and any
// libpython3.x can be loaded. libpython is opened RTLD_GLOBAL because extension modules (torch's
// _C) do not link it: they expect its symbols in the process.
#include <cstddef>
#include <memory>
#include <string>

namespace accelbench::torch_backend {

struct py_object;  // PyObject, opaque

// The entry points we call, bound by name (docs.python.org/3/c-api, stable ABI).
struct python_api {
  void (*initialize_ex)(int install_signal_handlers) = nullptr;                             // Py_InitializeEx
  int (*is_initialized)() = nullptr;                                                        // Py_IsInitialized
  const char* (*get_version)() = nullptr;                                                   // Py_GetVersion
  void* (*eval_save_thread)() = nullptr;                                                    // PyEval_SaveThread
  int (*gil_ensure)() = nullptr;                                                            // PyGILState_Ensure
  void (*gil_release)(int state) = nullptr;                                                 // PyGILState_Release
  void (*before_fork)() = nullptr;                                                          // PyOS_BeforeFork
  void (*after_fork_parent)() = nullptr;                                                    // PyOS_AfterFork_Parent
  void (*after_fork_child)() = nullptr;                                                     // PyOS_AfterFork_Child
  py_object* (*compile_string)(const char* source, const char* file, int start) = nullptr;  // Py_CompileString
  py_object* (*exec_code_module)(const char* name, py_object* code) = nullptr;              // PyImport_ExecCodeModule
  py_object* (*get_attr)(py_object* object, const char* name) = nullptr;                    // PyObject_GetAttrString
  py_object* (*call_object)(py_object* callable, py_object* args) = nullptr;                // PyObject_CallObject
  py_object* (*build_value)(const char* format, ...) = nullptr;                             // Py_BuildValue
  py_object* (*list_new)(std::ptrdiff_t size) = nullptr;                                    // PyList_New
  int (*list_set_item)(py_object* list, std::ptrdiff_t index, py_object* item) = nullptr;   // steals item
  py_object* (*tuple_get_item)(py_object* tuple, std::ptrdiff_t index) = nullptr;           // borrowed
  py_object* (*memoryview_from_memory)(char* memory, std::ptrdiff_t size, int flags) = nullptr;
  long long (*long_as_long_long)(py_object* object) = nullptr;
  double (*float_as_double)(py_object* object) = nullptr;
  int (*object_is_true)(py_object* object) = nullptr;                 // PyObject_IsTrue
  py_object* (*object_str)(py_object* object) = nullptr;              // PyObject_Str
  py_object* (*unicode_as_utf8_string)(py_object* object) = nullptr;  // PyUnicode_AsUTF8String
  char* (*bytes_as_string)(py_object* object) = nullptr;              // PyBytes_AsString
  py_object* (*err_occurred)() = nullptr;
  void (*err_fetch)(py_object** type, py_object** value, py_object** traceback) = nullptr;
  void (*err_normalize)(py_object** type, py_object** value, py_object** traceback) = nullptr;
  void (*err_clear)() = nullptr;
  void (*dec_ref)(py_object* object) = nullptr;  // Py_DecRef (Py_DECREF is a macro on struct fields)
};

constexpr int py_file_input = 257;      // Py_file_input
constexpr int py_buffer_read = 0x100;   // PyBUF_READ
constexpr int py_buffer_write = 0x200;  // PyBUF_WRITE

// The loaded library: the bound API, or why it could not be loaded.
class python_library {
 public:
  // dlopen(path, RTLD_NOW | RTLD_GLOBAL) and bind every entry point.
  explicit python_library(const std::string& path);
  bool loaded() const { return m_loaded; }
  const std::string& reason() const { return m_reason; }
  const python_api& api() const { return m_api; }

 private:
  python_api m_api;
  bool m_loaded = false;
  std::string m_reason;
};

// An owned reference (Py_DecRef on destruction; the GIL must be held then).
class py_ref {
 public:
  py_ref() = default;
  py_ref(const python_api* api, py_object* object) : m_api(api), m_object(object) {}
  ~py_ref() { reset(); }
  py_ref(py_ref&& other) noexcept : m_api(other.m_api), m_object(other.m_object) { other.m_object = nullptr; }
  py_ref& operator=(py_ref&& other) noexcept;
  py_ref(const py_ref&) = delete;
  py_ref& operator=(const py_ref&) = delete;

  py_object* get() const { return m_object; }
  py_object* release();
  void reset();
  explicit operator bool() const { return m_object != nullptr; }

 private:
  const python_api* m_api = nullptr;
  py_object* m_object = nullptr;
};

// Holds the GIL for its scope (PyGILState_Ensure / Release): safe from any thread.
class gil_scope {
 public:
  explicit gil_scope(const python_api& api) : m_api(api), m_state(api.gil_ensure()) { ++depth(); }
  ~gil_scope() {
    --depth();
    m_api.gil_release(m_state);
  }
  // How many scopes this thread is inside (> 0: Python code may be running, e.g. forking itself).
  static int& depth() {
    static thread_local int d = 0;
    return d;
  }
  gil_scope(const gil_scope&) = delete;
  gil_scope& operator=(const gil_scope&) = delete;

 private:
  const python_api& m_api;
  int m_state;
};

// The pending Python exception as "TypeName: message" (cleared), or "" when none is set.
std::string take_python_error(const python_api& api);

// Throws std::runtime_error with the pending Python exception when `object` is null; else owns it.
py_ref checked(const python_api& api, py_object* object, const std::string& what);

// str(object) as UTF-8.
std::string to_std_string(const python_api& api, py_object* object);

}  // namespace accelbench::torch_backend
