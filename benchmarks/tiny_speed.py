"""How close the tiny training step gets to this CPU's own matmul peak, and where the demo's wall time goes (issue 13).

    python benchmarks/tiny_speed.py                 # peaks, the tiny student/teacher step in fp32 and bf16 autocast
    python benchmarks/tiny_speed.py --runs runs     # also the demo's stages, from the result records it left

Everything is measured in this one run (timings vary by about ±25 % between identical runs on a shared machine,
so compare the ratios printed here, not numbers from elsewhere):
- the matmul peak, fp32 and bf16, of a 2048² product (the best of several rounds);
- the tiny student's and teacher's training step (forward, cross-entropy, backward, AdamW) at batch 8, with its
  FLOPs counted by `torch.utils.flop_counter`, as GFLOP/s and as a fraction of each peak;
- whether the CPU has native bf16 instructions (`avx512_bf16` / `amx_bf16` in /proc/cpuinfo): without them bf16
  autocast runs convolutions on a slower path, so the bf16 figures say whether it pays here;
- with --runs, each stage's training and evaluation seconds from `runs/results/*.json` and the teachers' records.
"""
import argparse
import json
import sys
import time
from pathlib import Path

import torch
import torch.nn.functional as F
from torch.utils.flop_counter import FlopCounterMode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from actlumos.models import Student, Teacher, clip_shape  # noqa: E402


def best_of(fn, rounds=5):
    fn(); ts = []
    for _ in range(rounds):
        t = time.perf_counter(); fn(); ts.append(time.perf_counter() - t)
    return min(ts)


def matmul_peak(dtype, n=2048):
    a, b = torch.randn(n, n, dtype=dtype), torch.randn(n, n, dtype=dtype)
    return 2 * n ** 3 / best_of(lambda: a @ b) / 1e9


def step_fn(model, x, y, bf16):
    opt = torch.optim.AdamW(model.parameters(), lr=1e-4)
    def step():
        with torch.autocast('cpu', dtype=torch.bfloat16, enabled=bf16):
            out = model(*x)
            logits = out['logits'] if isinstance(out, dict) else out
            loss = F.cross_entropy(logits.float(), y)
        opt.zero_grad(); loss.backward(); opt.step()
    return step


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--batch', type=int, default=8); ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--rounds', type=int, default=5); ap.add_argument('--runs', default=None)
    ap.add_argument('--bf16', action='store_true', help='time bf16 autocast steps even without native bf16 (slow)')
    a = ap.parse_args()
    torch.set_num_threads(a.threads); torch.manual_seed(0)
    flags = Path('/proc/cpuinfo').read_text().split() if Path('/proc/cpuinfo').exists() else []
    native = [f for f in ('avx512_bf16', 'amx_bf16', 'avx512f', 'avx2') if f in flags]
    print(f'CPU flags: {", ".join(native) or "unknown"}; torch {torch.__version__}, {a.threads} threads')
    native_bf16 = any(f in flags for f in ('avx512_bf16', 'amx_bf16'))
    # without native bf16 a 2048² bf16 product takes minutes here (about 1 GFLOP/s): measure a 512² one instead
    peak = {'fp32': matmul_peak(torch.float32), 'bf16': matmul_peak(torch.bfloat16, 2048 if native_bf16 else 512)}
    print(f"matmul peak: fp32 {peak['fp32']:.1f} GFLOP/s, bf16 {peak['bf16']:.1f} GFLOP/s "
          f"({'native bf16' if native_bf16 else 'no native bf16: bf16 autocast runs on a slow path'})", flush=True)
    B, shape = a.batch, clip_shape('tiny')
    x = torch.rand(B, *shape); y = torch.randint(0, 8, (B,))
    models = {'student': (Student(8, preset='tiny'), (x,)), 'teacher': (Teacher(8, preset='tiny'), (x, x.flip(-1)))}
    times = {}
    for name, (m, inp) in models.items():
        with FlopCounterMode(display=False) as fc: step_fn(m, inp, y, False)()
        gf = fc.get_total_flops() / 1e9
        for prec in ('fp32', 'bf16') if native_bf16 or a.bf16 else ('fp32',):
            t = best_of(step_fn(m, inp, y, prec == 'bf16'), a.rounds); times[name, prec] = t
            r = gf / t
            print(f'{name:8s} {prec}: {1000 * t:7.1f} ms/step, {gf:.1f} GFLOP -> {r:6.1f} GFLOP/s = '
                  f"{r / peak['fp32']:.2f} of the fp32 peak, {r / peak['bf16']:.2f} of the bf16 peak", flush=True)
    precs = sorted({p for _, p in times})
    for prec in precs:
        print(f"teacher / student step ({prec}): {times['teacher', prec] / times['student', prec]:.2f} (goal <= 2.05)")
    if 'bf16' in precs: print(f"bf16 autocast / fp32 step time: student {times['student', 'bf16'] / times['student', 'fp32']:.2f}, "
          f"teacher {times['teacher', 'bf16'] / times['teacher', 'fp32']:.2f} (< 1: bf16 pays on this CPU)")
    if a.runs:
        recs = [json.loads(p.read_text()) for p in sorted(Path(a.runs).glob('results/*.json'))]
        print(f'\nthe demo\'s stages ({len(recs)} result records under {a.runs}/results):')
        for r in recs:
            tr = r.get('train_seconds', r.get('seconds'))
            print(f"  {r['model']:18s} split {r['split']}: train {tr:7.1f} s, evaluate {r.get('eval_seconds', r.get('seconds', 0)):6.1f} s, "
                  f"top-1 {r['top1']:.1f}%")
        for p in sorted(Path(a.runs).glob('ssl/*/run.json')):
            r = json.loads(p.read_text()); print(f"  {'ssl':18s} {p.parent.name[:40]}: train {r.get('seconds', 0):7.1f} s")


if __name__ == '__main__':
    main()
