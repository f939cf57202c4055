"""Where a set of games came from: software versions, git commit, and options without secrets.

Stored on every Tournament row, so a result can be traced to the code and library versions
that produced it. Secrets never are: API keys are refused in plans, and passwords inside URLs
(api_base, database URLs) are removed here before anything is stored.
"""

from __future__ import annotations

import platform
import socket
import subprocess
import sys
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

KEY_PACKAGES = ("sdlab", "litellm", "pettingzoo", "pydantic", "sqlmodel", "sqlalchemy", "pandas")
_SECRET_KEYS = ("api_key", "password", "secret", "token")


def strip_url_secrets(url: str) -> str:
    """A URL with its password removed (user, host and path kept)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    if parts.password is None:
        return url
    netloc = parts.netloc.rpartition("@")[2]  # host[:port] exactly as written
    if parts.username:
        netloc = f"{parts.username}@{netloc}"  # who connected is not a secret; how is
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def without_secrets(value: Any) -> Any:
    """A JSON-like value with key-like fields dropped and URL credentials stripped."""
    if isinstance(value, dict):
        return {
            k: without_secrets(v)
            for k, v in value.items()
            if not any(s in str(k).lower() for s in _SECRET_KEYS)
        }
    if isinstance(value, list):
        return [without_secrets(v) for v in value]
    if isinstance(value, str) and "://" in value and "@" in value:
        return strip_url_secrets(value)
    return value


def _version(package: str) -> str | None:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


@cache
def git_commit() -> str | None:
    """The commit of the source tree sdlab runs from (with '+dirty' for local changes)."""
    root = Path(__file__).resolve().parents[1]
    if not (root / ".git").exists():
        return None
    try:
        head = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            timeout=5,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(root), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            timeout=5,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return head + ("+dirty" if dirty else "")


def provenance() -> dict[str, Any]:
    """What produced a run: versions, commit, interpreter and host."""
    return {
        "sdlab": _version("sdlab"),
        "git_commit": git_commit(),
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "host": socket.gethostname(),
        "packages": {p: _version(p) for p in KEY_PACKAGES if p != "sdlab"},
    }
