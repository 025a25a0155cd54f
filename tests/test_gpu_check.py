"""`make gpu-check` (benchmarks/gpu_check.py) on a machine without a visible GPU: it says so, writes nothing, exits 0."""
from conftest import BIN, run


def test_no_gpu_says_so_and_exits_0(tmp_path):
    out = tmp_path/'gpu_check.json'
    r = run([BIN/'python', 'benchmarks/gpu_check.py', '--out', str(out)], env={'CUDA_VISIBLE_DEVICES': ''}, timeout=300)
    assert r.returncode == 0, r.stdout
    assert 'gpu-check: no CUDA GPU is visible here' in r.stdout, r.stdout
    assert not out.exists()
