// Workload descriptors: parsing, canonical printing, FLOP and byte conventions, input errors.
#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "kernels/spec/errors.hpp"
#include "kernels/spec/workload.hpp"

using namespace accelbench;

namespace {

// Parses `text` expecting an input_error whose message contains every one of `needles`.
void require_input_error(const std::string& text, const std::vector<std::string>& needles) {
  INFO("workload text: " << text);
  try {
    (void)parse_workload(text);
    FAIL("expected accelbench::input_error, parse succeeded");
  } catch (const input_error& e) {
    const std::string message = e.what();
    INFO("message: " << message);
    CHECK(message.find('\n') == std::string::npos);  // one line
    for (const std::string& needle : needles) CHECK(message.find(needle) != std::string::npos);
  }
}

gemm_workload gemm_of(const std::string& text) {
  const workload w = parse_workload(text);
  REQUIRE(std::holds_alternative<gemm_workload>(w));
  return std::get<gemm_workload>(w);
}

attention_workload attn_of(const std::string& text) {
  const workload w = parse_workload(text);
  REQUIRE(std::holds_alternative<attention_workload>(w));
  return std::get<attention_workload>(w);
}

attention_workload attn_shape(std::int64_t sq, std::int64_t skv, bool causal, std::int64_t b = 1, std::int64_t hq = 1,
                              std::int64_t hkv = 1, std::int64_t d = 1) {
  attention_workload a;
  a.b = b;
  a.hq = hq;
  a.hkv = hkv;
  a.sq = sq;
  a.skv = skv;
  a.d = d;
  a.causal = causal;
  return a;
}

}  // namespace

TEST_CASE("gemm workload fields are parsed", "[workload]") {
  const gemm_workload g = gemm_of("gemm:m=4096,n=1024,k=512,dt=bf16,ta=t,tb=t,batch=4");
  CHECK(g.m == 4096);
  CHECK(g.n == 1024);
  CHECK(g.k == 512);
  CHECK(g.batch == 4);
  CHECK(g.trans_a);
  CHECK(g.trans_b);
  CHECK(g.dt.in == dtype::bf16);
  CHECK(g.dt.out == dtype::bf16);
  CHECK(g.dt.acc == dtype::f32);

  const gemm_workload plain = gemm_of("gemm:m=1,n=2,k=3,dt=f32");
  CHECK(plain.batch == 1);
  CHECK_FALSE(plain.trans_a);
  CHECK_FALSE(plain.trans_b);
  CHECK(gemm_of("gemm:m=1,n=2,k=3,dt=f32,ta=n,tb=n") == plain);
}

TEST_CASE("dtype specs: out and acc defaults", "[workload]") {
  CHECK(gemm_of("gemm:m=1,n=1,k=1,dt=f32").dt == dtype_spec{dtype::f32, dtype::f32, dtype::f32});
  CHECK(gemm_of("gemm:m=1,n=1,k=1,dt=bf16").dt == dtype_spec{dtype::bf16, dtype::bf16, dtype::f32});
  CHECK(gemm_of("gemm:m=1,n=1,k=1,dt=bf16:f32").dt == dtype_spec{dtype::bf16, dtype::f32, dtype::f32});
  CHECK(gemm_of("gemm:m=1,n=1,k=1,dt=f16:f16:f16").dt == dtype_spec{dtype::f16, dtype::f16, dtype::f16});
  // Integer inputs default to s32 output and accumulation.
  CHECK(gemm_of("gemm:m=1,n=1,k=1,dt=s8").dt == dtype_spec{dtype::s8, dtype::s32, dtype::s32});
  CHECK(gemm_of("gemm:m=1,n=1,k=1,dt=s8:s32").dt == dtype_spec{dtype::s8, dtype::s32, dtype::s32});
  CHECK(gemm_of("gemm:m=1,n=1,k=1,dt=f8e4m3:f32").dt == dtype_spec{dtype::f8e4m3, dtype::f32, dtype::f32});
}

