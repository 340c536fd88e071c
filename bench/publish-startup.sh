#!/usr/bin/env bash
# Start hot (issue 18): publishes the gateway in each candidate form and measures, for each,
#   start-up  exec -> first 200 on POST /v1/chat/completions through the gateway to the fake upstream (median of N starts)
#   RSS       right after that first 200 (median) and after the load below
#   req/s     wrk -t1 -c64 for the first 10 s from start (begun the moment the port answers), then after 30 s of load
#   size      of the published output
# and prints a table. The gateway runs with PagerDuty alerting on (thresholds never reached), the issue's condition.
#
#   bench/publish-startup.sh                       jit, r2r, r2r-pgo-off: 2.5 min of measuring plus the builds (4-6 min on 2 busy cores)
#   bench/publish-startup.sh --candidates jit,r2r --starts 3 --skip-build
#   bench/publish-startup.sh --help
#
# Needs wrk, curl and python3. Ports 19100-19199 (19100 the fake upstream, 19101 the gateway).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
# shellcheck source=bench/wrk-target.sh
. "$root/bench/wrk-target.sh"
candidates="jit,r2r,r2r-pgo-off"
starts=5
first_seconds=10
soak_seconds=20
steady_seconds=10
work="${TMPDIR:-/tmp}/llmgate-publish-startup"
skip_build=0
upstream_port=19100
gateway_port=19101

usage() {
  cat <<'EOF'
bench/publish-startup.sh [options]
  --candidates LIST   comma-separated, default jit,r2r,r2r-pgo-off; all known:
                        jit             today's framework-dependent build: dotnet src/LlmGate/bin/Release/net10.0/llmgate.dll
                        r2r             self-contained single file, ReadyToRun (the README's publish command): one
                                        composite image rooted in the assemblies the gateway loads (src/LlmGate/ReadyToRun.targets)
                        r2r-full-composite  the same with the SDK's default composite: the app and the whole framework
                        r2r-separate    the same with each assembly compiled on its own (PublishReadyToRunComposite=false)
                        r2r-folder      self-contained ReadyToRun as a folder (apphost beside its .dll files), not one file
                        r2r-pgo-off     the r2r binary run with DOTNET_TieredPGO=0 (measurement only)
                        r2r-tc-off      the r2r binary run with DOTNET_TieredCompilation=0 (R2R code kept, the rest fully optimised at once)
                        r2r-qjfl-off    the r2r binary run with DOTNET_TC_QuickJitForLoops=0 (methods with loops jitted optimised at once)
                        r2r-ccd0        the r2r binary run with DOTNET_TC_CallCountingDelayMs=0 (hot methods counted from the first call, not after start-up goes quiet)
                        sc-jit          the r2r binary run with DOTNET_ReadyToRun=0 (its precompiled code ignored: what R2R buys)
                        r2r-hot-jit     the r2r binary with the precompiled code of the hot path's six assemblies ignored
                                        (DOTNET_ReadyToRunExcludeList): JIT-compiled there with full dynamic PGO
                        aot             Native AOT (builds only without the request delegate generator, then answers every request 500)
  --starts N          start-up samples per candidate (default 5)
  --first S           first window, from start (default 10 s)
  --soak S            load between the first and the steady window (default 20 s: steady starts after 30 s of load)
  --steady S          steady window (default 10 s)
  --skip-build        reuse what an earlier run published under --work
  --work DIR          where candidates are published and gateways keep their data (default $TMPDIR/llmgate-publish-startup)
EOF
}

while [ $# -gt 0 ]; do
  case "$1" in
    --candidates) candidates="$2"; shift 2 ;;
    --starts) starts="$2"; shift 2 ;;
    --first) first_seconds="$2"; shift 2 ;;
    --soak) soak_seconds="$2"; shift 2 ;;
    --steady) steady_seconds="$2"; shift 2 ;;
    --skip-build) skip_build=1; shift ;;
    --work) work="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done

for tool in wrk curl python3 dotnet; do
  command -v "$tool" >/dev/null || { echo "publish-startup: $tool is needed" >&2; exit 2; }
done
mkdir -p "$work"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# The csproj makes a publish with a runtime self-contained, single-file and ReadyToRun (README "Publishing for production").
publish_common=(-c Release -r linux-x64)

# Where each candidate's published output lives and what is published there.
publish_dir() {
  case "$1" in
    jit) echo "$root/src/LlmGate/bin/Release/net10.0" ;;
    r2r|r2r-pgo-off|r2r-tc-off|r2r-qjfl-off|r2r-ccd0|sc-jit|r2r-hot-jit) echo "$work/r2r" ;;
    r2r-full-composite) echo "$work/r2r-full-composite" ;;
    r2r-separate) echo "$work/r2r-separate" ;;
    r2r-folder) echo "$work/r2r-folder" ;;
    aot) echo "$work/aot" ;;
    *) echo "unknown candidate $1" >&2; exit 2 ;;
  esac
}

