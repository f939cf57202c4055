"""Analysis reads through its own checked, read-only loader and owns the claim table (issue 9)."""

from __future__ import annotations

import ast
import asyncio
import hashlib
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import inspect, text
from sqlmodel import SQLModel

import analysis
from analysis.claim_table import CLAIM_COLUMNS, CLAIM_METADATA, claim_table
from analysis.db import AnalysisError, open_db
from runs.batch import run_games
from runs.schema import SCHEMA_REVISION

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def lab(tmp_path_factory) -> str:
    where = tmp_path_factory.mktemp("lab")
    asyncio.run(run_games(str(where / "played.db"), 4, seed=3))
    db = where / "lab.db"
    _copy(where / "played.db", db)  # one self-contained file (no -wal beside it)
    return str(db)


def _copy(src: str | Path, dst: str | Path) -> None:
    """A consistent copy through SQLite (a byte copy would miss what is still in the WAL)."""
    with sqlite3.connect(src) as a, sqlite3.connect(dst) as b:
        a.backup(b)


def _digest(path: str | Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _tables(path: str | Path) -> set[str]:
    with sqlite3.connect(path) as conn:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}


def test_analysis_imports_runs_schema_and_nothing_else_of_runs():
    # Statically, every module (including ones not imported by default) ...
    for path in sorted((ROOT / "analysis").glob("*.py")):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            for name in names:
                if name.startswith("runs") and node.__class__ is ast.ImportFrom:
                    assert node.module in ("runs", "runs.schema"), (path.name, name)
                    if node.module == "runs":
                        assert [a.name for a in node.names] == ["schema"], (path.name, name)
                elif name.startswith("runs."):
                    assert name == "runs.schema", (path.name, name)
    # ... and at run time, in a fresh interpreter.
    code = (
        "import sys, analysis, analysis.report, analysis.ratings, analysis.validate, "
        "analysis.gold, analysis.pipeline; "
        "print(sorted(m for m in sys.modules if m == 'runs' or m.startswith('runs.')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "['runs', 'runs.schema']"


def test_claim_table_is_analysis_own_and_not_the_store_metadata():
    assert claim_table.metadata is CLAIM_METADATA
    assert CLAIM_METADATA is not SQLModel.metadata
    assert "fallback" in CLAIM_COLUMNS


def test_loading_changes_nothing_and_the_engine_cannot_write(lab):
    before = _digest(lab)
    frames = analysis.load(lab)
    analysis.label_claims(lab, write=False)
    analysis.ratings_report(lab)
    assert len(frames.games) == 4
    assert _digest(lab) == before
    with open_db(lab).connect() as conn, pytest.raises(Exception, match="readonly"):
        conn.execute(text("CREATE TABLE intruder (x INTEGER)"))


def test_label_claims_creates_only_the_claim_table_and_rebuilds_an_old_one(tmp_path, lab):
    db = tmp_path / "copy.db"
    _copy(lab, db)
    with sqlite3.connect(db) as conn:  # an older sdlab's claim table: other columns
        conn.execute("DROP TABLE IF EXISTS claim")
        conn.execute("CREATE TABLE claim (id INTEGER PRIMARY KEY, game_id INTEGER, label TEXT)")
    tables = _tables(db)
    claims = analysis.label_claims(str(db))
    assert _tables(db) == tables  # rebuilt in place, nothing else created
    with open_db(str(db)).connect() as conn:
        have = [c["name"] for c in inspect(conn).get_columns("claim")]
    assert set(have) == set(CLAIM_COLUMNS)
    assert len(analysis.load(str(db)).claims) == len(claims) > 0


def test_a_missing_file_is_refused_and_not_created(tmp_path):
    path = tmp_path / "none.db"
    for call in (analysis.load, analysis.label_claims, analysis.ratings_report):
        with pytest.raises(AnalysisError, match="no database at"):
            call(str(path))
    assert not path.exists()


def test_a_foreign_sqlite_file_is_refused_and_left_untouched(tmp_path):
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE notes (body TEXT)")
        conn.execute("INSERT INTO notes VALUES ('mine')")
    before = _digest(path)
    for call in (analysis.load, analysis.label_claims, analysis.ratings_report):
        with pytest.raises(AnalysisError, match="not an sdlab database") as err:
            call(str(path))
        assert "\n" not in str(err.value)
    assert _digest(path) == before and _tables(path) == {"notes"}


@pytest.mark.parametrize(
    "content, message",
    [(b"", "not an sdlab database \\(it has no tables\\)"), (b"hello " * 200, "not an SQLite")],
)
def test_empty_and_non_sqlite_files_are_refused(tmp_path, content, message):
    path = tmp_path / "x.db"
    path.write_bytes(content)
    with pytest.raises(AnalysisError, match=message):
        analysis.load(str(path))
    assert path.read_bytes() == content


@pytest.mark.parametrize(
    "revision, message", [("0000", "older sdlab.*sdlab migrate"), ("9999", "newer sdlab")]
)
def test_another_schema_revision_is_refused(tmp_path, lab, revision, message):
    db = tmp_path / "rev.db"
    _copy(lab, db)
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE IF NOT EXISTS alembic_version (version_num VARCHAR(32))")
        conn.execute("DELETE FROM alembic_version")
        conn.execute("INSERT INTO alembic_version VALUES (?)", (revision,))
    assert revision != SCHEMA_REVISION
    with pytest.raises(AnalysisError, match=message):
        analysis.load(str(db))
    with pytest.raises(AnalysisError, match=message):
        analysis.ratings_report(str(db))


def test_invalid_utf8_in_text_columns_is_read_with_replacement(tmp_path, lab):
    db = tmp_path / "bad.db"
    _copy(lab, db)
    with sqlite3.connect(db) as conn:
        seq = conn.execute(
            "SELECT seq FROM event WHERE game_id = 1 AND kind = 'speech' ORDER BY seq LIMIT 1"
        ).fetchone()[0]
        # 0xff is never valid UTF-8: a file written by another tool, or damaged.
        conn.execute(
            "UPDATE event SET text = CAST(X'492061ff6d20612076696c6c616765722e' AS TEXT) "
            "WHERE game_id = 1 AND seq = ?",
            (seq,),
        )
    frames = analysis.load(str(db))
    text_ = frames.events.set_index(["game_id", "seq"]).loc[(1, seq), "text"]
    assert "\ufffd" in text_
    claims = analysis.label_claims(str(db), write=False)
    assert len(claims) > 0
