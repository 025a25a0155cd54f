"""What a teacher training step costs, and how much of it the on-the-fly retinex stream takes.

Times, on the same class-balanced batch (4 classes x 2 clips in [0, 1]), in one run:
  - `two_streams` alone (single-scale retinex of the batch, then both streams' input normalisation),
  - a training step (forward, CE + 0.1 SupCon, backward, AdamW) of the DFF teacher, which includes it,
  - the same step of the dark-only teacher (no retinex, half the backbone work),
and prints the retinex share of the DFF step and the DFF / dark-only ratio (about 2 expected: two streams).

    python benchmarks/teacher_step.py                        # tiny preset, CPU
    python benchmarks/teacher_step.py --preset paper --device cuda
"""
import argparse
import time

import torch

from actlumos.models import clip_shape
from actlumos.supcon import TEACHER_TRAINING, TeacherStage, two_streams


def timed(fn, reps, device):
    fn()  # warm-up
    if device.startswith('cuda'): torch.cuda.synchronize()
    ts = []
    for _ in range(reps):
        t = time.perf_counter(); fn()
        if device.startswith('cuda'): torch.cuda.synchronize()
        ts.append(time.perf_counter() - t)
    return sorted(ts)[len(ts) // 2]  # the median: robust to other jobs on a shared machine


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--preset', default='tiny'); ap.add_argument('--device', default='cpu')
    ap.add_argument('--reps', type=int, default=5); ap.add_argument('--threads', type=int, default=None)
    a = ap.parse_args()
    if a.threads: torch.set_num_threads(a.threads)
    cfg = TEACHER_TRAINING[a.preset]
    n = cfg['n_classes'] * cfg['n_per_class']
    g = torch.Generator().manual_seed(0)
    x01 = (torch.rand(n, *clip_shape(a.preset), generator=g) * 0.1).to(a.device)
    y = torch.arange(cfg['n_classes']).repeat_interleave(cfg['n_per_class']).to(a.device)
    t_streams = timed(lambda: two_streams(x01, input_norm=cfg['input_norm']), a.reps, a.device)
    steps = {}
    for fusion in ('dff', 'dark'):
        torch.manual_seed(0)
        st = TeacherStage(model=dict(kind='teacher', num_classes=8, preset=a.preset, fusion=fusion),
                          input_norm=cfg['input_norm']).to(a.device)
        opt = torch.optim.AdamW(st.parameters(), lr=cfg['lr'])
        def step():
            loss = st.training_loss((x01, y))['loss']; opt.zero_grad(); loss.backward(); opt.step()
        steps[fusion] = timed(step, a.reps, a.device)
    print(f"{a.preset} preset, batch of {n} clips {tuple(x01.shape[1:])}, {a.device}, {torch.get_num_threads()} threads")
    print(f"two_streams (retinex + normalisation): {t_streams * 1e3:8.1f} ms")
    print(f"DFF teacher training step:             {steps['dff'] * 1e3:8.1f} ms  ({steps['dff'] / n * 1e3:.0f} ms per clip)")
    print(f"dark-only teacher training step:       {steps['dark'] * 1e3:8.1f} ms")
    print(f"retinex share of the DFF step: {t_streams / steps['dff']:.1%};  DFF / dark-only: {steps['dff'] / steps['dark']:.2f}x")


if __name__ == '__main__':
    main()
