#!/usr/bin/env bash
# mschedule against Ansible, on the same N and in one run: `hostname` on N hosts.
#
#   bench/ansible-compare.sh [N ...]        default: 10 100 500
#
# Ansible: an inventory of N hosts with ansible_connection=local, timed as
#   env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root ansible all -i INV -m shell -a hostname
# (Ansible's defaults, so 5 forks). mschedule: `mschedule-bench fanout` on N real agents
# (see docs/performance.md). Each side runs RUNS times (default 3); medians are compared.
# Installs ansible-core from apt when it is missing. Not part of CI.
#
# Environment: RUNS (3), OUT (bench-results), ANSIBLE_ARGS (extra arguments, e.g. "-f 50").
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-3}
OUT=${OUT:-bench-results}
ANSIBLE_ARGS=${ANSIBLE_ARGS:-}
JAR=mschedule-bench/target/mschedule-bench.jar
if [ "$#" -gt 0 ]; then SIZES=("$@"); else SIZES=(10 100 500); fi

if ! command -v ansible >/dev/null 2>&1; then
  echo "installing ansible-core (apt)" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq ansible-core >/dev/null
fi
if [ ! -f "$JAR" ]; then
  mvn -B -q -DskipTests package
fi
mkdir -p "$OUT/ansible"
SUMMARY="$OUT/summary.csv"
[ -f "$SUMMARY" ] || echo "time,bench,n,metric,unit,median,min,max,runs" > "$SUMMARY"
echo "ansible: $(ansible --version | head -1); python: $(python3 --version 2>&1)"
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"

# median min max of the numbers on stdin
stats() { sort -g | awk '{v[NR]=$1} END {m = NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2; printf "%.1f %.1f %.1f %d\n", m, v[1], v[NR], NR}'; }

for n in "${SIZES[@]}"; do
  inv="$OUT/ansible/inventory-$n.ini"
  {
    echo "[all]"
    for i in $(seq 1 "$n"); do
      echo "h$i ansible_connection=local ansible_python_interpreter=/usr/bin/python3"
    done
  } > "$inv"

  echo "== N=$n: mschedule (fan-out, real agents) =="
  java -jar "$JAR" fanout --sizes "$n" --runs "$RUNS" --warmup 1 --out "$OUT" | tee "$OUT/ansible/mschedule-$n.txt"
  read -r ms_med ms_min ms_max <<< "$(grep "^[^,]*,fanout,$n,mschedule," "$SUMMARY" | tail -1 | cut -d, -f6-8 | tr , ' ')"

  echo "== N=$n: ansible =="
  times=()
  for r in $(seq 1 "$RUNS"); do
    log="$OUT/ansible/ansible-$n-$r.log"
    t0=$(date +%s%N)
    # shellcheck disable=SC2086
    if ! env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
        ansible all -i "$inv" -m shell -a hostname $ANSIBLE_ARGS > "$log" 2>&1; then
      echo "ansible failed, see $log" >&2
      exit 1
    fi
    t1=$(date +%s%N)
    ok=$(grep -c '| CHANGED | rc=0' "$log" || true)
    if [ "$ok" -ne "$n" ]; then
      echo "ansible: $ok of $n hosts succeeded, see $log" >&2
      exit 1
    fi
    ms=$(( (t1 - t0) / 1000000 ))
    times+=("$ms")
    echo "  N=$n round $r: ansible ${ms} ms"
  done
  read -r an_med an_min an_max an_runs <<< "$(printf '%s\n' "${times[@]}" | stats)"
  speedup=$(awk -v a="$an_med" -v m="$ms_med" 'BEGIN {printf "%.1f", a / m}')
  worst=$(awk -v a="$an_min" -v m="$ms_max" 'BEGIN {printf "%.1f", a / m}')
  best=$(awk -v a="$an_max" -v m="$ms_min" 'BEGIN {printf "%.1f", a / m}')
  now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
  {
    echo "$now,ansible,$n,ansible,ms,$an_med,$an_min,$an_max,$an_runs"
    echo "$now,ansible,$n,mschedule,ms,$ms_med,$ms_min,$ms_max,$RUNS"
    echo "$now,ansible,$n,speedup,x,$speedup,$worst,$best,$RUNS"
  } >> "$SUMMARY"
  printf 'N=%d: ansible %.0f ms (%.0f-%.0f), mschedule %.1f ms (%.1f-%.1f): mschedule %sx faster (%s-%s)\n' \
    "$n" "$an_med" "$an_min" "$an_max" "$ms_med" "$ms_min" "$ms_max" "$speedup" "$worst" "$best" \
    | tee -a "$OUT/ansible/result.txt"
done