TEST_CASE("canonical text: fixed key order, defaults omitted", "[workload]") {
  CHECK(to_string(parse_workload("gemm:dt=f32,k=3,batch=1,n=2,m=1,ta=n")) == "gemm:m=1,n=2,k=3,dt=f32");
  CHECK(to_string(parse_workload("gemm:batch=4,tb=t,dt=bf16:f32,k=3,n=2,m=1")) ==
        "gemm:m=1,n=2,k=3,tb=t,dt=bf16:f32,batch=4");
  CHECK(to_string(parse_workload("gemm:m=1,n=2,k=3,ta=t,dt=bf16:bf16:f32")) == "gemm:m=1,n=2,k=3,ta=t,dt=bf16");
  CHECK(to_string(parse_workload("gemm:m=1,n=2,k=3,dt=s8:s32:s32")) == "gemm:m=1,n=2,k=3,dt=s8");
  CHECK(to_string(parse_workload("gemm:m=1,n=2,k=3,dt=s8:s32:f32")) == "gemm:m=1,n=2,k=3,dt=s8:s32:f32");
  // A non-default accumulator forces the output to be written too.
  CHECK(to_string(parse_workload("gemm:m=1,n=2,k=3,dt=f16:f16:f16")) == "gemm:m=1,n=2,k=3,dt=f16:f16:f16");
  // Attention always prints causal.
  CHECK(to_string(parse_workload("attn:dt=f32,d=64,skv=9,sq=8,hkv=2,hq=4,b=1")) ==
        "attn:b=1,hq=4,hkv=2,sq=8,skv=9,d=64,causal=0,dt=f32");
  CHECK(to_string(parse_workload("attn:b=1,hq=4,hkv=2,sq=8,skv=9,d=64,causal=1,dt=bf16:f32")) ==
        "attn:b=1,hq=4,hkv=2,sq=8,skv=9,d=64,causal=1,dt=bf16:f32");
}

TEST_CASE("to_string with all keys prints every default", "[workload]") {
  CHECK(to_string(parse_workload("gemm:m=1,n=2,k=3,dt=f32"), true) ==
        "gemm:m=1,n=2,k=3,ta=n,tb=n,dt=f32:f32:f32,batch=1");
  CHECK(to_string(parse_workload("gemm:m=1,n=2,k=3,dt=s8,ta=t"), true) ==
        "gemm:m=1,n=2,k=3,ta=t,tb=n,dt=s8:s32:s32,batch=1");
  CHECK(to_string(parse_workload("attn:b=1,hq=4,hkv=2,sq=8,skv=9,d=64,dt=bf16"), true) ==
        "attn:b=1,hq=4,hkv=2,sq=8,skv=9,d=64,causal=0,dt=bf16:bf16:f32");
}

TEST_CASE("parse(print(x)) == x", "[workload]") {
  const std::vector<std::string> texts = {
      "gemm:m=1,n=1,k=1,dt=f32",
      "gemm:m=4096,n=4096,k=4096,dt=bf16",
      "gemm:m=17,n=33,k=65,ta=t,dt=f32",
      "gemm:m=17,n=33,k=65,tb=t,dt=f64",
      "gemm:m=257,n=129,k=383,ta=t,tb=t,dt=f32,batch=3",
      "gemm:m=16,n=6144,k=4096,dt=bf16:f32",
      "gemm:m=16,n=16,k=16,dt=bf16:f32:f32",
      "gemm:m=8,n=8,k=8,dt=f16:f16:f16,batch=2",
      "gemm:m=8,n=8,k=8,dt=s8",
      "gemm:m=8,n=8,k=8,dt=s8:s32:s32",
      "gemm:m=8,n=8,k=8,dt=f8e4m3:bf16",
      "gemm:m=8,n=8,k=8,dt=f8e5m2:f32:f32",
      "gemm:m=8,n=8,k=8,dt=tf32",
      "attn:b=1,hq=32,hkv=8,sq=4096,skv=4096,d=128,causal=1,dt=bf16",
      "attn:b=4,hq=16,hkv=16,sq=1,skv=32768,d=64,causal=0,dt=f32",
      "attn:b=2,hq=8,hkv=1,sq=512,skv=8192,d=128,causal=1,dt=bf16:f32",
      "attn:b=1,hq=2,hkv=2,sq=9,skv=3,d=16,causal=1,dt=f16:f16:f32",
      "attn:b=1,hq=32,hkv=8,sq=16384,skv=16384,d=128,causal=1,dt=bf16,window=4096",
      "attn:b=1,hq=2,hkv=2,sq=9,skv=3,d=16,causal=1,dt=f16:f32,window=1",
  };
  for (const std::string& text : texts) {
    INFO(text);
    const workload w = parse_workload(text);
    CHECK(parse_workload(to_string(w)) == w);
    CHECK(parse_workload(to_string(w, true)) == w);
    // Printing is idempotent: the canonical text of the canonical text is itself.
    CHECK(to_string(parse_workload(to_string(w))) == to_string(w));
  }
}

