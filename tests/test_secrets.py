"""No secret in any output or row: passwords in URLs masked where printed, stripped where stored."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from runs.orchestrator import run_sync
from runs.plan import Plan
from runs.provenance import strip_url_secrets, without_secrets

ROOT = Path(__file__).resolve().parents[1]
SECRET = "hunter2xyz"
DEAD_PG = f"postgresql+psycopg://lab:{SECRET}@127.0.0.1:1/nodb"  # nothing listens on port 1
PG_URL = os.environ.get("SDLAB_TEST_PG_URL")


def sdlab(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "200"},
    )


def plan_file(tmp_path: Path) -> Path:
    path = tmp_path / "t.yaml"
    path.write_text(yaml.safe_dump({"name": "t", "players": ["honest", "random"], "games": 2}))
    return path


@pytest.mark.parametrize(
    "command",
    [["run", "--games", "1"], ["tournament", "t.yaml"], ["analyse"], ["ratings"], ["show"],
     ["migrate"]],
)  # fmt: skip
def test_an_unreachable_database_url_never_shows_its_password(tmp_path, command):
    plan_file(tmp_path)
    done = sdlab(*command, "--db", DEAD_PG, cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    assert SECRET not in done.stdout + done.stderr
    assert "lab:***@127.0.0.1" in done.stderr  # the rest of the URL is shown, to be useful


@pytest.mark.postgres
@pytest.mark.skipif(not PG_URL, reason="SDLAB_TEST_PG_URL is not set")
def test_titles_and_errors_of_every_command_on_postgres_hide_the_password(tmp_path):
    from sqlalchemy.engine import make_url

    from tests.test_postgres import empty_pg

    url = empty_pg()
    password = make_url(url).password
    assert password
    plan_file(tmp_path)
    for command in (
        ["run", "--games", "2"],
        ["tournament", "t.yaml"],
        ["analyse"],
        ["ratings"],
        ["show"],
        ["migrate"],
    ):
        done = sdlab(*command, "--db", url, cwd=tmp_path)
        assert done.returncode == 0, (command, done.stderr)
        assert f":{password}@" not in done.stdout + done.stderr, command


def test_credentials_in_an_api_base_are_never_stored_or_shown(tmp_path, stub, fake_key):
    base = stub.api_base.replace("http://", f"http://user:{SECRET}@")
    llm = {"model": "openai/stub", "api_base": base, "options": {"reasoning": False}}
    plan = Plan(name="creds", players=[llm, "honest"], games=2)
    stored = without_secrets(plan.model_dump(mode="json"))  # what the tournament row keeps
    assert SECRET not in str(stored) and f"user@127.0.0.1:{stub.port}" in str(stored)
    db = tmp_path / "lab.db"
    # The HTTP client will not mix a key with credentials in the URL: the preflight says so,
    # without the password, and nothing is written.
    summary = run_sync(plan, str(db))
    assert summary.exit_code == 4 and SECRET not in (summary.provider_error or "")
    assert not db.exists()


def test_stripping_keeps_what_is_not_a_secret():
    assert strip_url_secrets("http://u:p@h:8/v1?x=1") == "http://u@h:8/v1?x=1"
    assert strip_url_secrets("http://h/v1") == "http://h/v1"
    cleaned = without_secrets({"api_key": "sk-1", "options": {"api_base": "http://a:b@h/"}})
    assert cleaned == {"options": {"api_base": "http://a@h/"}}
    assert strip_url_secrets("http://:p@h/") == "http://h/"
