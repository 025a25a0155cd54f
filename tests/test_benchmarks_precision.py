"""benchmarks/precision_accuracy.py: its verdict rule on hand-worked cases, and the script end to end (smoke)."""
import importlib.util
import json

import pandas as pd
import pytest

from conftest import BIN, ROOT, run

spec = importlib.util.spec_from_file_location('precision_accuracy', ROOT/'benchmarks'/'precision_accuracy.py')
pa = importlib.util.module_from_spec(spec); spec.loader.exec_module(pa)


def runs(fp32, bf16):
    return pd.DataFrame([dict(seed=s, precision=p, top1=v) for p, vals in (('32-true', fp32), ('bf16-mixed', bf16))
                         for s, v in enumerate(vals)])


def test_verdict_rule_by_hand():
    # d = (1, -1, 1): mean 1/3, sd(d) = sqrt(4/3); t(0.975, 2) = 4.302653 (scipy-independent table value)
    v = pa.verdict(runs([80, 84, 88], [81, 83, 89]))
    half = 4.302653 * (4 / 3) ** 0.5 / 3 ** 0.5
    assert v['n'] == 3 and v['diffs'] == [1, -1, 1]
    assert v['mean_diff'] == pytest.approx(1 / 3)
    assert v['ci95'] == pytest.approx((1 / 3 - half, 1 / 3 + half), abs=1e-4)
    assert v['fp32_seed_std'] == pytest.approx(4.0)              # sd of 80, 84, 88
    assert v['verdict'] == 'no change beyond seed noise'
    # a shift of about 10 points in every seed: the interval (10 ± 4.30/sqrt(3)) excludes 0
    assert pa.verdict(runs([80, 84, 88], [90, 95, 97]))['verdict'] == 'bf16 changes accuracy'
    # the interval holds 0, but |mean d| = 2 is above the fp32 seed sd 0.5: not resolved
    assert pa.verdict(runs([80, 80.5, 81], [83, 79.5, 85]))['verdict'] == 'not resolved'


def test_precision_script_smoke(tmp_path):
    r = run([BIN/'python', 'benchmarks/precision_accuracy.py', '--smoke', '--seeds', '0', '1', '--out', str(tmp_path)],
            timeout=900)
    assert r.returncode == 0, r.stdout[-4000:]
    rows = [json.loads(l) for l in r.stdout.splitlines() if l.startswith('{')]
    assert [(x['seed'], x['precision']) for x in rows] == [(0, 'bf16-mixed'), (0, '32-true'), (1, 'bf16-mixed'), (1, '32-true')]
    assert all(x['n_test'] == 16 for x in rows)
    assert 'verdict (rule in the docstring): ' in r.stdout
    assert 'runs written to' not in r.stdout                    # a smoke run measures nothing: no CSV
