"""Throughput of `actlumos predict` on CPU: clips (windows) per second for the tiny and paper presets.

The predict path end to end (decode, resize, centre crop, batch, normalise, student forward, softmax) over a few
ARID-sized (320x240) dark videos, beside the two parts alone: the student's forward pass on batches of the same size
and the decoding into windows. The students are randomly initialised (the speed does not depend on the weights).

The paper preset costs about 7 s per 64x112x112 clip on this 2-core CPU, so by default it runs one 96-frame video:
2 windows, one batch. These are few clips: read its number as an order of magnitude.

    python benchmarks/predict_throughput.py                       # tiny and paper
    python benchmarks/predict_throughput.py --presets tiny --videos 12
"""
import argparse
import json
import tempfile
import time
from pathlib import Path

import numpy as np
import torch

from actlumos.darksynth import render_darksynth_video
from actlumos.data import default_short_side, write_video
from actlumos.models import Student, clip_shape
from actlumos.predict import InputSpec, LoadedStudent, VideoWindows, predict, window_ranges


def make_videos(folder: Path, n: int, frames: int, size=(320, 240)) -> list:
    "`n` dark DarkSynth-style videos of `frames` frames at ARID's usual 320x240."
    out = []
    for k in range(n):
        v, _ = render_darksynth_video('darksynth', ['Rise', 'Spin', 'Orbit', 'Hop'][k % 4], k % 6, k, n_frames=frames, size=size)
        out.append(write_video(folder/f'v{k}.mp4', v))
    return out


def student(preset: str, n_classes: int = 11) -> LoadedStudent:
    torch.manual_seed(0)
    C, T, H, W = clip_shape(preset)
    return LoadedStudent(Student(n_classes, preset=preset).eval(), [f'c{i}' for i in range(n_classes)],
                         InputSpec((C, T, H, W), default_short_side(H)), f'random {preset} student', {'kind': 'random'})


def bench(preset: str, n_videos: int, frames: int, batch: int, tmp: Path) -> dict:
    st = student(preset)
    (tmp/preset).mkdir()
    vids = make_videos(tmp/preset, n_videos, frames)
    n_clips = sum(len(window_ranges(frames, st.spec.clip_len)) for _ in vids)
    with torch.inference_mode(): st.model(torch.zeros(min(batch, 2), *st.spec.clip))   # first-call overhead
    t0 = time.perf_counter()
    res = predict(st, vids, batch_size=batch, device='cpu', progress=False)
    t_predict = time.perf_counter() - t0
    assert all(r.ok for r in res) and sum(len(r.windows) for r in res) == n_clips
    t0 = time.perf_counter()
    n_dec = sum(1 for v in vids for _ in VideoWindows(v, st.spec))
    t_decode = time.perf_counter() - t0
    x = st.spec.prepare(torch.rand(batch, *st.spec.clip))
    n_fwd = max(1, n_clips // batch)
    t0 = time.perf_counter()
    with torch.inference_mode():
        for _ in range(n_fwd): st.model(x)
    t_model = time.perf_counter() - t0
    return dict(preset=preset, clip='x'.join(map(str, st.spec.clip)), batch=batch, videos=n_videos, frames=frames,
                clips=n_clips, predict_clips_per_s=n_clips / t_predict, videos_per_s=n_videos / t_predict,
                model_clips_per_s=n_fwd * batch / t_model, decode_clips_per_s=n_dec / t_decode, predict_s=t_predict)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--presets', nargs='+', default=['tiny', 'paper'])
    ap.add_argument('--videos', type=int, default=6, help='videos for the tiny preset (paper: --paper-videos)')
    ap.add_argument('--paper-videos', type=int, default=1)
    ap.add_argument('--frames', type=int, default=96, help='frames per video (ARID clips have 36-151)')
    ap.add_argument('--batch-size', type=int, default=8, help="windows per forward (tiny); paper uses min(this, 2)")
    ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--out', help='also write the numbers to this JSON file')
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    rows = []
    with tempfile.TemporaryDirectory() as d:
        for p in a.presets:
            paper = p == 'paper'
            rows.append(bench(p, a.paper_videos if paper else a.videos, a.frames, min(a.batch_size, 2) if paper else a.batch_size,
                              Path(d)))
            r = rows[-1]
            print(f"{p}: {r['predict_clips_per_s']:.2f} clips/s through predict ({r['clips']} clips of {r['clip']} from "
                  f"{r['videos']} video(s) of {r['frames']} frames, batch {r['batch']}, {a.threads} CPU threads)", flush=True)
    print(f"\n{'preset':7s} {'clip':14s} {'batch':>5s} {'clips':>5s} {'predict clips/s':>16s} {'videos/s':>9s} "
          f"{'model-only clips/s':>19s} {'decode-only clips/s':>20s}")
    for r in rows:
        print(f"{r['preset']:7s} {r['clip']:14s} {r['batch']:5d} {r['clips']:5d} {r['predict_clips_per_s']:16.2f} "
              f"{r['videos_per_s']:9.2f} {r['model_clips_per_s']:19.2f} {r['decode_clips_per_s']:20.1f}")
    if len(rows) == 2:
        print(f"\ntiny / paper predict throughput = {rows[0]['predict_clips_per_s'] / rows[1]['predict_clips_per_s']:.0f}x")
    if a.out: Path(a.out).write_text(json.dumps(rows, indent=1))


if __name__ == '__main__':
    main()
