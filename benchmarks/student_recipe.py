"""Whether the student's recipe fits: the DarkSynth SSL + KD student (split 1) trained with the `tiny` preset and with
each variant of it, for the same number of optimizer steps, from one teacher and one SSL encoder, and scored on videos
of actors that no split uses (issue 13: a student that learns within the demo's time).

    python benchmarks/student_recipe.py                                       # train (or reuse) the runs, print the table
    python benchmarks/student_recipe.py --out figures/student_recipe_cpu.json  # and save it (05_distill shows it)
    python benchmarks/student_recipe.py --seeds 1 --threads 1 --no-choice     # train one seed beside another job

A variant is `name: setting=value, ...` over the student preset (`STUDENT_PRESETS['tiny']`); variants are separated by
';'. `default` is the preset itself. Values are numbers, `true` or `false`; not `none`, which `distill_student` reads as
'the preset's value' (clipping is turned off by `gradient_clip_val=0`, as in Lightning). The epochs and the batch size are
not variants: every variant takes the default's steps, so the rule compares recipes at one cost.

Why these variants: with the same architecture, dark input and step count, the dark-only teacher scored higher on
its validation actors than the students did (`make demo`, one seed: the `val_top1` of their records in
`runs/results`). The student recipe differs from the teacher's in its gradient clipping (1.0 against none) and its
loss (CE + τ²·KL against CE + SupCon). So the default
variants are the teacher's clipping, and a doubled learning rate, since the students' validation curves still rose at
their last epoch. They are candidates, not findings. (A first run typed `no_clip` as `gradient_clip_val=none`, which
`distill_student` read as 'the preset's value': it trained the default twice. `none` is refused since.)

Seeds: the teacher and the SSL encoder are the pipeline's seed-0 runs (trained, or reused from `make demo`'s
`runs/`), so a seed here moves only the student: its initial head, its batches, its validation actors.

Scoring: the validation carve depends on the seed, so it cannot compare runs of different seeds; the test split is
for the final numbers only. Every run is scored on one selection set, rendered by
`render_darksynth_test(..., actors=...)`: `--select-actors` actors numbered after the dataset's, 4 videos per class
each, in no split. Each run's test Top-1 is written beside it for the record and never used to choose.

The rule, fixed before the runs (`selection_rule.py`): a variant replaces the default when its mean selection Top-1
over the seeds exceeds the default's mean by more than `MIN_GAIN` points, and its worst seed is not below the default's
worst seed. Among several such variants the highest mean wins. Otherwise the default stays.
Each run is cached under `--runs/<variant>`, so a rerun only reads them and scores them again.
"""
import argparse
import json
import sys
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
import selection_rule  # noqa: E402
from selection_rule import int_list, print_runs, print_summary, rule_text  # noqa: E402
from actlumos.darksynth import DARKSYNTH_VERSION  # noqa: E402
from actlumos.distill import STUDENT_PRESETS, DistillStage, distill_student, evaluate_student, find_teacher  # noqa: E402
from actlumos.engine import hardware_name, load_stage, read_metrics  # noqa: E402
from actlumos.ssl import pretrain_student  # noqa: E402

MIN_GAIN = 2.0   # points of mean selection Top-1 a variant must gain over the default (one selection video is 0.39)
DEFAULT_VARIANTS = 'default; no_clip: gradient_clip_val=0; lr_x2: lr=0.004'
FIXED = ('epochs', 'batch_size')   # the cost of a run: the same for every variant


def parse_variants(text: str) -> dict:
    "'default; no_clip: gradient_clip_val=0' -> {'default': {}, 'no_clip': {'gradient_clip_val': 0}} (`selection_rule.parse_variants`)."
    return selection_rule.parse_variants(text, STUDENT_PRESETS['tiny'], what='the student preset',
                                         fixed={k: "every variant trains the default's steps" for k in FIXED})


def summarize(rows: list[dict]) -> dict:
    "Per variant: the mean and the worst selection Top-1 over its seeds."
    return selection_rule.summarize(rows, 'variant')


