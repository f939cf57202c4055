"""`sdlab browse`: datasette metadata generated from the schema's code, canned queries that run."""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from analysis.pipeline import label_claims
from app.browse import INSTALL, canned_queries, metadata
from tests.report_helpers import lab_db

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory) -> Path:
    """A lab database whose claim table `sdlab analyse` has written."""
    db = Path(lab_db(tmp_path_factory.mktemp("browse"), games=6))
    label_claims(db)  # writes the claim table, as `sdlab analyse` does
    return db


def test_metadata_describes_tables_from_the_code(lab, tmp_path):
    meta = metadata(lab)["databases"][lab.stem]
    tables = meta["tables"]
    assert tables["game"]["description"].startswith("One game;")  # the class docstring
    assert tables["game"]["columns"]["winner"] == "village | werewolves | draw"  # its comment
    assert tables["game"]["columns"]["slot"] == "index of the game within its tournament"
    assert "private probability" in tables["belief"]["description"]
    assert tables["claim"]["columns"]["label"] == "truthful | lie | mistake | unverifiable"
    assert set(meta["queries"]) >= {"lies_of_game", "beliefs_over_time", "fallback_turns"}
    # Without a claim table there is no lies query (it would fail), and no claim description.
    bare = tmp_path / "bare.db"
    with sqlite3.connect(lab) as src, sqlite3.connect(bare) as dst:
        src.backup(dst)
        dst.execute("DROP TABLE claim")
    bare_meta = metadata(bare)["databases"]["bare"]
    assert "lies_of_game" not in bare_meta["queries"] and "claim" not in bare_meta["tables"]


def run_query(db: Path, name: str, **params) -> list[tuple]:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        return conn.execute(canned_queries(True)[name]["sql"], params).fetchall()


def test_canned_queries_answer_their_questions(lab):
    claims = label_claims(lab, write=False)
    lies = claims[claims["label"] == "lie"]
    game = int(lies["game_id"].value_counts().idxmax())
    assert len(run_query(lab, "lies_of_game", game=game)) == (lies["game_id"] == game).sum()
    beliefs = run_query(lab, "beliefs_over_time", game=game, seat=0)
    with sqlite3.connect(lab) as conn:
        stored = conn.execute(
            "SELECT COUNT(*) FROM belief WHERE game_id = ? AND holder = 0 AND role = 'werewolf'",
            (game,),
        ).fetchone()[0]
    assert len(beliefs) == stored > 0
    assert [r[0] for r in beliefs] == sorted(r[0] for r in beliefs)  # in turn order
    assert run_query(lab, "fallback_turns") == []  # scripted players never fall back
    assert len(run_query(lab, "game_transcript", game=game)) > 10


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_browse_serves_a_canned_query_on_loopback(lab):
    pytest.importorskip("datasette", reason="the [browse] extra is not installed")
    claims = label_claims(lab, write=False)
    game = int(claims.loc[claims["label"] == "lie", "game_id"].iloc[0])
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    server = subprocess.Popen(
        [sys.executable, "-m", "app.cli", "browse", "--db", str(lab), "--port", str(port)],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}/{lab.stem}/lies_of_game.json?game={game}&_shape=array"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(url, timeout=5) as answer:
                    rows = json.load(answer)
                break
            except OSError:
                assert server.poll() is None, server.communicate()[1]
                assert time.monotonic() < deadline, "datasette did not answer in 30 s"
                time.sleep(0.3)
        expected = ((claims["game_id"] == game) & (claims["label"] == "lie")).sum()
        assert len(rows) == expected and {"speaker", "claim_type", "text"} <= set(rows[0])
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/{lab.stem}/game") as page:
            assert "village | werewolves | draw" in page.read().decode()
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def test_browse_without_datasette_says_how_to_install_it(lab, monkeypatch):
    import importlib.util

    from typer.testing import CliRunner

    from app.cli import app

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "datasette" else real(name)
    )
    result = CliRunner().invoke(app, ["browse", "--db", str(lab)])
    assert result.exit_code == 1
    assert INSTALL in result.output and len(result.output.strip().splitlines()) == 1