declare -A built=()
build() {
  local name="$1" dir
  dir="$(publish_dir "$name")"
  [ -n "${built[$dir]:-}" ] && return
  built[$dir]=1
  if [ "$skip_build" = 1 ] && { [ -x "$dir/llmgate" ] || [ -f "$dir/llmgate.dll" ]; }; then return; fi
  # The SDK reuses compiled images it finds under obj/ even when the composite settings changed: start each form clean.
  rm -rf "$root/src/LlmGate/obj/Release/net10.0/linux-x64/R2R"
  if [ "$name" = jit ]; then
    dotnet build "$root/src/LlmGate" -c Release -v q -nologo >/dev/null
    return
  fi
  local properties
  read -r -a properties <<<"$(publish_properties_of "$name")"
  rm -rf "$dir"
  dotnet publish "$root/src/LlmGate" "${publish_common[@]}" "${properties[@]}" -o "$dir" -v q -nologo >/dev/null
}

# What each published form sets beyond the README's publish command (publish_dir says which forms share one publish).
publish_properties_of() {
  case "$1" in
    r2r-full-composite) echo "-p:LlmGateFullComposite=true" ;;
    r2r-separate) echo "-p:PublishReadyToRunComposite=false" ;;
    r2r-folder) echo "-p:PublishSingleFile=false" ;;
    aot) echo "-p:PublishAot=true -p:PublishReadyToRun=false -p:PublishSingleFile=false -p:EnableRequestDelegateGenerator=false -p:TreatWarningsAsErrors=false" ;;
    *) echo "" ;;
  esac
}

# The command line and the extra environment of a candidate.
command_of() {
  local dir; dir="$(publish_dir "$1")"
  case "$1" in
    jit) echo "dotnet $dir/llmgate.dll" ;;
    *) echo "$dir/llmgate" ;;
  esac
}
env_of() {
  case "$1" in
    r2r-pgo-off) echo "DOTNET_TieredPGO=0" ;;
    r2r-tc-off) echo "DOTNET_TieredCompilation=0" ;;
    r2r-qjfl-off) echo "DOTNET_TC_QuickJitForLoops=0" ;;
    r2r-ccd0) echo "DOTNET_TC_CallCountingDelayMs=0" ;;
    sc-jit) echo "DOTNET_ReadyToRun=0" ;;
    r2r-hot-jit) echo "DOTNET_ReadyToRunExcludeList=llmgate;System.Net.Http;System.Net.Sockets;System.IO.Pipelines;Microsoft.AspNetCore.Server.Kestrel.Core;Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets" ;;
    *) echo "" ;;
  esac
}

IFS=',' read -r -a names <<<"$candidates"
echo "publish-startup: building ${names[*]} into $work" >&2
build_started=$(date +%s)
dotnet build "$root/bench/LlmGate.Bench" -c Release -v q -nologo >/dev/null
# One publish of the r2r form serves every r2r-* variant and sc-jit.
for name in "${names[@]}"; do build "$name"; done
echo "publish-startup: built in $(( $(date +%s) - build_started )) s" >&2

# The bench's fake OpenAI upstream, and the gateway's config: one deployment on it, master key, PagerDuty alerting with
# thresholds a healthy run never reaches (PAGERDUTY_EVENTS_URL points at a closed port, so nothing could leave).
config="$work/config.yaml"
write_gateway_config "$config" "$upstream_port" alerting
write_wrk_script "$work/chat.lua" chat

# The measurer: exec -> first 200 timed in one process (no shell or curl start-up in the figure).
cat >"$work/measure.py" <<'EOF'
import os, re, socket, statistics, subprocess, sys, time

name, size_mb, extra_env, *command = sys.argv[1:]
work, config, port = os.environ["LLMGATE_PS_WORK"], os.environ["LLMGATE_PS_CONFIG"], int(os.environ["LLMGATE_PS_PORT"])
starts, first, soak, steady = (int(os.environ[k]) for k in ("LLMGATE_PS_STARTS", "LLMGATE_PS_FIRST", "LLMGATE_PS_SOAK", "LLMGATE_PS_STEADY"))
body = b'{"model": "bench-model", "messages": [{"role": "user", "content": "hi"}]}'
request = (b"POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
           b"Authorization: Bearer sk-bench-master-key\r\nConnection: close\r\nContent-Length: %d\r\n\r\n" % len(body)) + body
env = dict(os.environ)
if extra_env:
    key, value = extra_env.split("=", 1)
    env[key] = value

