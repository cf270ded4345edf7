// LLMs as data: the model files, the lowering's FLOP and byte counts against hand-computed
// values (Llama-3-8B and 70B, GQA and the LM head), the memory fit's edges, the provenance label
// of every projected figure, and bad model files (one line naming the field; exit 2 from the CLI).
#include <catch2/catch.hpp>

#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "kernels/spec/errors.hpp"
#include "reports/llm/lowering.hpp"
#include "reports/llm/model_description.hpp"
#include "reports/llm/projection.hpp"
#include "tests/support/file_io.hpp"
#include "tests/support/run_accelbench.hpp"
#include "tests/support/temp_dir.hpp"

using namespace accelbench;
using namespace accelbench::testing;

namespace {

model_description model(const std::string& id) { return find_model(id, ACCELBENCH_MODELS_DIR); }

lowered_step lowered(const std::string& id, model_phase phase, std::int64_t batch, std::int64_t tokens) {
  lowering_request r;
  r.phase = phase;
  r.batch = batch;
  r.tokens = tokens;
  return lower(model(id), r);
}

std::int64_t sum(const lowered_step& s, const std::string& role, bool bytes) {
  std::int64_t total = 0;
  for (const lowered_item& i : s.items) {
    if (role.empty() || i.role == role) total += i.count * (bytes ? i.bytes : i.flops);
  }
  return total;
}

// Every figure a projection gives a value carries a label from the documented set.
void check_labels(const phase_projection& p) {
  const std::set<std::string> allowed{"measured",
                                      "efficiency",
                                      "roofline",
                                      "roofline (compute only)",
                                      "spec",
                                      "model",
                                      "measured + model",
                                      "efficiency + model",
                                      "roofline + model",
                                      "measured + tdp",
                                      "efficiency + tdp",
                                      "roofline + tdp",
                                      "roofline + model + tdp",
                                      "measured + model + tdp",
                                      "efficiency + model + tdp"};
  for (const projected_figure& f : p.figures) {
    INFO(f.name << ": " << f.basis);
    CHECK_FALSE(f.basis.empty());
    if (f.value) {
      CHECK(allowed.count(f.label) == 1);
    } else {
      CHECK(f.label.empty());
    }
  }
}

}  // namespace

