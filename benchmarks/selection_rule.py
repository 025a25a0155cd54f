"""The selection rule the recipe benchmarks share (`darksynth_actors.py`, `student_recipe.py`, `teacher_recipe.py`):
parsing of the number lists and recipe variants a person types, their common options, and the choice between a
default and its variants from several seeds' scores.

The rule: a variant replaces the default when its mean score over the seeds exceeds the default's mean by more than
`min_gain` points and its worst seed is not below the default's worst seed. Among several such variants the highest
mean wins. Otherwise the default stays.
"""
import inspect
import sys
import types
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from actlumos.core import int_list as core_int_list  # noqa: E402


def int_list(text: str, what: str, lo: int) -> list[int]:
    "'24, 48' -> [24, 48] (parsed by `actlumos.core.int_list`), each at least `lo`; an error that names the option otherwise."
    try: out = core_int_list(text, f'--{what}')
    except ValueError: raise SystemExit(f"--{what}: {text!r} is not a whole number or a list of them, like '0,1'") from None
    if not out: raise SystemExit(f"--{what}: give at least one")
    for v in out:
        if v < lo: raise SystemExit(f"--{what}: {v} is below {lo}")
    return out


def parse_value(text: str):
    "'true'/'false' -> bool, '4e-3' -> 0.004, '6' -> 6; 'none' is refused (a stage reads None as 'the preset's value')."
    t = text.strip()
    if t.lower() in ('none', 'null'):
        raise SystemExit(f"--variants: {text!r}: a stage reads None as the preset's value, so the variant would be "
                         "the default; give a value (gradient_clip_val=0 turns clipping off)")
    if t.lower() in ('true', 'false'): return t.lower() == 'true'
    for cast in (int, float):
        try: return cast(t)
        except ValueError: pass
    raise SystemExit(f"--variants: value {text!r} is not a number, true or false")


def parse_variants(text: str, known, *, fixed: dict | None = None, what: str = 'the preset') -> dict:
    """'default; no_clip: gradient_clip_val=0' -> {'default': {}, 'no_clip': {'gradient_clip_val': 0}}: settings among
    `known`, none of `fixed` (setting -> why not); an error that names the bad item otherwise."""
    fixed, out = fixed or {}, {}
    for item in [s.strip() for s in text.split(';') if s.strip()]:
        name, _, body = item.partition(':')
        name = name.strip()
        if not name.replace('_', '').replace('-', '').isalnum():
            raise SystemExit(f"--variants: {name!r} is not a usable name (letters, digits, '_' and '-')")
        if name in out: raise SystemExit(f"--variants: {name!r} is given twice")
        kw = {}
        for pair in [p.strip() for p in body.split(',') if p.strip()]:
            key, eq, val = pair.partition('=')
            key = key.strip()
            if not eq: raise SystemExit(f"--variants: {pair!r} in {name!r} is not setting=value")
            if key in fixed: raise SystemExit(f"--variants: {name!r} sets {key}, but {fixed[key]}")
            if key not in known:
                raise SystemExit(f"--variants: {name!r} sets {key!r}, which {what} does not have; "
                                 f"choose from {', '.join(k for k in known if k not in fixed)}")
            kw[key] = parse_value(val)
        if name == 'default' and kw: raise SystemExit("--variants: 'default' is the preset itself and takes no settings")
        out[name] = kw
    if not out: raise SystemExit('--variants: give at least one')
    return out


def add_run_options(ap) -> None:
    "The options every recipe benchmark takes: threads, the selection set, a small DarkSynth of its own, smoke runs, output."
    ap.add_argument('--threads', type=int, default=None, help='torch threads (default: as torch starts)')
    ap.add_argument('--select-actors', type=int, default=8, help='actors in the selection set')
    ap.add_argument('--actors', type=int, default=None,
                    help="render a DarkSynth of this many actors under --runs (smoke runs; default: the project's DarkSynth)")
    ap.add_argument('--frames', default=None, help="video lengths 'min,max' of the rendered sets (smoke runs)")
    ap.add_argument('--limit-train-batches', type=int, default=None, help='short smoke runs (the tests)')
    ap.add_argument('--no-choice', action='store_true', help='train and score only: no rule applied')
    ap.add_argument('--out', default=None, help='write the table as JSON here')


