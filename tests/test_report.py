"""`sdlab report`: a static site whose numbers are analysis' numbers, opening from disk alone."""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from analysis.pipeline import label_claims
from analysis.rates import lie_rates
from app.report import sections
from app.report.build import build_report
from tests.report_helpers import lab_db

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory) -> str:
    return lab_db(tmp_path_factory.mktemp("report"))


@pytest.fixture(scope="module")
def site(lab, tmp_path_factory):
    out = tmp_path_factory.mktemp("site")
    return build_report(lab, out, game_pages=4, per_page=4, resamples=200, research_games=0)


class Links(HTMLParser):
    """Every src/href of a page, and the JSON of its chart specs."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.specs: list[dict] = []
        self._spec = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.links += [attrs[k] for k in ("src", "href") if attrs.get(k)]
        self._spec = tag == "script" and "vl-spec" in (attrs.get("class") or "")

    def handle_data(self, data):
        if self._spec:
            self.specs.append(json.loads(data))
            self._spec = False


def parse(path: Path) -> Links:
    links = Links()
    links.feed(path.read_text(encoding="utf-8"))
    return links


def test_every_page_loads_only_files_of_the_report(site):
    pages = sorted(site.out.rglob("*.html"))
    assert site.index in pages and len(site.game_pages) == 4
    for page in pages:
        for link in parse(page).links:
            assert not re.match(r"^(\w+:|//)", link), f"{page.name} links outside: {link}"
            target = (page.parent / link.split("#")[0]).resolve()
            assert target.is_file(), f"{page.name}: {link} is not in the report"
    # One shared Vega bundle, a classic script that sets window.vegaEmbed (file:// pages
    # cannot load ES modules from files).
    bundle = (site.out / "assets" / "vega-bundle.js").read_text(encoding="utf-8")
    assert "window.vegaEmbed=" in bundle.replace(" ", "")
    assert not re.search(r"^\s*(import|export)\s", bundle, re.M)


def test_lie_rate_charts_show_analysis_numbers(site, lab):
    specs = parse(site.index).specs
    by_model = next(s for s in specs if s.get("title") == "Lies per 100 claims by model")
    drawn = {row["model"]: row["lies_per_100"] for row in next(iter(by_model["datasets"].values()))}
    claims = label_claims(lab, write=False)
    claims = claims.assign(model=claims["model"].astype("string").fillna(claims["agent_kind"]))
    expected = lie_rates(claims, by=["model"], resamples=200).set_index("model")["lies_per_100"]
    assert drawn == pytest.approx(expected.to_dict())
    assert drawn["scripted:deceptive"] > 0  # the deceptive players lie
    html = site.index.read_text(encoding="utf-8")
    for heading in ("Overview", "Ratings and win rates", "Lie rates", "Tokens and cost"):
        assert heading in html


def test_game_pages_highlight_every_claim_by_label(site, lab):
    claims = label_claims(lab, write=False)
    for page in site.game_pages:
        game = int(re.search(r"game-(\d+)", page.name).group(1))
        html = page.read_text(encoding="utf-8")
        mine = claims[claims["game_id"] == game]
        lies = int((mine["label"] == "lie").sum())
        assert html.count('class="claim lab-lie"') == lies
        assert html.count('<details class="claim ') == len(mine)
        if lies:
            assert "speaker knew</dt><dd>it was false" in html
        spec = parse(page).specs[0]
        assert spec["datasets"]["beliefs"], "the P(werewolf) chart has data"
        assert 'id="show-private"' in html and 'class="private' in html


def test_speech_is_escaped_on_game_pages(lab, tmp_path):
    import sqlite3

    db = tmp_path / "hostile.db"
    db.write_bytes(Path(lab).read_bytes())
    with sqlite3.connect(db) as conn:
        conn.execute(
            "UPDATE event SET text = ? WHERE game_id = 1 AND kind = 'speech'",
            ("<script>alert(1)</script></script> I am the seer.",),
        )
    site = build_report(db, tmp_path / "out", game_pages=None, resamples=50, research_games=0)
    html = (site.out / "games" / "game-1.html").read_text(encoding="utf-8")
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html


def test_game_list_is_paginated_and_links_sampled_pages(site):
    first = (site.out / "games.html").read_text(encoding="utf-8")
    assert (site.out / "games-3.html").exists() and not (site.out / "games-4.html").exists()
    linked = set(re.findall(r'href="games/(game-\d+\.html)"', first))
    every = set().union(
        *(
            re.findall(r'href="games/(game-\d+\.html)"', p.read_text())
            for p in site.out.glob("games*.html")
        )
    )
    assert every == {p.name for p in site.game_pages} and linked <= every
    assert "4 of 9 finished games have a page" in first


def test_building_a_report_writes_nothing_to_the_database(lab, tmp_path):
    import sqlite3

    def state() -> list[str]:
        # The database and its WAL: a write may sit in the WAL until a checkpoint.
        files = [Path(lab), Path(lab + "-wal")]
        return [hashlib.sha256(f.read_bytes()).hexdigest() for f in files if f.exists()]

    before = state()
    build_report(lab, tmp_path / "out", game_pages=1, resamples=50)  # research measures too
    assert state() == before
    with sqlite3.connect(f"file:{lab}?mode=ro", uri=True) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    assert "claim" not in tables


def test_a_research_section_that_has_not_landed_is_listed_not_drawn(lab, tmp_path, monkeypatch):
    def later(ctx):
        sections._need("analysis.not_landed_yet")

    monkeypatch.setattr(sections, "SECTIONS", [("Persuasion", later)])
    site = build_report(lab, tmp_path / "out", game_pages=0, resamples=50)
    assert site.skipped[0][0] == "Persuasion" and "analysis.not_landed_yet" in site.skipped[0][1]
    html = site.index.read_text(encoding="utf-8")
    assert "Not in this report" in html and "Persuasion" in html


def test_report_command_writes_the_site_and_fails_in_one_line(lab, tmp_path):
    env = {**os.environ, "COLUMNS": "200", "PYTHONPATH": str(ROOT)}
    run = [sys.executable, "-m", "app.cli", "report", "--db"]
    out = tmp_path / "site"
    done = subprocess.run(
        [*run, lab, "--out", str(out), "--game-pages", "2", "--research-games", "0"],
        capture_output=True, text=True,
        env=env, cwd=ROOT,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "2 game pages" in done.stdout and (out / "index.html").is_file()
    missing = subprocess.run(
        [*run, str(tmp_path / "none.db"), "--out", str(tmp_path / "x")], capture_output=True,
        text=True, env=env, cwd=ROOT,
    )  # fmt: skip
    assert missing.returncode == 2 and "no database at" in missing.stderr
    assert len(missing.stderr.strip().splitlines()) == 1


NEEDS = {
    "Contrasts": ("analysis.research", "analysis.contrast"),
    "Leakage": ("analysis.research", "analysis.leakage"),
    "Persuasion": ("analysis.research", "analysis.persuasion"),
    "Instrumental drives": ("analysis.research", "analysis.instrumental"),
    "Deception monitors": ("analysis.monitors",),
}
HEADINGS = {
    "Leakage": "Leakage of the hidden team",
    "Persuasion": "Persuasion: who moves whom",
    "Instrumental drives": "Instrumental drives</h2>",
    "Deception monitors": "Deception monitors</h2>",
}


def landed(modules: tuple[str, ...]) -> bool:
    """Whether the modules import (as the report's sections try them)."""
    import importlib

    try:
        for module in modules:
            importlib.import_module(module)
    except ImportError:
        return False
    return True


def test_research_sections_are_drawn_when_their_analysis_is_there(lab, tmp_path):
    site = build_report(lab, tmp_path / "out", game_pages=0, resamples=30)
    html = site.index.read_text(encoding="utf-8")
    skipped = dict(site.skipped)
    for title, modules in NEEDS.items():
        if not landed(modules):
            assert "is not available" in skipped[title]
        elif title == "Contrasts":
            # One framing and one prompt condition: nothing to contrast, and the page says so.
            assert "same framing" in skipped[title]
        else:
            assert title not in skipped and HEADINGS[title] in html
    if landed(NEEDS["Deception monitors"]):
        titles = [s.get("title") for s in parse(site.index).specs]
        assert "ROC: lie" in [t.get("text", t) if isinstance(t, dict) else t for t in titles]
    # Over the budget, the measures are listed with the reason, not run.
    small = build_report(lab, tmp_path / "small", game_pages=0, resamples=30, research_games=3)
    reasons = [why for _, why in small.skipped if "is not available" not in why]
    assert reasons and all("research budget of 3" in why for why in reasons)


def test_tokens_and_cost_per_model(lab, tmp_path):
    import sqlite3

    db = tmp_path / "llm.db"
    db.write_bytes(Path(lab).read_bytes())
    calls = [("openai/gpt-x", "turn", 1, 1200, 80, 0.0021, 1),
             ("openai/gpt-x", "turn", 1, 1300, 90, 0.0023, 0),
             ("openai/gpt-x", "turn", 2, 1000, 50, 0.0010, 1),
             ("openai/judge", "judge", None, 500, 20, 0.0004, 1)]  # fmt: skip
    with sqlite3.connect(db) as conn:
        conn.executemany(
            "INSERT INTO llmcall (model, purpose, game_id, prompt_tokens, completion_tokens, "
            "cost, parsed_ok, messages, attempt, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, '[]', 1, '2026-01-01 00:00:00')",
            calls,
        )
    site = build_report(db, tmp_path / "out", game_pages=0, resamples=20, research_games=0)
    html = site.index.read_text(encoding="utf-8")
    assert "4,240" in html  # tokens: 1200 + 80 + 1300 + 90 + 1000 + 50 + 500 + 20
    assert "$0.0058" in html  # cost of all calls
    row = re.search(r"<td>openai/gpt-x</td>(.*?)</tr>", html, re.S).group(1)
    cells = re.findall(r">([^<]*)</td>", row)
    assert cells == ["turn", "3", "3,500", "220", "0.0054", "1"]  # one answer did not parse
