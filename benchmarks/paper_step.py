"""CPU step time of the paper preset (R(2+1)D-34, 3x64x112x112), the measurement behind the GPU plan of nbs/06_paper.ipynb.

Times forward + backward of the student (batch 1) on this CPU, compares it with the FLOPs counted by
`actlumos.paper.model_flops`, and prints the achieved GFLOP/s and what the same step costs on a GPU at an assumed
sustained rate. Writes the numbers to figures/paper_step_cpu.json (read by `actlumos.paper.write_tables`).
Usage: python benchmarks/paper_step.py [--repeats 1] [--gpu-tflops 312] [--mfu 0.35]
"""
import argparse
import json
import platform
import time

import torch

from actlumos.core import repo_root
from actlumos.models import Student, clip_shape
from actlumos.paper import model_flops

ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
ap.add_argument('--repeats', type=int, default=1)
ap.add_argument('--gpu-tflops', type=float, default=312.0)
ap.add_argument('--mfu', type=float, default=0.35)
a = ap.parse_args()

flops = model_flops('paper')
torch.manual_seed(0)
m = Student(11, preset='paper')
x = torch.randn(1, *clip_shape('paper'))
times = []
for i in range(a.repeats + 1):                       # the first one warms up
    t0 = time.perf_counter()
    m(x).sum().backward()
    m.zero_grad(set_to_none=True)
    times.append(time.perf_counter() - t0)
    print(f'step {i}: {times[-1]:.1f} s{" (warm-up)" if i == 0 else ""}', flush=True)
cpu_s = min(times[1:])
gflops = flops['student_fwdbwd'] / 1e9
gpu_s = flops['student_fwdbwd'] / (a.gpu_tflops * 1e12 * a.mfu)
out = dict(preset='paper', clip=list(clip_shape('paper')), batch=1, cpu_seconds=cpu_s, gflop=gflops,
           cpu_gflops_per_s=gflops / cpu_s, threads=torch.get_num_threads(), cpu=platform.processor() or platform.machine(),
           gpu_tflops=a.gpu_tflops, mfu=a.mfu, gpu_seconds_estimate=gpu_s, cpu_over_gpu=cpu_s / gpu_s,
           date=time.strftime('%Y-%m-%d'))
print(f"student forward+backward, 1 clip 3x64x112x112: {gflops:.0f} GFLOP, {cpu_s:.1f} s on CPU "
      f"({out['cpu_gflops_per_s']:.0f} GFLOP/s, {out['threads']} threads)")
print(f"at {a.gpu_tflops:g} TFLOP/s x {a.mfu:.0%}: {1000 * gpu_s:.1f} ms per clip on a GPU, ratio CPU/GPU = {out['cpu_over_gpu']:.0f}x")
(repo_root()/'figures'/'paper_step_cpu.json').write_text(json.dumps(out, indent=1))
