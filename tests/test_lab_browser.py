"""The explorers work in a real JupyterLab: 02_dff and 05_distill run in it, driven from headless Chromium.

JupyterLab (from this venv) serves nbs/ on 127.0.0.1 with a token; Playwright drives Debian's Chromium (browsers
cannot be downloaded here). Each notebook runs all its cells (kernels get IN_TEST=1: the smoke configuration,
as under nbdev_test), then a widget of its explorer is moved and the displayed image and caption must change.
Screenshots go to runs/test-figures/. Autosave is off and the notebooks are checked unchanged afterwards.
"""
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import BIN, ROOT

NOTEBOOKS = ('02_dff', '05_distill')
RUN_TIMEOUT_S = 900          # one notebook (smoke runs): 1.5-2.5 min on 2 cores, much longer when they are shared
SHOTS = ROOT/'runs'/'test-figures'


def _chromium():
    exe = shutil.which('chromium') or shutil.which('chromium-browser') or shutil.which('google-chrome')
    if exe: return exe
    msg = 'chromium is not installed (Debian: apt-get install chromium; tools/test.sh installs it when run as root)'
    if os.environ.get('CI', '').lower() == 'true': pytest.fail(msg)   # a missing browser in CI is a failure
    pytest.skip(msg)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0)); return s.getsockname()[1]


@pytest.fixture(scope='module')
def lab():
    "A JupyterLab server on nbs/ (token, 127.0.0.1, free port, autosave off); shut down however the test ends."
    chrome = _chromium()
    try: import playwright  # noqa: F401
    except ImportError:
        pytest.fail('playwright is not installed in the venv: .venv/bin/pip install playwright (a dev requirement)')
    port, token = _free_port(), os.urandom(16).hex()
    tmp = Path(tempfile.mkdtemp(prefix='actlumos-lab-'))
    settings = tmp/'settings'/'@jupyterlab'/'docmanager-extension'
    settings.mkdir(parents=True)
    (settings/'plugin.jupyterlab-settings').write_text(json.dumps({'autosave': False}))   # never write the notebooks
    env = {**os.environ, 'IN_TEST': '1', 'PYTHONPATH': str(ROOT), 'PATH': f"{BIN}{os.pathsep}{os.environ['PATH']}",
           'JUPYTERLAB_SETTINGS_DIR': str(tmp/'settings'), 'JUPYTERLAB_WORKSPACES_DIR': str(tmp/'workspaces'),
           'JUPYTER_RUNTIME_DIR': str(tmp/'runtime'), 'TORCH_HOME': str(tmp/'torch'),   # no shared hub cache
           'MPLBACKEND': 'Agg'}
    cmd = [str(BIN/'jupyter'), 'lab', '--no-browser', '--ip=127.0.0.1', f'--port={port}', '--ServerApp.port_retries=0',
           f'--IdentityProvider.token={token}', f'--notebook-dir={ROOT/"nbs"}', '--LabApp.expose_app_in_browser=True']
    if os.getuid() == 0: cmd.append('--allow-root')
    log = open(tmp/'lab.log', 'w')
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    before = {nb: (ROOT/'nbs'/f'{nb}.ipynb').read_bytes() for nb in NOTEBOOKS}
    url = f'http://127.0.0.1:{port}'
    try:
        deadline = time.time() + 60
        while True:
            try:
                urllib.request.urlopen(f'{url}/api/status?token={token}', timeout=5).read(); break
            except OSError:
                if proc.poll() is not None or time.time() > deadline:
                    pytest.fail(f'JupyterLab did not start within 60 s:\n{(tmp/"lab.log").read_text()[-3000:]}')
                time.sleep(0.5)
        yield dict(url=url, token=token, chrome=chrome, log=tmp/'lab.log')
    finally:
        try: urllib.request.urlopen(urllib.request.Request(f'{url}/api/shutdown?token={token}', method='POST'), timeout=10)
        except OSError: pass
        try: proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL); proc.wait(timeout=10)
        log.close()
        shutil.rmtree(tmp, ignore_errors=True)
    for nb, b in before.items():   # after the server is gone: nothing wrote to the notebooks
        assert (ROOT/'nbs'/f'{nb}.ipynb').read_bytes() == b, f'nbs/{nb}.ipynb was modified by the JupyterLab test'


