"""The documentation site builds offline from the notebooks and renders in a real browser."""
import re
import shutil
import tempfile

import pytest

from conftest import BIN, ROOT, run

CHROME_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
                '--disable-background-networking', '--disable-component-update', '--disable-sync']


@pytest.fixture(scope='module')
def site():
    r = run([BIN/'python', 'tools/build_docs.py', 'site'])
    assert r.returncode == 0, r.stdout
    return ROOT/'_site'


def _pages():
    return sorted(p.stem for p in (ROOT/'nbs').glob('*.ipynb') if p.name != 'index.ipynb')


def test_site_has_a_page_per_notebook(site):
    assert (site/'index.html').exists()
    for stem in _pages(): assert (site/f'{stem}.html').exists(), f'no page for nbs/{stem}.ipynb'


def test_landing_page_renders_title_and_navigation(site):
    chrome = shutil.which('chromium') or shutil.which('chromium-browser') or shutil.which('google-chrome')
    assert chrome, 'chromium is not installed (tools/test.sh installs it with apt-get when run as root)'
    with tempfile.TemporaryDirectory() as prof:
        flags = CHROME_FLAGS + [f'--user-data-dir={prof}']
        dom = run([chrome, *flags, '--dump-dom', f'file://{site}/index.html'], timeout=120).stdout
        shot = run([chrome, *flags, f'--screenshot={site}/screenshot.png', '--window-size=1280,900',
                    f'file://{site}/index.html'], timeout=120)
    assert re.search(r'<title>[^<]*actlumos[^<]*</title>', dom), 'the rendered landing page has no actlumos title'
    nav = re.search(r'<nav[^>]*md-nav--primary.*?(?=<div class="md-content")', dom, re.S)  # the whole sidebar
    assert nav, 'the rendered landing page has no navigation'
    for stem in _pages(): assert f'href="{stem}.html"' in nav.group(0), f'navigation lacks a link to {stem}'
    assert (site/'screenshot.png').stat().st_size > 10_000, shot.stdout


EXPLORERS = {'02_dff': ['explore_dff.png'], '03_supcon': ['explore_supcon.png'], '04_ssl': ['explore_ssl.png'],
             '05_distill': ['explore_distill.png', 'explore_distill_confusion.png'], '07_predict': ['explore_predict.png']}


def test_explorers_shown_as_snapshots(site):
    "Each component page shows its explorer as a committed PNG snapshot, and says that it is live in JupyterLab."
    for stem, pngs in EXPLORERS.items():
        page = (site/f'{stem}.html').read_text(encoding='utf-8')
        for png in pngs:
            assert f'src="figures/{png}"' in page, f'{stem}.html does not show figures/{png}'
            assert (ROOT/'figures'/png).stat().st_size > 5_000, f'figures/{png} is missing or empty'
        assert 'live in JupyterLab' in page, f'{stem}.html does not say that its explorer is live in JupyterLab'
