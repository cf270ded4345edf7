#!/usr/bin/env python3
"""PyTorch side-by-side for scripts/gpu-check.sh: torch.matmul and scaled_dot_product_attention
timed with CUDA events on the same shapes and dtypes as accelbench's workload strings, written as
accelbench-comparable JSON (one record per workload: the canonical workload string, backend
"torch", median_s, tflops under accelbench's FLOP conventions, every sample).

Usage: gpu-check-torch.py --workloads FILE --out FILE [--dry] [--min-time S] [--max-samples N]
       gpu-check-torch.py --join TORCH.json ACCELBENCH.json... --out RATIOS.md
  --workloads FILE  one canonical accelbench workload string per line (gemm:... / attn:...)
  --dry             parse and size every workload, time nothing (no torch needed); the output
                    says why the GPU part is unavailable
  --join            the ratio table: each accelbench record beside torch's of the same workload
                    (accelbench TFLOPS / torch TFLOPS; both hot-cache in gpu-check.sh)
Exit codes: 0 written (cases that could not run say why), 2 bad input.
Not the accelbench result schema: `accelbench report` does not read this file; gpu-check.sh joins
it with accelbench's results by workload string (the ratio table of its summary).
"""
import argparse
import json
import os
import statistics
import sys
import time

DT_TORCH = {"f32": "float32", "tf32": "float32", "bf16": "bfloat16", "f16": "float16",
            "f8e4m3": "float8_e4m3fn", "f64": "float64"}


def parse(text):
    kind, _, rest = text.partition(":")
    if kind not in ("gemm", "attn"):
        raise ValueError(f"{text}: not a gemm: or attn: workload")
    fields = {}
    for item in rest.split(","):
        key, _, value = item.partition("=")
        fields[key] = value
    w = {"kind": kind, "text": text}
    dt = fields.get("dt", "")
    w["dt_in"] = dt.split(":")[0]
    w["dt_out"] = dt.split(":")[1] if ":" in dt else w["dt_in"]
    if w["dt_in"] not in DT_TORCH:
        raise ValueError(f"{text}: dt={dt} has no torch equivalent here")
    if kind == "gemm":
        for k in ("m", "n", "k"):
            w[k] = int(fields[k])
        w["ta"] = fields.get("ta", "n")
        w["tb"] = fields.get("tb", "n")
        w["batch"] = int(fields.get("batch", "1"))
        w["flops"] = 2 * w["m"] * w["n"] * w["k"] * w["batch"]
    else:
        for k in ("b", "hq", "hkv", "sq", "skv", "d", "causal"):
            w[k] = int(fields[k])
        sq, skv = w["sq"], w["skv"]
        if w["causal"]:
            pairs = sum(min(max(i + skv - sq + 1, 0), skv) for i in range(sq))
        else:
            pairs = sq * skv
        w["flops"] = 4 * w["b"] * w["hq"] * w["d"] * pairs  # attn-fwd-4pd-exact-causal-v1
    return w


def time_fn(torch, fn, min_time, max_samples):
    """Warm up, then time single calls with CUDA events until min_time of samples or max_samples."""
    for _ in range(3):
        fn()
    torch.cuda.synchronize()
    samples = []
    started = time.monotonic()
    while len(samples) < max_samples and (len(samples) < 10 or time.monotonic() - started < min_time):
        start = torch.cuda.Event(enable_timing=True)
        stop = torch.cuda.Event(enable_timing=True)
        start.record()
        fn()
        stop.record()
        stop.synchronize()
        samples.append(start.elapsed_time(stop) / 1e3)
    return samples


def gemm_case(torch, w):
    dev = "cuda"
    dt = getattr(torch, DT_TORCH[w["dt_in"]])
    torch.backends.cuda.matmul.allow_tf32 = w["dt_in"] == "tf32"
    m, n, k = w["m"], w["n"], w["k"]
    if w["ta"] != "n" or w["batch"] != 1:
        raise RuntimeError("only ta=n, batch=1 are timed here")
    a = torch.randn(m, k, device=dev).to(dt)
    # B stored n x k for tb=t (accelbench's layout), k x n otherwise.
    b = torch.randn(n, k, device=dev).to(dt) if w["tb"] == "t" else torch.randn(k, n, device=dev).to(dt)
    if w["dt_in"] == "f8e4m3":
        one = torch.ones((), device=dev, dtype=torch.float32)
        out_dt = getattr(torch, DT_TORCH[w["dt_out"]]) if w["dt_out"] in DT_TORCH else torch.bfloat16
        if w["tb"] != "t":
            raise RuntimeError("torch._scaled_mm needs B column-major: only tb=t")
        fn = lambda: torch._scaled_mm(a, b.t(), scale_a=one, scale_b=one, out_dtype=out_dt)
        api = "torch._scaled_mm"
    else:
        bb = b.t() if w["tb"] == "t" else b
        fn = lambda: torch.matmul(a, bb)
        api = "torch.matmul" + (" (allow_tf32)" if w["dt_in"] == "tf32" else "")
    return fn, api