def chat_status():
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
            s.sendall(request)
            head = s.recv(64)
            return int(head.split(b" ")[1]) if head.startswith(b"HTTP/") else 0
    except OSError:
        return 0

def rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        return int(next(l for l in f if l.startswith("VmRSS:")).split()[1]) / 1024

def start(run):
    data = os.path.join(work, "data", f"{name}-{run}")
    subprocess.run(["rm", "-rf", data])
    log = open(os.path.join(work, f"{name}-{run}.log"), "w")
    t0 = time.perf_counter()
    p = subprocess.Popen(command + ["--config", config, "--host", "127.0.0.1", "--port", str(port), "--data-dir", data],
                         env=env, stdout=log, stderr=subprocess.STDOUT)
    while True:
        if p.poll() is not None:
            sys.exit(f"{name}: the gateway exited with {p.returncode} before serving (log: {log.name})")
        if time.perf_counter() - t0 > 30:
            p.kill(); sys.exit(f"{name}: no 200 within 30 s (log: {log.name})")
        if chat_status() == 200:
            return p, (time.perf_counter() - t0) * 1000
        time.sleep(0.002)

def stop(p):
    p.terminate()
    try: p.wait(10)
    except subprocess.TimeoutExpired: p.kill(); p.wait()

def wrk(seconds):
    out = subprocess.run(["wrk", "-t1", "-c64", f"-d{seconds}s", "-s", os.path.join(work, "chat.lua"),
                          f"http://127.0.0.1:{port}/v1/chat/completions"], capture_output=True, text=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    return rps, (int(bad.group(1)) if bad else 0) + (sum(map(int, errors.groups())) if errors else 0)

times, rss_start = [], []
for run in range(starts):
    p, ms = start(run)
    times.append(ms)
    rss_start.append(rss_mib(p.pid))
    stop(p)

p, _ = start(starts)
first_rps, errors = wrk(first)
errors += wrk(soak)[1]
steady_rps, e = wrk(steady)
errors += e
rss_load = rss_mib(p.pid)
stop(p)
print(f"{name:<14} {statistics.median(times):9.0f} {min(times):9.0f} {statistics.median(rss_start):9.0f} {rss_load:9.0f} "
      f"{first_rps:9.0f} {steady_rps:8.0f} {first_rps / steady_rps:8.2f} {size_mb:>7} {errors:6d}", flush=True)
print(f"{name}: start-up ms " + " ".join(f"{t:.0f}" for t in times), file=sys.stderr)
EOF

upstream_pid=""
cleanup() { [ -n "$upstream_pid" ] && kill "$upstream_pid" 2>/dev/null || true; }
trap cleanup EXIT
dotnet "$root/bench/LlmGate.Bench/bin/Release/net10.0/LlmGate.Bench.dll" serve-upstream --port "$upstream_port" >"$work/upstream.log" 2>&1 &
upstream_pid=$!
for _ in $(seq 1 100); do
  curl -s -o /dev/null "http://127.0.0.1:$upstream_port/" && break
  sleep 0.1
done
# Warm the upstream's own JIT so that a gateway's first seconds are not measuring the fake's.
wrk -t1 -c64 -d3s -s "$work/chat.lua" "http://127.0.0.1:$upstream_port/v1/chat/completions" >/dev/null

export LLMGATE_PS_WORK="$work" LLMGATE_PS_CONFIG="$config" LLMGATE_PS_PORT="$gateway_port" LLMGATE_PS_STARTS="$starts" \
  LLMGATE_PS_FIRST="$first_seconds" LLMGATE_PS_SOAK="$soak_seconds" LLMGATE_PS_STEADY="$steady_seconds" \
  PAGERDUTY_API_KEY=benchbenchbenchbenchbenchbench32 PAGERDUTY_EVENTS_URL="http://127.0.0.1:19199/v2/enqueue"
rows=()
for name in "${names[@]}"; do
  dir="$(publish_dir "$name")"
  if [ "$name" = jit ]; then size_mb=$(du -sm --exclude='*.pdb' --exclude="$dir/linux-x64" "$dir" | cut -f1); else size_mb=$(du -sm "$dir/llmgate" | cut -f1); fi
  if row="$(python3 "$work/measure.py" "$name" "$size_mb" "$(env_of "$name")" $(command_of "$name"))"; then rows+=("$row")
  else rows+=("$(printf '%-14s did not serve a chat call (the reason is above)' "$name")"); fi
done

printf '\n%-14s %9s %9s %9s %9s %9s %8s %8s %7s %6s\n' candidate start_ms min_ms rss_start rss_load first_rps steady_r ratio size_mb errors
for row in "${rows[@]}"; do echo "$row"; done
