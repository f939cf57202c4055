"""Schema versions: old databases are migrated to exactly today's schema; foreign ones untouched."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import create_engine, inspect

from runs.schema import SCHEMA_REVISION, STORE_TABLES, SQLModel
from runs.store import StoreError, alembic_config, open_engine

ROOT = Path(__file__).resolve().parents[1]
LEGACY = ROOT / "tests" / "data" / "legacy" / "sdlab_schema1.sql"  # written by sdlab before 0002


def describe(url: str) -> dict:
    """Tables, columns (type, nullable, key), indexes and unique constraints of a database."""
    engine = create_engine(url)
    insp = inspect(engine)
    out = {}
    for table in sorted(set(insp.get_table_names()) & set(STORE_TABLES)):
        columns = [
            (c["name"], type(c["type"]).__name__, c["nullable"]) for c in insp.get_columns(table)
        ]
        out[table] = {
            "columns": columns,
            "pk": insp.get_pk_constraint(table)["constrained_columns"],
            "indexes": sorted(
                (i["name"], tuple(i["column_names"])) for i in insp.get_indexes(table)
            ),
            "unique": sorted(tuple(u["column_names"]) for u in insp.get_unique_constraints(table)),
            "fks": sorted(
                (tuple(f["constrained_columns"]), f["referred_table"])
                for f in insp.get_foreign_keys(table)
            ),
        }
    engine.dispose()
    return out


def legacy_db(tmp_path: Path) -> str:
    db = tmp_path / "old.db"
    with sqlite3.connect(db) as conn:
        conn.executescript(LEGACY.read_text())
    return str(db)


def rows(db: str, sql: str) -> list:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


def test_a_schema_1_database_is_migrated_to_exactly_the_schema_sdlab_creates(tmp_path):
    old = legacy_db(tmp_path)
    before = {t: rows(old, f"SELECT COUNT(*) FROM {t}")[0][0] for t in STORE_TABLES}
    players = rows(old, "SELECT game_id, seat, name, role, model FROM player ORDER BY 1, 2")
    assert rows(old, "PRAGMA integrity_check")[0][0] != "ok" or sqlite3.sqlite_version >= "3.41"
    seen = []
    open_engine(old, lambda a, b: seen.append((a, b))).dispose()
    assert seen == [("0001", SCHEMA_REVISION)]
    fresh = str(tmp_path / "fresh.db")
    open_engine(fresh).dispose()
    assert describe(f"sqlite:///{old}") == describe(f"sqlite:///{fresh}")
    # Nothing lost, the check clean, and the result is usable and versioned.
    assert {t: rows(old, f"SELECT COUNT(*) FROM {t}")[0][0] for t in STORE_TABLES} == before
    assert rows(old, "SELECT game_id, seat, name, role, model FROM player ORDER BY 1, 2") == players
    assert rows(old, "PRAGMA integrity_check") == [("ok",)]
    assert rows(old, "SELECT version_num FROM alembic_version") == [(SCHEMA_REVISION,)]
    assert rows(old, "SELECT COUNT(*) FROM game WHERE text_repairs != 0") == [(0,)]
    open_engine(old).dispose()  # migrating twice is a no-op
    assert rows(old, "SELECT version_num FROM alembic_version") == [(SCHEMA_REVISION,)]


def test_migrations_from_nothing_build_the_same_schema_as_create_all(tmp_path):
    migrated = tmp_path / "migrated.db"
    engine = create_engine(f"sqlite:///{migrated}")
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "head")
    engine.dispose()
    created = tmp_path / "created.db"
    engine = create_engine(f"sqlite:///{created}")
    SQLModel.metadata.create_all(engine)
    engine.dispose()
    assert describe(f"sqlite:///{migrated}") == describe(f"sqlite:///{created}")


def test_sdlab_commands_migrate_an_old_database_and_play_on_it(tmp_path):
    old = legacy_db(tmp_path)
    cmd = [sys.executable, "-m", "app.cli", "run", "--games", "2", "--db", old]
    result = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stderr
    assert f"migrated the database from schema 0001 to {SCHEMA_REVISION}" in result.stderr
    assert rows(old, "SELECT COUNT(*) FROM game WHERE status = 'finished'") == [(8,)]


def test_a_newer_database_is_refused_untouched(tmp_path):
    db = str(tmp_path / "new.db")
    open_engine(db).dispose()
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    digest = hashlib.sha256(Path(db).read_bytes()).hexdigest()
    with pytest.raises(StoreError, match="schema 9999, newer than this sdlab's"):
        open_engine(db)
    assert hashlib.sha256(Path(db).read_bytes()).hexdigest() == digest


@pytest.mark.parametrize("command_args", [["run", "--games", "1"], ["migrate"], ["analyse"]])
def test_a_file_that_is_not_an_sdlab_database_is_never_modified(tmp_path, command_args):
    db = tmp_path / "app.db"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)")
        conn.execute("INSERT INTO users VALUES (1, 'ada')")
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    cmd = [sys.executable, "-m", "app.cli", *command_args, "--db", str(db)]
    result = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.returncode == 2, result.stderr
    assert "not an sdlab database" in result.stderr
    assert result.stderr.strip().count("\n") == 0 and "Traceback" not in result.stderr
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before  # no -wal, no tables


@pytest.mark.postgres
@pytest.mark.skipif(not os.environ.get("SDLAB_TEST_PG_URL"), reason="SDLAB_TEST_PG_URL not set")
def test_migrations_on_postgresql_build_the_schema_create_all_builds():
    from tests.test_postgres import empty_pg

    url = empty_pg()
    engine = create_engine(url)
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "head")
    engine.dispose()
    migrated = describe(url)
    url = empty_pg()
    engine = create_engine(url)
    SQLModel.metadata.create_all(engine)
    engine.dispose()
    assert migrated == describe(url)
