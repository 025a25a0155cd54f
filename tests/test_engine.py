"""The training engine (nbs/00_engine.ipynb) in separate processes: SIGKILL in mid-epoch then resume, and DDP.

Both train the toy stage of `actlumos.engine` through tests/engine_toy.py (64 clips, 8 batches an epoch, CPU).
"""
import os
import signal
import subprocess
import sys
import time

import pandas as pd
import torch

from conftest import ROOT

SCRIPT = ROOT/'tests'/'engine_toy.py'
ENV = {**os.environ, 'PYTHONPATH': str(ROOT), 'OMP_NUM_THREADS': '1', 'PYTHONUNBUFFERED': '1'}


def _start(*args):
    return subprocess.Popen([sys.executable, str(SCRIPT), *map(str, args)], cwd=ROOT, env=ENV,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def _finish(p, timeout=900):   # a hang guard: a loaded CI machine may take minutes
    out, _ = p.communicate(timeout=timeout)
    assert p.returncode == 0, out[-6000:]
    return out


def _torchrun(*args, timeout=120, env=None):
    cmd = [sys.executable, '-m', 'torch.distributed.run', '--standalone', '--nproc_per_node', '2', str(SCRIPT), *map(str, args)]
    return subprocess.Popen(cmd, cwd=ROOT, env={**ENV, **(env or {})}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def _weights(d): return torch.load(d/'final.pt', weights_only=True)


def test_sigkill_in_mid_epoch_then_resume_equals_uninterrupted(tmp_path):
    "Kill -9 a run in the middle of epoch 2 (of 4); `fit` again: same weights (bit for bit) and same metrics.csv (but its wall-clock column)."
    full, killed = tmp_path/'full', tmp_path/'killed'
    common = ['--epochs', 4, '--workers', 2]          # dropout 0.2, cosine LR, 2 persistent DataLoader workers
    ref = _start('--out', full, *common)
    victim = _start('--out', killed, *common, '--pause-at', '2:3')
    try:
        t0 = time.time()
        while not (killed/'paused').exists():
            assert victim.poll() is None, f'the run ended before reaching epoch 2:\n{victim.communicate()[0][-4000:]}'
            assert time.time() - t0 < 600, 'the run did not reach batch 3 of epoch 2 within 600 s (a hang guard, not a speed test)'
            time.sleep(0.05)
        os.kill(victim.pid, signal.SIGKILL)
        victim.communicate(timeout=30)
        assert victim.returncode == -signal.SIGKILL
    finally:
        if victim.poll() is None: victim.kill()

    # what the kill left: the checkpoint of epoch 1, logged rows of the unfinished epoch 2, no final weights
    assert torch.load(killed/'checkpoints'/'last.ckpt', weights_only=True)['epoch'] == 1
    assert (pd.read_csv(killed/'logs'/'metrics.csv').epoch == 2).any()
    assert not (killed/'final.pt').exists()

    _finish(_start('--out', killed, *common))      # the same command again: resumes from last.ckpt
    _finish(ref)
    a, b = _weights(full), _weights(killed)
    assert a.keys() == b.keys()
    for k in a: assert torch.equal(a[k], b[k]), f'{k} differs after resume'
    ma, mb = pd.read_csv(full/'logs'/'metrics.csv'), pd.read_csv(killed/'logs'/'metrics.csv')
    clock = [c for c in ma if c.startswith('time/')]          # the epochs' wall time: no rerun repeats it
    assert clock == ['time/epoch_s'] and ma[clock].notna().any().all()
    pd.testing.assert_frame_equal(ma.drop(columns=clock), mb.drop(columns=clock), check_exact=True)
    assert ma.epoch.max() == 3 and ma['val/top1'].notna().sum() == 4
    la = torch.load(full/'checkpoints'/'last.ckpt', weights_only=True)
    lb = torch.load(killed/'checkpoints'/'last.ckpt', weights_only=True)
    sa, sb = la['optimizer_states'][0]['state'], lb['optimizer_states'][0]['state']
    assert all(torch.equal(sa[i][k], sb[i][k]) for i in sa for k in sa[i]), 'AdamW moments differ after resume'
    assert la['lr_schedulers'] == lb['lr_schedulers']
    assert (torch.load(full/'checkpoints'/'best.ckpt', weights_only=True)['epoch']
            == torch.load(killed/'checkpoints'/'best.ckpt', weights_only=True)['epoch'])


DDP_TOL = 1e-5  # max |w_ddp - w_single| over all weights after 16 AdamW steps in fp32 (measured: 9e-8, summation order)
FP32 = {'ACTLUMOS_PRECISION': '32-true'}   # the tolerance is fp32's: under bf16 autocast (the default on CPUs with native
                                           # bf16) two half batches round differently from one whole (measured: 7e-4)


def test_ddp_two_processes_match_one(tmp_path, monkeypatch):
    """torchrun, 2 processes on gloo, each with half of every global batch: with batch-independent layers (GroupNorm,
    dropout 0) the weights equal the 1-process run's within DDP_TOL. With BatchNorm they do not: each rank normalises
    with its own 4 clips' statistics (SyncBatchNorm fixes that, but torch's DDP runs it on GPUs only)."""
    common = ['--epochs', 2, '--drop-rate', 0]
    ddp = {'group': _torchrun('--out', tmp_path/'ddp', *common, '--norm', 'group', '--strategy', 'ddp', env=FP32),
           'batch': _torchrun('--out', tmp_path/'ddp_bn', *common, '--norm', 'batch', '--strategy', 'ddp', env=FP32)}
    for k, v in FP32.items(): monkeypatch.setenv(k, v)
    from engine_toy import train  # the single-process references run here, meanwhile
    train(tmp_path/'single', epochs=2, drop_rate=0, norm='group', devices=1)
    train(tmp_path/'single_bn', epochs=2, drop_rate=0, norm='batch', devices=1)
    for p in ddp.values(): _finish(p)
    w = {k: _weights(tmp_path/k) for k in ('single', 'ddp', 'single_bn', 'ddp_bn')}
    diff = lambda a, b: max((a[k].double() - b[k].double()).abs().max().item() for k in a if a[k].is_floating_point())
    d, d_bn = diff(w['ddp'], w['single']), diff(w['ddp_bn'], w['single_bn'])
    print(f'max |w_ddp - w_single|: {d:.2e} with GroupNorm, {d_bn:.2e} with BatchNorm')
    assert d < DDP_TOL, d
    assert d_bn > 100*DDP_TOL, d_bn
    h1 = pd.read_csv(tmp_path/'single'/'logs'/'metrics.csv').groupby('epoch').last()
    h2 = pd.read_csv(tmp_path/'ddp'/'logs'/'metrics.csv').groupby('epoch').last()
    assert h1['val/top1'].tolist() == h2['val/top1'].tolist()   # gathered over both ranks' halves of the val set
    assert (h1['val/loss'] - h2['val/loss']).abs().max() < 1e-4
    assert (tmp_path/'ddp'/'checkpoints'/'last.ckpt').exists()
