"""Small copies of the official ARID V1.5, ARID V1.0 and Dark48 layouts, built from the 13 genuine ARID V1.5 clips.

Nothing is copied into the repository: the .mp4 layouts hold symlinks to `../shared/data/arid_v15_samples/`, and
ARID V1.0's .avi files are re-encoded with PyAV into the temporary folder. The official class maps are linked
from `../shared/data/splits/`. The split lists are written in each release's own format (ARID V1.5: CRLF lines;
Dark48: `class/file.mp4 label`, the last line without a newline).

13 clips cover 11 classes, and the teacher's balanced sampler needs at least 2 training clips of every class it
draws, so each clip appears under three names (its own and two other actor numbers): these layouts test that the
code paths run on real files in the real layouts, not what accuracy they reach.
"""
from __future__ import annotations

import os
from pathlib import Path

import av

from actlumos.data import ARID_CLASSES, read_video

N_SPLITS = {'arid15': 2, 'arid10': 3, 'dark48': 3}


def sample_clips(samples: Path) -> list[Path]:
    return sorted(samples.glob('*.mp4'))


def _aliases(clips):
    "`(class, alias stem, source clip)`: each clip under its own name and two more actor numbers."
    out = []
    for c in clips:
        cls, actor, n = c.stem.rsplit('_', 2)
        for extra in (0, 50, 90):
            out.append((cls, f'{cls}_{int(actor) + extra}_{n}', c))
    return out


def _partition(entries, split):
    "Test: the third alias of 4 clips, a different 4 for each split; train: every other entry."
    third = [e for e in entries if int(e[1].split('_')[-2]) >= 90]
    test = {e[1] for e in third[4 * (split - 1): 4 * split]}
    return [e for e in entries if e[1] not in test], [e for e in entries if e[1] in test]


def reencode_avi(src: Path, dst: Path, short_side: int = 64) -> Path:
    "Re-encode `src` into an MPEG-4 Part 2 .avi (ARID V1.0's container) with its short side at `short_side`."
    frames = read_video(src, short_side=short_side).numpy()
    h, w = frames.shape[1] // 2 * 2, frames.shape[2] // 2 * 2
    dst.parent.mkdir(parents=True, exist_ok=True)
    with av.open(str(dst), 'w', format='avi') as c:
        st = c.add_stream('mpeg4', rate=30)
        st.width, st.height, st.pix_fmt = w, h, 'yuv420p'
        for f in frames:
            for p in st.encode(av.VideoFrame.from_ndarray(f[:h, :w].copy(), format='rgb24')): c.mux(p)
        for p in st.encode(): c.mux(p)
    return dst


def build_arid15(root: Path, samples: Path) -> Path:
    "ARID V1.5: `clips/<Class>/<file>.mp4` and `split{0,1}_{train,test}.txt` with `idx<TAB>label<TAB>Class/file.mp4` CRLF lines."
    d = root/'arid15'
    entries = _aliases(sample_clips(samples))
    for cls, stem, src in entries:
        p = d/'clips'/cls/f'{stem}.mp4'
        p.parent.mkdir(parents=True, exist_ok=True)
        if not p.exists(): os.symlink(src.resolve(), p)
    for k in range(1, N_SPLITS['arid15'] + 1):
        for subset, part in zip(('train', 'test'), _partition(entries, k)):
            lines = [f'{i}\t{ARID_CLASSES.index(cls)}\t{cls}/{stem}.mp4' for i, (cls, stem, _) in enumerate(part)]
            (d/f'split{k - 1}_{subset}.txt').write_bytes(('\r\n'.join(lines) + '\r\n').encode())
    return d


def build_arid10(root: Path, samples: Path, splits_dir: Path) -> Path:
    "ARID V1.0: `clips/<Class>/<file>.avi` (re-encoded), `ARID_split{1,2,3}_{train,test}.txt`, the official `mapping_table.txt`."
    d = root/'arid10'
    entries = _aliases(sample_clips(samples))
    encoded = {}
    for cls, stem, src in entries:
        p = d/'clips'/cls/f'{stem}.avi'
        if src not in encoded: encoded[src] = reencode_avi(src, p)
        elif not p.exists(): os.link(encoded[src], p)   # the same re-encoded file under its other names
    os.symlink((splits_dir/'arid_v1'/'mapping_table.txt').resolve(), d/'mapping_table.txt')
    for k in range(1, N_SPLITS['arid10'] + 1):
        for subset, part in zip(('train', 'test'), _partition(entries, k)):
            lines = [f'{i}\t{ARID_CLASSES.index(cls)}\t{cls}/{stem}.avi\n' for i, (cls, stem, _) in enumerate(part)]
            (d/f'ARID_split{k}_{subset}.txt').write_text(''.join(lines))
    return d


def dark48_classes(splits_dir: Path) -> list[str]:
    return [l.split('\t')[1].strip() for l in (splits_dir/'dark48'/'classInd.txt').read_text().splitlines() if l.strip()]


def build_dark48(root: Path, samples: Path, splits_dir: Path) -> Path:
    "Dark48: `videos/<class>/<file>.mp4`, `{train,test}_split{1,2,3}.txt` (`class/file.mp4 label`), the official `classInd.txt`."
    d = root/'dark48'
    names = dark48_classes(splits_dir)
    label = {c: 4 * i for i, c in enumerate(ARID_CLASSES)}   # ARID class i plays Dark48 class 4i
    entries = _aliases(sample_clips(samples))
    for cls, stem, src in entries:
        p = d/'videos'/names[label[cls]]/f'{stem}.mp4'
        p.parent.mkdir(parents=True, exist_ok=True)
        if not p.exists(): os.symlink(src.resolve(), p)
    os.symlink((splits_dir/'dark48'/'classInd.txt').resolve(), d/'classInd.txt')
    for k in range(1, N_SPLITS['dark48'] + 1):
        for subset, part in zip(('train', 'test'), _partition(entries, k)):
            lines = [f'{names[label[cls]]}/{stem}.mp4 {label[cls]}' for cls, stem, _ in part]
            (d/f'{subset}_split{k}.txt').write_text('\n'.join(lines))   # like the release: no newline after the last line
    return d


def build_all(root: Path, samples: Path, splits_dir: Path) -> dict:
    root.mkdir(parents=True, exist_ok=True)
    return {'arid15': build_arid15(root, samples), 'arid10': build_arid10(root, samples, splits_dir),
            'dark48': build_dark48(root, samples, splits_dir)}


def test_videos(root: Path, dataset: str, split: int) -> list[Path]:
    "The test videos of `dataset`'s `split` in the layout under `root`, as the data layer resolves them."
    from actlumos.data import dataset_index
    return [e.path for e in dataset_index(dataset, split=split, subset='test', root=root/dataset)[0]]
