#!/usr/bin/env bash
# README command 1 (`make demo`): the default pipeline on DarkSynth, executed with papermill into runs/.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.venv/bin:$PATH"
mkdir -p runs
export ACTLUMOS_FIGURES="$PWD/runs/figures"   # demo figures go to runs/, the committed figures/ stay as they are

if [ -f nbs/05_distill.ipynb ]; then
  nb=05_distill; args=(-p dataset darksynth)
else
  # the pipeline notebook does not exist yet: run the most complete one that does
  nb=$(ls nbs | grep -E '^0[0-9]_.*\.ipynb$' | sort | tail -1 | sed 's/\.ipynb$//')
  args=()
  echo "demo: nbs/05_distill.ipynb does not exist yet; running the most complete notebook there is: $nb"
fi
echo "demo: papermill nbs/$nb.ipynb runs/$nb.ipynb ${args[*]}"
start=$(date +%s)
papermill --cwd nbs "nbs/$nb.ipynb" "runs/$nb.ipynb" "${args[@]}" --progress-bar
echo "demo: finished in $(( $(date +%s) - start )) s"
echo "demo: executed notebook   runs/$nb.ipynb"
[ -d runs/results ] && echo "demo: results (JSON)      runs/results/"
[ -d runs/figures ] && echo "demo: figures            runs/figures/ ($(ls runs/figures | wc -l) files)"
ls runs/*/student*.ckpt 2>/dev/null | sed 's/^/demo: student checkpoint /' || true
