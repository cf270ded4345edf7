// The simulated operator library (libopapi.so; built twice more as the split libopapi_nn.so, GEMM
// and fill only, and libopapi_transformer.so, attention only): aclnn operators computed on the
// CPU in double precision, stored in the output's type (fake_cann.hpp). Each GetWorkspaceSize
// checks its arguments as the documentation states them and asks for a non-empty workspace, so
// a caller that passes no workspace, a wrong view or a wrong mode is refused or computes wrong.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "kernels/spec/dtype.hpp"
#include "tests/fake_cann/fake_cann.hpp"

#define FAKE_EXPORT extern "C" __attribute__((visibility("default")))

namespace {

using accelbench::dtype;

constexpr int aclnn_success = 0;
constexpr int aclnn_param_nullptr = 161001;  // ACLNN_ERR_PARAM_NULLPTR
constexpr int aclnn_param_invalid = 161002;  // ACLNN_ERR_PARAM_INVALID
constexpr int aclnn_inner = 561103;          // an inner error, as the planted failure
constexpr std::int64_t mask_side = 2048;

int fail(int status, const std::string& message) {
  fake_cann_set_error(message.c_str());
  return status;
}

bool planted_failure(const char* op) {
  const char* v = std::getenv("FAKE_CANN_FAIL_OP");
  return v != nullptr && std::string(v) == op;
}

bool planted_wrong_result() {
  const char* v = std::getenv("FAKE_CANN_WRONG_RESULT");
  return v != nullptr && std::string(v) == "1";
}

dtype to_dtype(int acl) {
  switch (acl) {
    case 0:
      return dtype::f32;
    case 1:
      return dtype::f16;
    case 27:
      return dtype::bf16;
    case 2:
      return dtype::s8;
    case 3:
      return dtype::s32;
    default:
      return dtype::invalid;
  }
}

std::int64_t element_bytes(int acl) { return acl == 4 || acl == 12 ? 1 : accelbench::storage_bytes(to_dtype(acl)); }

std::string describe(const aclTensor* t) {
  return fmt::format("[{}]/[{}]", fmt::join(t->dims, ","), fmt::join(t->strides, ","));
}

// Bytes from the tensor's data pointer to one past its last element.
std::uint64_t extent(const aclTensor* t) {
  std::int64_t last = t->offset;
  for (std::size_t i = 0; i < t->dims.size(); ++i) {
    if (t->dims[i] == 0) return 0;
    last += (t->dims[i] - 1) * t->strides[i];
  }
  return static_cast<std::uint64_t>((last + 1) * element_bytes(t->dtype));
}

bool dense(const aclTensor* t) {
  std::int64_t expected = 1;
  for (std::size_t i = t->dims.size(); i-- > 0;) {
    if (t->strides[i] != expected) return false;
    expected *= t->dims[i];
  }
  return true;
}

// Checks a tensor argument: present, of a supported type, on the device. "" when fine.
std::string bad_tensor(const aclTensor* t, const char* name, std::size_t rank) {
  if (t == nullptr) return fmt::format("{} is null", name);
  if (t->dims.size() != rank) return fmt::format("{} has rank {}, the fake supports {}", name, t->dims.size(), rank);
  if (!fake_cann_is_device(t->data, extent(t))) return fmt::format("{} is not device memory", name);
  return {};
}

std::int64_t element_index(const aclTensor* t, std::initializer_list<std::int64_t> index) {
  std::int64_t e = t->offset;
  std::size_t i = 0;
  for (const std::int64_t x : index) e += x * t->strides[i++];
  return e;
}

double load(const aclTensor* t, std::initializer_list<std::int64_t> index) {
  return accelbench::load_element(to_dtype(t->dtype), t->data, element_index(t, index));
}

void store(const aclTensor* t, std::initializer_list<std::int64_t> index, double value) {
  accelbench::store_element(to_dtype(t->dtype), t->data, element_index(t, index), value);
}

// Logs the call and returns an executor that checks the run phase's arguments, then computes.
int make_executor(const char* name, std::uint64_t workspace, const std::string& log, std::function<void()> compute,
                  uint64_t* workspace_size, aclOpExecutor** executor) {
  if (workspace_size == nullptr || executor == nullptr) return fail(aclnn_param_nullptr, "fake: null out-parameter");
  fake_cann_log(fmt::format("{}GetWorkspaceSize {} workspace={}", name, log, workspace).c_str());
  *workspace_size = workspace;
  *executor = fake_cann_new_executor(name, workspace, [compute = std::move(compute)] {
    compute();
    return aclnn_success;
  });
  return aclnn_success;
}

int run_executor(const char* name, void* workspace, uint64_t workspace_size, aclOpExecutor* executor, void* stream) {
  if (!fake_cann_executor_live(executor)) {
    return fail(aclnn_param_invalid,
                fmt::format("fake: {}: executor already run and not repeatable, or destroyed", name));
  }
  if (executor->name != name)
    return fail(aclnn_param_invalid, fmt::format("fake: {} given an executor of {}", name, executor->name));
  if (workspace_size < executor->workspace ||
      (executor->workspace > 0 && !fake_cann_is_device(workspace, executor->workspace))) {
    return fail(aclnn_param_invalid, fmt::format("fake: {}: workspace of {} B on the device needed, got {} B at {}",
                                                 name, executor->workspace, workspace_size, workspace));
  }
  if (!fake_cann_is_stream(stream)) return fail(aclnn_param_invalid, fmt::format("fake: {}: no such stream", name));
  if (planted_failure(name)) return fail(aclnn_inner, fmt::format("fake: planted failure of {}", name));
  fake_cann_log(fmt::format("{} run", name).c_str());
  if (executor->workspace > 0) std::memset(workspace, 0x5a, executor->workspace);  // it is scratch: scribble
  const int status = executor->run();
  fake_cann_executor_retire(executor);
  return status;
}

// C[b][i][j] = sum_k A[b][i][k] B[b][k][j] through the tensors' strides; rank 2 or 3.
[[maybe_unused]] int matmul_workspace(const char* name, std::size_t rank, const aclTensor* a, const aclTensor* b,
                                      aclTensor* c, int8_t cube_math_type, uint64_t* workspace_size,
                                      aclOpExecutor** executor) {
  if (planted_failure(fmt::format("{}GetWorkspaceSize", name).c_str())) {
    return fail(aclnn_inner, fmt::format("fake: planted failure of {}GetWorkspaceSize", name));
  }
  for (const auto& [t, what] : {std::pair<const aclTensor*, const char*>{a, "self"}, {b, "mat2"}, {c, "out"}}) {
    if (std::string why = bad_tensor(t, what, rank); !why.empty()) return fail(aclnn_param_invalid, "fake: " + why);
  }
  const std::size_t r = rank - 2;  // index of the row dimension
  const std::int64_t batch = rank == 3 ? a->dims[0] : 1;
  const std::int64_t m = a->dims[r], k = a->dims[r + 1], n = b->dims[r + 1];
  if (b->dims[r] != k || c->dims[r] != m || c->dims[r + 1] != n ||
      (rank == 3 && (b->dims[0] != batch || c->dims[0] != batch))) {
    return fail(aclnn_param_invalid, fmt::format("fake: {}: shapes {} x {} -> {} do not chain", name, describe(a),
                                                 describe(b), describe(c)));
  }
  if (a->dtype != b->dtype || a->dtype != c->dtype || (a->dtype != 0 && a->dtype != 1 && a->dtype != 27)) {
    return fail(aclnn_param_invalid, fmt::format("fake: {}: dtypes {}, {}, {} (float32/16, bfloat16, all equal)", name,
                                                 a->dtype, b->dtype, c->dtype));
  }
  if (!dense(c)) return fail(aclnn_param_invalid, fmt::format("fake: {}: out must be contiguous", name));
  if (cube_math_type < 0 || cube_math_type > 3) return fail(aclnn_param_invalid, "fake: cubeMathType outside 0..3");
  const std::string log = fmt::format("self={} mat2={} out={} dtype={} cube={}", describe(a), describe(b), describe(c),
                                      a->dtype, static_cast<int>(cube_math_type));
  // ALLOW_FP32_DOWN_PRECISION and USE_HF32 round f32 inputs to HF32 on Atlas A2 (aclnnMatmul.md).
  // FAKE_CANN_FORCE_HF32=1: as if the cube rounded to HF32 whatever it was asked (a planted error).
  const char* force = std::getenv("FAKE_CANN_FORCE_HF32");
  const bool forced = force != nullptr && std::string(force) == "1";
  const bool hf32 = a->dtype == 0 && (cube_math_type == 1 || cube_math_type == 3 || forced);
  auto in = [hf32](double x) { return hf32 ? accelbench::round_to(dtype::hf32, x) : x; };
  return make_executor(
      name, 1 << 20, log,
      [=] {
        for (std::int64_t p = 0; p < batch; ++p) {
          for (std::int64_t i = 0; i < m; ++i) {
            for (std::int64_t j = 0; j < n; ++j) {
              double sum = 0.0;
              for (std::int64_t x = 0; x < k; ++x) {
                sum += rank == 3 ? in(load(a, {p, i, x})) * in(load(b, {p, x, j}))
                                 : in(load(a, {i, x})) * in(load(b, {x, j}));
              }
              if (rank == 3) {
                store(c, {p, i, j}, sum);
              } else {
                store(c, {i, j}, sum);
              }
            }
          }
        }
        if (planted_wrong_result())
          store(c, rank == 3 ? std::initializer_list<std::int64_t>{0, 0, 0} : std::initializer_list<std::int64_t>{0, 0},
                1e3);
      },
      workspace_size, executor);
}

// (Each half of the split build uses one of these two.)
// True when the mask is the documented compressed causal mask: 1 strictly above the diagonal.
[[maybe_unused]] bool compressed_causal_mask(const aclTensor* mask) {
  if (mask->dims != std::vector<std::int64_t>{mask_side, mask_side} || !dense(mask)) return false;
  const auto* bytes = static_cast<const std::uint8_t*>(mask->data);
  for (std::int64_t i = 0; i < mask_side; i += 97) {
    for (std::int64_t j = 0; j < mask_side; j += 89) {
      if (bytes[i * mask_side + j] != (j > i ? 1 : 0)) return false;
    }
  }
  return bytes[1] == 1 && bytes[mask_side] == 0;
}

}  // namespace

