"""Why the tiny backbone has the widths it has: the default DarkSynth teacher (DFF + SupCon, split 1, seed 0) trained
with each of `--variants`' layer widths, beside the training step each costs on this CPU (issue 13: a teacher that
fits, within the demo's time).

    python benchmarks/teacher_widths.py                                     # train (or reuse) the runs, print the table
    python benchmarks/teacher_widths.py --out figures/teacher_widths_cpu.json  # and save it (02_dff shows the file)
    python benchmarks/teacher_widths.py --variants 8-16-64-256 --threads 1 --no-cost  # train one variant beside another job

Why widths: at the default widths the teacher fits only ~91 % of its own training videos at any learning rate
(`benchmarks/teacher_lr.py`), so it lacks capacity. Thin early layers are memory-bound on CPU: widening layers 1-2
costs step time in proportion, while layers 3-4 run on 8x fewer positions and add capacity for little time.

The rule, fixed before the runs: a variant is eligible when its training step (student + teacher, batch 8, measured
in this run by `tiny_widths.measure`, rows interleaved over `--repeats` passes, best pass kept) costs at most
`MAX_COST` times the current default's, since the demo has no time to spare; among the eligible ones the chosen
widths are those with the highest Top-1 on the validation videos at the last epoch (the checkpoint the teacher
keeps); ties go to the cheaper step. The test Top-1 is written beside it for the record and never used to choose.
Each run is cached under `--runs/<widths>/teachers`, so a rerun only reads them; a run records its own thread count
and precision, and the table keeps them per row (compare rows trained with the same thread count: it moves a run by
a point or two). One seed.
"""
import argparse
import dataclasses
import json
import sys
from pathlib import Path
from unittest.mock import patch

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from actlumos.engine import cpu_has_bf16, hardware_name  # noqa: E402
from actlumos.models import PRESETS  # noqa: E402
from actlumos.supcon import train_teacher  # noqa: E402
from teacher_lr import row  # noqa: E402  (the same table row: Top-1 on its training, validation and test videos)
from tiny_widths import measure  # noqa: E402  (the same timed training step)

MAX_COST = 1.10   # the most a variant's step may cost, as a multiple of the default's, to be eligible
DEFAULT_VARIANTS = '8-16-64-128,8-16-64-256,8-16-96-192'


def widths_list(text: str) -> list[tuple]:
    "'8-16-64-128, 8-16-64-256' -> [(8, 16, 64, 128), (8, 16, 64, 256)]; an error that names the bad item otherwise."
    out = []
    for s in text.replace(',', ' ').split():
        try: w = tuple(int(v) for v in s.split('-'))
        except ValueError: raise SystemExit(f"--variants: {s!r} is not four widths (give e.g. 8-16-64-256)") from None
        if len(w) != 4 or min(w) < 1: raise SystemExit(f"--variants: {s!r} must be four positive widths, layer1-layer2-layer3-layer4")
        if w[3] % PRESETS['tiny'].heads: raise SystemExit(f"--variants: {s!r}: the last width is the encoder's dim and must divide "
                                                          f"by its {PRESETS['tiny'].heads} heads")
        out.append(w)
    if not out: raise SystemExit('--variants: give at least one set of widths')
    return out


def name(w) -> str: return '-'.join(map(str, w))


def with_widths(w):
    "A context in which the `tiny` preset has widths `w` (the models and the run configs read it by name)."
    return patch.dict(PRESETS, {'tiny': dataclasses.replace(PRESETS['tiny'], widths=tuple(w))})


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--variants', default=DEFAULT_VARIANTS, help=f"layer widths, e.g. '{DEFAULT_VARIANTS}'")
    ap.add_argument('--runs', default='runs/bench_teacher_widths', help='where the runs are cached')
    ap.add_argument('--threads', type=int, default=None, help='torch threads for training (default: as torch starts)')
    ap.add_argument('--epochs', type=int, default=None, help="default: TEACHER_TRAINING['tiny']['epochs']")
    ap.add_argument('--limit-train-batches', type=int, default=None, help='short smoke runs (the tests)')
    ap.add_argument('--repeats', type=int, default=2, help='interleaved passes of the step timing')
    ap.add_argument('--no-cost', action='store_true', help='train only: skip the step timing and the choice')
    ap.add_argument('--out', default=None, help='write the table as JSON here')
    a = ap.parse_args()
    variants = widths_list(a.variants)
    default = tuple(PRESETS['tiny'].widths)
    if not a.no_cost and default not in variants:
        raise SystemExit(f"--variants must include the current default widths {name(default)}: the costs are relative to it")
    if a.threads: torch.set_num_threads(a.threads)
    smoke = dict(limit_train_batches=a.limit_train_batches, limit_val_batches=1) if a.limit_train_batches else {}
    rows = []
    for w in variants:
        print(f'teacher with widths {name(w)} ...', flush=True)
        with with_widths(w):
            run = train_teacher(dataset='darksynth', split=1, epochs=a.epochs, progress=False,
                                out_root=Path(a.runs)/name(w)/'teachers', **smoke)
            rows.append(dict(widths=list(w), **row(run)))
    if a.no_cost: return
    torch.set_num_threads(2); torch.manual_seed(0)
    bf16, cost = cpu_has_bf16(), {}
    for rep in range(a.repeats):
        for w in variants:
            m = measure(dict(widths=w), 8, 3, bf16)
            ms = m['student_ms'] + m['teacher_ms']
            cost[w] = min(cost.get(w, ms), ms)
            print(f"step timing, pass {rep + 1}: {name(w):14s} student + teacher {ms:7.1f} ms", flush=True)
    for r in rows:
        r['step_ms'] = cost[tuple(r['widths'])]; r['cost_vs_default'] = r['step_ms'] / cost[default]
        r['eligible'] = r['cost_vs_default'] <= MAX_COST
    best = max((r for r in rows if r['eligible']), key=lambda r: (r['val_top1'], -r['step_ms']))   # the rule; never test
    print(f"\n{'widths':14s} {'step x':>6s} {'train top-1':>11s} {'val top-1':>9s} {'test top-1':>10s} {'train s':>8s} {'threads':>7s}  precision")
    for r in rows:
        print(f"{name(r['widths']):14s} {r['cost_vs_default']:6.2f} {r['train_top1']:11.2f} {r['val_top1']:9.2f} {r['test_top1']:10.2f} "
              f"{r['train_s']:8.0f} {r['threads']:7d}  {r['precision']}{'   <- chosen (validation)' if r is best else ''}"
              f"{'' if r['eligible'] else f'   (over {MAX_COST}x: not eligible)'}")
    if a.out:
        out = dict(rule=f'step cost <= {MAX_COST}x the default widths, then the highest validation Top-1 at the last epoch; '
                        'test Top-1 recorded, never used to choose',
                   default_widths=list(default), chosen_widths=best['widths'], max_cost=MAX_COST,
                   step_precision='bf16-mixed' if bf16 else '32-true', hardware=hardware_name('cpu'),
                   torch=torch.__version__, rows=rows)
        Path(a.out).write_text(json.dumps(out, indent=1)); print(f'wrote {a.out}')


if __name__ == '__main__':
    main()
