"""Every notebook in nbs/ runs under nbdev_test (smoke configuration: IN_TEST is set, `#| slow`/`#| cuda` cells skipped)."""
import pytest

from conftest import BIN, ROOT, run

NOTEBOOKS = sorted(p.name for p in (ROOT/'nbs').glob('*.ipynb'))


@pytest.mark.parametrize('nb', NOTEBOOKS)
def test_notebook(nb):
    r = run([BIN/'nbdev_test', '--path', f'nbs/{nb}', '--do_print', '--timing'])
    print(r.stdout[-20000:])
    assert r.returncode == 0, f'nbdev_test failed on nbs/{nb}:\n{r.stdout[-8000:]}'