def choose(summary: dict) -> str:
    "The rule (`selection_rule.choose`) against the variant named `default`."
    return selection_rule.choose(summary, 'default', MIN_GAIN)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--variants', default=DEFAULT_VARIANTS, help="'name: setting=value, ...; ...' over the tiny student preset")
    ap.add_argument('--seeds', default='0,1', help="student seeds, e.g. '0,1'")
    ap.add_argument('--runs', default='runs/bench_student_recipe', help='where the student runs and the selection set are cached')
    ap.add_argument('--upstream', default=None,
                    help="where the seed-0 teacher and SSL runs are found or trained (default: the project's runs/, as `make demo`)")
    ap.add_argument('--epochs', type=int, default=None, help="student epochs for every variant (default: the preset's)")
    selection_rule.add_run_options(ap)
    a = ap.parse_args()
    r = selection_rule.prepare(a, parse_variants)
    variants, seeds, runs, data, sel_actors, sel = r.variants, r.seeds, r.runs, r.data, r.sel_actors, r.sel
    smoke = dict(limit_train_batches=a.limit_train_batches) if a.limit_train_batches else {}
    upstream = Path(a.upstream) if a.upstream else None
    teacher = find_teacher('darksynth', 1, 'tiny', seed=0, data_root=data, out_root=upstream, progress=False,
                           teacher_kw={**smoke, 'limit_val_batches': 1} if smoke else None)
    ssl = pretrain_student(pool='combined', dataset_family='darksynth', split=1, seed=0, preset='tiny', progress=False,
                           data_root=data, out_root=upstream,
                           **({**smoke, 'limit_val_batches': 1} if smoke else {}))
    rows = []
    for seed in seeds:
        for name, kw in variants.items():
            print(f'student {name} {kw or ""}, seed {seed} ...', flush=True)
            run = distill_student(dataset='darksynth', split=1, preset='tiny', seed=seed, teacher_ckpt=teacher.ckpt,
                                  ssl_ckpt=ssl.ckpt, data_root=data, out_root=runs/name, progress=False,
                                  epochs=a.epochs, **smoke, **kw)
            cfg, rec = run.config, run.result
            ev = evaluate_student(load_stage(run.ckpt, cls=DistillStage), 'darksynth', split=1, preset='tiny',
                                  data_root=sel.parent)
            _, h = read_metrics(run.out_dir)
            per_epoch = h.groupby('epoch').last() if len(h) else h
            val = per_epoch['val/top1'].dropna() if 'val/top1' in per_epoch else []
            rows.append(dict(variant=name, settings=kw, seed=seed, epochs=cfg['epochs'], select_top1=ev['top1'],
                             n_select=ev['n'], val_top1=100 * float(val.iloc[-1]) if len(val) else None,
                             n_val=rec['n_val'], test_top1=rec['top1'], n_test=rec['n'], train_s=rec['train_seconds'],
                             threads=rec['threads'], precision=rec['precision'], hardware=rec.get('hardware'),
                             darksynth_version=cfg.get('darksynth_version'),
                             val_curve=[100 * float(v) for v in val],
                             loss_curve=[float(v) for v in per_epoch['train/loss_epoch'].dropna()]
                             if 'train/loss_epoch' in per_epoch else []))
    summary = summarize(rows)
    chosen = None if a.no_choice else choose(summary)
    print_runs(rows, 'variant')
    print_summary(summary, chosen)
    if a.out:
        out = dict(rule=rule_text(MIN_GAIN),
                   variants=variants, chosen=chosen, min_gain=MIN_GAIN, select_actors=sel_actors,
                   teacher=dict(ckpt=Path(teacher.ckpt).parent.name, top1=teacher.result['top1']),
                   ssl=Path(ssl.ckpt).parent.name, preset=STUDENT_PRESETS['tiny'],
                   darksynth_version=DARKSYNTH_VERSION, hardware=hardware_name('cpu'), torch=torch.__version__,
                   summary=list(summary.values()), rows=rows)
        Path(a.out).write_text(json.dumps(out, indent=1, default=str)); print(f'wrote {a.out}')


if __name__ == '__main__':
    main()