TEST_CASE("kind, dtypes and conventions", "[workload]") {
  const workload g = parse_workload("gemm:m=2,n=3,k=4,dt=bf16:f32");
  const workload a = parse_workload("attn:b=1,hq=2,hkv=1,sq=3,skv=4,d=8,dt=f16");
  CHECK(kind_name(g) == "gemm");
  CHECK(kind_name(a) == "attn");
  CHECK(dtypes_of(g) == dtype_spec{dtype::bf16, dtype::f32, dtype::f32});
  CHECK(dtypes_of(a) == dtype_spec{dtype::f16, dtype::f16, dtype::f32});
  CHECK(flop_convention(g) == "gemm-2mnk-v1");
  CHECK(flop_convention(a) == "attn-fwd-4pd-exact-causal-v1");
  // The window changes the pair count's formula, so it has its own convention.
  CHECK(flop_convention(parse_workload("attn:b=1,hq=2,hkv=1,sq=3,skv=4,d=8,causal=1,dt=f16,window=2")) ==
        "attn-fwd-4pd-exact-window-v1");
  // Keys print in canonical order, the window last; it is never printed when absent.
  CHECK(to_string(parse_workload("attn:window=4096,b=1,hq=2,hkv=1,sq=3,skv=4,d=8,causal=1,dt=f16")) ==
        "attn:b=1,hq=2,hkv=1,sq=3,skv=4,d=8,causal=1,dt=f16,window=4096");
  CHECK(to_string(a, true).find("window") == std::string::npos);
  // Compulsory traffic counts only the K and V rows some query sees; the buffers stay whole.
  const workload decode = parse_workload("attn:b=1,hq=4,hkv=2,sq=1,skv=100,d=8,causal=1,dt=f32,window=10");
  CHECK(min_bytes(decode) == (4 * 8 + 2 * 2 * 10 * 8 + 4 * 8) * 4);
  CHECK(io_bytes(decode) == (4 * 8 + 2 * 2 * 100 * 8 + 4 * 8) * 4);
  const workload prefill = parse_workload("attn:b=1,hq=4,hkv=2,sq=100,skv=100,d=8,causal=1,dt=f32,window=10");
  CHECK(min_bytes(prefill) == io_bytes(prefill));  // the last query sees the last keys, the first the first
  CHECK(default_softmax_scale(std::get<attention_workload>(
            parse_workload("attn:b=1,hq=1,hkv=1,sq=1,skv=1,d=64,dt=f32"))) == Approx(0.125));
}

TEST_CASE("gemm flops = 2*m*n*k*batch", "[workload][flops]") {
  CHECK(flops(parse_workload("gemm:m=3,n=5,k=7,dt=f32")) == 2 * 3 * 5 * 7);
  CHECK(flops(parse_workload("gemm:m=3,n=5,k=7,dt=f32,batch=2")) == 2 * 3 * 5 * 7 * 2);
  CHECK(flops(parse_workload("gemm:m=4096,n=4096,k=4096,ta=t,tb=t,dt=bf16")) == 2ll * 4096 * 4096 * 4096);
  CHECK(flops(parse_workload("gemm:m=1,n=1,k=1,dt=s8")) == 2);
  // Large but representable.
  CHECK(flops(parse_workload("gemm:m=1048576,n=1048576,k=1048576,dt=f32")) == (std::int64_t{1} << 61));
}

