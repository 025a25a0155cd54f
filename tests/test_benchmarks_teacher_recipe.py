"""benchmarks/teacher_recipe.py trains the DFF + SupCon teacher with the tiny preset and with each typed variant of it,
over seeds, scores every run on actors no split uses, and applies the rule it shares with student_recipe.py."""
import importlib.util
import json

from conftest import BIN, ROOT, assert_rerun_reuses_runs, run

spec = importlib.util.spec_from_file_location('teacher_recipe', ROOT/'benchmarks'/'teacher_recipe.py')
bench = importlib.util.module_from_spec(spec); spec.loader.exec_module(bench)


def test_teacher_recipe_smoke_trains_each_variant_and_scores_on_unseen_actors(tmp_path):
    out = tmp_path/'recipe.json'
    cmd = [BIN/'python', 'benchmarks/teacher_recipe.py', '--actors', '3', '--frames', '24,30', '--select-actors', '1',
           '--limit-train-batches', '1', '--seeds', '0', '--no-choice', '--variants', 'default; e2: epochs=2, gradient_clip_val=1',
           '--runs', str(tmp_path/'runs'), '--default-runs', str(tmp_path/'default'), '--out', str(out)]
    r = run(cmd, timeout=900)
    assert r.returncode == 0, r.stdout[-3000:]
    b = json.loads(out.read_text())
    assert b['chosen'] is None and b['select_actors'] == [3]    # the actor after the dataset's three
    assert b['variants'] == {'default': {}, 'e2': {'epochs': 2, 'gradient_clip_val': 1}}
    assert [(row['variant'], row['seed'], row['epochs']) for row in b['rows']] == \
        [('default', 0, bench.TEACHER_TRAINING['tiny']['epochs']), ('e2', 0, 2)]
    for row in b['rows']:
        assert row['n_select'] == 8 * 4, row   # 8 classes x 1 actor x 4 videos
        assert 0 <= row['select_top1'] <= 100 and 0 <= row['test_top1'] <= 100, row
        assert len(row['val_curve']) == row['epochs'], row   # one validation point per epoch
    cfg = lambda root: json.loads(next(root.rglob('config.json')).read_text())
    assert cfg(tmp_path/'default')['gradient_clip_val'] == bench.TEACHER_TRAINING['tiny']['gradient_clip_val']
    assert cfg(tmp_path/'runs'/'e2')['gradient_clip_val'] == 1   # the variant reached the run's config
    assert_rerun_reuses_runs(cmd, out, b['rows'])


def test_teacher_recipe_parses_what_a_person_types(tmp_path):
    v = bench.parse_variants(' default ;e8: epochs = 8; clip: gradient_clip_val=1.0, lr=1e-3 ')
    assert v == {'default': {}, 'e8': {'epochs': 8}, 'clip': {'gradient_clip_val': 1.0, 'lr': 0.001}}
    for variants, msg in (('default; x: learning_rate=1', 'does not have'), ('x: lr=0.01', "must include 'default'"),
                          ('default; x: lr=fast', 'is not a number'), ('default; x: lr=1; x: lr=2', 'is given twice'),
                          ('default: lr=1', 'takes no settings'), ('default; x: lr', 'is not setting=value')):
        r = run([BIN/'python', 'benchmarks/teacher_recipe.py', '--variants', variants, '--runs', str(tmp_path)], timeout=300)
        assert r.returncode != 0 and msg in r.stdout, (variants, r.stdout[-2000:])
