#include "backends/torch/python_api.hpp"

#include <dlfcn.h>

#include <stdexcept>

#include <fmt/format.h>

namespace accelbench::torch_backend {
namespace {

template <typename F>
void bind(void* handle, const char* name, F& out, std::string& missing) {
  out = reinterpret_cast<F>(dlsym(handle, name));
  if (out == nullptr) missing += (missing.empty() ? "" : ", ") + std::string(name);
}

}  // namespace

python_library::python_library(const std::string& path) {
  // Never dlclosed: an interpreter cannot be unloaded once extension modules are imported.
  void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_GLOBAL);
  if (handle == nullptr) {
    const char* e = dlerror();
    m_reason = fmt::format("cannot load {} ({})", path, e != nullptr ? e : "dlopen failed");
    return;
  }
  std::string missing;
  bind(handle, "Py_InitializeEx", m_api.initialize_ex, missing);
  bind(handle, "Py_IsInitialized", m_api.is_initialized, missing);
  bind(handle, "Py_GetVersion", m_api.get_version, missing);
  bind(handle, "PyEval_SaveThread", m_api.eval_save_thread, missing);
  bind(handle, "PyGILState_Ensure", m_api.gil_ensure, missing);
  bind(handle, "PyGILState_Release", m_api.gil_release, missing);
  bind(handle, "PyOS_BeforeFork", m_api.before_fork, missing);
  bind(handle, "PyOS_AfterFork_Parent", m_api.after_fork_parent, missing);
  bind(handle, "PyOS_AfterFork_Child", m_api.after_fork_child, missing);
  bind(handle, "Py_CompileString", m_api.compile_string, missing);
  bind(handle, "PyImport_ExecCodeModule", m_api.exec_code_module, missing);
  bind(handle, "PyObject_GetAttrString", m_api.get_attr, missing);
  bind(handle, "PyObject_CallObject", m_api.call_object, missing);
  bind(handle, "Py_BuildValue", m_api.build_value, missing);
  bind(handle, "PyList_New", m_api.list_new, missing);
  bind(handle, "PyList_SetItem", m_api.list_set_item, missing);
  bind(handle, "PyTuple_GetItem", m_api.tuple_get_item, missing);
  bind(handle, "PyMemoryView_FromMemory", m_api.memoryview_from_memory, missing);
  bind(handle, "PyLong_AsLongLong", m_api.long_as_long_long, missing);
  bind(handle, "PyFloat_AsDouble", m_api.float_as_double, missing);
  bind(handle, "PyObject_IsTrue", m_api.object_is_true, missing);
  bind(handle, "PyObject_Str", m_api.object_str, missing);
  bind(handle, "PyUnicode_AsUTF8String", m_api.unicode_as_utf8_string, missing);
  bind(handle, "PyBytes_AsString", m_api.bytes_as_string, missing);
  bind(handle, "PyErr_Occurred", m_api.err_occurred, missing);
  bind(handle, "PyErr_Fetch", m_api.err_fetch, missing);
  bind(handle, "PyErr_NormalizeException", m_api.err_normalize, missing);
  bind(handle, "PyErr_Clear", m_api.err_clear, missing);
  bind(handle, "Py_DecRef", m_api.dec_ref, missing);
  if (!missing.empty()) {
    m_reason = fmt::format("{} lacks {} (not a CPython 3.8+ library)", path, missing);
    return;
  }
  m_loaded = true;
}

py_ref& py_ref::operator=(py_ref&& other) noexcept {
  if (this != &other) {
    reset();
    m_api = other.m_api;
    m_object = other.m_object;
    other.m_object = nullptr;
  }
  return *this;
}

py_object* py_ref::release() {
  py_object* object = m_object;
  m_object = nullptr;
  return object;
}

void py_ref::reset() {
  if (m_object != nullptr && m_api != nullptr) m_api->dec_ref(m_object);
  m_object = nullptr;
}

std::string to_std_string(const python_api& api, py_object* object) {
  if (object == nullptr) return {};
  py_ref text(&api, api.object_str(object));
  py_ref bytes(&api, text ? api.unicode_as_utf8_string(text.get()) : nullptr);
  const char* chars = bytes ? api.bytes_as_string(bytes.get()) : nullptr;
  if (chars == nullptr) {
    api.err_clear();
    return "(unprintable)";
  }
  return chars;
}

std::string take_python_error(const python_api& api) {
  if (api.err_occurred() == nullptr) return {};
  py_object *type = nullptr, *value = nullptr, *traceback = nullptr;
  api.err_fetch(&type, &value, &traceback);
  api.err_normalize(&type, &value, &traceback);
  py_ref owned_type(&api, type), owned_value(&api, value), owned_traceback(&api, traceback);
  py_ref name(&api, type != nullptr ? api.get_attr(type, "__name__") : nullptr);
  std::string text = name ? to_std_string(api, name.get()) : "Python error";
  const std::string message = to_std_string(api, value);
  if (!message.empty()) text += ": " + message;
  api.err_clear();
  return text;
}

py_ref checked(const python_api& api, py_object* object, const std::string& what) {
  if (object == nullptr) throw std::runtime_error(fmt::format("{}: {}", what, take_python_error(api)));
  return py_ref(&api, object);
}

}  // namespace accelbench::torch_backend
