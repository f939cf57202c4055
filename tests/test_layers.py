"""The import graph: layers a reader can see, and no package importing one above it.

vocab ← games ← agents ← runs ← app, with analysis beside runs: it reads the store through
`runs.schema` only (never the runner or the store's writer) and runs never imports it.
Every import counts, including the lazy ones inside functions.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("vocab", "games", "agents", "runs", "analysis", "app")
ALLOWED = {
    "vocab": set(),
    "games": {"vocab"},
    "agents": {"vocab", "games"},
    "runs": {"vocab", "games", "agents"},
    "analysis": {"vocab", "games", "agents", "runs"},
    "app": {"vocab", "games", "agents", "runs", "analysis"},
}
ANALYSIS_MAY_USE_OF_RUNS = {"runs.schema"}


def project_imports() -> dict[str, set[str]]:
    """module path → project modules it imports (anywhere in the file)."""
    found: dict[str, set[str]] = defaultdict(set)
    files = [ROOT / "vocab.py", *(p for pkg in PACKAGES[1:] for p in (ROOT / pkg).rglob("*.py"))]
    for path in files:
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                # `from runs import schema` imports runs.schema, not all of runs.
                top = node.module in PACKAGES
                names = [f"{node.module}.{a.name}" if top else node.module for a in node.names]
            found[module].update(n for n in names if n.split(".")[0] in PACKAGES)
    return found


def test_every_import_goes_down_the_layers():
    wrong = []
    for module, imports in project_imports().items():
        package = module.split(".")[0]
        for imported in imports:
            target = imported.split(".")[0]
            if target != package and target not in ALLOWED[package]:
                wrong.append(f"{module} imports {imported}")
            schema_only = package == "analysis" and target == "runs"
            if schema_only and imported not in ANALYSIS_MAY_USE_OF_RUNS:
                wrong.append(f"{module} imports {imported} (analysis reads runs.schema only)")
    assert not wrong, "\n".join(sorted(wrong))


def test_the_package_graph_has_no_cycle():
    edges: dict[str, set[str]] = defaultdict(set)
    for module, imports in project_imports().items():
        for imported in imports:
            a, b = module.split(".")[0], imported.split(".")[0]
            if a != b:
                edges[a].add(b)

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        return any(
            n == goal or (n not in seen and reaches(n, goal, seen | {n})) for n in edges[start]
        )

    cycles = [p for p in PACKAGES if reaches(p, p, {p})]
    assert not cycles, dict(edges)


def test_the_checker_sees_lazy_imports():
    # The CLI imports analysis inside its commands only; the walk must still see it.
    assert any(i.startswith("analysis") for i in project_imports()["app.cli"])
