"""How much faster the frozen teacher's forward is in the students' KD on CPU with channels-last 3-D weights, and
whether its logits stay the same, bit for bit or within bf16's own error (issue 13: the KD teacher's forward was a third of a student's step).

    python benchmarks/kd_teacher.py                          # a freshly initialised tiny DFF teacher, random dark clips
    python benchmarks/kd_teacher.py --ckpt runs/teachers/<run>/checkpoints/last.ckpt --test   # a trained one, test clips

`DistillStage.teacher` (05_distill) puts the teacher's weights channels-last on CPU. Both layouts run here, batch by
batch, in the same bf16 autocast as training, so the printed ratio is measured in this one run. Only inference gains:
the training step (with its backward) was slower channels-last when this was written, so teachers and students train
in the default layout.
"""
import argparse
import copy
import sys
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from actlumos.models import Teacher, clip_shape  # noqa: E402
from actlumos.ssl import default_input_norm  # noqa: E402
from actlumos.supcon import TeacherStage, load_teacher  # noqa: E402


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--ckpt', help='a trained teacher checkpoint (default: a freshly initialised tiny DFF teacher)')
    ap.add_argument('--test', action='store_true', help="the DarkSynth split-1 test clips (default: random dark clips)")
    ap.add_argument('--batches', type=int, default=24, help='batches of 8 clips to time (default 24)')
    ap.add_argument('--threads', type=int, default=None, help='torch threads (default: torch\'s)')
    a = ap.parse_args(argv)
    if a.batches < 1: ap.error(f'--batches must be at least 1, got {a.batches}')
    if a.threads: torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    if a.ckpt:
        if not Path(a.ckpt).is_file(): ap.error(f'--ckpt {a.ckpt}: no such file (a teacher run keeps it in checkpoints/)')
        ref = load_teacher(a.ckpt)
    else:
        ref = TeacherStage(model=Teacher(8, preset='tiny').config, classes=[f'c{i}' for i in range(8)], stage='teacher',
                           preset='tiny', input_norm=default_input_norm('tiny')).eval()
    cl = copy.deepcopy(ref); cl.net.to(memory_format=torch.channels_last_3d)
    if a.test:
        from actlumos.distill import test_loader
        batches = [b[0] for b, _ in zip(test_loader('darksynth', batch_size=8), range(a.batches))]
    else:
        g = torch.Generator().manual_seed(0)
        batches = [torch.rand(8, *clip_shape('tiny'), generator=g) * 0.1 for _ in range(a.batches)]
    same, within, diff, times = 0, 0, 0.0, {'default': [], 'channels_last_3d': []}
    with torch.no_grad():
        with torch.autocast('cpu', dtype=torch.bfloat16): ref.logits01(batches[0]); cl.logits01(batches[0])   # warm-up
        for x in batches:   # alternate the layouts, so a change in the machine's speed hits both
            with torch.autocast('cpu', dtype=torch.bfloat16):
                t0 = time.perf_counter(); za = ref.logits01(x); t1 = time.perf_counter(); zb = cl.logits01(x); t2 = time.perf_counter()
            times['default'].append(t1 - t0); times['channels_last_3d'].append(t2 - t1)
            d = (za - zb).abs().max().item()
            same += int(torch.equal(za, zb)); diff = max(diff, d)
            # the bound: the layout moves no logit more than twice what bf16 autocast moves it from fp32
            within += int(d <= 2 * (za.float() - ref.logits01(x)).abs().max().item())
    med = {k: sorted(v)[len(v) // 2] for k, v in times.items()}
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, {len(batches)} batches of 8 clips "
          f"({'test clips' if a.test else 'random dark clips'}; {'teacher ' + a.ckpt if a.ckpt else 'untrained tiny teacher'})")
    for k, v in med.items(): print(f'{k:>17}: {1000 * v:6.1f} ms per batch (median)')
    print(f"channels_last_3d / default: {med['channels_last_3d'] / med['default']:.2f}")
    print(f'batches whose logits are the same bit for bit: {same} of {len(batches)} (largest difference {diff:.3g})')
    print(f'batches within the bf16 bound (layout difference <= 2 x bf16-vs-fp32 difference): {within} of {len(batches)}')
    return 0 if within == len(batches) else 1


if __name__ == '__main__':
    sys.exit(main())
