#!/usr/bin/env python3
"""PyTorch's CPU attention as an outside peer for the native backend (docs/performance.md).

Debian's python3-torch (apt-get install python3-torch). For each shape: attention composed as
a user writes it (matmul + softmax + matmul, the S x S scores materialized) and
torch.nn.functional.scaled_dot_product_attention (torch >= 2.0; Debian 12 has 1.13, where it is
reported unsupported), f32 (and bf16 where this torch runs it).
Inputs are standard normal; timing with time.perf_counter after warm-up calls, median of
--samples runs (hot cache: PyTorch has no cache flush). FLOPs follow accelbench's attention
convention: 4*b*hq*sq*skv*d, causal counting only the unmasked pairs. The output of each method
is checked against a float64 computation of a few rows before timing; a mismatch is reported,
never timed.
"""
import argparse
import json
import statistics
import sys
import time

try:
    import torch
    import torch.nn.functional as F
except ImportError:
    print("python3-torch is not installed (apt-get install python3-torch)", file=sys.stderr)
    sys.exit(2)

SHAPES = [
    dict(b=1, hq=8, hkv=8, sq=4096, skv=4096, d=128, causal=0),
    dict(b=1, hq=8, hkv=8, sq=4096, skv=4096, d=128, causal=1),
    dict(b=8, hq=32, hkv=8, sq=1, skv=8192, d=128, causal=0),
]


def workload(s, dt):
    return "attn:b={b},hq={hq},hkv={hkv},sq={sq},skv={skv},d={d},causal={causal},dt=".format(**s) + dt


def flops(s):
    pairs = s["sq"] * s["skv"]
    if s["causal"]:
        off = s["skv"] - s["sq"]
        pairs = sum(max(0, min(s["skv"], i + off + 1)) for i in range(s["sq"]))
    return 4 * s["b"] * s["hq"] * pairs * s["d"]


def causal_mask(sq, skv):
    # bottom-right aligned, as accelbench: query i sees keys j <= i + (skv - sq)
    i = torch.arange(sq).unsqueeze(1)
    j = torch.arange(skv).unsqueeze(0)
    return j <= i + (skv - sq)


def composed(q, k, v, s):
    group = s["hq"] // s["hkv"]
    k = k.repeat_interleave(group, dim=1)
    v = v.repeat_interleave(group, dim=1)
    scores = torch.matmul(q, k.transpose(-1, -2)) * (1.0 / s["d"] ** 0.5)
    if s["causal"]:
        scores = scores.masked_fill(~causal_mask(s["sq"], s["skv"]), float("-inf"))
    return torch.matmul(torch.softmax(scores, dim=-1), v)


def sdpa(q, k, v, s):
    if not hasattr(F, "scaled_dot_product_attention"):  # added in torch 2.0; Debian 12 ships 1.13
        raise RuntimeError(f"torch {torch.__version__} has no scaled_dot_product_attention (added in torch 2.0)")
    group = s["hq"] // s["hkv"]
    k = k.repeat_interleave(group, dim=1)
    v = v.repeat_interleave(group, dim=1)
    mask = causal_mask(s["sq"], s["skv"]) if s["causal"] and s["sq"] != s["skv"] else None
    return F.scaled_dot_product_attention(q, k, v, attn_mask=mask, is_causal=bool(s["causal"]) and mask is None)


def check(out, q, k, v, s, tol):
    rows = sorted({0, s["sq"] - 1, s["sq"] // 2})
    ref = composed(q[:, :, rows].double(), k.double(), v.double(), dict(s, sq=len(rows))) if not s["causal"] else None
    if s["causal"]:
        group = s["hq"] // s["hkv"]
        kk, vv = k.double().repeat_interleave(group, 1), v.double().repeat_interleave(group, 1)
        sc = torch.matmul(q[:, :, rows].double(), kk.transpose(-1, -2)) / s["d"] ** 0.5
        mask = causal_mask(s["sq"], s["skv"])[rows]
        ref = torch.matmul(torch.softmax(sc.masked_fill(~mask, float("-inf")), -1), vv)
    got = out[:, :, rows].double()
    err = (got - ref).norm() / ref.norm()
    return float(err) <= tol, float(err)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--samples", type=int, default=5)
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--threads", type=int, default=0, help="torch.set_num_threads (0: torch's default)")
    ap.add_argument("--json", help="write the results here")
    ap.add_argument("--dtypes", default="f32,bf16")
    args = ap.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    results = []
    for s in SHAPES:
        for dt in args.dtypes.split(","):
            tdt = {"f32": torch.float32, "bf16": torch.bfloat16}[dt]
            q = torch.randn(s["b"], s["hq"], s["sq"], s["d"]).to(tdt)
            k = torch.randn(s["b"], s["hkv"], s["skv"], s["d"]).to(tdt)
            v = torch.randn(s["b"], s["hkv"], s["skv"], s["d"]).to(tdt)
            for name, fn in (("matmul+softmax+matmul", composed), ("scaled_dot_product_attention", sdpa)):
                entry = dict(workload=workload(s, dt), method=name, torch=torch.__version__, threads=torch.get_num_threads())
                try:
                    with torch.no_grad():
                        out = fn(q, k, v, s)
                        ok, err = check(out, q, k, v, s, 1e-4 if dt == "f32" else 2e-2)
                        entry["error"] = err
                        if not ok:
                            entry["outcome"] = "incorrect"
                            print(f"{entry['workload']} {name}: incorrect (relative error {err:.2e})")
                            results.append(entry)
                            continue
                        for _ in range(args.warmup):
                            fn(q, k, v, s)
                        times = []
                        for _ in range(args.samples):
                            t0 = time.perf_counter()
                            fn(q, k, v, s)
                            times.append(time.perf_counter() - t0)
                except (RuntimeError, MemoryError) as e:  # e.g. no bf16 kernel on this CPU
                    entry["outcome"] = "unsupported"
                    entry["reason"] = str(e).splitlines()[0][:200]
                    print(f"{entry['workload']} {name}: unsupported ({entry['reason']})")
                    results.append(entry)
                    continue
                med = statistics.median(times)
                entry.update(outcome="passed", median_ms=med * 1e3, samples_s=times, tflops=flops(s) / med / 1e12)
                print(f"{entry['workload']} {name}: {med * 1e3:.1f} ms, {entry['tflops']:.4f} TFLOPS, "
                      f"error {err:.1e}, {entry['threads']} threads")
                results.append(entry)
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"results": [r for r in results if r.get("outcome") == "passed"], "all": results}, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
