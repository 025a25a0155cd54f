"""Paper-preset smoke run (issue 15): one optimizer step of every stage, teacher → SSL → KD → evaluation, at the
`paper` preset's real clip size (3×64×112×112) and batches, on the 13 genuine ARID V1.5 clips laid out as ARID V1.5,
without IG-65M weights (none can be downloaded here). Prints each stage's preflight estimate, then one JSON line:
the estimates, the batches run, seconds per stage, and the process's peak resident memory (ru_maxrss).

    nice -n 19 python tests/paper_smoke.py /tmp/smoke     # what `make test-slow` runs

Every stage first runs its preflight (`actlumos.memory`), which first hands back what the earlier stages freed
(`release_memory`); a stage whose paper batch it refuses stops the run there with the preflight's message. With
`--fit` (for smaller machines) such a stage runs at the largest batch the preflight passes instead (the JSON says
which). Precision: bf16 autocast where the CPU computes bf16 natively (AVX512-BF16 or AMX), fp32 elsewhere (there
PyTorch's bf16 Conv3d takes a reference path tens of times slower); checkpointing is the paper preset's (on).
The layout: `arid15/<Class>/<file>.mp4` symlinks to the genuine clips and `split0_{train,test}.txt` (our split 1)
in the official line format `idx<TAB>label<TAB>Class/file.mp4`, labels read from the real ARID V1.5 split files.
Every class needs 2 training videos for the teacher's balanced batches (4 classes × 2 videos) and the clips hold
only one of most classes, so the train list names each clip twice (a second symlink, actor 99); the test list
holds the 13 clips once.
"""
import json
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def real_labels(splits: Path) -> dict:
    "`Class/file.mp4` -> label, from every real ARID V1.5 split file."
    out = {}
    for f in sorted(splits.glob('split*.txt')):
        for line in f.read_text().splitlines():
            parts = line.strip().split('\t')
            if len(parts) == 3: out[parts[2]] = int(parts[1])
    return out


def arid15_layout(root: Path, clips: Path, splits: Path) -> Path:
    "Lay the genuine clips out as ARID V1.5 under `root/arid15` (symlinks and split files); return that folder."
    labels, d = real_labels(splits), root/'arid15'
    train, test = [], []
    for f in sorted(clips.glob('*.mp4')):
        cls = f.stem.split('_')[0]
        rel = f'{cls}/{f.name}'
        if rel not in labels: raise ValueError(f'{rel} is in no ARID V1.5 split file under {splits}')
        twin = f"{cls}/{cls}_99_{f.stem.split('_', 2)[2]}.mp4"
        for r in (rel, twin):
            (d/r).parent.mkdir(parents=True, exist_ok=True)
            if not (d/r).exists(): (d/r).symlink_to(f.resolve())
        train += [(rel, labels[rel]), (twin, labels[rel])]
        test.append((rel, labels[rel]))
    for name, rows in (('split0_train.txt', train), ('split0_test.txt', test)):
        (d/name).write_text(''.join(f'{i}\t{lab}\t{rel}\r\n' for i, (rel, lab) in enumerate(rows)))
    return d


def _rss_gib() -> float:
    "This process's resident memory now, in GiB."
    for line in Path('/proc/self/status').read_text().splitlines():
        if line.startswith('VmRSS:'): return int(line.split()[1]) * 1024 / 2**30
    return float('nan')


def _fitting(stage, cfg, paper_batch, *, fit: bool, least: int = 2):
    "The stage's config at its paper batch, or (with `fit`, when the preflight refuses it) at the largest batch it passes."
    from actlumos.memory import PreflightError, stage_preflight
    b = paper_batch
    while True:
        try: return stage_preflight(stage, cfg(b), accelerator='cpu', verbose=False), b
        except PreflightError:
            if not fit or b <= least: raise
            b -= 1