RUN_JS = """() => {
  // every code cell in order through JupyterLab's own run-cell command, except those flagged `#| slow` / `#| cuda`
  // (nbdev_test skips those too); stops at the first error; the outcome goes to window.__actlumos
  const app = window.jupyterapp, panel = app.shell.currentWidget, nb = panel.content;
  const st = {done: false, ran: 0, skipped: 0, errors: []};
  window.__actlumos = st;
  (async () => {
    try {
      for (let i = 0; i < nb.widgets.length; i++) {
        const m = nb.widgets[i].model;
        if (m.type !== 'code' || !m.sharedModel.getSource().trim()) continue;
        const flags = m.sharedModel.getSource().split('\\n').filter(l => /^\\s*#\\|/.test(l)).join(' ');
        if (/#\\|\\s*(slow|cuda)\\b/.test(flags)) { st.skipped++; continue; }
        if (app.shell.currentWidget !== panel) app.shell.activateById(panel.id);   // run-cell acts on the current notebook
        nb.activeCellIndex = i;
        await app.commands.execute('notebook:run-cell');
        const busy = () => { const s = panel.sessionContext.session; return !s || !s.kernel || s.kernel.status !== 'idle'; };
        for (let t = 0; t < 6000 && (m.executionCount === null || busy()); t++) await new Promise(r => setTimeout(r, 100));
        if (!panel.sessionContext.session) { st.errors.push(`cell ${i}: the kernel session ended (did the kernel die?)`); break; }
        st.ran++;
        const errs = m.outputs.toJSON().filter(o => o.output_type === 'error');
        if (errs.length) { st.errors.push(`cell ${i}: ${errs[0].ename}: ${errs[0].evalue}`); break; }
        if (m.executionCount === null) { st.errors.push(`cell ${i} did not run`); break; }
      }
    } catch (e) { st.errors.push(String(e)); }
    st.done = true;
  })();
  return true;
}"""


def _open_and_run(page, lab, nb):
    "Open nbs/<nb>.ipynb, run its cells through JupyterLab (as nbdev_test does: `#| slow` ones skipped), return seconds."
    # a workspace of its own, reset: the page restores no other notebook that could take the focus
    page.goto(f"{lab['url']}/lab/workspaces/{nb}/tree/{nb}.ipynb?reset&token={lab['token']}", timeout=120_000)
    page.wait_for_function("""() => {
        const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
        const k = w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel;
        return k && k.connectionStatus === 'connected' && k.status === 'idle' && w.content.widgets.length > 0;
      }""", timeout=120_000)
    t0 = time.time()
    page.evaluate(RUN_JS)
    page.wait_for_function('() => window.__actlumos.done', timeout=RUN_TIMEOUT_S * 1000, polling=1000)
    seconds = time.time() - t0
    st = page.evaluate('() => window.__actlumos')
    assert not st['errors'], f'{nb} in JupyterLab: {st["errors"]}'
    assert st['ran'] > 10, st
    return seconds


def _explorer(page):
    "The explorer's box: the widget view holding an image and a caption label."
    box = page.locator('.jp-OutputArea-output .actlumos-explorer').last
    box.wait_for(state='visible', timeout=60_000)
    box.scroll_into_view_if_needed()
    return box


def _state(box):
    img = box.locator('.actlumos-view').first
    img.wait_for(state='visible', timeout=30_000)
    return img.get_attribute('src'), box.locator('.actlumos-caption').first.inner_text(), img.screenshot()


def _shutdown_kernels(lab):
    "Shut down every kernel of the server (each test leaves its notebook's kernel, holding GBs, otherwise)."
    base, tok = lab['url'], lab['token']
    for k in json.loads(urllib.request.urlopen(f'{base}/api/kernels?token={tok}', timeout=10).read()):
        urllib.request.urlopen(urllib.request.Request(f"{base}/api/kernels/{k['id']}?token={tok}", method='DELETE'), timeout=30)


