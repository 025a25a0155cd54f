"""No stage sees a test video while it trains or chooses its checkpoint (issue 13: test labels are used once).

Every frame read goes through `FrameCache.get` or `read_video`; while any stage's `fit` runs, the videos read are
recorded, and none may be in the test split. The final evaluation, after `fit`, is the one place test videos are read.
"""
import contextlib

import pytest

import actlumos.data as D
import actlumos.darksynth as DS
import actlumos.distill as KD
import actlumos.ssl as SSL
import actlumos.supcon as SC


@pytest.fixture(scope='module')
def world(tmp_path_factory):
    tmp = tmp_path_factory.mktemp('notest')
    mp = pytest.MonkeyPatch()
    mp.setenv('ACTLUMOS_DATA', str(tmp/'data'))
    mp.setenv('ACTLUMOS_RUNS', str(tmp/'runs'))
    DS.make_darksynth(tmp/'darksynth', seed=0, n_actors=3, clips_per_actor=(3,), frames=(24, 30), subsets=('darksynth',))
    seen, on = [], [False]
    get, read = D.FrameCache.get, D.read_video
    def rec_get(self, src): (seen.append(str(src)) if on[0] else None); return get(self, src)
    def rec_read(src, **kw): (seen.append(str(src)) if on[0] else None); return read(src, **kw)
    mp.setattr(D.FrameCache, 'get', rec_get)
    mp.setattr(D, 'read_video', rec_read)
    for mod in (SC, SSL, KD):
        fit = mod.fit
        def watched(*a, _fit=fit, **kw):
            on[0] = True
            try: return _fit(*a, **kw)
            finally: on[0] = False
        mp.setattr(mod, 'fit', watched)
    kw = dict(split=1, root=tmp/'darksynth', clip_len=8, size=32)
    split = {s: {str(v) for v in D.get_dataset('darksynth', subset=s, **kw).videos} for s in ('train', 'test')}
    yield dict(tmp=tmp, seen=seen, on=on, split=split)
    mp.undo()


SMALL = dict(epochs=1, limit_train_batches=2, progress=False, accelerator='cpu')


def check(world, what):
    seen = set(world['seen'])
    assert seen, f'{what}: no video was read during fit (the recorder is broken)'
    leaked = seen & world['split']['test']
    assert not leaked, f'{what} read {len(leaked)} test video(s) while training or choosing: {sorted(leaked)[:3]}'
    assert seen <= world['split']['train'], f'{what} read videos outside the training split'
    world['seen'].clear()


def test_recorder_catches_a_test_video(world):
    "The check can fail: reading a test video while `fit` runs is recorded."
    ds = D.get_dataset('darksynth', subset='test', split=1, root=world['tmp']/'darksynth', clip_len=8, size=32)
    world['on'][0] = True
    try: ds[0]
    finally: world['on'][0] = False
    assert str(ds.videos[0]) in world['seen']
    with pytest.raises(AssertionError, match='test video'): check(world, 'a reader of test videos')
    world['seen'].clear()


@pytest.mark.parametrize('selection', ['last', 'val'])
def test_teacher(world, selection):
    run = SC.train_teacher(dataset='darksynth', data_root=world['tmp']/'darksynth', out_root=world['tmp']/'t'/selection,
                           selection=selection, limit_val_batches=1, **SMALL)
    check(world, f'the teacher (selection={selection})')
    assert run.result['selection'] == selection and run.result['n_val'] > 0
    assert run.ckpt.name == ('best.ckpt' if selection == 'val' else 'last.ckpt')
    world['teacher'] = run


def test_ssl_and_student(world):
    sr = SSL.pretrain_student(pool='arid', data_root=world['tmp'], out_root=world['tmp']/'s', probe=None,
                              limit_val_batches=1, **SMALL)
    check(world, 'SSL pretraining')
    t = world.get('teacher') or SC.train_teacher(dataset='darksynth', data_root=world['tmp']/'darksynth',
                                                 out_root=world['tmp']/'t'/'last', limit_val_batches=1, **SMALL)
    world['seen'].clear()
    run = KD.distill_student(dataset='darksynth', ssl=True, kd=True, teacher_ckpt=t.ckpt, ssl_ckpt=sr.ckpt,
                             data_root=world['tmp'], out_root=world['tmp']/'s', val=True, test_limit=8, **SMALL)
    check(world, 'the SSL + KD student')
    assert run.result['selection'] == 'last'
