"""Teacher vs student on the same clips: training-step and inference time ratios, and the peak memory of each.

    python benchmarks/models_speed.py                             # tiny preset, batch 8, CPU (a minute or two)
    python benchmarks/models_speed.py --preset paper --batch 2    # on a GPU (--device cuda is the default there)
    python benchmarks/models_speed.py --preset paper --batch 1 --frames 16 --size 56  # paper widths on a CPU

A training step is forward, cross-entropy, backward and an AdamW step; inference is a forward pass under
`torch.inference_mode`. Teacher (DFF by default) and student see the same clips (the teacher also their retinex
copies: random tensors of the same shape here) and are timed interleaved in one process, so that changes of the
machine's load hit all four jobs alike. The ratios use medians of wall time; beside them are the ratios of the
fastest rounds and of CPU time, steadier on a shared machine, and the ratio of the work (FLOPs of convolutions
and matrix products, backward included) that timing noise cannot touch. A last line times the student on the
teacher's 2B clips: the teacher's own overhead is its time over that one, and the rest of the ratios is how the
backbone's cost per clip changes with the batch size on the device. (With one CPU thread PyTorch runs the
(3,1,1) convolutions of batches under 16 on a slow path, so keep two or more threads.)
Peak memory is measured per model and mode in a fresh subprocess: on CUDA `torch.cuda.max_memory_allocated`, on
CPU the rise of the peak resident set size over the process's size before the model was built (weights,
optimizer state, inputs, activations).

Goals (issue 5): teacher / student training step <= 2.05 (the teacher carries two streams) and
student / teacher inference <= 0.52.
"""
import argparse
import json
import subprocess
import sys
import time
from pathlib import Path
from statistics import median

import torch
import torch.nn.functional as F
from torch.utils.flop_counter import FlopCounterMode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from a checkout without installing
from actlumos.core import git_commit, runs_dir  # noqa: E402
from actlumos.models import Student, Teacher, clip_shape, count_params, get_preset  # noqa: E402

GOAL_TRAIN, GOAL_INFER = 2.05, 0.52
JOBS = [('teacher', 'train'), ('student', 'train'), ('teacher', 'infer'), ('student', 'infer')]
# diagnostics: the student on the teacher's 2B clips, i.e. what the teacher's shared backbone pass costs
JOBS_2B = [('student@2B', 'train'), ('student@2B', 'infer')]


def parse(argv):
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--preset', default='tiny', help='model preset: tiny (default) or paper')
    p.add_argument('--batch', type=int, default=None, help='clips per stream and step (default 8 tiny, 2 paper)')
    p.add_argument('--frames', type=int, default=None, help="frames per clip (default: the preset's)")
    p.add_argument('--size', type=int, default=None, help="height = width of the clips (default: the preset's)")
    p.add_argument('--fusion', default='dff', help='teacher fusion: dff (default), static, dark, retinex')
    p.add_argument('--classes', type=int, default=11)
    p.add_argument('--repeats', type=int, default=7, help='timed rounds, each runs the four jobs once')
    p.add_argument('--warmup', type=int, default=2)
    p.add_argument('--device', default='cuda' if torch.cuda.is_available() else 'cpu')
    p.add_argument('--threads', type=int, default=None, help="torch CPU threads (default: torch's choice)")
    p.add_argument('--no-memory', action='store_true', help='skip the memory subprocesses')
    p.add_argument('--out', default=None, help='results JSON (default runs/benchmarks/models_speed_<preset>.json)')
    p.add_argument('--_memory', default=None, help=argparse.SUPPRESS)  # internal: measure one job, print JSON
    a = p.parse_args(argv)
    c, t, h, w = clip_shape(a.preset)
    a.clip = (c, a.frames or t, a.size or h, a.size or w)
    a.batch = a.batch or (8 if a.preset == 'tiny' else 2)
    return a


