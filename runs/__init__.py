"""Playing and storing: plans, the one orchestration loop, the store and its schema.

From Python (a notebook included)::

    from runs import load_plan, run, run_sync
    plan = load_plan("examples/tournament_offline.yaml")
    summary = await run(plan, "lab.db")      # inside Jupyter's running loop
    summary = run_sync(plan, "lab.db")       # in a script
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

# Resolved on first use, so that `import runs.schema` (all analysis needs) stays light.
_EXPORTS = {
    "Hooks": "runs.orchestrator",
    "RunSummary": "runs.orchestrator",
    "run": "runs.orchestrator",
    "run_sync": "runs.orchestrator",
    "ConfigError": "runs.plan",
    "Plan": "runs.plan",
    "load_plan": "runs.plan",
    "plan_from_flags": "runs.plan",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(name)
