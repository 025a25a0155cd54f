"""Does bf16 autocast change accuracy? Paired runs on DarkSynth, bf16-mixed against 32-true, over seeds (issue 15 item 3).

    python benchmarks/precision_accuracy.py                         # CE-only tiny students, seeds 0 1 2
    python benchmarks/precision_accuracy.py --stage teacher         # the DFF + SupCon tiny teacher instead
    python benchmarks/precision_accuracy.py --smoke                 # a few batches of each: checks the script only
    OMP_NUM_THREADS=1 python benchmarks/precision_accuracy.py --stage teacher --precisions 32-true   # one precision per
    OMP_NUM_THREADS=1 python benchmarks/precision_accuracy.py --stage teacher --precisions bf16-mixed  # process, 2 cores
    python benchmarks/precision_accuracy.py --stage teacher         # then: reads both from the cache, the verdict, the CSV

`fit` trains under bf16 autocast by default where it measures faster (GPUs, and CPUs with native bf16: AVX512-BF16 or
AMX). Each seed trains the same model twice, with the same seed, split, data and recipe, once per precision
(`ACTLUMOS_PRECISION`), each in its own runs folder (the precision is not part of a run's cache key), and evaluates
it on the DarkSynth test split (256 videos of split 1). Validation, curves and the reported last epoch are as in
the pipeline. `--stage student` trains the dark-only student from scratch with CE only (`distill_student(ssl=False,
kd=False)`: no teacher or SSL run to share); `--stage teacher` trains `train_teacher()`'s default teacher.

The rule, fixed before any run: per seed, d = Top-1(bf16) - Top-1(fp32). Over the n seeds, take the mean of d and
its 95 % t-interval, and s, the seed-to-seed standard deviation of the fp32 Top-1.
- "no change beyond seed noise": the interval contains 0 and |mean d| < s;
- "bf16 changes accuracy": the interval excludes 0;
- "not resolved" otherwise.
The script prints every run, the differences, the interval and the verdict, and (unless `--smoke`) writes the runs
to `figures/precision_<stage>_darksynth.csv`, which `nbs/02_memory.ipynb` shows.
"""
import argparse
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
import pandas as pd  # noqa: E402

PRECISIONS = ('bf16-mixed', '32-true')


def train_one(stage: str, seed: int, precision: str, out_root: Path, smoke: bool) -> dict:
    "Train and evaluate one model at `precision` (or read it from `out_root`); its Top-1/Top-5 and recorded seconds."
    from actlumos.engine import PRECISION_ENV, hardware_name
    os.environ[PRECISION_ENV] = precision
    if stage == 'student':
        from actlumos.distill import distill_student
        kw = dict(epochs=1, limit_train_batches=2, test_limit=16, val=False) if smoke else {}
        r = distill_student(dataset='darksynth', split=1, ssl=False, kd=False, seed=seed, out_root=out_root,
                            progress=True, **kw)
        rec, secs, test_s = r.result, r.result.get('train_seconds'), r.result.get('seconds')
    else:
        from actlumos.supcon import train_teacher
        kw = dict(epochs=1, limit_train_batches=2, limit_val_batches=1) if smoke else {}
        r = train_teacher(seed=seed, out_root=out_root/'teachers', progress=True, **kw)
        rec, secs, test_s = r.result, r.result.get('seconds'), r.result.get('eval_seconds')
    if rec.get('precision') != precision:
        raise RuntimeError(f"the run in {r.out_dir} records precision {rec.get('precision')!r}, not {precision!r}")
    return dict(stage=stage, seed=seed, precision=precision, top1=rec['top1'], top5=rec['top5'],
                n_test=rec.get('n') or rec.get('n_test'), train_s=round(secs or float('nan'), 1),
                wall_s=round((secs or 0) + (test_s or 0), 1), threads=rec['threads'],   # training + test, as recorded
                hardware=rec.get('hardware') or hardware_name(),   # records before `hardware` existed: this machine
                run=Path(r.out_dir).name)


def verdict(runs: pd.DataFrame) -> dict:
    "The paired differences bf16 - fp32 per seed, their mean, 95 % t-interval, the fp32 seed std, and the rule's verdict."
    p = runs.pivot(index='seed', columns='precision', values='top1').dropna()
    from actlumos.paper import paired_interval   # the paired t-interval of the paper grid's verdict rule (06_paper)
    d = p['bf16-mixed'] - p['32-true']
    iv = paired_interval(d)
    n, mean = iv['n'], iv['mean']
    s = float(p['32-true'].std(ddof=1)) if n > 1 else float('nan')
    lo, hi = (iv['lo'], iv['hi']) if n > 1 else (-float('inf'), float('inf'))
    if lo > 0 or hi < 0: v = 'bf16 changes accuracy'
    elif abs(mean) < s: v = 'no change beyond seed noise'
    else: v = 'not resolved'
    return dict(n=n, diffs=[round(x, 2) for x in d], mean_diff=mean, ci95=(lo, hi), fp32_seed_std=s,
                bf16_seed_std=float(p['bf16-mixed'].std(ddof=1)) if n > 1 else float('nan'), verdict=v)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--stage', choices=('student', 'teacher'), default='student')
    ap.add_argument('--seeds', type=int, nargs='+', default=[0, 1, 2])
    ap.add_argument('--out', type=Path, default=ROOT/'runs'/'precision', help='runs folder (one subfolder per precision)')
    ap.add_argument('--csv', type=Path, default=None, help='where the runs go (default figures/precision_<stage>_darksynth.csv; none with --smoke)')
    ap.add_argument('--precisions', nargs='+', choices=PRECISIONS, default=list(PRECISIONS),
                    help='train only these (e.g. one per process); the verdict and the CSV need both')
    ap.add_argument('--smoke', action='store_true', help='two training batches per run: checks the script, measures nothing')
    a = ap.parse_args(argv)
    rows = []
    for seed in a.seeds:
        for prec in a.precisions:
            print(f'== {a.stage}, seed {seed}, {prec}', flush=True)
            rows.append(train_one(a.stage, seed, prec, a.out/('smoke' if a.smoke else a.stage)/prec, a.smoke))
            print(json.dumps(rows[-1]), flush=True)
    runs = pd.DataFrame(rows)
    print(runs.to_string(index=False))
    if set(a.precisions) != set(PRECISIONS):
        print(f'only {a.precisions} trained: no verdict and no CSV; run again with both precisions, which reads these '
              f'runs from {a.out} instead of training them again')
        return
    v = verdict(runs)
    lo, hi = v['ci95']
    print(f"{a.stage}: bf16 - fp32 Top-1 per seed {v['diffs']}; mean {v['mean_diff']:+.2f} points, 95 % interval "
          f"[{lo:+.2f}, {hi:+.2f}] over n={v['n']} seeds; seed std of Top-1: fp32 {v['fp32_seed_std']:.2f}, "
          f"bf16 {v['bf16_seed_std']:.2f}")
    print(f"verdict (rule in the docstring): {v['verdict']}")
    t = runs.groupby('precision')[['train_s']].mean()
    print(f"mean training seconds: bf16 {t.loc['bf16-mixed', 'train_s']:.0f}, fp32 {t.loc['32-true', 'train_s']:.0f}")
    if not a.smoke:
        csv = a.csv or ROOT/'figures'/f'precision_{a.stage}_darksynth.csv'
        runs.to_csv(csv, index=False)
        print(f'runs written to {csv}')


if __name__ == '__main__':
    main()