TEST_CASE("attention flops: 4*b*hq*d*pairs, non-causal pairs = sq*skv", "[workload][flops]") {
  CHECK(flops(parse_workload("attn:b=2,hq=8,hkv=2,sq=100,skv=300,d=64,causal=0,dt=f32")) ==
        4ll * 2 * 8 * 100 * 300 * 64);
  CHECK(flops(parse_workload("attn:b=1,hq=32,hkv=8,sq=1,skv=4096,d=128,causal=0,dt=bf16")) == 4ll * 32 * 4096 * 128);
  const attention_workload causal = attn_of("attn:b=3,hq=4,hkv=4,sq=64,skv=64,d=16,causal=1,dt=f32");
  CHECK(attended_pairs(causal) == 64 * 65 / 2);
  CHECK(flops(causal) == 4ll * 3 * 4 * 16 * (64 * 65 / 2));
}

TEST_CASE("causal pair count matches a brute-force mask (bottom-right aligned)", "[workload][flops]") {
  const std::vector<std::pair<std::int64_t, std::int64_t>> shapes = {
      {1, 1},    {1, 7},    {7, 1},    {2, 2},    {5, 5},     {3, 8},     {8, 3},      {64, 64},
      {17, 100}, {100, 17}, {1, 4096}, {4096, 1}, {128, 129}, {129, 128}, {512, 8192}, {300, 300},
  };
  for (const auto& [sq, skv] : shapes) {
    INFO("sq=" << sq << " skv=" << skv);
    const attention_workload w = attn_shape(sq, skv, true);
    std::int64_t brute = 0;
    for (std::int64_t i = 0; i < sq; ++i) {
      std::int64_t row_keys = 0;
      for (std::int64_t j = 0; j < skv; ++j) {
        if (j <= i + skv - sq) ++row_keys;  // row i sees keys j <= i + skv - sq
      }
      CHECK(causal_key_limit(w, i) == row_keys);
      brute += row_keys;
    }
    CHECK(attended_pairs(w) == brute);
    CHECK(flops(workload{w}) == 4 * brute);
    // Without the mask every pair counts and every row sees all keys.
    const attention_workload open = attn_shape(sq, skv, false);
    CHECK(attended_pairs(open) == sq * skv);
    CHECK(causal_key_limit(open, 0) == skv);
  }
  // The last query row always sees every key; with sq > skv the first rows see none.
  const attention_workload tall = attn_shape(10, 4, true);
  CHECK(causal_key_limit(tall, 9) == 4);
  CHECK(causal_key_limit(tall, 0) == 0);
  CHECK(causal_key_limit(tall, 6) == 1);
  // sq < skv: the first query row already sees the whole prefix.
  const attention_workload wide = attn_shape(4, 10, true);
  CHECK(causal_key_limit(wide, 0) == 7);
  CHECK(causal_key_limit(wide, 3) == 10);
}