TEST_CASE("models: the shipped files load, with their sources and sizes", "[models]") {
  const auto models = load_models(ACCELBENCH_MODELS_DIR);
  std::set<std::string> ids;
  for (const model_description& m : models) {
    ids.insert(m.id);
    CHECK_FALSE(m.sources.empty());
  }
  CHECK(ids == std::set<std::string>{"llama3-8b", "llama3-70b", "mistral-7b", "qwen2-7b", "qwen2-72b"});
  // Published sizes: 8.03B, 70.6B, 7.62B, 72.7B, 7.24B parameters. The Llama counts are the
  // checkpoints' 8,030,261,248 and 70,553,706,496 less their norm weights ((2 x layers + 1) x hidden).
  CHECK(model("llama3-8b").parameters() == 8'030'261'248 - 65 * 4096);
  CHECK(model("Llama-3-70B").parameters() == 70'553'706'496 - 161 * 8192);
  CHECK(model("qwen2-7b").parameters() / 10'000'000 == 761);
  CHECK(model("qwen2-72b").parameters() / 100'000'000 == 727);
  CHECK(model("mistral-7b").parameters() / 10'000'000 == 724);
  CHECK(model("mistral-7b").sliding_window == 4096);
  CHECK(model("llama3-8b").kv_bytes_per_token() == 2 * 32 * 8 * 128 * 2);
  CHECK(model("llama3-70b").kv_bytes_per_token() == 327'680);
  CHECK_THROWS_WITH(model("llama-3-9b"), Catch::Contains("not known") && Catch::Contains("llama3-8b"));
}

TEST_CASE("lowering: Llama-3-8B decode FLOPs and bytes match the hand count", "[models]") {
  // Batch 1 at context 1024, bf16. Per layer the weights are qkv 4096x6144 (32 + 2x8 heads of
  // 128), o 4096x4096, gate+up 4096x28672, down 14336x4096: 218,103,808 parameters.
  const lowered_step s = lowered("llama3-8b", model_phase::decode, 1, 1024);
  REQUIRE(s.items.size() == 6);
  CHECK(s.items[0].text == "gemm:m=1,n=6144,k=4096,dt=bf16");
  CHECK(s.items[1].text == "attn:b=1,hq=32,hkv=8,sq=1,skv=1024,d=128,causal=0,dt=bf16");
  CHECK(s.items[5].text == "gemm:m=1,n=128256,k=4096,dt=bf16");
  CHECK(s.items[5].count == 1);
  const std::int64_t layer_gemm_flops = 2 * 218'103'808;
  const std::int64_t lm_head_flops = 2 * 4096LL * 128256;
  const std::int64_t attention_flops = 4LL * 32 * 128 * 1024;  // one query row over 1024 keys, 32 heads
  CHECK(sum(s, "lm_head", false) == lm_head_flops);
  CHECK(sum(s, "attention", false) == 32 * attention_flops);
  CHECK(s.total_flops() == 32 * (layer_gemm_flops + attention_flops) + lm_head_flops);
  CHECK(s.total_flops() == 15'546'187'776);
  // The usual 2 x parameters per token: every GEMM weight once (the embedding is a lookup).
  const model_description m = model("llama3-8b");
  CHECK(s.total_flops() - sum(s, "attention", false) == 2 * (m.parameters() - m.vocab * m.hidden));
  // Bytes: bf16 weights once, the KV cache of 1024 tokens once, activations in and out.
  CHECK(sum(s, "attention", true) == 32 * (2 * 32 * 128 + 2 * 8 * 1024 * 128) * 2);
  CHECK(s.total_bytes() == 15'148'780'032);
  const std::int64_t weights = 2 * (m.parameters() - m.vocab * m.hidden);
  const std::int64_t kv_cache = 1024 * m.kv_bytes_per_token();
  // Activations: per layer (m x k in, m x n out) of each GEMM plus Q and O, the LM head's.
  const std::int64_t activations = 32 * (10240 + 8192 + 32768 + 18432 + 8192) * 2 + (4096 + 128256) * 2;
  CHECK(s.total_bytes() == weights + kv_cache + activations);
}

TEST_CASE("lowering: Llama-3-70B decode and prefill FLOPs match the hand count", "[models]") {
  const lowered_step d = lowered("llama3-70b", model_phase::decode, 1, 1024);
  // Per layer: qkv 8192x10240, o 8192x8192, gate+up 8192x57344, down 28672x8192 = 855,638,016.
  CHECK(d.items[0].text == "gemm:m=1,n=10240,k=8192,dt=bf16");
  CHECK(d.items[1].text == "attn:b=1,hq=64,hkv=8,sq=1,skv=1024,d=128,causal=0,dt=bf16");
  CHECK(d.total_flops() == 80 * (2 * 855'638'016LL + 4LL * 64 * 128 * 1024) + 2 * 8192LL * 128256);
  CHECK(d.total_flops() == 141'687'783'424);
  const model_description m = model("llama3-70b");
  CHECK(d.total_flops() - sum(d, "attention", false) == 2 * (m.parameters() - m.vocab * m.hidden));

  // Prefill of 16 x 512: GEMMs at m = 8192 tokens, causal attention per sequence, the LM head
  // for each sequence's last position only (m = 16).
  const lowered_step p = lowered("llama3-70b", model_phase::prefill, 16, 512);
  CHECK(p.items[0].text == "gemm:m=8192,n=10240,k=8192,dt=bf16");
  CHECK(p.items[1].text == "attn:b=16,hq=64,hkv=8,sq=512,skv=512,d=128,causal=1,dt=bf16");
  CHECK(p.items[5].text == "gemm:m=16,n=128256,k=8192,dt=bf16");
  const std::int64_t pairs = 512 * 513 / 2;  // causal: query i sees keys 0..i
  CHECK(sum(p, "attention", false) == 80 * 4LL * 16 * 64 * 128 * pairs);
  CHECK(p.total_flops() == 80 * 2 * 8192LL * 855'638'016 + 80 * 4LL * 16 * 64 * 128 * pairs + 2 * 16 * 8192LL * 128256);
  CHECK(p.new_tokens == 8192);
}

TEST_CASE("lowering: layers, dtype and request errors", "[models]") {
  const model_description m = model("llama3-8b");
  lowering_request r;
  r.phase = model_phase::prefill;
  r.batch = 2;
  r.tokens = 128;
  r.layers = 2;
  r.compute_dtype = dtype::f32;
  r.lm_head = false;
  const lowered_step s = lower(m, r);
  CHECK(s.items.size() == 5);
  CHECK(s.items[0].text == "gemm:m=256,n=6144,k=4096,dt=f32");
  CHECK(s.items[0].count == 2);
  r.layers = 33;
  CHECK_THROWS_WITH(lower(m, r), Catch::StartsWith("--layers: expected an integer from 1 to 32"));
  r.layers.reset();
  r.batch = 0;
  CHECK_THROWS_WITH(lower(m, r), Catch::StartsWith("--batch:"));
  r.batch = 1;
  r.tokens = 0;
  CHECK_THROWS_WITH(lower(m, r), Catch::StartsWith("--prompt:"));
  // The sliding window is lowered into the attention once the context exceeds it, and said so.
  const lowered_step w = lowered("mistral-7b", model_phase::decode, 1, 8192);
  REQUIRE(w.notes.size() == 1);
  CHECK_THAT(w.notes[0], Catch::Contains("sliding window, window=4096"));
  CHECK(w.items[1].role == "attention");
  CHECK(w.items[1].text == "attn:b=1,hq=32,hkv=8,sq=1,skv=8192,d=128,causal=1,dt=bf16,window=4096");
  const lowered_step p = lowered("mistral-7b", model_phase::prefill, 1, 8192);
  CHECK(std::get<attention_workload>(p.items[1].work).window == 4096);
  // Prefill: the window's pairs, not the full causal triangle's.
  CHECK(p.items[1].flops < flops(parse_workload("attn:b=1,hq=32,hkv=8,sq=8192,skv=8192,d=128,causal=1,dt=bf16")));
  const lowered_step short_context = lowered("mistral-7b", model_phase::decode, 1, 4096);
  CHECK(short_context.notes.empty());
  CHECK(short_context.items[1].text.find("window") == std::string::npos);
}

TEST_CASE("memory fit: exact edges, weights alone too big, unknown memory", "[models]") {
  const model_description m = model("llama3-8b");
  const double weights = double(m.weight_bytes());
  const double kv = double(m.kv_bytes_per_token());
  const memory_fit exact = fit_memory(m, 1000, weights + 1000 * kv);
  CHECK(exact.fits == true);
  CHECK(exact.max_kv_tokens == 1000);
  CHECK(exact.min_devices == 1);
  const memory_fit one_over = fit_memory(m, 1001, weights + 1000 * kv);
  CHECK(one_over.fits == false);
  CHECK(one_over.max_kv_tokens == 1000);
  CHECK(one_over.min_devices == 2);
  const memory_fit too_small = fit_memory(m, 1, weights - 1);
  CHECK(too_small.fits == false);
  CHECK(too_small.max_kv_tokens == 0);
  CHECK(too_small.min_devices == 2);
  // Tensor-parallel degrees are powers of two: 3 devices' worth of memory needs 4.
  const memory_fit three = fit_memory(m, 0, weights / 2.5);
  CHECK(three.min_devices == 4);
  const memory_fit unknown = fit_memory(m, 1000, std::nullopt);
  CHECK_FALSE(unknown.fits.has_value());
  CHECK_FALSE(unknown.max_kv_tokens.has_value());
  CHECK_FALSE(unknown.min_devices.has_value());
  // Llama-3-70B in bf16 (141 GB) on 80 GB cards: two hold the weights, a large KV cache needs four.
  const model_description big = model("llama3-70b");
  CHECK(fit_memory(big, 1024, 80e9).min_devices == 2);
  CHECK(fit_memory(big, 16 * 4096, 80e9).min_devices == 4);
}

TEST_CASE("projection: every figure labelled; measured, efficiency and roofline in order", "[models]") {
  const spec_database db = spec_database::load(ACCELBENCH_SPECS_DIR);
  const model_description m = model("llama3-8b");
  const lowered_step s = lowered("llama3-8b", model_phase::decode, 16, 4096);
  const projection_target h100 = resolve_target("H100-SXM5", db, {});

  SECTION("spec only: roofline, with the memory term") {
    const phase_projection p = project(m, s, h100, {});
    check_labels(p);
    CHECK(p.find("step time")->label == "roofline");
    CHECK(p.find("devices")->label == "spec");
    CHECK(p.find("tensor-parallel communication")->label == "model");
    CHECK(p.find("tokens per joule")->label == "roofline + tdp");
    // Decode at batch 16 is memory-bound: about 16 GB of weights + 8.6 GB of KV at 3.35 TB/s.
    const double bytes = double(s.total_bytes());
    CHECK(*p.find("step time")->value == Approx(bytes / 3350e9).epsilon(0.01));
    CHECK(*p.find("tokens/s aggregate")->value == Approx(16.0 / *p.find("step time")->value));
  }
  SECTION("every item measured: measured; one item measured elsewhere: efficiency") {
    std::vector<measured_case> all;
    for (const lowered_item& i : s.items) all.push_back({"H100-SXM5", i.text, "fake", 1e-4, std::nullopt});
    const phase_projection measured = project(m, s, h100, all);
    check_labels(measured);
    CHECK(measured.find("step time")->label == "measured");
    CHECK(*measured.find("step time")->value == Approx(1e-4 * (5 * 32 + 1)));
    CHECK_FALSE(measured.find("tokens per joule (measured power)")->value.has_value());
    // With power telemetry on every kernel: tokens per joule from it, labelled measured.
    for (measured_case& c : all) c.power_w = 500.0;
    const phase_projection powered = project(m, s, h100, all);
    check_labels(powered);
    CHECK(powered.find("tokens per joule (measured power)")->label == "measured");
    CHECK(*powered.find("tokens per joule (measured power)")->value == Approx(16.0 / (1e-4 * (5 * 32 + 1) * 500.0)));

    // One GEMM measured at half its roofline: every GEMM gets that efficiency, the attention
    // (no attention measured) falls back to the roofline: the step is labelled by its weakest part.
    const workload near = parse_workload("gemm:m=16,n=4096,k=4096,dt=bf16");
    const double bound = spec_roofline(near, *h100.spec)->seconds;
    const phase_projection mixed =
        project(m, s, h100, {{"H100-SXM5", "gemm:m=16,n=4096,k=4096,dt=bf16", "fake", 2.0 * bound, std::nullopt}});
    check_labels(mixed);
    CHECK(mixed.items[0].source == provenance::efficiency);
    CHECK(mixed.items[0].seconds == Approx(2.0 * spec_roofline(s.items[0].work, *h100.spec)->seconds));
    CHECK(mixed.items[1].source == provenance::roofline);
    CHECK(mixed.find("step time")->label == "roofline");
  }
  SECTION("a device known only from results: measured, no energy, no memory fit") {
    std::vector<measured_case> all;
    for (const lowered_item& i : s.items) all.push_back({"Some CPU", i.text, "fake", 1e-3, std::nullopt});
    const projection_target cpu = resolve_target("Some CPU", db, all);
    CHECK(cpu.spec == nullptr);
    const phase_projection p = project(m, s, cpu, all);
    check_labels(p);
    CHECK(p.find("step time")->label == "measured");
    CHECK_FALSE(p.find("tokens per joule")->value.has_value());
    CHECK_FALSE(p.find("devices")->value.has_value());
    // Missing one item: no step time, and the reason names it.
    all.pop_back();
    const phase_projection partial = project(m, s, cpu, all);
    check_labels(partial);
    CHECK_FALSE(partial.find("step time")->value.has_value());
    CHECK_THAT(partial.find("step time")->basis, Catch::Contains("lm_head"));
  }
  SECTION("no bandwidth quoted: compute only; several devices: + model") {
    const projection_target ascend = resolve_target("Ascend-910B", db, {});
    const phase_projection p = project(m, s, ascend, {});
    check_labels(p);
    CHECK(p.find("step time")->label == "roofline (compute only)");
    const phase_projection tp =
        project(model("llama3-70b"), lowered("llama3-70b", model_phase::decode, 16, 4096), h100, {});
    check_labels(tp);
    CHECK(tp.devices == 4);
    CHECK(tp.find("step time")->label == "roofline + model");
    CHECK(*tp.find("tensor-parallel communication")->value > 0.0);
  }
  CHECK(interconnect_gbps("NVLink 900 GB/s; PCIe Gen5 128 GB/s") == 900.0);
  CHECK(interconnect_gbps("HCCS 56 GB/s per peer, 392 GB/s aggregate") == 56.0);
  CHECK_FALSE(interconnect_gbps("PCIe 4.0").has_value());
}

TEST_CASE("model files: a bad file is one line naming the field; the CLI exits 2", "[models]") {
  temp_dir dir("accelbench-models");
  std::string good = read_file(std::string(ACCELBENCH_MODELS_DIR) + "/llama3-8b.json");
  auto with = [&](const std::string& from, const std::string& to) {
    std::string text = good;
    const auto at = text.find(from);
    REQUIRE(at != std::string::npos);
    text.replace(at, from.size(), to);
    return text;
  };
  write_file(dir / "heads.json", with("\"kv_heads\": 8", "\"kv_heads\": 7"));
  CHECK_THROWS_WITH(read_model_file(dir / "heads.json"),
                    Catch::Contains("field 'kv_heads'") && Catch::Contains("must divide heads"));
  write_file(dir / "typo.json", with("\"hidden\"", "\"hiden\""));
  CHECK_THROWS_WITH(read_model_file(dir / "typo.json"), Catch::Contains("field 'hiden': unknown key"));
  write_file(dir / "ffn.json", with("\"gated\"", "\"swish\""));
  CHECK_THROWS_WITH(read_model_file(dir / "ffn.json"),
                    Catch::Contains("field 'ffn_kind'") && Catch::Contains("accepted: gated"));
  write_file(dir / "zero.json", with("\"layers\": 32", "\"layers\": 0"));
  CHECK_THROWS_WITH(read_model_file(dir / "zero.json"), Catch::Contains("field 'layers'"));

  const cli_result bad = run_accelbench(
      dir, {"model", "lower", "--model-file", dir / "heads.json", "--phase", "decode", "--context", "16"});
  CHECK(bad.exit_code == 2);
  CHECK_THAT(bad.err, Catch::Contains("field 'kv_heads'"));
  CHECK(std::count(bad.err.begin(), bad.err.end(), '\n') == 1);
  const cli_result phase = run_accelbench(dir, {"model", "lower", "llama3-8b", "--phase", "both", "--context", "16"});
  CHECK(phase.exit_code == 2);
  CHECK_THAT(phase.err, Catch::Contains("--phase 'both': accepted: prefill, decode"));

  // JSON: every figure with a value carries a label.
  const cli_result projected =
      run_accelbench(dir, {"model", "project", "llama3-70b", "--prompt", "2048", "--context", "4096", "--batch", "16",
                           "--device", "H100,H20", "--format", "json"});
  REQUIRE(projected.exit_code == 0);
  const auto doc = nlohmann::json::parse(projected.out);
  REQUIRE(doc.at("projections").size() == 4);
  for (const auto& p : doc.at("projections")) {
    for (const auto& f : p.at("figures")) {
      INFO(f.dump());
      CHECK((f.at("value").is_null() || !f.at("label").get<std::string>().empty()));
    }
  }
  CHECK(doc.at("projections").at(0).at("device") == "H100-SXM5");
  CHECK(doc.at("projections").at(0).at("devices") == 2);

  // A user's own file works like a shipped one, and the printed suite runs as it is.
  write_file(dir / "mine.json", with("\"id\": \"llama3-8b\"", "\"id\": \"my-8b\""));
  const cli_result lowered_suite = run_accelbench(dir, {"model", "lower", dir / "mine.json", "--phase", "decode",
                                                        "--context", "64", "--layers", "1", "--dt", "f32"});
  REQUIRE(lowered_suite.exit_code == 0);
  CHECK_THAT(lowered_suite.out, Catch::Contains("gemm:m=1,n=6144,k=4096,dt=f32") && Catch::Contains("my-8b"));
  write_file(dir / "suite.txt", lowered_suite.out);
  const cli_result listed = run_accelbench(dir, {"list", "workloads", "suite.txt"});
  INFO(listed.err);
  CHECK(listed.exit_code == 0);
  CHECK_THAT(listed.out, Catch::Contains("attn:b=1,hq=32,hkv=8,sq=1,skv=64,d=128,causal=0,dt=f32"));
}
