"""The committed report, opened in a real browser (headless Chromium driven by Playwright).

Checks what a reader sees: the page loads with no console errors, every image
has loaded, the leaderboard tables come first, and at a 390 px wide phone
screen nothing scrolls sideways (wide tables scroll inside their own box).
Screenshots at 1366 and 390 px are saved next to the test's temporary files
(and under ``outputs/screenshots/`` when ``READOUT_BENCH_SCREENSHOTS`` is set).

Uses Debian's ``chromium`` package (``.ci/run`` installs it); the test is skipped
with a reason only when neither Playwright nor a Chromium binary is present.
"""

import os
import shutil
from pathlib import Path

import pytest

from conftest import ROOT

REPORT = ROOT / "results" / "report" / "report.html"
CHROMIUM = os.environ.get("READOUT_BENCH_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")

playwright = pytest.importorskip("playwright.sync_api", reason="pip install playwright (pinned in requirements.txt)")
# Skipped only outside CI: in CI (CI=true) a missing browser is a failure, not a skip.
pytestmark = pytest.mark.skipif(not CHROMIUM and not os.environ.get("CI"),
                                reason="no Chromium binary: apt-get install chromium")


@pytest.fixture(scope="module")
def browser():
    with playwright.sync_playwright() as p:
        assert CHROMIUM, "no Chromium binary: .ci/run installs Debian's chromium package"
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield browser
        browser.close()


def _open(browser, width, height):
    page = browser.new_page(viewport={"width": width, "height": height})
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(REPORT.as_uri(), wait_until="load")
    return page, errors


def _shots_dir(tmp_path):
    target = os.environ.get("READOUT_BENCH_SCREENSHOTS")
    folder = Path(target) if target else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.mark.parametrize("width, height", [(1366, 900), (390, 844)])
def test_report_leads_with_the_leaderboard_loads_cleanly_and_fits_the_screen(browser, tmp_path, width, height):
    page, errors = _open(browser, width, height)
    assert errors == []
    images = page.eval_on_selector_all("img", "els => els.map(e => [e.complete, e.naturalWidth])")
    assert len(images) >= 7 and all(complete and natural > 0 for complete, natural in images)
    headings = page.eval_on_selector_all("h2", "els => els.map(e => e.textContent)")
    assert headings[0].startswith("Leaderboard: rhetoric") and headings[1].startswith("Leaderboard: domain")
    first_table = page.eval_on_selector("table", "t => t.innerText")
    for column in ("rank", "test macro-F1 [95% CI]", "p (Holm)", "vs best", "vs floor", "contrast", "seed", "OOD"):
        assert column in first_table
    # the first table is visible without scrolling past anything else
    top = page.eval_on_selector("table", "t => t.getBoundingClientRect().top + window.scrollY")
    assert top < 2.5 * height
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"page scrolls sideways by {overflow}px at {width}px"
    shots = _shots_dir(tmp_path)
    page.screenshot(path=str(shots / f"report_{width}.png"))
    page.screenshot(path=str(shots / f"report_{width}_full.png"), full_page=True)
    assert (shots / f"report_{width}.png").stat().st_size > 10_000
    page.close()
