"""examples/oversight.yaml end to end: the tournament it defines, then every research section."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console

from app.research_views import print_leakage_section, print_research
from runs import load_plan, run_sync

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "oversight.yaml"


def test_the_oversight_example_is_paired_balanced_and_analysable(tmp_path):
    plan = load_plan(EXAMPLE)
    assert plan.conditions.paired and plan.conditions.framings == ["observed", "unobserved"]
    assert plan.conditions.prompt_conditions == ["neutral"] and plan.games % plan.block == 0
    small = plan.model_copy(update={"games": 48})  # the same design, fewer seeds
    db = str(tmp_path / "oversight.db")
    summary = run_sync(small, db)
    assert summary.finished == 48

    console = Console(width=80, record=True)
    sections = print_research(db, console, contrast="framing", persuasion=True,
                              instrumental=True)  # fmt: skip
    leak = print_leakage_section(db, console)
    text = console.export_text()
    for heading in ("framing contrast", "who moves whom", "detection", "self-preservation",
                    "resource acquisition", "leakage of the team"):  # fmt: skip
        assert heading in text
    assert max(len(line) for line in text.splitlines()) <= 80
    lies = sections.contrast[(sections.contrast["metric"] == "lie_rate")]
    assert set(lies["design"]) == {"paired"} and (lies["clusters"] == 24).all()
    assert (lies["difference"] > 0).all()  # 10 % observed, 40 % unobserved
    assert leak["leakage_bits"].notna().any()
