#!/usr/bin/env bash
# How much memory a container needs (issue 18): runs the gateway inside a memory cgroup of each limit, with the page
# cache dropped first so that the binary's pages are charged to that cgroup as in a fresh container, and streams at 256
# connections through it. VmRSS counts the binary's clean file-backed pages, which the kernel drops and reads back
# under a limit; what decides whether a limit works is the throughput and the major faults under it.
#
#   sudo bench/memory-limit.sh --gateway out/llmgate                  limits 200,160,140,120 MiB
#   sudo bench/memory-limit.sh --gateway out/llmgate --limits 256,160 --connections 64 --seconds 10
#
# Needs root (a cgroup of its own, drop_caches), cgroup v2 or v1's memory controller, wrk and curl.
# Ports 19100 (the fake upstream) and 19102 (the gateway). The config is PagerDuty alerting off, one deployment.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
# shellcheck source=bench/wrk-target.sh
. "$root/bench/wrk-target.sh"
limits="200,160,140,120"
gateway="$root/out/llmgate"
connections=256
seconds=15
work="${TMPDIR:-/tmp}/llmgate-memory-limit"
upstream_port=19100
gateway_port=19102

while [ $# -gt 0 ]; do
  case "$1" in
    --limits) limits="$2"; shift 2 ;;
    --gateway) gateway="$(realpath "$2")"; shift 2 ;;
    --connections) connections="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "memory-limit: unknown option $1 (--help)" >&2; exit 2 ;;
  esac
done

for tool in wrk curl dotnet; do
  command -v "$tool" >/dev/null || { echo "memory-limit: $tool is needed" >&2; exit 2; }
done
[ "$(id -u)" = 0 ] || { echo "memory-limit: needs root (a cgroup of its own, drop_caches)" >&2; exit 2; }
[ -x "$gateway" ] || { echo "memory-limit: no gateway binary at $gateway (dotnet publish src/LlmGate -c Release -r linux-x64 -o out)" >&2; exit 2; }

# cgroup v2 where its memory controller is enabled for children, else v1's memory hierarchy.
if grep -qw memory /sys/fs/cgroup/cgroup.subtree_control 2>/dev/null; then
  cgroup=/sys/fs/cgroup/llmgate-memory-limit; limit_file=memory.max; peak_file=memory.peak
elif [ -d /sys/fs/cgroup/memory ]; then
  cgroup=/sys/fs/cgroup/memory/llmgate-memory-limit; limit_file=memory.limit_in_bytes; peak_file=memory.max_usage_in_bytes
else
  echo "memory-limit: no cgroup memory controller found" >&2; exit 2
fi

mkdir -p "$work"
write_gateway_config "$work/config.yaml" "$upstream_port"
write_wrk_script "$work/stream.lua" stream

upstream_pid=""; gateway_pid=""
remove_cgroup() {
  [ -d "$cgroup" ] || return 0
  for pid in $(cat "$cgroup/cgroup.procs" 2>/dev/null); do kill -9 "$pid" 2>/dev/null || true; done
  for _ in $(seq 1 50); do rmdir "$cgroup" 2>/dev/null && return 0; sleep 0.1; done
}
cleanup() {
  [ -n "$gateway_pid" ] && kill "$gateway_pid" 2>/dev/null || true
  [ -n "$upstream_pid" ] && kill "$upstream_pid" 2>/dev/null || true
  remove_cgroup
}
trap cleanup EXIT
# A gateway thrashing under too small a limit may not finish a graceful stop in useful time.
stop_gateway() {
  kill "$gateway_pid" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$gateway_pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$gateway_pid" 2>/dev/null || true
  wait "$gateway_pid" 2>/dev/null || true
  gateway_pid=""
}
wait_for() { for _ in $(seq 1 300); do curl -s -o /dev/null "http://127.0.0.1:$1/" && return 0; sleep 0.1; done; return 1; }
# "req/s errors": wrk's throughput and its non-2xx answers plus socket errors.
load() {
  wrk -t1 -c"$connections" -d"${seconds}s" -s "$work/stream.lua" "http://127.0.0.1:$gateway_port/v1/chat/completions" |
    awk '/Requests\/sec/ {rps=$2} /Non-2xx/ {e+=$NF} /Socket errors/ {for (i=4; i<=NF; i+=2) {gsub(",", "", $i); e+=$i}} END {printf "%d %d", rps, e}'
}

dotnet build "$root/bench/LlmGate.Bench" -c Release -nologo -v quiet -clp:ErrorsOnly
dotnet "$root/bench/LlmGate.Bench/bin/Release/net10.0/LlmGate.Bench.dll" serve-upstream --port "$upstream_port" >"$work/upstream.log" 2>&1 &
upstream_pid=$!
wait_for "$upstream_port"

printf '%-9s %9s %9s %7s %9s %9s %9s %12s\n' limit_MiB warm_rps rps errors rss_MiB anon_MiB peak_MiB major_faults
IFS=',' read -r -a limit_list <<<"$limits"
for limit in "${limit_list[@]}"; do
  remove_cgroup
  mkdir "$cgroup"
  echo $((limit * 1024 * 1024)) >"$cgroup/$limit_file"
  rm -rf "$work/data"
  sync; echo 1 >/proc/sys/vm/drop_caches
  # The shell joins the cgroup, then becomes the gateway: every page it touches is charged there.
  sh -c 'echo $$ >"$1/cgroup.procs"; shift; exec "$@"' sh "$cgroup" \
    "$gateway" --config "$work/config.yaml" --port "$gateway_port" --data-dir "$work/data" >"$work/gateway-$limit.log" 2>&1 &
  gateway_pid=$!
  if ! wait_for "$gateway_port"; then
    printf '%-9s did not start (log: %s)\n' "$limit" "$work/gateway-$limit.log"; stop_gateway; continue
  fi
  faults_before=$(awk '{print $12}' "/proc/$gateway_pid/stat")
  read -r warm_rps warm_errors <<<"$(load)"
  read -r rps errors <<<"$(load)"
  faults=$(( $(awk '{print $12}' "/proc/$gateway_pid/stat") - faults_before ))
  rss=$(awk '/^VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$gateway_pid/status")
  anon=$(awk '/^Anonymous/ {printf "%.0f", $2 / 1024}' "/proc/$gateway_pid/smaps_rollup")
  peak=$(( $(cat "$cgroup/$peak_file" 2>/dev/null || echo 0) / 1048576 ))
  printf '%-9s %9s %9s %7s %9s %9s %9s %12s\n' "$limit" "$warm_rps" "$rps" "$((warm_errors + errors))" "$rss" "$anon" "$peak" "$faults"
  stop_gateway
done
echo "warm: the first ${seconds} s of load after start; rps, errors, rss, anon and faults: the next ${seconds} s (faults over both)."
