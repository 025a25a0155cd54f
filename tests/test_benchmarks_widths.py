"""benchmarks/tiny_widths.py runs end to end and writes the table that 02_dff shows (one short pass)."""
import json

from conftest import BIN, run


def test_tiny_widths_writes_every_variant(tmp_path):
    out = tmp_path/'widths.json'
    r = run([BIN/'python', 'benchmarks/tiny_widths.py', '--rounds', '1', '--repeats', '1', '--out', str(out)], timeout=600)
    assert r.returncode == 0, r.stdout[-3000:]
    b = json.loads(out.read_text())
    rows = b['variants']
    assert len(rows) == 5 and b['batch'] == 8, sorted(rows)
    first = next(iter(rows.values()))
    assert first['speedup_vs_first'] == 1.0
    for name, v in rows.items():
        assert v['student_ms'] > 0 and v['teacher_ms'] > 0 and v['student_gflop'] > 0, (name, v)
        # the ratio columns are what the step times say
        assert abs(v['teacher_over_student'] - v['teacher_ms'] / v['student_ms']) < 1e-9, name
        assert abs(v['speedup_vs_first'] * (v['student_ms'] + v['teacher_ms'])
                   - (first['student_ms'] + first['teacher_ms'])) < 1e-6, name
    # FLOPs are counted, not timed: halving the first two stages' widths must cut them
    assert rows['widths 8-16-64-128']['student_gflop'] < rows['widths 16-32-64-128']['student_gflop']
