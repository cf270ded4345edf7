# Native against the best library per workload in one result file: median ms, ratio, and the
# rate native reads B at against the triad and the read-only figure of peak files given after it.
# usage: python3 sidebyside.py decode.json [peak.json ...]
import json, sys
d = json.load(open(sys.argv[1]))
peaks = [json.load(open(p))['memory_bandwidth'] for p in sys.argv[2:]]
triads = [p['triad_gbps'] for p in peaks]
reads = [p['read_gbps'] for p in peaks]
rows = {}
for r in d['results']:
    if r['outcome'] == 'passed':
        rows.setdefault(r['workload'], {})[r['backend']] = r['median_s']
print('triad GB/s', ' '.join('%.2f' % t for t in triads), '| read-only GB/s', ' '.join('%.2f' % t for t in reads))
for w, v in rows.items():
    nat = v.get('native')
    libs = {b: t for b, t in v.items() if b != 'native'}
    best = min(libs.items(), key=lambda x: x[1]) if libs else None
    rate = 4096 * 4096 * (4 if 'dt=f32' in w else 2) / nat / 1e9
    span = lambda xs: '%.2f-%.2f' % (rate / max(xs), rate / min(xs)) if xs else '-'
    print('%-32s native %6.3f ms  %s  best/native %s  B %.1f GB/s = %s of triad, %s of read' % (
        w, nat * 1e3, ' '.join('%s %6.3f' % (b, t * 1e3) for b, t in libs.items()),
        '%.2f' % (best[1] / nat) if best else '-', rate, span(triads), span(reads)))