TEST_CASE("sliding-window pair count matches a brute-force mask", "[workload][flops]") {
  const std::vector<std::pair<std::int64_t, std::int64_t>> shapes = {
      {1, 1}, {1, 7}, {7, 1}, {5, 5}, {3, 8}, {8, 3}, {64, 64}, {17, 100}, {100, 17}, {129, 128}, {300, 300},
  };
  for (const auto& [sq, skv] : shapes) {
    for (const std::int64_t window : {1, 2, 3, 7, 16, 64, 100, 299, 300, 301, 100000}) {
      INFO("sq=" << sq << " skv=" << skv << " window=" << window);
      attention_workload w = attn_shape(sq, skv, true);
      w.window = window;
      std::int64_t brute = 0;
      for (std::int64_t i = 0; i < sq; ++i) {
        // Mistral's rule, bottom-right aligned: i' = i + skv - sq sees i' - window < j <= i'.
        const std::int64_t last = i + skv - sq;
        std::int64_t first = -1, row_keys = 0;
        for (std::int64_t j = 0; j < skv; ++j) {
          if (j <= last && j > last - window) {
            if (first < 0) first = j;
            ++row_keys;
          }
        }
        if (row_keys > 0) {
          CHECK(window_key_start(w, i) == first);
          CHECK(causal_key_limit(w, i) == first + row_keys);
        } else {
          CHECK(causal_key_limit(w, i) == 0);
        }
        brute += row_keys;
      }
      CHECK(attended_pairs(w) == brute);
      CHECK(flops(workload{w}) == 4 * brute);
    }
  }
  // A window covering every key is plain causal attention (same pairs, different identity).
  attention_workload wide = attn_shape(300, 300, true);
  const std::int64_t causal_pairs = attended_pairs(wide);
  wide.window = 300;
  CHECK(attended_pairs(wide) == causal_pairs);
  // Mistral-7B's window at 16k tokens: 4096 keys for every row past the first 4096.
  const attention_workload mistral = attn_of("attn:b=1,hq=1,hkv=1,sq=16384,skv=16384,d=1,causal=1,dt=f32,window=4096");
  CHECK(attended_pairs(mistral) == 4096ll * 4097 / 2 + (16384ll - 4096) * 4096);
}

TEST_CASE("min_bytes: inputs read once, output written once", "[workload]") {
  // A 2x4, B 4x3, C 2x3 in f32.
  CHECK(min_bytes(parse_workload("gemm:m=2,n=3,k=4,dt=f32")) == (8 + 12 + 6) * 4);
  CHECK(min_bytes(parse_workload("gemm:m=2,n=3,k=4,dt=f32,batch=5")) == 5 * (8 + 12 + 6) * 4);
  CHECK(min_bytes(parse_workload("gemm:m=2,n=3,k=4,dt=bf16:f32")) == (8 + 12) * 2 + 6 * 4);
  CHECK(min_bytes(parse_workload("gemm:m=2,n=3,k=4,dt=s8")) == (8 + 12) * 1 + 6 * 4);
  CHECK(min_bytes(parse_workload("gemm:m=2,n=3,k=4,dt=f64")) == (8 + 12 + 6) * 8);
  // Q [b][hq][sq][d], K and V [b][hkv][skv][d], O like Q.
  const std::int64_t q = 2 * 8 * 10 * 16, kv = 2 * 2 * 30 * 16;
  CHECK(min_bytes(parse_workload("attn:b=2,hq=8,hkv=2,sq=10,skv=30,d=16,causal=1,dt=bf16")) == (q + 2 * kv + q) * 2);
  CHECK(min_bytes(parse_workload("attn:b=2,hq=8,hkv=2,sq=10,skv=30,d=16,dt=bf16:f32")) == (q + 2 * kv) * 2 + q * 4);
  CHECK(io_bytes(parse_workload("gemm:m=2,n=3,k=4,dt=f32")) == min_bytes(parse_workload("gemm:m=2,n=3,k=4,dt=f32")));
}

TEST_CASE("element counts of the inputs (ABI order) and the output", "[workload]") {
  const workload g = parse_workload("gemm:m=2,n=3,k=4,dt=f32,batch=5");
  CHECK(input_element_counts(g) == std::vector<std::int64_t>{5 * 2 * 4, 5 * 4 * 3});
  CHECK(output_element_count(g) == 5 * 2 * 3);
  const workload a = parse_workload("attn:b=2,hq=8,hkv=2,sq=10,skv=30,d=16,causal=1,dt=bf16");
  const std::int64_t q = 2 * 8 * 10 * 16, kv = 2 * 2 * 30 * 16;
  CHECK(input_element_counts(a) == std::vector<std::int64_t>{q, kv, kv});
  CHECK(output_element_count(a) == q);
  // The byte counts are the element counts times the storage sizes.
  CHECK(io_bytes(a) == (q + 2 * kv + q) * 2);
}

