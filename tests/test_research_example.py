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


def test_games_without_a_single_claim_go_through_every_section(tmp_path):
    # A tiny model often claims nothing checkable: every table must still come out (empty
    # where there is nothing to count), not fail on an empty claims frame.
    from tests.test_research_kinds import play

    db = str(tmp_path / "quiet.db")
    play(db, [{"model": "marker", "options": {"marker_p": 0.5}}], 8, game={"max_days": 2})
    console = Console(width=80, record=True)
    sections = print_research(db, console, contrast="framing", persuasion=True,
                              instrumental=True)  # fmt: skip
    print_leakage_section(db, console)
    assert sections.contrast.empty  # the marker kind reads no framing
    assert (sections.persuasion.shifts["direction"] == 0).all()
    assert "no framing contrast" in console.export_text()