#ifndef FAKE_OPAPI_TRANSFORMER_ONLY
FAKE_EXPORT int aclnnMatmulGetWorkspaceSize(const aclTensor* a, const aclTensor* b, aclTensor* c, int8_t cube,
                                            uint64_t* workspace_size, aclOpExecutor** executor) {
  return matmul_workspace("aclnnMatmul", 2, a, b, c, cube, workspace_size, executor);
}
FAKE_EXPORT int aclnnMatmul(void* workspace, uint64_t size, aclOpExecutor* executor, void* stream) {
  return run_executor("aclnnMatmul", workspace, size, executor, stream);
}
FAKE_EXPORT int aclnnBatchMatMulGetWorkspaceSize(const aclTensor* a, const aclTensor* b, aclTensor* c, int8_t cube,
                                                 uint64_t* workspace_size, aclOpExecutor** executor) {
  return matmul_workspace("aclnnBatchMatMul", 3, a, b, c, cube, workspace_size, executor);
}
FAKE_EXPORT int aclnnBatchMatMul(void* workspace, uint64_t size, aclOpExecutor* executor, void* stream) {
  return run_executor("aclnnBatchMatMul", workspace, size, executor, stream);
}
FAKE_EXPORT int aclnnInplaceZeroGetWorkspaceSize(aclTensor* self, uint64_t* workspace_size, aclOpExecutor** executor) {
  if (std::string why = bad_tensor(self, "selfRef", self != nullptr ? self->dims.size() : 1); !why.empty()) {
    return fail(aclnn_param_invalid, "fake: " + why);
  }
  if (!dense(self)) return fail(aclnn_param_invalid, "fake: aclnnInplaceZero: selfRef must be contiguous");
  const std::uint64_t bytes = extent(self);
  return make_executor(
      "aclnnInplaceZero", 0, fmt::format("selfRef={} bytes={}", describe(self), bytes),
      [self, bytes] { std::memset(self->data, 0, bytes); }, workspace_size, executor);
}
FAKE_EXPORT int aclnnInplaceZero(void* workspace, uint64_t size, aclOpExecutor* executor, void* stream) {
  return run_executor("aclnnInplaceZero", workspace, size, executor, stream);
}
#endif

