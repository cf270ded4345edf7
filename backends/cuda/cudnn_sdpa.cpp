#include "backends/cuda/cudnn_sdpa.hpp"

#include <array>
#include <map>
#include <stdexcept>

#include <fmt/format.h>

namespace accelbench::cuda {
namespace {

// A cuDNN refusal while building: caught in the constructor and kept as the reason.
struct rejected : std::runtime_error {
  using std::runtime_error::runtime_error;
};

constexpr std::int64_t max_engine_configs = 16;

}  // namespace

cudnnBackendDescriptor_t cudnn_sdpa::make(cudnnBackendDescriptorType_t type) {
  cudnnBackendDescriptor_t d = nullptr;
  check(m_lib.api().create_descriptor(type, &d), fmt::format("create descriptor type {}", static_cast<int>(type)));
  m_owned.push_back(d);
  return d;
}

void cudnn_sdpa::check(cudnnStatus_t status, const std::string& what) const {
  if (status != CUDNN_STATUS_SUCCESS) throw rejected(fmt::format("{}: {}", what, m_lib.describe(status)));
}

cudnn_sdpa::cudnn_sdpa(const cudnn_library& lib, cudnnHandle_t handle, const attention_workload& w)
    : m_lib(lib), m_handle(handle), m_graph(describe_sdpa(w)) {
  const cudnn_api& api = lib.api();
  const auto set = [&](cudnnBackendDescriptor_t d, cudnnBackendAttributeName_t name, cudnnBackendAttributeType_t type,
                       std::int64_t count, const void* values,
                       const std::string& what) { check(api.set_attribute(d, name, type, count, values), what); };
  try {
    std::map<std::int64_t, cudnnBackendDescriptor_t> tensors;
    for (const sdpa_tensor& t : m_graph.tensors) {
      cudnnBackendDescriptor_t d = make(CUDNN_BACKEND_TENSOR_DESCRIPTOR);
      const std::string what = "tensor " + t.name;
      const std::int64_t alignment = 16;
      const bool is_virtual = t.is_virtual, by_value = t.by_value;
      set(d, CUDNN_ATTR_TENSOR_UNIQUE_ID, CUDNN_TYPE_INT64, 1, &t.uid, what);
      set(d, CUDNN_ATTR_TENSOR_DATA_TYPE, CUDNN_TYPE_DATA_TYPE, 1, &t.type, what);
      set(d, CUDNN_ATTR_TENSOR_DIMENSIONS, CUDNN_TYPE_INT64, 4, t.dims.data(), what);
      set(d, CUDNN_ATTR_TENSOR_STRIDES, CUDNN_TYPE_INT64, 4, t.strides.data(), what);
      set(d, CUDNN_ATTR_TENSOR_BYTE_ALIGNMENT, CUDNN_TYPE_INT64, 1, &alignment, what);
      set(d, CUDNN_ATTR_TENSOR_IS_VIRTUAL, CUDNN_TYPE_BOOLEAN, 1, &is_virtual, what);
      if (by_value) set(d, CUDNN_ATTR_TENSOR_IS_BY_VALUE, CUDNN_TYPE_BOOLEAN, 1, &by_value, what);
      check(api.finalize(d), what);
      tensors[t.uid] = d;
    }

    std::vector<cudnnBackendDescriptor_t> ops;
    for (const sdpa_op& o : m_graph.ops) {
      const std::string what = "operation " + o.name;
      cudnnBackendDescriptor_t out = tensors.at(o.output);
      if (o.kind == sdpa_op_kind::matmul) {
        cudnnBackendDescriptor_t mm = make(CUDNN_BACKEND_MATMUL_DESCRIPTOR);
        set(mm, CUDNN_ATTR_MATMUL_COMP_TYPE, CUDNN_TYPE_DATA_TYPE, 1, &o.compute, what);
        check(api.finalize(mm), what);
        cudnnBackendDescriptor_t op = make(CUDNN_BACKEND_OPERATION_MATMUL_DESCRIPTOR);
        set(op, CUDNN_ATTR_OPERATION_MATMUL_ADESC, CUDNN_TYPE_BACKEND_DESCRIPTOR, 1, &tensors.at(o.inputs.at(0)), what);
        set(op, CUDNN_ATTR_OPERATION_MATMUL_BDESC, CUDNN_TYPE_BACKEND_DESCRIPTOR, 1, &tensors.at(o.inputs.at(1)), what);
        set(op, CUDNN_ATTR_OPERATION_MATMUL_CDESC, CUDNN_TYPE_BACKEND_DESCRIPTOR, 1, &out, what);
        set(op, CUDNN_ATTR_OPERATION_MATMUL_DESC, CUDNN_TYPE_BACKEND_DESCRIPTOR, 1, &mm, what);
        check(api.finalize(op), what);
        ops.push_back(op);
      } else if (o.kind == sdpa_op_kind::reduction) {
        cudnnBackendDescriptor_t red = make(CUDNN_BACKEND_REDUCTION_DESCRIPTOR);
        set(red, CUDNN_ATTR_REDUCTION_OPERATOR, CUDNN_TYPE_REDUCTION_OPERATOR_TYPE, 1, &o.reduction, what);
        set(red, CUDNN_ATTR_REDUCTION_COMP_TYPE, CUDNN_TYPE_DATA_TYPE, 1, &o.compute, what);
        check(api.finalize(red), what);
        cudnnBackendDescriptor_t op = make(CUDNN_BACKEND_OPERATION_REDUCTION_DESCRIPTOR);
        set(op, CUDNN_ATTR_OPERATION_REDUCTION_XDESC, CUDNN_TYPE_BACKEND_DESCRIPTOR, 1, &tensors.at(o.inputs.at(0)),
            what);
        set(op, CUDNN_ATTR_OPERATION_REDUCTION_YDESC, CUDNN_TYPE_BACKEND_DESCRIPTOR, 1, &out, what);
        set(op, CUDNN_ATTR_OPERATION_REDUCTION_DESC, CUDNN_TYPE_BACKEND_DESCRIPTOR, 1, &red, what);
        check(api.finalize(op), what);
        ops.push_back(op);
      } else {
        cudnnBackendDescriptor_t pw = make(CUDNN_BACKEND_POINTWISE_DESCRIPTOR);
        set(pw, CUDNN_ATTR_POINTWISE_MODE, CUDNN_TYPE_POINTWISE_MODE, 1, &o.pointwise, what);
        set(pw, CUDNN_ATTR_POINTWISE_MATH_PREC, CUDNN_TYPE_DATA_TYPE, 1, &o.compute, what);
        if (o.axis >= 0) set(pw, CUDNN_ATTR_POINTWISE_AXIS, CUDNN_TYPE_INT64, 1, &o.axis, what);
        check(api.finalize(pw), what);
        cudnnBackendDescriptor_t op = make(CUDNN_BACKEND_OPERATION_POINTWISE_DESCRIPTOR);
        set(op, CUDNN_ATTR_OPERATION_POINTWISE_PW_DESCRIPTOR, CUDNN_TYPE_BACKEND_DESCRIPTOR, 1, &pw, what);
        constexpr std::array<cudnnBackendAttributeName_t, 3> slots = {CUDNN_ATTR_OPERATION_POINTWISE_XDESC,
                                                                      CUDNN_ATTR_OPERATION_POINTWISE_BDESC,
                                                                      CUDNN_ATTR_OPERATION_POINTWISE_TDESC};
        for (std::size_t i = 0; i < o.inputs.size(); ++i) {
          set(op, slots.at(i), CUDNN_TYPE_BACKEND_DESCRIPTOR, 1, &tensors.at(o.inputs[i]), what);
        }
        set(op, CUDNN_ATTR_OPERATION_POINTWISE_YDESC, CUDNN_TYPE_BACKEND_DESCRIPTOR, 1, &out, what);
        check(api.finalize(op), what);
        ops.push_back(op);
      }
    }

    cudnnBackendDescriptor_t graph = make(CUDNN_BACKEND_OPERATIONGRAPH_DESCRIPTOR);
    set(graph, CUDNN_ATTR_OPERATIONGRAPH_OPS, CUDNN_TYPE_BACKEND_DESCRIPTOR, static_cast<std::int64_t>(ops.size()),
        ops.data(), "operation graph");
    set(graph, CUDNN_ATTR_OPERATIONGRAPH_HANDLE, CUDNN_TYPE_HANDLE, 1, &m_handle, "operation graph");
    check(api.finalize(graph), "operation graph");

    cudnnBackendDescriptor_t heuristics = make(CUDNN_BACKEND_ENGINEHEUR_DESCRIPTOR);
    const cudnnBackendHeurMode_t mode = CUDNN_HEUR_MODE_A;
    set(heuristics, CUDNN_ATTR_ENGINEHEUR_OPERATION_GRAPH, CUDNN_TYPE_BACKEND_DESCRIPTOR, 1, &graph, "heuristics");
    set(heuristics, CUDNN_ATTR_ENGINEHEUR_MODE, CUDNN_TYPE_HEUR_MODE, 1, &mode, "heuristics");
    check(api.finalize(heuristics), "heuristics");
    std::vector<cudnnBackendDescriptor_t> configs;
    for (std::int64_t i = 0; i < max_engine_configs; ++i) configs.push_back(make(CUDNN_BACKEND_ENGINECFG_DESCRIPTOR));
    check(api.get_attribute(heuristics, CUDNN_ATTR_ENGINEHEUR_RESULTS, CUDNN_TYPE_BACKEND_DESCRIPTOR,
                            max_engine_configs, &m_candidates, configs.data()),
          "heuristics results");
    if (m_candidates == 0) throw rejected("heuristics: no engine for this graph");

    // The heuristic's order, first plan that finalizes (what a user of cuDNN gets by default).
    std::string first_error;
    for (std::int64_t i = 0; i < m_candidates && m_plan == nullptr; ++i) {
      cudnnBackendDescriptor_t plan = make(CUDNN_BACKEND_EXECUTION_PLAN_DESCRIPTOR);
      set(plan, CUDNN_ATTR_EXECUTION_PLAN_HANDLE, CUDNN_TYPE_HANDLE, 1, &m_handle, "execution plan");
      set(plan, CUDNN_ATTR_EXECUTION_PLAN_ENGINE_CONFIG, CUDNN_TYPE_BACKEND_DESCRIPTOR, 1, &configs[i],
          "execution plan");
      if (const cudnnStatus_t status = api.finalize(plan); status != CUDNN_STATUS_SUCCESS) {
        if (first_error.empty()) first_error = lib.describe(status);
        continue;
      }
      m_plan = plan;
      std::int64_t count = 0, workspace = 0;
      check(api.get_attribute(plan, CUDNN_ATTR_EXECUTION_PLAN_WORKSPACE_SIZE, CUDNN_TYPE_INT64, 1, &count, &workspace),
            "workspace size");
      m_workspace_bytes = static_cast<std::uint64_t>(workspace);
      cudnnBackendDescriptor_t engine = make(CUDNN_BACKEND_ENGINE_DESCRIPTOR);
      check(
          api.get_attribute(configs[i], CUDNN_ATTR_ENGINECFG_ENGINE, CUDNN_TYPE_BACKEND_DESCRIPTOR, 1, &count, &engine),
          "engine of the configuration");
      check(api.get_attribute(engine, CUDNN_ATTR_ENGINE_GLOBAL_INDEX, CUDNN_TYPE_INT64, 1, &count, &m_engine),
            "engine index");
    }
    if (m_plan == nullptr) {
      throw rejected(fmt::format("none of {} engine configurations finalizes (first: {})", m_candidates, first_error));
    }
  } catch (const rejected& e) {
    m_unsupported = e.what();
    m_plan = nullptr;
  }
}

cudnn_sdpa::~cudnn_sdpa() {
  for (auto it = m_owned.rbegin(); it != m_owned.rend(); ++it) m_lib.api().destroy_descriptor(*it);
}

sdpa_binding::sdpa_binding(std::shared_ptr<const cudnn_sdpa> sdpa, const void* q, const void* k, const void* v, void* o,
                           void* workspace)
    : m_sdpa(std::move(sdpa)) {
  const cudnn_sdpa& s = *m_sdpa;
  if (s.m_plan == nullptr) throw std::logic_error("sdpa_binding without a plan: " + s.m_unsupported);
  // By-value scalars are read from host memory at execute time: the cached graph keeps them alive.
  const sdpa_graph& g = s.m_graph;
  std::vector<std::int64_t> uids = {sdpa_uid::q, sdpa_uid::k, sdpa_uid::v, sdpa_uid::o, sdpa_uid::scale};
  std::vector<void*> pointers = {const_cast<void*>(q), const_cast<void*>(k), const_cast<void*>(v), o,
                                 const_cast<float*>(&g.scale)};
  for (const sdpa_tensor& t : g.tensors) {
    if (t.uid == sdpa_uid::negative_infinity) {
      uids.push_back(t.uid);
      pointers.push_back(const_cast<float*>(&g.negative_infinity));
    } else if (t.uid == sdpa_uid::skv) {
      uids.push_back(t.uid);
      pointers.push_back(const_cast<std::int32_t*>(&g.skv));
    } else if (t.uid == sdpa_uid::sq) {
      uids.push_back(t.uid);
      pointers.push_back(const_cast<std::int32_t*>(&g.sq));
    }
  }
  const cudnn_api& api = s.m_lib.api();
  s.check(api.create_descriptor(CUDNN_BACKEND_VARIANT_PACK_DESCRIPTOR, &m_pack), "variant pack");
  try {
    s.check(api.set_attribute(m_pack, CUDNN_ATTR_VARIANT_PACK_UNIQUE_IDS, CUDNN_TYPE_INT64,
                              static_cast<std::int64_t>(uids.size()), uids.data()),
            "variant pack");
    s.check(api.set_attribute(m_pack, CUDNN_ATTR_VARIANT_PACK_DATA_POINTERS, CUDNN_TYPE_VOID_PTR,
                              static_cast<std::int64_t>(pointers.size()), pointers.data()),
            "variant pack");
    s.check(api.set_attribute(m_pack, CUDNN_ATTR_VARIANT_PACK_WORKSPACE, CUDNN_TYPE_VOID_PTR, 1, &workspace),
            "variant pack");
    s.check(api.finalize(m_pack), "variant pack");
  } catch (...) {
    api.destroy_descriptor(m_pack);
    throw;
  }
}

sdpa_binding::~sdpa_binding() {
  if (m_pack != nullptr) m_sdpa->m_lib.api().destroy_descriptor(m_pack);
}

void sdpa_binding::run(cudaStream_t stream) const {
  const cudnn_sdpa& s = *m_sdpa;
  const cudnn_api& api = s.m_lib.api();
  if (const cudnnStatus_t status = api.set_stream(s.m_handle, stream); status != CUDNN_STATUS_SUCCESS) {
    throw std::runtime_error("cudnnSetStream: " + s.m_lib.describe(status));
  }
  if (const cudnnStatus_t status = api.execute(s.m_handle, s.m_plan, m_pack); status != CUDNN_STATUS_SUCCESS) {
    throw std::runtime_error("cudnnBackendExecute: " + s.m_lib.describe(status));
  }
}

std::string cudnn_sdpa::description() const {
  return fmt::format(
      "cudnn sdpa (engine {}, first of {} heuristic candidates that finalizes; cuDNN {}; workspace {} B)", m_engine,
      m_candidates, m_lib.version(), m_workspace_bytes);
}

}  // namespace accelbench::cuda
