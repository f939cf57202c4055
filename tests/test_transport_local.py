"""A local server that dies is reported with its exit status, never as a clean exit.

Fast: the "server" here is a plain subprocess that dies the way llama.cpp did on a CPU it was
not built for (SIGILL) or exits with a status; the real server is killed in
tests/test_local_llm.py (SDLAB_LOCAL_LLM=1).
"""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import pytest

from agents.local_server import LocalModelError, LocalServer, exit_status, serve
from agents.providers import LOCAL_PREFIX, resolve


def dying(code: str) -> LocalServer:
    """A LocalServer whose process runs `code` (and so dies as it says)."""
    server = LocalServer(Path("Model.gguf"))
    server.process = subprocess.Popen([sys.executable, "-c", code])
    return server


def test_sigill_is_named_with_its_cause():
    server = dying("import os, signal; os.kill(os.getpid(), signal.SIGILL)")
    server.process.wait(10)
    line = server.exit_message()
    assert line == (
        "llama.cpp server for Model.gguf died: killed by SIGILL: an instruction this CPU "
        "cannot run (rebuild llama-cpp-python without native tuning)"
    )


def test_serve_raises_when_the_server_dies():
    server = dying("import time; time.sleep(0.5); raise SystemExit(3)")
    ready = []
    with pytest.raises(LocalModelError, match=r"died: exit status 3$"):
        serve(server, ready.append)
    assert ready == [server] and server.process is None  # stopped, and said so


def test_exit_status_words():
    assert exit_status(0) == "exit status 0"
    assert exit_status(-signal.SIGKILL) == "killed by SIGKILL"


def test_local_models_are_providers_like_the_others(tmp_path):
    gguf = tmp_path / "tiny.gguf"
    gguf.write_bytes(b"GGUF")
    p = resolve(LOCAL_PREFIX + str(gguf))
    assert p.is_local and p.concurrency == 1 and p.length_caps
    assert p.modes == ("json_object", "prompt") and p.gguf == gguf
    assert p.served_at("http://127.0.0.1:1/v1").api_base == "http://127.0.0.1:1/v1"
    assert "sk-" not in repr(
        resolve("openai/x", {"api_base": "http://h/v1", "api_key": "sk-1234567"})
    )
