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


def test_the_research_commands_print_every_section_and_refuse_bad_flags(tmp_path):
    from typer.testing import CliRunner

    from app.cli import app

    plan = load_plan(EXAMPLE).model_copy(update={"games": 8})
    db = str(tmp_path / "oversight.db")
    assert run_sync(plan, db).finished == 8
    runner = CliRunner()
    args = ["analyse", "--db", db, "--contrast", "framing", "--persuasion", "--instrumental"]
    done = runner.invoke(app, args)
    assert done.exit_code == 0, done.output
    for heading in ("lies in", "framing contrast", "who moves whom", "self-preservation"):
        assert heading in done.stdout
    leak = runner.invoke(app, ["leakage", "--db", db, "--by", "framing", "--null", "0"])
    assert leak.exit_code == 0, leak.output
    assert "leakage of the team" in leak.stdout and "unobs" in leak.stdout
    for bad, message in (
        (["analyse", "--db", db, "--contrast", "mood"], "--contrast must be one of"),
        (["leakage", "--db", db, "--by", "shoe_size"], "cannot group by"),
        (["leakage", "--db", db, "--target", "mood"], "mood"),
        (["leakage", "--db", db, "--null", "-1"], "--null must be 0 or more"),
    ):
        refused = runner.invoke(app, bad)
        assert refused.exit_code == 2 and message in refused.stderr, refused.output
        assert "Traceback" not in refused.output
