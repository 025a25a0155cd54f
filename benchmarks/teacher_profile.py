"""Where the tiny teacher's training step spends its time, next to the student's on the same 2B clips (issue 13 item 7).

    python benchmarks/teacher_profile.py                  # tiny preset, batch 8, 2 threads, the default precision
    python benchmarks/teacher_profile.py --precision fp32

`benchmarks/models_speed.py` found the teacher's step 3.04x the student's in fp32 though its FLOPs are 2.00x. The
teacher runs its shared backbone ONCE over the 2B clips (dark and retinex), so its fair reference is the student
on 2B clips: this script profiles both steps with `torch.profiler` (forward, CE, backward, AdamW, as in
`models_speed.py`) and prints, all measured in this one run:
- the wall time of each step (best of several rounds) and the ratios teacher / student@B and teacher / student@2B;
- self CPU time by operator for both steps, and the teacher's extra time per operator (teacher - student@2B):
  what the fusion, the per-stream split and the wider batch really cost;
- the forward time of each top-level module of the teacher (backbone, fuse, temporal, head), from
  `record_function` ranges opened by forward hooks.
Timings vary between runs on a shared machine; compare the ratios printed in one run.

What it showed on the 2-core Zen 4 (numbers in the session notes of issue 13, from this script's output): the
teacher's step costs what the student's step costs on 2B clips, to within a few per cent, in fp32 and in bf16; the
fusion, the temporal encoder and the head are a few ms. The excess over 2x is the backbone's cost per clip growing
with the batch: convolution backward at 2B clips is slower per clip than at B, markedly so in fp32 (oneDNN), much
less under bf16 autocast, which `fit` uses by default on this CPU. Two backbone passes of B clips each would avoid
it, but would change the BatchNorm statistics (one shared pass normalises dark and retinex clips together), so the
model keeps its one pass.
"""
import argparse
import collections
import sys
import time
from pathlib import Path

import torch
import torch.nn.functional as F
from torch.profiler import ProfilerActivity, profile, record_function

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from actlumos.engine import default_precision  # noqa: E402
from actlumos.models import Student, Teacher, clip_shape  # noqa: E402


def step_fn(model, inputs, y, bf16):
    opt = torch.optim.AdamW(model.parameters(), lr=1e-4)
    def step():
        model.train()
        with torch.autocast('cpu', dtype=torch.bfloat16, enabled=bf16):
            out = model(*inputs)
            logits = out['logits'] if isinstance(out, dict) else out
            loss = F.cross_entropy(logits.float(), y)
        opt.zero_grad(set_to_none=True); loss.backward(); opt.step()
    return step


def best_of(fn, rounds):
    fn(); ts = []
    for _ in range(rounds):
        t = time.perf_counter(); fn(); ts.append(time.perf_counter() - t)
    return min(ts)


def label_modules(model, prefix):
    "Open a `record_function` range around each top-level module's forward (closed by its forward hook)."
    open_ = {}
    for name, m in model.named_children():
        tag = f'{prefix}.{name}'
        def pre(mod, args, tag=tag): open_[tag] = record_function(tag); open_[tag].__enter__()
        def post(mod, args, out, tag=tag): open_.pop(tag).__exit__(None, None, None)
        m.register_forward_pre_hook(pre); m.register_forward_hook(post)


def op_times(step):
    "Self CPU time (ms) per operator, and the total of the labelled module ranges, of one profiled step."
    with profile(activities=[ProfilerActivity.CPU]) as prof: step()
    ops, ranges = collections.Counter(), {}
    for e in prof.key_averages():
        if '.' in e.key and e.key.split('.')[0] in ('teacher', 'student'): ranges[e.key] = e.cpu_time_total / 1e3
        else: ops[e.key] += e.self_cpu_time_total / 1e3
    return ops, ranges


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--batch', type=int, default=8); ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--rounds', type=int, default=5); ap.add_argument('--top', type=int, default=14)
    ap.add_argument('--precision', default=None, help="'bf16' or 'fp32' (default: what `fit` uses on this machine)")
    a = ap.parse_args()
    torch.set_num_threads(a.threads); torch.manual_seed(0)
    prec = a.precision or ('bf16' if default_precision('cpu').startswith('bf16') else 'fp32')
    bf16 = prec.startswith('bf16')
    B, shape = a.batch, clip_shape('tiny')
    g = torch.Generator().manual_seed(0)
    x, xr = torch.rand(B, *shape, generator=g), torch.rand(B, *shape, generator=g)
    y = torch.randint(0, 8, (B,), generator=g)
    teacher, student = Teacher(8, preset='tiny'), Student(8, preset='tiny')
    label_modules(teacher, 'teacher'); label_modules(student, 'student')
    steps = {'teacher': step_fn(teacher, (x, xr), y, bf16), 'student@B': step_fn(student, (x,), y, bf16),
             'student@2B': step_fn(student, (torch.cat([x, xr]),), torch.cat([y, y]), bf16)}
    print(f'tiny preset, {B} clips of {"x".join(map(str, shape))} per stream, {prec}, {torch.get_num_threads()} threads, '
          f'torch {torch.__version__}')
    t = {k: best_of(s, a.rounds) for k, s in steps.items()}
    for k, v in t.items(): print(f'  {k:11s} step {1000 * v:7.1f} ms (best of {a.rounds})')
    print(f"teacher / student@B = {t['teacher'] / t['student@B']:.2f} (goal <= 2.05);  teacher / student@2B = "
          f"{t['teacher'] / t['student@2B']:.2f};  student@2B / student@B = {t['student@2B'] / t['student@B']:.2f}")

    prof = {k: op_times(steps[k]) for k in ('teacher', 'student@2B')}
    (ot, rt), (os_, rs) = prof['teacher'], prof['student@2B']
    tot_t, tot_s = sum(ot.values()), sum(os_.values())
    print(f'\nself CPU time by operator, one profiled step (ms; totals teacher {tot_t:.0f}, student@2B {tot_s:.0f}):')
    print(f"{'operator':44s} {'teacher':>9s} {'stud@2B':>9s} {'extra':>8s}")
    keys = sorted(set(ot) | set(os_), key=lambda k: -max(ot[k], os_[k]))[:a.top]
    for k in keys: print(f'{k[:44]:44s} {ot[k]:9.1f} {os_[k]:9.1f} {ot[k] - os_[k]:8.1f}')
    diff = sorted(set(ot) | set(os_), key=lambda k: -(ot[k] - os_[k]))
    print(f'\nthe teacher\'s extra time over student@2B ({tot_t - tot_s:.0f} ms), its largest parts:')
    for k in diff[:8]: print(f'  {k[:50]:50s} {ot[k] - os_[k]:+8.1f} ms')
    print('\nforward time of each module (ms, including its children):')
    for k in sorted(rt): print(f'  {k:22s} {rt[k]:8.1f}')
    for k in sorted(rs): print(f'  {k:22s} {rs[k]:8.1f}   (on 2B clips)')


if __name__ == '__main__':
    main()
