#!/usr/bin/env bash
# Slurm integration test (ctest label `slurm`; docs/fleet.md): a private single-node Slurm on
# localhost (munged, slurmctld, slurmd from the Debian packages, a generated minimal slurm.conf,
# own ports, socket and state under a temporary folder), the real scripts/slurm/submit.sh with a
# small suite as a 4-task array plus the afterok merge job, a bounded wait, and a check that the
# merged file holds every case of the suite exactly once. Stops only the daemons it started.
# Exit 77 (ctest: skipped) with the reason when Slurm cannot run here (not root, no packages).
# Usage: slurm_test.sh SOURCE_DIR ACCELBENCH_EXE WORK_DIR
set -uo pipefail
src="$1" exe="$2" work="$3"
skip() { echo "SKIPPED: $*"; exit 77; }
fail() { echo "FAILED: $*"; dump_logs; exit 1; }

[ "$(id -u)" -eq 0 ] || skip "needs root to start munged, slurmctld and slurmd (run as root, e.g. in CI)"
missing=()
for tool in munged slurmctld slurmd sbatch squeue scontrol; do command -v "$tool" >/dev/null || missing+=("$tool"); done
if [ ${#missing[@]} -gt 0 ]; then
  # scripts/setup.sh installs them; try once here so the test also runs on a bare machine.
  if command -v apt-get >/dev/null; then
    DEBIAN_FRONTEND=noninteractive timeout 300 apt-get install -y -qq --no-install-recommends \
      slurmctld slurmd slurm-client munge >/dev/null 2>&1 || true
  fi
  for tool in "${missing[@]}"; do
    command -v "$tool" >/dev/null || skip "$tool not installed (Debian packages slurmctld slurmd slurm-client munge; scripts/setup.sh installs them)"
  done
fi

rm -rf "$work"
mkdir -p "$work"/{state,spool,log,run,results}
chmod 700 "$work"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null
  done
}
trap cleanup EXIT
dump_logs() { for f in "$work"/log/*.log; do echo "== $f"; tail -20 "$f"; done; }

# munge: a private key and socket, so a system munged (if any) is not touched.
dd if=/dev/urandom of="$work/munge.key" bs=1024 count=1 status=none
chmod 600 "$work/munge.key"
socket="$work/run/munge.socket"
munged --force --foreground --key-file="$work/munge.key" --socket="$socket" --pid-file="$work/run/munged.pid" \
  --log-file="$work/log/munged.log" --seed-file="$work/state/munged.seed" >/dev/null 2>&1 &
pids+=($!)
for _ in $(seq 50); do [ -S "$socket" ] && break; sleep 0.1; done
[ -S "$socket" ] || skip "munged did not start (see $work/log/munged.log)"

# Ports from this process id, away from the defaults (6817/6818) a real cluster uses.
base=$((20000 + ($$ % 20000)))
cpus=$(nproc)
cat > "$work/slurm.conf" <<CONF
ClusterName=accelbenchtest
SlurmctldHost=localhost
SlurmctldPort=$base
SlurmdPort=$((base + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$socket
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/run/slurmctld.pid
SlurmdPidFile=$work/run/slurmd.pid
SlurmctldLogFile=$work/log/slurmctld.log
SlurmdLogFile=$work/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
MpiDefault=none
ReturnToService=2
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
NodeName=localhost CPUs=$cpus RealMemory=1000 State=UNKNOWN
PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF="$work/slurm.conf"
slurmctld -D -i -f "$SLURM_CONF" >"$work/log/slurmctld.out" 2>&1 &
pids+=($!)
slurmd -D -f "$SLURM_CONF" >"$work/log/slurmd.out" 2>&1 &
pids+=($!)
up=0
for _ in $(seq 100); do
  if sinfo -h -o '%T' 2>/dev/null | grep -qE '^(idle|mixed|allocated)'; then up=1; break; fi
  sleep 0.2
done
[ "$up" -eq 1 ] || { dump_logs; skip "slurmctld/slurmd did not come up on localhost (logs above)"; }
echo "slurm: $(sinfo -h -o '%P %a %D %T %N')"

# The suite: 8 small workloads; 4 shards hold 2 each.
cat > "$work/suite.txt" <<'SUITE'
# slurm integration test
@option min-time=0.005,timeout=0.02,min-samples=2,warmup-time=0
gemm:m=[8,16,24,32],n=8,k=8,dt=f32
attn:b=1,hq=2,hkv=1,sq=[8,16],skv=8,d=8,causal=[0,1],dt=f32
SUITE
cd "$work"
export ACCELBENCH="$exe" ACCELBENCH_RESULTS="$work/results"
submitted=$("$src/scripts/slurm/submit.sh" 4 --max-parallel 2 -- --suite "$work/suite.txt" -b reference --cache hot) \
  || fail "submit.sh failed"
echo "slurm: $submitted"
merge_job=$(echo "$submitted" | sed -n 's/.*merge job \([0-9]*\).*/\1/p')
[ -n "$merge_job" ] || fail "no merge job id in: $submitted"

deadline=$((SECONDS + 180))
while [ $SECONDS -lt $deadline ]; do
  [ -z "$(squeue -h 2>/dev/null)" ] && break
  sleep 1
done
[ -z "$(squeue -h 2>/dev/null)" ] && echo "slurm: queue drained" || fail "jobs still queued after 180 s: $(squeue -h)"
[ -f "$work/results/merged.json" ] || { cat "$work"/accelbench-*.log 2>/dev/null; fail "no merged.json (merge job did not run)"; }

expected=$("$exe" list workloads "$work/suite.txt" | grep -E '^(gemm|attn):' | sort)
python3 - "$work/results/merged.json" "$expected" <<'PY' || fail "merged result check"
import json, sys
merged = json.load(open(sys.argv[1]))
expected = sorted(sys.argv[2].split())
got = sorted(r["workload"] for r in merged["results"])
shards = {r["run_id"] for r in merged["results"]}
assert got == expected, f"cases differ:\n got {got}\n want {expected}"
assert len(shards) == 1 and next(iter(shards)).startswith("slurm-"), f"run ids {shards}"
assert all(r["outcome"] == "passed" for r in merged["results"]), [r["outcome"] for r in merged["results"]]
print(f"slurm: merged.json holds the {len(got)} cases of the suite exactly once (run {shards.pop()})")
PY
n=$(ls "$work"/results/shard-*.json | wc -l)
[ "$n" -eq 4 ] || fail "expected 4 shard files, found $n"
echo "PASSED"
