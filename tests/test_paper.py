"""`actlumos-reproduce` on the command line: the dry run lists the DarkSynth grid, bad arguments are refused clearly.

The runner's logic (skip what is done, resume, report a failing run) is tested in nbs/06_paper.ipynb with a
stand-in executor; the real grid is what `actlumos-reproduce --dataset darksynth` runs (tables in figures/paper_darksynth).
"""
from conftest import BIN, run


def test_dry_run_lists_the_grid(tmp_path):
    r = run([BIN/'actlumos-reproduce', '--dataset', 'darksynth', '--dry-run'], env={'ACTLUMOS_RUNS': str(tmp_path)}, timeout=300)
    assert r.returncode == 0, r.stdout
    assert '0 of 27 runs done' in r.stdout, r.stdout
    assert r.stdout.count("to do") == 27, r.stdout
    assert not (tmp_path/'paper').exists(), 'a dry run executes nothing'


def test_bad_arguments(tmp_path):
    r = run([BIN/'actlumos-reproduce', '--dataset', 'kinetics', '--dry-run'], env={'ACTLUMOS_RUNS': str(tmp_path)}, timeout=300)
    assert r.returncode == 1 and "unknown dataset 'kinetics'" in r.stdout, r.stdout
    r = run([BIN/'actlumos-reproduce', '--tables', 'table9', '--dry-run'], env={'ACTLUMOS_RUNS': str(tmp_path)}, timeout=300)
    assert r.returncode == 2 and 'invalid choice' in r.stdout, r.stdout
