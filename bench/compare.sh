#!/usr/bin/env bash
# Same-run speed comparison with what a user would run instead, on cleanrl's CartPole DQN recipe: PyTorch 1.13 (+MKL,
# Gymnasium) and TorchSharp (+ a C# CartPole) from a competitor kit, and DqnStudy with blas auto, mkl and managed.
# One thread each, interleaved round by round (order reversed every other round), epsilon 1 -> 0.05 over the window.
#
#   usage: bench/compare.sh COMPETITORS_DIR [ROUNDS] [STEPS] [TRAIN_FREQ] [OUT_DIR]    (defaults 3, 100000, 10)
#
# COMPETITORS_DIR holds run_pytorch.sh, pytorch_cartpole_dqn.py and torchsharp/build.sh (the kit's README says how to
# set it up). OUT_DIR (default: a new folder under /tmp) gets runs.jsonl (one line per run), machine.txt and table.md;
# the table is printed too. Ratios are taken per round (same minute, same load), then the median over rounds.
set -euo pipefail
kit="$(cd "${1:?usage: bench/compare.sh COMPETITORS_DIR [ROUNDS] [STEPS] [TRAIN_FREQ] [OUT_DIR]}" && pwd)"
rounds=${2:-3}; steps=${3:-100000}; tf=${4:-10}
out="${5:-$(mktemp -d /tmp/dqnstudy-compare.XXXXXX)}"
proj="$(cd "$(dirname "$0")/.." && pwd)"
for f in run_pytorch.sh pytorch_cartpole_dqn.py torchsharp/build.sh; do
  [ -e "$kit/$f" ] || { echo "compare: $kit has no $f (is it the competitor kit?)" >&2; exit 2; }
done
mkdir -p "$out"
[ ! -e "$out/runs.jsonl" ] || { echo "compare: $out/runs.jsonl exists; give an empty OUT_DIR" >&2; exit 2; }
horizon=$(( steps * 2 ))   # cleanrl: epsilon decays over half the total, so the window is half of a run twice as long
py=/usr/bin/python3

ts=$("$kit/torchsharp/build.sh")
( cd "$proj" && dotnet build src/Agent -c Release -nologo -v q >/dev/null )
agent="$proj/src/Agent/bin/Release/net10.0/DqnStudy.Agent.dll"
export MKL_NUM_THREADS=1 OMP_NUM_THREADS=1

{
  echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "cpu: $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1), family $(sed -n 's/^cpu family\s*: //p' /proc/cpuinfo | head -1) model $(sed -n 's/^model\s*: //p' /proc/cpuinfo | head -1), $(grep -c ^processor /proc/cpuinfo) logical CPUs"
  echo "simd: $(grep -m1 '^flags' /proc/cpuinfo | tr ' ' '\n' | grep -E '^(avx2|fma|avx512f|avx512bw|avx512dq|avx512vl)$' | tr '\n' ' ')"
  echo "dotnet: $(dotnet --version)   python: $($py --version 2>&1)   torch: $($py -c 'import torch; print(torch.__version__)' 2>/dev/null || echo '?')"
  echo "dqnstudy: $(cd "$proj" && git rev-parse --short HEAD 2>/dev/null || echo '?')   load before: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "recipe: cleanrl CartPole DQN (4-120-84-2, batch 128, Adam 2.5e-4, target copy every 500, learning starts 10k), $steps steps, train_freq $tf, one thread each"
} | tee "$out/machine.txt"

field() { $py -c "import json,sys; print(json.loads(sys.stdin.read())['$1'])"; }
run_pytorch() { "$kit/run_pytorch.sh" cartpole train --steps "$steps" --total-timesteps "$horizon" --train-frequency "$tf" \
                  | sed -n 's/^RESULT //p' | field sps_window; }
run_torchsharp() { "$ts" train --threads 1 --steps "$steps" --total-timesteps "$horizon" --train-frequency "$tf" 2>/dev/null \
                  | sed -n 's/^RESULT //p' | field sps_window; }
