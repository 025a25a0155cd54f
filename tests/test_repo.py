"""Repository invariants: the library, the notebooks and the README are in sync with what nbdev would produce."""
import configparser
import json
import os
import shutil

from conftest import BIN, ROOT, run


def _project_files():
    out = run(['git', 'ls-files', '-co', '--exclude-standard']).stdout.split('\n')
    return [f for f in out if f and (ROOT/f).is_file()]


def test_export_and_clean_change_nothing(tmp_path):
    "nbdev_export and nbdev_clean, run on a copy of the checkout, leave every file as committed."
    files = _project_files()
    for f in files:
        (tmp_path/f).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT/f, tmp_path/f)
    env = {k: v for k, v in os.environ.items() if k != 'IN_TEST'}  # nbdev_export does nothing under IN_TEST
    for cmd in ('nbdev_export', 'nbdev_clean'):
        r = run([BIN/cmd], cwd=tmp_path, env=env)
        assert r.returncode == 0, f'{cmd} failed:\n{r.stdout}'
    changed = [f for f in files if (tmp_path/f).read_bytes() != (ROOT/f).read_bytes()]
    created = sorted(str(p.relative_to(tmp_path)) for p in (tmp_path/'actlumos').rglob('*.py')
                     if str(p.relative_to(tmp_path)) not in files)
    assert not changed and not created, (
        f'nbdev_export/nbdev_clean would change {changed} and create {created}: '
        'run `make export clean` and commit the result.')


def test_readme_generated_from_index():
    r = run([BIN/'python', 'tools/build_docs.py', 'readme', '--check'])
    assert r.returncode == 0, r.stdout


def test_readme_shows_the_committed_tables():
    "The README's DarkSynth tables are the committed ones (index.ipynb's output cell goes stale when only figures/ is regenerated)."
    readme = (ROOT/'README.md').read_text(encoding='utf-8')
    tables = sorted((ROOT/'figures'/'paper_darksynth').glob('*.md'))
    shown = [t for t in tables if t.stem in ('table5', 'claims')]
    assert len(shown) == 2, f'figures/paper_darksynth lacks table5.md or claims.md: {[t.name for t in tables]}'
    stale = [t.name for t in shown if t.read_text(encoding='utf-8').strip() not in readme]
    assert not stale, (f'README.md does not show the current {stale}: re-execute nbs/index.ipynb '
                       '(jupyter nbconvert --execute --inplace), then `make clean readme`, and commit both.')


def test_version_matches_settings():
    import actlumos
    cfg = configparser.ConfigParser(); cfg.read(ROOT/'settings.ini')
    assert actlumos.__version__ == cfg['DEFAULT']['version']


def test_papermill_tag_survives_clean():
    "settings.ini keeps the `tags` cell metadata that papermill needs, as a list nbdev understands."
    from nbdev.config import get_config
    assert 'tags' in get_config(path=ROOT).get('allowed_cell_metadata_keys').split()
    from nbdev.clean import clean_nb
    nb = {'cells': [{'cell_type': 'code', 'metadata': {'tags': ['parameters'], 'collapsed': True}, 'source': 'x=1',
                     'outputs': [], 'execution_count': 3}], 'metadata': {}, 'nbformat': 4, 'nbformat_minor': 5}
    clean_nb(nb, allowed_cell_metadata_keys=get_config(path=ROOT).get('allowed_cell_metadata_keys').split())
    assert nb['cells'][0]['metadata'] == {'tags': ['parameters']} and nb['cells'][0]['execution_count'] is None


def test_jupyter_kernel_is_the_venv():
    "JupyterLab and papermill started from .venv run notebooks with .venv's python."
    r = run([BIN/'jupyter', 'kernelspec', 'list', '--json'])
    spec = json.loads(r.stdout)['kernelspecs']['python3']
    assert str(spec['resource_dir']).startswith(str(BIN.parent)), spec['resource_dir']
    argv0 = spec['spec']['argv'][0]
    assert argv0 == 'python' or argv0.startswith(str(BIN.parent)), argv0


def test_real_data_present_in_ci():
    "Under CI the real ARID/Dark48 files must be there (real-data checks never skip in CI)."
    from actlumos.core import in_ci, shared_data
    if in_ci(): assert shared_data('splits') is not None and shared_data('arid_v15_samples') is not None
    else: assert shared_data('no-such-dir-abc') is None
