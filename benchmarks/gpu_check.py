"""One-command check of a lent GPU (`make gpu-check`): the paper preset's training and inference speed, MFU and memory.

    python benchmarks/gpu_check.py                 # writes figures/gpu_check.json
    python benchmarks/gpu_check.py --batch 4 --steps 5 --peak-tflops 989

On the first visible GPU, with bf16 autocast (the engine's GPU precision) and random clips of the paper's size
(3×64×112×112), it times:

- a teacher training step: `TeacherStage.training_loss` (the retinex stream derived on the GPU, the DFF teacher,
  CE + 0.1·SupCon) on a balanced batch of `--batch` clips (pairs of a class), backward and AdamW;
- a student training step: `ClassifierStage.training_loss` (cross-entropy) on `--batch` dark clips, backward, AdamW;
- inference of both on the same clips (`torch.inference_mode`).

MFU is the models' FLOPs per step (counted by `actlumos.paper.model_flops`: convolutions and matrix products,
2 per multiply-add, backward included) over the step time and the device's dense bf16 peak (a table of known
GPUs, or `--peak-tflops`). Peak memory is `torch.cuda.max_memory_allocated` of each training job. Last, a 2-step
DDP run (NCCL, `torch.distributed.run`) of the student over every visible GPU checks that the ranks end with
the same weights. With no GPU it says so and exits 0. Meant to finish within 8 minutes on one H100/H200.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run from a checkout without installing

# dense bf16 tensor-core peaks (TFLOP/s, no sparsity) from the vendors' data sheets; matched on the device name
PEAK_BF16_TFLOPS = [('H200', 989.0), ('H100 PCIe', 756.0), ('H100', 989.0), ('GH200', 989.0), ('A100', 312.0),
                    ('L40S', 362.0), ('L40', 181.0), ('L4', 121.0), ('A10G', 70.0), ('A10', 125.0), ('RTX 4090', 165.0),
                    ('B200', 2250.0)]


def peak_tflops(name: str):
    for key, v in PEAK_BF16_TFLOPS:
        if key.lower() in name.lower(): return v
    return None


def parse(argv):
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    p.add_argument('--batch', type=int, default=8, help='clips per training step (teacher: pairs of a class; default 8)')
    p.add_argument('--steps', type=int, default=10, help='timed steps per job (default 10)')
    p.add_argument('--warmup', type=int, default=3, help='untimed steps first (cuDNN autotuning; default 3)')
    p.add_argument('--classes', type=int, default=11)
    p.add_argument('--peak-tflops', type=float, default=None, help="the device's dense bf16 peak (default: from its name)")
    p.add_argument('--ddp-steps', type=int, default=2)
    p.add_argument('--no-ddp', action='store_true', help='skip the DDP run')
    p.add_argument('--out', default=str(ROOT/'figures'/'gpu_check.json'))
    # tests only: the same code on the CPU with the tiny preset (gloo instead of NCCL), to check the script itself
    p.add_argument('--_cpu-smoke', dest='cpu_smoke', action='store_true', help=argparse.SUPPRESS)
    p.add_argument('--_preset', dest='preset', default='paper', help=argparse.SUPPRESS)
    p.add_argument('--_ddp-worker', dest='ddp_worker', default=None, help=argparse.SUPPRESS)  # internal: result file
    return p.parse_args(argv)


def _stages(classes: int, preset: str):
    from actlumos.models import ClassifierStage, Student, Teacher
    from actlumos.supcon import TeacherStage
    names = [f'c{k}' for k in range(classes)]
    with torch.device('meta'):
        tcfg, scfg = Teacher(classes, preset=preset).config, Student(classes, preset=preset).config
    tcfg['backbone_weights'] = scfg['backbone_weights'] = None   # random weights: nothing is downloaded
    teacher = TeacherStage(model=tcfg, classes=names, stage='teacher', preset=preset, input_norm='ig65m', lambda_sup=0.1)
    student = ClassifierStage(model=scfg, classes=names, stage='student', preset=preset)
    return teacher, student


def _batch(b: int, classes: int, dev, preset: str):
    from actlumos.models import clip_shape
    g = torch.Generator(device='cpu').manual_seed(0)
    x01 = (torch.rand(b, *clip_shape(preset), generator=g) * 0.1).to(dev)        # dark clips in [0, 1]
    y = (torch.arange(b) // 2 % classes).to(dev)                                  # pairs of a class (SupCon positives)
    return x01, y


def _sync(dev):
    if dev.type == 'cuda': torch.cuda.synchronize(dev)


def _time(fn, steps: int, warmup: int, dev) -> list:
    "Seconds of each of `steps` calls of `fn` after `warmup` untimed ones (the device synchronised around each)."
    for _ in range(warmup): fn()
    out = []
    for _ in range(steps):
        _sync(dev); t0 = time.perf_counter(); fn(); _sync(dev)
        out.append(time.perf_counter() - t0)
    return out


def _train_job(stage, batch, steps, warmup):
    "Seconds per training step (median) and peak memory (GiB) of `stage` on `batch`."
    from actlumos.data import normalize_clip
    dev = batch[0].device
    stage = stage.to(dev).train()
    opt = torch.optim.AdamW(stage.parameters(), lr=1e-5, weight_decay=1e-3)
    is_teacher = stage.hparams.stage == 'teacher'
    x = batch[0] if is_teacher else normalize_clip(batch[0])
    losses = []

    def step():
        with torch.autocast(dev.type, dtype=torch.bfloat16):
            loss = stage.training_loss((x, batch[1]))['loss']
        opt.zero_grad(set_to_none=True); loss.backward(); opt.step()
        losses.append(loss.detach())

    if dev.type == 'cuda': torch.cuda.reset_peak_memory_stats(dev)
    t = _time(step, steps, warmup, dev)
    peak = torch.cuda.max_memory_allocated(dev) / 2**30 if dev.type == 'cuda' else None
    finite = bool(torch.isfinite(torch.stack(losses)).all())
    del opt
    return sorted(t)[len(t) // 2], peak, finite


def _infer_job(stage, batch, steps, warmup):
    stage = stage.eval()
    x, dev = batch[0], batch[0].device

    @torch.inference_mode()
    def fwd():
        with torch.autocast(dev.type, dtype=torch.bfloat16):
            if stage.hparams.stage == 'teacher': stage.logits01(x)
            else: stage(x)
    t = _time(fwd, steps, warmup, dev)
    return sorted(t)[len(t) // 2]


def ddp_worker(out: str, batch: int, steps: int, classes: int, preset: str = 'paper') -> None:
    "One rank of the DDP check (under torch.distributed.run): `steps` student steps, then compare weights across ranks."
    import torch.distributed as dist
    from torch.nn.parallel import DistributedDataParallel as DDP
    from actlumos.models import Student, clip_shape
    rank, world = int(os.environ['RANK']), int(os.environ['WORLD_SIZE'])
    local = int(os.environ.get('LOCAL_RANK', rank))
    cuda = torch.cuda.is_available()
    dev = torch.device('cuda', local) if cuda else torch.device('cpu')
    if cuda: torch.cuda.set_device(local)
    dist.init_process_group('nccl' if cuda else 'gloo')
    torch.manual_seed(0)                                           # the same initial weights on every rank
    net = DDP(Student(classes, preset=preset).to(dev), device_ids=[local] if cuda else None)
    opt = torch.optim.AdamW(net.parameters(), lr=1e-5)
    g = torch.Generator().manual_seed(1 + rank)                    # each rank its own clips
    times, losses = [], []
    for _ in range(steps):
        x = torch.randn(batch, *clip_shape(preset), generator=g).to(dev)
        y = torch.randint(0, classes, (batch,), generator=g).to(dev)
        _sync(dev); t0 = time.perf_counter()
        with torch.autocast(dev.type, dtype=torch.bfloat16):
            loss = torch.nn.functional.cross_entropy(net(x), y)
        opt.zero_grad(set_to_none=True); loss.backward(); opt.step()
        _sync(dev); times.append(time.perf_counter() - t0); losses.append(loss.item())
    flat = torch.cat([p.detach().float().flatten() for p in net.module.parameters()])
    sums = [torch.zeros(2, device=dev) for _ in range(world)]
    dist.all_gather(sums, torch.stack([flat.sum(), flat.abs().sum()]))
    same = all(torch.allclose(s, sums[0], rtol=0, atol=0) for s in sums)
    if rank == 0:
        Path(out).write_text(json.dumps(dict(world_size=world, steps=steps, clips_per_rank=batch, step_seconds=times,
                                             losses=losses, weights_equal_across_ranks=same,
                                             losses_finite=all(map(lambda v: v == v and abs(v) != float('inf'), losses)))))
    dist.destroy_process_group()


def ddp_check(batch: int, steps: int, classes: int, preset: str = 'paper', nproc: int | None = None) -> dict:
    n = nproc or torch.cuda.device_count()
    with tempfile.TemporaryDirectory() as d:
        res = Path(d)/'ddp.json'
        cmd = [sys.executable, '-m', 'torch.distributed.run', '--standalone', '--nproc_per_node', str(n), __file__,
               '--_ddp-worker', str(res), '--batch', str(batch), '--ddp-steps', str(steps), '--classes', str(classes),
               '--_preset', preset]
        t0 = time.time()
        p = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600,
                           env={**os.environ, 'PYTHONPATH': str(ROOT)})
        if p.returncode != 0 or not res.exists():
            return dict(ok=False, world_size=n, error=(p.stdout + p.stderr)[-3000:])
        out = json.loads(res.read_text())
    out['ok'] = out['weights_equal_across_ranks'] and out['losses_finite']
    out['wall_seconds'] = round(time.time() - t0, 1)
    return out


def main(argv=None) -> int:
    a = parse(argv)
    if a.ddp_worker:
        ddp_worker(a.ddp_worker, a.batch, a.ddp_steps, a.classes, a.preset); return 0
    if not torch.cuda.is_available() and not a.cpu_smoke:
        print('gpu-check: no CUDA GPU is visible here (torch.cuda.is_available() is False): nothing to measure. '
              'Run it on a machine with a GPU.')
        return 0
    from actlumos.core import git_commit
    from actlumos.paper import model_flops
    t_start = time.time()
    dev = torch.device('cpu') if a.cpu_smoke else torch.device('cuda', 0)
    name = 'cpu (smoke test of this script)' if a.cpu_smoke else torch.cuda.get_device_name(dev)
    peak = a.peak_tflops or peak_tflops(name)
    torch.backends.cudnn.benchmark = True
    print(f'gpu-check: {torch.cuda.device_count()} GPU(s), measuring on {name} '
          f"(bf16 peak {f'{peak:g} TFLOP/s' if peak else 'unknown: pass --peak-tflops for MFU'}), batch {a.batch}")
    fl = model_flops(a.preset, a.classes)                    # per clip
    batch = _batch(a.batch, a.classes, dev, a.preset)
    teacher, student = _stages(a.classes, a.preset)
    res = dict(device=name, gpus=torch.cuda.device_count(), peak_bf16_tflops=peak, batch=a.batch, steps=a.steps,
               torch=torch.__version__, cuda=torch.version.cuda, commit=git_commit(), preset=a.preset, precision='bf16 autocast')
    for key, stage in (('teacher', teacher), ('student', student)):
        t, mem, finite = _train_job(stage, batch, a.steps, a.warmup)
        flops = fl[f'{key}_fwdbwd'] * a.batch
        res[f'{key}_train'] = dict(step_seconds=t, clips_per_s=a.batch / t, peak_memory_gib=None if mem is None else round(mem, 2), loss_finite=finite,
                                   tflops_per_s=flops / t / 1e12, mfu=(flops / t / 1e12 / peak) if peak else None)
        print(f"  {key} training step: {t * 1e3:.0f} ms ({a.batch / t:.1f} clips/s), {flops / t / 1e12:.0f} TFLOP/s"
              + (f", MFU {flops / t / 1e12 / peak:.1%}" if peak else '') + (f", peak memory {mem:.1f} GiB" if mem is not None else ''))
        res[f'{key}_infer'] = dict(seconds=_infer_job(stage, batch, a.steps, a.warmup))
        stage.cpu()
        if dev.type == 'cuda': torch.cuda.empty_cache()
    res['ratio_train_teacher_over_student'] = res['teacher_train']['step_seconds'] / res['student_train']['step_seconds']
    res['ratio_infer_student_over_teacher'] = res['student_infer']['seconds'] / res['teacher_infer']['seconds']
    print(f"  teacher / student training step = {res['ratio_train_teacher_over_student']:.2f}, "
          f"student / teacher inference = {res['ratio_infer_student_over_teacher']:.2f}")
    if not a.no_ddp:
        res['ddp'] = ddp_check(min(a.batch, 4), a.ddp_steps, a.classes, a.preset, nproc=2 if a.cpu_smoke else None)
        d = res['ddp']
        print(f"  DDP over {d['world_size']} GPU(s), {a.ddp_steps} steps: "
              + ('ok, the ranks hold the same weights' if d['ok'] else f"FAILED: {d.get('error', d)}"))
    res['seconds'] = round(time.time() - t_start, 1)
    out = Path(a.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(res, indent=1))
    print(f'gpu-check: {res["seconds"]:.0f} s; wrote {out}')
    ok = all(res[f'{k}_train']['loss_finite'] for k in ('teacher', 'student')) and res.get('ddp', {'ok': True})['ok']
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
