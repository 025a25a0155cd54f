"""benchmarks/darksynth_actors.py renders DarkSynth at several actor counts, trains a teacher on each for the same step
count, scores every run on actors no variant uses, and applies its stated rule."""
import importlib.util
import json

from conftest import BIN, ROOT, assert_rerun_reuses_runs, run

spec = importlib.util.spec_from_file_location('darksynth_actors', ROOT/'benchmarks'/'darksynth_actors.py')
bench = importlib.util.module_from_spec(spec); spec.loader.exec_module(bench)


def test_darksynth_actors_smoke_trains_and_scores_on_unseen_actors(tmp_path):
    out = tmp_path/'actors.json'
    cmd = [BIN/'python', 'benchmarks/darksynth_actors.py', '--actors', '3, 6', '--seeds', '0', '--no-choice', '--epochs', '1',
           '--limit-train-batches', '1', '--select-actors', '1', '--frames', '24,30', '--runs', str(tmp_path/'runs'), '--out', str(out)]
    r = run(cmd, timeout=900)
    assert r.returncode == 0, r.stdout[-3000:]
    b = json.loads(out.read_text())
    assert b['chosen_actors'] is None and b['select_actors'] == [6]   # the actor after the largest variant's
    assert [(row['actors'], row['seed']) for row in b['rows']] == [(3, 0), (6, 0)]
    d = bench.DEFAULT_ACTORS
    for row in b['rows']:
        assert row['epochs'] * row['actors'] == d, row          # the same step count: epochs x actors = 1 x the default's
        assert row['n_select'] == 8 * 4, row                    # 8 classes x 1 actor x 4 videos
        vbs = bench.TEACHER_TRAINING['tiny']['val_batch_size']   # a smoke run tests on one batch of its own test actors 0, 3, ...
        assert row['n_test'] == min(vbs, 8 * 4 * len(range(0, row['actors'], 3))), row
        assert 0 <= row['select_top1'] <= 100 and 0 <= row['test_top1'] <= 100, row
    sel = json.loads((tmp_path/'runs'/'data'/'select'/'darksynth'/'darksynth_light.json').read_text())
    assert sel['params']['actors'] == [6] and all('_7_' in rel for rel in sel['mean'])   # actor 6 is named _7_
    assert_rerun_reuses_runs(cmd, out, b['rows'])


def test_darksynth_actors_rule_by_hand():
    row = lambda n, s, top1: dict(actors=n, seed=s, select_top1=top1)
    s = bench.summarize([row(24, 0, 80.0), row(24, 1, 84.0), row(48, 0, 85.0), row(48, 1, 83.0)])
    assert s[24] == dict(actors=24, mean=82.0, worst=80.0, seeds=2) and s[48] == dict(actors=48, mean=84.0, worst=83.0, seeds=2)
    assert bench.choose(s, 24) == 24             # +2.0 is not more than MIN_GAIN = 2
    assert bench.choose(s, 48) == 48
    s = bench.summarize([row(24, 0, 80.0), row(24, 1, 84.0), row(48, 0, 79.0), row(48, 1, 95.0)])
    assert bench.choose(s, 24) == 24             # mean +5, but its worst seed is below the default's worst
    s = bench.summarize([row(24, 0, 80.0), row(24, 1, 84.0), row(48, 0, 86.0), row(48, 1, 90.0), row(96, 0, 88.0), row(96, 1, 89.0)])
    assert bench.choose(s, 24) == 96             # both qualify (means 88.0 and 88.5): the higher mean


def test_darksynth_actors_refuses_what_a_person_mistypes(tmp_path):
    assert (bench.TEACHER_TRAINING['tiny']['epochs'] * bench.DEFAULT_ACTORS) % 7, 'pick another bad count for this test'
    for args, msg in ((['--actors', '24,forty'], 'is not a whole number'), (['--actors', '2,24'], 'is below 3'),
                      (['--actors', f'{bench.DEFAULT_ACTORS},7'], 'whole epochs'), (['--actors', '12,96', '--seeds', '0'], 'must include the current default')):
        r = run([BIN/'python', 'benchmarks/darksynth_actors.py', *args, '--runs', str(tmp_path)], timeout=300)
        assert r.returncode != 0 and msg in r.stdout, (args, r.stdout[-2000:])
