"""The report in a real browser: Debian's headless Chromium opens the overview and a game page
from disk, and the test fails on any console error, any request that is not a file of the
report, a blank screenshot, or a lie that is not visibly highlighted in the transcript.

Chromium is found as `chromium` on PATH (Debian's package; CI installs it) or at
$SDLAB_CHROMIUM; Playwright drives it and never downloads a browser of its own.
"""

from __future__ import annotations

import os
import re
import shutil
from io import BytesIO
from pathlib import Path

import pytest

from app.report.build import build_report
from tests.report_helpers import lab_db

CHROMIUM = os.environ.get("SDLAB_CHROMIUM") or shutil.which("chromium")
ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
# CI has Chromium; a developer without it sees the reason instead of a failure.
pytestmark = pytest.mark.skipif(
    not CHROMIUM, reason="no Chromium: apt-get install -y chromium (or set SDLAB_CHROMIUM)"
)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    lab = lab_db(tmp_path_factory.mktemp("browser-db"), games=6)
    return build_report(lab, tmp_path_factory.mktemp("browser-site"), resamples=100)


@pytest.fixture(scope="module")
def browser(site, tmp_path_factory):
    # After `site`: Playwright runs an event loop, and building the lab db runs its own.
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright not installed")
    profile = tmp_path_factory.mktemp("chromium-profile")  # a fresh profile every run
    with sync_api.sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(profile), executable_path=CHROMIUM, args=ARGS, headless=True,
            viewport={"width": 1200, "height": 900},
        )  # fmt: skip
        # Nothing leaves the machine: anything but a file is aborted (and Watch records it).
        context.route(re.compile(r"^(?!file:)"), lambda route: route.abort())
        yield context
        context.close()


class Watch:
    """A page's console errors, uncaught exceptions and requests outside the report."""

    def __init__(self, page, root: Path) -> None:
        self.errors: list[str] = []
        self.outside: list[str] = []
        self.root = root.resolve().as_uri()
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        page.on("request", self._request)
        page.on("requestfailed", lambda r: self.errors.append(f"failed: {r.url}"))

    def _request(self, request) -> None:
        if not request.url.startswith(self.root):
            self.outside.append(request.url)


def open_page(context, path: Path, root: Path):
    page = context.new_page()
    watch = Watch(page, root)
    page.goto(path.resolve().as_uri())
    charts = page.locator("script.vl-spec").count()
    # Every chart drawn: vega-embed puts an <svg> into each chart's div.
    page.wait_for_function(
        f"document.querySelectorAll('.chart svg').length >= {charts}", timeout=20_000
    )
    return page, watch, charts


def assert_not_blank(png: bytes) -> None:
    from PIL import Image, ImageStat

    image = Image.open(BytesIO(png)).convert("L")
    colours = image.getcolors(maxcolors=1 << 16) or []
    assert len(colours) > 20, "the screenshot is (nearly) one colour"
    assert ImageStat.Stat(image).stddev[0] > 10, "the screenshot has almost no contrast"


def test_overview_draws_every_chart_offline(browser, site, tmp_path):
    page, watch, charts = open_page(browser, site.index, site.out)
    assert charts >= 5
    assert_not_blank(page.screenshot(full_page=True, path=str(tmp_path / "index.png")))
    assert watch.errors == [] and watch.outside == []
    page.close()


def test_game_page_highlights_a_lie_with_its_evidence(browser, site, tmp_path):
    lied = [p for p in site.game_pages if 'class="claim lab-lie"' in p.read_text()]
    assert lied, "the deceptive players lied in some game"
    page, watch, charts = open_page(browser, lied[0], site.out)
    assert charts == 1  # the P(werewolf) chart
    lie = page.locator("#transcript-body details.claim.lab-lie").first
    assert lie.is_visible()
    # Highlighted: the chip is filled with the lie colour, not the page's background.
    background = lie.locator("summary").evaluate("e => getComputedStyle(e).backgroundColor")
    assert re.fullmatch(r"rgb\(198, 40, 40\)", background), background
    lie.locator("summary").click()
    evidence = lie.locator("dl")
    assert evidence.is_visible() and "speaker knew" in evidence.inner_text()
    private = page.locator("#transcript-body .private").first
    assert not private.is_visible()
    page.locator("#show-private").check()
    assert private.is_visible()
    assert_not_blank(page.screenshot(path=str(tmp_path / "game.png")))
    assert watch.errors == [] and watch.outside == []
    page.close()