def main(out: Path, *, fit: bool = False, teacher_classes=None, per_class=None, ssl_batch=None, student_batch=None,
         val_batch=None, test_limit: int = 13) -> dict:
    os.environ.setdefault('ACTLUMOS_DATA', str(out/'data'))     # frame cache
    os.environ.setdefault('ACTLUMOS_RUNS', str(out/'runs'))
    import torch
    from actlumos import distill, engine
    from actlumos.core import shared_data
    from actlumos.memory import cpu_has_bf16
    from actlumos.ssl import SSL_PRESETS, pretrain_student, ssl_config
    from actlumos.supcon import TEACHER_TRAINING, teacher_config, train_teacher
    # bf16 autocast where the CPU computes bf16 natively; elsewhere its Conv3d is tens of times slower than fp32
    precision = 'bf16-mixed' if cpu_has_bf16() else '32-true'
    engine.default_precision = lambda accelerator='auto': precision
    distill.STUDENT_INIT['paper'] = None                                 # no IG-65M weights here
    SSL_PRESETS['paper'] = {**SSL_PRESETS['paper'], 'backbone_weights': None}   # (ssl_config reads a None override as 'the preset's')
    clips, splits = shared_data('arid_v15_samples'), shared_data('splits', 'arid_v15')
    if clips is None or splits is None: raise FileNotFoundError('the ARID V1.5 samples and splits are not in ../shared/data')
    data = arid15_layout(out/'data', clips, splits)
    rep, t00 = {'threads': torch.get_num_threads(), 'precision': precision, 'start_rss_gib': _rss_gib()}, time.time()
    one = dict(epochs=1, limit_train_batches=1)
    tp = TEACHER_TRAINING['paper']
    npc = per_class or tp['n_per_class']
    tkw = lambda nc: dict(dataset='arid15', split=1, preset='paper', backbone_weights=None, limit_val_batches=1,
                          n_classes=nc, n_per_class=npc, val_batch_size=val_batch or tp['val_batch_size'], **one)
    est, nc = _fitting('teacher', lambda nc: teacher_config(**tkw(nc)), teacher_classes or tp['n_classes'], fit=fit)
    rep.update(teacher_videos=nc * npc, teacher_clips=est.clips, teacher_estimate_gib=est.total / 2**30)
    print(f'teacher: {est.describe()}', flush=True)
    t0 = time.time()
    tr = train_teacher(data_root=data, out_root=out/'runs'/'teachers', accelerator='cpu', progress=False, **tkw(nc))
    rep['teacher_s'] = time.time() - t0
    rep['teacher_steps'] = torch.load(tr.out_dir/'checkpoints'/'last.ckpt', weights_only=False)['global_step']
    skw = lambda b: dict(pool='arid', dataset_family='real', arid='arid15', preset='paper', split=1, backbone_weights=None,
                         limit_val_batches=1, batch_size=b, **one)
    est, sb = _fitting('ssl', lambda b: ssl_config(**skw(b)), ssl_batch or SSL_PRESETS['paper']['batch_size'], fit=fit)  # InfoNCE needs 2
    rep.update(ssl_batch=sb, ssl_clips=est.clips, ssl_estimate_gib=est.total / 2**30)
    print(f'ssl: {est.describe()}', flush=True)
    t0 = time.time()
    sr = pretrain_student(data_root=out/'data', out_root=out/'runs', probe=None, accelerator='cpu', progress=False, **skw(sb))
    rep['ssl_s'] = time.time() - t0
    scfg = lambda b: distill.student_config(dataset='arid15', split=1, preset='paper', ssl=True, kd=True, batch_size=b, **one)
    est, stb = _fitting('student', scfg, student_batch or distill.STUDENT_PRESETS['paper']['batch_size'], fit=fit,
                           least=1)
    rep.update(student_batch=stb, student_clips=est.clips, student_estimate_gib=est.total / 2**30)
    print(f'student: {est.describe()}', flush=True)
    t0 = time.time()
    st = distill.distill_student(dataset='arid15', split=1, preset='paper', teacher_ckpt=tr.ckpt, ssl_ckpt=sr.ckpt,
                                 data_root=out/'data', out_root=out/'runs', accelerator='cpu', progress=False,
                                 test_limit=test_limit, batch_size=stb, **one)
    rep['student_s'] = time.time() - t0
    rep.update(teacher_top1=tr.result['top1'], student_top1=st.result['top1'], student_n_test=st.result['n'],
               student_steps=torch.load(st.ckpt, weights_only=False)['global_step'], total_s=time.time() - t00,
               peak_rss_gib=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 2**30)
    return rep


if __name__ == '__main__':
    import argparse
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('out', help='a scratch folder (the layout, frame cache and runs go there)')
    ap.add_argument('--fit', action='store_true', help="a stage whose paper batch the preflight refuses runs at the largest batch it passes")
    ap.add_argument('--teacher-classes', type=int, help="classes per SupCon batch (paper: 4)")
    ap.add_argument('--per-class', type=int, help="videos per class in a SupCon batch (paper: 2)")
    ap.add_argument('--ssl-batch', type=int, help='videos per SSL batch (paper: 8)')
    ap.add_argument('--student-batch', type=int, help='videos per student batch (paper: 8)')
    ap.add_argument('--val-batch', type=int, help="the teacher's evaluation batch (paper: 8)")
    ap.add_argument('--test-limit', type=int, default=13, help='test clips the student is evaluated on (default all 13)')
    ap.add_argument('--json', help='also write the report, with the commit and date, to this file (e.g. figures/paper_smoke_cpu.json)')
    a = ap.parse_args()
    rep = main(Path(a.out).resolve(), fit=a.fit, teacher_classes=a.teacher_classes, per_class=a.per_class,
               ssl_batch=a.ssl_batch, student_batch=a.student_batch, val_batch=a.val_batch, test_limit=a.test_limit)
    if a.json:
        from actlumos.core import git_commit
        Path(a.json).write_text(json.dumps(dict(rep, commit=git_commit(), date=time.strftime('%Y-%m-%d')), indent=1) + '\n')
    print(json.dumps(rep), flush=True)