def _norm(text: str) -> str: return ' '.join(text.replace('\xa0', ' ').split())   # dropdowns show spaces as nbsp


def _changed(page, box, before, what):
    "Wait until the kernel has redrawn the explorer after `what`, and return the new state."
    for _ in range(120):
        page.wait_for_timeout(500)
        now = _state(box)
        if now[1] != before[1] and now[0] != before[0]: return now
    pytest.fail(f'moving {what} did not change the displayed explorer (caption stayed {before[1]!r})')


@pytest.fixture(scope='module')
def browser(lab):
    from playwright.sync_api import sync_playwright
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=lab['chrome'], args=['--no-sandbox', '--disable-gpu'])
        try: yield b
        finally: b.close()


def test_dff_explorer_in_jupyterlab(lab, browser):
    page = browser.new_page(viewport={'width': 1400, 'height': 1000})
    s = _open_and_run(page, lab, '02_dff')
    box = _explorer(page)
    before = _state(box)
    page.screenshot(path=str(SHOTS/'lab_02_dff_before.png'))
    # drag the frame slider's handle to the start of its track (the notebook's own check left it at the end)
    slider = box.locator('.widget-slider').filter(has_text='frame').first
    handle, track = slider.locator('.noUi-handle').first, slider.locator('.noUi-base, .noUi-target').first
    hb, tb = handle.bounding_box(), track.bounding_box()
    page.mouse.move(hb['x'] + hb['width'] / 2, hb['y'] + hb['height'] / 2); page.mouse.down()
    page.mouse.move(tb['x'] - 40, hb['y'] + hb['height'] / 2, steps=8); page.mouse.up()   # past the start
    after = _changed(page, box, before, 'the frame slider')
    assert 'frame 0:' in after[1], after[1]
    assert after[2] != before[2]   # the pixels on screen changed too
    box.screenshot(path=str(SHOTS/'lab_02_dff_explorer.png'))
    print(f'02_dff: all cells in {s:.0f} s; caption now {after[1]!r}')
    page.close(); _shutdown_kernels(lab)


def test_distill_explorer_in_jupyterlab(lab, browser):
    page = browser.new_page(viewport={'width': 1400, 'height': 1000})
    s = _open_and_run(page, lab, '05_distill')
    box = _explorer(page)
    page.screenshot(path=str(SHOTS/'lab_05_distill_before.png'))
    box.get_by_role('button', name='all clips').click()        # the notebook's own check left 'disagreements' on
    select = box.locator('.widget-dropdown select').first
    # settled when the picker lists every clip and the caption names the one it shows
    state_js = """(b) => {
        const s = b.querySelector('.widget-dropdown select'), c = b.querySelector('.actlumos-caption');
        return {n: s ? s.options.length : -1, sel: s && s.selectedIndex >= 0 ? s.options[s.selectedIndex].textContent : null,
                caption: c ? c.textContent : null};
      }"""
    for _ in range(120):
        st = box.evaluate(state_js)
        if st['n'] > 1 and st['sel'] is not None and _norm(st['sel']) == _norm(st['caption'] or ''): break
        page.wait_for_timeout(500)
    else: pytest.fail(f'the clip picker did not settle after choosing all clips: {st}')
    labels = select.locator('option').evaluate_all('os => os.map(o => o.textContent)')
    before = _state(box)
    pick = next(v for v in labels if _norm(v) != _norm(before[1]))
    select.select_option(label=pick)
    after = _changed(page, box, before, 'the clip picker')
    assert _norm(after[1]) == _norm(pick), (after[1], pick)
    assert after[2] != before[2]
    box.screenshot(path=str(SHOTS/'lab_05_distill_explorer.png'))
    print(f'05_distill: all cells in {s:.0f} s; caption now {after[1]!r}')
    page.close(); _shutdown_kernels(lab)
