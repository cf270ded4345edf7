// Sweep expansion: ranges, geometric ranges, lists, cartesian order, and errors.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "kernels/spec/errors.hpp"
#include "kernels/spec/sweep.hpp"
#include "kernels/spec/workload.hpp"

using namespace accelbench;
using strings = std::vector<std::string>;

namespace {

void require_sweep_error(const std::string& text, const strings& needles) {
  INFO("sweep text: " << text);
  try {
    const strings out = expand_sweep(text);
    FAIL("expected input_error, got " << out.size() << " cases");
  } catch (const input_error& e) {
    const std::string message = e.what();
    INFO("message: " << message);
    for (const std::string& needle : needles) CHECK(message.find(needle) != std::string::npos);
  }
}

}  // namespace

TEST_CASE("text without axes expands to itself", "[sweep]") {
  CHECK(expand_sweep("gemm:m=1,n=2,k=3,dt=f32") == strings{"gemm:m=1,n=2,k=3,dt=f32"});
  CHECK(expand_sweep("") == strings{""});
}

TEST_CASE("inclusive arithmetic range", "[sweep]") {
  CHECK(expand_sweep("gemm:m=[1024:4096:1024],n=8,k=8,dt=f32") ==
        strings{"gemm:m=1024,n=8,k=8,dt=f32", "gemm:m=2048,n=8,k=8,dt=f32", "gemm:m=3072,n=8,k=8,dt=f32",
                "gemm:m=4096,n=8,k=8,dt=f32"});
  // The stop is a bound, not necessarily a member.
  CHECK(expand_sweep("m=[1000:4096:1024]") == strings{"m=1000", "m=2024", "m=3048", "m=4072"});
  CHECK(expand_sweep("m=[7:7:3]") == strings{"m=7"});
  CHECK(expand_sweep("m=[1:3:1]") == strings{"m=1", "m=2", "m=3"});
}

TEST_CASE("geometric range", "[sweep]") {
  CHECK(expand_sweep("gemm:m=[256:4096:*2],n=1,k=1,dt=f32") ==
        strings{"gemm:m=256,n=1,k=1,dt=f32", "gemm:m=512,n=1,k=1,dt=f32", "gemm:m=1024,n=1,k=1,dt=f32",
                "gemm:m=2048,n=1,k=1,dt=f32", "gemm:m=4096,n=1,k=1,dt=f32"});
  CHECK(expand_sweep("[1:100:*3]") == strings{"1", "3", "9", "27", "81"});
  // Growth that would overflow int64 stops instead of wrapping around.
  const strings powers = expand_sweep("[1:9223372036854775807:*2]");
  REQUIRE(powers.size() == 63);
  CHECK(powers.front() == "1");
  CHECK(powers.back() == "4611686018427387904");
  const strings steps = expand_sweep("[9223372036854775800:9223372036854775807:5]");
  CHECK(steps == strings{"9223372036854775800", "9223372036854775805"});
}

TEST_CASE("lists", "[sweep]") {
  CHECK(expand_sweep("gemm:m=8,n=8,k=8,dt=[f32,bf16]") ==
        strings{"gemm:m=8,n=8,k=8,dt=f32", "gemm:m=8,n=8,k=8,dt=bf16"});
  // Items of a list may be dtype specs with colons; a comma tells a list from a range.
  CHECK(expand_sweep("dt=[f32,bf16:f32]") == strings{"dt=f32", "dt=bf16:f32"});
  CHECK(expand_sweep("gemm:m=8,n=8,k=8,dt=[bf16:f32,f16:f32:f32]") ==
        strings{"gemm:m=8,n=8,k=8,dt=bf16:f32", "gemm:m=8,n=8,k=8,dt=f16:f32:f32"});
  for (const std::string& c : expand_sweep("gemm:m=8,n=8,k=8,dt=[f32,bf16:f32,s8:s32]"))
    CHECK_NOTHROW(parse_workload(c));
  CHECK(expand_sweep("x=[a,b,c],y") == strings{"x=a,y", "x=b,y", "x=c,y"});
}

TEST_CASE("cartesian product: leftmost axis slowest, rightmost fastest", "[sweep]") {
  CHECK(expand_sweep("gemm:m=[1,2],n=[3,4],k=5,dt=[f32,f64]") ==
        strings{"gemm:m=1,n=3,k=5,dt=f32", "gemm:m=1,n=3,k=5,dt=f64", "gemm:m=1,n=4,k=5,dt=f32",
                "gemm:m=1,n=4,k=5,dt=f64", "gemm:m=2,n=3,k=5,dt=f32", "gemm:m=2,n=3,k=5,dt=f64",
                "gemm:m=2,n=4,k=5,dt=f32", "gemm:m=2,n=4,k=5,dt=f64"});
  // Adjacent axes and axes at both ends of the text.
  CHECK(expand_sweep("[a,b][1:2:1]") == strings{"a1", "a2", "b1", "b2"});
  // Every expansion is a valid workload.
  const strings cases = expand_sweep("gemm:m=[16:64:*2],n=[1:3:1],k=8,dt=[f32,bf16],ta=[n,t]");
  CHECK(cases.size() == 3 * 3 * 2 * 2);
  for (const std::string& c : cases) CHECK_NOTHROW(parse_workload(c));
}

TEST_CASE("the case limit", "[sweep]") {
  CHECK(expand_sweep("[1:100000:1]").size() == max_sweep_cases);
  require_sweep_error("[1:100001:1]", {"more than 100000"});
  require_sweep_error("gemm:m=[1:1000:1],n=[1:1000:1],k=1,dt=f32", {"more than 100000"});
  require_sweep_error("[1:10:1][1:100:1][1:100:1][1:100:1]", {"more than 100000"});
  CHECK(expand_sweep("[1:10:1][1:100:1][1:100:1]").size() == 100000);
}

TEST_CASE("malformed sweeps throw input_error naming the problem", "[sweep][errors]") {
  require_sweep_error("gemm:m=[1:2:1,n=1", {"unmatched '['"});
  require_sweep_error("gemm:m=1:2:1],n=1", {"unmatched ']'"});
  require_sweep_error("m=[[1,2]]", {"nested '['"});
  require_sweep_error("m=[1:4:0]", {"'[1:4:0]'", "step > 0"});
  require_sweep_error("m=[1:4:-1]", {"'[1:4:-1]'"});
  require_sweep_error("m=[1:4:*1]", {"'[1:4:*1]'", "factor > 1"});
  require_sweep_error("m=[1:4:*0]", {"'[1:4:*0]'"});
  require_sweep_error("m=[4:1:1]", {"start <= stop"});
  require_sweep_error("m=[0:4:1]", {"0 < start"});
  require_sweep_error("m=[-4:4:1]", {"0 < start"});
  require_sweep_error("m=[a:4:1]", {"'a' is not an integer"});
  require_sweep_error("m=[1:4:x]", {"'x' is not an integer"});
  require_sweep_error("m=[1:4:*]", {"'' is not an integer"});
  require_sweep_error("m=[1:4]", {"exactly start:stop:step"});
  require_sweep_error("m=[1:4:1:1]", {"exactly start:stop:step"});
  require_sweep_error("m=[1,,2]", {"empty value"});
  require_sweep_error("m=[]", {"empty value"});
  require_sweep_error("m=[1,2,]", {"empty value"});
}
