# Native against the best library per workload in one result file: median ms, ratio, B rate.
import json, sys
d = json.load(open(sys.argv[1]))
rows = {}
for r in d['results']:
    if r['outcome'] == 'passed':
        rows.setdefault(r['workload'], {})[r['backend']] = r['median_s']
for w, v in rows.items():
    nat = v.get('native')
    libs = {b: t for b, t in v.items() if b != 'native'}
    best = min(libs.items(), key=lambda x: x[1]) if libs else None
    b_bytes = 4096 * 4096 * (4 if 'dt=f32' in w else 2)
    print('%-34s native %6.3f ms  %s  best/native %s  B %.1f GB/s' % (
        w, nat * 1e3, ' '.join('%s %6.3f' % (b, t * 1e3) for b, t in libs.items()),
        '%.2f' % (best[1] / nat) if best else '-', b_bytes / nat / 1e9))
