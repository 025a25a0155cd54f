"""benchmarks/models_speed.py runs end to end on a very small clip and prints both ratios and the peak memory."""
import json

from conftest import BIN, ROOT, run


def test_models_speed_prints_both_ratios(tmp_path):
    out = tmp_path/'speed.json'
    r = run([BIN/'python', 'benchmarks/models_speed.py', '--batch', '1', '--frames', '16', '--size', '32',
             '--repeats', '1', '--warmup', '0', '--out', str(out)], timeout=600)
    assert r.returncode == 0, r.stdout
    assert 'teacher train step / student train step = ' in r.stdout, r.stdout
    assert 'student inference / teacher inference   = ' in r.stdout, r.stdout
    res = json.loads(out.read_text())
    assert abs(res['ratio_train_flops'] - 2) < 0.05 and abs(res['ratio_infer_flops'] - 0.5) < 0.01, res
    assert all(v > 0 for v in res['peak_mb'].values()) and len(res['peak_mb']) == 4, res
