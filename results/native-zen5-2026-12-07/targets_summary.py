# Issue 21's targets from targets.json and the peak files taken just before and after it.
# usage: python3 targets_summary.py (in this folder)
import json, sys
p = sys.argv[1] if len(sys.argv) > 1 else 'targets'
d = json.load(open(sys.argv[1]+'.json' if len(sys.argv)>1 else 'targets.json'))
print(d['meta']['method_version'])
peaks = [json.load(open(f))['memory_bandwidth'] for f in (p+'-peak-before.json', p+'-peak-after.json')]
triads = [p['triad_gbps'] for p in peaks]
print('triad GB/s', ' '.join('%.2f' % t for t in triads), '| read-only GB/s', ' '.join('%.2f' % p['read_gbps'] for p in peaks))
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
