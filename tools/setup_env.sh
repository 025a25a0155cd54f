#!/usr/bin/env bash
# Create or reuse .venv/ and install actlumos (editable) with everything it needs.
# Re-runs are cheap: the install is skipped while settings.ini, setup.py and this script are unchanged.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
VENV=.venv
LOG=$VENV/install.log

if [ ! -x "$VENV/bin/python" ]; then
  "$PY" -c 'import sys; assert sys.version_info >= (3, 10), "actlumos needs Python >= 3.10, found " + sys.version' \
    || { echo "setup: set PYTHON=/path/to/python3.10+ and re-run" >&2; exit 1; }
  echo "setup: creating $VENV with $("$PY" --version)"
  "$PY" -m venv "$VENV"
fi

stamp=$VENV/.actlumos-installed
want=$(cat settings.ini setup.py "$0" | sha256sum | cut -c1-16)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && "$VENV/bin/python" -c 'import actlumos, torch, torchvision, av' 2>/dev/null; then
  echo "setup: $VENV is up to date"
  exit 0
fi

# the torch CUDA build alone puts about 5.5 GB into .venv: say so before pip runs out of disk halfway
need_gb=6
free_gb=$(df -Pk "$VENV" | awk 'NR==2 {printf "%d", $4 / 1048576}')
if [ "${free_gb:-0}" -lt "$need_gb" ] && ! "$VENV/bin/python" -c 'import torch' 2>/dev/null; then
  echo "setup: only ${free_gb} GiB free on the disk that holds $PWD/$VENV; installing torch 2.14.1 needs about ${need_gb} GiB." >&2
  echo "setup: free some space on it (df -h $VENV shows the disk) and re-run." >&2
  exit 1
fi
echo "setup: installing into $VENV (first time takes a few minutes; log in $LOG)"
: > "$LOG"
pip() { "$VENV/bin/python" -m pip --no-cache-dir "$@" >>"$LOG" 2>&1 || { echo "setup: pip $* failed; last lines of $LOG:" >&2; tail -25 "$LOG" >&2; exit 1; }; }
pip install -q --upgrade pip setuptools wheel
if [ "$(uname -m)" = "x86_64" ]; then
  # the pairing whose torchvision imports on these machines (CUDA build; runs on CPU too)
  pip install -q torch==2.14.1 torchvision==0.29.1
fi
pip install -q -e ".[dev]"
# a kernel named python3 inside the venv: JupyterLab and papermill started from .venv use this interpreter
"$VENV/bin/python" -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (actlumos)" >>"$LOG" 2>&1
echo "$want" > "$stamp"
"$VENV/bin/python" -c 'import actlumos, torch; print(f"setup: actlumos {actlumos.__version__}, torch {torch.__version__}, CUDA available: {torch.cuda.is_available()}")'
