"""Shared fixtures of the test suite, and the closing count line that `make test` ends with."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def run(cmd, cwd=ROOT, env=None, timeout=1500, **kw):
    "Run `cmd`, returning the CompletedProcess; stdout and stderr are merged."
    e = {**os.environ, **(env or {})}
    return subprocess.run(cmd, cwd=cwd, env=e, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          timeout=timeout, **kw)


def assert_rerun_reuses_runs(cmd, out: Path, rows: list, timeout: int = 900):
    "Run a benchmark's `cmd` again: it must pass and write the same training results to `out` (its runs read from cache, not retrained)."
    again = run(cmd, timeout=timeout)
    assert again.returncode == 0, again.stdout[-3000:]
    key = lambda rs: [(x['val_top1'], x['test_top1'], x['train_s']) for x in rs]
    assert key(json.loads(Path(out).read_text())['rows']) == key(rows)


@pytest.fixture(scope='session')
def root(): return ROOT


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    "The closing count line: `summary: N passed, N failed, N skipped`."
    st = terminalreporter.stats
    n = lambda k: len([r for r in st.get(k, []) if getattr(r, 'when', 'call') in ('call', 'setup')])
    failed = n('failed') + n('error')
    terminalreporter.write_line(f"summary: {n('passed')} passed, {failed} failed, {n('skipped')} skipped")
