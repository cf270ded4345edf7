import sys,re,collections,statistics
d=collections.defaultdict(lambda: collections.defaultdict(list))
order=[]
for line in open(sys.argv[1]):
    m=re.match(r'(\S+)\s+(\S+)\s+med\s+([\d.]+)',line)
    if not m: continue
    v,w,t=m.group(1),m.group(2),float(m.group(3))
    d[w][v].append(t)
    if v not in order: order.append(v)
base=order[0]
for w in d:
    meds={v:statistics.median(d[w][v]) for v in order}
    print('%-36s '%w+' '.join('%s %.3f'%(v,meds[v]) for v in order)+'  ratio '+' '.join('%.3f'%(meds[v]/meds[base]) for v in order[1:]))
