"""The user's commands on the official ARID V1.5, ARID V1.0 and Dark48 layouts, built from the 13 genuine ARID clips.

`papermill nbs/05_distill.ipynb out.ipynb -p dataset <ds> -p data_root <root> -p preset tiny` runs teacher → SSL →
KD → evaluation end to end (smoke-sized: IN_TEST=1, the notebooks' own smoke configuration), then
`actlumos predict` classifies the split's test clips with the resulting student. Dark48 runs its split 3, whose SSL
pool takes ARID V1.5's split 1 (ARID V1.5 has two splits). `actlumos-reproduce --dry-run --check-data` lists every
run of every split of each real grid with its parameters, and builds every dataset each run needs.
See tests/real_layouts.py for how the layouts are made (symlinks and re-encodes into a temporary folder).
"""
import json
import math
import os

import pytest

from conftest import BIN, ROOT, run
from actlumos.core import shared_data
import real_layouts as rl

SAMPLES, SPLITS = shared_data('arid_v15_samples'), shared_data('splits')   # under CI=true, absence raises here
pytestmark = pytest.mark.skipif(SAMPLES is None or SPLITS is None,
                                reason='../shared/data (the genuine ARID clips and split files) is absent')


@pytest.fixture(scope='module')
def layouts(tmp_path_factory):
    root = tmp_path_factory.mktemp('layouts')
    rl.build_all(root, SAMPLES, SPLITS)
    return root


def _env(root, work):
    return {'IN_TEST': '1', 'ACTLUMOS_DATA': str(root), 'ACTLUMOS_RUNS': str(work/'runs'),
            'ACTLUMOS_FIGURES': str(work/'figures'), 'PYTHONPATH': str(ROOT)}


def _finite_numbers(rec, where):
    for k in ('top1', 'top5', 'params', 'seconds'):
        assert isinstance(rec.get(k), (int, float)) and math.isfinite(rec[k]), f'{where}: {k} = {rec.get(k)!r}'
    assert 0 <= rec['top1'] <= rec['top5'] <= 100, where


# dataset, -p splits as a person types it, the split it means, ablations (KD-only and SSL-only students too)
CASES = [('arid15', '1', 1, True), ('arid10', '1,', 1, False), ('dark48', '[3]', 3, False)]


@pytest.mark.parametrize('dataset, splits, split, ablations', CASES, ids=[c[0] for c in CASES])
def test_pipeline_then_predict(layouts, tmp_path, dataset, splits, split, ablations):
    out = tmp_path/'out'
    r = run([BIN/'papermill', '--cwd', 'nbs', 'nbs/05_distill.ipynb', str(tmp_path/'out.ipynb'), '-p', 'dataset', dataset,
             '-p', 'data_root', str(layouts), '-p', 'preset', 'tiny', '-p', 'splits', splits,
             '-p', 'ablations', str(ablations), '-p', 'out_dir', str(out)], env=_env(layouts, tmp_path), timeout=1200)
    assert r.returncode == 0, r.stdout[-6000:]

    # a result record with finite numbers for the teacher and every student
    recs = [json.loads(p.read_text()) for p in sorted((out/'results').glob('*.json'))]
    models = sorted(x['model'] for x in recs)
    want = ['student', 'teacher'] + (['student_kd_only', 'student_ssl_only'] if ablations else [])
    assert models == sorted(want), models
    for x in recs:
        assert (x['dataset'], x['split']) == (dataset, split), x['dataset']
        _finite_numbers(x, f"{dataset} {x['model']}")

    # the SSL stage: its record, a finite kNN probe, the pool it drew from
    ssl = [json.loads(p.read_text()) for p in sorted((out/'ssl').glob('*/run.json'))]
    assert len(ssl) == 1, ssl
    cfg, probe = ssl[0]['config'], ssl[0]['probe']
    assert probe['on'] == 'val' and probe['n'] >= 1, probe   # held-out training videos, never the test split
    assert math.isfinite(probe['top1']) and math.isfinite(ssl[0]['seconds'])
    arid = dataset if dataset in ('arid10', 'arid15') else 'arid15'
    assert cfg['datasets'] == [arid, 'dark48'] and cfg['split'] == split, cfg
    if dataset == 'dark48':   # ARID V1.5 has no split 3: the pool takes its split 1
        assert cfg['pool_splits'] == {'arid15': 1}, cfg
    main = next(x for x in recs if x['model'] == 'student')
    assert main['config']['ssl_run']['config_hash'] and main['config']['teacher']['fusion'] == 'dff'

    # `actlumos predict` with the resulting student on the test clips of that split
    manifest = json.loads((out/f'pipeline_{dataset}.json').read_text())
    ckpt = manifest['students'][str(split)]
    videos = rl.test_videos(layouts, dataset, split)
    r = run([BIN/'actlumos', 'predict', '-c', ckpt, '--no-progress', '-o', str(tmp_path/'pred.json'),
             *map(str, videos)], env=_env(layouts, tmp_path), timeout=600)
    assert r.returncode == 0, r.stdout[-4000:]
    pred = json.loads((tmp_path/'pred.json').read_text())
    assert pred['failed'] == [] and len(pred['videos']) == len(videos) == 4, pred
    for v in pred['videos']:
        probs = [c['prob'] for c in v['top5']]
        assert all(math.isfinite(p) and 0 <= p <= 1 for p in probs) and sum(probs) <= 1 + 1e-5, v
        assert v['top5'][0]['class'] in pred['classes'] and v['windows'], v


@pytest.mark.parametrize('dataset', ['arid15', 'arid10', 'dark48'])
def test_grid_dry_run_lists_and_builds_every_run(layouts, tmp_path, dataset):
    r = run([BIN/'actlumos-reproduce', '--dataset', dataset, '--dry-run', '--check-data'],
            env=_env(layouts, tmp_path), timeout=600)
    assert r.returncode == 0, r.stdout[-6000:]
    n_splits = rl.N_SPLITS[dataset]
    runs_per_split = 9                      # the grid of one split (as tests/test_paper.py counts for DarkSynth)
    assert f'0 of {runs_per_split * n_splits} runs done' in r.stdout, r.stdout[-3000:]
    params = r.stdout.split('parameters of each run')[1].split('datasets of each run')[0]
    data = r.stdout.split('datasets of each run')[1]
    for k in range(1, n_splits + 1):        # every split, with its parameters
        assert params.count(f'"splits": [{k}]') + params.count(f'"split": {k},') == runs_per_split, (k, params)
    lines = [l for l in data.splitlines() if l.startswith('  ')]
    assert len(lines) == runs_per_split * n_splits and all(': ok: ' in l for l in lines), data
    if dataset == 'dark48':
        assert 'arid15 split 1 + dark48 split 3' in data, data


def test_check_data_names_what_is_missing(layouts, tmp_path):
    "Dark48 alone, without the ARID release its SSL pool includes: the dry run names the runs that would crash."
    only = tmp_path/'only-dark48'
    only.mkdir()
    os.symlink(layouts/'dark48', only/'dark48')
    r = run([BIN/'actlumos-reproduce', '--dataset', 'dark48', '--splits', '3', '--dry-run', '--check-data'],
            env=_env(only, tmp_path), timeout=600)
    assert r.returncode == 1, r.stdout[-4000:]
    assert 'ERROR: FileNotFoundError: ARID V1.5 is not at' in r.stdout and 'cannot build their datasets' in r.stdout, r.stdout[-4000:]
