"""How many actors DarkSynth renders: the default DarkSynth teacher (DFF + SupCon, split 1) trained on DarkSynth
rendered with each of `--actors`, for the same number of optimizer steps, and scored on videos of actors that none of
them trains, validates or tests on (issue 13: a teacher that generalises to unseen actors within the demo's time).

    python benchmarks/darksynth_actors.py                                      # train (or reuse) the runs, print the table
    python benchmarks/darksynth_actors.py --out figures/darksynth_actors_cpu.json   # and save it (00_darksynth shows it)
    python benchmarks/darksynth_actors.py --actors 48 --seeds 1 --threads 1 --no-choice   # train one run beside another job

Why actors: the test split holds out whole actors (unseen looks), and the default teacher fit its own training videos
better than the held-out actors' (`benchmarks/teacher_widths.py`). Rendering more actors costs seconds; a step costs
the same whatever the dataset's size. So each variant trains for the step count of the current default: epochs =
the preset's epochs x the default actor count / its actor count (one epoch is one pass over the training videos).

Scoring: the test split and the validation carve differ between dataset sizes, so neither can compare them. Every
run is scored on one selection set, rendered by `render_darksynth_test(..., actors=...)`: `--select-actors` actors
numbered after the largest variant's, 4 videos per class each. They are in no split of any variant. The test Top-1
of each run (its own test split) is written beside it for the record and never used to choose.

The rule, fixed before the runs: a variant replaces the default when its mean selection Top-1 over the seeds exceeds
the default's mean by more than `MIN_GAIN` points, and its worst seed is not below the default's worst seed.
Among several such variants the highest mean wins. Otherwise the default stays.
Each run is cached under `--runs/n<actors>_s<seed>/teachers`, so a rerun only reads them and scores them again.
"""
import argparse
import inspect
import json
import sys
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
import selection_rule  # noqa: E402
from selection_rule import int_list, print_runs, print_summary, rule_text  # noqa: E402
from actlumos.darksynth import DARKSYNTH_VERSION, make_darksynth, render_darksynth_test  # noqa: E402
from actlumos.data import get_dataset  # noqa: E402
from actlumos.engine import hardware_name  # noqa: E402
from actlumos.ssl import dataset_root_for  # noqa: E402
from actlumos.supcon import TEACHER_TRAINING, evaluate_teacher, train_teacher  # noqa: E402

MIN_GAIN = 2.0   # points of mean selection Top-1 a variant must gain over the default (one selection video is 0.39)
DEFAULT_ACTORS = inspect.signature(make_darksynth).parameters['n_actors'].default


def epochs_for(n_actors: int, epochs0: int) -> int:
    "The epochs that give a dataset of `n_actors` the step count of `epochs0` epochs over the default dataset."
    if (epochs0 * DEFAULT_ACTORS) % n_actors:
        raise SystemExit(f"--actors: {n_actors} actors cannot train for the default's step count in whole epochs "
                         f"({epochs0} epochs x {DEFAULT_ACTORS} actors); choose a divisor of {epochs0 * DEFAULT_ACTORS}")
    return epochs0 * DEFAULT_ACTORS // n_actors


def summarize(rows: list[dict]) -> dict:
    "Per actor count: the mean and the worst selection Top-1 over its seeds."
    return selection_rule.summarize(rows, 'actors')