#ifndef FAKE_OPAPI_NN_ONLY
FAKE_EXPORT int aclnnFlashAttentionScoreGetWorkspaceSize(
    const aclTensor* q, const aclTensor* k, const aclTensor* v, const aclTensor* real_shift, const aclTensor* drop_mask,
    const aclTensor* padding_mask, const aclTensor* mask, const void* prefix, double scale, double keep_prob,
    int64_t pre_tokens, int64_t next_tokens, int64_t head_num, char* layout, int64_t inner_precise, int64_t sparse_mode,
    const aclTensor* softmax_max, const aclTensor* softmax_sum, const aclTensor* softmax_out, const aclTensor* out,
    uint64_t* workspace_size, aclOpExecutor** executor) {
  const char* name = "aclnnFlashAttentionScore";
  if (planted_failure("aclnnFlashAttentionScoreGetWorkspaceSize")) {
    return fail(aclnn_inner, "fake: planted failure of aclnnFlashAttentionScoreGetWorkspaceSize");
  }
  if (layout == nullptr || std::string(layout) != "BNSD")
    return fail(aclnn_param_invalid, "fake: only inputLayout BNSD is simulated");
  for (const auto& [t, what] : {std::pair<const aclTensor*, const char*>{q, "query"},
                                {k, "key"},
                                {v, "value"},
                                {out, "attentionOut"},
                                {softmax_max, "softmaxMax"},
                                {softmax_sum, "softmaxSum"}}) {
    if (std::string why = bad_tensor(t, what, 4); !why.empty()) return fail(aclnn_param_invalid, "fake: " + why);
  }
  if (real_shift != nullptr || drop_mask != nullptr || padding_mask != nullptr || prefix != nullptr ||
      softmax_out != nullptr || keep_prob != 1.0 || inner_precise != 0) {
    return fail(aclnn_param_invalid,
                "fake: pse, dropout, padding, prefix, softmaxOut and innerPrecise are not simulated");
  }
  const std::int64_t b = q->dims[0], n = q->dims[1], sq = q->dims[2], d = q->dims[3];
  const std::int64_t nkv = k->dims[1], skv = k->dims[2];
  if (k->dims != v->dims || k->dims[0] != b || k->dims[3] != d || out->dims != q->dims || head_num != n || nkv == 0 ||
      n % nkv != 0) {
    return fail(aclnn_param_invalid, fmt::format("fake: {}: query {} key {} value {} out {} headNum {} do not fit BNSD",
                                                 name, describe(q), describe(k), describe(v), describe(out), head_num));
  }
  if (q->dtype != k->dtype || q->dtype != v->dtype || q->dtype != out->dtype ||
      (q->dtype != 0 && q->dtype != 1 && q->dtype != 27)) {
    return fail(aclnn_param_invalid, "fake: query, key, value and out must share float16, bfloat16 or float32");
  }
  const std::vector<std::int64_t> stats{b, n, sq, 8};
  if (softmax_max->dims != stats || softmax_sum->dims != stats || softmax_max->dtype != 0 || softmax_sum->dtype != 0) {
    return fail(aclnn_param_invalid, "fake: softmaxMax/Sum must be float32 [B,N,Sq,8]");
  }
  if (sparse_mode == 0) {
    if (mask != nullptr) return fail(aclnn_param_invalid, "fake: sparseMode 0 with a mask is not simulated");
  } else if (sparse_mode == 2 || sparse_mode == 3) {
    if (mask == nullptr || (mask->dtype != 4 && mask->dtype != 12) || !fake_cann_is_device(mask->data, extent(mask)) ||
        !compressed_causal_mask(mask)) {
      return fail(aclnn_param_invalid,
                  "fake: sparseMode 2/3 needs the compressed 2048x2048 causal attenMask (uint8/bool)");
    }
  } else {
    return fail(aclnn_param_invalid, fmt::format("fake: sparseMode {} is not simulated", sparse_mode));
  }
  const std::string log = fmt::format(
      "query={} key={} value={} out={} headNum={} scale={} sparseMode={} preTokens={} nextTokens={}", describe(q),
      describe(k), describe(v), describe(out), head_num, scale, sparse_mode, pre_tokens, next_tokens);
  return make_executor(
      name, 2 << 20, log,
      [=] {
        std::vector<double> scores(static_cast<std::size_t>(skv));
        for (std::int64_t bi = 0; bi < b; ++bi) {
          for (std::int64_t h = 0; h < n; ++h) {
            const std::int64_t hk = h / (n / nkv);
            for (std::int64_t i = 0; i < sq; ++i) {
              // rightDownCausal: the diagonal ends in the bottom-right corner; leftUpCausal: top-left.
              std::int64_t keys = sparse_mode == 3 ? i + (skv - sq) + 1 : sparse_mode == 2 ? i + 1 : skv;
              keys = std::clamp<std::int64_t>(keys, 0, skv);
              double max_score = -INFINITY, sum = 0.0;
              for (std::int64_t j = 0; j < keys; ++j) {
                double dot = 0.0;
                for (std::int64_t x = 0; x < d; ++x) dot += load(q, {bi, h, i, x}) * load(k, {bi, hk, j, x});
                scores[static_cast<std::size_t>(j)] = dot * scale;
                max_score = std::max(max_score, dot * scale);
              }
              for (std::int64_t j = 0; j < keys; ++j) {
                scores[static_cast<std::size_t>(j)] = std::exp(scores[static_cast<std::size_t>(j)] - max_score);
                sum += scores[static_cast<std::size_t>(j)];
              }
              for (std::int64_t x = 0; x < d; ++x) {
                double o = 0.0;
                for (std::int64_t j = 0; j < keys; ++j)
                  o += scores[static_cast<std::size_t>(j)] * load(v, {bi, hk, j, x});
                store(out, {bi, h, i, x}, keys > 0 ? o / sum : 0.0);
              }
              for (std::int64_t lane = 0; lane < 8; ++lane) {
                store(softmax_max, {bi, h, i, lane}, keys > 0 ? max_score : 0.0);
                store(softmax_sum, {bi, h, i, lane}, sum);
              }
            }
          }
        }
        if (planted_wrong_result()) store(out, {0, 0, sq - 1, 0}, load(out, {0, 0, sq - 1, 0}) + 0.5);
      },
      workspace_size, executor);
}
FAKE_EXPORT int aclnnFlashAttentionScore(void* workspace, uint64_t size, aclOpExecutor* executor, void* stream) {
  return run_executor("aclnnFlashAttentionScore", workspace, size, executor, stream);
}
#endif
