"""benchmarks/teacher_lr.py trains a teacher per learning rate, applies its stated rule, and writes the table 03_supcon shows."""
import json

from conftest import BIN, assert_rerun_reuses_runs, run


def test_teacher_lr_smoke_writes_rows_and_applies_the_rule(tmp_path):
    out = tmp_path/'lr.json'
    cmd = [BIN/'python', 'benchmarks/teacher_lr.py', '--lrs', '1e-3, 3e-3', '--epochs', '2', '--limit-train-batches', '2',
           '--runs', str(tmp_path/'runs'), '--out', str(out)]
    r = run(cmd, timeout=900)
    assert r.returncode == 0, r.stdout[-3000:]
    b = json.loads(out.read_text())
    assert [row['lr'] for row in b['rows']] == [1e-3, 3e-3]
    for row in b['rows']:
        assert row['epochs'] == 2 and len(row['val_curve']) == 2 and len(row['loss_curve']) == 2, row
        assert row['val_top1'] == row['val_curve'][-1], row              # the last epoch: the checkpoint the teacher keeps
        assert 0 <= row['train_top1'] <= 100 and 0 <= row['test_top1'] <= 100, row
        assert row['threads'] >= 1 and row['precision'] in ('32-true', 'bf16-mixed'), row
    # the rule, by hand: the highest validation Top-1, ties to the smaller lr; the test scores play no part
    v1, v3 = (row['val_top1'] for row in b['rows'])
    assert b['chosen_lr'] == (3e-3 if v3 > v1 else 1e-3), (v1, v3, b['chosen_lr'])
    # a second run reuses the cached runs: same rows (the runs are read, not trained again)
    assert_rerun_reuses_runs(cmd, out, b['rows'])


def test_teacher_lr_rejects_what_is_not_a_learning_rate(tmp_path):
    r = run([BIN/'python', 'benchmarks/teacher_lr.py', '--lrs', '1e-3,fast', '--runs', str(tmp_path)], timeout=300)
    assert r.returncode != 0 and "'fast' is not a number" in r.stdout, r.stdout[-2000:]