def choose(summary: dict, default: int) -> int:
    "The rule (`selection_rule.choose`): of the variants whose mean beats the default's by > MIN_GAIN and whose worst seed is no lower, the highest mean."
    return selection_rule.choose(summary, default, MIN_GAIN)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--actors', default='24,48',
                    help='actor counts to compare; the default count must be among them unless --no-choice')
    ap.add_argument('--seeds', default='0,1', help="training seeds, e.g. '0,1'")
    ap.add_argument('--runs', default='runs/bench_darksynth_actors', help='where the runs and their data are cached')
    ap.add_argument('--threads', type=int, default=None, help='torch threads (default: as torch starts)')
    ap.add_argument('--epochs', type=int, default=None, help="epochs at the default actor count (default: the preset's)")
    ap.add_argument('--select-actors', type=int, default=8, help='actors in the selection set')
    ap.add_argument('--frames', default=None, help="video lengths 'min,max' (default: the renderer's; shorter for smoke runs)")
    ap.add_argument('--limit-train-batches', type=int, default=None, help='short smoke runs (the tests)')
    ap.add_argument('--no-choice', action='store_true', help='train and score only: no rule applied')
    ap.add_argument('--out', default=None, help='write the table as JSON here')
    a = ap.parse_args()
    actors, seeds = int_list(a.actors, 'actors', 3), int_list(a.seeds, 'seeds', 0)
    if not a.no_choice and DEFAULT_ACTORS not in actors:
        raise SystemExit(f"--actors must include the current default, {DEFAULT_ACTORS}: the rule compares with it")
    if a.threads: torch.set_num_threads(a.threads)
    epochs0 = a.epochs or TEACHER_TRAINING['tiny']['epochs']
    epochs = {n: epochs_for(n, epochs0) for n in actors}   # refused before anything is rendered
    frames = tuple(int_list(a.frames, 'frames', 1)) if a.frames else None
    fkw = {'frames': frames} if frames else {}
    runs = Path(a.runs)
    sel_actors = list(range(max(actors), max(actors) + a.select_actors))
    sel = render_darksynth_test(runs/'data'/'select', None, actors=sel_actors, **fkw)
    smoke = dict(limit_train_batches=a.limit_train_batches, limit_val_batches=1) if a.limit_train_batches else {}
    rows = []
    for n in actors:
        data = make_darksynth(runs/'data'/f'n{n}', n_actors=n, subsets=('darksynth',), clips_per_actor=(4,), **fkw)
        for seed in seeds:
            print(f'teacher on {n} actors, seed {seed} ...', flush=True)
            run = train_teacher(dataset='darksynth', split=1, seed=seed, epochs=epochs[n], data_root=data,
                                progress=False, out_root=runs/f'n{n}_s{seed}'/'teachers', **smoke)
            cfg, rec = run.config, run.result
            ds = get_dataset('darksynth', split=1, subset='test', root=dataset_root_for('darksynth', sel.parent),
                             clip_len=cfg['clip_len'], size=cfg['size'], normalize=False, seed=seed)
            ev = evaluate_teacher(run.load(), ds, batch_size=cfg['val_batch_size'])
            h = run.history
            per_epoch = h.groupby('epoch').last() if len(h) else h
            threads = json.loads((run.out_dir/'config.json').read_text())['threads']
            rows.append(dict(actors=n, seed=seed, epochs=rec['epochs_trained'], select_top1=ev['top1'], n_select=ev['n'],
                             val_top1=None if rec['val_top1'] is None else 100 * rec['val_top1'], n_val=rec['n_val'],
                             test_top1=rec['top1'], n_test=rec['n_test'],
                             train_s=rec['seconds'], threads=threads, precision=rec['precision'], hardware=rec.get('hardware'),
                             darksynth_version=cfg.get('darksynth_version'),
                             val_curve=[100 * float(v) for v in per_epoch['val/top1'].dropna()],
                             loss_curve=[float(v) for v in per_epoch['train/loss_epoch'].dropna()]))
    summary = summarize(rows)
    chosen = None if a.no_choice else choose(summary, DEFAULT_ACTORS)
    print_runs(rows, 'actors', ('epochs',))
    print_summary(summary, chosen, default=DEFAULT_ACTORS, name=lambda n: f'{n} actors')
    if a.out:
        out = dict(rule=rule_text(MIN_GAIN),
                   default_actors=DEFAULT_ACTORS, chosen_actors=chosen, min_gain=MIN_GAIN, select_actors=sel_actors,
                   darksynth_version=DARKSYNTH_VERSION, hardware=hardware_name('cpu'), torch=torch.__version__,
                   summary=list(summary.values()), rows=rows)
        Path(a.out).write_text(json.dumps(out, indent=1)); print(f'wrote {a.out}')


if __name__ == '__main__':
    main()
