"""Why the tiny preset has the widths it has: the tiny student's and teacher's training step for candidate backbone widths
and clip shapes, measured in one run on this CPU (issue 13: more steps per second).

    python benchmarks/tiny_widths.py                                  # print the table
    python benchmarks/tiny_widths.py --out figures/tiny_widths_cpu.json  # and save it (02_dff shows the file)

Each row is the best of `--rounds` timed steps (forward, cross-entropy, backward, AdamW) at batch 8, in bf16 autocast
when the CPU has native bf16 (fp32 otherwise), with the step's FLOPs counted by `torch.utils.flop_counter`. The
variants differ from the `tiny` preset only in the field they name; the rows are interleaved over `--repeats` passes
so that a slow spell of a shared machine hits every variant, and the table keeps each variant's best pass.
"""
import argparse
import dataclasses
import json
import sys
from pathlib import Path

import torch
from torch.utils.flop_counter import FlopCounterMode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from actlumos.engine import cpu_has_bf16, hardware_name  # noqa: E402
from actlumos.models import PRESETS, Student, Teacher  # noqa: E402
from tiny_speed import best_of, step_fn  # noqa: E402  (the same timed step as the speed benchmark)

VARIANTS = {   # name -> the fields that differ from PRESETS['tiny'] (widths of layer1..4, clip (C, T, H, W))
    'widths 16-32-64-128': dict(widths=(16, 32, 64, 128)),
    'widths 12-24-48-128': dict(widths=(12, 24, 48, 128)),
    'widths 8-16-64-128': dict(widths=(8, 16, 64, 128)),
    'widths 8-16-32-128': dict(widths=(8, 16, 32, 128)),
    'widths 8-16-64-128, 16 frames': dict(widths=(8, 16, 64, 128), clip=(3, 16, 48, 48)),
}


def measure(fields, batch, rounds, bf16):
    p = dataclasses.replace(PRESETS['tiny'], **fields)
    PRESETS['_variant'] = dataclasses.replace(p, name='_variant')   # the models take a preset by name
    try:
        x = torch.rand(batch, *p.clip); y = torch.randint(0, 8, (batch,))
        row = {}
        for name, m, inp in (('student', Student(8, preset='_variant'), (x,)),
                             ('teacher', Teacher(8, preset='_variant'), (x, x.flip(-1)))):
            with FlopCounterMode(display=False) as fc: step_fn(m, inp, y, False)()
            row[f'{name}_ms'] = 1000 * best_of(step_fn(m, inp, y, bf16), rounds)
            row[f'{name}_gflop'] = fc.get_total_flops() / 1e9
            row[f'{name}_params_M'] = sum(q.numel() for q in m.parameters()) / 1e6
        return row
    finally:
        PRESETS.pop('_variant')


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--batch', type=int, default=8); ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--rounds', type=int, default=4); ap.add_argument('--repeats', type=int, default=2)
    ap.add_argument('--out', default=None, help='write the table as JSON here')
    a = ap.parse_args()
    torch.set_num_threads(a.threads); torch.manual_seed(0)
    bf16 = cpu_has_bf16()
    rows = {}
    for rep in range(a.repeats):
        for name, fields in VARIANTS.items():
            r = measure(fields, a.batch, a.rounds, bf16)
            if name not in rows or r['student_ms'] + r['teacher_ms'] < rows[name]['student_ms'] + rows[name]['teacher_ms']:
                rows[name] = r
            print(f"pass {rep + 1}: {name:32s} student {r['student_ms']:6.1f} ms  teacher {r['teacher_ms']:6.1f} ms", flush=True)
    base = rows[next(iter(VARIANTS))]
    print(f"\n{'variant':32s} {'student ms':>10s} {'teacher ms':>10s} {'x base':>7s} {'teacher/student':>15s} {'GFLOP':>6s} {'params M':>8s}")
    for name, r in rows.items():
        r['speedup_vs_first'] = (base['student_ms'] + base['teacher_ms']) / (r['student_ms'] + r['teacher_ms'])
        r['teacher_over_student'] = r['teacher_ms'] / r['student_ms']
        print(f"{name:32s} {r['student_ms']:10.1f} {r['teacher_ms']:10.1f} {r['speedup_vs_first']:7.2f} "
              f"{r['teacher_over_student']:15.2f} {r['student_gflop']:6.1f} {r['student_params_M']:8.2f}")
    if a.out:
        out = dict(hardware=hardware_name('cpu'), threads=a.threads, batch=a.batch, precision='bf16-mixed' if bf16 else '32-true',
                   torch=torch.__version__, variants={n: dict(fields={k: list(v) for k, v in VARIANTS[n].items()}, **r)
                                                      for n, r in rows.items()})
        Path(a.out).write_text(json.dumps(out, indent=1)); print(f'wrote {a.out}')


if __name__ == '__main__':
    main()
