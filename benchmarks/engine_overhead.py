"""What the engine's reliability costs (actlumos.engine): per-item/per-step reseeding, atomic saves, checkpoint checks.

    python benchmarks/engine_overhead.py [--mb 100]

Prints times and ratios measured in one run (this machine's timings vary by ±25% between runs).
"""
import argparse
import tempfile
import time
from pathlib import Path

import torch

from actlumos.engine import atomic_save, check_checkpoint, derive_seed, load_checkpoint, seed_all


def best_of(f, n=3):
    ts = []
    for _ in range(n):
        t = time.perf_counter(); f(); ts.append(time.perf_counter() - t)
    return min(ts)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--mb', type=int, default=100, help='size of the fake checkpoint (the paper student: ~760 MB with AdamW)')
    a = ap.parse_args()

    n = 20_000
    t = best_of(lambda: [seed_all(derive_seed(0, 3, i)) for i in range(n)], 2)/n
    print(f'seed_all(derive_seed(seed, epoch, i)): {t*1e6:.1f} µs per clip or step '
          f'(decoding one 64-frame 112² clip with PyAV: ~25 ms)')

    sd = {'state_dict': {f'w{i}': torch.randn(a.mb*2**20//4//16) for i in range(16)}, 'epoch': 1}
    with tempfile.TemporaryDirectory(dir=Path.cwd()) as d:
        p, q = Path(d)/'plain.ckpt', Path(d)/'atomic.ckpt'
        t_plain = best_of(lambda: torch.save(sd, p))
        t_atomic = best_of(lambda: atomic_save(sd, q))
        t_shallow = best_of(lambda: check_checkpoint(q, deep=False))
        t_deep = best_of(lambda: check_checkpoint(q))
        t_load = best_of(lambda: torch.load(q, weights_only=True))
        t_checked = best_of(lambda: load_checkpoint(q))
    print(f'{a.mb} MB checkpoint: torch.save {t_plain:.2f} s, atomic_save (tmp + fsync + replace) {t_atomic:.2f} s '
          f'(x{t_atomic/t_plain:.2f})')
    print(f'  check: zip directory {t_shallow*1e3:.1f} ms, + every CRC {t_deep:.2f} s; '
          f'torch.load {t_load:.2f} s, load_checkpoint (CRC + load) {t_checked:.2f} s (x{t_checked/t_load:.2f})')


if __name__ == '__main__':
    main()
