"""benchmarks/teacher_widths.py trains a teacher per set of widths, times each step, applies its stated rule, and
writes the table 02_dff shows."""
import json

from conftest import BIN, assert_rerun_reuses_runs, run

from actlumos.models import PRESETS


def test_teacher_widths_smoke_writes_rows_and_applies_the_rule(tmp_path):
    default = '-'.join(map(str, PRESETS['tiny'].widths))
    other = '8-16-64-256' if default != '8-16-64-256' else '8-16-64-128'
    out = tmp_path/'widths.json'
    cmd = [BIN/'python', 'benchmarks/teacher_widths.py', '--variants', f'{default}, {other}', '--epochs', '1',
           '--limit-train-batches', '2', '--repeats', '1', '--runs', str(tmp_path/'runs'), '--out', str(out)]
    r = run(cmd, timeout=900)
    assert r.returncode == 0, r.stdout[-3000:]
    b = json.loads(out.read_text())
    assert ['-'.join(map(str, row['widths'])) for row in b['rows']] == [default, other]
    for row in b['rows']:
        assert row['epochs'] == 1 and len(row['val_curve']) == 1, row
        assert row['val_top1'] == row['val_curve'][-1], row                # the last epoch: the checkpoint the teacher keeps
        assert 0 <= row['train_top1'] <= 100 and 0 <= row['test_top1'] <= 100 and row['step_ms'] > 0, row
        assert row['eligible'] == (row['cost_vs_default'] <= b['max_cost']), row
    assert b['rows'][0]['cost_vs_default'] == 1.0 and b['rows'][0]['eligible']
    # the rule, by hand: the highest validation Top-1 among the eligible rows, ties to the cheaper step; test plays no part
    ok = [row for row in b['rows'] if row['eligible']]
    best = max(ok, key=lambda row: (row['val_top1'], -row['step_ms']))
    assert b['chosen_widths'] == best['widths'], (b['chosen_widths'], [(x['widths'], x['val_top1']) for x in ok])
    # a second run reuses the cached runs: the same training results (the step is timed again)
    assert_rerun_reuses_runs(cmd, out, b['rows'])


def test_teacher_widths_refuses_what_are_not_widths(tmp_path):
    for bad, msg in (('8-16-64', 'must be four positive widths'), ('8-16-64-wide', 'is not four widths'),
                     ('8-16-64-130', 'must divide')):
        r = run([BIN/'python', 'benchmarks/teacher_widths.py', '--variants', bad, '--runs', str(tmp_path)], timeout=300)
        assert r.returncode != 0 and msg in r.stdout, (bad, r.stdout[-2000:])
