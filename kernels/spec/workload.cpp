#include "kernels/spec/workload.hpp"

#include <charconv>
#include <cmath>
#include <map>
#include <vector>

#include <fmt/format.h>

#include "kernels/spec/checked_math.hpp"
#include "kernels/spec/errors.hpp"
#include "kernels/spec/suggest.hpp"

namespace accelbench {
namespace {

constexpr std::string_view gemm_form =
    "gemm:m=<int>,n=<int>,k=<int>,dt=<in>[:<out>[:<acc>]][,ta=n|t][,tb=n|t][,batch=<int>]";
constexpr std::string_view attn_form =
    "attn:b=<int>,hq=<int>,hkv=<int>,sq=<int>,skv=<int>,d=<int>,causal=0|1,dt=<in>[:<out>[:<acc>]][,window=<int>]";

// key=value pairs in the order written; duplicates and empty keys are rejected.
std::map<std::string, std::string> split_fields(std::string_view body, std::string_view text, std::string_view form) {
  std::map<std::string, std::string> fields;
  std::size_t pos = 0;
  while (pos <= body.size()) {
    const std::size_t comma = body.find(',', pos);
    const std::string_view item =
        body.substr(pos, comma == std::string_view::npos ? std::string_view::npos : comma - pos);
    const std::size_t eq = item.find('=');
    if (eq == std::string_view::npos || eq == 0 || eq + 1 == item.size()) {
      throw input_error(fmt::format("workload '{}': field '{}' is not key=value; accepted form: {}", text, item, form));
    }
    std::string key(item.substr(0, eq));
    if (!fields.emplace(key, std::string(item.substr(eq + 1))).second) {
      throw input_error(fmt::format("workload '{}': field '{}' given twice; accepted form: {}", text, key, form));
    }
    if (comma == std::string_view::npos) break;
    pos = comma + 1;
  }
  return fields;
}

std::int64_t parse_dimension(const std::map<std::string, std::string>& fields, const std::string& key,
                             std::string_view text, std::string_view form, std::int64_t fallback = -1) {
  const auto it = fields.find(key);
  if (it == fields.end()) {
    if (fallback >= 0) return fallback;
    throw input_error(fmt::format("workload '{}': missing field '{}'; accepted form: {}", text, key, form));
  }
  const std::string& value = it->second;
  std::int64_t result = 0;
  const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), result);
  if (ec == std::errc::result_out_of_range) {
    throw input_error(
        fmt::format("workload '{}': field '{}={}' overflows 64 bits; expected a positive integer", text, key, value));
  }
  if (ec != std::errc() || end != value.data() + value.size() || result <= 0) {
    throw input_error(fmt::format("workload '{}': field '{}={}' must be a positive integer", text, key, value));
  }
  return result;
}

bool parse_flag(const std::map<std::string, std::string>& fields, const std::string& key, std::string_view off,
                std::string_view on, std::string_view text) {
  const auto it = fields.find(key);
  if (it == fields.end()) return false;
  if (it->second == off) return false;
  if (it->second == on) return true;
  throw input_error(fmt::format("workload '{}': field '{}={}' must be {} or {}", text, key, it->second, off, on));
}

dtype_spec parse_dtype_spec(const std::map<std::string, std::string>& fields, std::string_view text,
                            std::string_view form) {
  const auto it = fields.find("dt");
  if (it == fields.end()) {
    throw input_error(fmt::format("workload '{}': missing field 'dt'; accepted form: {}", text, form));
  }
  std::vector<dtype> parts;
  std::string_view rest = it->second;
  while (true) {
    const std::size_t colon = rest.find(':');
    const std::string_view name = rest.substr(0, colon);
    const auto parsed = dtype_from_string(name);
    if (!parsed) {
      static const std::vector<std::string> names{"f64", "f32",    "tf32",   "hf32", "bf16",
                                                  "f16", "f8e4m3", "f8e5m2", "s8",   "s32"};
      throw input_error(fmt::format("workload '{}': field 'dt={}': unknown dtype '{}'{}; accepted: {}", text,
                                    it->second, name, did_you_mean(name, names), dtype_accepted_form()));
    }
    parts.push_back(*parsed);
    if (colon == std::string_view::npos) break;
    rest = rest.substr(colon + 1);
  }
  if (parts.size() > 3) {
    throw input_error(
        fmt::format("workload '{}': field 'dt={}' has more than 3 parts; accepted form: dt=<in>[:<out>[:<acc>]]", text,
                    it->second));
  }
  dtype_spec spec;
  spec.in = parts[0];
  const bool integer_input = spec.in == dtype::s8;
  spec.out = parts.size() > 1 ? parts[1] : (integer_input ? dtype::s32 : spec.in);
  spec.acc = parts.size() > 2 ? parts[2] : (integer_input ? dtype::s32 : dtype::f32);
  if (spec.in == dtype::s32) {
    throw input_error(fmt::format("workload '{}': field 'dt': s32 is an output/accumulator type, not an input", text));
  }
  return spec;
}

