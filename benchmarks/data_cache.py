"""Clip loading speed: reading clips from the frame cache vs. decoding the mp4 for every clip.

Prints clips/s for both and their ratio, for the genuine ARID V1.5 clips (paper preset: 3x64x112x112 clips from a
128 short side) when `../shared/data` is present, and for DarkSynth videos (tiny preset: 3x32x48x48 from 55).
Single process, as one DataLoader worker would run; the cache is written to a temporary folder first.

    python benchmarks/data_cache.py [--clips 48]
"""
import argparse
import tempfile
import time
from pathlib import Path

import torch

from actlumos.core import shared_data
from actlumos.darksynth import make_darksynth
from actlumos.data import ARID_CLASSES, FrameCache, VideoClipDataset


def clips_per_s(ds, n: int) -> float:
    t0 = time.perf_counter()
    for k in range(n): ds[k % len(ds)]
    return n / (time.perf_counter() - t0)


def bench(name, videos, labels, classes, *, clip_len, size, n, tmp):
    kw = dict(classes=classes, clip_len=clip_len, size=size, train=True)
    cached = VideoClipDataset(videos, labels, cache=FrameCache(Path(tmp)/'cache', short_side=round(size * 128 / 112)), **kw)
    t0 = time.perf_counter()
    for i in range(len(cached)): cached.cache.get(cached.videos[i])   # fill the cache: one decode per video
    fill = time.perf_counter() - t0
    decoded = VideoClipDataset(videos, labels, cache=False, **kw)
    clips_per_s(cached, 4); clips_per_s(decoded, 2)                  # warm up
    c, d = clips_per_s(cached, n), clips_per_s(decoded, n)
    print(f'{name}: {len(videos)} videos, clips 3x{clip_len}x{size}x{size} (cache filled in {fill:.1f} s)')
    print(f'  from the cache      {c:8.1f} clips/s')
    print(f'  decoding every clip {d:8.1f} clips/s')
    print(f'  ratio               {c / d:8.1f}x')
    return c / d


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--clips', type=int, default=48, help='clips timed per configuration')
    a = ap.parse_args()
    torch.set_num_threads(1)
    with tempfile.TemporaryDirectory() as tmp:
        real = shared_data('arid_v15_samples')
        if real is None: print('ARID V1.5 clips: skipped (../shared/data/arid_v15_samples absent)')
        else:
            vids = sorted(real.glob('*.mp4'))
            bench('ARID V1.5 (genuine, 320x240)', vids, [ARID_CLASSES.index(v.name.split('_')[0]) for v in vids],
                  ARID_CLASSES, clip_len=64, size=112, n=a.clips, tmp=tmp)
        root = make_darksynth(Path(tmp)/'darksynth', n_actors=3, clips_per_actor=(1,), subsets=('darksynth',))
        vids = sorted((root/'darksynth').glob('*/*.mp4'))
        classes = sorted({v.parent.name for v in vids})
        bench('DarkSynth (80x60)', vids, [classes.index(v.parent.name) for v in vids], classes,
              clip_len=32, size=48, n=a.clips * 4, tmp=tmp)


if __name__ == '__main__':
    main()