def build(kind, a):
    torch.manual_seed(0)
    m = (Teacher(a.classes, fusion=a.fusion, preset=a.preset) if kind == 'teacher'
         else Student(a.classes, preset=a.preset))
    return m.to(a.device)


def make_inputs(a):
    g = torch.Generator().manual_seed(0)
    x, xr = (torch.randn(a.batch, *a.clip, generator=g) for _ in range(2))
    y = torch.randint(0, a.classes, (a.batch,), generator=g)
    return x.to(a.device), xr.to(a.device), y.to(a.device)


def runner(kind, mode, model, inputs):
    "A function doing one training step (`mode='train'`) or one inference pass of `model`."
    x, xr, y = inputs
    if kind == 'student@2B': x, y = torch.cat([x, xr]), torch.cat([y, y])
    call = (lambda: model(x, xr)['logits']) if kind == 'teacher' else (lambda: model(x))
    if mode == 'infer':
        def infer():
            model.eval()
            with torch.inference_mode(): call()
        return infer
    opt = torch.optim.AdamW(model.parameters(), lr=1e-5, weight_decay=1e-3)
    def train():
        model.train()
        loss = F.cross_entropy(call(), y)
        opt.zero_grad(set_to_none=True); loss.backward(); opt.step()
    return train


def sync(a):
    if a.device.startswith('cuda'): torch.cuda.synchronize()


def _status_kb(field):
    for line in open('/proc/self/status'):
        if line.startswith(field + ':'): return int(line.split()[1])
    raise RuntimeError(f'{field} is not in /proc/self/status')


def measure_memory(a):
    "In this fresh process: the peak memory (MB) of one job, `a._memory` = 'kind:mode', printed as JSON."
    kind, mode = a._memory.split(':')
    cuda = a.device.startswith('cuda')
    if cuda: torch.zeros(1, device=a.device); torch.cuda.reset_peak_memory_stats()
    else:
        base = _status_kb('VmRSS')
        try: Path('/proc/self/clear_refs').write_text('5')  # reset the peak RSS (VmHWM) to the current RSS
        except OSError: pass
    step = runner(kind, mode, build(kind, a), make_inputs(a))
    for _ in range(2): step()
    sync(a)
    peak = torch.cuda.max_memory_allocated() / 2**20 if cuda else (_status_kb('VmHWM') - base) / 2**10
    print(json.dumps(dict(job=a._memory, peak_mb=peak)))


