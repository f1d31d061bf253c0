#!/usr/bin/env bash
# Same-run speed comparison on MinAtar's DQN recipe: MinAtar's own PyTorch examples/dqn.py against DqnStudy
# (configs/minatar-GAME-huber.yaml), one thread each, alternated round by round (order reversed every other
# round), then DqnStudy with two seeds under --parallel 2 for the aggregate.
#
#   usage: bench/inrun-minatar.sh MINATAR_DIR [GAME] [FRAMES] [ROUNDS]     (defaults: breakout 20000 3; run from the repo root)
#
# MINATAR_DIR holds MinAtar's Python package (its `minatar/` folder, commit 4241f24) and its examples/dqn.py saved as
# minatar_dqn.py. Python: $PYTHON or /usr/bin/python3, with torch and numpy (Debian: python3-torch python3-numpy). When
# libmkl_rt is installed, torch gets it as its BLAS, as DqnStudy does. Both sides count wall time from process start
# (imports, JIT, the 5,000 random frames before learning) to exit; DqnStudy runs without evaluation and instruments
# (MinAtar's script has neither) but with its logs and final checkpoint. Prints one JSON line per run and the medians
# and per-round ratios.
set -euo pipefail
pkg="$(cd "${1:?usage: bench/inrun-minatar.sh MINATAR_DIR [GAME] [FRAMES] [ROUNDS]}" && pwd)"
game=${2:-breakout}; frames=${3:-20000}; rounds=${4:-3}
python=${PYTHON:-/usr/bin/python3}
repo="$(cd "$(dirname "$0")/.." && pwd)"
config="minatar-${game//_/-}-huber.yaml"
[ -f "$pkg/minatar_dqn.py" ] || { echo "error: $pkg/minatar_dqn.py not found (MinAtar's examples/dqn.py)" >&2; exit 2; }
[ -f "$repo/configs/$config" ] || { echo "error: no configs/$config for game '$game'" >&2; exit 2; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
export OMP_NUM_THREADS=1 MKL_NUM_THREADS=1
mkl="$(ls /usr/lib/x86_64-linux-gnu/libmkl_rt.so* 2>/dev/null | head -1 || true)"
if [ -n "$mkl" ]; then
  mkdir -p "$tmp/blas"; ln -s "$mkl" "$tmp/blas/libblas.so.3"; ln -s "$mkl" "$tmp/blas/liblapack.so.3"
  py_env=(env LD_LIBRARY_PATH="$tmp/blas${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" MKL_THREADING_LAYER=GNU)
else
  py_env=(env)
fi
sed -e "s/^NUM_FRAMES = 5000000/NUM_FRAMES = $frames/" "$pkg/minatar_dqn.py" > "$tmp/dqn.py"
grep -q "^NUM_FRAMES = $frames\$" "$tmp/dqn.py" || { echo "error: could not set NUM_FRAMES in $pkg/minatar_dqn.py" >&2; exit 2; }
( cd "$repo" && dotnet build src/Agent -c Release -nologo -v q >/dev/null )
agent="$repo/src/Agent/bin/Release/net10.0/DqnStudy.Agent.dll"

now() { date +%s.%N; }
run_py() {
  local start; start=$(now)
  ( cd "$tmp" && PYTHONPATH="$pkg" "${py_env[@]}" "$python" dqn.py -g "$game" -o "$tmp/out" > "$tmp/py.log" 2>&1 ) || { tail -5 "$tmp/py.log" >&2; return 1; }
  python3 -c "print(round($frames / ($(now) - $start), 1))"; }
run_us() { # $1 = seeds, $2 = parallel
  rm -rf "$tmp/runs"; local start; start=$(now)
  ( cd "$repo" && dotnet "$agent" --config "$config" --seeds "$1" --parallel "$2" --steps "$frames" --out "$tmp/runs" \
      --set training.eval_interval=0 --set training.eval_episodes=0 --set training.checkpoint_interval=0 \
      --set instruments.enabled=false > "$tmp/us.log" 2>&1 ) || { tail -5 "$tmp/us.log" >&2; return 1; }
  python3 -c "print(round($1 * $frames / ($(now) - $start), 1))"; }
inner() { python3 -c "import json,glob; s=[json.load(open(f)) for f in sorted(glob.glob('$tmp/runs/*/seed-*/summary.json'))]; print(json.dumps({'steps_per_second': [x['steps_per_second'] for x in s], 'us_per_update': [x['microseconds_per_update'] for x in s], 'update_share': [round(x['microseconds_per_update'] * x['updates'] / 1e6 / x['wall_seconds'], 3) for x in s]}))"; }

for r in $(seq 1 "$rounds"); do
  order=(pytorch dqnstudy); [ $((r % 2)) -eq 0 ] && order=(dqnstudy pytorch)
  for who in "${order[@]}"; do
    if [ "$who" = pytorch ]; then v=$(run_py); extra='{}'; else v=$(run_us 1 1); extra=$(inner); fi
    echo "{\"round\": $r, \"who\": \"$who\", \"fps\": $v, \"game\": \"$game\", \"frames\": $frames, \"load\": \"$(cut -d' ' -f1 /proc/loadavg)\", \"inside\": $extra}" | tee -a "$tmp/all.jsonl"
  done
done
v=$(run_us 2 2)
echo "{\"round\": 0, \"who\": \"dqnstudy_parallel2\", \"fps\": $v, \"game\": \"$game\", \"frames\": $frames, \"load\": \"$(cut -d' ' -f1 /proc/loadavg)\", \"inside\": $(inner)}" | tee -a "$tmp/all.jsonl"
python3 - "$tmp/all.jsonl" <<'PY'
import json, sys, statistics as st
rows = [json.loads(l) for l in open(sys.argv[1])]
by = {}
for r in rows: by.setdefault(r["who"], {})[r["round"]] = r["fps"]
for who, d in by.items(): print(f"{who:20s} median {st.median(d.values()):>8,.1f} frames/s  (min {min(d.values()):,.1f}, max {max(d.values()):,.1f})")
rat = [by["dqnstudy"][k] / by["pytorch"][k] for k in by["pytorch"]]
print(f"dqnstudy / pytorch: median {st.median(rat):.2f}x  (per round: {', '.join(f'{x:.2f}' for x in rat)})")
if "dqnstudy_parallel2" in by:
    print(f"dqnstudy --parallel 2 aggregate / pytorch median: {by['dqnstudy_parallel2'][0] / st.median(by['pytorch'].values()):.2f}x")
PY