std::string format_dtype_spec(const dtype_spec& spec, bool all_keys) {
  const bool integer_input = spec.in == dtype::s8;
  const dtype default_out = integer_input ? dtype::s32 : spec.in;
  const dtype default_acc = integer_input ? dtype::s32 : dtype::f32;
  std::string text(to_string(spec.in));
  if (all_keys || spec.out != default_out || spec.acc != default_acc) {
    text += fmt::format(":{}", to_string(spec.out));
    if (all_keys || spec.acc != default_acc) text += fmt::format(":{}", to_string(spec.acc));
  }
  return text;
}

void reject_unknown(const std::map<std::string, std::string>& fields, std::initializer_list<std::string_view> known,
                    std::string_view text, std::string_view form) {
  for (const auto& [key, value] : fields) {
    bool found = false;
    for (std::string_view k : known) found = found || k == key;
    if (!found) throw input_error(fmt::format("workload '{}': unknown field '{}'; accepted form: {}", text, key, form));
  }
}

gemm_workload parse_gemm(std::string_view body, std::string_view text) {
  const auto fields = split_fields(body, text, gemm_form);
  reject_unknown(fields, {"m", "n", "k", "batch", "ta", "tb", "dt"}, text, gemm_form);
  gemm_workload w;
  w.m = parse_dimension(fields, "m", text, gemm_form);
  w.n = parse_dimension(fields, "n", text, gemm_form);
  w.k = parse_dimension(fields, "k", text, gemm_form);
  w.batch = parse_dimension(fields, "batch", text, gemm_form, 1);
  w.trans_a = parse_flag(fields, "ta", "n", "t", text);
  w.trans_b = parse_flag(fields, "tb", "n", "t", text);
  w.dt = parse_dtype_spec(fields, text, gemm_form);
  return w;
}

attention_workload parse_attention(std::string_view body, std::string_view text) {
  const auto fields = split_fields(body, text, attn_form);
  reject_unknown(fields, {"b", "hq", "hkv", "sq", "skv", "d", "causal", "dt", "window"}, text, attn_form);
  attention_workload w;
  w.b = parse_dimension(fields, "b", text, attn_form);
  w.hq = parse_dimension(fields, "hq", text, attn_form);
  w.hkv = parse_dimension(fields, "hkv", text, attn_form);
  w.sq = parse_dimension(fields, "sq", text, attn_form);
  w.skv = parse_dimension(fields, "skv", text, attn_form);
  w.d = parse_dimension(fields, "d", text, attn_form);
  w.causal = parse_flag(fields, "causal", "0", "1", text);
  w.dt = parse_dtype_spec(fields, text, attn_form);
  if (fields.count("window") != 0) {
    w.window = parse_dimension(fields, "window", text, attn_form);
    // A window is defined relative to the query's causal position; without causal=1 there is
    // none (Mistral and Gemma-2 only use it causally), so it is refused rather than guessed.
    if (!w.causal) {
      throw input_error(
          fmt::format("workload '{}': field 'window' needs causal=1 (key j is visible to query i iff "
                      "i-window < j <= i); accepted form: {}",
                      text, attn_form));
    }
  }
  if (w.hq % w.hkv != 0) {
    throw input_error(fmt::format(
        "workload '{}': field 'hq={}' must be a multiple of 'hkv={}' (grouped-query attention)", text, w.hq, w.hkv));
  }
  if (is_integer(w.dt.in)) {
    throw input_error(fmt::format("workload '{}': field 'dt': attention needs a floating-point dtype", text));
  }
  return w;
}

}  // namespace

