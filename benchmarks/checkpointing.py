"""Activation checkpointing on the paper preset: peak memory and time of a training step with and without it.

    nice -n 19 python benchmarks/checkpointing.py                  # paper student, one clip, CPU (minutes)
    python benchmarks/checkpointing.py --device cuda --clips 2     # on a GPU

Each of the four settings (fp32 and bf16 autocast, checkpointing off and on) runs in a fresh process
(`actlumos.memory.measure_step_subprocess`): the student's training forward + backward on `--clips` clips of the
preset's size, timed (fastest of `--steps`), with the peak memory rise over the built model (CPU: the process's
peak RSS after resetting it; CUDA: `torch.cuda.max_memory_allocated`). The ratios (checkpointing / plain, per
precision) come from this one run. The calibration column is what `actlumos.memory.CALIBRATION` holds: the peak
rise, less the gradients and autocast weight copies, over the activation bytes `saved_bytes` traces.
Writes figures/checkpointing_<device>.json.
"""
import argparse
import json
import sys
import time
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run from a checkout without installing
from actlumos.memory import GiB, autocast_dtype, cpu_has_bf16, measure_step_subprocess, saved_bytes  # noqa: E402
from actlumos.models import Student, clip_shape  # noqa: E402
from actlumos.engine import hardware_name  # noqa: E402


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    p.add_argument('--preset', default='paper')
    p.add_argument('--clips', type=int, default=1)
    p.add_argument('--steps', type=int, default=1, help='steps per setting; the fastest is reported')
    p.add_argument('--device', default='cpu')
    p.add_argument('--precisions', nargs='+', default=['32-true', 'bf16-mixed'],
                   help="default both; on a CPU without native bf16 (AVX512-BF16/AMX) 'bf16-mixed' is skipped unless --force-bf16")
    p.add_argument('--force-bf16', action='store_true', help='measure bf16 autocast even on a CPU without native bf16')
    p.add_argument('--out', default=None, help='default figures/checkpointing_<device>[_<preset>].json')
    a = p.parse_args(argv)
    with torch.device('meta'):
        prof = saved_bytes(Student(11, preset=a.preset), torch.empty(a.clips, *clip_shape(a.preset)))
    precs = list(a.precisions)
    if a.device == 'cpu' and not cpu_has_bf16() and not a.force_bf16 and 'bf16-mixed' in precs:
        precs.remove('bf16-mixed')
        print("bf16-mixed skipped: this CPU has no native bf16 (AVX512-BF16/AMX), and PyTorch's bf16 Conv3d falls back to a "
              "reference path there, tens of times slower than fp32 (--force-bf16 to measure it anyway)")
    rows = []
    for prec in precs:
        for ck in (False, True):
            r = measure_step_subprocess(preset=a.preset, clips=a.clips, precision=prec, checkpointing=ck, steps=a.steps,
                                        device=a.device)
            extra = (4 + 2 * (autocast_dtype(prec) is not None)) * r['params']   # gradients, autocast copies
            r['calibration'] = (r['peak_bytes'] - extra) / prof.kept(ck)
            rows.append(r)
            print(f"{prec:10s} checkpointing {'on ' if ck else 'off'}: {r['seconds']:7.1f} s, peak +{r['peak_bytes'] / GiB:5.2f} GiB "
                  f"(traced activations {prof.kept(ck) / GiB:.2f} GiB, calibration {r['calibration']:.3f})", flush=True)
    ratios = {}
    for prec in precs:
        off, on = [r for r in rows if r['precision'] == prec]
        ratios[prec] = dict(memory=on['peak_bytes'] / off['peak_bytes'], time=on['seconds'] / off['seconds'])
        print(f"{prec}: checkpointing / plain = {ratios[prec]['memory']:.2f}x memory, {ratios[prec]['time']:.2f}x time")
    if len(precs) == 2:
        f32, b16 = [[r for r in rows if r['precision'] == q and not r['checkpointing']][0] for q in precs]
        print(f"bf16 / fp32 (plain): {b16['peak_bytes'] / f32['peak_bytes']:.2f}x memory, {b16['seconds'] / f32['seconds']:.2f}x time")
    out = Path(a.out) if a.out else ROOT/'figures'/(f'checkpointing_{a.device}' + ('' if a.preset == 'paper' else f'_{a.preset}') + '.json')
    hw = hardware_name('cuda' if a.device.startswith('cuda') else 'cpu')   # what measured it: CPU results differ by model
    doc = dict(date=time.strftime('%Y-%m-%d'), device=a.device, hardware=hw, cpu_bf16=cpu_has_bf16(),
               threads=rows[0]['threads'], preset=a.preset,
               clips=a.clips, clip='x'.join(map(str, clip_shape(a.preset))), rows=rows, ratios=ratios)
    out.write_text(json.dumps(doc, indent=1) + '\n')
    print(f'wrote {out}')


if __name__ == '__main__':
    main()