def memory_in_subprocess(kind, mode, argv):
    r = subprocess.run([sys.executable, __file__, *argv, '--_memory', f'{kind}:{mode}'], capture_output=True, text=True)
    if r.returncode: raise RuntimeError(f'the memory measurement of {kind} {mode} failed:\n{r.stderr[-3000:]}')
    return json.loads(r.stdout.strip().splitlines()[-1])['peak_mb']


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    a = parse(argv)
    if a.threads: torch.set_num_threads(a.threads)
    if a._memory: return measure_memory(a)
    p = get_preset(a.preset)
    device = (torch.cuda.get_device_name(a.device) if a.device.startswith('cuda')
              else f'cpu, {torch.get_num_threads()} threads')
    print(f"preset {p.name}: {a.batch} clips of {'x'.join(map(str, a.clip))} per stream, teacher fusion {a.fusion}; "
          f"{device}; torch {torch.__version__}")
    models = {k: build(k, a) for k in ('teacher', 'student')}
    inputs = make_inputs(a)
    models['student@2B'] = models['student']
    steps = {(k, m): runner(k, m, models[k], inputs) for k, m in JOBS + JOBS_2B}
    for _ in range(a.warmup):
        for job in steps: steps[job]()
    sync(a)
    flops = {}
    for job in steps:
        with FlopCounterMode(display=False) as fc: steps[job]()
        flops[job] = fc.get_total_flops()
    wall, cpu = {job: [] for job in steps}, {job: [] for job in steps}
    for _ in range(a.repeats):  # interleaved rounds: all jobs see the same machine load
        for job in steps:
            t0, c0 = time.perf_counter(), time.process_time()
            steps[job](); sync(a)
            wall[job].append(time.perf_counter() - t0); cpu[job].append(time.process_time() - c0)
    mem = {} if a.no_memory else {job: memory_in_subprocess(*job, argv) for job in JOBS}

    med = {j: median(v) for j, v in wall.items()}
    fast = {j: min(v) for j, v in wall.items()}
    cpu_med = {j: median(v) for j, v in cpu.items()}
    print(f"\n{'model':10s} {'params':>8s} {'mode':6s} {'median s':>9s} {'min s':>7s} {'cpu s':>7s} {'GFLOP':>8s} "
          f"{'peak MB':>8s}")
    for kind, mode in steps:
        j = kind, mode
        print(f"{kind:10s} {count_params(models[kind])/1e6:7.2f}M {mode:6s} {med[j]:9.4f} {fast[j]:7.4f} "
              f"{cpu_med[j]:7.4f} {flops[j]/1e9:8.2f} {mem.get(j, float('nan')):8.1f}")

    def ratio(d, num, den): return d[num] / d[den]
    T, S = ('teacher', 'train'), ('student', 'train')
    TI, SI = ('teacher', 'infer'), ('student', 'infer')
    r_train, r_infer = ratio(med, T, S), ratio(med, SI, TI)
    verdict = lambda good: 'met' if good else 'NOT met'
    print(f"\nteacher train step / student train step = {r_train:.3f}  "
          f"(goal <= {GOAL_TRAIN}: {verdict(r_train <= GOAL_TRAIN)})   fastest rounds {ratio(fast, T, S):.3f}, "
          f"CPU time {ratio(cpu_med, T, S):.3f}, FLOPs {ratio(flops, T, S):.3f}")
    print(f"student inference / teacher inference   = {r_infer:.3f}  "
          f"(goal <= {GOAL_INFER}: {verdict(r_infer <= GOAL_INFER)})   fastest rounds {ratio(fast, SI, TI):.3f}, "
          f"CPU time {ratio(cpu_med, SI, TI):.3f}, FLOPs {ratio(flops, SI, TI):.3f}")
    S2, SI2 = ('student@2B', 'train'), ('student@2B', 'infer')
    print(f"teacher / student on the same 2B clips: training {ratio(med, T, S2):.3f}, "
          f"inference {ratio(med, TI, SI2):.3f}   (the teacher's cost beyond its doubled batch)")
    if mem:
        print(f"peak memory, teacher / student: training {ratio(mem, T, S):.2f}, inference {ratio(mem, TI, SI):.2f}")

    key = lambda d: {f'{k}_{m}': v for (k, m), v in d.items()}
    out = Path(a.out) if a.out else runs_dir()/'benchmarks'/f'models_speed_{p.name}.json'
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(dict(
        commit=git_commit(), preset=p.name, clip=a.clip, batch=a.batch, fusion=a.fusion, device=device,
        wall_s=key(wall), cpu_s=key(cpu), flops=key(flops), peak_mb=key(mem),
        ratio_train=r_train, ratio_infer=r_infer, goal_train=GOAL_TRAIN, goal_infer=GOAL_INFER,
        ratio_train_fastest=ratio(fast, T, S), ratio_infer_fastest=ratio(fast, SI, TI),
        ratio_train_cpu=ratio(cpu_med, T, S), ratio_infer_cpu=ratio(cpu_med, SI, TI),
        ratio_train_flops=ratio(flops, T, S), ratio_infer_flops=ratio(flops, SI, TI),
        ratio_train_teacher_vs_student_2b=ratio(med, T, S2), ratio_infer_teacher_vs_student_2b=ratio(med, TI, SI2)),
        indent=1))
    print(f'results: {out}')


if __name__ == '__main__':
    main()
