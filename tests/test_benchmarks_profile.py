"""benchmarks/teacher_profile.py runs end to end: step ratios, the per-operator table and the teacher's module ranges."""
from conftest import BIN, run


def test_teacher_profile_prints_its_tables():
    r = run([BIN/'python', 'benchmarks/teacher_profile.py', '--rounds', '1', '--top', '5', '--batch', '2'], timeout=600)
    assert r.returncode == 0, r.stdout
    for line in ('teacher / student@B = ', 'teacher / student@2B = ', 'self CPU time by operator',
                 "the teacher's extra time over student@2B"):
        assert line in r.stdout, (line, r.stdout[-3000:])
    ranges = [l.split() for l in r.stdout.splitlines() if l.strip().startswith(('teacher.', 'student.'))]
    names = {l[0] for l in ranges}
    assert {'teacher.backbone', 'teacher.fuse', 'teacher.temporal', 'student.backbone'} <= names, names
    assert all(float(l[1]) >= 0 for l in ranges), ranges
