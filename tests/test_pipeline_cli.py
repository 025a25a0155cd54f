"""The student pipeline's command line (`papermill nbs/05_distill.ipynb out.ipynb -p dataset ...`) refuses bad input clearly.

The full DarkSynth run is README command 1 (`make demo`); its smoke configuration runs under nbdev_test
(tests/test_notebooks.py). Here papermill executes the notebook with arguments that must fail before any training.
"""
import pytest

from conftest import BIN, ROOT, run


@pytest.mark.parametrize('args, expected', [
    (['-p', 'dataset', 'kinetics'], "unknown dataset 'kinetics'"),
    (['-p', 'dataset', 'dark48', '-p', 'data_root', '{tmp}'], 'papermill nbs/03_supcon.ipynb'),
])
def test_pipeline_bad_input(tmp_path, args, expected):
    args = [a.replace('{tmp}', str(tmp_path/'no-data')) for a in args]
    r = run([BIN/'papermill', '--cwd', 'nbs', 'nbs/05_distill.ipynb', str(tmp_path/'out.ipynb'), *args],
            env={'ACTLUMOS_RUNS': str(tmp_path/'runs'), 'ACTLUMOS_FIGURES': str(tmp_path/'figures')}, timeout=600)
    assert r.returncode != 0, r.stdout[-4000:]
    assert expected in r.stdout, r.stdout[-4000:]
    assert not (tmp_path/'runs'/'student').exists()   # nothing was trained
