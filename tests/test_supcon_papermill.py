"""papermill drives nbs/03_supcon.ipynb: its `parameters` cell takes `-p` values and the notebook resolves them.

The notebook is prepared by papermill (parameters injected, nothing trained) and its cells are then run up to the
cell that resolves the parameters, so the check costs seconds; a full smoke execution is what nbdev_test does.
"""
import json
import os
import shutil

from conftest import BIN, ROOT, run


def _prepared(tmp_path, *params):
    out = tmp_path/'out.ipynb'
    args = [a for k, v in params for a in ('-p', k, v)]
    r = run([BIN/'papermill', 'nbs/03_supcon.ipynb', str(out), '--prepare-only', *args], timeout=120)
    assert r.returncode == 0, r.stdout
    return json.loads(out.read_text())['cells']


def _resolved(cells, env):
    "Run the code cells up to the one after the injected parameters; return the notebook's variables."
    i = next(k for k, c in enumerate(cells) if 'injected-parameters' in c['metadata'].get('tags', []))
    code = [''.join(c['source']) for c in cells[:i + 2] if c['cell_type'] == 'code']
    code = [c for c in code if not c.lstrip().startswith(('#| default_exp', '#| hide'))]
    ns = {}
    old = dict(os.environ); os.environ.update(env)
    try:
        for c in code: exec(compile(c, '<cell>', 'exec'), ns)
    finally:
        os.environ.clear(); os.environ.update(old)
        if 'tmp' in ns: shutil.rmtree(ns['tmp'], ignore_errors=True)   # the notebook's scratch folder
    return ns


def test_papermill_parameters(tmp_path):
    cells = _prepared(tmp_path, ('dataset', 'arid15'), ('split', '2'), ('fusion', 'static'), ('supcon', 'False'))
    tags = [c['metadata'].get('tags', []) for c in cells]
    i = tags.index(['parameters'])
    assert 'injected-parameters' in tags[i + 1], 'papermill puts its values right after the parameters cell'
    ns = _resolved(cells, {'IN_TEST': ''})
    assert (ns['dataset'], ns['split'], ns['fusion'], ns['supcon']) == ('arid15', 2, 'static', False)
    assert (ns['preset'], ns['compare'], ns['smoke'], ns['SMOKE']) == ('paper', False, False, {})


def test_papermill_smoke_defaults(tmp_path):
    ns = _resolved(_prepared(tmp_path, ('epochs', '1'), ('smoke', 'True')), {'IN_TEST': ''})
    assert (ns['dataset'], ns['preset'], ns['compare'], ns['smoke'], ns['epochs']) == ('darksynth', 'tiny', True, True, 1)
    assert ns['SMOKE'] == {'limit_train_batches': 2, 'limit_val_batches': 1}
    assert ns['out_root'].is_relative_to(ns['tmp']), 'smoke runs stay out of runs/'
