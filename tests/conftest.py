"""Shared fixtures. LLM fixtures (the loopback stub server) live in tests/stub_server.py."""

from __future__ import annotations

import pytest
from stub_server import fake_key, stub  # noqa: F401  (LLM fixtures, shared by every test file)


@pytest.fixture
def db_path(tmp_path):
    """A fresh SQLite file path."""
    return str(tmp_path / "lab.db")
