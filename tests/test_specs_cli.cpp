// `accelbench specs` as a person asks it: families ("H100"), several devices and
// precisions as one table, the spellings people use (fp16, int8), "did you mean", and the press
// question answered directly (`specs compare H100 H20`). Also the name suggester itself.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "kernels/spec/suggest.hpp"
#include "tests/support/run_accelbench.hpp"
#include "tests/support/temp_dir.hpp"

using namespace accelbench;
using namespace accelbench::testing;

TEST_CASE("did you mean: close names only, closest first", "[unit][suggest]") {
  const std::vector<std::string> backends{"openblas", "onednn", "native", "reference", "cuda", "cuda_tuned"};
  CHECK(closest_names("opneblas", backends) == std::vector<std::string>{"openblas"});
  CHECK(closest_names("CUDA", backends).front() == "cuda");
  CHECK(closest_names("xyz", backends).empty());
  CHECK(did_you_mean("nativ", backends) == "; did you mean 'native'?");
  CHECK(did_you_mean("zzzzzzzz", backends).empty());
  CHECK(closest_names("cuda_tune", backends).front() == "cuda_tuned");
}

TEST_CASE("specs compare H100 H20: the quoted ratio read against the database", "[specs_cli]") {
  temp_dir dir("accelbench-specs");
  const cli_result r = run_accelbench(dir, {"specs", "compare", "H100", "H20"});
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  // The family is resolved and said, first.
  CHECK(r.out.rfind("H100 -> H100-SXM5 (also H100-PCIe", 0) == 0);
  // The press headline, what each figure is, and whether the two are like for like.
  CHECK_THAT(r.out, Catch::Contains("Quoted: H100-SXM5 1979 vs H20 296 = 6.69x"));
  CHECK_THAT(r.out, Catch::Contains("1979 on H100-SXM5 is: bf16 sparse = 1979"));
  CHECK_THAT(r.out, Catch::Contains("296 on H20 is: f8 dense = 296"));
  CHECK_THAT(r.out, Catch::Contains("like for like as f8 dense"));
  CHECK_THAT(r.out, Catch::Contains("Quoted: H100-SXM5 1979 vs H20 148 = 13.37x"));
  CHECK_THAT(r.out, Catch::Contains("NOT like for like"));
  // Like-for-like rows per precision, and memory, bandwidth and power.
  CHECK_THAT(r.out, Catch::Matches("(.|\n)*bf16 dense +989.4 +148 +6.69x(.|\n)*"));
  CHECK_THAT(r.out, Catch::Matches("(.|\n)*f32 dense +66.9 +44 +1.52x(.|\n)*"));
  CHECK_THAT(r.out, Catch::Matches("(.|\n)*memory GB/s +3350 +4000 +0.84x(.|\n)*"));
  // Fits one screen.
  CHECK(std::count(r.out.begin(), r.out.end(), '\n') <= 40);

  const cli_result only = run_accelbench(dir, {"specs", "compare", "H100-SXM5", "Ascend-910B", "-t", "bf16"});
  CHECK(only.exit_code == 0);
  CHECK_THAT(only.out, Catch::Contains("bf16 dense"));
  CHECK_THAT(only.out, !Catch::Contains("f32 dense"));

  const cli_result one = run_accelbench(dir, {"specs", "compare", "H100"});
  CHECK(one.exit_code == 2);
}

TEST_CASE("specs: families, several devices and precisions as a table, spellings, did you mean", "[specs_cli]") {
  temp_dir dir("accelbench-specs");
  cli_result r = run_accelbench(dir, {"specs", "-d", "H100"});
  CHECK(r.exit_code == 0);
  CHECK(r.out.rfind("H100 -> H100-SXM5", 0) == 0);
  CHECK_THAT(r.out, Catch::Contains("989.4 TFLOPS dense"));
  // H20 is its own device, never the start of H200.
  r = run_accelbench(dir, {"specs", "-d", "H20", "-t", "f8"});
  CHECK(r.out.rfind("H20 (", 0) == 0);

  r = run_accelbench(dir, {"specs", "-d", "H100-SXM5,H20,Ascend-910B", "-t", "bf16,fp16"});
  INFO(r.out << r.err);
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Matches("(.|\n)*H100-SXM5 +datasheet +989.4 \\(1979\\) +989.4 \\(1979\\)(.|\n)*"));
  CHECK_THAT(r.out, Catch::Matches("(.|\n)*H20 +[a-z]+ +148 +148(.|\n)*"));
  CHECK_THAT(r.out, Catch::Contains("Ascend-910B"));
  CHECK_THAT(r.out, !Catch::Contains("http"));  // a table, not 70 lines of sources

  // -t alone: every device for that precision, one line each.
  r = run_accelbench(dir, {"specs", "-t", "bf16"});
  CHECK(r.exit_code == 0);
  CHECK(std::count(r.out.begin(), r.out.end(), '\n') < 40);

  r = run_accelbench(dir, {"specs", "-d", "H21"});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("did you mean 'H20'"));
  r = run_accelbench(dir, {"specs", "-t", "bf61"});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("did you mean 'bf16'"));

  r = run_accelbench(dir, {"specs", "-d", "H100", "--format", "json"});
  CHECK(r.exit_code == 0);
  CHECK(nlohmann::json::parse(r.out).at("devices").at(0).at("id") == "H100-SXM5");
  CHECK_THAT(r.err, Catch::Contains("H100 -> H100-SXM5"));  // JSON stays clean on stdout
  r = run_accelbench(dir, {"specs", "--format", "yaml"});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("--format 'yaml'"));
}