TEST_CASE("bad dimensions throw input_error naming the field", "[workload][errors]") {
  require_input_error("gemm:m=0,n=1,k=1,dt=f32", {"'m=0'", "positive integer"});
  require_input_error("gemm:m=1,n=-4,k=1,dt=f32", {"'n=-4'", "positive integer"});
  require_input_error("gemm:m=1,n=1,k=abc,dt=f32", {"'k=abc'"});
  require_input_error("gemm:m=12x,n=1,k=1,dt=f32", {"'m=12x'"});
  require_input_error("gemm:m=1.5,n=1,k=1,dt=f32", {"'m=1.5'"});
  require_input_error("gemm:m=+3,n=1,k=1,dt=f32", {"'m=+3'"});
  require_input_error("gemm:m=1,n=1,k=1,dt=f32,batch=0", {"'batch=0'"});
  require_input_error("attn:b=1,hq=1,hkv=1,sq=1,skv=1,d=0,dt=f32", {"'d=0'"});
  require_input_error("attn:b=1,hq=1,hkv=1,sq=-1,skv=1,d=8,dt=f32", {"'sq=-1'"});
}

TEST_CASE("missing, unknown, duplicate and malformed fields", "[workload][errors]") {
  require_input_error("gemm:m=1,n=1,dt=f32", {"missing field 'k'"});
  require_input_error("gemm:m=1,n=1,k=1", {"missing field 'dt'"});
  require_input_error("attn:b=1,hq=1,sq=1,skv=1,d=8,dt=f32", {"missing field 'hkv'"});
  require_input_error("gemm:m=1,n=1,k=1,dt=f32,q=3", {"unknown field 'q'"});
  require_input_error("gemm:m=1,n=1,k=1,dt=f32,causal=1", {"unknown field 'causal'"});
  require_input_error("attn:b=1,hq=1,hkv=1,sq=1,skv=1,d=8,dt=f32,ta=t", {"unknown field 'ta'"});
  require_input_error("gemm:m=1,m=2,n=1,k=1,dt=f32", {"'m' given twice"});
  require_input_error("gemm:m=1,n=1,k=1,dt=f32,dt=bf16", {"'dt' given twice"});
  require_input_error("gemm:m=1,,n=1,k=1,dt=f32", {"is not key=value"});
  require_input_error("gemm:m=,n=1,k=1,dt=f32", {"'m='", "is not key=value"});
  require_input_error("gemm:=1,n=1,k=1,dt=f32", {"is not key=value"});
  require_input_error("gemm:m=1,n=1,k=1,dt=f32,", {"is not key=value"});
  require_input_error("gemm:m", {"'m'", "is not key=value"});
}