def attn_case(torch, w):
    import torch.nn.functional as F
    dev = "cuda"
    dt = getattr(torch, DT_TORCH[w["dt_in"]])
    if w["causal"] and w["sq"] != w["skv"]:
        raise RuntimeError("SDPA's is_causal is top-left aligned; accelbench's is bottom-right: only sq == skv")
    q = torch.randn(w["b"], w["hq"], w["sq"], w["d"], device=dev, dtype=dt)
    k = torch.randn(w["b"], w["hkv"], w["skv"], w["d"], device=dev, dtype=dt)
    v = torch.randn(w["b"], w["hkv"], w["skv"], w["d"], device=dev, dtype=dt)
    gqa = w["hq"] != w["hkv"]
    causal = bool(w["causal"])
    try:
        F.scaled_dot_product_attention(q, k, v, is_causal=causal, enable_gqa=gqa)
        fn = lambda: F.scaled_dot_product_attention(q, k, v, is_causal=causal, enable_gqa=gqa)
        api = "scaled_dot_product_attention(enable_gqa)"
    except TypeError:  # torch < 2.5: no enable_gqa; expand K/V (not timed)
        rep = w["hq"] // w["hkv"]
        k2, v2 = k.repeat_interleave(rep, dim=1), v.repeat_interleave(rep, dim=1)
        fn = lambda: F.scaled_dot_product_attention(q, k2, v2, is_causal=causal)
        api = "scaled_dot_product_attention(K/V expanded)"
    return fn, api


