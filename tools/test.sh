#!/usr/bin/env bash
# README command 2 (`make test`): the whole suite. Runs inside .venv (made by tools/setup_env.sh).
set -uo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.venv/bin:$PATH"

# the docs test and the JupyterLab test (tests/test_lab_browser.py) drive headless Chromium (Debian's `chromium`)
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "test: installing chromium for the docs test (apt-get)"
    { apt-get install -y -q chromium || { apt-get update -q && apt-get install -y -q chromium; }; } >/tmp/actlumos-chromium.log 2>&1 \
      || echo "test: could not install chromium (see /tmp/actlumos-chromium.log); the docs render test will fail"
  else
    echo "test: chromium is missing: install it (Debian: sudo apt-get install chromium); the docs render test will fail"
  fi
fi

if [ "${CI:-}" = "true" ] && [ ! -d ../shared/data ] && [ -z "${ACTLUMOS_SHARED:-}" ]; then
  echo "test: CI=true but ../shared/data is absent: the real-data tests cannot be skipped in CI"
fi

# The JupyterLab browser test runs two notebooks live (about 6 min on 2 shared cores): `make test-lab` runs it alone.
if [ -z "${TESTS:-}" ]; then
  echo "test: the JupyterLab browser test (tests/test_lab_browser.py) is separate: make test-lab"
  python -m pytest tests --ignore=tests/test_lab_browser.py "$@"
else
  python -m pytest $TESTS "$@"
fi
