#include "reports/llm/model_description.hpp"

#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdlib>
#include <filesystem>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "kernels/spec/errors.hpp"
#include "kernels/spec/suggest.hpp"
#include "reports/model/json_input.hpp"

namespace accelbench {
namespace {

namespace fs = std::filesystem;

// Sizes beyond any real model are typos (and would overflow the byte counts).
constexpr std::int64_t max_dimension = 1 << 24;

std::int64_t dimension(const json_cursor& f) {
  const std::int64_t v = f.integer(1);
  if (v > max_dimension) f.fail(fmt::format("expected an integer from 1 to {}", max_dimension));
  return v;
}

dtype storage_dtype(const json_cursor& f) {
  const auto t = dtype_from_string(f.string());
  if (!t || *t == dtype::s32) {
    f.fail(fmt::format("'{}' is not a storage dtype; accepted: bf16, f16, f32, f8e4m3, f8e5m2, s8", f.string()));
  }
  return *t;
}

std::string normalized(std::string_view name) {
  std::string out;
  for (char c : name) {
    if (c == ' ' || c == '-' || c == '_' || c == '.') continue;
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

std::string executable_dir() {
  std::array<char, 4096> buffer{};
  const ssize_t n = readlink("/proc/self/exe", buffer.data(), buffer.size() - 1);
  if (n <= 0) return {};
  return fs::path(std::string(buffer.data(), static_cast<std::size_t>(n))).parent_path().string();
}

}  // namespace

std::int64_t model_description::layer_matmul_parameters() const {
  const std::int64_t qkv = hidden * (heads + 2 * kv_heads) * head_dim;
  const std::int64_t o = heads * head_dim * hidden;
  const std::int64_t mlp = (ffn_type == ffn_kind::gated ? 3 : 2) * hidden * ffn;
  return qkv + o + mlp;
}

std::int64_t model_description::parameters() const {
  // Norm weights (2 x hidden per layer) are left out: under 0.01 % of any model here.
  const std::int64_t embedding = vocab * hidden;
  return layers * layer_matmul_parameters() + embedding + (tied_embeddings ? 0 : embedding);
}

std::int64_t model_description::weight_bytes() const { return parameters() * storage_bytes(weight_dtype); }

std::int64_t model_description::kv_bytes_per_token() const {
  return 2 * layers * kv_heads * head_dim * storage_bytes(kv_dtype);
}

model_description read_model_file(const std::string& path) {
  const nlohmann::ordered_json document = read_json_file(path, "a model file (docs/models.md) is expected");
  const json_cursor root(document, path);
  if (!document.is_object()) root.fail("expected a JSON object with \"kind\": \"model\" (docs/models.md)");
  root.only_keys(
      {"kind", "id", "name", "aliases", "layers", "hidden", "heads", "kv_heads", "head_dim", "ffn", "ffn_kind", "vocab",
       "tied_embeddings", "sliding_window", "weight_dtype", "kv_dtype", "sources", "notes"},
      "docs/models.md");
  if (root.at("kind").string() != "model") root.at("kind").fail("expected \"model\"");
  model_description m;
  m.origin = path;
  m.id = root.at("id").nonempty_string();
  m.name = root.at("name").nonempty_string();
  if (root.has("aliases")) m.aliases = root.at("aliases").strings();
  m.layers = dimension(root.at("layers"));
  m.hidden = dimension(root.at("hidden"));
  m.heads = dimension(root.at("heads"));
  m.kv_heads = dimension(root.at("kv_heads"));
  m.head_dim = dimension(root.at("head_dim"));
  m.ffn = dimension(root.at("ffn"));
  m.vocab = dimension(root.at("vocab"));
  if (m.heads % m.kv_heads != 0) {
    root.at("kv_heads").fail(fmt::format("must divide heads ({}): grouped-query attention", m.heads));
  }
  const std::string kind = root.at("ffn_kind").string();
  if (kind == "gated") {
    m.ffn_type = ffn_kind::gated;
  } else if (kind == "plain") {
    m.ffn_type = ffn_kind::plain;
  } else {
    root.at("ffn_kind").fail(fmt::format("'{}': accepted: gated (SwiGLU: gate, up, down), plain (up, down)", kind));
  }
  m.tied_embeddings = root.at("tied_embeddings").boolean();
  // Checked in floating point before any integer count is formed (they would overflow).
  const double per_layer = double(m.hidden) * double(m.heads + 2 * m.kv_heads) * double(m.head_dim) +
                           double(m.heads) * double(m.head_dim) * double(m.hidden) +
                           3.0 * double(m.hidden) * double(m.ffn);
  if (double(m.layers) * per_layer + 2.0 * double(m.vocab) * double(m.hidden) > 1e15) {
    root.at("layers").fail("the sizes give over 10^15 parameters: check layers, hidden, heads, head_dim, ffn");
  }
  if (!root.at("sliding_window").is_null()) m.sliding_window = dimension(root.at("sliding_window"));
  m.weight_dtype = storage_dtype(root.at("weight_dtype"));
  m.kv_dtype = storage_dtype(root.at("kv_dtype"));
  const json_cursor sources = root.at("sources");
  for (std::size_t i = 0; i < sources.array_size(); ++i) {
    const json_cursor s = sources.index(i);
    s.only_keys({"title", "url"});
    m.sources.push_back({s.at("title").nonempty_string(), s.at("url").nonempty_string()});
  }
  if (m.sources.empty()) sources.fail("every model needs at least one source (title and url)");
  if (root.has("notes")) m.notes = root.at("notes").string();
  return m;
}

std::string find_models_directory(const std::string& override_dir) {
  if (!override_dir.empty()) return override_dir;
  if (const char* env = std::getenv("ACCELBENCH_MODELS_DIR"); env != nullptr && *env != '\0') return env;
  std::vector<std::string> tried;
  if (const std::string exe_dir = executable_dir(); !exe_dir.empty()) {
    const fs::path installed = fs::path(exe_dir) / ".." / "share" / "accelbench" / "models";
    std::error_code error;
    if (fs::is_directory(installed, error)) return fs::weakly_canonical(installed, error).string();
    tried.push_back(installed.lexically_normal().string());
  }
#ifdef ACCELBENCH_SOURCE_MODELS_DIR
  if (std::error_code error; fs::is_directory(ACCELBENCH_SOURCE_MODELS_DIR, error)) return ACCELBENCH_SOURCE_MODELS_DIR;
  tried.push_back(ACCELBENCH_SOURCE_MODELS_DIR);
#endif
  throw input_error(
      fmt::format("model directory not found (tried {}); pass --models-dir DIR or set ACCELBENCH_MODELS_DIR",
                  fmt::join(tried, ", ")));
}

std::vector<model_description> load_models(const std::string& directory) {
  std::error_code error;
  if (!fs::is_directory(directory, error)) {
    throw input_error(fmt::format("model directory '{}': not a directory (set --models-dir)", directory));
  }
  std::vector<model_description> models;
  for (const auto& item : fs::directory_iterator(directory)) {
    if (item.path().extension() == ".json") models.push_back(read_model_file(item.path().string()));
  }
  std::sort(models.begin(), models.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  for (std::size_t i = 1; i < models.size(); ++i) {
    if (models[i].id == models[i - 1].id) {
      throw input_error(fmt::format("{}: field 'id': '{}' is also the id of {}", models[i].origin, models[i].id,
                                    models[i - 1].origin));
    }
  }
  return models;
}

model_description find_model(const std::string& name, const std::string& directory) {
  std::error_code error;
  if (name.size() > 5 && name.ends_with(".json")) return read_model_file(name);
  if (name.find('/') != std::string::npos && fs::is_regular_file(name, error)) return read_model_file(name);
  std::vector<model_description> models = load_models(directory);
  std::vector<std::string> ids;
  for (model_description& m : models) {
    ids.push_back(m.id);
    if (normalized(m.id) == normalized(name)) return m;
    for (const std::string& alias : m.aliases) {
      if (normalized(alias) == normalized(name)) return m;
    }
  }
  throw input_error(fmt::format("model '{}' is not known (accepted: {} in {}, or a model file PATH.json){}", name,
                                fmt::join(ids, ", "), directory, did_you_mean(name, ids)));
}

}  // namespace accelbench
