#!/usr/bin/env bash
# Builds the gateway and the benchmarks in Release, then runs the load benchmark (or, with `micro`, the
# BenchmarkDotNet micro-benchmarks). All load goes to 127.0.0.1, bounded in time and count.
#
#   bench/run.sh                 full run: 5 targets x {chat, stream} x concurrency 1/16/64/256, 10 s per point (~10 min)
#   bench/run.sh --quick         CI smoke run: concurrency 1/64, 2 s per point (~1.5 min)
#   bench/run.sh --chart         also writes bench/results/latest.png
#   bench/run.sh --wrk           also cross-checks chat at 64 connections with wrk
#   bench/run.sh --scenarios idle-streams --idle-streams 10000   memory per idle stream
#   bench/run.sh --help          every option
#   bench/run.sh micro           micro-benchmarks (BenchmarkDotNet; add e.g. --filter '*Route*')
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

if ! command -v dotnet >/dev/null 2>&1; then
  echo "dotnet SDK not found; the benchmarks need the .NET 10 SDK" >&2
  exit 1
fi

# The idle-streams scenario holds N sockets in the harness, N in the fake upstream and 2N in the target, which
# inherit this shell's open-files limit: raise it where allowed (the harness also tries setrlimit itself).
ulimit -n 1048576 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

# Builds src/LlmGate in Release too (project reference): src/LlmGate/bin/Release/net10.0/llmgate.dll.
dotnet build bench/LlmGate.Bench -c Release -nologo -v quiet -clp:ErrorsOnly
exec dotnet bench/LlmGate.Bench/bin/Release/net10.0/LlmGate.Bench.dll "$@"
