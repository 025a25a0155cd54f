"""Per-clip standardisation (`normalize_input(x, 'clip')`): the one-pass version against `torch.std`.

    python benchmarks/clip_norm.py              # tiny-preset batch: 8 clips of 3x32x48x48, CPU

The training steps of the `tiny` preset standardise every clip they see (the student once per step, the teacher
twice, the frozen teacher of KD twice more). The reference is the textbook formula with `Tensor.std`; the
library's version takes the norm of the centred clip and divides in place. The script prints both times (medians
of interleaved rounds), their ratio and the largest difference of the outputs (the two round differently).
"""
import argparse
import math
import sys
import time
from pathlib import Path
from statistics import median

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from a checkout without installing
from actlumos.supcon import normalize_input  # noqa: E402


def with_std(x01, eps=1e-3):
    "The reference: (x - mean) / (std + eps) over the last four dimensions, unbiased std as `torch.std` gives."
    dims = tuple(range(x01.ndim - 4, x01.ndim))
    return (x01 - x01.mean(dims, keepdim=True)) / (x01.std(dims, keepdim=True) + eps)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    p.add_argument('--shape', default='8,3,32,48,48', help='clip batch shape (default: the tiny preset, batch 8)')
    p.add_argument('--rounds', type=int, default=30)
    p.add_argument('--threads', type=int, default=None)
    a = p.parse_args(argv)
    if a.threads: torch.set_num_threads(a.threads)
    g = torch.Generator().manual_seed(0)
    x = torch.rand(*map(int, a.shape.split(',')), generator=g) * 0.1
    jobs = {'torch.std': lambda: with_std(x), 'normalize_input': lambda: normalize_input(x, 'clip')}
    times = {k: [] for k in jobs}
    for f in jobs.values(): f()   # warm-up
    for _ in range(a.rounds):
        for k, f in jobs.items():
            t = time.perf_counter(); f(); times[k].append(time.perf_counter() - t)
    ms = {k: 1e3 * median(v) for k, v in times.items()}
    diff = (with_std(x) - normalize_input(x, 'clip')).abs().max().item()
    print(f"shape {tuple(x.shape)}, {torch.get_num_threads()} thread(s), {a.rounds} rounds")
    for k, v in ms.items(): print(f"  {k:16s} {v:7.2f} ms")
    print(f"  ratio {ms['normalize_input'] / ms['torch.std']:.3f} (normalize_input / torch.std), max |diff| {diff:.1e}")
    assert math.isfinite(diff)


if __name__ == '__main__':
    main()
