"""`sdlab show`: a stored game as a terminal transcript with every claim marked by its label."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from rich.console import Console

from analysis.db import open_db
from analysis.pipeline import label_claims
from app.transcript import game_claims, print_game
from runs.orchestrator import run as run_plan
from runs.plan import load_plan
from tests.tournament_helpers import write_config

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory) -> str:
    """Six scripted games with honest, deceptive and random players (so lies are there)."""
    tmp = tmp_path_factory.mktemp("show")
    db = str(tmp / "lab.db")
    asyncio.run(run_plan(load_plan(write_config(tmp / "t.yaml", games=6)), db))
    return db


def sdlab(*args: str) -> subprocess.CompletedProcess:
    """`sdlab ARGS` as a user runs it."""
    env = {**os.environ, "COLUMNS": "120", "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *args], capture_output=True, text=True, cwd=ROOT, env=env
    )


def test_show_marks_every_claim_with_its_label(lab):
    claims = label_claims(lab, write=False)
    lies = claims[claims["label"] == "lie"].groupby("game_id").size()
    game = int(lies.idxmax())
    mine = claims[claims["game_id"] == game]
    shown = sdlab("show", "--db", lab, "--game", str(game))
    assert shown.returncode == 0, shown.stderr
    lines = shown.stdout.splitlines()
    # One marked line per claim, the lies as "✗ LIE", each with its evidence.
    assert sum("✗ LIE" in line for line in lines) == lies[game]
    assert (
        sum("✓ truthful" in line for line in lines)
        == ((mine["label"] == "truthful") & ~mine["belief_inconsistent"]).sum()
    )
    assert any("✗ LIE" in line and "knew false" in line for line in lines)
    assert f"claims: {lies[game]} lie" in shown.stdout
    # Nothing was written: the claim table is analysis' to fill, on request.
    with sqlite3.connect(lab) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    assert "claim" not in tables


def test_speech_is_printed_as_text_never_as_markup(lab, tmp_path):
    db = tmp_path / "hostile.db"
    db.write_bytes(Path(lab).read_bytes())
    hostile = "[bold red]not markup[/] \\"
    with sqlite3.connect(db) as conn:
        conn.execute(
            "UPDATE event SET text = ? WHERE game_id = 1 AND seq = "
            "(SELECT MIN(seq) FROM event WHERE game_id = 1 AND kind = 'speech')",
            (hostile,),
        )
    engine = open_db(db)
    console = Console(record=True, width=120, color_system=None)
    print_game(engine, 1, console, claims=game_claims(engine, 1))
    assert hostile in console.export_text()