workload parse_workload(std::string_view text) {
  const std::size_t colon = text.find(':');
  const std::string_view kind = text.substr(0, colon);
  if (colon == std::string_view::npos || colon + 1 == text.size()) {
    throw input_error(
        fmt::format("workload '{}': expected <kind>:<fields>, kind gemm or attn; e.g. {}", text, gemm_form));
  }
  const std::string_view body = text.substr(colon + 1);
  workload w;
  if (kind == "gemm") {
    w = parse_gemm(body, text);
  } else if (kind == "attn") {
    w = parse_attention(body, text);
  } else {
    throw input_error(fmt::format("workload '{}': unknown kind '{}'; accepted: gemm, attn", text, kind));
  }
  // Sizes must be representable: computing them here rejects overflow at parse time.
  (void)flops(w);
  (void)io_bytes(w);
  return w;
}

std::string to_string(const dtype_spec& dt) {
  return fmt::format("{}:{}:{}", to_string(dt.in), to_string(dt.out), to_string(dt.acc));
}

std::string to_string(const workload& w, bool all_keys) {
  if (const auto* g = std::get_if<gemm_workload>(&w)) {
    std::string text = fmt::format("gemm:m={},n={},k={}", g->m, g->n, g->k);
    if (all_keys || g->trans_a) text += fmt::format(",ta={}", g->trans_a ? 't' : 'n');
    if (all_keys || g->trans_b) text += fmt::format(",tb={}", g->trans_b ? 't' : 'n');
    text += ",dt=" + format_dtype_spec(g->dt, all_keys);
    if (all_keys || g->batch != 1) text += fmt::format(",batch={}", g->batch);
    return text;
  }
  const auto& a = std::get<attention_workload>(w);
  std::string text = fmt::format("attn:b={},hq={},hkv={},sq={},skv={},d={},causal={},dt={}", a.b, a.hq, a.hkv, a.sq,
                                 a.skv, a.d, a.causal ? 1 : 0, format_dtype_spec(a.dt, all_keys));
  // No window is the absence of the field (there is no window=0 to print for all_keys).
  if (a.window > 0) text += fmt::format(",window={}", a.window);
  return text;
}

std::string_view kind_name(const workload& w) { return std::holds_alternative<gemm_workload>(w) ? "gemm" : "attn"; }

dtype_spec dtypes_of(const workload& w) {
  return std::visit([](const auto& x) { return x.dt; }, w);
}

double default_softmax_scale(const attention_workload& w) { return 1.0 / std::sqrt(static_cast<double>(w.d)); }

std::int64_t causal_key_limit(const attention_workload& w, std::int64_t query_row) {
  if (!w.causal) return w.skv;
  const std::int64_t limit = query_row + (w.skv - w.sq) + 1;
  return limit < 0 ? 0 : (limit > w.skv ? w.skv : limit);
}

std::int64_t window_key_start(const attention_workload& w, std::int64_t query_row) {
  if (!w.causal || w.window <= 0) return 0;
  const std::int64_t start = query_row + (w.skv - w.sq) + 1 - w.window;
  return start < 0 ? 0 : (start > w.skv ? w.skv : start);
}

namespace {

// sum over rows i in [0, sq) of clamp(i + offset + 1, 0, skv): the keys before the causal limit
// of row i when the limit is shifted by `offset` (skv - sq for the causal limit itself).
__int128 clamped_prefix_sum(std::int64_t sq, std::int64_t skv, std::int64_t offset) {
  const __int128 lo = static_cast<__int128>(offset) + 1, hi = static_cast<__int128>(offset) + sq;  // unclamped values
  __int128 sum = 0;
  const __int128 a = std::max<__int128>(lo, 1), b = std::min<__int128>(hi, skv);  // values inside (0, skv]
  if (a <= b) sum += (a + b) * (b - a + 1) / 2;
  const __int128 above = hi - std::max<__int128>(lo, static_cast<__int128>(skv) + 1) + 1;  // values clamped to skv
  if (above > 0) sum += above * skv;
  return sum;
}

}  // namespace

