#!/usr/bin/env bash
# README command 1 (`make demo`): the default pipeline on DarkSynth, executed with papermill into runs/.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.venv/bin:$PATH"
mkdir -p runs
export ACTLUMOS_FIGURES="$PWD/runs/figures"   # demo figures go to runs/, the committed figures/ stay as they are

# the teacher, SSL and the SSL + KD student (the model to deploy); the two ablation students of Table 5 are rows of
# the ablation grid (actlumos-reproduce, over seeds), or add: -p ablations True
nb=05_distill; args=(-p dataset darksynth -p ablations False)
echo "demo: papermill nbs/$nb.ipynb runs/$nb.ipynb ${args[*]}"
start=$(date +%s)
# --log-output streams the cells' output: one line per epoch of every stage (stage, epoch/total, loss, elapsed, ETA)
papermill --cwd nbs "nbs/$nb.ipynb" "runs/$nb.ipynb" "${args[@]}" --log-output --no-progress-bar 2>&1 \
  | sed -u -e 's/^[^ ]* [^ ]* - papermill - INFO - //' -e '/^Executing Cell\|^Ending Cell\|^$/d'
echo "demo: finished in $(( $(date +%s) - start )) s"
python - <<'PY' || true
# the summary table: the models this pipeline ran (its manifest names their summary), not every record in runs/results
import json
from pathlib import Path
import pandas as pd
m = Path('runs/pipeline_darksynth.json')
if m.exists():
    man = json.loads(m.read_text())
    s = pd.read_csv(man['summary'])[['label', 'splits', 'top1', 'top5', 'params_M']].round(2)
    print('demo: results on DarkSynth (test split, chance 12.5 %)'); print(s.to_string(index=False))
    # CPU results depend on the CPU, its thread count and the precision (nbs/00_engine.ipynb): say which ones
    for t in man.get('trained_on', []): print(f'demo: trained on {t}')
PY
echo "demo: executed notebook   runs/$nb.ipynb"
[ -d runs/results ] && echo "demo: results (JSON)      runs/results/"
[ -d runs/figures ] && echo "demo: figures            runs/figures/ ($(ls runs/figures | wc -l) files)"
ls runs/final/student*.ckpt 2>/dev/null | sed 's/^/demo: student checkpoint /' || true
ck=$(ls runs/final/student*.ckpt 2>/dev/null | head -1)
[ -n "$ck" ] && echo "demo: try it on a video    .venv/bin/actlumos predict VIDEO_OR_FOLDER --checkpoint $ck" || true
