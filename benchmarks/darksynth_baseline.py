"""How hard is DarkSynth? Train a small dark-only R(2+1)D stand-in on it and print its test accuracy.

A stand-in for the workbook's tiny student (R(2+1)D, widths 16-32-64-128, layers [1,1,1,1], clips 3x32x48x48),
built from torchvision's video ResNet blocks, trained with cross-entropy on dark clips only, from scratch.
DarkSynth is meant to be learnable in minutes on a CPU but not solved: this script prints the accuracy reached.

    python benchmarks/darksynth_baseline.py                  # ARID-like subset, split 1, 30 epochs
    python benchmarks/darksynth_baseline.py --dataset darksynth48 --epochs 20
"""
import argparse
import time

import torch
import torch.nn as nn
from torchvision.models.video.resnet import BasicBlock, Conv2Plus1D

from actlumos.data import get_dataset


class ClipStandardize(nn.Module):
    "Per-clip standardisation of the input: removes each clip's overall brightness and contrast."
    def forward(self, x):
        return (x - x.mean(dim=(1, 2, 3, 4), keepdim=True)) / (x.std(dim=(1, 2, 3, 4), keepdim=True) + 1e-5)


def tiny_r2plus1d(n_classes: int, widths=(16, 32, 64, 128), standardize: bool = False) -> nn.Module:
    "R(2+1)D with one BasicBlock per stage (strides 1, 2, 2, 2) and an R2Plus1d-style stem scaled to `widths[0]`."
    stem_mid = max(8, widths[0] * 45 // 64)
    layers = [nn.Conv3d(3, stem_mid, (1, 7, 7), (1, 2, 2), (0, 3, 3), bias=False), nn.BatchNorm3d(stem_mid), nn.ReLU(True),
              nn.Conv3d(stem_mid, widths[0], (3, 1, 1), 1, (1, 0, 0), bias=False), nn.BatchNorm3d(widths[0]), nn.ReLU(True)]
    inp = widths[0]
    for i, w in enumerate(widths):
        stride = 1 if i == 0 else 2
        down = None if stride == 1 and inp == w else nn.Sequential(nn.Conv3d(inp, w, 1, stride, bias=False), nn.BatchNorm3d(w))
        layers.append(BasicBlock(inp, w, Conv2Plus1D, stride, down)); inp = w
    head = [nn.AdaptiveAvgPool3d(1), nn.Flatten(), nn.Dropout(0.2), nn.Linear(inp, n_classes)]
    return nn.Sequential(*([ClipStandardize()] if standardize else []), *layers, *head)


@torch.no_grad()
def evaluate(model, ds, bs=16):
    model.eval(); correct = 0
    for xb, yb in torch.utils.data.DataLoader(ds, batch_size=bs):
        correct += (model(xb).argmax(1) == yb).sum().item()
    return correct / len(ds)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--dataset', default='darksynth'); ap.add_argument('--split', type=int, default=1)
    ap.add_argument('--root', default=None); ap.add_argument('--epochs', type=int, default=30)
    ap.add_argument('--clip-len', type=int, default=32); ap.add_argument('--size', type=int, default=48)
    ap.add_argument('--lr', type=float, default=2e-3); ap.add_argument('--bs', type=int, default=8)
    ap.add_argument('--seed', type=int, default=0); ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--standardize', action='store_true', help='standardise each clip at the model input')
    a = ap.parse_args()
    torch.manual_seed(a.seed); torch.set_num_threads(a.threads)
    kw = dict(split=a.split, root=a.root, clip_len=a.clip_len, size=a.size, seed=a.seed)
    train, test = get_dataset(a.dataset, **kw), get_dataset(a.dataset, subset='test', **kw)
    print(f'{train!r}\n{test!r}')
    model = tiny_r2plus1d(len(train.classes), standardize=a.standardize)
    opt = torch.optim.AdamW(model.parameters(), lr=a.lr, weight_decay=0.05)
    steps = a.epochs * (len(train) // a.bs)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=a.lr, total_steps=steps, pct_start=0.15)
    t0, best = time.time(), 0.0
    for ep in range(a.epochs):
        train.set_epoch(ep); model.train(); tot = n = 0
        g = torch.Generator().manual_seed(a.seed * 1000 + ep)
        for xb, yb in torch.utils.data.DataLoader(train, batch_size=a.bs, shuffle=True, drop_last=True, generator=g):
            loss = nn.functional.cross_entropy(model(xb), yb, label_smoothing=0.1)
            opt.zero_grad(); loss.backward(); opt.step(); sched.step()
            tot += loss.item() * len(yb); n += len(yb)
        acc = evaluate(model, test); best = max(best, acc)
        print(f'epoch {ep + 1:3d}  train loss {tot / n:.3f}  test acc {acc:.3f}  ({time.time() - t0:.0f} s)', flush=True)
    print(f'final test accuracy {acc:.3f} (best {best:.3f}, chance {1 / len(train.classes):.3f}) on {a.dataset} split {a.split}, '
          f'{sum(p.numel() for p in model.parameters()) / 1e6:.2f}M params, {a.epochs} epochs, '
          f'{"per-clip standardised" if a.standardize else "IG-65M-normalised"} input, {time.time() - t0:.0f} s')


if __name__ == '__main__':
    main()
