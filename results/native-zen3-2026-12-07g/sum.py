import sys, collections, statistics
d=collections.defaultdict(list)
for line in open(sys.argv[1]):
    f=line.split()
    d[(f[1],f[0])].append(float(f[3]))
for k in sorted(d):
    v=d[k]; print('%-36s %-16s n=%d median %.3f  min %.3f  [%s]' % (k[0],k[1],len(v),statistics.median(v),min(v),' '.join('%.2f'%x for x in v)))
