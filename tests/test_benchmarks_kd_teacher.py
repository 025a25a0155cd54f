"""benchmarks/kd_teacher.py end to end (smoke): both teacher layouts run, and their logits agree within bf16's own error
(bit for bit on the development CPU; another CPU may pick other kernels)."""
import re

from conftest import BIN, run


def test_kd_teacher_layouts_give_the_same_logits():
    r = run([BIN/'python', 'benchmarks/kd_teacher.py', '--batches', '3', '--threads', '1'], timeout=300)
    assert r.returncode == 0, r.stdout[-4000:]
    assert re.search(r'channels_last_3d / default: [0-9.]+', r.stdout), r.stdout
    assert re.search(r'the same bit for bit: [0-3] of 3', r.stdout), r.stdout   # reported, not required
    assert 'within the bf16 bound (layout difference <= 2 x bf16-vs-fp32 difference): 3 of 3' in r.stdout, r.stdout


def test_kd_teacher_names_a_missing_checkpoint(tmp_path):
    r = run([BIN/'python', 'benchmarks/kd_teacher.py', '--ckpt', str(tmp_path/'nope.ckpt')], timeout=300)
    assert r.returncode != 0 and 'nope.ckpt: no such file' in r.stdout, r.stdout[-2000:]
