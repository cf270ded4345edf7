#!/usr/bin/env python3
"""usage: triad-rounds.py OUTDIR "VARIANTS": per workload and variant, the median over rounds of
the run's median time, of its B-streaming rate as a fraction of that round's triad, and of its
time over the first variant's in the same round (paired ratio)."""
import glob, json, re, statistics, sys

out, variants = sys.argv[1], sys.argv[2].split()
times = {}  # (workload, variant) -> {round: seconds}
ratios = {}  # (workload, variant) -> [B rate / triad]
for peak_path in sorted(glob.glob(f"{out}/peak-*.json")):
    i = re.search(r"peak-(\d+)\.json", peak_path).group(1)
    triad = json.load(open(peak_path))["memory_bandwidth"]["triad_gbps"] * 1e9
    for v in variants:
        for r in json.load(open(f"{out}/{v}-{i}.json"))["results"]:
            if r.get("outcome") != "passed":
                continue
            f = dict(kv.split("=") for kv in r["workload"].split(":", 1)[1].split(","))
            b_bytes = int(f["k"]) * int(f["n"]) * (2 if f["dt"].startswith("bf16") else 4)
            s = r["stats"]["median_s"]
            times.setdefault((r["workload"], v), {})[i] = s
            ratios.setdefault((r["workload"], v), []).append(b_bytes / s / triad)
for (w, v), by_round in sorted(times.items()):
    base = times[(w, variants[0])]
    paired = [by_round[i] / base[i] for i in by_round if i in base]
    xs = ratios[(w, v)]
    print(f"{w:34s} {v:5s} rounds {len(by_round):2d}  median {statistics.median(by_round.values())*1e3:6.3f} ms"
          f"  B/triad {statistics.median(xs):.3f} ({min(xs):.2f}-{max(xs):.2f})"
          f"  time / {variants[0]} {statistics.median(paired):.3f}")