run_dqnstudy() { # $1 = auto | mkl | managed; each run gets its own folder under OUT_DIR
  local dir="$out/runs-$1-$r"
  ( cd "$proj" && dotnet "$agent" --config cleanrl-cartpole.yaml --seed 0 --steps "$steps" --parallel 1 --out "$dir" \
      --blas "$1" --set dqn.exploration_fraction=1.0 --set dqn.train_freq="$tf" --set training.eval_interval=0 \
      > "$dir.log" 2>&1 ) || { tail -3 "$dir.log" >&2; return 1; }
  local summary; summary=$(ls "$dir"/*/seed-0/summary.json | head -1)
  $py -c "import json; s=json.load(open('$summary')); print(s['steps_per_second'], s.get('microseconds_per_update'), json.dumps(s.get('blas','')))"
}

names=(pytorch torchsharp dqnstudy_auto dqnstudy_mkl dqnstudy_managed)
for r in $(seq 1 "$rounds"); do
  order=("${names[@]}"); [ $((r % 2)) -eq 0 ] && order=(dqnstudy_managed dqnstudy_mkl dqnstudy_auto torchsharp pytorch)
  for n in "${order[@]}"; do
    us="null"; blas="\"\""
    case $n in
      pytorch) sps=$(run_pytorch);;
      torchsharp) sps=$(run_torchsharp);;
      dqnstudy_*) read -r sps us blas <<< "$(run_dqnstudy "${n#dqnstudy_}")"; [ "$us" = "None" ] && us=null;;
    esac
    echo "{\"round\": $r, \"who\": \"$n\", \"sps\": $sps, \"us_per_update\": $us, \"blas\": $blas, \"steps\": $steps, \"train_freq\": $tf, \"load\": \"$(cut -d' ' -f1 /proc/loadavg)\"}" \
      | tee -a "$out/runs.jsonl"
  done
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/machine.txt"

$py - "$out/runs.jsonl" "$steps" "$tf" <<'PY' | tee "$out/table.md"
import json, sys, statistics as st
rows = [json.loads(l) for l in open(sys.argv[1])]
steps, tf = int(sys.argv[2]), int(sys.argv[3])
by = {}
for r in rows: by.setdefault(r["who"], {})[r["round"]] = r
def med(who): return st.median(r["sps"] for r in by[who].values())
def ratio(us, base):
    rat = sorted(by[us][k]["sps"] / by[base][k]["sps"] for k in by[base] if k in by[us])
    return f"**{st.median(rat):.2f}×** ({rat[0]:.2f}–{rat[-1]:.2f})"
print(f"| window | PyTorch | TorchSharp | DqnStudy auto | DqnStudy mkl | DqnStudy managed | auto vs PyTorch | auto vs TorchSharp | managed vs PyTorch | mkl vs PyTorch |")
print("|---|---|---|---|---|---|---|---|---|---|")
print(f"| {steps // 1000}k steps, train_freq {tf} | {med('pytorch'):,.0f} steps/s | {med('torchsharp'):,.0f} | {med('dqnstudy_auto'):,.0f} | "
      f"{med('dqnstudy_mkl'):,.0f} | {med('dqnstudy_managed'):,.0f} | {ratio('dqnstudy_auto', 'pytorch')} | {ratio('dqnstudy_auto', 'torchsharp')} | "
      f"{ratio('dqnstudy_managed', 'pytorch')} | {ratio('dqnstudy_mkl', 'pytorch')} |")
print()
for who in ("dqnstudy_auto", "dqnstudy_mkl", "dqnstudy_managed"):
    us = [r["us_per_update"] for r in by[who].values() if r["us_per_update"] is not None]
    picked = sorted({r["blas"] for r in by[who].values()})
    if us: print(f"- {who}: median {st.median(us):.1f} µs per update (blas {', '.join(picked)})")
print(f"- medians of {len(by['pytorch'])} interleaved rounds; ratios are per round (min–max in brackets)")
PY
echo "results in $out"
