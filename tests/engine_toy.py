"""A toy training run for tests/test_engine.py: `actlumos.engine.fit` on the toy stage, in its own process.

    python tests/engine_toy.py --out DIR [--epochs 4] [--pause-at 2:3] [--drop-rate 0.2] [--workers 2]
    torchrun --standalone --nproc_per_node 2 tests/engine_toy.py --out DIR --strategy ddp --drop-rate 0 --norm group

`--pause-at E:B` writes DIR/paused when batch B of epoch E has been trained and then waits, so that the test can
kill the process in the middle of that epoch. At the end, global rank 0 writes the final weights to DIR/final.pt.
"""
import argparse
import os
import time
from pathlib import Path

import lightning.pytorch as L
import torch
from lightning.pytorch.callbacks import Callback

from actlumos.engine import fit, toy_datamodule, toy_stage


class PauseAt(Callback):
    "After batch `batch` of epoch `epoch`: write `marker` (fsync'd) and wait to be killed."
    def __init__(self, epoch, batch, marker): self.epoch, self.batch, self.marker = epoch, batch, Path(marker)

    def on_train_batch_end(self, trainer, pl_module, outputs, batch, batch_idx):
        if (trainer.current_epoch, batch_idx) != (self.epoch, self.batch): return
        with open(self.marker, 'w') as f:
            f.write(f'{trainer.current_epoch} {batch_idx} {trainer.global_step}\n'); f.flush(); os.fsync(f.fileno())
        time.sleep(600)


def train(out, *, epochs=4, pause_at=None, drop_rate=0.2, norm='batch', workers=0, strategy='auto', devices='auto'):
    "Train the toy stage into `out` (seed 0, warmup + cosine LR); rank 0 saves the final weights to out/final.pt."
    out = Path(out)
    torch.set_num_threads(1)
    cbs = []
    if pause_at:
        e, b = map(int, pause_at.split(':'))
        cbs.append(PauseAt(e, b, out/'paused'))
    L.seed_everything(0, verbose=False)
    module = toy_stage(drop_rate=drop_rate, norm=norm, schedule='cosine', warmup_steps=3)
    res = fit(module, toy_datamodule(num_workers=workers), out_dir=out, max_epochs=epochs, accelerator='cpu',
              devices=devices, strategy=strategy, progress=False, verbose=False, log_every_n_steps=1, callbacks=cbs)
    if res.trainer.is_global_zero: torch.save(module.state_dict(), out/'final.pt')
    return res


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--out', required=True, type=Path)
    ap.add_argument('--epochs', type=int, default=4)
    ap.add_argument('--pause-at', default=None, help='EPOCH:BATCH')
    ap.add_argument('--drop-rate', type=float, default=0.2)
    ap.add_argument('--norm', default='batch', choices=['batch', 'group'])
    ap.add_argument('--workers', type=int, default=0)
    ap.add_argument('--strategy', default='auto')
    ap.add_argument('--devices', default='auto')
    a = ap.parse_args()
    res = train(a.out, epochs=a.epochs, pause_at=a.pause_at, drop_rate=a.drop_rate, norm=a.norm, workers=a.workers,
                strategy=a.strategy, devices=int(a.devices) if a.devices.isdigit() else a.devices)
    if res.trainer.is_global_zero: print(res.history.to_string())


if __name__ == '__main__':
    main()
