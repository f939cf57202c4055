"""A small lab database with lies in it, and a report built from it (shared by report tests)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from runs.orchestrator import run as run_plan
from runs.plan import load_plan
from tests.tournament_helpers import write_config


def lab_db(directory: Path, games: int = 9) -> str:
    """Scripted games of honest, deceptive and random players (the deceptive ones lie)."""
    db = str(directory / "lab.db")
    asyncio.run(run_plan(load_plan(write_config(directory / "t.yaml", games=games)), db))
    return db
