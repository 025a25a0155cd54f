"""Paper-preset smoke run (issue 15): one optimizer step of every stage, teacher → SSL → KD → evaluation, at the
`paper` preset's real clip size (3×64×112×112) and batches, on the 13 genuine ARID V1.5 clips laid out as ARID V1.5,
without IG-65M weights (none can be downloaded here). Prints one JSON line: each stage's preflight estimate and
seconds, and the process's peak resident memory (ru_maxrss).

    nice -n 19 python tests/paper_smoke.py /tmp/smoke      # about 10 min on 2 CPU cores; `make test-slow` runs it

Precision is bf16 autocast ('bf16-mixed', the default the engine moves to on CPU); checkpointing is the paper
preset's (on). The layout: `arid15/<Class>/<file>.mp4` symlinks to the genuine clips and `split0_{train,test}.txt`
(our split 1) in the official line format `idx<TAB>label<TAB>Class/file.mp4`, labels read from the real ARID V1.5
split files. Every class needs 2 training videos for the teacher's balanced batches (4 classes × 2 videos) and
the clips hold only one of most classes, so the train list names each clip twice (a second symlink, actor 99);
the test list holds the 13 clips once.
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


def main(out: Path) -> dict:
    os.environ.setdefault('ACTLUMOS_DATA', str(out/'data'))     # frame cache
    os.environ.setdefault('ACTLUMOS_RUNS', str(out/'runs'))
    import torch
    from actlumos import distill, engine
    from actlumos.core import shared_data
    from actlumos.memory import stage_preflight
    from actlumos.ssl import pretrain_student, ssl_config
    from actlumos.supcon import teacher_config, train_teacher
    engine.default_precision = lambda accelerator='auto': 'bf16-mixed'   # the engine's CPU default to be
    distill.STUDENT_INIT['paper'] = None                                 # no IG-65M weights here
    clips, splits = shared_data('arid_v15_samples'), shared_data('splits', 'arid_v15')
    if clips is None or splits is None: raise FileNotFoundError('the ARID V1.5 samples and splits are not in ../shared/data')
    data = arid15_layout(out/'data', clips, splits)
    rep, t00 = {'threads': torch.get_num_threads(), 'start_rss_gib': _rss_gib()}, time.time()
    one = dict(epochs=1, limit_train_batches=1)
    tkw = dict(dataset='arid15', split=1, preset='paper', backbone_weights=None, limit_val_batches=1, **one)
    rep['teacher_estimate_gib'] = stage_preflight('teacher', teacher_config(**tkw), accelerator='cpu', verbose=False).total / 2**30
    t0 = time.time()
    tr = train_teacher(data_root=data, out_root=out/'runs'/'teachers', accelerator='cpu', progress=False, **tkw)
    rep['teacher_s'] = time.time() - t0
    rep['teacher_steps'] = torch.load(tr.out_dir/'checkpoints'/'last.ckpt', weights_only=False)['global_step']
    skw = dict(pool='arid', dataset_family='real', arid='arid15', preset='paper', split=1, backbone_weights=None,
               limit_val_batches=1, **one)
    rep['ssl_estimate_gib'] = stage_preflight('ssl', ssl_config(**skw), accelerator='cpu', verbose=False).total / 2**30
    t0 = time.time()
    sr = pretrain_student(data_root=out/'data', out_root=out/'runs', probe=None, accelerator='cpu', progress=False, **skw)
    rep['ssl_s'] = time.time() - t0
    cfg = distill.student_config(dataset='arid15', split=1, preset='paper', ssl=True, kd=True, **one)
    rep['student_estimate_gib'] = stage_preflight('student', cfg, accelerator='cpu', verbose=False).total / 2**30
    t0 = time.time()
    st = distill.distill_student(dataset='arid15', split=1, preset='paper', teacher_ckpt=tr.ckpt, ssl_ckpt=sr.ckpt,
                                 data_root=out/'data', out_root=out/'runs', accelerator='cpu', progress=False,
                                 test_limit=13, **one)
    rep['student_s'] = time.time() - t0
    rep.update(teacher_top1=tr.result['top1'], student_top1=st.result['top1'], student_n_test=st.result['n'],
               student_steps=torch.load(st.ckpt, weights_only=False)['global_step'], total_s=time.time() - t00,
               peak_rss_gib=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 2**30)
    return rep


if __name__ == '__main__':
    print(json.dumps(main(Path(sys.argv[1]).resolve())), flush=True)
