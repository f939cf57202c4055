"""The `sdlab` CLI through its real entry point: the offline main job, transcripts, bad input."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def sdlab(*args: str, cwd: Path | str = ROOT) -> subprocess.CompletedProcess:
    """`sdlab ARGS` as a user runs it (exit code, stdout and stderr apart)."""
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
        env={**os.environ, "COLUMNS": "100", "PYTHONPATH": str(ROOT)},
    )


def test_run_plays_games_and_prints_summary(db_path):
    result = sdlab("run", "--games", "5", "--db", db_path, "--seed", "2")
    assert result.returncode == 0, result.stderr
    assert "games finished" in result.stdout and "games/s" in result.stdout
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT COUNT(*) FROM game WHERE status='finished'").fetchone() == (5,)


def test_the_same_run_twice_resumes_instead_of_duplicating(db_path):
    for _ in range(2):
        assert sdlab("run", "--games", "4", "--db", db_path).returncode == 0
    other = sdlab("run", "--games", "3", "--db", db_path, "--seed", "9")
    assert other.returncode == 0, other.stderr
    with sqlite3.connect(db_path) as conn:
        plans = conn.execute("SELECT name FROM tournament ORDER BY id").fetchall()
        assert conn.execute("SELECT COUNT(*) FROM game").fetchone() == (7,)
    assert len(plans) == 2 and all(name.startswith("run-") for (name,) in plans)
    named = sdlab("run", "--games", "4", "--db", db_path, "--name", plans[0][0], "--seed", "5")
    assert named.returncode == 2 and "already exists" in named.stderr


def test_run_with_other_table_rules(db_path):
    args = ["run", "-n", "3", "--db", db_path, "--players", "9", "--bidding", "--revote"]
    result = sdlab(*args, "--hide-roles", "--rounds", "1", "--commit", "game")
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT COUNT(DISTINCT seat) FROM player").fetchone() == (9,)
        assert conn.execute("SELECT COUNT(*) FROM event WHERE kind='bid'").fetchone()[0] > 0


def test_play_and_show_print_transcripts(db_path):
    result = sdlab("play", "--seed", "3")
    assert result.returncode == 0, result.stderr
    assert "Dawn:" in result.stdout and "winner:" in result.stdout
    assert "role_assignment" not in result.stdout and "(hidden)" not in result.stdout
    assert sdlab("run", "--games", "2", "--db", db_path).returncode == 0
    shown = sdlab("show", "--db", db_path, "--game", "2", "--private")
    assert shown.returncode == 0 and "game 2" in shown.stdout
    assert "(team:werewolves)" in shown.stdout  # the pack's channel, shown on request
    missing = sdlab("show", "--db", db_path, "--game", "99")
    assert missing.returncode == 2 and "no game 99" in missing.stderr


@pytest.mark.parametrize(
    "args, message",
    [
        (["run", "--games", "0"], "games: Input should be greater than or equal to 1"),
        (["run", "--games", "3000000000"], "less than or equal to 1000000"),
        (["run", "--games", "ten"], "valid integer"),
        (["run", "--players", "2"], "at least 4 players"),
        (["run", "--players", "31"], "--players must be 4-30"),
        (["run", "--rounds", "-1"], "discussion_rounds"),
        (["run", "--commit", "sometimes"], "--commit must be"),
        (["run", "--condition", "bogus"], "--condition must be one of"),
        (["run", "--framing", "unobserved"], "apply to LLM players"),
        (["run", "--db", "/no/such/dir/x.db"], "does not exist"),
        (["run", "--db", "postgresql://u:hunter2@h:port/db"], "not a database URL"),
        (["run", "--bogus"], "No such option"),
        (["tournament", "missing.yaml"], "cannot read missing.yaml"),
    ],
)
def test_bad_input_is_one_clear_line_and_nothing_written(tmp_path, args, message):
    result = sdlab(*args, cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr and "hunter2" not in result.stderr
    assert result.stderr.strip().count("\n") == 0, result.stderr
    assert not os.listdir(tmp_path)  # no lab.db or anything else half-written