std::int64_t attended_pairs(const attention_workload& w) {
  if (!w.causal) return checked_product({w.sq, w.skv}, "attention sq*skv");
  // Row i attends keys [start_i, limit_i) with limit_i = clamp(i + skv - sq + 1, 0, skv) and,
  // with a window, start_i = clamp(limit_i's unclamped value - window, 0, skv): both sums are
  // the same clamped arithmetic run, shifted.
  __int128 sum = clamped_prefix_sum(w.sq, w.skv, w.skv - w.sq);
  if (w.window > 0) sum -= clamped_prefix_sum(w.sq, w.skv, w.skv - w.sq - w.window);
  if (sum > INT64_MAX) throw input_error("attention causal pair count overflows 64 bits; use smaller dimensions");
  return static_cast<std::int64_t>(sum);
}

std::int64_t flops(const workload& w) {
  if (const auto* g = std::get_if<gemm_workload>(&w)) {
    return checked_product({2, g->m, g->n, g->k, g->batch}, "gemm flops 2*m*n*k*batch");
  }
  const auto& a = std::get<attention_workload>(w);
  return checked_product({4, a.b, a.hq, a.d, attended_pairs(a)}, "attention flops 4*b*hq*pairs*d");
}

std::string_view flop_convention(const workload& w) {
  if (std::holds_alternative<gemm_workload>(w)) return "gemm-2mnk-v1";
  return std::get<attention_workload>(w).window > 0 ? "attn-fwd-4pd-exact-window-v1" : "attn-fwd-4pd-exact-causal-v1";
}

std::int64_t io_bytes(const workload& w) {
  if (const auto* g = std::get_if<gemm_workload>(&w)) {
    const std::int64_t in = storage_bytes(g->dt.in);
    const std::int64_t out = storage_bytes(g->dt.out);
    const std::int64_t a = checked_product({g->batch, g->m, g->k, in}, "gemm A bytes");
    const std::int64_t b = checked_product({g->batch, g->k, g->n, in}, "gemm B bytes");
    const std::int64_t c = checked_product({g->batch, g->m, g->n, out}, "gemm C bytes");
    return checked_add(checked_add(a, b, "gemm bytes"), c, "gemm bytes");
  }
  const auto& a = std::get<attention_workload>(w);
  const std::int64_t in = storage_bytes(a.dt.in);
  const std::int64_t out = storage_bytes(a.dt.out);
  const std::int64_t q = checked_product({a.b, a.hq, a.sq, a.d, in}, "attention Q bytes");
  const std::int64_t kv = checked_product({2, a.b, a.hkv, a.skv, a.d, in}, "attention K,V bytes");
  const std::int64_t o = checked_product({a.b, a.hq, a.sq, a.d, out}, "attention O bytes");
  return checked_add(checked_add(q, kv, "attention bytes"), o, "attention bytes");
}

std::int64_t min_bytes(const workload& w) {
  const auto* a = std::get_if<attention_workload>(&w);
  if (a == nullptr || a->window <= 0) return io_bytes(w);
  // K and V rows no query can see are no traffic: a windowed decode query reads W rows, not skv.
  const std::int64_t hidden_rows = a->skv - (causal_key_limit(*a, a->sq - 1) - window_key_start(*a, 0));
  const std::int64_t hidden =
      checked_product({2, a->b, a->hkv, hidden_rows, a->d, storage_bytes(a->dt.in)}, "attention K,V bytes");
  return io_bytes(w) - hidden;
}

std::vector<std::int64_t> input_element_counts(const workload& w) {
  if (const auto* g = std::get_if<gemm_workload>(&w)) return {g->a_elements(), g->b_elements()};
  const auto& a = std::get<attention_workload>(w);
  return {a.q_elements(), a.kv_elements(), a.kv_elements()};
}

std::int64_t output_element_count(const workload& w) {
  if (const auto* g = std::get_if<gemm_workload>(&w)) return g->c_elements();
  return std::get<attention_workload>(w).o_elements();
}

}  // namespace accelbench
