# Issue 21's GEMM targets from PREFIX.json and the peak files taken just before and after it
# (PREFIX-peak-before.json, PREFIX-peak-after.json): best library / native per workload and, for
# the decode shapes, B's streaming rate against both triads.
# usage: python3 tools/native_extras/targets_summary.py [PREFIX]   (in the results folder; PREFIX
# defaults to "targets"; results/native-zen5-2026-12-07/targets.sh writes such files)
import json, sys
p = sys.argv[1] if len(sys.argv) > 1 else 'targets'
d = json.load(open(p + '.json'))
print(d['meta']['method_version'])
peaks = [json.load(open(f))['memory_bandwidth'] for f in (p+'-peak-before.json', p+'-peak-after.json')]
triads = [x['triad_gbps'] for x in peaks]
print('triad GB/s', ' '.join('%.2f' % t for t in triads), '| read-only GB/s', ' '.join('%.2f' % x['read_gbps'] for x in peaks))
rows = {}
for r in d['results']:
    rows.setdefault(r['workload'], {})[r['backend']] = r['median_s'] if r['outcome'] == 'passed' else None
for w, v in rows.items():
    nat = v['native']
    libs = {b: t for b, t in v.items() if b != 'native' and t}
    best = min(libs.items(), key=lambda x: x[1]) if libs else None
    line = '%-42s native %8.3f ms  %s  best/native %s' % (
        w, nat * 1e3, ' '.join('%s %.3f' % (b, t * 1e3) for b, t in libs.items()), '%.2f' % (best[1] / nat) if best else '-')
    if 'n=4096,k=4096' in w and 'm=4096' not in w:
        rate = 4096 * 4096 * (4 if 'dt=f32' in w else 2) / nat / 1e9
        line += '  B %.1f GB/s = %.2f-%.2f of triad' % (rate, rate / max(triads), rate / min(triads))
    print(line)
