"""Why the tiny teacher trains at the learning rate it does: the default DarkSynth teacher (DFF + SupCon, split 1, seed 0)
trained at each of `--lrs`, everything else as `TEACHER_TRAINING['tiny']` (issue 13: the recipe, chosen by measurement).

    python benchmarks/teacher_lr.py                                       # train (or reuse) the runs, print the table
    python benchmarks/teacher_lr.py --out figures/teacher_lr_cpu.json     # and save it (03_supcon shows the file)

The rule, fixed before the runs: the chosen lr is the one with the highest Top-1 on the validation videos (carved from
the training videos, `val_fraction`, `val_by`) at the last epoch, the checkpoint the teacher keeps (`selection='last'`). The
test Top-1 is written beside it for the record and is never used to choose. Each run is cached under
`--runs/lr<lr>/teachers`, so a rerun only reads them; a run records its own thread count and precision, and the
table keeps them per row. One seed: the table says which lr learns fastest here, not how large the gap is.
"""
import argparse
import copy
import json
import sys
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from actlumos.engine import hardware_name  # noqa: E402
from actlumos.data import holdout_videos  # noqa: E402
from actlumos.supcon import evaluate_teacher, teacher_datasets, train_teacher  # noqa: E402


def lr_list(text: str) -> list[float]:
    "'1e-3,2e-3' or '1e-3 2e-3' -> [0.001, 0.002]; an error that names the bad item otherwise."
    out = []
    for s in text.replace(',', ' ').split():
        try: out.append(float(s))
        except ValueError: raise SystemExit(f"--lrs: {s!r} is not a number (give e.g. --lrs 1e-3,2e-3,4e-3)") from None
        if out[-1] <= 0: raise SystemExit(f"--lrs: {s!r} must be > 0")
    if not out: raise SystemExit('--lrs: give at least one learning rate')
    return out


def fit_top1(run) -> float:
    "Top-1 of the kept checkpoint on its own training videos (centre crops): how well it fits what it learned from."
    cfg = run.config
    train_ds, _ = teacher_datasets(cfg)
    train_ds, _ = holdout_videos(train_ds, cfg['val_fraction'], seed=cfg['seed'], by=cfg.get('val_by', 'video'))   # the videos it trained on
    train_ds = copy.copy(train_ds); train_ds.train = False                       # evaluation crops, no augmentation
    return evaluate_teacher(run.load(), train_ds, batch_size=cfg['val_batch_size'],
                            limit_batches=cfg['limit_val_batches'])['top1']


def row(run) -> dict:
    h, rec = run.history, run.result
    cfg = json.loads((run.out_dir/'config.json').read_text())
    per_epoch = h.groupby('epoch').last() if len(h) else h
    return dict(lr=rec['config']['lr'], train_top1=fit_top1(run), val_top1=100 * rec['val_top1'], n_val=rec['n_val'], test_top1=rec['top1'],
                n_test=rec['n_test'], epochs=rec['epochs_trained'], train_s=rec['seconds'], threads=cfg['threads'],
                precision=cfg['precision'], hardware=rec.get('hardware'),
                val_curve=[100 * float(v) for v in per_epoch['val/top1'].dropna()],
                loss_curve=[float(v) for v in per_epoch['train/loss_epoch'].dropna()])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--lrs', default='1e-3,2e-3,4e-3', help="learning rates, e.g. '1e-3,2e-3,4e-3'")
    ap.add_argument('--runs', default='runs/bench_teacher_lr', help='where the runs are cached')
    ap.add_argument('--epochs', type=int, default=None, help="default: TEACHER_TRAINING['tiny']['epochs']")
    ap.add_argument('--limit-train-batches', type=int, default=None, help='short smoke runs (the tests)')
    ap.add_argument('--out', default=None, help='write the table as JSON here')
    a = ap.parse_args()
    lrs = lr_list(a.lrs)
    smoke = dict(limit_train_batches=a.limit_train_batches, limit_val_batches=1) if a.limit_train_batches else {}
    rows = []
    for lr in lrs:
        print(f'teacher at lr {lr:g} ...', flush=True)
        run = train_teacher(dataset='darksynth', split=1, lr=lr, epochs=a.epochs, progress=False,
                            out_root=Path(a.runs)/f'lr{lr:g}'/'teachers', **smoke)
        rows.append(row(run))
    best = max(rows, key=lambda r: (r['val_top1'], -r['lr']))   # the rule: validation Top-1 at the last epoch (ties: the smaller lr), never test
    print(f"\n{'lr':>8s} {'train top-1':>11s} {'val top-1':>9s} {'test top-1':>10s} {'train s':>8s} {'threads':>7s}  precision")
    for r in rows:
        print(f"{r['lr']:8g} {r['train_top1']:11.2f} {r['val_top1']:9.2f} {r['test_top1']:10.2f} {r['train_s']:8.0f} {r['threads']:7d}  "
              f"{r['precision']}{'   <- chosen (validation)' if r is best else ''}")
    if a.out:
        out = dict(rule='highest validation Top-1 at the last epoch; test Top-1 recorded, never used to choose',
                   chosen_lr=best['lr'], hardware=hardware_name('cpu'),
                   torch=torch.__version__, rows=rows)
        Path(a.out).write_text(json.dumps(out, indent=1)); print(f'wrote {a.out}')


if __name__ == '__main__':
    main()
