"""The selection rule the recipe benchmarks share (`darksynth_actors.py`, `student_recipe.py`): parsing of the number
lists a person types, and the choice between a default and its variants from several seeds' scores.

The rule: a variant replaces the default when its mean score over the seeds exceeds the default's mean by more than
`min_gain` points and its worst seed is not below the default's worst seed. Among several such variants the highest
mean wins. Otherwise the default stays.
"""
import sys
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
