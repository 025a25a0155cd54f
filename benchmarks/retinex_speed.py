#!/usr/bin/env python
"""Speed of `actlumos.retinex`: batched torch against a per-frame scipy reference, in frames/s, and their ratio.

    python benchmarks/retinex_speed.py            # about 2-3 minutes on a 2-core CPU
    python benchmarks/retinex_speed.py --budget 2 # shorter reference samples

Two inputs: a 64x112x112 clip (the paper's teacher input) and 32 frames of 320x240 (ARID's frame size), cut from the
genuine ARID V1.5 clip Pour_1_13 when the shared data is there, synthetic noise otherwise. Methods: gamma (1.8), SSR
with its default sigma = min(H, W)/3, MSR with sigma = (15, 80, 250) px, LIME (alpha 0.15, sigma 3, gamma 0.6).

torch: `enhance` on the whole clip `[1, T, 3, H, W]` in one call (best of `--reps`; LIME once, on the first 8 or 4
frames: it has no per-clip work). Reference: the straightforward per-frame NumPy code of nbs/01_retinex.ipynb, i.e.
`scipy.ndimage.gaussian_filter(mode='reflect', truncate=4)` per frame (a C loop over the truncated kernel,
O(sigma) per pixel and axis), numpy logs and the same per-clip quantile stretch; `scipy.sparse.linalg.spsolve` per
frame for LIME. It runs frame after frame for `--budget` seconds (at least 2 frames) and its rate is extrapolated.
torch runs on `--threads` threads (default 1, as scipy does, so the ratio is the gain of the algorithm and the
batching alone; on a busy 2-core machine two OpenMP threads were also several times slower than one). Timings on a
shared machine vary by +-25% or more: compare the ratios of one run.

Last, one training step of the tiny DFF teacher on a batch of clips is timed against enhancing the same batch
(goal: enhancement <= 10% of the step).
"""
import argparse
import math
import time

import numpy as np
import scipy.ndimage as ndi
import scipy.sparse as sp
import torch
import torch.nn.functional as F
from scipy.sparse.linalg import spsolve

from actlumos.core import shared_data
from actlumos.retinex import EPS, default_sigma, enhance


# ---- the per-frame references (as in nbs/01_retinex.ipynb) ----
def ref_log(f, sigmas, eps=EPS):  # one frame [3, H, W] float64
    return np.mean([np.log(f + eps) - np.log(ndi.gaussian_filter(f + eps, (0, s, s), mode='reflect', truncate=4.0))
                    for s in sigmas], axis=0)


