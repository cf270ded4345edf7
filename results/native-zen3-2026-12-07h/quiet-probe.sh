#!/bin/bash
# Probes the host every 5 minutes with `peak --no-gemm`; on the first triad >= 35 GB/s (a quiet
# host: 37 in the one quiet window seen) it runs the targets command once, then peak again.
bin=/tmp/accelbench-cur; out=/tmp/s8/watch; deadline=$(date -d '21:05' +%s)
while [ $(date +%s) -lt $deadline ]; do
  t=$(date +%H%M%S)
  $bin peak --no-gemm > $out/peak-$t.txt 2>&1
  triad=$(grep -o '[0-9.]* GB/s STREAM triad' $out/peak-$t.txt | cut -d' ' -f1)
  echo "$t triad $triad" >> $out/log.txt
  if [ -n "$triad" ] && python3 -c "import sys; sys.exit(0 if float('$triad') >= 35 else 1)"; then
    echo "$t quiet: targets" >> $out/log.txt
    $bin run -b native,openblas,onednn -w 'gemm:m=4096,n=4096,k=4096,dt=f32' \
      -w 'gemm:m=[1,2,8,16,32],n=4096,k=4096,dt=[f32,bf16]' -w 'gemm:m=40,n=40,k=64,batch=2048,dt=f32' \
      -w 'gemm:m=4,n=128,k=1,batch=240,dt=f32' --repetitions 3 --min-samples 5 --min-time 0.3 --timeout 4 \
      --warmup-time 0.05 -o $out/targets-$t.json > $out/targets-$t.txt 2>&1
    t2=$(date +%H%M%S); $bin peak --no-gemm > $out/peak-after-$t2.txt 2>&1
    echo "$t2 done; after: $(grep -o '[0-9.]* GB/s STREAM triad' $out/peak-after-$t2.txt)" >> $out/log.txt
    exit 0
  fi
  sleep 300
done
