#!/usr/bin/env bash
# `make test-slow`: the notebooks that have `#| slow` cells, run by nbdev_test with those cells included
# (`nbdev_test --flags slow`), one notebook at a time with its wall time; the other notebooks are what `make test` runs.
set -uo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.venv/bin:$PATH"
nbs=$(python - <<'PY'
import json, pathlib
for p in sorted(pathlib.Path('nbs').glob('*.ipynb')):
    cells = json.loads(p.read_text())['cells']
    if any(c['cell_type'] == 'code' and ''.join(c['source']).lstrip().startswith('#| slow') for c in cells): print(p)
PY
)
fail=0; t_all=$SECONDS
for nb in $nbs; do
  t0=$SECONDS
  if nbdev_test --flags slow --path "$nb" --do_print; then status=passed; else status=FAILED; fail=1; fi
  echo "test-slow: $nb $status in $((SECONDS - t0)) s"
done
echo "test-slow: $(echo $nbs | wc -w) notebooks in $((SECONDS - t_all)) s, $([ $fail = 0 ] && echo 'all passed' || echo 'some FAILED')"
exit $fail