def join(torch_file, result_files, out):
    """Markdown: accelbench's records beside torch's by workload string, with the ratio."""
    try:
        with open(torch_file) as f:
            torch_doc = json.load(f)
        records = []
        for name in result_files:
            with open(name) as f:
                records += [(name, r) for r in json.load(f).get("results", [])]
    except (OSError, ValueError) as e:
        print(f"gpu-check-torch.py: --join: {e}", file=sys.stderr)
        return 2
    torch_by = {r["workload"]: r for r in torch_doc.get("results", [])}
    # Both sides must count the same work (accelbench's FLOP conventions), or the ratio is wrong.
    mismatched = [f"{r['workload']}: accelbench {r.get('flops')} FLOPs, torch {torch_by[r['workload']]['flops']}"
                  for _, r in records
                  if r.get("workload") in torch_by and r.get("flops") != torch_by[r["workload"]]["flops"]]
    for m in mismatched:
        print(f"gpu-check-torch.py: FLOP count differs: {m}", file=sys.stderr)
    compared = sum(1 for _, r in records if r.get("workload") in torch_by)
    print(f"gpu-check-torch.py: {compared} accelbench records have a torch case; {len(mismatched)} FLOP counts differ")
    lines = ["## accelbench vs PyTorch (same workload, same run)", "",
             f"torch: {torch_doc.get('torch_version') or '-'} on {torch_doc.get('device') or '-'}"
             + ("" if torch_doc.get("available") else f" (unavailable: {torch_doc.get('reason')})"), "",
             "| workload | backend | cache | outcome | TFLOPS | torch TFLOPS | ratio | plan |",
             "|---|---|---|---|---|---|---|---|"]
    for name, r in records:
        t = torch_by.get(r.get("workload"), {})
        a_tf, t_tf = r.get("tflops"), t.get("tflops")
        ratio = f"{a_tf / t_tf:.3f}" if a_tf and t_tf else "-"
        fmt = lambda v: f"{v:.1f}" if v else "-"
        plan = (r.get("plan") or r.get("reason") or "").replace("|", "/")[:100]
        lines.append(f"| `{r.get('workload')}` | {r.get('backend')} | {r.get('cache_policy')} | {r.get('outcome')} | "
                     f"{fmt(a_tf)} | {fmt(t_tf) if t_tf else t.get('outcome', 'no torch case')} | {ratio} | {plan} |")
    # The first GPU session's targets (docs/cuda.md; ratios in one run on the same card); "-" where a side is missing.
    targets = [("cuda_tuned", "gemm:m=8192,n=8192,k=8192,tb=t,dt=bf16", 0.97, "cuBLASLt bf16 8192^3 vs torch.matmul"),
               ("cuda", "attn:b=1,hq=32,hkv=8,sq=4096,skv=4096,d=128,causal=1,dt=bf16", 0.95,
                "cuDNN fused attention bf16 causal s=4096 vs SDPA")]
    lines += ["", "### Targets (docs/cuda.md)", "", "| target | accelbench / torch | needed | met |", "|---|---|---|---|"]
    for backend, workload, needed, what in targets:
        a = next((r for _, r in records if r.get("backend") == backend and r.get("workload") == workload), {})
        t = torch_by.get(workload, {})
        if a.get("tflops") and t.get("tflops"):
            ratio = a["tflops"] / t["tflops"]
            lines.append(f"| {what} ({backend}) | {ratio:.3f} | >= {needed} | {'yes' if ratio >= needed else 'NO'} |")
        else:
            lines.append(f"| {what} ({backend}) | - | >= {needed} | not measured |")
    with open(out, "w") as f:
        f.write("\n".join(lines) + "\n")
    return 1 if mismatched else 0


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--join", nargs="+", metavar="FILE")
    p.add_argument("--workloads")
    p.add_argument("--out", required=True)
    p.add_argument("--dry", action="store_true")
    p.add_argument("--min-time", type=float, default=0.3)
    p.add_argument("--max-samples", type=int, default=200)
    args = p.parse_args()
    if args.join:
        if len(args.join) < 2:
            p.error("--join TORCH.json ACCELBENCH.json...")
        return join(args.join[0], args.join[1:], args.out)
    if not args.workloads:
        p.error("--workloads FILE is required")
    try:
        with open(args.workloads) as f:
            workloads = [parse(line.strip()) for line in f if line.strip() and not line.startswith("#")]
    except (OSError, ValueError, KeyError) as e:
        print(f"gpu-check-torch.py: {args.workloads}: {e}", file=sys.stderr)
        return 2

    doc = {"tool": "gpu-check-torch.py", "comparable_to": "accelbench results[] by workload string",
           "timing": "CUDA events around one call, after 3 warm-up calls; hot caches; median of samples",
           "available": False, "reason": "", "torch_version": None, "device": None, "results": []}
    torch = None
    if args.dry:
        doc["reason"] = "dry run: nothing timed"
    else:
        try:
            import torch as torch_module
            torch = torch_module
            doc["torch_version"] = torch.__version__
            doc["cuda_version"] = torch.version.cuda
            doc["cudnn_version"] = torch.backends.cudnn.version()
            if not torch.cuda.is_available():
                doc["reason"] = "torch.cuda.is_available() is False"
                torch = None
            else:
                doc["available"] = True
                doc["device"] = torch.cuda.get_device_name(0)
        except Exception as e:  # noqa: BLE001 - any import failure means unavailable
            doc["reason"] = f"import torch failed: {e}"
            torch = None

    for w in workloads:
        rec = {"workload": w["text"], "kind": w["kind"], "backend": "torch", "dtype": w["dt_in"],
               "flops": w["flops"], "cache_policy": "hot", "outcome": "unavailable",
               "reason": doc["reason"], "api": None, "median_s": None, "tflops": None, "samples_s": []}
        if torch is not None:
            try:
                fn, api = (gemm_case if w["kind"] == "gemm" else attn_case)(torch, w)
                samples = time_fn(torch, fn, args.min_time, args.max_samples)
                med = statistics.median(samples)
                rec.update(outcome="timed", reason="", api=api, median_s=med,
                           tflops=w["flops"] / med / 1e12 if med > 0 else None, samples_s=samples,
                           cv=statistics.pstdev(samples) / statistics.mean(samples))
            except Exception as e:  # noqa: BLE001 - one case failing must not stop the others
                rec.update(outcome="failed", reason=f"{type(e).__name__}: {e}")
            finally:
                torch.cuda.empty_cache()
        doc["results"].append(rec)
        tf = f"{rec['tflops']:.1f} TFLOPS" if rec["tflops"] else rec["reason"]
        print(f"torch  {w['text']:<60} {rec['outcome']:<11} {tf}", flush=True)
        write(doc, args.out)  # after every case: a step killed by its timeout keeps what it timed
    write(doc, args.out)
    return 0


def write(doc, out):
    with open(out + ".tmp", "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
    os.replace(out + ".tmp", out)


if __name__ == "__main__":
    sys.exit(main())
