#!/usr/bin/env bash
# TinyAutograd vs PyTorch (CPU) on the workloads of shared/bench/torch_peer.py, side by side in one run.
#
#   benchmarks/peer/compare.sh [--threads N] [--rounds R] [--only matmul,mlp,...] [--repeats K] [--arena auto|true|false]
#                              [--torch-peer PATH]
#
# For each round and each group the two sides run back to back (their order alternates between rounds), so both see
# the same machine state. Each workload's time is the median over rounds of each side's median-of-repeats.
# Writes artifacts/peer/ratios.json and artifacts/peer/ratios.md (speedup = torch seconds / TinyAutograd seconds, so
# above 1 means TinyAutograd is faster) and keeps every raw JSON line under artifacts/peer/raw/.
# --arena auto (default) runs each call of the groups with large temporaries inside a TensorArena, the library's
# buffer-recycling scope for repeated steps (PyTorch, likewise, runs with a caching allocator); true/false force it.
# Needs the .NET SDK; the PyTorch side installs Debian's python3-torch through apt on first use.
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
threads=1
rounds=3
repeats=7
arena=auto
groups=matmul,elementwise,logsumexp,mlp,tape,hvp,toy,membw,conv,cnn,lstm,transformer
torch_peer=${TORCH_PEER:-}

usage() { sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit "${1:-0}"; }
while [ $# -gt 0 ]; do
  case "$1" in
    --threads) threads=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --only) groups=$2; shift 2 ;;
    --repeats) repeats=$2; shift 2 ;;
    --arena) arena=$2; shift 2 ;;
    --torch-peer) torch_peer=$2; shift 2 ;;
    -h|--help) usage 0 ;;
    *) echo "compare.sh: unknown argument '$1'" >&2; usage 2 >&2 ;;
  esac
done

# The peer script lives in shared/bench beside the repository (../shared from a checkout at the top of the workspace,
# further up from a worktree): look upward unless given.
if [ -z "$torch_peer" ]; then
  dir=$repo
  while [ "$dir" != / ]; do
    dir=$(dirname "$dir")
    if [ -f "$dir/shared/bench/torch-peer.sh" ]; then torch_peer=$dir/shared/bench/torch-peer.sh; break; fi
  done
fi
if [ -z "$torch_peer" ] || [ ! -f "$torch_peer" ]; then
  echo "compare.sh: cannot find shared/bench/torch-peer.sh above $repo; pass --torch-peer PATH or set TORCH_PEER." >&2
  exit 2
fi

out=$repo/artifacts/peer
raw=$out/raw
rm -rf "$raw"
mkdir -p "$raw"

echo "Building the benchmark runner (Release)..." >&2
dotnet build "$repo/benchmarks/TinyAutograd.Benchmarks" -c Release -nologo -v quiet >&2
runner=$repo/benchmarks/TinyAutograd.Benchmarks/bin/Release/net10.0/TinyAutograd.Benchmarks.dll

run_side() {  # side round group
  local file=$raw/r$2-$3-$1.jsonl
  echo "  round $2/$rounds  $3  $1" >&2
  if [ "$1" = tinyautograd ]; then
    dotnet "$runner" peer --threads "$threads" --repeats "$repeats" --arena "$arena" --only "$3" > "$file"
  else
    bash "$torch_peer" --threads "$threads" --repeats "$repeats" --only "$3" > "$file"
  fi
}

IFS=, read -r -a group_list <<< "$groups"
for round in $(seq 1 "$rounds"); do
  for group in "${group_list[@]}"; do
    if [ $((round % 2)) -eq 1 ]; then
      run_side tinyautograd "$round" "$group"; run_side torch "$round" "$group"
    else
      run_side torch "$round" "$group"; run_side tinyautograd "$round" "$group"
    fi
  done
done

python3 "$repo/benchmarks/peer/aggregate.py" --raw "$raw" --threads "$threads" --json "$out/ratios.json" --markdown "$out/ratios.md"
cat "$out/ratios.md"
