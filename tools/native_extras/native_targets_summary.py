#!/usr/bin/env python3
"""Ratios for the native kernels' targets from one native_targets.sh output folder.

Reads run.json (one accelbench run), gemm-no-amx.json, triad.json / peak.json, memory.json and torch.json (an
accelbench run of the torch backend) when present; prints a Markdown table with every figure and whether each target is met. Only
verified ("passed") results are used; a missing peer is reported as such, never estimated.
"""
import json
import os
import sys


def load(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def main(folder):
    run = load(os.path.join(folder, "run.json"))
    if run is None:
        print("no run.json in " + folder)
        return 1
    res = {}
    for r in run["results"]:
        res[(r["workload"], r["backend"])] = r

    def passed(workload, backend):
        r = res.get((workload, backend))
        return r if r is not None and r["outcome"] == "passed" else None

    def tflops(workload, backend):
        r = passed(workload, backend)
        return r["tflops"] if r else None

    def fmt(x, digits=3):
        return "—" if x is None else f"{x:.{digits}f}"

    attn = "attn:b=1,hq=8,hkv=8,sq=4096,skv=4096,d=128,causal={},dt={}"
    gemm = "gemm:m=4096,n=4096,k=4096,dt={}"
    decode = "attn:b=8,hq=32,hkv=8,sq=1,skv=8192,d=128,causal=0,dt={}"
    rows = []

    print("| workload | native | openblas | onednn |")
    print("|---|---|---|---|")
    for w in [gemm.format("f32"), gemm.format("bf16"), attn.format(0, "f32"), attn.format(1, "f32"),
              attn.format(0, "bf16"), attn.format(1, "bf16"), decode.format("bf16"), decode.format("f32")]:
        cells = []
        for b in ["native", "openblas", "onednn"]:
            r = res.get((w, b))
            if r is None:
                cells.append("not run")
            elif r["outcome"] != "passed":
                cells.append(r["outcome"])
            else:
                cells.append(f"{r['median_s'] * 1e3:.1f} ms, {r['tflops']:.4f} TFLOPS, {r['gbps']:.1f} GB/s")
        print(f"| `{w}` | " + " | ".join(cells) + " |")
    print()

    best_gemm = max([t for t in (tflops(gemm.format("f32"), b) for b in ["native", "openblas", "onednn"]) if t], default=None)
    native_attn = tflops(attn.format(0, "f32"), "native")
    composed = max([t for t in (tflops(attn.format(0, "f32"), b) for b in ["openblas", "onednn"]) if t], default=None)
    r0, r1 = passed(attn.format(0, "f32"), "native"), passed(attn.format(1, "f32"), "native")

    def ratio(a, b):
        return a / b if a is not None and b else None

    rows.append(("f32 attention / best f32 GEMM", ratio(native_attn, best_gemm), ">= 0.70", lambda x: x >= 0.70))
    rows.append(("f32 attention / best composed attention", ratio(native_attn, composed), ">= 1.3", lambda x: x >= 1.3))
    rows.append(("causal=1 time / causal=0 time (f32)", ratio(r1["median_s"] if r1 else None, r0["median_s"] if r0 else None),
                 "<= 0.6", lambda x: x <= 0.6))
    bf16_native = tflops(attn.format(0, "bf16"), "native")
    onednn_bf16 = tflops(gemm.format("bf16"), "onednn")
    rows.append(("bf16 attention / oneDNN bf16 GEMM", ratio(bf16_native, onednn_bf16), ">= 0.50", lambda x: x >= 0.50))
    best_library_gemm = max([t for t in (tflops(gemm.format("f32"), b) for b in ["openblas", "onednn"]) if t], default=None)
    rows.append(("native f32 GEMM / best library f32 GEMM", ratio(tflops(gemm.format("f32"), "native"), best_library_gemm),
                 ">= 0.9", lambda x: x >= 0.9))
    # bf16 GEMM without AMX (vdpbf16ps on both sides; an emulation where the CPU has AMX too).
    no_amx = load(os.path.join(folder, "gemm-no-amx.json"))
    no_amx_tflops = {r["backend"]: r["tflops"] for r in (no_amx or {}).get("results", []) if r["outcome"] == "passed"}
    rows.append(("bf16 GEMM on vdpbf16ps / oneDNN avx512_core_bf16", ratio(no_amx_tflops.get("native"),
                 no_amx_tflops.get("onednn")), ">= 0.9", lambda x: x >= 0.9))
    # Issue 21: >= 1.6 on AVX512-BF16 CPUs (vdpbf16ps, no AMX) and with AMX; informational on
    # CPUs without native bf16 arithmetic, where bf16 is widened to f32 and costs the same.
    for causal in (0, 1):
        rows.append((f"bf16 attention / f32 attention (native, causal={causal})",
                     ratio(tflops(attn.format(causal, "bf16"), "native"), tflops(attn.format(causal, "f32"), "native")),
                     ">= 1.6 (AVX512-BF16 or AMX CPUs)", lambda x: x >= 1.6))

    triad = load(os.path.join(folder, "triad.json"))
    peak = load(os.path.join(folder, "peak.json"))
    bandwidth, source = None, None
    if isinstance(peak, dict) and (peak.get("memory_bandwidth") or {}).get("triad_gbps"):
        bandwidth, source = peak["memory_bandwidth"]["triad_gbps"], "accelbench peak"
    if bandwidth is None and triad:
        bandwidth, source = triad["triad_gb_per_s"], "own triad (accelbench_native_extras)"
    dec = passed(decode.format("bf16"), "native")
    rows.append((f"bf16 decode GB/s / triad GB/s ({source})", ratio(dec["gbps"] if dec else None, bandwidth), ">= 0.6",
                 lambda x: x >= 0.6))
    # The read-only figure (accelbench peak since 2026-12-07) is the like-for-like ceiling of a
    # kernel that only streams B: informational beside the target's triad.
    read = (peak.get("memory_bandwidth") or {}).get("read_gbps") if isinstance(peak, dict) else None
    rows.append(("bf16 decode GB/s / read-only GB/s (accelbench peak)", ratio(dec["gbps"] if dec else None, read),
                 "(info)", None))

    print("| ratio | value | target | met |")
    print("|---|---|---|---|")
    for name, value, target, test in rows:
        met = "—" if value is None or test is None else ("yes" if test(value) else "no")
        if value is None and target != "(info)":
            met = "not measurable here"
        print(f"| {name} | {fmt(value)} | {target} | {met} |")
    print()
    if isinstance(peak, dict):
        print(f"accelbench peak: triad {fmt((peak.get('memory_bandwidth') or {}).get('triad_gbps'), 2)} GB/s, "
              f"read only {fmt((peak.get('memory_bandwidth') or {}).get('read_gbps'), 2)} GB/s, "
              f"clock {fmt((peak.get('clock') or {}).get('ghz'), 3)} GHz")
    if triad:
        print(f"own triad: {triad['triad_gb_per_s']:.2f} GB/s ({triad['threads']}); best GEMM f32: {fmt(best_gemm, 4)} TFLOPS")
    mem = load(os.path.join(folder, "memory.json"))
    if mem:
        print(f"memory {mem['workload']}: peak growth {mem['peak_growth_gib']:.3f} GiB above the inputs "
              f"({mem['inputs_gib']:.3f} GiB), of which plan copies of inputs+output {mem['plan_copies_gib']:.3f} GiB, "
              f"kernel workspace {mem['workspace_gib']:.3f} GiB (target < 1 GiB: "
              f"{'met' if mem['peak_growth_gib'] < 1.0 else 'not met'}); one head's S x S f32 scores would be "
              f"{mem['score_matrix_per_head_gib']:.1f} GiB; run {mem['run_s']:.1f} s")
    torch = load(os.path.join(folder, "torch.json"))
    for t in (torch or {}).get("results", []):
        if "backend" not in t:  # folders from before 2026-12-06: the old stand-alone peer script's format
            print(f"torch {t['torch']} {t['method']} {t['workload']}: {t['median_ms']:.1f} ms, {t['tflops']:.4f} TFLOPS "
                  f"({t['threads']} threads)")
            continue
        if t["backend"] != "torch":
            continue
        if t["outcome"] != "passed":
            print(f"torch {t['workload']}: {t['outcome']} ({t.get('reason', '')})")
            continue
        print(f"torch {t['workload']}: {t['median_s'] * 1e3:.1f} ms, {t['tflops']:.4f} TFLOPS ({t['plan']})" +
              (f"; native / torch = {ratio(native_attn, t['tflops']):.2f}"
               if t["workload"] == attn.format(0, "f32") and native_attn else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "results/native-targets"))