def prepare(a, parse_variants) -> types.SimpleNamespace:
    """What every recipe benchmark does with its parsed options `a` before it trains: its `variants` (parsed by
    `parse_variants`, with a 'default' unless `--no-choice`), `seeds`, the torch threads, the `runs` folder, the training
    data (`data`: None for the project's DarkSynth, or a small one of `--actors` rendered under `runs`), `fkw` (the
    rendering options) and the selection set `sel` of `--select-actors` actors numbered after the dataset's."""
    from actlumos.darksynth import make_darksynth, render_darksynth_test
    variants, seeds = parse_variants(a.variants), int_list(a.seeds, 'seeds', 0)
    if not a.no_choice and 'default' not in variants:
        raise SystemExit("--variants must include 'default': the rule compares with it")
    if a.threads:
        import torch
        torch.set_num_threads(a.threads)
    frames = tuple(int_list(a.frames, 'frames', 1)) if a.frames else None
    fkw = {'frames': frames} if frames else {}
    runs = Path(a.runs)
    n_actors = a.actors or inspect.signature(make_darksynth).parameters['n_actors'].default
    data = None
    if a.actors or frames:   # a small DarkSynth of its own (both subsets); otherwise the project's (shared with `make demo`)
        data = make_darksynth(runs/'data'/'train', n_actors=n_actors, **fkw)
    sel_actors = list(range(n_actors, n_actors + a.select_actors))
    sel = render_darksynth_test(runs/'data'/'select', None, actors=sel_actors, **fkw)
    return types.SimpleNamespace(variants=variants, seeds=seeds, runs=runs, data=data, fkw=fkw, sel_actors=sel_actors, sel=sel)


def summarize(rows: list[dict], by: str, score: str = 'select_top1') -> dict:
    "Per value of `by` (in first-seen order): the mean and the worst `score` over its seeds."
    out = {}
    for k in dict.fromkeys(r[by] for r in rows):
        v = [r[score] for r in rows if r[by] == k]
        out[k] = {by: k, 'mean': float(np.mean(v)), 'worst': float(min(v)), 'seeds': len(v)}
    return out


def choose(summary: dict, default, min_gain: float):
    "The key of the variant the rule picks from `summarize`'s output, or `default`."
    d = summary[default]
    better = [k for k, v in summary.items()
              if k != default and v['mean'] > d['mean'] + min_gain and v['worst'] >= d['worst']]
    return max(better, key=lambda k: summary[k]['mean']) if better else default


def rule_text(min_gain: float) -> str:
    "The rule in words, as the benchmarks' JSON outputs record it."
    return (f"a variant replaces the default when its mean selection Top-1 over the seeds exceeds the default's by more "
            f"than {min_gain} points and its worst seed is not below the default's worst; test Top-1 recorded, never "
            "used to choose")


def print_runs(rows: list[dict], key: str, extra: tuple = ()) -> None:
    "One line per run: its `key`, seed and `extra` columns, then selection, validation and test Top-1, training seconds, threads, precision."
    cols = (key, 'seed', *extra)
    print('\n' + ' '.join(f'{c:>10s}' for c in cols) + f" {'select top-1':>12s} {'val top-1':>9s} {'test top-1':>10s} "
          f"{'train s':>8s} {'threads':>7s}  precision")
    for r in rows:
        val = float('nan') if r['val_top1'] is None else r['val_top1']
        print(' '.join(f'{r[c]!s:>10s}' for c in cols) + f" {r['select_top1']:12.2f} {val:9.2f} {r['test_top1']:10.2f} "
              f"{r['train_s']:8.0f} {r['threads']:7d}  {r['precision']}")


def print_summary(summary: dict, chosen, *, default=None, name=str) -> None:
    "One line per key of `summarize`'s output: mean and worst seed, marking the chosen key and the default."
    for k, v in summary.items():
        print(f"{name(k):>10s}: selection Top-1 mean {v['mean']:.2f}, worst seed {v['worst']:.2f} ({v['seeds']} seeds)"
              f"{'   <- chosen' if k == chosen else ''}{'   (the default)' if default is not None and k == default else ''}")
