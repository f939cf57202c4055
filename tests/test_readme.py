"""The README's examples are code: every block of these kinds runs, in order, in one directory.

- ```python  — run, each in a fresh interpreter;
- ```bash    — every `sdlab …` command runs and must exit 0 (venv/pip/pytest/export lines are
  set-up, not examples); commands that need an API key, a network or minutes are written in
  ```shell blocks, which are shown, not run;
- ```sql     — run against the lab.db the examples before it wrote;
- ```yaml    — a plan file (`name:` and `players:`) must load as a Plan.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
FENCE = re.compile(r"^```(\w+)[^\n]*\n(.*?)^```", re.S | re.M)


def blocks() -> list[tuple[str, str, int]]:
    """(language, code, line) of every fenced block of the README, in order."""
    text = (ROOT / "README.md").read_text()
    return [(m[1], m[2], text[: m.start()].count("\n") + 1) for m in FENCE.finditer(text)]


def sdlab_commands(code: str) -> list[str]:
    """The `sdlab …` commands of a bash block (continuations joined, set-up skipped)."""
    commands = []
    for line in code.replace("\\\n", " ").splitlines():
        line = line.split(" #")[0].strip()
        for part in line.split("&&"):
            part = part.strip()
            if part.startswith("sdlab "):
                commands.append(part)
    return commands


def env() -> dict[str, str]:
    bin_dir = str(Path(sys.executable).parent)
    return {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "PATH": bin_dir + os.pathsep + os.environ.get("PATH", ""),
        "COLUMNS": "100",
    }


@pytest.mark.slow
def test_every_readme_example_runs(tmp_path):
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    ran = {"python": 0, "bash": 0, "sql": 0, "yaml": 0}
    for lang, code, line in blocks():
        where = f"README.md line {line}"
        if lang == "python":
            done = subprocess.run(
                [sys.executable, "-c", code],
                cwd=tmp_path,
                env=env(),
                capture_output=True,
                text=True,
                timeout=600,
            )
            assert done.returncode == 0, f"{where}:\n{code}\n{done.stderr[-3000:]}"
        elif lang == "bash":
            for command in sdlab_commands(code):
                done = subprocess.run(
                    shlex.split(command),
                    cwd=tmp_path,
                    env=env(),
                    capture_output=True,
                    text=True,
                    timeout=600,
                )
                assert done.returncode == 0, f"{where}: {command}\n{done.stderr[-3000:]}"
        elif lang == "sql":
            with sqlite3.connect(tmp_path / "lab.db") as conn:
                for statement in filter(str.strip, code.split(";")):
                    conn.execute(statement).fetchall()
        elif lang == "yaml":
            data = yaml.safe_load(code)
            if isinstance(data, dict) and {"name", "players"} <= set(data):
                from runs.plan import Plan

                Plan.model_validate(data)
            else:
                continue
        else:
            continue
        ran[lang] += 1
    assert ran["python"] >= 3 and ran["bash"] >= 3, ran


def test_the_first_two_blocks_are_the_setup_commands():
    first, second = blocks()[:2]
    assert first[0] == second[0] == "bash"
    assert 'pip install -e ".[dev]"' in first[1] and "sdlab run" in first[1]
    assert second[1].strip() == "python -m pytest"
