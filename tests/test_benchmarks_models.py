"""benchmarks/models_speed.py runs end to end on a very small clip, prints both ratios, and measures peak memory."""
import json

from conftest import BIN, run

SMALL = ['--batch', '2', '--frames', '16', '--size', '32']


def test_models_speed_prints_both_ratios(tmp_path):
    out = tmp_path/'speed.json'
    r = run([BIN/'python', 'benchmarks/models_speed.py', *SMALL, '--repeats', '1', '--warmup', '0', '--no-memory',
             '--out', str(out)], timeout=600)
    assert r.returncode == 0, r.stdout
    assert 'teacher train step / student train step = ' in r.stdout, r.stdout
    assert 'student inference / teacher inference   = ' in r.stdout, r.stdout
    res = json.loads(out.read_text())
    assert abs(res['ratio_train_flops'] - 2) < 0.05 and abs(res['ratio_infer_flops'] - 0.5) < 0.01, res


def test_models_speed_memory_of_one_job():
    "The subprocess measurement that the full run does for each model and mode."
    r = run([BIN/'python', 'benchmarks/models_speed.py', *SMALL, '--_memory', 'teacher:train'], timeout=600)
    assert r.returncode == 0, r.stdout
    res = json.loads(r.stdout.strip().splitlines()[-1])
    assert res['job'] == 'teacher:train' and res['peak_mb'] > 1, res