def ref_stretch(r, q=(0.01, 0.99), min_range=0.1):  # one clip [T, 3, H, W]
    s = max(1, int(np.sqrt(r.size // 2 ** 15)))
    lo, hi = np.quantile(r[..., ::s, ::s], q)
    return np.clip(0.5 + (r - (lo + hi) / 2) / max(hi - lo, min_range), 0, 1)


def ref_lime(f, g=0.6, alpha=0.15, sigma=3.0, eps=1e-3):
    t_hat = f.max(0)
    H, W = t_hat.shape
    dh, dv = np.diff(t_hat, axis=1), np.diff(t_hat, axis=0)
    gs = lambda d: ndi.gaussian_filter(d, sigma, mode='reflect', truncate=4.0)
    wh, wv = (alpha / ((np.abs(gs(d)) + eps) * (np.abs(d) + eps)) for d in (dh, dv))
    Dh = sp.kron(sp.eye(H), sp.diags([-1., 1.], [0, 1], shape=(W - 1, W)))
    Dv = sp.kron(sp.diags([-1., 1.], [0, 1], shape=(H - 1, H)), sp.eye(W))
    A = sp.eye(H * W) + Dh.T @ sp.diags(wh.ravel()) @ Dh + Dv.T @ sp.diags(wv.ravel()) @ Dv
    t = spsolve(A.tocsc(), t_hat.ravel()).reshape(H, W)
    return np.clip(f / np.maximum(np.maximum(t, 0) ** g, eps), 0, 1)


def ref_rate(clip, method, kw, budget):
    "Frames/s of the per-frame reference on `clip` [T, 3, H, W] float64, run for about `budget` seconds."
    outs, t0 = [], time.perf_counter()
    for f in clip:
        if method == 'gamma': outs.append(np.clip(f, 0, 1) ** (1 / kw['g']))
        elif method == 'lime': outs.append(ref_lime(f))
        else: outs.append(ref_log(f, kw['sigmas']))
        if len(outs) >= 2 and time.perf_counter() - t0 > budget: break
    if method in ('ssr', 'msr'): ref_stretch(np.stack(outs))   # the per-clip stretch, on the frames done
    return len(outs) / (time.perf_counter() - t0)


def torch_time(x, method, kw, reps):
    "Seconds of one `enhance(x, method, **kw)` call (best of `reps`, after a warm-up on a slice)."
    enhance(x[:1, :2], method, **kw)   # warm-up: cached blur matrices, LAPACK initialisation
    best = math.inf
    for _ in range(reps):
        t0 = time.perf_counter(); enhance(x, method, **kw); best = min(best, time.perf_counter() - t0)
    return best


def torch_rate(clip, method, kw, reps):
    "Frames/s of `enhance` on the whole clip [T, 3, H, W] passed as one batch [1, T, 3, H, W]."
    return clip.shape[0] / torch_time(clip[None], method, kw, reps)


def inputs():
    arid = shared_data('arid_v15_samples')
    if arid:
        import av
        with av.open(str(arid / 'Pour_1_13.mp4')) as c:
            fr = [f.to_ndarray(format='rgb24') for _, f in zip(range(64), c.decode(video=0))]
        v = torch.from_numpy(np.stack(fr)).permute(0, 3, 1, 2).float() / 255   # [64, 3, 240, 320]
        src = 'ARID V1.5 Pour_1_13'
    else:
        v = (torch.rand(64, 3, 240, 320) * 0.1 * 255).round() / 255
        src = 'synthetic (shared ARID data absent)'
    return src, {'clip 64x112x112': F.interpolate(v, size=(112, 112), mode='area'), 'frames 32x240x320': v[:32]}


def teacher_step(batch=8, reps=2):
    "Seconds of enhancing a batch of tiny-preset clips and of one tiny DFF-teacher training step on the same batch."
    from actlumos.models import Teacher, clip_shape
    C, T, H, W = clip_shape('tiny')
    model = Teacher(11, fusion='dff', preset='tiny').train()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-5, weight_decay=1e-3)
    x = torch.rand(batch, C, T, H, W) * 0.1          # [B, 3, T, H, W], as the models take clips
    y = torch.randint(0, 11, (batch,))
    enh = lambda: enhance(x.transpose(1, 2), 'ssr').transpose(1, 2)   # the teacher path: [B, T, 3, H, W]
    def step():
        out = model(x, x_ret)
        loss = F.cross_entropy(out['logits'], y)
        opt.zero_grad(); loss.backward(); opt.step()
    x_ret = enh(); step()                            # warm-up
    t_enh = t_step = math.inf
    for _ in range(reps):
        t0 = time.perf_counter(); x_ret = enh(); t_enh = min(t_enh, time.perf_counter() - t0)
        t0 = time.perf_counter(); step(); t_step = min(t_step, time.perf_counter() - t0)
    return t_enh, t_step, (batch, T, H, W)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--budget', type=float, default=4.0, help='seconds per reference measurement (default 4)')
    ap.add_argument('--reps', type=int, default=3, help='torch repetitions, best one kept (default 3)')
    ap.add_argument('--threads', type=int, default=1,
                    help='torch CPU threads (default 1, like scipy: the ratio then measures batching, not cores)')
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    src, clips = inputs()
    print(f'input: {src}; torch {torch.__version__} with {torch.get_num_threads()} thread(s), scipy single-threaded')
    print(f"{'input':18s} {'method':22s} {'torch fr/s':>11s} {'scipy fr/s':>11s} {'ratio':>8s}")
    for cname, v in clips.items():
        H, W = v.shape[-2:]
        methods = [('gamma', 'gamma 1.8', dict(g=1.8), dict(g=1.8)),
                   ('ssr', f'SSR sigma={default_sigma(H, W):.0f}', {}, dict(sigmas=[default_sigma(H, W)])),
                   ('msr', 'MSR sigma=15,80,250', dict(sigmas=(15, 80, 250)), dict(sigmas=(15, 80, 250))),
                   ('lime', 'LIME', {}, {})]
        v64 = v.double().numpy()
        for m, label, tkw, rkw in methods:
            x = v[:8 if H * W < 50_000 else 4] if m == 'lime' else v   # LIME has no per-clip work: fewer frames
            tr = torch_rate(x, m, tkw, 1 if m == 'lime' else a.reps)
            rr = ref_rate(v64, m, rkw, a.budget)
            print(f'{cname:18s} {label:22s} {tr:11.1f} {rr:11.1f} {tr / rr:7.1f}x', flush=True)
    x = torch.rand(8, 32, 3, 48, 48) * 0.1   # the tiny preset's batch of 8 clips, [B, T, 3, H, W]
    t = torch_time(x, 'ssr', {}, a.reps)
    print(f'enhance (SSR) of a tiny-preset batch of 8 clips 32x48x48: {t * 1e3:.1f} ms ({t / 8 * 1e3:.2f} ms per clip)')
    t_enh, t_step, shape = teacher_step()
    print(f'teacher step (tiny preset, batch {shape[0]} clips of {shape[1]}x{shape[2]}x{shape[3]}): '
          f'enhance {t_enh * 1e3:.1f} ms, train step {t_step * 1e3:.1f} ms, '
          f'enhance/step = {100 * t_enh / t_step:.1f}% (goal <= 10%)')


if __name__ == '__main__':
    main()