TEST_CASE("flags, dtypes and kinds are validated", "[workload][errors]") {
  require_input_error("gemm:m=1,n=1,k=1,dt=f32,ta=x", {"'ta=x'", "n or t"});
  require_input_error("gemm:m=1,n=1,k=1,dt=f32,tb=T", {"'tb=T'"});
  require_input_error("attn:b=1,hq=1,hkv=1,sq=1,skv=1,d=8,causal=2,dt=f32", {"'causal=2'", "0 or 1"});
  require_input_error("attn:b=1,hq=1,hkv=1,sq=1,skv=1,d=8,causal=true,dt=f32", {"'causal=true'"});
  // A window is relative to the causal position: refused without causal=1, and positive.
  require_input_error("attn:b=1,hq=1,hkv=1,sq=1,skv=1,d=8,dt=f32,window=4", {"'window'", "causal=1"});
  require_input_error("attn:b=1,hq=1,hkv=1,sq=1,skv=1,d=8,causal=0,dt=f32,window=4", {"'window'", "causal=1"});
  require_input_error("attn:b=1,hq=1,hkv=1,sq=1,skv=1,d=8,causal=1,dt=f32,window=0", {"'window=0'", "positive"});
  require_input_error("attn:b=1,hq=1,hkv=1,sq=1,skv=1,d=8,causal=1,dt=f32,window=x", {"'window=x'"});
  require_input_error("gemm:m=1,n=1,k=1,dt=f32,window=4", {"unknown field 'window'"});
  require_input_error("gemm:m=1,n=1,k=1,dt=f99", {"'dt=f99'", "unknown dtype 'f99'", "f32"});
  require_input_error("gemm:m=1,n=1,k=1,dt=f32:f99", {"unknown dtype 'f99'"});
  require_input_error("gemm:m=1,n=1,k=1,dt=F32", {"unknown dtype 'F32'"});
  require_input_error("gemm:m=1,n=1,k=1,dt=f32:", {"unknown dtype ''"});
  require_input_error("gemm:m=1,n=1,k=1,dt=f32:f32:f32:f32", {"more than 3 parts"});
  require_input_error("gemm:m=1,n=1,k=1,dt=s32", {"'dt'", "s32"});
  require_input_error("attn:b=1,hq=6,hkv=4,sq=1,skv=1,d=8,dt=f32", {"'hq=6'", "'hkv=4'", "multiple"});
  require_input_error("attn:b=1,hq=1,hkv=1,sq=1,skv=1,d=8,dt=s8", {"'dt'", "floating-point"});
  require_input_error("conv:m=1,n=1,k=1,dt=f32", {"unknown kind 'conv'", "gemm, attn"});
  require_input_error("GEMM:m=1,n=1,k=1,dt=f32", {"unknown kind 'GEMM'"});
  require_input_error("gemm", {"<kind>:<fields>"});
  require_input_error("gemm:", {"<kind>:<fields>"});
  require_input_error("", {"<kind>:<fields>"});
}

TEST_CASE("sizes that overflow 64 bits are rejected at parse time", "[workload][errors]") {
  // The value itself does not fit.
  require_input_error("gemm:m=99999999999999999999,n=1,k=1,dt=f32", {"'m=99999999999999999999'", "overflows"});
  require_input_error("attn:b=1,hq=1,hkv=1,sq=1,skv=18446744073709551616,d=8,dt=f32", {"skv=", "overflows"});
  // 2*m*n*k: 2 * 2^63.
  require_input_error("gemm:m=2097152,n=2097152,k=2097152,dt=f32", {"gemm flops", "overflows"});
  // The flop count fits (2^61) but the batch pushes it over.
  require_input_error("gemm:m=1048576,n=1048576,k=1048576,dt=f32,batch=4", {"overflows"});
  // FLOPs fit (2*2^60), A's bytes do not (2^60 * 8).
  require_input_error("gemm:m=1073741824,n=1,k=1073741824,dt=f64", {"gemm A bytes", "overflows"});
  // Attention: 4 * b*hq*d*pairs.
  require_input_error("attn:b=1024,hq=1024,hkv=1,sq=1048576,skv=1048576,d=1024,causal=0,dt=f32", {"overflows"});
  require_input_error("attn:b=1,hq=1,hkv=1,sq=4294967296,skv=4294967296,d=1,causal=0,dt=f32", {"overflows"});
  // The largest value of int64 itself parses as a number, then overflows the products.
  require_input_error("gemm:m=9223372036854775807,n=2,k=1,dt=f32", {"overflows"});
}

TEST_CASE("errors are input_error, not a generic exception", "[workload][errors]") {
  CHECK_THROWS_AS(parse_workload("gemm:m=0,n=1,k=1,dt=f32"), input_error);
  CHECK_THROWS_AS(parse_workload("gemm:m=2097152,n=2097152,k=2097152,dt=f32"), input_error);
  CHECK_THROWS_AS(parse_workload("nope"), input_error);
  CHECK_NOTHROW(parse_workload("gemm:m=1,n=1,k=1,dt=f32"));
}
