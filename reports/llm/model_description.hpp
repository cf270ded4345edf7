#pragma once
// An LLM's architecture as data (models/*.json, docs/models.md): what the lowering needs to turn
// the model into our GEMM and attention workloads, and what the memory fit needs to size its
// weights and KV cache. A user adds a model by writing one more file.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "kernels/spec/dtype.hpp"

namespace accelbench {

// gated: SwiGLU/GeGLU, three matrices (gate and up hidden x ffn, down ffn x hidden);
// plain: two matrices (up and down).
enum class ffn_kind { gated, plain };

struct model_source {
  std::string title, url;
};

struct model_description {
  std::string id, name;
  std::vector<std::string> aliases;
  std::int64_t layers = 0, hidden = 0, heads = 0, kv_heads = 0, head_dim = 0, ffn = 0, vocab = 0;
  ffn_kind ffn_type = ffn_kind::gated;
  bool tied_embeddings = false;
  std::optional<std::int64_t> sliding_window;  // keys each query sees; null = full attention
  dtype weight_dtype = dtype::bf16, kv_dtype = dtype::bf16;
  std::vector<model_source> sources;
  std::string notes;
  std::string origin;  // the file it came from

  // Weights of the matrices a token passes through (projections, FFN, LM head) and of the
  // embedding table (counted once when tied to the LM head).
  std::int64_t layer_matmul_parameters() const;
  std::int64_t parameters() const;
  std::int64_t weight_bytes() const;
  // K and V of one token over every layer.
  std::int64_t kv_bytes_per_token() const;
};

// Reads one model file; throws input_error naming the file and the field.
model_description read_model_file(const std::string& path);

// The models shipped with the project: `override_dir` if given, else $ACCELBENCH_MODELS_DIR,
// else <exe dir>/../share/accelbench/models (an install tree), else the source tree's models/.
std::string find_models_directory(const std::string& override_dir);

// Every *.json in the directory, sorted by id.
std::vector<model_description> load_models(const std::string& directory);

// A model by id or alias (case, '-', '_' and '.' ignored) from the directory, or, when `name`
// ends in .json or names an existing file, that file. Throws input_error listing the known ids.
model_description find_model(const std::string& name, const std::string& directory);

}  // namespace accelbench
